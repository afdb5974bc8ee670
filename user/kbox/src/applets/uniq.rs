//! `uniq [-cdiu] [INPUT [OUTPUT]]`: writes each run of equal adjacent lines once;
//! `-c` counts them, `-d` keeps only repeated runs, `-u` only single lines.
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufRead, BufWriter, Write};

use ulib::args::Spec;
use ulib::diag::report_error;

use crate::cli;
use crate::input;

const PROGRAM: &str = "uniq";

pub const USAGE: &str = "Usage: uniq [OPTION]... [INPUT [OUTPUT]]
Filter adjacent matching lines from INPUT (or standard input), writing to OUTPUT
(or standard output).
  -c   prefix lines by the number of occurrences
  -d   only print duplicate lines, one for each group
  -i   ignore differences in case when comparing
  -u   only print unique lines";

const SPEC: Spec = Spec { flags: "cdiu", ..Spec::NONE };

#[derive(Debug, Clone, Copy)]
struct Options {
    count: bool,
    repeated_only: bool,
    unique_only: bool,
    ignore_case: bool,
}

impl Options {
    fn same(&self, a: &[u8], b: &[u8]) -> bool {
        if self.ignore_case { a.eq_ignore_ascii_case(b) } else { a == b }
    }

    /// Writes one run of `count` equal lines, if the options keep it.
    fn write_run(&self, out: &mut impl Write, line: &[u8], count: u64) -> io::Result<()> {
        if (self.repeated_only && count < 2) || (self.unique_only && count > 1) {
            return Ok(());
        }
        if self.count {
            write!(out, "{count:>7} ")?;
        }
        out.write_all(line)?;
        if !line.ends_with(b"\n") {
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// Filters `reader` to `out`.
fn filter(reader: &mut dyn BufRead, out: &mut impl Write, options: Options) -> Result<(), input::CopyError> {
    use input::CopyError::{Read, Write};
    let strip = |line: &[u8]| line.strip_suffix(b"\n").unwrap_or(line).to_vec();
    let mut current: Option<(Vec<u8>, u64)> = None;
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).map_err(Read)? == 0 {
            break;
        }
        match &mut current {
            Some((previous, count)) if options.same(&strip(previous), &strip(&line)) => *count += 1,
            _ => {
                if let Some((previous, count)) = current.take() {
                    options.write_run(out, &previous, count).map_err(Write)?;
                }
                current = Some((line.clone(), 1));
            }
        }
    }
    if let Some((previous, count)) = current {
        options.write_run(out, &previous, count).map_err(Write)?;
    }
    Ok(())
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let options = Options {
        count: command_line.has('c'),
        repeated_only: command_line.has('d'),
        unique_only: command_line.has('u'),
        ignore_case: command_line.has('i'),
    };
    let (input_name, output_name) = match &command_line.operands[..] {
        [] => (OsString::from("-"), None),
        [input] => (input.clone(), None),
        [input, output] => (input.clone(), Some(output.clone())),
        [_, _, extra, ..] => return cli::extra_operand(PROGRAM, extra.display()),
    };
    let mut reader = match input::open(&input_name) {
        Ok(reader) => reader,
        Err(err) => {
            report_error(PROGRAM, input::shown(&input_name), &err);
            return 1;
        }
    };
    let mut out: Box<dyn Write> = match output_name.filter(|name| name != "-") {
        None => Box::new(cli::stdout()),
        Some(name) => match File::create(&name) {
            Ok(file) => Box::new(BufWriter::new(file)),
            Err(err) => {
                report_error(PROGRAM, input::shown(&name), &err);
                return 1;
            }
        },
    };
    let result = input::read_status(PROGRAM, &input_name, filter(&mut *reader, &mut out, options), 1);
    cli::finish(PROGRAM, out, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uniq(text: &str, count: bool, repeated_only: bool, unique_only: bool, ignore_case: bool) -> String {
        let mut out = Vec::new();
        let options = Options { count, repeated_only, unique_only, ignore_case };
        filter(&mut text.as_bytes(), &mut out, options).unwrap();
        String::from_utf8(out).unwrap()
    }

    const TEXT: &str = "a\na\nb\nc\nc\nc\na";

    #[test]
    fn runs() {
        assert_eq!(uniq(TEXT, false, false, false, false), "a\nb\nc\na\n");
        assert_eq!(uniq(TEXT, true, false, false, false), "      2 a\n      1 b\n      3 c\n      1 a\n");
        assert_eq!(uniq(TEXT, false, true, false, false), "a\nc\n");
        assert_eq!(uniq(TEXT, false, false, true, false), "b\na\n");
        assert_eq!(uniq("A\na\n", false, false, false, true), "A\n");
        assert_eq!(uniq("", true, false, false, false), "");
    }
}
