//! Reading records from a stream as RS says: lines (a newline RS), any single
//! character, paragraphs (an empty RS) or a regular expression (longer RS, as gawk
//! and mawk do), buffered so that big inputs take linear time.
use std::io::{self, Read};

use regex_lite::Regex;

/// How RS ends records.
#[derive(Debug)]
pub enum Separator {
    Char(u8),
    Paragraph,
    Regex(Regex),
}

impl Separator {
    pub fn new(rs: &str) -> Result<Self, String> {
        Ok(match rs.as_bytes() {
            [] => Separator::Paragraph,
            [byte] => Separator::Char(*byte),
            _ => Separator::Regex(crate::regex::compile(rs)?),
        })
    }
}

pub struct RecordReader {
    source: Box<dyn Read>,
    buffer: Vec<u8>,
    start: usize,
    eof: bool,
}

impl std::fmt::Debug for RecordReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordReader").field("eof", &self.eof).finish()
    }
}

impl RecordReader {
    pub fn new(source: Box<dyn Read>) -> Self {
        Self { source, buffer: Vec::new(), start: 0, eof: false }
    }

    /// Reads more into the buffer; false at the end of the input.
    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.start > 0 && self.start * 2 >= self.buffer.len() {
            self.buffer.drain(..self.start);
            self.start = 0;
        }
        let old = self.buffer.len();
        self.buffer.resize(old + 65536, 0);
        let count = loop {
            match self.source.read(&mut self.buffer[old..]) {
                Ok(count) => break count,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => {
                    self.buffer.truncate(old);
                    return Err(err);
                }
            }
        };
        self.buffer.truncate(old + count);
        self.eof = count == 0;
        Ok(count > 0)
    }

    /// Takes `length` bytes as a record and skips `skip` more.
    fn take(&mut self, length: usize, skip: usize) -> String {
        let record = String::from_utf8_lossy(&self.buffer[self.start..self.start + length]).into_owned();
        self.start += length + skip;
        record
    }

    /// The next record, or `None` at the end.
    pub fn next_record(&mut self, separator: &Separator) -> io::Result<Option<String>> {
        let mut searched = 0;
        loop {
            let pending = &self.buffer[self.start..];
            match separator {
                Separator::Char(byte) => {
                    if let Some(at) = pending[searched..].iter().position(|b| b == byte) {
                        return Ok(Some(self.take(searched + at, 1)));
                    }
                    searched = pending.len();
                }
                Separator::Paragraph => {
                    // Newlines before a record are skipped.
                    self.start += pending.iter().take_while(|&&b| b == b'\n').count();
                    let pending = &self.buffer[self.start..];
                    if let Some(end) = pending.windows(2).position(|pair| pair == b"\n\n") {
                        let newlines = pending[end..].iter().take_while(|&&b| b == b'\n').count();
                        if end + newlines < pending.len() || self.eof {
                            return Ok(Some(self.take(end, newlines)));
                        }
                    }
                }
                Separator::Regex(regex) => {
                    let text = match std::str::from_utf8(pending) {
                        Ok(text) => text,
                        Err(err) => std::str::from_utf8(&pending[..err.valid_up_to()]).unwrap_or_default(),
                    };
                    if let Some(found) = regex.find_iter(text).find(|found| !found.is_empty())
                        && (found.end() < pending.len() || self.eof)
                    {
                        let (start, end) = (found.start(), found.end());
                        return Ok(Some(self.take(start, end - start)));
                    }
                }
            }
            if !self.fill()? {
                let pending = &self.buffer[self.start..];
                if pending.is_empty() {
                    return Ok(None);
                }
                let mut length = pending.len();
                if matches!(separator, Separator::Paragraph) {
                    length -= pending.iter().rev().take_while(|&&b| b == b'\n').count();
                }
                let rest = self.buffer.len() - self.start;
                return Ok(Some(self.take(length, rest - length)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(rs: &str, text: &str) -> Vec<String> {
        let separator = Separator::new(rs).unwrap();
        let mut reader = RecordReader::new(Box::new(io::Cursor::new(text.as_bytes().to_vec())));
        let mut out = Vec::new();
        while let Some(record) = reader.next_record(&separator).unwrap() {
            out.push(record);
        }
        out
    }

    #[test]
    fn lines_and_characters() {
        assert_eq!(records("\n", "a\nb\n\nc"), ["a", "b", "", "c"]);
        assert_eq!(records("\n", "a\n"), ["a"]);
        assert_eq!(records(";", "a;b;"), ["a", "b"]);
        assert!(records("\n", "").is_empty());
    }

    #[test]
    fn paragraphs() {
        assert_eq!(records("", "\n\na\nb\n\n\nc\n\n"), ["a\nb", "c"]);
        assert_eq!(records("", "x\n"), ["x"]);
    }

    #[test]
    fn regex_separators() {
        assert_eq!(records("[,;]+", "a,b;;c\n"), ["a", "b", "c\n"]);
    }

    #[test]
    fn big_inputs_are_linear() {
        let text = "line\n".repeat(200_000);
        assert_eq!(records("\n", &text).len(), 200_000);
    }
}
