//! The script as sed reads it: the `-e` expressions and `-f` files joined by
//! newlines into one text, read one character at a time, and GNU's words for where
//! a mistake is (`-e expression #1, char 3:`, `file F line 2:`).
use std::fmt;

/// Where a piece of the script came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The Nth `-e` (or the script operand), from 1.
    Expression(usize),
    /// A `-f` file, by name.
    File(String),
}

/// A mistake in the script, in GNU's words; sed exits with `status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptError {
    pub place: Option<String>,
    pub message: String,
    pub status: u8,
}

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Some(place) => write!(f, "{place}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// The whole script and a cursor in it.
#[derive(Debug)]
pub struct Source {
    chars: Vec<char>,
    /// Where each piece starts in `chars`, and where it came from.
    pieces: Vec<(usize, Origin)>,
    pos: usize,
}

impl Source {
    pub fn new(pieces: Vec<(String, Origin)>) -> Self {
        let mut chars = Vec::new();
        let mut starts = Vec::new();
        for (text, origin) in pieces {
            if !starts.is_empty() {
                chars.push('\n');
            }
            starts.push((chars.len(), origin));
            chars.extend(text.chars());
        }
        Self { chars, pieces: starts, pos: 0 }
    }

    pub fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    /// Whether the script starts with `#n` on a line of its own, which asks for `-n`.
    pub fn starts_with_quiet_marker(&self) -> bool {
        self.chars.starts_with(&['#', 'n']) && matches!(self.chars.get(2), None | Some('\n'))
    }

    pub fn next(&mut self) -> Option<char> {
        let char = self.peek()?;
        self.pos += 1;
        Some(char)
    }

    /// Steps back over the character just read (GNU does not count a newline that
    /// ends a command too early).
    pub fn back(&mut self) {
        self.pos -= 1;
    }

    /// Consumes the next character if it is `char`.
    pub fn eat(&mut self, char: char) -> bool {
        let eaten = self.peek() == Some(char);
        self.pos += usize::from(eaten);
        eaten
    }

    /// Skips blanks (not newlines).
    pub fn skip_blanks(&mut self) {
        while self.peek().is_some_and(|char| char == ' ' || char == '\t') {
            self.pos += 1;
        }
    }

    /// The mark of the cursor, for `error_at` later.
    pub fn mark(&self) -> usize {
        self.pos
    }

    /// A mistake found with the cursor where it is (GNU counts the characters read).
    pub fn error(&self, message: impl Into<String>) -> ScriptError {
        self.error_at(self.pos, false, message)
    }

    /// A mistake reported at the end of the script, placed where `mark` was but as
    /// GNU does it then: `char 0`.
    pub fn error_at(&self, mark: usize, at_zero: bool, message: impl Into<String>) -> ScriptError {
        let index = self.pieces.iter().rposition(|(start, _)| *start < mark).unwrap_or(0);
        let (start, origin) = &self.pieces[index];
        let place = match origin {
            Origin::Expression(number) => {
                let char = if at_zero { 0 } else { mark - start };
                format!("-e expression #{number}, char {char}")
            }
            Origin::File(name) => {
                let line = 1 + self.chars[*start..mark].iter().filter(|&&char| char == '\n').count();
                format!("file {name} line {line}")
            }
        };
        ScriptError { place: Some(place), message: message.into(), status: 1 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_as_gnu_words_them() {
        let mut source =
            Source::new(vec![("p".into(), Origin::Expression(1)), ("s/a/b".into(), Origin::Expression(2))]);
        assert_eq!(source.next(), Some('p'));
        assert_eq!(source.error("x").to_string(), "-e expression #1, char 1: x");
        assert_eq!(source.next(), Some('\n'));
        (0..5).for_each(|_| {
            source.next();
        });
        assert_eq!(source.error("y").to_string(), "-e expression #2, char 5: y");
        assert_eq!(source.error_at(0, true, "z").to_string(), "-e expression #1, char 0: z");
        let mut file = Source::new(vec![("p\ns/a".into(), Origin::File("sc".into()))]);
        while file.next().is_some() {}
        assert_eq!(file.error("w").to_string(), "file sc line 2: w");
    }
}
