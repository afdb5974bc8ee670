//! Where `cp`, `mv` and `ln` put things: `SOURCE DEST`, or `SOURCE... DIRECTORY`
//! (each source under its own name), as GNU decides between them and words its
//! complaints.
use std::ffi::OsString;
use std::fs;
use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::PathBuf;

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

/// Whether two paths name the same file (both exist, same device and inode).
pub fn same_file(a: &fs::Metadata, b: &io::Result<fs::Metadata>) -> bool {
    use std::os::unix::fs::MetadataExt;
    matches!(b, Ok(b) if a.dev() == b.dev() && a.ino() == b.ino())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<OsString> {
        text.split_whitespace().map(OsString::from).collect()
    }

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
