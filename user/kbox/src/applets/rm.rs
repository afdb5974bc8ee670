//! `rm [-dfrRv] FILE...`: removes files; directories with `-r` (their contents
//! first, never following symbolic links) or, when empty, `-d`. `-f` ignores missing
//! files and an empty command line.
use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use ulib::args::Spec;
use ulib::diag::{quoted, report, report_error};

use crate::applets::basename::basename;
use crate::cli;

const PROGRAM: &str = "rm";

pub const USAGE: &str = "Usage: rm [OPTION]... [FILE]...
Remove (unlink) the FILE(s).
  -d       remove empty directories
  -f       ignore nonexistent files and arguments, never prompt
  -r, -R   remove directories and their contents recursively
  -v       explain what is being done";

const SPEC: Spec = Spec { flags: "dfrRv", ..Spec::NONE };

/// How `remove` works.
#[derive(Debug, Clone, Copy)]
pub struct Removal {
    pub recursive: bool,
    pub empty_directories: bool,
    pub force: bool,
    pub verbose: bool,
}

impl Removal {
    /// Removes `path` (a directory's contents first when recursive), reporting each
    /// failure as `program`'s. Returns whether everything went.
    pub fn remove(&self, program: &str, path: &Path) -> bool {
        let cannot = |err: &io::Error| {
            report_error(program, format_args!("cannot remove {}", quoted(path.display())), err);
            false
        };
        let metadata = match fs::symlink_metadata(path) {
            Ok(metadata) => metadata,
            Err(err) if self.force && err.kind() == io::ErrorKind::NotFound => return true,
            Err(err) => return cannot(&err),
        };
        if !metadata.is_dir() {
            return match fs::remove_file(path) {
                Ok(()) => self.removed("removed", path),
                Err(err) => cannot(&err),
            };
        }
        if !self.recursive && !self.empty_directories {
            return cannot(&io::Error::from_raw_os_error(libc::EISDIR));
        }
        let mut ok = true;
        if self.recursive {
            match fs::read_dir(path) {
                Ok(entries) => {
                    for entry in entries {
                        match entry {
                            Ok(entry) => ok &= self.remove(program, &entry.path()),
                            Err(err) => ok = cannot(&err),
                        }
                    }
                }
                Err(err) => ok = cannot(&err),
            }
        }
        ok && match fs::remove_dir(path) {
            Ok(()) => self.removed("removed directory", path),
            Err(err) => cannot(&err),
        }
    }

    fn removed(&self, what: &str, path: &Path) -> bool {
        if self.verbose {
            // The removal happened; a failing report of it changes nothing.
            let _ = writeln!(io::stdout(), "{what} {}", quoted(path.display()));
        }
        true
    }
}

/// Why `rm -r` refuses an operand outright: `.`, `..` and `/`.
fn refusal(operand: &[u8]) -> Option<String> {
    let name = basename(operand, b"");
    if name == b"/" {
        return Some(
            "it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe"
                .into(),
        );
    }
    let shown = quoted(String::from_utf8_lossy(operand));
    (name == b"." || name == b"..").then(|| format!("refusing to remove '.' or '..' directory: skipping {shown}"))
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let removal = Removal {
        recursive: command_line.has('r') || command_line.has('R'),
        empty_directories: command_line.has('d'),
        force: command_line.has('f'),
        verbose: command_line.has('v'),
    };
    if command_line.operands.is_empty() && !removal.force {
        return cli::missing_operand(PROGRAM);
    }
    let mut status = 0;
    for operand in &command_line.operands {
        if let Some(refusal) = refusal(operand.as_bytes()).filter(|_| removal.recursive || removal.empty_directories) {
            report(PROGRAM, refusal);
            status = 1;
            continue;
        }
        if !removal.remove(PROGRAM, Path::new(operand)) {
            status = 1;
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn refusals() {
        assert!(refusal(b".").is_some());
        assert!(refusal(b"a/..").is_some());
        assert!(refusal(b"/").unwrap().contains("dangerous"));
        assert!(refusal(b"//").is_some());
        assert_eq!(refusal(b".hidden"), None);
    }

    #[test]
    fn removes_a_tree_without_following_links() {
        let base = std::env::temp_dir().join(format!("kbox-rm-{}", std::process::id()));
        let keep = base.join("keep");
        let tree = base.join("tree");
        fs::create_dir_all(tree.join("a/b")).unwrap();
        fs::create_dir_all(&keep).unwrap();
        fs::write(keep.join("precious"), b"x").unwrap();
        fs::write(tree.join("a/b/file"), b"x").unwrap();
        symlink(&keep, tree.join("link")).unwrap();
        let plain = Removal { recursive: false, empty_directories: false, force: false, verbose: false };
        assert!(!plain.remove("rm", &tree));
        assert!(Removal { recursive: true, ..plain }.remove("rm", &tree));
        assert!(!tree.exists() && keep.join("precious").exists());
        assert!(Removal { force: true, ..plain }.remove("rm", &tree));
        assert!(!plain.remove("rm", &tree));
        assert!(Removal { empty_directories: true, ..plain }.remove("rm", &base.join("keep/..").join("keep/precious")));
        fs::remove_dir_all(&base).unwrap();
    }
}
