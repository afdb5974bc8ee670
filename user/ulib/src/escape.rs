//! Backslash escapes as `echo -e` and `printf` read them: `\n \t \\ \a \b \e \f \r
//! \v`, `\xHH`, octal (`\0NNN` for echo and `%b`, `\NNN` in printf's format), and `\c`,
//! which ends the output.

/// How octal escapes are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Octal {
    /// `\0NNN` (up to three digits after the 0) or `\NNN`: echo and printf's `%b`.
    ZeroPrefixed,
    /// `\NNN`, one to three digits: printf's format string.
    Plain,
}

/// What one escape stands for.
#[derive(Debug, PartialEq, Eq)]
pub enum Escape {
    Bytes(Vec<u8>),
    /// `\c`: no more output.
    Stop,
}

/// Decodes the escape whose text (after the backslash) starts `text`: what it stands
/// for and how many bytes of `text` it took. An unknown escape stands for itself,
/// backslash included.
pub fn decode(text: &[u8], octal: Octal) -> (Escape, usize) {
    let Some(&first) = text.first() else {
        return (Escape::Bytes(b"\\".to_vec()), 0);
    };
    let simple = match first {
        b'\\' => Some(b'\\'),
        b'a' => Some(0x07),
        b'b' => Some(0x08),
        b'e' => Some(0x1b),
        b'f' => Some(0x0c),
        b'n' => Some(b'\n'),
        b'r' => Some(b'\r'),
        b't' => Some(b'\t'),
        b'v' => Some(0x0b),
        _ => None,
    };
    if let Some(byte) = simple {
        return (Escape::Bytes(vec![byte]), 1);
    }
    let digits = |from: usize, radix: u32, most: usize| {
        let count = text[from..].iter().take(most).take_while(|byte| (**byte as char).is_digit(radix)).count();
        let value = text[from..from + count]
            .iter()
            .fold(0u32, |value, &byte| value * radix + (byte as char).to_digit(radix).unwrap_or(0));
        (value as u8, count)
    };
    match first {
        b'c' => (Escape::Stop, 1),
        b'x' => match digits(1, 16, 2) {
            (_, 0) => (Escape::Bytes(b"\\x".to_vec()), 1),
            (value, count) => (Escape::Bytes(vec![value]), 1 + count),
        },
        b'0' if octal == Octal::ZeroPrefixed => {
            let (value, count) = digits(1, 8, 3);
            (Escape::Bytes(vec![value]), 1 + count)
        }
        b'0'..=b'7' => {
            let (value, count) = digits(0, 8, 3);
            (Escape::Bytes(vec![value]), count)
        }
        other => (Escape::Bytes(vec![b'\\', other]), 1),
    }
}

/// `text` with its escapes decoded, and whether a `\c` ended it.
pub fn unescape(text: &[u8], octal: Octal) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(position) = rest.iter().position(|&byte| byte == b'\\') {
        out.extend_from_slice(&rest[..position]);
        let (escape, length) = decode(&rest[position + 1..], octal);
        match escape {
            Escape::Bytes(bytes) => out.extend_from_slice(&bytes),
            Escape::Stop => return (out, true),
        }
        rest = &rest[position + 1 + length..];
    }
    out.extend_from_slice(rest);
    (out, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echo(text: &str) -> (Vec<u8>, bool) {
        unescape(text.as_bytes(), Octal::ZeroPrefixed)
    }

    #[test]
    fn simple_escapes() {
        assert_eq!(echo(r"a\tb\nc\\d"), (b"a\tb\nc\\d".to_vec(), false));
        assert_eq!(echo(r"\a\b\e\f\r\v"), (vec![7, 8, 0x1b, 0x0c, b'\r', 0x0b], false));
    }

    #[test]
    fn numeric_escapes() {
        assert_eq!(echo(r"\0101\x41\x4a2\101"), (b"AAJ2A".to_vec(), false));
        assert_eq!(echo(r"\0"), (vec![0], false));
        assert_eq!(echo(r"\01018"), (b"A8".to_vec(), false));
        assert_eq!(unescape(br"\0101", Octal::Plain), (b"\x081".to_vec(), false));
        assert_eq!(unescape(br"\101\7", Octal::Plain), (b"A\x07".to_vec(), false));
        assert_eq!(echo(r"\xZ"), (br"\xZ".to_vec(), false));
    }

    #[test]
    fn stop_and_unknown() {
        assert_eq!(echo(r"ab\cde"), (b"ab".to_vec(), true));
        assert_eq!(echo(r"\q\"), (br"\q\".to_vec(), false));
    }
}
