//! The parser's input: the text fed so far, with alias values pushed in front of
//! what follows an alias name, read a character at a time. `peek` and `bump` skip
//! backslash-newline pairs (line continuations); the `raw_` forms do not (single
//! quotes and here-document bodies). Everything read is also kept in a transcript,
//! from which an and-or list's text is cut for `jobs`.

/// Alias text being read.
#[derive(Debug, Clone)]
struct Frame {
    text: String,
    pos: usize,
    /// The alias this is the value of.
    alias: String,
}

/// Where reading is: enough to go back to it.
#[derive(Debug, Clone)]
pub struct Mark {
    pos: usize,
    line: usize,
    frames: Vec<Frame>,
    transcript: usize,
}

#[derive(Debug, Default, Clone)]
pub struct Source {
    base: String,
    pos: usize,
    frames: Vec<Frame>,
    /// The line being read, from 1.
    pub line: usize,
    /// No more text will be fed.
    pub finished: bool,
    pub transcript: String,
}

impl Source {
    pub fn new(text: &str) -> Self {
        Self { base: text.into(), line: 1, ..Self::default() }
    }

    pub fn feed(&mut self, text: &str) {
        self.base.push_str(text);
    }

    /// Whether nothing but blanks is left to read.
    pub fn is_empty(&self) -> bool {
        self.ahead().all(char::is_whitespace)
    }

    pub fn mark(&self) -> Mark {
        Mark { pos: self.pos, line: self.line, frames: self.frames.clone(), transcript: self.transcript.len() }
    }

    pub fn reset(&mut self, mark: Mark) {
        self.pos = mark.pos;
        self.line = mark.line;
        self.frames = mark.frames;
        self.transcript.truncate(mark.transcript);
    }

    /// Drops what was read (between commands, with no alias being read).
    pub fn forget_read(&mut self) {
        if self.frames.is_empty() {
            self.base.drain(..self.pos);
            self.pos = 0;
        }
        self.transcript.clear();
    }

    /// Drops everything not yet read: after a syntax error at the prompt.
    pub fn discard(&mut self) {
        self.base.clear();
        self.pos = 0;
        self.frames.clear();
        self.transcript.clear();
    }

    /// The characters ahead, raw, across the alias frames and then the text.
    fn ahead(&self) -> impl Iterator<Item = char> + '_ {
        self.frames.iter().rev().flat_map(|frame| frame.text[frame.pos..].chars()).chain(self.base[self.pos..].chars())
    }

    pub fn raw_peek(&self) -> Option<char> {
        self.ahead().next()
    }

    pub fn raw_bump(&mut self) -> Option<char> {
        let char = loop {
            match self.frames.last_mut() {
                Some(frame) => match frame.text[frame.pos..].chars().next() {
                    Some(char) => {
                        frame.pos += char.len_utf8();
                        break char;
                    }
                    None => {
                        self.frames.pop();
                    }
                },
                None => {
                    let char = self.base[self.pos..].chars().next()?;
                    self.pos += char.len_utf8();
                    break char;
                }
            }
        };
        if char == '\n' {
            self.line += 1;
        }
        self.transcript.push(char);
        Some(char)
    }

    fn skip_continuations(&mut self) {
        while self.continuation_ahead() {
            self.raw_bump();
            self.raw_bump();
            self.transcript.truncate(self.transcript.len() - 2);
        }
    }

    fn continuation_ahead(&self) -> bool {
        let mut ahead = self.ahead();
        ahead.next() == Some('\\') && ahead.next() == Some('\n')
    }

    /// The `n`th character ahead (from 0), line continuations skipped.
    pub fn peek_at(&self, n: usize) -> Option<char> {
        let mut ahead = self.ahead().peekable();
        let mut index = 0;
        while let Some(char) = ahead.next() {
            if char == '\\' && ahead.peek() == Some(&'\n') {
                ahead.next();
                continue;
            }
            if index == n {
                return Some(char);
            }
            index += 1;
        }
        None
    }

    pub fn peek(&mut self) -> Option<char> {
        self.skip_continuations();
        self.raw_peek()
    }

    pub fn bump(&mut self) -> Option<char> {
        self.skip_continuations();
        self.raw_bump()
    }

    pub fn eat(&mut self, char: char) -> bool {
        if self.peek() == Some(char) {
            self.bump();
            true
        } else {
            false
        }
    }

    /// Drops the alias frames read to their end.
    pub fn pop_finished_aliases(&mut self) {
        while self.frames.last().is_some_and(|frame| frame.pos == frame.text.len()) {
            self.frames.pop();
        }
    }

    /// Whether alias `name` is being read (so it does not expand again).
    pub fn in_alias(&self, name: &str) -> bool {
        self.frames.iter().any(|frame| frame.alias == name)
    }

    /// Reads `text`, the value of alias `name`, before what follows.
    pub fn push_alias(&mut self, name: &str, text: String) {
        self.frames.push(Frame { text, pos: 0, alias: name.into() });
    }

    /// Reads one raw line for a here-document: the text up to the newline (which is
    /// read but not returned); `None` at the end of the input.
    pub fn raw_line(&mut self) -> Option<String> {
        self.raw_peek()?;
        let mut line = String::new();
        while let Some(char) = self.raw_bump() {
            if char == '\n' {
                break;
            }
            line.push(char);
        }
        Some(line)
    }

    /// Whether a whole line (ended by a newline) is ahead.
    pub fn has_full_line(&self) -> bool {
        self.ahead().any(|char| char == '\n')
    }
}
