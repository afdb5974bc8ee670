//! sed's text as Rust strings, byte for byte: valid UTF-8 is decoded as such and
//! every other byte becomes one private-use character (U+10FF00 + byte), which
//! encodes back to that byte, so that regex-lite can match lines that are not UTF-8
//! and sed still writes them out unchanged.

/// The first of the 256 characters that stand for raw bytes.
const RAW_BASE: u32 = 0x10_FF00;

fn raw(byte: u8) -> char {
    char::from_u32(RAW_BASE + u32::from(byte)).unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// `bytes` as text. A genuine character of the raw range is kept as its four raw
/// bytes, so that every raw-range character of the text is exactly one byte.
pub fn decode(mut bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    while !bytes.is_empty() {
        let (valid, rest) = match std::str::from_utf8(bytes) {
            Ok(valid) => (valid, &[][..]),
            Err(err) => {
                let (valid, rest) = bytes.split_at(err.valid_up_to());
                (std::str::from_utf8(valid).unwrap_or_default(), rest)
            }
        };
        for char in valid.chars() {
            if u32::from(char) >= RAW_BASE {
                let mut buffer = [0; 4];
                char.encode_utf8(&mut buffer).bytes().for_each(|byte| text.push(raw(byte)));
            } else {
                text.push(char);
            }
        }
        if let Some((&byte, rest)) = rest.split_first() {
            text.push(raw(byte));
            bytes = rest;
        } else {
            bytes = rest;
        }
    }
    text
}

/// Appends the bytes `text` stands for to `out`.
pub fn encode_into(text: &str, out: &mut Vec<u8>) {
    for char in text.chars() {
        match u32::from(char).checked_sub(RAW_BASE) {
            Some(byte) => out.push(byte as u8),
            None => out.extend_from_slice(char.encode_utf8(&mut [0; 4]).as_bytes()),
        }
    }
}

/// The bytes `text` stands for.
pub fn encode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    encode_into(text, &mut out);
    out
}

/// A file name from the script, as the system takes it.
pub fn path(name: &str) -> std::path::PathBuf {
    use std::os::unix::ffi::OsStringExt;
    std::ffi::OsString::from_vec(encode(name)).into()
}

/// The byte a character stands for when it stands for one (an ASCII character or a
/// raw byte), for `l`.
pub fn byte_of(char: char) -> Option<u8> {
    match u32::from(char) {
        code @ 0..=0x7f => Some(code as u8),
        code => code.checked_sub(RAW_BASE).map(|byte| byte as u8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_bytes_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            prop_assert_eq!(encode(&decode(&bytes)), bytes);
        }
    }

    #[test]
    fn round_trips() {
        for bytes in [&b"plain"[..], b"caf\xc3\xa9", b"\xff\xfe a \x80", b"\xf4\x8f\xbf\xbf", b"\xe2\x82", b""] {
            assert_eq!(encode(&decode(bytes)), bytes);
        }
        assert_eq!(decode(b"a\xffb").chars().count(), 3);
        assert_eq!(decode("é".as_bytes()), "é");
        assert_eq!(byte_of(decode(b"\xff").chars().next().unwrap()), Some(0xff));
        assert_eq!(byte_of('é'), None);
    }
}
