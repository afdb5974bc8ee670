//! `mv [-fnv] SOURCE DEST`, `mv ... SOURCE... DIRECTORY`: renames files and
//! directories; across file systems, copies them (mode, times, links kept) and
//! removes the originals.
use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::Path;

use ulib::args::Spec;
use ulib::diag::{quoted, report};

use crate::applets::cp::Copying;
use crate::applets::rm::Removal;
use crate::cli;
use crate::target;

const PROGRAM: &str = "mv";

pub const USAGE: &str = "Usage: mv [OPTION]... SOURCE DEST
  or:  mv [OPTION]... SOURCE... DIRECTORY
Rename SOURCE to DEST, or move SOURCE(s) to DIRECTORY.
  -f   do not prompt before overwriting (the default: mv never prompts)
  -n   do not overwrite an existing file
  -v   explain what is being done";

const SPEC: Spec = Spec { flags: "fnv", ..Spec::NONE };

/// What went wrong with one move, in GNU's words.
fn failure(source: &Path, destination: &Path, err: &io::Error) -> String {
    let (source, destination) = (quoted(source.display()), quoted(destination.display()));
    match err.raw_os_error() {
        Some(libc::EINVAL) => format!("cannot move {source} to a subdirectory of itself, {destination}"),
        _ => format!("cannot move {source} to {destination}: {}", ulib::diag::error_text(err)),
    }
}

/// Moves `source` to `destination`; returns whether it worked.
fn move_one(source: &Path, destination: &Path, no_clobber: bool, verbose: bool) -> bool {
    let Some((metadata, existing)) = target::source_and_destination(PROGRAM, source, destination, false) else {
        return false;
    };
    match existing {
        Ok(_) if no_clobber => return true,
        Ok(existing) if metadata.is_dir() && !existing.is_dir() => {
            let (destination, source) = (quoted(destination.display()), quoted(source.display()));
            report(PROGRAM, format_args!("cannot overwrite non-directory {destination} with directory {source}"));
            return false;
        }
        _ => {}
    }
    let moved = match fs::rename(source, destination) {
        Ok(()) => true,
        Err(err) if err.raw_os_error() == Some(libc::EXDEV) => {
            let copying = Copying { recursive: true, keep_times: true, follow_links: false };
            let removal = Removal { recursive: true, empty_directories: false, force: false, verbose: false };
            let replaced = !destination.exists() || metadata.is_dir() || fs::remove_file(destination).is_ok();
            replaced && copying.copy(PROGRAM, source, destination) && removal.remove(PROGRAM, source)
        }
        Err(err) => {
            report(PROGRAM, failure(source, destination, &err));
            false
        }
    };
    if moved && verbose {
        // The move happened; a failing report of it changes nothing.
        let _ = writeln!(io::stdout(), "renamed {} -> {}", quoted(source.display()), quoted(destination.display()));
    }
    moved
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let no_clobber = command_line.last_of("fn") == Some('n');
    let verbose = command_line.has('v');
    let pairs = match target::pairs(PROGRAM, command_line.operands, true) {
        Ok(pairs) => pairs,
        Err(status) => return status,
    };
    let mut status = 0;
    for (source, destination) in pairs {
        if !move_one(&source, &destination, no_clobber, verbose) {
            status = 1;
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        let err = io::Error::from_raw_os_error(libc::EINVAL);
        assert_eq!(
            failure(Path::new("d"), Path::new("d/x"), &err),
            "cannot move 'd' to a subdirectory of itself, 'd/x'"
        );
        let err = io::Error::from_raw_os_error(libc::EACCES);
        assert_eq!(failure(Path::new("a"), Path::new("b"), &err), "cannot move 'a' to 'b': Permission denied");
    }

    #[test]
    fn renames_and_refuses() {
        let base = std::env::temp_dir().join(format!("kbox-mv-{}", std::process::id()));
        fs::create_dir_all(base.join("dir")).unwrap();
        fs::write(base.join("file"), b"x").unwrap();
        let moved = move_one(&base.join("file"), &base.join("dir/file"), false, false);
        let into_itself = move_one(&base.join("dir"), &base.join("dir/sub"), false, false);
        fs::write(base.join("other"), b"y").unwrap();
        let kept = move_one(&base.join("other"), &base.join("dir/file"), true, false);
        let dir_over_file = move_one(&base.join("dir"), &base.join("other"), false, false);
        let content = fs::read_to_string(base.join("dir/file")).unwrap();
        fs::remove_dir_all(&base).unwrap();
        assert!(moved && !into_itself && kept && !dir_over_file);
        assert_eq!(content, "x");
    }
}
