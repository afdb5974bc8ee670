//! awk's regular expressions: EREs with awk's escapes (`\n`, `\/`, `\ddd`...),
//! translated by `posixre` for `regex-lite`.
use regex_lite::Regex;

use crate::lexer::decode_escape;

/// Compiles an awk regular expression (a literal's text, or a string used as one).
pub fn compile(source: &str) -> Result<Regex, String> {
    let bytes = source.as_bytes();
    let mut plain = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\'
            && !matches!(bytes.get(i + 1), Some(b'\\' | b'/'))
            && let Some((byte, used)) = decode_escape(&bytes[i + 1..])
        {
            // A character an escape gives is literal, even a special one.
            if b"\\^$.[]|()*+?{}".contains(&byte) {
                plain.push(b'\\');
            }
            plain.push(byte);
            i += 1 + used;
            continue;
        }
        if bytes[i] == b'\\' && i + 1 < bytes.len() {
            plain.extend_from_slice(&bytes[i..i + 2]);
            i += 2;
            continue;
        }
        plain.push(bytes[i]);
        i += 1;
    }
    let plain = String::from_utf8_lossy(&plain);
    let translated = posixre::translate(&plain, true)
        .map_err(|problem| format!("regular expression compile failed ({problem})\n{source}"))?;
    Regex::new(&translated).map_err(|_| format!("regular expression compile failed (bad regular expression)\n{source}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_classes() {
        assert!(compile(r"a\tb").unwrap().is_match("a\tb"));
        assert!(compile(r"\.").unwrap().is_match("."));
        assert!(!compile(r"\.").unwrap().is_match("a"));
        assert!(compile(r"\/").unwrap().is_match("/"));
        assert!(compile(r"\052").unwrap().is_match("*"));
        assert!(compile(r"^[[:digit:]]+$").unwrap().is_match("123"));
        assert!(compile(r"a{2}").unwrap().is_match("aa"));
        assert!(compile("(").is_err());
    }
}
