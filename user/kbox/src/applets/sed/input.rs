//! sed's input: the lines of its files (standard input for `-` or none) one after
//! another, with a line read ahead to know which is the last (`$`): of all the
//! input, or of each file with `-s` and `-i`. A file that cannot be read is
//! reported and skipped (exit status 2).
use std::collections::VecDeque;
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::Path;

use ulib::diag::report_error;

use super::text;
use crate::input;

/// One line, without its delimiter, and whether it had one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub delimited: bool,
}

/// Reads the lines (delimited by `delimiter`) of `reader`, one at a time.
pub fn read_line(reader: &mut dyn BufRead, delimiter: u8) -> io::Result<Option<Line>> {
    let mut bytes = Vec::new();
    if reader.read_until(delimiter, &mut bytes)? == 0 {
        return Ok(None);
    }
    let delimited = bytes.last() == Some(&delimiter);
    if delimited {
        bytes.pop();
    }
    Ok(Some(Line { text: text::decode(&bytes), delimited }))
}

/// The input files and where sed is in them.
pub struct Input {
    operands: VecDeque<OsString>,
    reader: Option<Box<dyn BufRead>>,
    /// The file being read, and the file of the line sed is working on.
    reading: OsString,
    current: OsString,
    /// The next line, read ahead, and whether it starts a file.
    ahead: Option<(Line, bool)>,
    /// Whether the next line read is the first of its file.
    fresh: bool,
    separate: bool,
    /// `-i`: the operands are regular files to edit (`-` too is a file name).
    in_place: bool,
    delimiter: u8,
    pub line_number: u64,
    /// A file could not be read.
    pub failed: bool,
    /// A file could not be edited in place, which ends sed.
    pub fatal: Option<String>,
}

impl Input {
    pub fn new(operands: Vec<OsString>, separate: bool, in_place: bool, delimiter: u8) -> Self {
        Self {
            operands: input::operands_or_stdin(operands).into(),
            reader: None,
            reading: OsString::new(),
            current: OsString::new(),
            ahead: None,
            fresh: false,
            separate,
            in_place,
            delimiter,
            line_number: 0,
            failed: false,
            fatal: None,
        }
    }

    /// The file of the current line, as `F` prints it (`-` for standard input).
    pub fn file_name(&self) -> &OsString {
        &self.current
    }

    /// Opens the next file that can be opened; `false` when there is none left.
    fn open_next(&mut self) -> bool {
        while let Some(operand) = self.operands.pop_front() {
            let opened = if self.in_place {
                File::open(&operand).and_then(|file| {
                    let regular = file.metadata()?.is_file();
                    Ok((regular, Box::new(BufReader::new(file)) as Box<dyn BufRead>))
                })
            } else {
                input::open(&operand).map(|reader| (true, reader))
            };
            match opened {
                Ok((false, _)) => {
                    let shown = Path::new(&operand).display();
                    self.fatal = Some(format!("couldn't edit {shown}: not a regular file"));
                    self.operands.clear();
                }
                Ok((true, reader)) => {
                    self.reader = Some(reader);
                    self.reading = operand;
                    self.fresh = true;
                    return true;
                }
                Err(err) => {
                    report_error("sed", format_args!("can't read {}", Path::new(&operand).display()), &err);
                    self.failed = true;
                }
            }
        }
        self.reader = None;
        false
    }

    /// A line of the file being read, if it has one more.
    fn read_current(&mut self) -> Option<(Line, bool)> {
        let reader = self.reader.as_mut()?;
        match read_line(reader.as_mut(), self.delimiter) {
            Ok(Some(line)) => Some((line, std::mem::take(&mut self.fresh))),
            Ok(None) => None,
            Err(err) => {
                report_error("sed", format_args!("read error on {}", Path::new(&self.reading).display()), &err);
                self.failed = true;
                None
            }
        }
    }

    /// The next line, from whichever file has one, and whether it is the first of
    /// its file; it becomes the current line.
    pub fn next(&mut self) -> Option<(Line, bool)> {
        let line = match self.ahead.take() {
            Some(line) => line,
            None => loop {
                if let Some(line) = self.read_current() {
                    break line;
                }
                if !self.open_next() {
                    return None;
                }
            },
        };
        if line.1 {
            self.current = self.reading.clone();
            if self.separate {
                self.line_number = 0;
            }
        }
        self.line_number += 1;
        Some(line)
    }

    /// Whether the current line is the last: of the input, or of its file when the
    /// files are separate.
    pub fn is_last(&mut self) -> bool {
        if let Some((_, fresh)) = &self.ahead {
            return self.separate && *fresh;
        }
        loop {
            if let Some(line) = self.read_current() {
                let fresh = line.1;
                self.ahead = Some(line);
                return self.separate && fresh;
            }
            if self.separate && self.reader.is_some() {
                return true;
            }
            if !self.open_next() {
                return true;
            }
        }
    }

    /// Whether no line at all is left.
    pub fn is_exhausted(&mut self) -> bool {
        if self.ahead.is_some() {
            return false;
        }
        loop {
            if let Some(line) = self.read_current() {
                self.ahead = Some(line);
                return false;
            }
            if !self.open_next() {
                return true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_the_last_newline() {
        let mut reader: &[u8] = b"a\nb\xff\nc";
        let line = |text: &[u8], delimited| Some(Line { text: text::decode(text), delimited });
        assert_eq!(read_line(&mut reader, b'\n').unwrap(), line(b"a", true));
        assert_eq!(read_line(&mut reader, b'\n').unwrap(), line(b"b\xff", true));
        assert_eq!(read_line(&mut reader, b'\n').unwrap(), line(b"c", false));
        assert_eq!(read_line(&mut reader, b'\n').unwrap(), None);
        let mut reader: &[u8] = b"x\0y\0";
        assert_eq!(read_line(&mut reader, 0).unwrap(), line(b"x", true));
    }
}
