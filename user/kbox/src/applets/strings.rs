//! `strings [-afw] [-n N] [-t d|o|x] [-o] [FILE]...`: prints the runs of at least N
//! (4) printable characters in files (the whole file, as binutils' default `-a`),
//! each on its line, optionally after its offset or the file's name.
use std::ffi::OsString;
use std::fs;
use std::io::{self, BufRead, Write};

use ulib::args::Spec;
use ulib::diag::{error_text, quoted, report};

use crate::cli;
use crate::input;

const PROGRAM: &str = "strings";

pub const USAGE: &str = "Usage: strings [option(s)] [file(s)]
 Display printable strings in [file(s)] (stdin by default)
 The options are:
  -a - --all                Scan the entire file [default]
  -f --print-file-name      Print the name of the file before each string
  -n <number>               Locate & print any sequence of at least <number>
    --bytes=<number>         displayable characters.  (The default is 4).
  -t --radix={o,d,x}        Print the location of the string in base 8, 10 or 16
  -w --include-all-whitespace Include all whitespace as valid string characters
  -o                        An alias for --radix=o
  -<number>                 The same as -n <number>";

const SPEC: Spec = Spec {
    flags: "afow",
    valued: "nt",
    long: &["all", "print-file-name", "bytes", "radix", "include-all-whitespace"],
    ..Spec::NONE
};

/// What to print and how.
#[derive(Debug, Clone, Copy)]
struct Options {
    minimum: usize,
    radix: Option<char>,
    whitespace: bool,
}

impl Options {
    fn printable(&self, byte: u8) -> bool {
        (0x20..0x7f).contains(&byte) || byte == b'\t' || self.whitespace && matches!(byte, b'\n' | b'\r' | 0x0b | 0x0c)
    }
}

/// Writes the strings of `reader` to `out`, each after `prefix` (`FILE: `) and its
/// offset when asked.
fn scan(
    reader: &mut dyn BufRead,
    options: Options,
    prefix: &[u8],
    out: &mut impl Write,
) -> Result<(), input::CopyError> {
    let mut run = Vec::new();
    let mut offset = 0u64;
    let mut emit = |run: &mut Vec<u8>, end: u64| -> io::Result<()> {
        if run.len() >= options.minimum {
            out.write_all(prefix)?;
            let start = end - run.len() as u64;
            match options.radix {
                Some('o') => write!(out, "{start:7o} ")?,
                Some('x') => write!(out, "{start:7x} ")?,
                Some(_) => write!(out, "{start:7} ")?,
                None => {}
            }
            out.write_all(run)?;
            out.write_all(b"\n")?;
        }
        run.clear();
        Ok(())
    };
    loop {
        let chunk = reader.fill_buf().map_err(input::CopyError::Read)?;
        if chunk.is_empty() {
            return emit(&mut run, offset).map_err(input::CopyError::Write);
        }
        let length = chunk.len();
        for &byte in chunk {
            if options.printable(byte) {
                run.push(byte);
            } else if !run.is_empty() {
                emit(&mut run, offset).map_err(input::CopyError::Write)?;
            }
            offset += 1;
        }
        reader.consume(length);
    }
}

/// Rewrites the old `-12` as `-n 12`, wherever it is before `--`.
fn lengths_as_options(args: Vec<OsString>) -> Vec<OsString> {
    let mut rewritten = Vec::with_capacity(args.len());
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--" {
            rewritten.push(arg);
            rewritten.extend(args.by_ref());
            break;
        }
        match arg.to_str().and_then(|text| text.strip_prefix('-')) {
            Some(digits) if !digits.is_empty() && digits.bytes().all(|byte| byte.is_ascii_digit()) => {
                rewritten.extend(["-n".into(), digits.into()]);
            }
            _ => rewritten.push(arg),
        }
    }
    rewritten
}

/// A bad command line: the message and then the usage on stderr, as binutils does; 1.
fn usage_error(message: impl std::fmt::Display) -> u8 {
    report(PROGRAM, message);
    let _ = writeln!(io::stderr(), "{USAGE}");
    1
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match ulib::args::parse_spec(lengths_as_options(args), &SPEC) {
        Ok(command_line) => command_line,
        Err(ulib::args::ArgError::Help) => return cli::help(PROGRAM),
        Err(err) => return usage_error(err),
    };
    let length_text = command_line
        .long("bytes")
        .flatten()
        .or_else(|| command_line.value('n'))
        .map(|text| text.to_string_lossy().into_owned());
    let minimum = match length_text {
        None => 4,
        Some(text) => match text.parse::<i64>() {
            Ok(minimum) if minimum > 0 => minimum as usize,
            Err(_) => {
                report(PROGRAM, format_args!("invalid integer argument {text}"));
                return 1;
            }
            Ok(_) => {
                report(PROGRAM, format_args!("invalid minimum string length {text}"));
                return 1;
            }
        },
    };
    let radix = match command_line.long("radix").flatten().or_else(|| command_line.value('t')) {
        Some(text) => match text.to_str() {
            Some(letter @ ("d" | "o" | "x")) => letter.chars().next(),
            _ => return usage_error("invalid radix"),
        },
        None => command_line.has('o').then_some('o'),
    };
    let options = Options {
        minimum,
        radix,
        whitespace: command_line.has('w') || command_line.long("include-all-whitespace").is_some(),
    };
    let names = command_line.has('f') || command_line.long("print-file-name").is_some();
    let mut out = cli::stdout();
    let mut status = 0;
    for operand in input::operands_or_stdin(command_line.operands) {
        let shown = if operand == "-" { "{standard input}".to_owned() } else { operand.to_string_lossy().into_owned() };
        if operand != "-" {
            match fs::metadata(&operand) {
                Err(err) => {
                    let text = if err.kind() == io::ErrorKind::NotFound {
                        "No such file".to_owned()
                    } else {
                        error_text(&err)
                    };
                    report(PROGRAM, format_args!("{}: {text}", quoted(&shown)));
                    status = 1;
                    continue;
                }
                Ok(metadata) if metadata.is_dir() => {
                    report(PROGRAM, format_args!("Warning: {} is a directory", quoted(&shown)));
                    status = 1;
                    continue;
                }
                Ok(_) => {}
            }
        }
        let prefix = if names { format!("{shown}: ").into_bytes() } else { Vec::new() };
        let result = input::open(&operand)
            .map_err(input::CopyError::Read)
            .and_then(|mut reader| scan(&mut *reader, options, &prefix, &mut out));
        match result {
            Ok(()) => {}
            Err(input::CopyError::Read(err)) => {
                report(PROGRAM, format_args!("{}: {}", quoted(&shown), error_text(&err)));
                status = 1;
            }
            Err(input::CopyError::Write(err)) => return cli::write_failed(PROGRAM, &err),
        }
    }
    cli::finish(PROGRAM, out, Ok(status))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(data: &[u8], minimum: usize, radix: Option<char>, whitespace: bool) -> String {
        let mut out = Vec::new();
        scan(&mut &data[..], Options { minimum, radix, whitespace }, b"", &mut out).ok().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn old_length_options() {
        assert_eq!(lengths_as_options(cli::words("-3 a -t x -- -5")), cli::words("-n 3 a -t x -- -5"));
    }

    #[test]
    fn runs_of_printable_bytes() {
        let data = b"ab\0hello world\tx\x01\x02longer\nline\xffabcd";
        assert_eq!(strings(data, 4, None, false), "hello world\tx\nlonger\nline\nabcd\n");
        assert_eq!(
            strings(data, 2, Some('x'), false),
            "      0 ab\n      3 hello world\tx\n     12 longer\n     19 line\n     1e abcd\n"
        );
        assert_eq!(strings(data, 7, Some('d'), true), "      3 hello world\tx\n     18 longer\nline\n");
        assert_eq!(strings(b"", 1, None, false), "");
        assert_eq!(strings(b"abc", 4, None, false), "");
        assert_eq!(strings(b"abcd", 4, Some('o'), false), "      0 abcd\n");
    }
}
