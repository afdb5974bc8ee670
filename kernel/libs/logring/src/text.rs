//! The text forms of a record, as Linux gives them: syslog(2)'s
//! `<PRI>[    5.000123] text\n` (one such line per line of a record's text, PRI
//! being `facility << 3 | level`), and /dev/kmsg's `PRI,SEQ,USEC,-;text\n`
//! (bytes below space, from DEL up, and `\` written `\xNN`); and the `<N>` a
//! line written to /dev/kmsg may start with.
use alloc::format;
use alloc::vec::Vec;

use crate::ring::Record;

/// The syslog priority of a record: facility and level in one number.
pub fn priority(record: &Record) -> u32 {
    u32::from(record.facility) << 3 | u32::from(record.level)
}

/// syslog(2)'s text of a record.
pub fn syslog_text(record: &Record) -> Vec<u8> {
    let prefix = format!("<{}>[{:5}.{:06}] ", priority(record), record.usec / 1_000_000, record.usec % 1_000_000);
    let mut out = Vec::new();
    for line in record.text.split(|&b| b == b'\n') {
        out.extend_from_slice(prefix.as_bytes());
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    out
}

/// The length of `syslog_text(record)`.
pub fn syslog_len(record: &Record) -> usize {
    let prefix = format!("<{}>[{:5}.{:06}] ", priority(record), record.usec / 1_000_000, record.usec % 1_000_000);
    let lines = record.text.iter().filter(|&&b| b == b'\n').count() + 1;
    record.text.len() + lines * prefix.len() + 1
}

/// /dev/kmsg's text of a record.
pub fn kmsg_text(record: &Record) -> Vec<u8> {
    let mut out = format!("{},{},{},-;", priority(record), record.seq, record.usec).into_bytes();
    for &byte in record.text {
        if !(b' '..0x7f).contains(&byte) || byte == b'\\' {
            out.extend_from_slice(format!("\\x{byte:02x}").as_bytes());
        } else {
            out.push(byte);
        }
    }
    out.push(b'\n');
    out
}

/// A line written to /dev/kmsg, as Linux's devkmsg_write takes it: the text
/// ends at a NUL and loses one trailing newline; a leading `<N>` (decimal, `<>`
/// being 0) sets the level to N's low three bits and, when N's facility bits
/// are not 0, the facility. Level and facility are `default` otherwise.
pub fn parse_written(line: &[u8], default: (u8, u8)) -> (u8, u8, &[u8]) {
    let line = line.split(|&b| b == 0).next().unwrap_or_default();
    let (mut level, mut facility) = default;
    let mut text = line;
    if let Some(rest) = line.strip_prefix(b"<") {
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if rest.get(digits) == Some(&b'>') {
            let n =
                rest[..digits].iter().fold(0u64, |n, &d| n.wrapping_mul(10).wrapping_add(u64::from(d - b'0'))) as u32;
            level = (n & 7) as u8;
            if (n >> 3) & 0xff != 0 {
                facility = ((n >> 3) & 0xff) as u8;
            }
            text = &rest[digits + 1..];
        }
    }
    (level, facility, text.strip_suffix(b"\n").unwrap_or(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn record(text: &[u8]) -> Record<'_> {
        Record { seq: 7, usec: 1_234_567, level: 4, facility: 1, text }
    }

    #[test]
    fn syslog_lines() {
        assert_eq!(syslog_text(&record(b"hello")), b"<12>[    1.234567] hello\n");
        assert_eq!(syslog_text(&record(b"a\nb")), b"<12>[    1.234567] a\n<12>[    1.234567] b\n");
        let kernel = Record { usec: 123_456_000_001, level: 6, facility: 0, ..record(b"x") };
        assert_eq!(syslog_text(&kernel), b"<6>[123456.000001] x\n");
    }

    #[test]
    fn kmsg_lines() {
        assert_eq!(kmsg_text(&record(b"hello")), b"12,7,1234567,-;hello\n");
        assert_eq!(kmsg_text(&record(b"a\nb\\c\x7f")), b"12,7,1234567,-;a\\x0ab\\x5cc\\x7f\n");
    }

    #[test]
    fn written_prefixes() {
        assert_eq!(parse_written(b"hello\n", (4, 1)), (4, 1, &b"hello"[..]));
        assert_eq!(parse_written(b"<3>bad\n", (4, 1)), (3, 1, &b"bad"[..]));
        assert_eq!(parse_written(b"<0>kern", (4, 1)), (0, 1, &b"kern"[..]));
        assert_eq!(parse_written(b"<30>daemon", (4, 1)), (6, 3, &b"daemon"[..]));
        assert_eq!(parse_written(b"<>x", (4, 1)), (0, 1, &b"x"[..]));
        assert_eq!(parse_written(b"<x>y", (4, 1)), (4, 1, &b"<x>y"[..]));
        assert_eq!(parse_written(b"<5", (4, 1)), (4, 1, &b"<5"[..]));
        assert_eq!(parse_written(b"cut\0here\n", (4, 1)), (4, 1, &b"cut"[..]));
        assert_eq!(parse_written(b"two\n\n", (4, 1)), (4, 1, &b"two\n"[..]));
    }

    proptest! {
        #[test]
        fn syslog_len_is_the_texts(text in proptest::collection::vec(any::<u8>(), 0..200), usec in any::<u64>()) {
            let r = Record { usec, ..record(&text) };
            prop_assert_eq!(syslog_len(&r), syslog_text(&r).len());
        }

        #[test]
        fn kmsg_text_is_one_printable_line(text in proptest::collection::vec(any::<u8>(), 0..200)) {
            let line = kmsg_text(&record(&text));
            prop_assert!(line.ends_with(b"\n"));
            prop_assert!(line[..line.len() - 1].iter().all(|&b| (b' '..0x7f).contains(&b)));
        }
    }
}
