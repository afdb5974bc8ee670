//! What `l` prints: the pattern space unambiguously, C escapes for `\` and the
//! control characters, octal `\ooo` for every other byte that is not printable
//! ASCII, lines longer than the line length broken with a `\`, and `$` at the end.
use super::text;

/// The escaped form of one byte.
fn escaped(byte: u8, out: &mut String) {
    let named = match byte {
        b'\\' => Some('\\'),
        0x07 => Some('a'),
        0x08 => Some('b'),
        0x0c => Some('f'),
        b'\n' => Some('n'),
        b'\r' => Some('r'),
        b'\t' => Some('t'),
        0x0b => Some('v'),
        _ => None,
    };
    match named {
        Some(name) => {
            out.push('\\');
            out.push(name);
        }
        None if (0x20..0x7f).contains(&byte) => out.push(char::from(byte)),
        None => out.push_str(&format!("\\{byte:03o}")),
    }
}

/// The text `l` prints for `pattern`, ended with `$` and `delimiter` (a newline,
/// or NUL with `-z`); `length` is the line length, a `\` included (0: no
/// breaking; 1, as GNU: a `\` before every character).
pub fn list(pattern: &str, length: usize, delimiter: char) -> String {
    let mut out = String::new();
    let mut column = 0;
    let mut piece = String::new();
    for char in pattern.chars() {
        piece.clear();
        match text::byte_of(char) {
            Some(byte) => escaped(byte, &mut piece),
            None => char.encode_utf8(&mut [0; 4]).bytes().for_each(|byte| escaped(byte, &mut piece)),
        }
        if length > 0 && column + piece.len() > length - 1 {
            out.push_str("\\\n");
            column = 0;
        }
        out.push_str(&piece);
        column += piece.len();
    }
    out.push('$');
    out.push(delimiter);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_breaks() {
        assert_eq!(list("a\tb\\", 70, '\n'), "a\\tb\\\\$\n");
        assert_eq!(list(&text::decode(b"\xffa\x01\xc3\xa9"), 70, '\n'), "\\377a\\001\\303\\251$\n");
        assert_eq!(list("abcdef\\tx", 3, '\n'), "ab\\\ncd\\\nef\\\n\\\\\\\ntx$\n");
        assert_eq!(list("abcdef", 0, '\n'), "abcdef$\n");
        assert_eq!(list("abc", 1, '\n'), "\\\na\\\nb\\\nc$\n");
    }
}
