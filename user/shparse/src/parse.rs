//! The parser: tokens to a [`List`], by recursive descent over
//!
//! ```text
//! list     := newline* (and_or ((';' | '&' | newline) newline*)?)*
//! and_or   := pipeline (('&&' | '||') newline* pipeline)*
//! pipeline := command ('|' newline* command)*
//! command  := (assignment | redirect)* (word | redirect)*      (not empty)
//! redirect := [n]('<' | '>' | '>|' | '>>' | '<&' | '>&') word
//! ```
//!
//! Input that stops where more must follow (an open quote, a trailing `|`, `&&`, `||`
//! or backslash-newline) is [`ParseError::Incomplete`], so an interactive shell can
//! read another line and try again.
use std::fmt;
use std::iter::Peekable;
use std::vec::IntoIter;

use crate::ast::{AndOr, Assignment, Command, Connector, Item, List, Part, Pipeline, Redirect, Word};
use crate::lex::{Kind, Op, Token, is_name, tokenize};

/// Why a command line does not parse; displays as the shell's complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// The input ends where more must follow.
    Incomplete,
    /// A token (or `newline`) where it cannot be.
    Unexpected(String),
    /// `${...}` that does not hold a parameter name.
    BadSubstitution(String),
    /// Syntax this shell does not have.
    Unsupported(&'static str),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Incomplete => write!(f, "syntax error: unexpected end of file"),
            ParseError::Unexpected(token) => write!(f, "syntax error near unexpected token '{token}'"),
            ParseError::BadSubstitution(text) => write!(f, "{text}: bad substitution"),
            ParseError::Unsupported(what) => write!(f, "{what} is not supported"),
        }
    }
}

/// Parses `source` (any number of lines).
pub fn parse(source: &str) -> Result<List, ParseError> {
    let tokens = tokenize(source)?;
    Parser { source, tokens: tokens.into_iter().peekable(), last_end: 0 }.list()
}

struct Parser<'a> {
    source: &'a str,
    tokens: Peekable<IntoIter<Token>>,
    /// Where the last consumed token ends.
    last_end: usize,
}

/// How a token is named in an error.
fn describe(kind: &Kind) -> String {
    match kind {
        Kind::Word(_) => "word".into(),
        Kind::Op(op) => op.text().into(),
        Kind::Redirect { text, .. } => (*text).into(),
        Kind::Newline => "newline".into(),
    }
}

/// Splits `NAME=value` off a word whose first part is unquoted text holding `=`
/// after a valid name.
fn assignment(word: &Word) -> Option<Assignment> {
    let Some(Part::Text(first)) = word.0.first() else {
        return None;
    };
    let (name, value) = first.split_once('=')?;
    if !is_name(name) {
        return None;
    }
    let mut parts = Vec::with_capacity(word.0.len());
    if !value.is_empty() {
        parts.push(Part::Text(value.into()));
    }
    parts.extend(word.0[1..].iter().cloned());
    Some(Assignment { name: name.into(), value: Word(parts) })
}

impl Parser<'_> {
    fn peek(&mut self) -> Option<&Kind> {
        self.tokens.peek().map(|token| &token.kind)
    }

    fn next(&mut self) -> Option<Kind> {
        let token = self.tokens.next()?;
        self.last_end = token.end;
        Some(token.kind)
    }

    /// Consumes the next token if it is a word.
    fn word(&mut self) -> Option<Word> {
        let token = self.tokens.next_if(|token| matches!(token.kind, Kind::Word(_)))?;
        self.last_end = token.end;
        match token.kind {
            Kind::Word(word) => Some(word),
            _ => None,
        }
    }

    fn skip_newlines(&mut self) {
        while self.peek() == Some(&Kind::Newline) {
            self.next();
        }
    }

    /// The error for what comes next, where something else had to.
    fn unexpected(&mut self) -> ParseError {
        match self.peek() {
            None => ParseError::Incomplete,
            Some(kind) => ParseError::Unexpected(describe(kind)),
        }
    }

    /// Consumes `op` if it comes next.
    fn eat(&mut self, op: Op) -> bool {
        let found = self.peek() == Some(&Kind::Op(op));
        if found {
            self.next();
        }
        found
    }

    fn list(mut self) -> Result<List, ParseError> {
        let mut items = Vec::new();
        loop {
            self.skip_newlines();
            let Some(token) = self.tokens.peek() else {
                return Ok(List { items });
            };
            let start = token.start;
            let and_or = self.and_or()?;
            let text = self.source[start..self.last_end].to_owned();
            let background = match self.peek() {
                Some(Kind::Op(Op::Amp)) => true,
                Some(Kind::Op(Op::Semi) | Kind::Newline) | None => false,
                Some(kind) => return Err(ParseError::Unexpected(describe(kind))),
            };
            if !matches!(self.peek(), Some(Kind::Newline) | None) {
                self.next();
            }
            items.push(Item { and_or, background, text });
        }
    }

    fn and_or(&mut self) -> Result<AndOr, ParseError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let connector = if self.eat(Op::AndIf) {
                Connector::And
            } else if self.eat(Op::OrIf) {
                Connector::Or
            } else {
                return Ok(AndOr { first, rest });
            };
            self.skip_newlines();
            rest.push((connector, self.pipeline()?));
        }
    }

    fn pipeline(&mut self) -> Result<Pipeline, ParseError> {
        let mut commands = vec![self.command()?];
        while self.eat(Op::Pipe) {
            self.skip_newlines();
            commands.push(self.command()?);
        }
        Ok(Pipeline { commands })
    }

    fn command(&mut self) -> Result<Command, ParseError> {
        let mut command = Command::default();
        loop {
            if let Some(word) = self.word() {
                match assignment(&word).filter(|_| command.words.is_empty()) {
                    Some(assignment) => command.assignments.push(assignment),
                    None => command.words.push(word),
                }
                continue;
            }
            let Some(&Kind::Redirect { fd, op, .. }) = self.peek() else {
                break;
            };
            self.next();
            let Some(target) = self.word() else {
                return Err(ParseError::Unexpected(self.peek().map_or("newline".into(), describe)));
            };
            command.redirects.push(Redirect { fd, op, target });
        }
        if command == Command::default() {
            return Err(self.unexpected());
        }
        Ok(command)
    }
}

#[cfg(test)]
mod tests;
