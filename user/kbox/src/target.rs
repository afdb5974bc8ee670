//! Where `cp`, `mv` and `ln` put things: `SOURCE DEST`, or `SOURCE... DIRECTORY`
//! (each source under its own name), as GNU decides between them and words its
//! complaints; and what `cp` and `mv` look up of a source and its destination first.
use std::ffi::OsString;
use std::fs;
use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

use ulib::diag::{quoted, report, report_error};

use crate::applets::basename::basename;
use crate::cli;

/// Each source paired with its destination. The last operand is a directory to put
/// the sources in when it is one (followed through a symbolic link if `follow_last`),
/// and must be one when there are several sources. `Err` is the status to exit with.
pub fn pairs(program: &str, mut operands: Vec<OsString>, follow_last: bool) -> Result<Vec<(PathBuf, PathBuf)>, u8> {
    let Some(last) = operands.pop() else {
        return Err(cli::usage_error(program, "missing file operand"));
    };
    if operands.is_empty() {
        let message = format!("missing destination file operand after {}", quoted(PathBuf::from(last).display()));
        return Err(cli::usage_error(program, message));
    }
    let last = PathBuf::from(last);
    let looked_up = if follow_last { fs::metadata(&last) } else { fs::symlink_metadata(&last) };
    match looked_up {
        Ok(metadata) if metadata.is_dir() => Ok(operands
            .into_iter()
            .map(|source| {
                let name = OsString::from_vec(basename(source.as_bytes(), b""));
                let destination = last.join(name);
                (PathBuf::from(source), destination)
            })
            .collect()),
        _ if operands.len() == 1 => Ok(vec![(PathBuf::from(operands.remove(0)), last)]),
        Ok(_) => {
            report(program, format_args!("target {} is not a directory", quoted(last.display())));
            Err(1)
        }
        Err(err) => {
            report_error(program, format_args!("target {}", quoted(last.display())), &err);
            Err(1)
        }
    }
}

/// The metadata of `source` (followed through a symbolic link if `follow`) and of
/// what `destination` is now, for copying or moving one to the other; `None` once the
/// trouble is reported: a source that cannot be looked up, or a destination that is
/// the source itself.
pub fn source_and_destination(
    program: &str,
    source: &Path,
    destination: &Path,
    follow: bool,
) -> Option<(fs::Metadata, io::Result<fs::Metadata>)> {
    let looked_up = if follow { fs::metadata(source) } else { fs::symlink_metadata(source) };
    let metadata = match looked_up {
        Ok(metadata) => metadata,
        Err(err) => {
            report_error(program, format_args!("cannot stat {}", quoted(source.display())), &err);
            return None;
        }
    };
    let existing = fs::symlink_metadata(destination);
    if same_file(&metadata, &existing) {
        let (source, destination) = (quoted(source.display()), quoted(destination.display()));
        report(program, format_args!("{source} and {destination} are the same file"));
        return None;
    }
    Some((metadata, existing))
}

/// Whether two paths name the same file (both exist, same device and inode).
fn same_file(a: &fs::Metadata, b: &io::Result<fs::Metadata>) -> bool {
    use std::os::unix::fs::MetadataExt;
    matches!(b, Ok(b) if a.dev() == b.dev() && a.ino() == b.ino())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::words;

    #[test]
    fn into_a_directory_or_onto_a_name() {
        let here = std::env::temp_dir();
        let directory = here.to_string_lossy();
        let pairs_of = |line: String| pairs("cp", words(&line), true).unwrap();
        assert_eq!(
            pairs_of(format!("a b/c/ {directory}")),
            [(PathBuf::from("a"), here.join("a")), (PathBuf::from("b/c/"), here.join("c"))]
        );
        assert_eq!(pairs_of("a /nonexistent-kbox".into()), [(PathBuf::from("a"), PathBuf::from("/nonexistent-kbox"))]);
    }

    #[test]
    fn bad_operand_lists() {
        assert_eq!(pairs("cp", words(""), true), Err(1));
        assert_eq!(pairs("cp", words("a"), true), Err(1));
        assert_eq!(pairs("cp", words("a b /nonexistent-kbox"), true), Err(1));
    }
}
