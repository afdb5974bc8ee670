//! `cmp [-bls] [-i SKIP1[:SKIP2]] [-n LIMIT] FILE1 [FILE2 [SKIP1 [SKIP2]]]`: compares
//! two files byte by byte as GNU diffutils' cmp does: the first difference
//! (`a b differ: byte 3, line 1`), every one with `-l`, or only the status with
//! `-s`; 0 the same, 1 different, 2 trouble.
use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::{self, BufRead, Write};

use ulib::args::Spec;
use ulib::diag::{quoted, report, report_error};

use crate::cli;
use crate::input;

const PROGRAM: &str = "cmp";

pub const USAGE: &str = "Usage: cmp [OPTION]... FILE1 [FILE2 [SKIP1 [SKIP2]]]
Compare two files byte by byte (standard input for - or a missing FILE2).
SKIP1 and SKIP2 are the numbers of bytes to skip in each file.
  -b, --print-bytes          print differing bytes
  -i, --ignore-initial=SKIP  skip the first SKIP bytes of both inputs
  -i, --ignore-initial=SKIP1:SKIP2  skip SKIP1 bytes of FILE1, SKIP2 of FILE2
  -l, --verbose              output byte numbers and differing byte values
  -n, --bytes=LIMIT          compare at most LIMIT bytes
  -s, --quiet, --silent      suppress all normal output
Exit status is 0 if inputs are the same, 1 if different, 2 if trouble.";

const SPEC: Spec = Spec {
    flags: "bls",
    valued: "in",
    long: &["print-bytes", "verbose", "quiet", "silent", "bytes", "ignore-initial"],
    ..Spec::NONE
};

/// What to say about differences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Report {
    First,
    All,
    Silent,
}

/// How two inputs compared.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Same,
    /// They differ first at `byte` (counted from 1), in line `line`, with these bytes.
    Differ {
        byte: u64,
        line: u64,
        bytes: (u8, u8),
    },
    /// One input (0 or 1) ended after `bytes` bytes that matched, with `newlines`
    /// newlines among them, the last of them one when `at_line_end`.
    Eof {
        which: usize,
        bytes: u64,
        newlines: u64,
        at_line_end: bool,
    },
}

/// A byte as `-b` shows it: `c`, `^A`, `^?`, `M-x`, `M-^?`.
fn shown_byte(byte: u8) -> String {
    let (meta, byte) = if byte >= 0x80 { ("M-", byte - 0x80) } else { ("", byte) };
    let base = match byte {
        0x7f => "^?".to_owned(),
        0..0x20 => format!("^{}", char::from(byte + 0x40)),
        _ => char::from(byte).to_string(),
    };
    format!("{meta}{base}")
}

/// Compares `readers` up to `limit` bytes; with `Report::All`, writes a line for
/// each differing byte to `out` (the byte number `width` wide).
fn compare(
    readers: [&mut dyn BufRead; 2],
    limit: u64,
    report: Report,
    print_bytes: bool,
    width: usize,
    out: &mut impl Write,
) -> Result<Outcome, (usize, io::Error)> {
    let [first, second] = readers;
    let (mut offset, mut newlines, mut at_line_end) = (0u64, 0u64, false);
    let mut differed = false;
    while offset < limit {
        let a = first.fill_buf().map_err(|err| (0, err))?;
        let b = second.fill_buf().map_err(|err| (1, err))?;
        let length = a.len().min(b.len()).min(usize::try_from(limit - offset).unwrap_or(usize::MAX));
        if length == 0 {
            if a.len() == b.len() {
                break;
            }
            let which = usize::from(!a.is_empty());
            return Ok(Outcome::Eof { which, bytes: offset, newlines, at_line_end });
        }
        for index in 0..length {
            let (x, y) = (a[index], b[index]);
            if x != y {
                let byte = offset + index as u64 + 1;
                match report {
                    Report::All => {
                        differed = true;
                        let line = if print_bytes {
                            format!("{byte:>width$} {x:3o} {:<4} {y:3o} {}\n", shown_byte(x), shown_byte(y))
                        } else {
                            format!("{byte:>width$} {x:3o} {y:3o}\n")
                        };
                        out.write_all(line.as_bytes()).map_err(|err| (2, err))?;
                    }
                    Report::First | Report::Silent => {
                        let before = a[..index].iter().filter(|&&byte| byte == b'\n').count() as u64;
                        return Ok(Outcome::Differ { byte, line: newlines + before + 1, bytes: (x, y) });
                    }
                }
            }
        }
        newlines += a[..length].iter().filter(|&&byte| byte == b'\n').count() as u64;
        at_line_end = a[length - 1] == b'\n';
        offset += length as u64;
        first.consume(length);
        second.consume(length);
    }
    // With -l the first difference is not returned, only its having been.
    Ok(if differed { Outcome::Differ { byte: 0, line: 0, bytes: (0, 0) } } else { Outcome::Same })
}

/// A byte count as cmp reads it: digits with an optional suffix (`k`, `K`, `KiB`,
/// `kB`, `M`, ...), as `input::parse_count`.
fn count(text: &OsStr) -> Option<u64> {
    input::parse_count(text.to_str()?)
}

/// A usage error worded as diffutils words it; 2.
fn usage_error(message: impl std::fmt::Display) -> u8 {
    report(PROGRAM, message);
    report(PROGRAM, "Try 'cmp --help' for more information.");
    2
}

/// Skips `skip` bytes of `reader`.
fn skip(reader: &mut dyn BufRead, mut skip: u64) -> io::Result<()> {
    while skip > 0 {
        let available = reader.fill_buf()?.len();
        if available == 0 {
            break;
        }
        let length = available.min(usize::try_from(skip).unwrap_or(usize::MAX));
        reader.consume(length);
        skip -= length as u64;
    }
    Ok(())
}

/// The skips of `-i SKIP` or `-i SKIP1:SKIP2`.
fn ignore_initial(text: &OsStr) -> Option<[u64; 2]> {
    let text = text.to_str()?;
    match text.split_once(':') {
        Some((first, second)) => Some([input::parse_count(first)?, input::parse_count(second)?]),
        None => input::parse_count(text).map(|skip| [skip, skip]),
    }
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match ulib::args::parse_spec(args, &SPEC) {
        Ok(command_line) => command_line,
        Err(ulib::args::ArgError::Help) => return cli::help(PROGRAM),
        Err(err) => return usage_error(err),
    };
    let long_value = |name: &str| command_line.long(name).flatten();
    let mut skips = [0u64; 2];
    if let Some(text) = long_value("ignore-initial").or_else(|| command_line.value('i')) {
        match ignore_initial(text) {
            Some(given) => skips = given,
            None => return usage_error(format_args!("invalid --ignore-initial value {}", quoted(text.display()))),
        }
    }
    let mut limit = u64::MAX;
    if let Some(text) = long_value("bytes").or_else(|| command_line.value('n')) {
        match count(text) {
            Some(given) => limit = given,
            None => return usage_error(format_args!("invalid --bytes value {}", quoted(text.display()))),
        }
    }
    let report_kind =
        if command_line.has('s') || command_line.long("quiet").is_some() || command_line.long("silent").is_some() {
            Report::Silent
        } else if command_line.has('l') || command_line.long("verbose").is_some() {
            Report::All
        } else {
            Report::First
        };
    let print_bytes = command_line.has('b') || command_line.long("print-bytes").is_some();
    let mut operands = command_line.operands.into_iter();
    let Some(first) = operands.next() else {
        return usage_error("missing operand after 'cmp'");
    };
    let second = operands.next().unwrap_or_else(|| "-".into());
    for (index, text) in operands.by_ref().take(2).enumerate() {
        match count(&text) {
            Some(given) => skips[index] = given,
            None => return usage_error(format_args!("invalid --ignore-initial value {}", quoted(text.display()))),
        }
    }
    if let Some(extra) = operands.next() {
        return usage_error(format_args!("extra operand {}", quoted(extra.display())));
    }
    let names = [first, second];
    let open = |index: usize| {
        let name = &names[index];
        let opened = input::open(name).and_then(|mut reader| skip(&mut *reader, skips[index]).map(|()| reader));
        opened.map_err(|err| report_error(PROGRAM, input::shown(name), &err))
    };
    let Ok(mut a) = open(0) else { return 2 };
    let Ok(mut b) = open(1) else { return 2 };
    // The widest byte number -l may print: that of the smaller regular file's size.
    let mut largest = limit.min(i64::MAX as u64);
    for (name, skipped) in names.iter().zip(skips) {
        if name != "-"
            && let Ok(metadata) = fs::metadata(name)
            && metadata.is_file()
        {
            largest = largest.min(metadata.len().saturating_sub(skipped));
        }
    }
    let width = largest.max(1).to_string().len();
    let mut out = cli::stdout();
    let outcome = compare([&mut *a, &mut *b], limit, report_kind, print_bytes, width, &mut out);
    let shown = |index: usize| names[index].to_string_lossy().into_owned();
    let status = match outcome {
        Ok(Outcome::Same) => Ok(0),
        Ok(Outcome::Differ { byte, line, bytes: (x, y) }) => {
            if report_kind == Report::First {
                let mut message = format!("{} {} differ: byte {byte}, line {line}", shown(0), shown(1));
                if print_bytes {
                    message.push_str(&format!(" is {x:3o} {} {y:3o} {}", shown_byte(x), shown_byte(y)));
                }
                writeln!(out, "{message}").map(|()| 1)
            } else {
                Ok(1)
            }
        }
        Ok(Outcome::Eof { which, bytes, newlines, at_line_end }) => {
            if report_kind != Report::Silent {
                // What went before must be out before the message on stderr.
                if let Err(err) = out.flush() {
                    return cli::write_failed(PROGRAM, &err);
                }
                let place = match (bytes, report_kind) {
                    (0, _) => "which is empty".to_owned(),
                    (_, Report::All) => format!("after byte {bytes}"),
                    _ if at_line_end => format!("after byte {bytes}, line {newlines}"),
                    _ => format!("after byte {bytes}, in line {}", newlines + 1),
                };
                report(PROGRAM, format_args!("EOF on {} {place}", shown(which)));
            }
            Ok(1)
        }
        Err((2, err)) => Err(err),
        Err((which, err)) => {
            report_error(PROGRAM, input::shown(&names[which]), &err);
            Ok(2)
        }
    };
    cli::finish(PROGRAM, out, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(a: &[u8], b: &[u8], limit: u64, report: Report) -> (Outcome, String) {
        let mut out = Vec::new();
        let outcome = compare([&mut &a[..], &mut &b[..]], limit, report, false, 2, &mut out).ok().unwrap();
        (outcome, String::from_utf8(out).unwrap())
    }

    #[test]
    fn first_difference() {
        let (found, _) = outcome(b"ab\ncdef", b"ab\ncdxf", u64::MAX, Report::First);
        assert_eq!(found, Outcome::Differ { byte: 6, line: 2, bytes: (b'e', b'x') });
        assert_eq!(outcome(b"same", b"same", u64::MAX, Report::First).0, Outcome::Same);
        assert_eq!(outcome(b"abcX", b"abcY", 3, Report::First).0, Outcome::Same);
    }

    #[test]
    fn end_of_file() {
        let eof = |which, bytes, newlines, at_line_end| Outcome::Eof { which, bytes, newlines, at_line_end };
        assert_eq!(outcome(b"a\n", b"a\nb", u64::MAX, Report::First).0, eof(0, 2, 1, true));
        assert_eq!(outcome(b"abc", b"ab", u64::MAX, Report::First).0, eof(1, 2, 0, false));
        assert_eq!(outcome(b"", b"x", u64::MAX, Report::First).0, eof(0, 0, 0, false));
    }

    #[test]
    fn every_difference() {
        let (found, lines) = outcome(b"abcdef", b"aXcdeY", u64::MAX, Report::All);
        assert!(matches!(found, Outcome::Differ { .. }));
        assert_eq!(lines, " 2 142 130\n 6 146 131\n");
    }

    #[test]
    fn bytes_shown() {
        assert_eq!(shown_byte(b'c'), "c");
        assert_eq!(shown_byte(1), "^A");
        assert_eq!(shown_byte(0x7f), "^?");
        assert_eq!(shown_byte(0xff), "M-^?");
        assert_eq!(shown_byte(0xe9), "M-i");
    }

    #[test]
    fn skips() {
        assert_eq!(ignore_initial(OsStr::new("3")), Some([3, 3]));
        assert_eq!(ignore_initial(OsStr::new("1:2k")), Some([1, 2048]));
        assert_eq!(ignore_initial(OsStr::new("x")), None);
    }
}
