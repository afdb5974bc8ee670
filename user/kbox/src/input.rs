//! Reading the inputs that operands name, `-` (or none) being standard input, with
//! their read failures reported; the plain read/write copy loop; and what head and
//! tail share: their command line, counts and `==> name <==` headers.
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, StdoutLock, Write};
use std::path::Path;

use ulib::args::{CommandLine, Spec};
use ulib::diag::{quoted, report, report_error};

use crate::cli;

/// The operands, or `-` (standard input) when there are none.
pub fn operands_or_stdin(operands: Vec<OsString>) -> Vec<OsString> {
    if operands.is_empty() { vec!["-".into()] } else { operands }
}

/// Opens an operand for reading: standard input for `-`, else the file.
pub fn open(operand: &OsStr) -> io::Result<Box<dyn BufRead>> {
    if operand == "-" {
        Ok(Box::new(io::stdin().lock()))
    } else {
        Ok(Box::new(BufReader::with_capacity(64 * 1024, File::open(operand)?)))
    }
}

/// An operand as messages name it: `cat: 'a b': No such file or directory`.
pub fn shown(operand: &OsStr) -> String {
    ulib::diag::quoted_if_needed(Path::new(operand).display())
}

/// Which side of a copy failed.
#[derive(Debug)]
pub enum CopyError {
    Read(io::Error),
    Write(io::Error),
}

/// Copies `reader` to `writer` through one buffer (plain read and write calls).
pub fn copy(reader: &mut (impl Read + ?Sized), writer: &mut (impl Write + ?Sized)) -> Result<u64, CopyError> {
    let mut buffer = vec![0; 64 * 1024];
    let mut total = 0;
    loop {
        let length = match reader.read(&mut buffer) {
            Ok(0) => return Ok(total),
            Ok(length) => length,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(CopyError::Read(err)),
        };
        writer.write_all(&buffer[..length]).map_err(CopyError::Write)?;
        total += length as u64;
    }
}

/// The status of reading `operand` through `result`: 0, or `failed` once a read
/// failure is reported (`cat: name: error`); a write failure is passed on.
pub fn read_status(program: &str, operand: &OsStr, result: Result<(), CopyError>, failed: u8) -> io::Result<u8> {
    match result {
        Ok(()) => Ok(0),
        Err(CopyError::Read(err)) => {
            report_error(program, shown(operand), &err);
            Ok(failed)
        }
        Err(CopyError::Write(err)) => Err(err),
    }
}

/// Runs `process` on each operand's input in turn, as cat does: an input that cannot
/// be opened or read is reported and the status becomes 1; a failing output ends it
/// all with the error.
pub fn each_operand(
    program: &str,
    operands: Vec<OsString>,
    mut process: impl FnMut(&mut dyn BufRead) -> Result<(), CopyError>,
) -> io::Result<u8> {
    let mut status = 0;
    for operand in operands_or_stdin(operands) {
        let result = open(&operand).map_err(CopyError::Read).and_then(|mut reader| process(&mut *reader));
        status = status.max(read_status(program, &operand, result, 1)?);
    }
    Ok(status)
}

/// `==> name <==` before each input when there are several (or `-v`), with a blank
/// line between them, as head and tail write them.
#[derive(Debug)]
pub struct Headers {
    shown: bool,
    written: usize,
}

impl Headers {
    /// Headers for `inputs` inputs: by default when there are several; `-q` never,
    /// `-v` always (the later of the two wins).
    pub fn new(inputs: usize, quiet_or_verbose: Option<char>) -> Self {
        let shown = match quiet_or_verbose {
            Some('q') => false,
            Some('v') => true,
            _ => inputs > 1,
        };
        Self { shown, written: 0 }
    }

    pub fn write(&mut self, out: &mut impl Write, operand: &OsStr) -> io::Result<()> {
        if !self.shown {
            return Ok(());
        }
        if self.written > 0 {
            out.write_all(b"\n")?;
        }
        self.written += 1;
        let name = if operand == "-" { "standard input".into() } else { Path::new(operand).display().to_string() };
        writeln!(out, "==> {name} <==")
    }
}

/// The command line of head and tail.
const HEAD_TAIL_SPEC: Spec = Spec { flags: "qv", valued: "nc", ..Spec::NONE };

/// Rewrites head's and tail's old `head -5 file` as `head -n 5 file`.
pub fn obsolete_count(mut args: Vec<OsString>) -> Vec<OsString> {
    let count = args.first().and_then(|arg| arg.to_str()).and_then(|arg| arg.strip_prefix('-')).map(str::to_owned);
    if let Some(count) = count.filter(|count| !count.is_empty() && count.bytes().all(|byte| byte.is_ascii_digit())) {
        args.splice(0..1, ["-n".into(), count.into()]);
    }
    args
}

/// head and tail: the command line (`-n`/`-c` with a count that `amount(TEXT, bytes)`
/// reads, `default` without; `-q`/`-v`), then `process` on each input with the amount.
pub fn head_or_tail<T: Copy>(
    program: &str,
    args: Vec<OsString>,
    default: T,
    amount: impl Fn(&str, bool) -> Option<T>,
    process: impl Fn(&mut dyn BufRead, &mut BufWriter<StdoutLock<'static>>, T) -> Result<(), CopyError>,
) -> u8 {
    let command_line = match cli::parse(program, obsolete_count(args), &HEAD_TAIL_SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let amount = match count_option(program, &command_line, default, amount) {
        Ok(amount) => amount,
        Err(status) => return status,
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let headers = command_line.last_of("qv");
    let status =
        each_input(program, command_line.operands, headers, &mut out, |reader, out| process(reader, out, amount));
    cli::finish(program, out, status)
}

/// Runs `process` on each operand's input in turn, after its header, for head and
/// tail: an input that cannot be opened or read is reported (GNU's words) and the
/// status becomes 1; a failing output ends it all with the error.
pub fn each_input<W: Write>(
    program: &str,
    operands: Vec<OsString>,
    quiet_or_verbose: Option<char>,
    out: &mut W,
    mut process: impl FnMut(&mut dyn BufRead, &mut W) -> Result<(), CopyError>,
) -> io::Result<u8> {
    let operands = operands_or_stdin(operands);
    let mut headers = Headers::new(operands.len(), quiet_or_verbose);
    let mut status = 0;
    for operand in operands {
        let name = || quoted(Path::new(&operand).display());
        let mut reader = match open(&operand) {
            Ok(reader) => reader,
            Err(err) => {
                report_error(program, format_args!("cannot open {} for reading", name()), &err);
                status = 1;
                continue;
            }
        };
        headers.write(out, &operand)?;
        match process(&mut *reader, out) {
            Ok(()) => {}
            Err(CopyError::Read(err)) => {
                report_error(program, format_args!("error reading {}", name()), &err);
                status = 1;
            }
            Err(CopyError::Write(err)) => return Err(err),
        }
    }
    Ok(status)
}

/// Where the last `count` lines of `data` start (a last line may lack its newline).
pub fn last_lines_start(data: &[u8], count: u64) -> usize {
    if count == 0 {
        return data.len();
    }
    let search_end = data.len() - usize::from(data.last() == Some(&b'\n'));
    let mut newlines = data[..search_end].iter().enumerate().rev().filter(|&(_, &byte)| byte == b'\n');
    match newlines.nth((count - 1) as usize) {
        Some((position, _)) => position + 1,
        None => 0,
    }
}

/// Where the last `count` bytes, or lines, of `data` start.
pub fn last_start(data: &[u8], bytes: bool, count: u64) -> usize {
    if bytes {
        data.len().saturating_sub(usize::try_from(count).unwrap_or(usize::MAX))
    } else {
        last_lines_start(data, count)
    }
}

/// Reads all of `reader`, as a copy error if it fails.
pub fn read_all(reader: &mut dyn BufRead) -> Result<Vec<u8>, CopyError> {
    let mut data = Vec::new();
    reader.read_to_end(&mut data).map_err(CopyError::Read)?;
    Ok(data)
}

/// The amount that head's and tail's last `-n TEXT` or `-c TEXT` asks for, read by
/// `parse(TEXT, bytes)`; `default` without either. An invalid one is reported, and
/// `Err` is the status to exit with.
pub fn count_option<T>(
    program: &str,
    command_line: &CommandLine,
    default: T,
    parse: impl Fn(&str, bool) -> Option<T>,
) -> Result<T, u8> {
    let Some(flag) = command_line.last_of("nc") else { return Ok(default) };
    let text = command_line.value(flag).unwrap_or_default().to_string_lossy();
    parse(&text, flag == 'c').ok_or_else(|| {
        let what = if flag == 'c' { "bytes" } else { "lines" };
        report(program, format_args!("invalid number of {what}: {}", quoted(&text)));
        1
    })
}

/// A count such as head's and tail's `-n 5`: digits with an optional multiplier
/// suffix (`b` 512, `K`/`k` 1024, `M`, `G`, `KB` 1000, `MB`, `GB`).
pub fn parse_count(text: &str) -> Option<u64> {
    let split = text.find(|char: char| !char.is_ascii_digit()).unwrap_or(text.len());
    let (digits, suffix) = text.split_at(split);
    let multiplier: u64 = match suffix {
        "" => 1,
        "b" => 512,
        "K" | "k" | "KiB" => 1 << 10,
        "M" | "MiB" => 1 << 20,
        "G" | "GiB" => 1 << 30,
        "KB" | "kB" => 1000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        _ => return None,
    };
    digits.parse::<u64>().ok()?.checked_mul(multiplier)
}

/// head's and tail's count, `[+|-]NUM`: whether it starts with `sign`, which asks for
/// the other way of counting (head's `-N`: all but the last N; tail's `+N`: from the
/// Nth on), and the number; the other sign changes nothing.
pub fn signed_count(text: &str, sign: char) -> Option<(bool, u64)> {
    let (signed, digits) = match text.strip_prefix(sign) {
        Some(digits) => (true, digits),
        None => (false, text.strip_prefix(['+', '-']).unwrap_or(text)),
    };
    Some((signed, parse_count(digits)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::words;

    #[test]
    fn no_operands_is_stdin() {
        assert_eq!(operands_or_stdin(Vec::new()), ["-"]);
        assert_eq!(operands_or_stdin(vec!["a".into()]), ["a"]);
    }

    #[test]
    fn copies_everything() {
        let data: Vec<u8> = (0..200_000u32).map(|n| n as u8).collect();
        let mut output = Vec::new();
        assert_eq!(copy(&mut data.as_slice(), &mut output).unwrap(), 200_000);
        assert_eq!(output, data);
    }

    #[test]
    fn read_and_write_failures_are_told_apart() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::from_raw_os_error(libc::EISDIR))
            }
        }
        assert!(matches!(copy(&mut Broken, &mut Vec::new()), Err(CopyError::Read(_))));
        let mut full = [0u8; 4];
        let mut writer = &mut full[..];
        assert!(matches!(copy(&mut &b"too long for four bytes"[..], &mut writer), Err(CopyError::Write(_))));
    }

    #[test]
    fn headers_between_inputs() {
        let mut out = Vec::new();
        let mut headers = Headers::new(2, None);
        headers.write(&mut out, OsStr::new("a")).unwrap();
        out.extend_from_slice(b"x\n");
        headers.write(&mut out, OsStr::new("-")).unwrap();
        assert_eq!(out, b"==> a <==\nx\n\n==> standard input <==\n");
        let mut out = Vec::new();
        Headers::new(2, Some('q')).write(&mut out, OsStr::new("a")).unwrap();
        Headers::new(1, None).write(&mut out, OsStr::new("a")).unwrap();
        assert!(out.is_empty());
        Headers::new(1, Some('v')).write(&mut out, OsStr::new("a")).unwrap();
        assert_eq!(out, b"==> a <==\n");
    }

    #[test]
    fn where_the_last_lines_start() {
        assert_eq!(last_lines_start(b"a\nb\nc\n", 2), 2);
        assert_eq!(last_lines_start(b"a\nb\nc", 2), 2);
        assert_eq!(last_lines_start(b"a\nb\nc\n", 3), 0);
        assert_eq!(last_lines_start(b"a\nb\nc\n", 9), 0);
        assert_eq!(last_lines_start(b"a\nb\n", 0), 4);
        assert_eq!(last_lines_start(b"", 1), 0);
        assert_eq!(last_lines_start(b"\n\n", 1), 1);
    }

    #[test]
    fn counts_with_suffixes() {
        assert_eq!(parse_count("10"), Some(10));
        assert_eq!(parse_count("2K"), Some(2048));
        assert_eq!(parse_count("1b"), Some(512));
        assert_eq!(parse_count("3kB"), Some(3000));
        assert_eq!(parse_count("x"), None);
        assert_eq!(parse_count("5x"), None);
        assert_eq!(parse_count(""), None);
    }

    #[test]
    fn signed_counts() {
        assert_eq!(signed_count("-5", '-'), Some((true, 5)));
        assert_eq!(signed_count("+5", '-'), Some((false, 5)));
        assert_eq!(signed_count("5", '+'), Some((false, 5)));
        assert_eq!(signed_count("+1K", '+'), Some((true, 1024)));
        assert_eq!(signed_count("--1", '-'), None);
        assert_eq!(signed_count("+-1", '+'), None);
        assert_eq!(signed_count("-+1", '-'), None);
    }

    #[test]
    fn where_the_last_bytes_start() {
        assert_eq!(last_start(b"a\nb\nc\n", true, 2), 4);
        assert_eq!(last_start(b"a\nb\nc\n", true, 9), 0);
        assert_eq!(last_start(b"a\nb\nc\n", false, 2), 2);
    }

    #[test]
    fn the_obsolete_form() {
        assert_eq!(obsolete_count(words("-5 file")), words("-n 5 file"));
        assert_eq!(obsolete_count(words("-q -5")), words("-q -5"));
        assert_eq!(obsolete_count(words("-n5")), words("-n5"));
    }

    #[test]
    fn names_in_messages() {
        assert_eq!(shown(OsStr::new("nosuch")), "nosuch");
        assert_eq!(shown(OsStr::new("a b")), "'a b'");
    }
}
