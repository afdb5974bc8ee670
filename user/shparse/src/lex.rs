//! The tokenizer: source text to words (with their quoting kept as [`Part`]s),
//! operators, redirection operators with their descriptor, and newlines. Blanks
//! separate tokens, `#` starting a token comments out the rest of the line, and
//! backslash-newline joins lines.
use crate::ast::{Part, RedirectOp, Word};
use crate::parse::ParseError;

/// Control operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Pipe,
    AndIf,
    OrIf,
    Semi,
    DoubleSemi,
    Amp,
    LeftParen,
    RightParen,
}

impl Op {
    pub fn text(self) -> &'static str {
        match self {
            Op::Pipe => "|",
            Op::AndIf => "&&",
            Op::OrIf => "||",
            Op::Semi => ";",
            Op::DoubleSemi => ";;",
            Op::Amp => "&",
            Op::LeftParen => "(",
            Op::RightParen => ")",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Word(Word),
    Op(Op),
    /// A redirection operator and the descriptor it redirects: the number written
    /// right before it, else 0 for `<` and `<&` and 1 for the others.
    Redirect {
        fd: i32,
        op: RedirectOp,
        text: &'static str,
    },
    Newline,
}

/// A token and where it lies in the source (byte offsets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// Splits `source` into tokens.
pub fn tokenize(source: &str) -> Result<Vec<Token>, ParseError> {
    let mut lexer = Lexer { source, pos: 0 };
    let mut tokens = Vec::new();
    while let Some(token) = lexer.next_token()? {
        tokens.push(token);
    }
    Ok(tokens)
}

fn is_blank(char: char) -> bool {
    char == ' ' || char == '\t'
}

/// Characters that end an unquoted word.
fn ends_word(char: char) -> bool {
    is_blank(char) || matches!(char, '\n' | '|' | '&' | ';' | '<' | '>' | '(' | ')')
}

fn is_name_start(char: char) -> bool {
    char.is_ascii_alphabetic() || char == '_'
}

fn is_name_char(char: char) -> bool {
    char.is_ascii_alphanumeric() || char == '_'
}

/// Whether `name` is a variable name: a letter or `_`, then letters, digits and `_`.
pub fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

/// The special parameters that are one character after `$`.
fn is_special_param(char: char) -> bool {
    matches!(char, '?' | '$' | '!' | '#' | '@' | '*' | '-') || char.is_ascii_digit()
}

/// What `${...}` may hold: a name, a special parameter or a positional number.
fn is_param_name(name: &str) -> bool {
    let mut chars = name.chars();
    let single_special = matches!((chars.next(), chars.next()), (Some(char), None) if is_special_param(char));
    is_name(name) || single_special || (!name.is_empty() && name.bytes().all(|byte| byte.is_ascii_digit()))
}

struct Lexer<'a> {
    source: &'a str,
    pos: usize,
}

/// A word being built: adjacent parts of the same kind merge.
#[derive(Default)]
struct WordBuilder {
    parts: Vec<Part>,
}

impl WordBuilder {
    fn text(&mut self, char: char) {
        match self.parts.last_mut() {
            Some(Part::Text(text)) => text.push(char),
            _ => self.parts.push(Part::Text(char.into())),
        }
    }

    fn quoted(&mut self, text: &str) {
        match self.parts.last_mut() {
            Some(Part::Quoted(quoted)) => quoted.push_str(text),
            _ => self.parts.push(Part::Quoted(text.into())),
        }
    }
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.source[self.pos..].chars().next()
    }

    fn peek_second(&self) -> Option<char> {
        self.source[self.pos..].chars().nth(1)
    }

    fn bump(&mut self) -> Option<char> {
        let char = self.peek()?;
        self.pos += char.len_utf8();
        Some(char)
    }

    /// Consumes `char` if it comes next.
    fn eat(&mut self, char: char) -> bool {
        let found = self.peek() == Some(char);
        if found {
            self.pos += char.len_utf8();
        }
        found
    }

    /// Skips blanks, line continuations and a comment.
    fn skip_space(&mut self) -> Result<(), ParseError> {
        loop {
            match self.peek() {
                Some(char) if is_blank(char) => {
                    self.bump();
                }
                Some('\\') if self.peek_second() == Some('\n') => {
                    self.pos += 2;
                    if self.pos == self.source.len() {
                        return Err(ParseError::Incomplete);
                    }
                }
                Some('#') => {
                    while self.peek().is_some_and(|char| char != '\n') {
                        self.bump();
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn next_token(&mut self) -> Result<Option<Token>, ParseError> {
        self.skip_space()?;
        let start = self.pos;
        let Some(char) = self.peek() else {
            return Ok(None);
        };
        let kind = match char {
            '\n' => {
                self.bump();
                Kind::Newline
            }
            '|' | '&' | ';' | '(' | ')' => Kind::Op(self.operator()),
            '<' | '>' => self.redirect(None),
            _ => {
                let word = self.word()?;
                match (&word.0[..], self.peek()) {
                    ([Part::Text(digits)], Some('<' | '>')) if digits.bytes().all(|byte| byte.is_ascii_digit()) => {
                        match digits.parse() {
                            Ok(fd) => self.redirect(Some(fd)),
                            Err(_) => Kind::Word(word),
                        }
                    }
                    _ => Kind::Word(word),
                }
            }
        };
        Ok(Some(Token { kind, start, end: self.pos }))
    }

    fn operator(&mut self) -> Op {
        match self.bump() {
            Some('|') if self.eat('|') => Op::OrIf,
            Some('|') => Op::Pipe,
            Some('&') if self.eat('&') => Op::AndIf,
            Some('&') => Op::Amp,
            Some(';') if self.eat(';') => Op::DoubleSemi,
            Some(';') => Op::Semi,
            Some('(') => Op::LeftParen,
            _ => Op::RightParen,
        }
    }

    fn redirect(&mut self, fd: Option<i32>) -> Kind {
        let (op, text) = match self.bump() {
            Some('<') if self.eat('&') => (RedirectOp::Duplicate, "<&"),
            Some('<') => (RedirectOp::Read, "<"),
            _ if self.eat('>') => (RedirectOp::Append, ">>"),
            _ if self.eat('&') => (RedirectOp::Duplicate, ">&"),
            _ if self.eat('|') => (RedirectOp::Write, ">|"),
            _ => (RedirectOp::Write, ">"),
        };
        let fd = fd.unwrap_or(if text.starts_with('<') { 0 } else { 1 });
        Kind::Redirect { fd, op, text }
    }

    fn word(&mut self) -> Result<Word, ParseError> {
        let mut word = WordBuilder::default();
        if self.peek() == Some('~') && self.peek_second().is_none_or(|next| next == '/' || ends_word(next)) {
            self.bump();
            word.parts.push(Part::Tilde);
        }
        while let Some(char) = self.peek() {
            if ends_word(char) {
                break;
            }
            self.bump();
            match char {
                '\\' => match self.bump() {
                    Some('\n') if self.pos == self.source.len() => return Err(ParseError::Incomplete),
                    Some('\n') => {}
                    Some(escaped) => word.quoted(escaped.encode_utf8(&mut [0; 4])),
                    None => word.quoted("\\"),
                },
                '\'' => {
                    let Some(length) = self.source[self.pos..].find('\'') else {
                        return Err(ParseError::Incomplete);
                    };
                    word.quoted(&self.source[self.pos..self.pos + length]);
                    self.pos += length + 1;
                }
                '"' => self.double_quoted(&mut word)?,
                '$' => self.dollar(&mut word, false)?,
                '`' => return Err(ParseError::Unsupported("command substitution")),
                ordinary => word.text(ordinary),
            }
        }
        Ok(Word(word.parts))
    }

    /// The inside of `"..."`, after the opening quote.
    fn double_quoted(&mut self, word: &mut WordBuilder) -> Result<(), ParseError> {
        loop {
            match self.bump() {
                None => return Err(ParseError::Incomplete),
                Some('"') => {
                    // `""` alone is an empty word, so it leaves a part.
                    if word.parts.is_empty() {
                        word.quoted("");
                    }
                    return Ok(());
                }
                Some('\\') => match self.peek() {
                    Some('\n') => {
                        self.bump();
                    }
                    Some(escaped @ ('$' | '`' | '"' | '\\')) => {
                        self.bump();
                        word.quoted(escaped.encode_utf8(&mut [0; 4]));
                    }
                    _ => word.quoted("\\"),
                },
                Some('$') => self.dollar(word, true)?,
                Some('`') => return Err(ParseError::Unsupported("command substitution")),
                Some(other) => word.quoted(other.encode_utf8(&mut [0; 4])),
            }
        }
    }

    /// What follows a `$`: a parameter, or a plain `$` when no name follows.
    fn dollar(&mut self, word: &mut WordBuilder, quoted: bool) -> Result<(), ParseError> {
        let name = match self.peek() {
            Some('{') => {
                let Some(length) = self.source[self.pos..].find('}') else {
                    return Err(ParseError::BadSubstitution(format!("${}", &self.source[self.pos..])));
                };
                let name = &self.source[self.pos + 1..self.pos + length];
                if !is_param_name(name) {
                    return Err(ParseError::BadSubstitution(format!("${{{name}}}")));
                }
                self.pos += length + 1;
                name.to_owned()
            }
            Some('(') => return Err(ParseError::Unsupported("command substitution")),
            Some(char) if is_name_start(char) => {
                let length =
                    self.source[self.pos..].find(|char| !is_name_char(char)).unwrap_or(self.source.len() - self.pos);
                let name = &self.source[self.pos..self.pos + length];
                self.pos += length;
                name.to_owned()
            }
            Some(char) if is_special_param(char) => {
                self.bump();
                char.into()
            }
            _ => {
                if quoted {
                    word.quoted("$");
                } else {
                    word.text('$');
                }
                return Ok(());
            }
        };
        word.parts.push(Part::Param { name, quoted });
        Ok(())
    }
}
