//! `diff [-u|-U N|-c|-C N] [-q] [-r] [-N] [-i] [-w] [-b] FILE1 FILE2`: compares
//! files line by line (`textdiff`), or directories name by name (-r: and below),
//! printing GNU diff's normal, unified or context output; status 0 when the same,
//! 1 when different, 2 on trouble.
use std::ffi::{OsStr, OsString};
use std::fs::{self, Metadata};
use std::io::{self, BufWriter, Read, StdoutLock, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use ulib::args::{ArgError, Spec};
use ulib::diag::{quoted, report, report_error};

use crate::cli;
use crate::clock;
use crate::textdiff::{self, Compare, HunkStyle};
use crate::walk::child;

const PROGRAM: &str = "diff";

pub const USAGE: &str = "Usage: diff [OPTION]... FILE1 FILE2
Compare FILES line by line.
  -q           report only when files differ
  -c, -C NUM   output NUM (default 3) lines of copied context
  -u, -U NUM   output NUM (default 3) lines of unified context
  -r           recursively compare any subdirectories found
  -N           treat absent files as empty
  -i           ignore case differences in file contents
  -b           ignore changes in the amount of white space
  -w           ignore all white space
Exit status is 0 if inputs are the same, 1 if different, 2 if trouble.";

const SPEC: Spec = Spec { flags: "bciNqruw", valued: "CU", ..Spec::NONE };

/// The output wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Normal,
    Unified(usize),
    Context(usize),
    Brief,
}

struct Diff {
    format: Format,
    compare: Compare,
    recursive: bool,
    new_file: bool,
    /// The options as given, for the `diff -r a/x b/x` lines between files.
    switches: String,
    out: BufWriter<StdoutLock<'static>>,
}

/// A file to compare: its name as shown, its contents' metadata (`None` for an
/// absent file taken as empty with -N).
struct Side<'a> {
    path: &'a Path,
    metadata: Option<Metadata>,
}

/// GNU's time stamp in unified headers, `2026-12-06 13:00:00.000000000 +0000`, or
/// in context ones, `Sun Dec  6 13:00:00 2026`: the file's modification time (now
/// for standard input, the epoch for an absent file).
fn stamp(side: &Side, format: Format) -> String {
    let time = match &side.metadata {
        _ if side.path == Path::new("-") => clock::now(),
        Some(metadata) => clock::civil(metadata.mtime(), u32::try_from(metadata.mtime_nsec()).unwrap_or(0)),
        None => clock::civil(0, 0),
    };
    let layout = if matches!(format, Format::Context(_)) { "%a %b %e %T %Y" } else { "%Y-%m-%d %H:%M:%S.%N %z" };
    clock::format(layout, &time)
}

fn read(side: &Side) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    match side.metadata {
        None => {}
        Some(_) if side.path == Path::new("-") => {
            io::stdin().lock().read_to_end(&mut bytes)?;
        }
        Some(_) => bytes = fs::read(side.path)?,
    }
    Ok(bytes)
}

fn is_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(4096)].contains(&0)
}

impl Diff {
    /// Compares two files: whether they differ, or the trouble.
    fn files(&mut self, old: &Side, new: &Side, announce: bool) -> io::Result<bool> {
        let (old_bytes, new_bytes) = (read(old)?, read(new)?);
        if old_bytes == new_bytes {
            return Ok(false);
        }
        let (old_name, new_name) = (old.path.display(), new.path.display());
        if self.format == Format::Brief {
            writeln!(self.out, "Files {old_name} and {new_name} differ")?;
            return Ok(true);
        }
        if is_binary(&old_bytes) || is_binary(&new_bytes) {
            writeln!(self.out, "Binary files {old_name} and {new_name} differ")?;
            return Ok(true);
        }
        let (old_lines, new_lines) = (textdiff::lines(&old_bytes), textdiff::lines(&new_bytes));
        let changes = textdiff::changes(&old_lines, &new_lines, self.compare);
        if changes.is_empty() {
            return Ok(false);
        }
        if announce {
            writeln!(self.out, "diff{} {old_name} {new_name}", self.switches)?;
        }
        let (old_stamp, new_stamp) = (stamp(old, self.format), stamp(new, self.format));
        match self.format {
            Format::Unified(context) => {
                writeln!(self.out, "--- {old_name}\t{old_stamp}\n+++ {new_name}\t{new_stamp}")?;
                textdiff::write_hunks(&mut self.out, &old_lines, &new_lines, &changes, context, HunkStyle::Unified)?;
            }
            Format::Context(context) => {
                writeln!(self.out, "*** {old_name}\t{old_stamp}\n--- {new_name}\t{new_stamp}")?;
                textdiff::write_hunks(&mut self.out, &old_lines, &new_lines, &changes, context, HunkStyle::Context)?;
            }
            Format::Normal | Format::Brief => textdiff::write_normal(&mut self.out, &old_lines, &new_lines, &changes)?,
        }
        Ok(true)
    }

    /// Compares two directories name by name: the status.
    fn directories(&mut self, old: &Path, new: &Path) -> io::Result<u8> {
        let new_file = self.new_file;
        let names = |directory: &Path| -> io::Result<Vec<OsString>> {
            match fs::read_dir(directory) {
                Err(err) if new_file && err.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
                listing => listing?.map(|entry| entry.map(|entry| entry.file_name())).collect(),
            }
        };
        let (old_names, new_names) = (names(old)?, names(new)?);
        let mut all: Vec<&OsString> = old_names.iter().chain(&new_names).collect();
        all.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        all.dedup();
        let mut status = 0;
        for name in all {
            let (old_path, new_path) = (child(old, name), child(new, name));
            let (old_metadata, new_metadata) = (fs::metadata(&old_path).ok(), fs::metadata(&new_path).ok());
            let status_here = match (&old_metadata, &new_metadata) {
                (Some(only), None) | (None, Some(only)) if !self.new_file => {
                    let directory = if old_metadata.is_some() { old } else { new };
                    writeln!(self.out, "Only in {}: {}", directory.display(), Path::new(name).display())?;
                    1
                }
                (Some(a), None) | (None, Some(a)) | (Some(a), Some(_))
                    if a.is_dir()
                        && new_metadata.as_ref().is_none_or(Metadata::is_dir)
                        && old_metadata.as_ref().is_none_or(Metadata::is_dir) =>
                {
                    if self.recursive {
                        self.pair(&old_path, &new_path, true)
                    } else {
                        writeln!(self.out, "Common subdirectories: {} and {}", old_path.display(), new_path.display())?;
                        0
                    }
                }
                (Some(a), Some(b)) if a.is_dir() != b.is_dir() => {
                    let kind = |metadata: &Metadata| if metadata.is_dir() { "directory" } else { "regular file" };
                    writeln!(
                        self.out,
                        "File {} is a {} while file {} is a {}",
                        old_path.display(),
                        kind(a),
                        new_path.display(),
                        kind(b)
                    )?;
                    1
                }
                _ => self.pair(&old_path, &new_path, true),
            };
            status = status.max(status_here);
        }
        Ok(status)
    }

    /// Compares what two paths name: the status.
    fn pair(&mut self, old: &Path, new: &Path, announce: bool) -> u8 {
        let look = |path: &Path| {
            if path == Path::new("-") { fs::metadata("/dev/stdin") } else { fs::metadata(path) }
        };
        let (old_metadata, new_metadata) = (look(old), look(new));
        for (path, metadata, other) in [(old, &old_metadata, &new_metadata), (new, &new_metadata, &old_metadata)] {
            if let Err(err) = metadata {
                let absent_is_empty = self.new_file && err.kind() == io::ErrorKind::NotFound && other.is_ok();
                if !absent_is_empty {
                    report_error(PROGRAM, path.display(), err);
                    return 2;
                }
            }
        }
        let (old_metadata, new_metadata) = (old_metadata.ok(), new_metadata.ok());
        // With -N an absent file is the kind of the other (an empty directory, say).
        let is_dir = |metadata: &Option<Metadata>, other: &Option<Metadata>| {
            metadata.as_ref().or(other.as_ref()).is_some_and(Metadata::is_dir)
        };
        let result = match (is_dir(&old_metadata, &new_metadata), is_dir(&new_metadata, &old_metadata)) {
            (true, true) => self.directories(old, new),
            (old_is_dir, new_is_dir) if old_is_dir || new_is_dir => {
                let (directory, file) = if old_is_dir { (old, new) } else { (new, old) };
                let inside = child(directory, &file.file_name().map(OsStr::to_os_string).unwrap_or_default());
                let (old, new) = if old_is_dir { (inside, new.to_path_buf()) } else { (old.to_path_buf(), inside) };
                return self.pair(&old, &new, announce);
            }
            _ => self
                .files(
                    &Side { path: old, metadata: old_metadata },
                    &Side { path: new, metadata: new_metadata },
                    announce,
                )
                .map(u8::from),
        };
        match result {
            Ok(status) => status,
            Err(err) => {
                report_error(PROGRAM, format_args!("{} {}", old.display(), new.display()), &err);
                2
            }
        }
    }
}

/// The options among `args` (all but the operands), as ` -u -r` for the lines that
/// name each pair of files.
fn switches(args: &[OsString], operands: &[OsString]) -> String {
    let mut rest: Vec<&OsString> = args.iter().collect();
    for operand in operands.iter().rev() {
        if let Some(at) = rest.iter().rposition(|arg| *arg == operand) {
            rest.remove(at);
        }
    }
    rest.iter().filter(|arg| **arg != "--").map(|arg| format!(" {}", arg.to_string_lossy())).collect()
}

/// GNU diff's complaint about its command line (its `Try` line has the program's
/// name too); status 2.
fn usage_error(message: impl std::fmt::Display) -> u8 {
    report(PROGRAM, message);
    report(PROGRAM, "Try 'diff --help' for more information.");
    2
}

fn context_lines(value: Option<&OsStr>) -> Result<usize, u8> {
    match value {
        None => Ok(3),
        Some(text) => text
            .to_str()
            .and_then(|text| text.parse().ok())
            .ok_or_else(|| usage_error(format_args!("invalid context length '{}'", text.display()))),
    }
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match ulib::args::parse_spec(args.clone(), &SPEC) {
        Ok(command_line) => command_line,
        Err(ArgError::Help) => return cli::parse(PROGRAM, args, &SPEC).err().unwrap_or(0),
        Err(err) => return usage_error(err),
    };
    let format = match command_line.last_of("cCuUq") {
        _ if command_line.has('q') => Format::Brief,
        Some('u') => Format::Unified(3),
        Some('U') => match context_lines(command_line.value('U')) {
            Ok(lines) => Format::Unified(lines),
            Err(status) => return status,
        },
        Some('c') => Format::Context(3),
        Some('C') => match context_lines(command_line.value('C')) {
            Ok(lines) => Format::Context(lines),
            Err(status) => return status,
        },
        _ => Format::Normal,
    };
    let (old, new) = match &command_line.operands[..] {
        [old, new] => (PathBuf::from(old), PathBuf::from(new)),
        [] => return usage_error("missing operand after 'diff'"),
        [only] => return usage_error(format_args!("missing operand after {}", quoted(only.display()))),
        [_, _, extra, ..] => return usage_error(format_args!("extra operand {}", quoted(extra.display()))),
    };
    let mut diff = Diff {
        format,
        compare: Compare {
            ignore_case: command_line.has('i'),
            ignore_space_change: command_line.has('b'),
            ignore_all_space: command_line.has('w'),
        },
        recursive: command_line.has('r'),
        new_file: command_line.has('N'),
        switches: switches(&args, &command_line.operands),
        out: cli::stdout(),
    };
    let status = diff.pair(&old, &new, false);
    cli::finish(PROGRAM, diff.out, Ok(status))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::words;

    #[test]
    fn switches_as_given() {
        assert_eq!(switches(&words("-u -r a b"), &words("a b")), " -u -r");
        assert_eq!(switches(&words("-U 5 a -r b"), &words("a b")), " -U 5 -r");
        assert_eq!(switches(&words("a b"), &words("a b")), "");
    }

    #[test]
    fn stamps_in_gnu_form() {
        let absent = Side { path: Path::new("x"), metadata: None };
        assert_eq!(stamp(&absent, Format::Unified(3)), "1970-01-01 00:00:00.000000000 +0000");
        assert_eq!(stamp(&absent, Format::Context(3)), "Thu Jan  1 00:00:00 1970");
        let metadata = fs::metadata("/").ok();
        let root = Side { path: Path::new("/"), metadata };
        let unified = stamp(&root, Format::Unified(3));
        assert!(unified.ends_with(" +0000") && unified.len() == 35, "{unified}");
    }
}
