//! `xxd [-pu] [-c COLS] [-g BYTES] [-l LEN] [-s SKIP] [FILE]`: a hex dump in xxd's
//! layout (`00000000: 6865 6c6c 6f0a  hello.`), or plain hex with `-p`.
use std::ffi::OsString;
use std::io::{BufRead, Write};

use ulib::args::Spec;
use ulib::diag::{quoted, report_error};

use crate::cli;
use crate::dump;
use crate::input;

const PROGRAM: &str = "xxd";

pub const USAGE: &str = "Usage: xxd [options] [infile]
Make a hex dump of infile (standard input by default).
  -c cols    format <cols> octets per line (default 16, -p: 30)
  -g bytes   number of octets per group (default 2)
  -l len     stop after <len> octets
  -p         output in plain hexdump style
  -s skip    start at <skip> bytes
  -u         use upper case hex letters";

const SPEC: Spec = Spec { flags: "pu", valued: "cgls", ..Spec::NONE };

/// How the dump looks.
#[derive(Debug, Clone, Copy)]
struct Layout {
    columns: usize,
    group: usize,
    plain: bool,
    upper: bool,
}

impl Layout {
    /// One line for `bytes` (at most `columns` of them) read at `offset`.
    fn line(&self, offset: u64, bytes: &[u8]) -> String {
        let hex = |byte: &u8| if self.upper { format!("{byte:02X}") } else { format!("{byte:02x}") };
        if self.plain {
            return bytes.iter().map(hex).collect::<String>() + "\n";
        }
        let mut line = format!("{offset:08x}: ");
        let mut digits = String::new();
        for (index, byte) in bytes.iter().enumerate() {
            digits.push_str(&hex(byte));
            if (index + 1) % self.group == 0 {
                digits.push(' ');
            }
        }
        let width = 2 * self.columns + self.columns.div_ceil(self.group) + 1;
        line.push_str(&format!("{digits:<width$}"));
        line.extend(bytes.iter().map(|&byte| if (0x20..0x7f).contains(&byte) { char::from(byte) } else { '.' }));
        line.push('\n');
        line
    }
}

fn dump(
    reader: &mut dyn BufRead,
    out: &mut impl Write,
    layout: Layout,
    offset: u64,
    limit: Option<u64>,
) -> Result<(), input::CopyError> {
    dump::lines(reader, out, layout.columns, offset, limit, false, |out, offset, bytes| {
        out.write_all(layout.line(offset, bytes).as_bytes())
    })
    .map(drop)
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let mut numbers = [('c', 0u64), ('g', 0), ('l', 0), ('s', 0)];
    for (flag, value) in &mut numbers {
        let Some(text) = command_line.value(*flag) else { continue };
        match text.to_str().and_then(|text| text.parse().ok()) {
            Some(number) => *value = number,
            None => {
                return cli::usage_error(
                    PROGRAM,
                    format_args!("invalid number {} for -{flag}", quoted(text.display())),
                );
            }
        }
    }
    let [(_, columns), (_, group), (_, limit), (_, skip)] = numbers;
    let plain = command_line.has('p');
    let default_columns = if plain { 30 } else { 16 };
    let layout = Layout {
        columns: if columns == 0 { default_columns } else { columns.min(256) as usize },
        group: if group == 0 { 2 } else { group as usize },
        plain,
        upper: command_line.has('u'),
    };
    let operand = match &command_line.operands[..] {
        [] => OsString::from("-"),
        [file] => file.clone(),
        [_, extra, ..] => return cli::extra_operand(PROGRAM, extra.display()),
    };
    let mut reader = match input::open(&operand) {
        Ok(reader) => reader,
        Err(err) => {
            report_error(PROGRAM, input::shown(&operand), &err);
            return 2;
        }
    };
    let skipped = dump::skip(&mut *reader, skip);
    let limit = command_line.value('l').map(|_| limit);
    let mut out = cli::stdout();
    let dumped = skipped
        .map_err(input::CopyError::Read)
        .and_then(|skipped| dump(&mut *reader, &mut out, layout, skipped, limit));
    cli::finish(PROGRAM, out, input::read_status(PROGRAM, &operand, dumped, 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xxd(data: &[u8], columns: usize, group: usize, plain: bool) -> String {
        let mut out = Vec::new();
        dump(&mut &data[..], &mut out, Layout { columns, group, plain, upper: false }, 0, None).ok().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn default_layout() {
        assert_eq!(xxd(b"hello\n", 16, 2, false), "00000000: 6865 6c6c 6f0a                           hello.\n");
        let alphabet = xxd(b"abcdefghijklmnopqrstuvwxyz", 16, 2, false);
        assert_eq!(
            alphabet,
            "00000000: 6162 6364 6566 6768 696a 6b6c 6d6e 6f70  abcdefghijklmnop\n\
             00000010: 7172 7374 7576 7778 797a                 qrstuvwxyz\n"
        );
        assert_eq!(xxd(b"", 16, 2, false), "");
    }

    #[test]
    fn other_layouts() {
        assert_eq!(xxd(b"abc", 8, 1, false), "00000000: 61 62 63                 abc\n");
        assert_eq!(xxd(b"abcdefgh", 16, 3, false), "00000000: 616263 646566 6768                     abcdefgh\n");
        assert_eq!(xxd(b"abc\0\xff", 30, 2, true), "61626300ff\n");
        let layout = Layout { columns: 16, group: 2, plain: false, upper: true };
        assert_eq!(layout.line(2, b"cde"), "00000002: 6364 65                                  cde\n");
    }
}
