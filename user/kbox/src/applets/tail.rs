//! `tail [-n [+]N | -c [+]N] [-qv] [FILE]...`: prints the last 10 (or N) lines or N
//! bytes of each input; with `+N`, everything from line or byte N on.
use std::ffi::OsString;
use std::io::{self, BufRead, Read, Write};

use crate::input::{self, CopyError};

const PROGRAM: &str = "tail";

pub const USAGE: &str = "Usage: tail [OPTION]... [FILE]...
Print the last 10 lines of each FILE to standard output.
With more than one FILE, precede each with a header giving the file name.
With no FILE, or when FILE is -, read standard input.
  -c [+]NUM   output the last NUM bytes; or use -c +NUM to output starting with byte NUM
  -n [+]NUM   output the last NUM lines, instead of the last 10;
              or use -n +NUM to skip NUM-1 lines at the start
  -q          never output headers giving file names
  -v          always output headers giving file names
NUM may have a multiplier suffix: b 512, kB 1000, K 1024, MB 1000*1000, M 1024*1024,
GB 1000*1000*1000, G 1024*1024*1024.";

/// What to print of each input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Amount {
    bytes: bool,
    count: u64,
    /// From line or byte `count` (1-based) on, rather than the last `count`.
    from_start: bool,
}

/// The amount `-n TEXT` or `-c TEXT` asks for.
fn amount(text: &str, bytes: bool) -> Option<Amount> {
    let (from_start, count) = input::signed_count(text, '+')?;
    Some(Amount { bytes, count, from_start })
}

fn tail(reader: &mut dyn BufRead, out: &mut impl Write, amount: Amount) -> Result<(), CopyError> {
    if amount.from_start {
        let mut skip = amount.count.saturating_sub(1);
        if amount.bytes {
            io::copy(&mut Read::take(&mut *reader, skip), &mut io::sink()).map_err(CopyError::Read)?;
        } else {
            let mut line = Vec::new();
            while skip > 0 && reader.read_until(b'\n', &mut line).map_err(CopyError::Read)? > 0 {
                line.clear();
                skip -= 1;
            }
        }
        return input::copy(reader, out).map(drop);
    }
    let data = input::read_all(reader)?;
    let start = input::last_start(&data, amount.bytes, amount.count);
    out.write_all(&data[start..]).map_err(CopyError::Write)
}

pub fn run(args: Vec<OsString>) -> u8 {
    input::head_or_tail(PROGRAM, args, Amount { bytes: false, count: 10, from_start: false }, amount, tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tail_of(data: &str, amount: Amount) -> String {
        let mut out = Vec::new();
        tail(&mut data.as_bytes(), &mut out, amount).unwrap();
        String::from_utf8(out).unwrap()
    }

    const TEXT: &str = "1\n2\n3\n4\n5\n";

    #[test]
    fn last_lines_and_bytes() {
        assert_eq!(tail_of(TEXT, amount("2", false).unwrap()), "4\n5\n");
        assert_eq!(tail_of(TEXT, amount("-2", false).unwrap()), "4\n5\n");
        assert_eq!(tail_of(TEXT, amount("9", false).unwrap()), TEXT);
        assert_eq!(tail_of("a\nb", amount("1", false).unwrap()), "b");
        assert_eq!(tail_of(TEXT, amount("3", true).unwrap()), "\n5\n");
        assert_eq!(tail_of(TEXT, amount("0", false).unwrap()), "");
    }

    #[test]
    fn from_a_line_or_byte_on() {
        assert_eq!(tail_of(TEXT, amount("+4", false).unwrap()), "4\n5\n");
        assert_eq!(tail_of(TEXT, amount("+0", false).unwrap()), TEXT);
        assert_eq!(tail_of(TEXT, amount("+1", false).unwrap()), TEXT);
        assert_eq!(tail_of(TEXT, amount("+9", false).unwrap()), "");
        assert_eq!(tail_of(TEXT, amount("+7", true).unwrap()), "4\n5\n");
    }

    #[test]
    fn bad_amounts() {
        assert_eq!(amount("x", false), None);
        assert_eq!(amount("+-1", false), None);
    }
}
