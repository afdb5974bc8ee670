//! Scanning a word into [`Part`]s: quoting (`'...'`, `"..."`, backslashes),
//! parameter expansions (`$name`, `${...}` in all their forms), command
//! substitutions (`$(...)`, parsed in place, and `` `...` ``, parsed from their
//! unescaped text), arithmetic (`$((...))`), and tildes. How a character reads
//! depends on where it is: unquoted, inside `"..."`, in the word of a `${...}`, in
//! a here-document body or in arithmetic.
use super::grammar::Grammar;
use super::token::{is_blank, is_operator_start};
use super::{ParseError, Parser};
use crate::ast::{List, Param, ParamOp, Part, Word};

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
fn is_special(char: char) -> bool {
    matches!(char, '@' | '*' | '#' | '?' | '-' | '$' | '!')
}

/// Where a word is being scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A word of the command line, ended by a blank or an operator.
    Unquoted,
    /// Inside `"..."`.
    Double,
    /// The word of `${name OP word}`, ended by `}`: inside double quotes (for the
    /// `- = ? +` forms) quotes are literal characters.
    ParamWord { double: bool },
    /// A here-document body, to its end: only `$`, `` ` `` and `\` are special.
    HereDoc,
}

impl Mode {
    fn quoted(self) -> bool {
        matches!(self, Mode::Double | Mode::ParamWord { double: true } | Mode::HereDoc)
    }
}

/// Parts being built: adjacent text of the same kind is merged.
#[derive(Debug, Default)]
struct Parts(Vec<Part>);

impl Parts {
    fn push_char(&mut self, char: char, quoted: bool) {
        match (self.0.last_mut(), quoted) {
            (Some(Part::Text(text)), false) | (Some(Part::Quoted(text)), true) => text.push(char),
            (_, false) => self.0.push(Part::Text(char.into())),
            (_, true) => self.0.push(Part::Quoted(char.into())),
        }
    }

    fn push_str(&mut self, text: &str, quoted: bool) {
        text.chars().for_each(|char| self.push_char(char, quoted));
    }
}

/// `parts` with a tilde-prefix at the start (and, for an assignment, after each
/// unquoted `:`) turned into [`Part::Tilde`]: the unquoted characters up to a `/`
/// (or `:`), when none of them is quoted.
fn tildes(parts: Vec<Part>, colons: bool) -> Vec<Part> {
    let count = parts.len();
    let mut out = Vec::with_capacity(count);
    let mut at_start = true;
    for (index, part) in parts.into_iter().enumerate() {
        let Part::Text(text) = part else {
            out.push(part);
            at_start = false;
            continue;
        };
        let last = index + 1 == count;
        let mut rest = text.as_str();
        let mut plain = String::new();
        loop {
            if at_start && rest.starts_with('~') {
                let end = rest.find(|char| char == '/' || (colons && char == ':')).unwrap_or(rest.len());
                if end < rest.len() || last {
                    if !plain.is_empty() {
                        out.push(Part::Text(std::mem::take(&mut plain)));
                    }
                    out.push(Part::Tilde(rest[1..end].into()));
                    rest = &rest[end..];
                }
            }
            at_start = false;
            match rest.find(':').filter(|_| colons) {
                Some(colon) => {
                    plain.push_str(&rest[..=colon]);
                    rest = &rest[colon + 1..];
                    at_start = true;
                }
                None => {
                    plain.push_str(rest);
                    break;
                }
            }
        }
        if !plain.is_empty() {
            out.push(Part::Text(plain));
        }
    }
    out
}

/// An assignment's value with its tildes (after `=` and each `:`).
pub(super) fn assignment_tildes(parts: Vec<Part>) -> Vec<Part> {
    tildes(parts, true)
}

/// Parses `text` (from backquotes, or a here-document body when `heredoc`) with a
/// parser of its own.
fn parse_inner(text: &str, grammar: &Grammar, heredoc: bool) -> Result<InnerResult, ParseError> {
    let mut parser = Parser::new(text);
    parser.finish();
    let line = grammar.line();
    let result = if heredoc {
        Grammar::new(&mut parser, grammar.aliases).scan(Mode::HereDoc).map(|parts| InnerResult::Parts(parts.0))
    } else {
        let mut list = List::default();
        loop {
            match parser.next_command(grammar.aliases) {
                Ok(Some(command)) => list.items.extend(command.items),
                Ok(None) => break Ok(InnerResult::List(list)),
                Err(err) => break Err(err),
            }
        }
    };
    result.map_err(|err| match err {
        ParseError::Incomplete => ParseError::Other { message: "unexpected end of file in `...`".into(), line },
        err => err,
    })
}

enum InnerResult {
    List(List),
    Parts(Vec<Part>),
}

impl Grammar<'_, '_> {
    /// A word of the command line.
    pub(super) fn word(&mut self) -> Result<Word, ParseError> {
        let parts = self.scan(Mode::Unquoted)?;
        Ok(Word(tildes(parts.0, false)))
    }

    /// A here-document body's parts, from its text.
    pub(super) fn heredoc_parts(&self, body: &str) -> Result<Vec<Part>, ParseError> {
        match parse_inner(body, self, true)? {
            InnerResult::Parts(parts) => Ok(parts),
            InnerResult::List(_) => unreachable!("a body gives parts"),
        }
    }

    fn scan(&mut self, mode: Mode) -> Result<Parts, ParseError> {
        let mut parts = Parts::default();
        let quoted = mode.quoted();
        loop {
            let source = &mut self.parser.source;
            let Some(char) = source.peek() else {
                return match mode {
                    Mode::Unquoted | Mode::HereDoc => Ok(parts),
                    _ => Err(ParseError::Incomplete),
                };
            };
            match (mode, char) {
                (Mode::Unquoted, char) if is_blank(char) || char == '\n' || is_operator_start(char) => {
                    return Ok(parts);
                }
                (Mode::Double, '"') | (Mode::ParamWord { .. }, '}') => {
                    source.bump();
                    return Ok(parts);
                }
                (Mode::Unquoted | Mode::ParamWord { double: false }, '\'') => {
                    source.bump();
                    let mut text = String::new();
                    loop {
                        match source.raw_bump() {
                            Some('\'') => break,
                            Some(char) => text.push(char),
                            None => return Err(ParseError::Incomplete),
                        }
                    }
                    parts.0.push(Part::Quoted(text));
                }
                (Mode::Unquoted | Mode::ParamWord { .. }, '"') => {
                    source.bump();
                    let inner = self.nested(|grammar| grammar.scan(Mode::Double))?;
                    parts.0.push(Part::Double(inner.0));
                }
                (_, '\\') => {
                    source.bump();
                    let next = source.raw_peek();
                    let escapes = |next: char| match mode {
                        Mode::Unquoted | Mode::ParamWord { double: false } => true,
                        Mode::Double => matches!(next, '$' | '`' | '"' | '\\'),
                        Mode::ParamWord { double: true } => matches!(next, '$' | '`' | '"' | '\\' | '}'),
                        Mode::HereDoc => matches!(next, '$' | '`' | '\\'),
                    };
                    match next {
                        Some(next) if escapes(next) => {
                            source.raw_bump();
                            parts.push_char(next, true);
                        }
                        _ => parts.push_char('\\', quoted || next.is_none()),
                    }
                }
                (_, '$') => {
                    let part = self.dollar(quoted)?;
                    match part {
                        Part::Text(text) => parts.push_str(&text, quoted),
                        part => parts.0.push(part),
                    }
                }
                (_, '`') => {
                    let part = self.backquote(mode == Mode::Double || mode == Mode::ParamWord { double: true })?;
                    parts.0.push(part);
                }
                (_, char) => {
                    source.bump();
                    parts.push_char(char, quoted);
                }
            }
        }
    }

    /// What `$` (next) starts: a parameter, a substitution, arithmetic, or itself
    /// (as `Text`).
    fn dollar(&mut self, quoted: bool) -> Result<Part, ParseError> {
        let source = &mut self.parser.source;
        source.bump();
        let Some(char) = source.peek() else {
            return Ok(Part::Text("$".into()));
        };
        let plain = |name: String| Ok(Part::Param(Box::new(Param { name, op: ParamOp::Plain, word: Word::default() })));
        match char {
            '{' => {
                source.bump();
                self.nested(|grammar| grammar.braced(quoted))
            }
            '(' if source.peek_at(1) == Some('(') => {
                let mark = source.mark();
                source.bump();
                source.bump();
                if let Some(parts) = self.nested(Self::arithmetic)? {
                    return Ok(Part::Arith(parts));
                }
                self.parser.source.reset(mark);
                self.parser.source.bump();
                Ok(Part::Command(Box::new(self.nested(Self::substitution)?)))
            }
            '(' => {
                source.bump();
                Ok(Part::Command(Box::new(self.nested(Self::substitution)?)))
            }
            char if is_name_start(char) => {
                let mut name = String::new();
                while let Some(char) = source.peek().filter(|&char| is_name_char(char)) {
                    source.bump();
                    name.push(char);
                }
                plain(name)
            }
            char if char.is_ascii_digit() || is_special(char) => {
                source.bump();
                plain(char.into())
            }
            _ => Ok(Part::Text("$".into())),
        }
    }

    /// The name of a parameter in `${...}`: a name, digits, or a special one.
    fn param_name(&mut self) -> Result<String, ParseError> {
        let source = &mut self.parser.source;
        let mut name = String::new();
        match source.peek() {
            Some(char) if is_name_start(char) => {
                while let Some(char) = source.peek().filter(|&char| is_name_char(char)) {
                    source.bump();
                    name.push(char);
                }
            }
            Some(char) if char.is_ascii_digit() => {
                while let Some(char) = source.peek().filter(char::is_ascii_digit) {
                    source.bump();
                    name.push(char);
                }
            }
            Some(char) if is_special(char) => {
                source.bump();
                name.push(char);
            }
            Some(_) => return Err(ParseError::BadSubstitution { line: source.line }),
            None => return Err(ParseError::Incomplete),
        }
        Ok(name)
    }

    /// `${...}`, after the `${`.
    fn braced(&mut self, quoted: bool) -> Result<Part, ParseError> {
        let source = &mut self.parser.source;
        let line = source.line;
        let bad = || ParseError::BadSubstitution { line };
        if source.peek() == Some('#') {
            let after = source.peek_at(1);
            let length = after.is_some_and(|char| is_name_start(char) || char.is_ascii_digit() || is_special(char))
                && !(matches!(after, Some('-' | '?' | '#')) && source.peek_at(2) != Some('}'));
            source.bump();
            if length {
                let name = self.param_name()?;
                return match self.parser.source.bump() {
                    Some('}') => Ok(Part::Param(Box::new(Param { name, op: ParamOp::Length, word: Word::default() }))),
                    Some(_) => Err(bad()),
                    None => Err(ParseError::Incomplete),
                };
            }
            return self.operation("#".into(), quoted);
        }
        let name = self.param_name()?;
        self.operation(name, quoted)
    }

    /// What follows the name in `${name...}`.
    fn operation(&mut self, name: String, quoted: bool) -> Result<Part, ParseError> {
        let source = &mut self.parser.source;
        let line = source.line;
        let Some(char) = source.bump() else {
            return Err(ParseError::Incomplete);
        };
        let colon = char == ':';
        let char = if colon { source.bump().ok_or(ParseError::Incomplete)? } else { char };
        let op = match char {
            '}' if !colon => {
                return Ok(Part::Param(Box::new(Param { name, op: ParamOp::Plain, word: Word::default() })));
            }
            '-' => ParamOp::Default { colon },
            '=' => ParamOp::Assign { colon },
            '?' => ParamOp::Error { colon },
            '+' => ParamOp::Alternative { colon },
            '%' if !colon => ParamOp::RemoveSuffix { largest: source.eat('%') },
            '#' if !colon => ParamOp::RemovePrefix { largest: source.eat('#') },
            _ => return Err(ParseError::BadSubstitution { line }),
        };
        let pattern = matches!(op, ParamOp::RemoveSuffix { .. } | ParamOp::RemovePrefix { .. });
        let parts = self.scan(Mode::ParamWord { double: quoted && !pattern })?;
        Ok(Part::Param(Box::new(Param { name, op, word: Word(tildes(parts.0, false)) })))
    }

    /// `$((...))` after the `$((`: its parts through the `))`, or `None` when a
    /// lone `)` shows it is a command substitution starting with a subshell.
    fn arithmetic(&mut self) -> Result<Option<Vec<Part>>, ParseError> {
        let mut parts = Parts::default();
        let mut depth = 0usize;
        loop {
            let source = &mut self.parser.source;
            let Some(char) = source.peek() else {
                return Err(ParseError::Incomplete);
            };
            match char {
                ')' if depth == 0 => {
                    if source.peek_at(1) != Some(')') {
                        return Ok(None);
                    }
                    source.bump();
                    source.bump();
                    return Ok(Some(parts.0));
                }
                '$' => {
                    let part = self.dollar(true)?;
                    match part {
                        Part::Text(text) => parts.push_str(&text, false),
                        part => parts.0.push(part),
                    }
                }
                '`' => {
                    let part = self.backquote(false)?;
                    parts.0.push(part);
                }
                '\\' => {
                    source.bump();
                    match source.raw_bump() {
                        Some(char) => parts.push_char(char, true),
                        None => return Err(ParseError::Incomplete),
                    }
                }
                '"' => {
                    source.bump();
                    let inner = self.nested(|grammar| grammar.scan(Mode::Double))?;
                    parts.0.push(Part::Double(inner.0));
                }
                char => {
                    match char {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    source.bump();
                    parts.push_char(char, false);
                }
            }
        }
    }

    /// `` `...` ``: the text to the closing backquote with `\$`, `` \` ``, `\\` (and
    /// `\"` inside double quotes) unescaped, parsed as commands.
    fn backquote(&mut self, in_double: bool) -> Result<Part, ParseError> {
        let source = &mut self.parser.source;
        source.bump();
        let mut text = String::new();
        loop {
            match source.bump() {
                Some('`') => break,
                Some('\\') => match source.raw_peek() {
                    Some(next) if matches!(next, '$' | '`' | '\\') || (in_double && next == '"') => {
                        source.raw_bump();
                        text.push(next);
                    }
                    _ => text.push('\\'),
                },
                Some(char) => text.push(char),
                None => return Err(ParseError::Incomplete),
            }
        }
        match parse_inner(&text, self, false)? {
            InnerResult::List(list) => Ok(Part::Command(Box::new(list))),
            InnerResult::Parts(_) => unreachable!("commands give a list"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(text: &str) -> Part {
        Part::Text(text.into())
    }

    fn tilde(name: &str) -> Part {
        Part::Tilde(name.into())
    }

    #[test]
    fn tilde_prefixes() {
        assert_eq!(tildes(vec![text("~")], false), [tilde("")]);
        assert_eq!(tildes(vec![text("~/x")], false), [tilde(""), text("/x")]);
        assert_eq!(tildes(vec![text("~root/x")], false), [tilde("root"), text("/x")]);
        assert_eq!(tildes(vec![text("~"), Part::Quoted("x".into())], false), [text("~"), Part::Quoted("x".into())]);
        assert_eq!(tildes(vec![text("a~")], false), [text("a~")]);
        assert_eq!(tildes(vec![text("~:~")], false), [tilde(":~")]);
        assert_eq!(tildes(vec![text("~:~/b:x~")], true), [tilde(""), text(":"), tilde(""), text("/b:x~")]);
    }

    #[test]
    fn names() {
        assert!(is_name("PATH") && is_name("_x1") && is_name("a"));
        assert!(!is_name("") && !is_name("1a") && !is_name("a-b") && !is_name("é"));
    }
}
