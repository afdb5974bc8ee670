//! `hexdump [-Cv] [-n LENGTH] [-s OFFSET] [FILE]...`: dumps files in util-linux
//! hexdump's default layout (an offset, then eight 2-byte little-endian words in
//! hexadecimal) or, with `-C`, its canonical one (offset, 16 bytes in two groups,
//! `|text|`); repeated lines as `*` unless `-v`.
use std::ffi::OsString;
use std::io::{self, Write};

use ulib::args::Spec;
use ulib::diag::report;

use crate::cli;
use crate::dump::{self, Inputs};

const PROGRAM: &str = "hexdump";

pub const USAGE: &str = "Usage: hexdump [options] <file>...
Display file contents in hexadecimal.
 -C, --canonical           canonical hex+ASCII display
 -n, --length <length>     interpret only length bytes of input
 -s, --skip <offset>       skip offset bytes from the beginning
 -v, --no-squeezing        output identical lines
<length> and <offset> may be followed by the suffixes KiB (=1024),
MiB (=1024*1024), and so on for GiB, or KB (=1000), MB (=1000*1000), ...";

const SPEC: Spec =
    Spec { flags: "Cv", valued: "ns", long: &["canonical", "length", "skip", "no-squeezing"], ..Spec::NONE };

/// Bytes per line.
const WIDTH: usize = 16;

/// One line of the default layout.
fn default_line(offset: u64, bytes: &[u8]) -> String {
    let mut line = format!("{offset:07x}");
    for index in 0..WIDTH / 2 {
        match bytes.get(2 * index..) {
            Some([low, high, ..]) => line.push_str(&format!(" {high:02x}{low:02x}")),
            Some([low]) => line.push_str(&format!(" 00{low:02x}")),
            _ => line.push_str("     "),
        }
    }
    line.push('\n');
    line
}

/// One line of the canonical layout (`-C`).
fn canonical_line(offset: u64, bytes: &[u8]) -> String {
    let mut line = format!("{offset:08x} ");
    for index in 0..WIDTH {
        if index % 8 == 0 {
            line.push(' ');
        }
        match bytes.get(index) {
            Some(byte) => line.push_str(&format!("{byte:02x} ")),
            None => line.push_str("   "),
        }
    }
    line.push_str(" |");
    line.extend(bytes.iter().map(|&byte| if (0x20..0x7f).contains(&byte) { char::from(byte) } else { '.' }));
    line.push_str("|\n");
    line
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let mut numbers = [None, None];
    for (slot, (long, short)) in numbers.iter_mut().zip([("length", 'n'), ("skip", 's')]) {
        let Some(text) = command_line.long(long).flatten().or_else(|| command_line.value(short)) else { continue };
        let text = text.to_string_lossy();
        match dump::parse_offset(&text) {
            Some(number) => *slot = Some(number),
            None => {
                report(PROGRAM, format_args!("failed to parse {long}: '{text}'"));
                return 1;
            }
        }
    }
    let [limit, skip] = numbers;
    let canonical = command_line.has('C') || command_line.long("canonical").is_some();
    let squeeze = !(command_line.has('v') || command_line.long("no-squeezing").is_some());
    let operands = command_line.operands.len();
    let mut inputs = Inputs::new(PROGRAM, command_line.operands);
    let mut out = cli::stdout();
    let start = dump::skip(&mut inputs, skip.unwrap_or(0)).unwrap_or(0);
    let line = if canonical { canonical_line } else { default_line };
    let dumped = dump::lines(&mut inputs, &mut out, WIDTH, start, limit, squeeze, |out, offset, bytes| {
        out.write_all(line(offset, bytes).as_bytes())
    });
    let status = match dumped {
        Ok(end) => {
            let written = match end {
                0 => Ok(()),
                end if canonical => writeln!(out, "{end:08x}"),
                end => writeln!(out, "{end:07x}"),
            };
            written.map(|()| {
                if operands > 0 && inputs.failed == operands {
                    report(PROGRAM, "all input file arguments failed");
                }
                u8::from(inputs.failed > 0)
            })
        }
        Err(crate::input::CopyError::Read(_)) => Ok(1),
        Err(crate::input::CopyError::Write(err)) => Err::<u8, io::Error>(err),
    };
    cli::finish(PROGRAM, out, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_layout() {
        assert_eq!(
            default_line(0, b"hello\nworld\0\x01\x7f\xc3\xa9"),
            "0000000 6568 6c6c 0a6f 6f77 6c72 0064 7f01 a9c3\n"
        );
        assert_eq!(default_line(0, b"abc"), format!("0000000 6261 0063{}\n", " ".repeat(30)));
    }

    #[test]
    fn the_canonical_layout() {
        assert_eq!(
            canonical_line(0x10, b" abcdefghijklmno"),
            "00000010  20 61 62 63 64 65 66 67  68 69 6a 6b 6c 6d 6e 6f  | abcdefghijklmno|\n"
        );
        assert_eq!(canonical_line(0, b"abc"), format!("00000000  61 62 63{}  |abc|\n", " ".repeat(40)));
    }
}
