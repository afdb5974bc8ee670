//! The parser: POSIX token recognition (XCU 2.3) and grammar (2.10), reading from a
//! [`Parser`] that is fed text and gives one complete command (a list ended by a
//! newline) at a time, as a shell runs them. Aliases are looked up through a
//! closure; here-document bodies are read after the newline that ends their line.
mod grammar;
mod heredoc;
mod source;
mod token;
mod word;

use std::fmt;

pub use word::is_name as word_is_name;

use crate::ast::List;
use source::Source;
use token::Token;

/// Why text does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// The text ends inside a command: more lines may complete it.
    Incomplete,
    /// A token where the grammar has no place for it.
    Unexpected { token: String, line: usize },
    /// A `${...}` that is not one of the forms.
    BadSubstitution { line: usize },
    /// Anything else, said as it is.
    Other { message: String, line: usize },
}

impl ParseError {
    /// The line the error is on (1 for an incomplete input).
    pub fn line(&self) -> usize {
        match self {
            ParseError::Incomplete => 1,
            ParseError::Unexpected { line, .. }
            | ParseError::BadSubstitution { line }
            | ParseError::Other { line, .. } => *line,
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            ParseError::Incomplete => write!(f, "syntax error: unexpected end of file"),
            ParseError::Unexpected { token, .. } => write!(f, "syntax error near unexpected token '{token}'"),
            ParseError::BadSubstitution { .. } => write!(f, "bad substitution"),
            ParseError::Other { message, .. } => write!(f, "syntax error: {message}"),
        }
    }
}

impl std::error::Error for ParseError {}

/// Alias values by name.
pub type Aliases<'a> = &'a dyn Fn(&str) -> Option<String>;

fn no_aliases(_: &str) -> Option<String> {
    None
}

/// A here-document whose body is still to be read.
#[derive(Debug, Clone)]
struct Pending {
    delimiter: String,
    strip_tabs: bool,
    quoted: bool,
}

/// Reads complete commands from the text fed to it.
#[derive(Debug, Default)]
pub struct Parser {
    source: Source,
    /// A token looked at but not taken, with where it started and ended in the
    /// transcript.
    peeked: Option<(Token, usize, usize)>,
    /// Here-documents of the current line, in order.
    pending: Vec<Pending>,
    /// Bodies read, by here-document number (in the order the operators appeared).
    bodies: Vec<crate::ast::Word>,
    /// How many here-document operators the current command has.
    heredocs: usize,
    /// The last alias ended with a blank: the next word may be an alias too.
    alias_blank: bool,
    /// The text the last complete command was read from (for `set -v`).
    last_text: String,
    /// How deeply the grammar is nested now.
    depth: usize,
}

impl Parser {
    /// A parser of `text`; [`Parser::feed`] adds more, [`Parser::finish`] says
    /// there is no more.
    pub fn new(text: &str) -> Self {
        Self { source: Source::new(text), ..Self::default() }
    }

    pub fn feed(&mut self, text: &str) {
        self.source.feed(text);
    }

    pub fn finish(&mut self) {
        self.source.finished = true;
    }

    pub fn is_finished(&self) -> bool {
        self.source.finished
    }

    /// The text the last complete command was read from, line continuations
    /// removed (what `set -v` shows).
    pub fn last_text(&self) -> &str {
        &self.last_text
    }

    /// Whether nothing but blanks is left to read.
    pub fn is_empty(&self) -> bool {
        self.source.is_empty()
    }

    /// Drops the rest of the text (after a syntax error at the prompt).
    pub fn discard(&mut self) {
        self.source.discard();
        self.peeked = None;
        self.pending.clear();
    }

    /// The next complete command; `Ok(None)` at the end of the text.
    /// `Err(Incomplete)` leaves the parser where it was, to be called again once
    /// more text is fed (or to report the end of file once finished).
    pub fn next_command(&mut self, aliases: Aliases) -> Result<Option<List>, ParseError> {
        let mark = self.source.mark();
        let alias_blank = self.alias_blank;
        self.peeked = None;
        self.pending.clear();
        self.bodies.clear();
        self.heredocs = 0;
        self.depth = 0;
        let result = grammar::Grammar::new(self, aliases).complete_command();
        match &result {
            Err(ParseError::Incomplete) => {
                self.source.reset(mark);
                self.peeked = None;
                self.alias_blank = alias_blank;
            }
            Ok(_) => {
                self.last_text = std::mem::take(&mut self.source.transcript);
                self.source.forget_read();
            }
            Err(_) => {}
        }
        result
    }
}

/// Parses all of `text` (with no aliases) into one list.
pub fn parse(text: &str) -> Result<List, ParseError> {
    parse_with(text, &no_aliases)
}

/// Parses all of `text` with `aliases` into one list.
pub fn parse_with(text: &str, aliases: Aliases) -> Result<List, ParseError> {
    let mut parser = Parser::new(text);
    parser.finish();
    let mut list = List::default();
    while let Some(command) = parser.next_command(aliases)? {
        list.items.extend(command.items);
    }
    Ok(list)
}

#[cfg(test)]
mod tests;
