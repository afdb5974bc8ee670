//! `head [-n [-]N | -c [-]N] [-qv] [FILE]...`: prints the first 10 (or N) lines or N
//! bytes of each input; with `-N`, all but the last N.
use std::ffi::OsString;
use std::io::{BufRead, Read, Write};

use crate::input::{self, CopyError};

const PROGRAM: &str = "head";

pub const USAGE: &str = "Usage: head [OPTION]... [FILE]...
Print the first 10 lines of each FILE to standard output.
With more than one FILE, precede each with a header giving the file name.
With no FILE, or when FILE is -, read standard input.
  -c [-]NUM   print the first NUM bytes of each file;
              with the leading '-', print all but the last NUM bytes of each file
  -n [-]NUM   print the first NUM lines instead of the first 10;
              with the leading '-', print all but the last NUM lines of each file
  -q          never print headers giving file names
  -v          always print headers giving file names
NUM may have a multiplier suffix: b 512, kB 1000, K 1024, MB 1000*1000, M 1024*1024,
GB 1000*1000*1000, G 1024*1024*1024.";

/// What to print of each input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Amount {
    bytes: bool,
    count: u64,
    /// All but the last `count`.
    all_but: bool,
}

/// The amount `-n TEXT` or `-c TEXT` asks for.
fn amount(text: &str, bytes: bool) -> Option<Amount> {
    let (all_but, count) = input::signed_count(text, '-')?;
    Some(Amount { bytes, count, all_but })
}

fn head(reader: &mut dyn BufRead, out: &mut impl Write, amount: Amount) -> Result<(), CopyError> {
    if amount.all_but {
        let data = input::read_all(reader)?;
        let end = input::last_start(&data, amount.bytes, amount.count);
        return out.write_all(&data[..end]).map_err(CopyError::Write);
    }
    if amount.bytes {
        return input::copy(&mut Read::take(&mut *reader, amount.count), out).map(drop);
    }
    let mut line = Vec::new();
    for _ in 0..amount.count {
        line.clear();
        if reader.read_until(b'\n', &mut line).map_err(CopyError::Read)? == 0 {
            break;
        }
        out.write_all(&line).map_err(CopyError::Write)?;
    }
    Ok(())
}

pub fn run(args: Vec<OsString>) -> u8 {
    input::head_or_tail(PROGRAM, args, Amount { bytes: false, count: 10, all_but: false }, amount, head)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head_of(data: &str, amount: Amount) -> String {
        let mut out = Vec::new();
        head(&mut data.as_bytes(), &mut out, amount).unwrap();
        String::from_utf8(out).unwrap()
    }

    const TEXT: &str = "1\n2\n3\n4\n5\n";

    #[test]
    fn first_lines_and_bytes() {
        assert_eq!(head_of(TEXT, amount("2", false).unwrap()), "1\n2\n");
        assert_eq!(head_of(TEXT, amount("9", false).unwrap()), TEXT);
        assert_eq!(head_of(TEXT, amount("3", true).unwrap()), "1\n2");
        assert_eq!(head_of("a\nb", amount("5", false).unwrap()), "a\nb");
        assert_eq!(head_of(TEXT, amount("0", false).unwrap()), "");
    }

    #[test]
    fn all_but_the_last() {
        assert_eq!(head_of(TEXT, amount("-2", false).unwrap()), "1\n2\n3\n");
        assert_eq!(head_of(TEXT, amount("-9", false).unwrap()), "");
        assert_eq!(head_of(TEXT, amount("-3", true).unwrap()), "1\n2\n3\n4");
        assert_eq!(head_of(TEXT, amount("-0", true).unwrap()), TEXT);
    }

    #[test]
    fn amounts() {
        assert_eq!(amount("1K", true), Some(Amount { bytes: true, count: 1024, all_but: false }));
        assert_eq!(amount("x", false), None);
        assert_eq!(amount("--1", false), None);
    }
}
