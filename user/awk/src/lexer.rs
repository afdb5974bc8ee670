//! The lexer: program text into tokens, one at a time, for the parser, which also
//! asks it for a regular expression where a `/` starts an operand.
use crate::ast::Builtin;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Newline,
    Eof,
    LBrace,
    RBrace,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Semi,
    Comma,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Caret,
    Not,
    Gt,
    Lt,
    Pipe,
    Question,
    Colon,
    Tilde,
    NoMatch,
    Dollar,
    Incr,
    Decr,
    AddAssign,
    SubAssign,
    MulAssign,
    DivAssign,
    ModAssign,
    PowAssign,
    Assign,
    Eq,
    Ne,
    Le,
    Ge,
    Append,
    And,
    Or,
    Number(f64),
    Str(String),
    /// A name; `true` when `(` follows at once (a function call).
    Name(String, bool),
    Builtin(Builtin),
    Begin,
    End,
    Function,
    If,
    Else,
    While,
    For,
    Do,
    Break,
    Continue,
    Next,
    NextFile,
    Exit,
    Return,
    Delete,
    Getline,
    Print,
    Printf,
    In,
}

/// A token, where it starts, and its line.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub start: usize,
    pub line: usize,
}

/// A syntax error: its line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Lexer<'a> {
    text: &'a [u8],
    pos: usize,
    line: usize,
}

fn keyword(word: &str) -> Option<Tok> {
    use Builtin as B;
    Some(match word {
        "BEGIN" => Tok::Begin,
        "END" => Tok::End,
        "function" | "func" => Tok::Function,
        "if" => Tok::If,
        "else" => Tok::Else,
        "while" => Tok::While,
        "for" => Tok::For,
        "do" => Tok::Do,
        "break" => Tok::Break,
        "continue" => Tok::Continue,
        "next" => Tok::Next,
        "nextfile" => Tok::NextFile,
        "exit" => Tok::Exit,
        "return" => Tok::Return,
        "delete" => Tok::Delete,
        "getline" => Tok::Getline,
        "print" => Tok::Print,
        "printf" => Tok::Printf,
        "in" => Tok::In,
        "length" => Tok::Builtin(B::Length),
        "substr" => Tok::Builtin(B::Substr),
        "index" => Tok::Builtin(B::Index),
        "split" => Tok::Builtin(B::Split),
        "sub" => Tok::Builtin(B::Sub),
        "gsub" => Tok::Builtin(B::Gsub),
        "match" => Tok::Builtin(B::Match),
        "sprintf" => Tok::Builtin(B::Sprintf),
        "sin" => Tok::Builtin(B::Sin),
        "cos" => Tok::Builtin(B::Cos),
        "atan2" => Tok::Builtin(B::Atan2),
        "exp" => Tok::Builtin(B::Exp),
        "log" => Tok::Builtin(B::Log),
        "sqrt" => Tok::Builtin(B::Sqrt),
        "int" => Tok::Builtin(B::Int),
        "rand" => Tok::Builtin(B::Rand),
        "srand" => Tok::Builtin(B::Srand),
        "tolower" => Tok::Builtin(B::Tolower),
        "toupper" => Tok::Builtin(B::Toupper),
        "close" => Tok::Builtin(B::Close),
        "system" => Tok::Builtin(B::System),
        "fflush" => Tok::Builtin(B::Fflush),
        _ => return None,
    })
}

/// The character a one-letter escape (`\n`) stands for.
fn simple_escape(byte: u8) -> Option<u8> {
    Some(match byte {
        b'n' => b'\n',
        b't' => b'\t',
        b'r' => b'\r',
        b'a' => 0x07,
        b'b' => 0x08,
        b'f' => 0x0c,
        b'v' => 0x0b,
        b'\\' => b'\\',
        b'"' => b'"',
        b'/' => b'/',
        _ => return None,
    })
}

/// Decodes the escape after a backslash at `text[0..]`: the byte and how many bytes
/// it used, or `None` for an escape awk does not know (kept as written).
pub fn decode_escape(text: &[u8]) -> Option<(u8, usize)> {
    let first = *text.first()?;
    if let Some(byte) = simple_escape(first) {
        return Some((byte, 1));
    }
    let digits = text.iter().take(3).take_while(|byte| (b'0'..=b'7').contains(byte)).count();
    if digits == 0 {
        return None;
    }
    let value = text[..digits].iter().fold(0u32, |value, digit| value * 8 + u32::from(digit - b'0'));
    Some(((value & 0xff) as u8, digits))
}

/// A string's escapes decoded, as in a string literal or a command-line assignment;
/// an unknown escape keeps its backslash.
pub fn unescape(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\'
            && let Some((byte, used)) = decode_escape(&bytes[i + 1..])
        {
            out.push(byte);
            i += 1 + used;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str) -> Self {
        Self { text: text.as_bytes(), pos: 0, line: 1 }
    }

    /// Where the next token starts looking.
    pub fn position(&self) -> usize {
        self.pos
    }

    fn error(&self, message: impl Into<String>) -> SyntaxError {
        SyntaxError { line: self.line, message: message.into() }
    }

    fn peek_byte(&self, ahead: usize) -> Option<u8> {
        self.text.get(self.pos + ahead).copied()
    }

    /// Skips blanks, comments and backslash-newlines.
    fn skip_blanks(&mut self) {
        while let Some(byte) = self.peek_byte(0) {
            match byte {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\\' if self.peek_byte(1) == Some(b'\n') => {
                    self.pos += 2;
                    self.line += 1;
                }
                b'\\' if self.peek_byte(1) == Some(b'\r') && self.peek_byte(2) == Some(b'\n') => {
                    self.pos += 3;
                    self.line += 1;
                }
                b'#' => {
                    while self.peek_byte(0).is_some_and(|byte| byte != b'\n') {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
    }

    pub fn next_token(&mut self) -> Result<Token, SyntaxError> {
        self.skip_blanks();
        let start = self.pos;
        let line = self.line;
        let tok = self.scan()?;
        Ok(Token { tok, start, line })
    }

    fn scan(&mut self) -> Result<Tok, SyntaxError> {
        let Some(byte) = self.peek_byte(0) else { return Ok(Tok::Eof) };
        self.pos += 1;
        let next = self.peek_byte(0);
        let mut two = |tok: Tok| {
            self.pos += 1;
            Ok(tok)
        };
        match (byte, next) {
            (b'\n', _) => {
                self.line += 1;
                Ok(Tok::Newline)
            }
            (b'{', _) => Ok(Tok::LBrace),
            (b'}', _) => Ok(Tok::RBrace),
            (b'(', _) => Ok(Tok::LParen),
            (b')', _) => Ok(Tok::RParen),
            (b'[', _) => Ok(Tok::LBracket),
            (b']', _) => Ok(Tok::RBracket),
            (b';', _) => Ok(Tok::Semi),
            (b',', _) => Ok(Tok::Comma),
            (b'+', Some(b'+')) => two(Tok::Incr),
            (b'+', Some(b'=')) => two(Tok::AddAssign),
            (b'+', _) => Ok(Tok::Plus),
            (b'-', Some(b'-')) => two(Tok::Decr),
            (b'-', Some(b'=')) => two(Tok::SubAssign),
            (b'-', _) => Ok(Tok::Minus),
            (b'*', Some(b'*')) => {
                self.pos += 1;
                if self.peek_byte(0) == Some(b'=') {
                    self.pos += 1;
                    return Ok(Tok::PowAssign);
                }
                Ok(Tok::Caret)
            }
            (b'*', Some(b'=')) => two(Tok::MulAssign),
            (b'*', _) => Ok(Tok::Star),
            (b'/', Some(b'=')) => two(Tok::DivAssign),
            (b'/', _) => Ok(Tok::Slash),
            (b'%', Some(b'=')) => two(Tok::ModAssign),
            (b'%', _) => Ok(Tok::Percent),
            (b'^', Some(b'=')) => two(Tok::PowAssign),
            (b'^', _) => Ok(Tok::Caret),
            (b'!', Some(b'=')) => two(Tok::Ne),
            (b'!', Some(b'~')) => two(Tok::NoMatch),
            (b'!', _) => Ok(Tok::Not),
            (b'>', Some(b'=')) => two(Tok::Ge),
            (b'>', Some(b'>')) => two(Tok::Append),
            (b'>', _) => Ok(Tok::Gt),
            (b'<', Some(b'=')) => two(Tok::Le),
            (b'<', _) => Ok(Tok::Lt),
            (b'=', Some(b'=')) => two(Tok::Eq),
            (b'=', _) => Ok(Tok::Assign),
            (b'|', Some(b'|')) => two(Tok::Or),
            (b'|', _) => Ok(Tok::Pipe),
            (b'&', Some(b'&')) => two(Tok::And),
            (b'?', _) => Ok(Tok::Question),
            (b':', _) => Ok(Tok::Colon),
            (b'~', _) => Ok(Tok::Tilde),
            (b'$', _) => Ok(Tok::Dollar),
            (b'"', _) => self.string(),
            (b'0'..=b'9' | b'.', _) => self.number(),
            (b'A'..=b'Z' | b'a'..=b'z' | b'_', _) => Ok(self.word()),
            _ => {
                let char = String::from_utf8_lossy(&self.text[self.pos - 1..]).chars().next().unwrap_or('?');
                Err(self.error(format!("syntax error at or near {char}")))
            }
        }
    }

    fn string(&mut self) -> Result<Tok, SyntaxError> {
        let mut out = Vec::new();
        loop {
            let Some(byte) = self.peek_byte(0) else { return Err(self.error("runaway string constant")) };
            self.pos += 1;
            match byte {
                b'"' => break,
                b'\n' => return Err(self.error("runaway string constant")),
                b'\\' if self.peek_byte(0) == Some(b'\n') => {
                    self.pos += 1;
                    self.line += 1;
                }
                b'\\' => match decode_escape(&self.text[self.pos..]) {
                    Some((byte, used)) => {
                        out.push(byte);
                        self.pos += used;
                    }
                    None => out.push(b'\\'),
                },
                byte => out.push(byte),
            }
        }
        Ok(Tok::Str(String::from_utf8_lossy(&out).into_owned()))
    }

    fn number(&mut self) -> Result<Tok, SyntaxError> {
        let start = self.pos - 1;
        let digits = |lexer: &mut Self| {
            while lexer.peek_byte(0).is_some_and(|byte| byte.is_ascii_digit()) {
                lexer.pos += 1;
            }
        };
        digits(self);
        if self.text[start] != b'.' && self.peek_byte(0) == Some(b'.') {
            self.pos += 1;
            digits(self);
        }
        if matches!(self.peek_byte(0), Some(b'e' | b'E')) {
            let sign = usize::from(matches!(self.peek_byte(1), Some(b'+' | b'-')));
            if self.peek_byte(1 + sign).is_some_and(|byte| byte.is_ascii_digit()) {
                self.pos += 1 + sign;
                digits(self);
            }
        }
        let text = std::str::from_utf8(&self.text[start..self.pos]).unwrap_or_default();
        if text == "." {
            return Err(self.error("syntax error at or near ."));
        }
        Ok(Tok::Number(text.parse().unwrap_or(0.0)))
    }

    fn word(&mut self) -> Tok {
        let start = self.pos - 1;
        while self.peek_byte(0).is_some_and(|byte| byte.is_ascii_alphanumeric() || byte == b'_') {
            self.pos += 1;
        }
        let word = std::str::from_utf8(&self.text[start..self.pos]).unwrap_or_default();
        keyword(word).unwrap_or_else(|| Tok::Name(word.to_owned(), self.peek_byte(0) == Some(b'(')))
    }

    /// Reads a regular expression literal whose `/` is at `slash`, up to its closing
    /// `/`; the lexer continues after it. `\/` stands for `/`; other escapes are kept
    /// for the regular expression compiler.
    pub fn regex(&mut self, slash: usize) -> Result<String, SyntaxError> {
        self.pos = slash + 1;
        let mut out = Vec::new();
        let mut in_bracket = false;
        loop {
            let Some(byte) = self.peek_byte(0) else { return Err(self.error("runaway regular expression")) };
            self.pos += 1;
            match byte {
                b'\n' => return Err(self.error("runaway regular expression")),
                b'/' if !in_bracket => break,
                b'\\' if self.peek_byte(0) == Some(b'/') => {
                    out.push(b'/');
                    self.pos += 1;
                }
                b'\\' if self.peek_byte(0).is_some() => {
                    out.push(b'\\');
                    out.push(self.text[self.pos]);
                    self.pos += 1;
                }
                b'[' if !in_bracket => {
                    in_bracket = true;
                    out.push(byte);
                    // A `]` first (after `^`) is literal.
                    if self.peek_byte(0) == Some(b'^') {
                        out.push(b'^');
                        self.pos += 1;
                    }
                    if self.peek_byte(0) == Some(b']') {
                        out.push(b']');
                        self.pos += 1;
                    }
                }
                b'[' if in_bracket && matches!(self.peek_byte(0), Some(b':' | b'.' | b'=')) => {
                    // `[:alpha:]` and the like: their `]` does not end the bracket.
                    let delimiter = self.text[self.pos];
                    out.extend_from_slice(&[b'[', delimiter]);
                    self.pos += 1;
                    while let Some(next) = self.peek_byte(0).filter(|&next| next != b'\n') {
                        out.push(next);
                        self.pos += 1;
                        if next == delimiter && self.peek_byte(0) == Some(b']') {
                            out.push(b']');
                            self.pos += 1;
                            break;
                        }
                    }
                }
                b']' if in_bracket => {
                    in_bracket = false;
                    out.push(byte);
                }
                byte => out.push(byte),
            }
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<Tok> {
        let mut lexer = Lexer::new(text);
        let mut out = Vec::new();
        loop {
            let token = lexer.next_token().unwrap();
            if token.tok == Tok::Eof {
                return out;
            }
            out.push(token.tok);
        }
    }

    #[test]
    fn operators_and_words() {
        assert_eq!(
            tokens("a+=1**2 # c\n f(x) g (y)"),
            [
                Tok::Name("a".into(), false),
                Tok::AddAssign,
                Tok::Number(1.0),
                Tok::Caret,
                Tok::Number(2.0),
                Tok::Newline,
                Tok::Name("f".into(), true),
                Tok::LParen,
                Tok::Name("x".into(), false),
                Tok::RParen,
                Tok::Name("g".into(), false),
                Tok::LParen,
                Tok::Name("y".into(), false),
                Tok::RParen,
            ]
        );
        assert_eq!(
            tokens("x !~ y >> z"),
            [
                Tok::Name("x".into(), false),
                Tok::NoMatch,
                Tok::Name("y".into(), false),
                Tok::Append,
                Tok::Name("z".into(), false)
            ]
        );
    }

    #[test]
    fn numbers_and_strings() {
        assert_eq!(
            tokens("1.5e3 .5 3. 2e"),
            [Tok::Number(1500.0), Tok::Number(0.5), Tok::Number(3.0), Tok::Number(2.0), Tok::Name("e".into(), false)]
        );
        assert_eq!(tokens(r#""a\tb\"\101\q""#), [Tok::Str("a\tb\"A\\q".into())]);
        assert!(Lexer::new("\"abc").next_token().is_err());
    }

    #[test]
    fn continuation_lines_count() {
        let mut lexer = Lexer::new("a \\\n b");
        lexer.next_token().unwrap();
        let token = lexer.next_token().unwrap();
        assert_eq!((token.tok, token.line), (Tok::Name("b".into(), false), 2));
    }

    #[test]
    fn regex_literals() {
        let mut lexer = Lexer::new(r"/a\/b[/]\./ x");
        let token = lexer.next_token().unwrap();
        assert_eq!(token.tok, Tok::Slash);
        assert_eq!(lexer.regex(token.start).unwrap(), r"a/b[/]\.");
        assert_eq!(lexer.next_token().unwrap().tok, Tok::Name("x".into(), false));
        assert!(Lexer::new("/abc").regex(0).is_err());
    }

    #[test]
    fn unescaping() {
        assert_eq!(unescape(r"a\nb\\c\."), "a\nb\\c\\.");
    }
}
