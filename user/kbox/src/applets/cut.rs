//! `cut -b LIST | -c LIST | -f LIST [-d DELIM] [-s] [FILE]...`: prints the selected
//! bytes (`-c` too counts bytes, as GNU's does) or DELIM-separated fields (tab by
//! default) of each line.
use std::ffi::OsString;
use std::io::{BufRead, Write};

use ulib::args::Spec;
use ulib::diag::quoted;

use crate::cli;
use crate::input::{self, CopyError};

const PROGRAM: &str = "cut";

pub const USAGE: &str = "Usage: cut OPTION... [FILE]...
Print selected parts of lines from each FILE to standard output.
With no FILE, or when FILE is -, read standard input.
  -b LIST    select only these bytes
  -c LIST    select only these characters (bytes, as in GNU cut)
  -d DELIM   use DELIM instead of TAB for field delimiter
  -f LIST    select only these fields; also print any line that contains no
             delimiter character, unless the -s option is specified
  -s         do not print lines not containing delimiters
LIST is one or more ranges separated by commas: N, N-, N-M or -M (counted from 1).";

const SPEC: Spec = Spec { flags: "s", valued: "bcdf", ..Spec::NONE };

/// The selected positions (1-based, inclusive ranges).
#[derive(Debug, PartialEq, Eq)]
struct List(Vec<(usize, usize)>);

impl List {
    /// Parses `N,N-,N-M,-M`; `Err` is the complaint (`what` is "fields" or
    /// "byte/character positions").
    fn parse(text: &str, what: &str) -> Result<Self, String> {
        let invalid = || {
            format!(
                "invalid {} value {}",
                if what == "fields" { "field" } else { "byte/character position" },
                quoted(text)
            )
        };
        let number = |part: &str, default: usize| -> Result<usize, String> {
            match part {
                "" => Ok(default),
                digits => match digits.parse::<usize>() {
                    Ok(0) => Err(format!("{what} are numbered from 1")),
                    Ok(number) => Ok(number),
                    Err(_) => Err(invalid()),
                },
            }
        };
        let mut ranges = Vec::new();
        for part in text.split([',', ' ']) {
            let range = match part.split_once('-') {
                None if part.is_empty() => return Err(invalid()),
                None => {
                    let position = number(part, 1)?;
                    (position, position)
                }
                Some(("", "")) => return Err(format!("invalid range with no endpoint: {}", quoted("-"))),
                Some((start, end)) => (number(start, 1)?, number(end, usize::MAX)?),
            };
            if range.0 > range.1 {
                return Err("invalid decreasing range".into());
            }
            ranges.push(range);
        }
        Ok(Self(ranges))
    }

    fn has(&self, position: usize) -> bool {
        self.0.iter().any(|&(start, end)| start <= position && position <= end)
    }
}

/// What is cut from each line.
#[derive(Debug)]
enum Selection {
    Bytes(List),
    Fields { list: List, delimiter: u8, only_delimited: bool },
}

impl Selection {
    /// The output for one line (without its newline), or `None` to print nothing.
    fn cut(&self, line: &[u8]) -> Option<Vec<u8>> {
        match self {
            Selection::Bytes(list) => {
                Some(line.iter().enumerate().filter(|(index, _)| list.has(index + 1)).map(|(_, &byte)| byte).collect())
            }
            Selection::Fields { list, delimiter, only_delimited } => {
                if !line.contains(delimiter) {
                    return (!only_delimited).then(|| line.to_vec());
                }
                let fields: Vec<&[u8]> = line
                    .split(|byte| byte == delimiter)
                    .enumerate()
                    .filter(|(index, _)| list.has(index + 1))
                    .map(|(_, field)| field)
                    .collect();
                Some(fields.join(&[*delimiter][..]))
            }
        }
    }
}

fn cut_all(reader: &mut dyn BufRead, out: &mut impl Write, selection: &Selection) -> Result<(), CopyError> {
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).map_err(CopyError::Read)? == 0 {
            return Ok(());
        }
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        if let Some(mut cut) = selection.cut(text) {
            cut.push(b'\n');
            out.write_all(&cut).map_err(CopyError::Write)?;
        }
    }
}

/// The selection the command line asks for, or the complaint about it.
fn selection(command_line: &ulib::args::CommandLine) -> Result<Selection, String> {
    let delimiter = match command_line.value('d').map(|delimiter| delimiter.as_encoded_bytes()) {
        None => b'\t',
        Some([byte]) => *byte,
        Some(_) => return Err("the delimiter must be a single character".into()),
    };
    match command_line.last_of("bcf") {
        Some('f') => {
            let list = List::parse(&command_line.value('f').unwrap_or_default().to_string_lossy(), "fields")?;
            Ok(Selection::Fields { list, delimiter, only_delimited: command_line.has('s') })
        }
        Some(flag) => {
            if command_line.has('d') || command_line.has('s') {
                let problem = if command_line.has('d') { "a delimiter" } else { "suppressing non-delimited lines" };
                return Err(format!("{problem} may be specified only when operating on fields"));
            }
            let text = command_line.value(flag).unwrap_or_default().to_string_lossy();
            Ok(Selection::Bytes(List::parse(&text, "byte/character positions")?))
        }
        None => Err("you must specify a list of bytes, characters, or fields".into()),
    }
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let selection = match selection(&command_line) {
        Ok(selection) => selection,
        Err(problem) => return cli::usage_error(PROGRAM, problem),
    };
    let mut out = cli::stdout();
    let status = input::each_operand(PROGRAM, command_line.operands, |reader| cut_all(reader, &mut out, &selection));
    cli::finish(PROGRAM, out, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(selection: &Selection, line: &str) -> Option<String> {
        selection.cut(line.as_bytes()).map(|bytes| String::from_utf8(bytes).unwrap())
    }

    #[test]
    fn lists() {
        assert_eq!(List::parse("1,3-4,6-", "fields").unwrap(), List(vec![(1, 1), (3, 4), (6, usize::MAX)]));
        assert_eq!(List::parse("-2", "fields").unwrap(), List(vec![(1, 2)]));
        assert_eq!(List::parse("0", "fields").unwrap_err(), "fields are numbered from 1");
        assert_eq!(List::parse("x", "fields").unwrap_err(), "invalid field value 'x'");
        assert_eq!(List::parse("3-1", "fields").unwrap_err(), "invalid decreasing range");
        assert!(List::parse("1,,2", "byte/character positions").is_err());
    }

    #[test]
    fn bytes() {
        let selection = Selection::Bytes(List::parse("2-3,5", "bytes").unwrap());
        assert_eq!(cut(&selection, "abcdefg").unwrap(), "bce");
        assert_eq!(cut(&selection, "a").unwrap(), "");
    }

    #[test]
    fn fields() {
        let list = || List::parse("1,3", "fields").unwrap();
        let selection = Selection::Fields { list: list(), delimiter: b':', only_delimited: false };
        assert_eq!(cut(&selection, "root:x:0:0").unwrap(), "root:0");
        assert_eq!(cut(&selection, "no delimiter").unwrap(), "no delimiter");
        assert_eq!(cut(&selection, "a:b").unwrap(), "a");
        let strict = Selection::Fields { list: list(), delimiter: b':', only_delimited: true };
        assert_eq!(cut(&strict, "no delimiter"), None);
    }
}
