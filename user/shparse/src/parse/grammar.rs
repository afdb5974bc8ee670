//! The grammar (XCU 2.10), by recursive descent over tokens: lists, and-or lists,
//! pipelines, simple commands with assignments and redirections, the compound
//! commands and function definitions. Reserved words are recognized in command
//! position only; aliases are replaced there (and after an alias ending in a
//! blank).
use std::rc::Rc;

use super::token::{Op, Token};
use super::word::is_name;
use super::{Aliases, ParseError, Parser, Pending};
use crate::ast::{
    AndOr, Assignment, CaseArm, Command, Compound, Connector, FunctionBody, Item, List, Part, Pipeline, Redirect,
    RedirectOp, Simple, Word,
};

/// Reserved words that end a list.
const LIST_ENDS: [&str; 8] = ["then", "else", "elif", "fi", "do", "done", "esac", "}"];
/// How deeply commands and words may nest (deeper text is refused rather than
/// overflowing the stack).
const MAX_DEPTH: usize = 200;
/// Reserved words that start a compound command.
const COMPOUND_STARTS: [&str; 6] = ["{", "if", "while", "until", "for", "case"];

pub(super) struct Grammar<'p, 'a> {
    pub parser: &'p mut Parser,
    pub aliases: Aliases<'a>,
    /// Where the last token taken ended in the transcript.
    pub last_end: usize,
}

impl<'p, 'a> Grammar<'p, 'a> {
    pub fn new(parser: &'p mut Parser, aliases: Aliases<'a>) -> Self {
        Self { parser, aliases, last_end: 0 }
    }

    /// Runs `parse` one nesting level deeper, refusing to go past [`MAX_DEPTH`].
    pub(super) fn nested<T>(
        &mut self,
        parse: impl FnOnce(&mut Self) -> Result<T, ParseError>,
    ) -> Result<T, ParseError> {
        if self.parser.depth >= MAX_DEPTH {
            return Err(ParseError::Other { message: "nested too deeply".into(), line: self.line() });
        }
        self.parser.depth += 1;
        let result = parse(self);
        self.parser.depth -= 1;
        result
    }

    pub(super) fn line(&self) -> usize {
        self.parser.source.line
    }

    /// The error for an unexpected `token`: at the end of the text, more may come.
    pub(super) fn unexpected(&self, token: &Token) -> ParseError {
        match token {
            Token::Eof => ParseError::Incomplete,
            token => ParseError::Unexpected { token: token.describe(), line: self.line() },
        }
    }

    fn unexpected_next(&mut self) -> ParseError {
        match self.peek() {
            Ok(token) => {
                let token = token.clone();
                self.unexpected(&token)
            }
            Err(err) => err,
        }
    }

    fn eat_op(&mut self, op: Op) -> Result<bool, ParseError> {
        if *self.peek()? == Token::Op(op) {
            self.next()?;
            return Ok(true);
        }
        Ok(false)
    }

    fn expect_op(&mut self, op: Op) -> Result<(), ParseError> {
        if self.eat_op(op)? { Ok(()) } else { Err(self.unexpected_next()) }
    }

    fn peek_keyword(&mut self, keyword: &str) -> Result<bool, ParseError> {
        Ok(self.peek()?.is_keyword(keyword))
    }

    fn expect_keyword(&mut self, keyword: &str) -> Result<(), ParseError> {
        if self.peek_keyword(keyword)? {
            self.next()?;
            Ok(())
        } else {
            Err(self.unexpected_next())
        }
    }

    /// Skips newlines.
    fn linebreak(&mut self) -> Result<(), ParseError> {
        while *self.peek()? == Token::Newline {
            self.next()?;
        }
        Ok(())
    }

    /// A list up to a newline or the end of the text, then the here-documents
    /// filled in: `None` when there is no command before the end.
    pub fn complete_command(mut self) -> Result<Option<List>, ParseError> {
        loop {
            match self.peek()? {
                Token::Newline => {
                    self.next()?;
                }
                Token::Eof => return Ok(None),
                _ => break,
            }
        }
        let mut list = self.list(false)?;
        match self.next()? {
            Token::Newline | Token::Eof => {}
            token => return Err(self.unexpected(&token)),
        }
        self.fill_heredocs(&mut list);
        Ok(Some(list))
    }

    /// Whether the next token ends a list: the end, `)`, `;;` or a reserved word
    /// that closes a compound command.
    fn at_list_end(&mut self) -> Result<bool, ParseError> {
        let token = self.peek()?;
        Ok(matches!(token, Token::Eof | Token::Op(Op::RightParen | Op::DoubleSemi))
            || LIST_ENDS.iter().any(|keyword| token.is_keyword(keyword)))
    }

    /// And-or lists separated by `;` and `&`; over several lines (a compound list,
    /// ended by what [`Grammar::at_list_end`] says) or one (ended by a newline).
    fn list(&mut self, multiline: bool) -> Result<List, ParseError> {
        let mut items = Vec::new();
        loop {
            if multiline {
                self.linebreak()?;
            }
            if self.at_list_end()? || (!multiline && *self.peek()? == Token::Newline) {
                break;
            }
            let start = self.next_start()?;
            let and_or = self.and_or()?;
            let text = self.parser.source.transcript[start..self.last_end].trim().to_string();
            let background = match self.peek()? {
                Token::Op(Op::Amp) => true,
                Token::Op(Op::Semi) => false,
                _ => {
                    items.push(Item { and_or, background: false, text });
                    if multiline && *self.peek()? == Token::Newline {
                        continue;
                    }
                    break;
                }
            };
            self.next()?;
            items.push(Item { and_or, background, text });
        }
        Ok(List { items })
    }

    /// A compound list, which must hold a command.
    fn compound_list(&mut self) -> Result<List, ParseError> {
        let list = self.list(true)?;
        if list.items.is_empty() {
            return Err(self.unexpected_next());
        }
        Ok(list)
    }

    /// The commands of `$( ... )`, through the `)`.
    pub(super) fn substitution(&mut self) -> Result<List, ParseError> {
        let list = self.list(true)?;
        self.expect_op(Op::RightParen)?;
        Ok(list)
    }

    fn and_or(&mut self) -> Result<AndOr, ParseError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let connector = match self.peek()? {
                Token::Op(Op::AndIf) => Connector::And,
                Token::Op(Op::OrIf) => Connector::Or,
                _ => return Ok(AndOr { first, rest }),
            };
            self.next()?;
            self.linebreak()?;
            rest.push((connector, self.pipeline()?));
        }
    }

    fn pipeline(&mut self) -> Result<Pipeline, ParseError> {
        let negated = self.peek_keyword("!")?;
        if negated {
            self.next()?;
        }
        let mut commands = vec![self.command()?];
        while self.eat_op(Op::Pipe)? {
            self.linebreak()?;
            commands.push(self.command()?);
        }
        Ok(Pipeline { negated, commands })
    }

    /// Replaces the word coming next by its alias value while it is an unquoted
    /// alias name not already being replaced.
    fn expand_aliases(&mut self) -> Result<(), ParseError> {
        loop {
            let Token::Word(word, _) = self.peek()? else {
                return Ok(());
            };
            let [Part::Text(name)] = &word.0[..] else {
                return Ok(());
            };
            let name = name.clone();
            if self.parser.source.in_alias(&name) {
                return Ok(());
            }
            let Some(value) = (self.aliases)(&name) else {
                return Ok(());
            };
            self.parser.peeked = None;
            self.parser.alias_blank |= value.ends_with([' ', '\t']);
            self.parser.source.push_alias(&name, value);
        }
    }

    fn command(&mut self) -> Result<Command, ParseError> {
        let token = self.peek()?;
        if !COMPOUND_STARTS.iter().any(|keyword| token.is_keyword(keyword))
            && !LIST_ENDS.iter().any(|keyword| token.is_keyword(keyword))
            && !token.is_keyword("!")
        {
            self.expand_aliases()?;
        }
        let token = self.peek()?.clone();
        if token == Token::Op(Op::LeftParen) || COMPOUND_STARTS.iter().any(|keyword| token.is_keyword(keyword)) {
            let compound = self.nested(Self::compound)?;
            let redirects = self.redirects()?;
            return Ok(Command::Compound(compound, redirects));
        }
        match token {
            Token::Word(..) if LIST_ENDS.iter().any(|keyword| token.is_keyword(keyword)) || token.is_keyword("!") => {
                Err(self.unexpected(&token))
            }
            Token::Word(word, raw) => {
                self.next()?;
                if *self.peek()? == Token::Op(Op::LeftParen) && assignment(&word).is_none() {
                    return self.function(raw);
                }
                Ok(Command::Simple(self.simple(Some(Token::Word(word, raw)))?))
            }
            Token::IoNumber(_) => Ok(Command::Simple(self.simple(None)?)),
            Token::Op(op) if op.is_redirect() => Ok(Command::Simple(self.simple(None)?)),
            token => Err(self.unexpected(&token)),
        }
    }

    /// `name() body`, after the name.
    fn function(&mut self, name: String) -> Result<Command, ParseError> {
        if !is_name(&name) {
            return Err(ParseError::Other { message: format!("bad function name '{name}'"), line: self.line() });
        }
        self.expect_op(Op::LeftParen)?;
        self.expect_op(Op::RightParen)?;
        self.linebreak()?;
        let token = self.peek()?.clone();
        if token != Token::Op(Op::LeftParen) && !COMPOUND_STARTS.iter().any(|keyword| token.is_keyword(keyword)) {
            return Err(self.unexpected(&token));
        }
        let body = self.nested(Self::compound)?;
        let redirects = self.redirects()?;
        Ok(Command::Function { name, body: Rc::new(FunctionBody { body, redirects }) })
    }

    fn simple(&mut self, first: Option<Token>) -> Result<Simple, ParseError> {
        let mut command = Simple::default();
        let mut first = first;
        loop {
            let token = match first.take() {
                Some(token) => token,
                None => {
                    if self.parser.alias_blank {
                        self.parser.alias_blank = false;
                        self.expand_aliases()?;
                    }
                    let token = self.peek()?;
                    if command.words.is_empty()
                        && let Token::Word(word, _) = token
                        && assignment(word).is_none()
                    {
                        self.expand_aliases()?;
                    }
                    match self.peek()? {
                        Token::Word(..) | Token::IoNumber(_) => self.next()?,
                        Token::Op(op) if op.is_redirect() => self.next()?,
                        _ => break,
                    }
                }
            };
            match token {
                Token::Word(word, _) => match assignment(&word).filter(|_| command.words.is_empty()) {
                    Some(assignment) => command.assignments.push(assignment),
                    None => command.words.push(word),
                },
                Token::IoNumber(fd) => match self.next()? {
                    Token::Op(op) if op.is_redirect() => command.redirects.push(self.redirect(Some(fd), op)?),
                    token => return Err(self.unexpected(&token)),
                },
                Token::Op(op) => command.redirects.push(self.redirect(None, op)?),
                token => return Err(self.unexpected(&token)),
            }
        }
        Ok(command)
    }

    /// Redirections after a compound command.
    fn redirects(&mut self) -> Result<Vec<Redirect>, ParseError> {
        let mut redirects = Vec::new();
        loop {
            let fd = match self.peek()? {
                Token::IoNumber(fd) => {
                    let fd = *fd;
                    self.next()?;
                    Some(fd)
                }
                Token::Op(op) if op.is_redirect() => None,
                _ => return Ok(redirects),
            };
            match self.next()? {
                Token::Op(op) if op.is_redirect() => redirects.push(self.redirect(fd, op)?),
                token => return Err(self.unexpected(&token)),
            }
        }
    }

    /// The redirection `op` (already taken) with its target.
    fn redirect(&mut self, fd: Option<i32>, op: Op) -> Result<Redirect, ParseError> {
        let strip_tabs = op == Op::DoubleLessDash;
        let (op, default_fd) = match op {
            Op::Less => (RedirectOp::Read, 0),
            Op::Great => (RedirectOp::Write, 1),
            Op::Clobber => (RedirectOp::Clobber, 1),
            Op::DoubleGreat => (RedirectOp::Append, 1),
            Op::LessGreat => (RedirectOp::ReadWrite, 0),
            Op::LessAnd => (RedirectOp::DupRead, 0),
            Op::GreatAnd => (RedirectOp::DupWrite, 1),
            Op::DoubleLess | Op::DoubleLessDash => (RedirectOp::HereDoc, 0),
            _ => unreachable!("not a redirection operator"),
        };
        let (target, raw) = match self.next()? {
            Token::Word(word, raw) => (word, raw),
            token => return Err(self.unexpected(&token)),
        };
        let fd = fd.unwrap_or(default_fd);
        if op != RedirectOp::HereDoc {
            return Ok(Redirect { fd, op, target });
        }
        let (delimiter, quoted) = heredoc_delimiter(&raw);
        let index = self.parser.heredocs;
        self.parser.heredocs += 1;
        self.parser.pending.push(Pending { delimiter, strip_tabs, quoted });
        Ok(Redirect { fd, op, target: Word(vec![Part::Text(index.to_string())]) })
    }

    fn compound(&mut self) -> Result<Compound, ParseError> {
        let token = self.next()?;
        if token == Token::Op(Op::LeftParen) {
            let list = self.compound_list()?;
            self.expect_op(Op::RightParen)?;
            return Ok(Compound::Subshell(list));
        }
        let Token::Word(word, _) = &token else {
            return Err(self.unexpected(&token));
        };
        let [Part::Text(keyword)] = &word.0[..] else {
            return Err(self.unexpected(&token));
        };
        match keyword.as_str() {
            "{" => {
                let list = self.compound_list()?;
                self.expect_keyword("}")?;
                Ok(Compound::Group(list))
            }
            "if" => {
                let mut branches = Vec::new();
                let mut otherwise = None;
                loop {
                    let condition = self.compound_list()?;
                    self.expect_keyword("then")?;
                    branches.push((condition, self.compound_list()?));
                    if self.peek_keyword("elif")? {
                        self.next()?;
                        continue;
                    }
                    if self.peek_keyword("else")? {
                        self.next()?;
                        otherwise = Some(self.compound_list()?);
                    }
                    self.expect_keyword("fi")?;
                    return Ok(Compound::If { branches, otherwise });
                }
            }
            "while" | "until" => {
                let condition = self.compound_list()?;
                let body = self.do_group()?;
                Ok(Compound::Loop { until: keyword == "until", condition, body })
            }
            "for" => self.for_loop(),
            "case" => self.case(),
            _ => Err(self.unexpected(&token)),
        }
    }

    fn do_group(&mut self) -> Result<List, ParseError> {
        self.expect_keyword("do")?;
        let body = self.compound_list()?;
        self.expect_keyword("done")?;
        Ok(body)
    }

    fn for_loop(&mut self) -> Result<Compound, ParseError> {
        let name = match self.next()? {
            Token::Word(_, raw) if is_name(&raw) => raw,
            Token::Word(_, raw) => {
                return Err(ParseError::Other { message: format!("bad for loop variable '{raw}'"), line: self.line() });
            }
            token => return Err(self.unexpected(&token)),
        };
        self.linebreak()?;
        let mut words = None;
        if self.peek_keyword("in")? {
            self.next()?;
            let mut list = Vec::new();
            while let Token::Word(..) = self.peek()? {
                let Token::Word(word, _) = self.next()? else { unreachable!("peeked a word") };
                list.push(word);
            }
            words = Some(list);
            match self.next()? {
                Token::Op(Op::Semi) | Token::Newline => {}
                token => return Err(self.unexpected(&token)),
            }
        } else {
            self.eat_op(Op::Semi)?;
        }
        self.linebreak()?;
        let body = self.do_group()?;
        Ok(Compound::For { name, words, body })
    }

    fn case(&mut self) -> Result<Compound, ParseError> {
        let word = match self.next()? {
            Token::Word(word, _) => word,
            token => return Err(self.unexpected(&token)),
        };
        self.linebreak()?;
        self.expect_keyword("in")?;
        let mut arms = Vec::new();
        loop {
            self.linebreak()?;
            if self.peek_keyword("esac")? {
                self.next()?;
                return Ok(Compound::Case { word, arms });
            }
            self.eat_op(Op::LeftParen)?;
            let mut patterns = Vec::new();
            loop {
                match self.next()? {
                    Token::Word(pattern, _) => patterns.push(pattern),
                    token => return Err(self.unexpected(&token)),
                }
                if !self.eat_op(Op::Pipe)? {
                    break;
                }
            }
            self.expect_op(Op::RightParen)?;
            let body = self.list(true)?;
            arms.push(CaseArm { patterns, body });
            if !self.eat_op(Op::DoubleSemi)? {
                self.linebreak()?;
                self.expect_keyword("esac")?;
                return Ok(Compound::Case { word, arms });
            }
        }
    }
}

/// `NAME=value`: the assignment a word is, if its unquoted start is a name and `=`.
pub(super) fn assignment(word: &Word) -> Option<Assignment> {
    let Some(Part::Text(text)) = word.0.first() else {
        return None;
    };
    let (name, value) = text.split_once('=')?;
    if !is_name(name) {
        return None;
    }
    let mut parts = Vec::with_capacity(word.0.len());
    if !value.is_empty() {
        parts.push(Part::Text(value.into()));
    }
    parts.extend(word.0[1..].iter().cloned());
    Some(Assignment { name: name.into(), value: Word(super::word::assignment_tildes(parts)) })
}

/// A here-document delimiter as written: its text with quotes removed, and whether
/// any part was quoted (then the body is taken as it is).
fn heredoc_delimiter(raw: &str) -> (String, bool) {
    let mut delimiter = String::new();
    let mut quoted = false;
    let mut chars = raw.chars();
    while let Some(char) = chars.next() {
        match char {
            '\'' => {
                quoted = true;
                delimiter.extend(chars.by_ref().take_while(|&char| char != '\''));
            }
            '"' => {
                quoted = true;
                while let Some(char) = chars.next() {
                    match char {
                        '"' => break,
                        '\\' => delimiter.extend(chars.next()),
                        char => delimiter.push(char),
                    }
                }
            }
            '\\' => {
                quoted = true;
                delimiter.extend(chars.next());
            }
            char => delimiter.push(char),
        }
    }
    (delimiter, quoted)
}
