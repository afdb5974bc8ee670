//! `od [-A d|o|x|n] [-t TYPE]... [-bcdiloxsv] [-j SKIP] [-N COUNT] [FILE]...`: dumps
//! files in GNU od's layout: an offset, then 16 bytes a line as each TYPE shows
//! them (`a` named characters, `c` characters, `d` `o` `u` `x` integers of 1, 2, 4 or
//! 8 bytes, `z` after one for a `>text<` column), the types' lines aligned with each
//! other; repeated lines as `*` unless `-v`. Floating point types are not taken.
use std::ffi::OsString;
use std::io::{self, Write};

use ulib::args::Spec;
use ulib::diag::{quoted, report};

use crate::cli;
use crate::dump::{self, Inputs};

const PROGRAM: &str = "od";

pub const USAGE: &str = "Usage: od [OPTION]... [FILE]...
Write an unambiguous representation, octal bytes by default,
of FILE to standard output.  With no FILE, or when FILE is -, read standard input.
  -A, --address-radix=RADIX   output format for file offsets; RADIX is one
                                of [doxn], for Decimal, Octal, Hex or None
  -j, --skip-bytes=BYTES      skip BYTES input bytes first
  -N, --read-bytes=BYTES      limit dump to BYTES input bytes
  -t, --format=TYPE           select output format or formats
  -v, --output-duplicates     do not use * to mark line suppression
Traditional format specifications may be intermixed; they accumulate:
  -a   same as -t a,  select named characters, ignoring high-order bit
  -b   same as -t o1, select octal bytes
  -c   same as -t c,  select printable characters or backslash escapes
  -d   same as -t u2, select unsigned decimal 2-byte units
  -i   same as -t dI, select decimal ints
  -l   same as -t dL, select decimal longs
  -o   same as -t o2, select octal 2-byte units
  -s   same as -t d2, select decimal 2-byte units
  -x   same as -t x2, select hexadecimal 2-byte units
TYPE is made up of one or more of these specifications:
  a          named character, ignoring high-order bit
  c          printable character or backslash escape
  d[SIZE]    signed decimal, SIZE bytes per integer
  o[SIZE]    octal, SIZE bytes per integer
  u[SIZE]    unsigned decimal, SIZE bytes per integer
  x[SIZE]    hexadecimal, SIZE bytes per integer
SIZE is a number (1, 2, 4 or 8) or C (char), S (short), I (int), L (long).
Adding a z suffix to any type displays printable characters at the end of
each output line.
BYTES is decimal, 0x hexadecimal or 0 octal, with an optional suffix:
b 512, KB 1000, K 1024, MB 1000*1000, M 1024*1024, G, ...";

const SPEC: Spec = Spec {
    flags: "abcdilosxv",
    valued: "AjNt",
    long: &["address-radix", "skip-bytes", "read-bytes", "format", "output-duplicates"],
    ..Spec::NONE
};

/// Bytes per line.
const WIDTH: usize = 16;

/// One output type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Type {
    /// `a`, `c`, `d`, `o`, `u` or `x`.
    kind: char,
    /// Bytes per field.
    size: usize,
    /// `z`: the printable characters after the line.
    trailer: bool,
}

impl Type {
    /// The width of one field, without the space before it.
    fn field_width(&self) -> usize {
        match (self.kind, self.size) {
            ('a' | 'c', _) => 3,
            ('o', size) => (size * 8).div_ceil(3),
            ('x', size) => size * 2,
            ('d', 1) => 4,
            ('d', 2) => 6,
            ('d', 4) => 11,
            ('u', 1) => 3,
            ('u', 2) => 5,
            ('u', 4) => 10,
            _ => 20,
        }
    }

    /// The text of one field holding `bytes` (little-endian, `size` of them).
    fn field(&self, bytes: &[u8]) -> String {
        let mut value = [0u8; 8];
        value[..bytes.len()].copy_from_slice(bytes);
        let unsigned = u64::from_le_bytes(value);
        let digits = self.field_width();
        match self.kind {
            'a' => named(bytes[0]).to_owned(),
            'c' => character(bytes[0]),
            'o' => format!("{unsigned:0digits$o}"),
            'x' => format!("{unsigned:0digits$x}"),
            'u' => unsigned.to_string(),
            _ => {
                let shift = 64 - 8 * self.size as u32;
                (((unsigned << shift) as i64) >> shift).to_string()
            }
        }
    }
}

/// `-t a`'s name for a byte (the high bit ignored).
fn named(byte: u8) -> &'static str {
    const NAMES: [&str; 33] = [
        "nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "nl", "vt", "ff", "cr", "so", "si", "dle",
        "dc1", "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", "em", "sub", "esc", "fs", "gs", "rs", "us", "sp",
    ];
    const PRINTABLE: &str =
        "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
    match byte & 0x7f {
        low @ 0..=32 => NAMES[usize::from(low)],
        0x7f => "del",
        printable => {
            let index = usize::from(printable - 33);
            &PRINTABLE[index..index + 1]
        }
    }
}

/// `-t c`'s text for a byte: itself, a backslash escape or three octal digits.
fn character(byte: u8) -> String {
    match byte {
        0 => "\\0".into(),
        7 => "\\a".into(),
        8 => "\\b".into(),
        9 => "\\t".into(),
        10 => "\\n".into(),
        11 => "\\v".into(),
        12 => "\\f".into(),
        13 => "\\r".into(),
        0x20..0x7f => char::from(byte).to_string(),
        _ => format!("{byte:03o}"),
    }
}

/// The types of a `-t` string such as `x1z` or `d2c`, or GNU's complaint.
fn parse_types(text: &str) -> Result<Vec<Type>, String> {
    let mut types = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(kind) = chars.next() {
        let size = match kind {
            'a' | 'c' => 1,
            'd' | 'o' | 'u' | 'x' => {
                let mut digits = String::new();
                while let Some(digit) = chars.next_if(char::is_ascii_digit) {
                    digits.push(digit);
                }
                match (digits.as_str(), chars.next_if(|letter| "CSIL".contains(*letter))) {
                    ("", Some('C')) => 1,
                    ("", Some('S')) => 2,
                    ("", Some('I')) => 4,
                    ("", Some(_)) => 8,
                    ("", None) => 4,
                    (digits, _) => match digits.parse::<usize>() {
                        Ok(size @ (1 | 2 | 4 | 8)) => size,
                        _ => {
                            return Err(format!(
                                "invalid type string ‘{text}’;\nthis system doesn't provide a {digits}-byte integral type"
                            ));
                        }
                    },
                }
            }
            other => return Err(format!("invalid character '{other}' in type string ‘{text}’")),
        };
        let trailer = chars.next_if_eq(&'z').is_some();
        types.push(Type { kind, size, trailer });
    }
    Ok(types)
}

/// How offsets are written: their radix letter, and how many digits.
#[derive(Debug, Clone, Copy)]
struct Address {
    radix: char,
}

impl Address {
    fn width(&self) -> usize {
        match self.radix {
            'n' => 0,
            'x' => 6,
            _ => 7,
        }
    }

    fn text(&self, offset: u64) -> String {
        match self.radix {
            'n' => String::new(),
            'd' => format!("{offset:07}"),
            'x' => format!("{offset:06x}"),
            _ => format!("{offset:07o}"),
        }
    }
}

/// Writes the lines of one block of up to WIDTH bytes, one per type.
fn write_block(out: &mut impl Write, address: Address, types: &[Type], offset: u64, bytes: &[u8]) -> io::Result<()> {
    let line_width = types.iter().map(|kind| (kind.field_width() + 1) * (WIDTH / kind.size)).max().unwrap_or_default();
    for (index, kind) in types.iter().enumerate() {
        let mut line = if index == 0 { address.text(offset) } else { " ".repeat(address.width()) };
        let fields = WIDTH / kind.size;
        let pad = line_width - kind.field_width() * fields;
        let mut padded = bytes.to_vec();
        padded.resize(bytes.len().div_ceil(kind.size) * kind.size, 0);
        let mut pad_remaining = pad;
        for (field, chunk) in padded.chunks(kind.size).enumerate() {
            let next_pad = pad * (fields - field - 1) / fields;
            let width = pad_remaining - next_pad + kind.field_width();
            line.push_str(&format!("{:>width$}", kind.field(chunk)));
            pad_remaining = next_pad;
        }
        if kind.trailer {
            let blank = (WIDTH - bytes.len()) / kind.size;
            line.push_str(&" ".repeat(blank * (kind.field_width() + pad / fields)));
            line.push_str("  >");
            line.extend(bytes.iter().map(|&byte| if (0x20..0x7f).contains(&byte) { char::from(byte) } else { '.' }));
            line.push('<');
        }
        line.push('\n');
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let text_of = |long: &str, short: char| {
        command_line.long(long).flatten().or_else(|| command_line.value(short)).map(|text| text.to_string_lossy())
    };
    let address = match text_of("address-radix", 'A').as_deref() {
        None => Address { radix: 'o' },
        Some(radix @ ("d" | "o" | "x" | "n")) => Address { radix: radix.chars().next().unwrap_or('o') },
        Some(other) => {
            report(
                PROGRAM,
                format_args!("invalid output address radix {}; it must be one character from [doxn]", quoted(other)),
            );
            return 1;
        }
    };
    let mut numbers = [None, None];
    for (slot, (long, short)) in numbers.iter_mut().zip([("skip-bytes", 'j'), ("read-bytes", 'N')]) {
        if let Some(text) = text_of(long, short) {
            match dump::parse_offset(&text) {
                Some(number) => *slot = Some(number),
                None => {
                    report(PROGRAM, format_args!("invalid -{short} argument {}", quoted(&text)));
                    return 1;
                }
            }
        }
    }
    let [skip, limit] = numbers;
    let mut texts: Vec<String> = command_line
        .short_options()
        .filter_map(|option| match option {
            ('t', Some(text)) => Some(text.to_string_lossy().into_owned()),
            ('a', None) => Some("a".into()),
            ('b', None) => Some("o1".into()),
            ('c', None) => Some("c".into()),
            ('d', None) => Some("u2".into()),
            ('i', None) => Some("dI".into()),
            ('l', None) => Some("dL".into()),
            ('o', None) => Some("o2".into()),
            ('s', None) => Some("d2".into()),
            ('x', None) => Some("x2".into()),
            _ => None,
        })
        .collect();
    texts.extend(command_line.long("format").flatten().map(|text| text.to_string_lossy().into_owned()));
    let mut types = Vec::new();
    for text in texts {
        match parse_types(&text) {
            Ok(more) => types.extend(more),
            Err(message) => {
                report(PROGRAM, message);
                return 1;
            }
        }
    }
    if types.is_empty() {
        types.push(Type { kind: 'o', size: 2, trailer: false });
    }
    let squeeze = !(command_line.has('v') || command_line.long("output-duplicates").is_some());
    let mut inputs = Inputs::new(PROGRAM, command_line.operands);
    let mut out = cli::stdout();
    let mut offset = 0;
    if let Some(skip) = skip {
        offset = dump::skip(&mut inputs, skip).unwrap_or(0);
        if offset < skip {
            report(PROGRAM, "cannot skip past end of combined input");
            return 1;
        }
    }
    let dumped = dump::lines(&mut inputs, &mut out, WIDTH, offset, limit, squeeze, |out, offset, bytes| {
        write_block(out, address, &types, offset, bytes)
    });
    let status = match dumped {
        Ok(end) => {
            let written = if address.radix == 'n' { Ok(()) } else { writeln!(out, "{}", address.text(end)) };
            written.map(|()| u8::from(inputs.failed > 0))
        }
        Err(crate::input::CopyError::Read(_)) => Ok(1),
        Err(crate::input::CopyError::Write(err)) => Err(err),
    };
    cli::finish(PROGRAM, out, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn od(types: &str, radix: char, offset: u64, bytes: &[u8]) -> String {
        let mut out = Vec::new();
        write_block(&mut out, Address { radix }, &parse_types(types).unwrap(), offset, bytes).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_default_and_characters() {
        assert_eq!(
            od("o2", 'o', 0, b"hello\nworld\0\x01\x7f\xc3\xa9"),
            "0000000 062550 066154 005157 067567 066162 000144 077401 124703\n"
        );
        assert_eq!(od("o2", 'o', 32, b"pqrstuvwxyz"), "0000040 070560 071562 072564 073566 074570 000172\n");
        assert_eq!(
            od("c", 'o', 0, b"hello\nworld\0\x01\x7f\xc3\xa9"),
            "0000000   h   e   l   l   o  \\n   w   o   r   l   d  \\0 001 177 303 251\n"
        );
        assert_eq!(od("a", 'o', 3, b"lo\nw\0\x01 \x7f"), "0000003   l   o  nl   w nul soh  sp del\n");
    }

    #[test]
    fn several_types_are_aligned() {
        assert_eq!(
            od("d1u2", 'o', 0, b"hello\nworld\0\x01\x7f\xc3\xa9"),
            "0000000  104  101  108  108  111   10  119  111  114  108  100    0    1  127  -61  -87\n            25960     27756      2671     28535     27762       100     32513     43459\n"
        );
    }

    #[test]
    fn hexadecimal_with_text() {
        assert_eq!(
            od("x1z", 'x', 32, b"pqrstuvwxyz"),
            "000020 70 71 72 73 74 75 76 77 78 79 7a                 >pqrstuvwxyz<\n"
        );
        assert_eq!(od("x8", 'n', 0, b"hello\nwo"), " 6f770a6f6c6c6568\n");
        assert_eq!(od("d4", 'd', 16, b"\xff\xff\xff\xff"), "0000016          -1\n");
    }

    #[test]
    fn type_strings() {
        assert_eq!(parse_types("x").unwrap(), [Type { kind: 'x', size: 4, trailer: false }]);
        assert_eq!(parse_types("dCz o2").unwrap_err(), "invalid character ' ' in type string ‘dCz o2’".to_owned());
        assert_eq!(parse_types("dCza").unwrap().len(), 2);
        assert!(parse_types("x3").unwrap_err().contains("3-byte"));
        assert!(parse_types("c2").is_err());
    }
}
