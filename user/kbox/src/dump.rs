//! What the dumpers `od`, `hexdump` and `xxd` share: their inputs read as one
//! stream (each operand in turn, failures reported and the stream going on),
//! reading a whole line's bytes at a time, skipping, offsets as `-j`/`-s` give them
//! (`0x10`, `020`, `1k`), and the lines of a dump with repeated lines shown as one
//! `*` unless `-v`.
use std::collections::VecDeque;
use std::ffi::OsString;
use std::io::{self, BufRead, Read, Write};

use ulib::diag::report_error;

use crate::input;

/// The operands' contents one after the other (standard input for `-` or none);
/// one that cannot be opened or read is reported and left behind.
pub struct Inputs {
    program: &'static str,
    names: VecDeque<OsString>,
    current: Option<(OsString, Box<dyn BufRead>)>,
    /// How many could not be opened or read.
    pub failed: usize,
}

impl Inputs {
    pub fn new(program: &'static str, operands: Vec<OsString>) -> Self {
        Self { program, names: input::operands_or_stdin(operands).into(), current: None, failed: 0 }
    }
}

impl Read for Inputs {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        loop {
            let Some((name, reader)) = &mut self.current else {
                let Some(name) = self.names.pop_front() else { return Ok(0) };
                match input::open(&name) {
                    Ok(reader) => self.current = Some((name, reader)),
                    Err(err) => {
                        report_error(self.program, input::shown(&name), &err);
                        self.failed += 1;
                    }
                }
                continue;
            };
            match reader.read(buffer) {
                Ok(0) => self.current = None,
                Ok(length) => return Ok(length),
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => {
                    report_error(self.program, input::shown(name), &err);
                    self.failed += 1;
                    self.current = None;
                }
            }
        }
    }
}

/// Reads until `buffer` is full or the input ends: how much was read.
pub fn fill(reader: &mut (impl Read + ?Sized), buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(length) => filled += length,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(filled)
}

/// Reads and drops up to `count` bytes: how many there were.
pub fn skip(reader: &mut (impl Read + ?Sized), count: u64) -> io::Result<u64> {
    io::copy(&mut reader.take(count), &mut io::sink())
}

/// An offset or length as od's `-j`/`-N` and hexdump's `-s`/`-n` take it: decimal,
/// `0x` hexadecimal or `0` octal, with an optional multiplier suffix (`b` 512, `k`
/// or `K` 1024, `m` or `M`, `G`, `kB` 1000, ...).
pub fn parse_offset(text: &str) -> Option<u64> {
    let (radix, rest) = if let Some(rest) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        (16, rest)
    } else if text.len() > 1 && text.starts_with('0') {
        (8, &text[1..])
    } else {
        (10, text)
    };
    let split = rest.find(|char: char| !char.is_digit(radix)).unwrap_or(rest.len());
    let (digits, suffix) = rest.split_at(split);
    let number = u64::from_str_radix(digits, radix).ok()?;
    let suffix = match suffix {
        "m" => "M",
        "g" => "G",
        other => other,
    };
    let multiplier = if suffix.is_empty() { 1 } else { input::parse_count(&format!("1{suffix}"))? };
    number.checked_mul(multiplier)
}

/// Dumps `reader` from `offset` on, at most `limit` bytes, `width` bytes a line:
/// `line(out, offset, bytes)` writes each (the last may be short); with `squeeze`,
/// a full line equal to the one before is left out, a run of them shown as `*`.
/// Returns the offset where the dump ended.
pub fn lines<W: Write>(
    reader: &mut (impl Read + ?Sized),
    out: &mut W,
    width: usize,
    mut offset: u64,
    limit: Option<u64>,
    squeeze: bool,
    mut line: impl FnMut(&mut W, u64, &[u8]) -> io::Result<()>,
) -> Result<u64, input::CopyError> {
    let mut reader = reader.take(limit.unwrap_or(u64::MAX));
    let mut block = vec![0; width];
    let mut previous: Option<Vec<u8>> = None;
    let mut starred = false;
    loop {
        let length = fill(&mut reader, &mut block).map_err(input::CopyError::Read)?;
        if length == 0 {
            return Ok(offset);
        }
        let bytes = &block[..length];
        if squeeze && length == width && previous.as_deref() == Some(bytes) {
            if !starred {
                out.write_all(b"*\n").map_err(input::CopyError::Write)?;
                starred = true;
            }
        } else {
            starred = false;
            line(out, offset, bytes).map_err(input::CopyError::Write)?;
            previous = Some(bytes.to_vec());
        }
        offset += length as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dumped(data: &[u8], width: usize, limit: Option<u64>, squeeze: bool) -> (String, u64) {
        let mut out = Vec::new();
        let end = lines(&mut &data[..], &mut out, width, 0, limit, squeeze, |out, offset, bytes| {
            writeln!(out, "{offset} {}", String::from_utf8_lossy(bytes))
        })
        .ok()
        .unwrap();
        (String::from_utf8(out).unwrap(), end)
    }

    #[test]
    fn repeated_lines_are_starred() {
        assert_eq!(dumped(b"aaaaaaaaab", 2, None, true), ("0 aa\n*\n8 ab\n".into(), 10));
        assert_eq!(dumped(b"aaaaaaaaa", 2, None, true), ("0 aa\n*\n8 a\n".into(), 9));
        assert_eq!(dumped(b"aaaaab", 2, None, false), ("0 aa\n2 aa\n4 ab\n".into(), 6));
        assert_eq!(dumped(b"abcdef", 4, Some(5), true), ("0 abcd\n4 e\n".into(), 5));
        assert_eq!(dumped(b"", 4, None, true), ("".into(), 0));
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("10"), Some(10));
        assert_eq!(parse_offset("0x10"), Some(16));
        assert_eq!(parse_offset("010"), Some(8));
        assert_eq!(parse_offset("0"), Some(0));
        assert_eq!(parse_offset("2k"), Some(2048));
        assert_eq!(parse_offset("1b"), Some(512));
        assert_eq!(parse_offset("1m"), Some(1 << 20));
        assert_eq!(parse_offset("x"), None);
        assert_eq!(parse_offset("5q"), None);
    }

    #[test]
    fn operands_are_one_stream() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a"), b"abc").unwrap();
        std::fs::write(dir.path().join("b"), b"de").unwrap();
        let names = ["a", "nosuch", "b"].map(|name| dir.path().join(name).into_os_string()).to_vec();
        let mut inputs = Inputs::new("test", names);
        let mut all = Vec::new();
        inputs.read_to_end(&mut all).unwrap();
        assert_eq!(all, b"abcde");
        assert_eq!(inputs.failed, 1);
    }
}
