//! Tokens (XCU 2.3): operators, words (scanned by [`super::word`]), descriptor
//! numbers right before a redirection operator, newlines, and the end of the text.
//! Blanks separate tokens and `#` starting one comments out the rest of the line.
use super::ParseError;
use super::grammar::Grammar;
use crate::ast::{Part, Word};

/// The operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Amp,
    AndIf,
    Pipe,
    OrIf,
    Semi,
    DoubleSemi,
    LeftParen,
    RightParen,
    Less,
    Great,
    DoubleGreat,
    DoubleLess,
    DoubleLessDash,
    LessAnd,
    GreatAnd,
    LessGreat,
    Clobber,
}

impl Op {
    pub fn text(self) -> &'static str {
        match self {
            Op::Amp => "&",
            Op::AndIf => "&&",
            Op::Pipe => "|",
            Op::OrIf => "||",
            Op::Semi => ";",
            Op::DoubleSemi => ";;",
            Op::LeftParen => "(",
            Op::RightParen => ")",
            Op::Less => "<",
            Op::Great => ">",
            Op::DoubleGreat => ">>",
            Op::DoubleLess => "<<",
            Op::DoubleLessDash => "<<-",
            Op::LessAnd => "<&",
            Op::GreatAnd => ">&",
            Op::LessGreat => "<>",
            Op::Clobber => ">|",
        }
    }

    pub fn is_redirect(self) -> bool {
        matches!(
            self,
            Op::Less
                | Op::Great
                | Op::DoubleGreat
                | Op::DoubleLess
                | Op::DoubleLessDash
                | Op::LessAnd
                | Op::GreatAnd
                | Op::LessGreat
                | Op::Clobber
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// A word and its text as written.
    Word(Word, String),
    /// Digits right before `<` or `>`.
    IoNumber(i32),
    Op(Op),
    Newline,
    Eof,
}

impl Token {
    /// How an error message names it.
    pub fn describe(&self) -> String {
        match self {
            Token::Word(_, raw) => raw.clone(),
            Token::IoNumber(number) => number.to_string(),
            Token::Op(op) => op.text().into(),
            Token::Newline => "newline".into(),
            Token::Eof => "end of file".into(),
        }
    }

    /// Whether it is the reserved word `keyword` (unquoted, alone).
    pub fn is_keyword(&self, keyword: &str) -> bool {
        matches!(self, Token::Word(word, _) if matches!(&word.0[..], [Part::Text(text)] if text == keyword))
    }
}

pub fn is_blank(char: char) -> bool {
    matches!(char, ' ' | '\t')
}

/// Characters that start an operator (and so end a word).
pub fn is_operator_start(char: char) -> bool {
    matches!(char, '&' | '|' | ';' | '<' | '>' | '(' | ')')
}

impl Grammar<'_, '_> {
    /// Reads the next token.
    pub(super) fn lex(&mut self) -> Result<Token, ParseError> {
        let source = &mut self.parser.source;
        source.pop_finished_aliases();
        while source.peek().is_some_and(is_blank) {
            source.bump();
        }
        if source.peek() == Some('#') {
            while source.peek().is_some_and(|char| char != '\n') {
                source.bump();
            }
        }
        let Some(char) = source.peek() else {
            if !source.finished {
                return Err(ParseError::Incomplete);
            }
            self.end_heredocs();
            return Ok(Token::Eof);
        };
        if char == '\n' {
            source.bump();
            self.read_heredocs()?;
            return Ok(Token::Newline);
        }
        if is_operator_start(char) {
            return Ok(Token::Op(self.operator()));
        }
        let start = self.parser.source.transcript.len();
        let word = self.word()?;
        let raw = self.parser.source.transcript[start..].to_string();
        let source = &mut self.parser.source;
        if !raw.is_empty()
            && raw.bytes().all(|byte| byte.is_ascii_digit())
            && matches!(source.peek(), Some('<' | '>'))
            && let Ok(number) = raw.parse()
        {
            return Ok(Token::IoNumber(number));
        }
        Ok(Token::Word(word, raw))
    }

    fn operator(&mut self) -> Op {
        let source = &mut self.parser.source;
        let first = source.bump().unwrap_or(';');
        let second = source.peek();
        let (op, length) = match (first, second) {
            ('&', Some('&')) => (Op::AndIf, 2),
            ('&', _) => (Op::Amp, 1),
            ('|', Some('|')) => (Op::OrIf, 2),
            ('|', _) => (Op::Pipe, 1),
            (';', Some(';')) => (Op::DoubleSemi, 2),
            (';', _) => (Op::Semi, 1),
            ('(', _) => (Op::LeftParen, 1),
            (')', _) => (Op::RightParen, 1),
            ('<', Some('<')) if source.peek_at(1) == Some('-') => (Op::DoubleLessDash, 3),
            ('<', Some('<')) => (Op::DoubleLess, 2),
            ('<', Some('&')) => (Op::LessAnd, 2),
            ('<', Some('>')) => (Op::LessGreat, 2),
            ('<', _) => (Op::Less, 1),
            ('>', Some('>')) => (Op::DoubleGreat, 2),
            ('>', Some('&')) => (Op::GreatAnd, 2),
            ('>', Some('|')) => (Op::Clobber, 2),
            _ => (Op::Great, 1),
        };
        for _ in 1..length {
            source.bump();
        }
        op
    }

    /// The next token, left to be taken.
    pub(super) fn peek(&mut self) -> Result<&Token, ParseError> {
        if self.parser.peeked.is_none() {
            let start = self.parser.source.transcript.len();
            let token = self.lex()?;
            let end = self.parser.source.transcript.len();
            self.parser.peeked = Some((token, start, end));
        }
        Ok(&self.parser.peeked.as_ref().expect("just peeked").0)
    }

    /// Takes the next token; also notes where it ended, for the text of a list.
    pub(super) fn next(&mut self) -> Result<Token, ParseError> {
        self.peek()?;
        let (token, _, end) = self.parser.peeked.take().expect("just peeked");
        self.last_end = end;
        Ok(token)
    }

    /// Where the next token starts in the transcript.
    pub(super) fn next_start(&mut self) -> Result<usize, ParseError> {
        self.peek()?;
        let (_, start, _) = self.parser.peeked.as_ref().expect("just peeked");
        Ok(*start)
    }
}
