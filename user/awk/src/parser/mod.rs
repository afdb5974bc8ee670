//! The parser: tokens into the program's tree (items, functions, statements), with
//! awk's newline and semicolon rules; expressions are in `expr.rs`. Variables are
//! resolved to slots here, and which function parameters are arrays is worked out.
mod expr;

use std::collections::HashMap;

use crate::ast::{Block, Expr, Function, Item, Pattern, Program, Redirect, RedirectKind, Stmt, Var};
use crate::lexer::{Lexer, SyntaxError, Tok, Token};
use crate::specials;

/// How deep expressions and statements may nest.
const MAX_DEPTH: usize = 300;

type Result<T> = std::result::Result<T, SyntaxError>;

/// A local passed bare to a function: (the function, the argument's position, the
/// local's slot).
type Passed = (usize, usize, usize);

/// What the parser knows of the function being defined.
#[derive(Debug, Default)]
struct Scope {
    locals: HashMap<String, usize>,
    /// Which parameters are used as arrays.
    arrays: Vec<bool>,
    passed: Vec<Passed>,
}

#[derive(Debug)]
pub struct Parser<'a> {
    lexer: Lexer<'a>,
    text: &'a str,
    tok: Token,
    globals: HashMap<String, usize>,
    global_names: Vec<String>,
    scope: Option<Scope>,
    function_ids: HashMap<String, usize>,
    functions: Vec<Option<Function>>,
    /// Per function, what its scope recorded (for the array analysis).
    scopes: Vec<(Vec<bool>, Vec<Passed>)>,
    /// The line each function was first called on, for "never defined".
    called_at: Vec<usize>,
    ranges: usize,
    /// Inside print's unparenthesized arguments: `>` and `|` are redirections.
    in_print: bool,
    depth: usize,
    /// How many loops enclose the statement being parsed (`break` needs one).
    loops: usize,
}

/// Parses a whole program.
pub fn parse(text: &str) -> Result<Program> {
    let mut parser = Parser::new(text)?;
    parser.program()
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Result<Self> {
        let mut lexer = Lexer::new(text);
        let tok = lexer.next_token()?;
        let mut parser = Self {
            lexer,
            text,
            tok,
            globals: HashMap::new(),
            global_names: Vec::new(),
            scope: None,
            function_ids: HashMap::new(),
            functions: Vec::new(),
            scopes: Vec::new(),
            called_at: Vec::new(),
            ranges: 0,
            in_print: false,
            depth: 0,
            loops: 0,
        };
        for name in specials::NAMES {
            parser.global(name);
        }
        Ok(parser)
    }

    fn global(&mut self, name: &str) -> usize {
        if let Some(&slot) = self.globals.get(name) {
            return slot;
        }
        self.global_names.push(name.to_owned());
        self.globals.insert(name.to_owned(), self.global_names.len() - 1);
        self.global_names.len() - 1
    }

    /// The variable a name stands for here.
    fn var(&mut self, name: &str) -> Var {
        match self.scope.as_ref().and_then(|scope| scope.locals.get(name)) {
            Some(&slot) => Var::Local(slot),
            None => Var::Global(self.global(name)),
        }
    }

    /// Notes that a variable is used as an array.
    fn used_as_array(&mut self, var: Var) {
        if let (Var::Local(slot), Some(scope)) = (var, self.scope.as_mut()) {
            scope.arrays[slot] = true;
        }
    }

    fn function_id(&mut self, name: &str) -> usize {
        if let Some(&id) = self.function_ids.get(name) {
            return id;
        }
        self.functions.push(None);
        self.scopes.push((Vec::new(), Vec::new()));
        self.called_at.push(0);
        self.function_ids.insert(name.to_owned(), self.functions.len() - 1);
        self.functions.len() - 1
    }

    fn advance(&mut self) -> Result<Token> {
        let next = self.lexer.next_token()?;
        Ok(std::mem::replace(&mut self.tok, next))
    }

    /// The parser's position, to come back to after looking ahead.
    fn snapshot(&self) -> (Lexer<'a>, Token) {
        (self.lexer.clone(), self.tok.clone())
    }

    fn restore(&mut self, (lexer, tok): (Lexer<'a>, Token)) {
        self.lexer = lexer;
        self.tok = tok;
    }

    fn error_here(&self) -> SyntaxError {
        let near = match &self.tok.tok {
            Tok::Newline => "end of line".to_owned(),
            Tok::Eof => "end of file".to_owned(),
            _ => self.text.get(self.tok.start..self.lexer.position()).unwrap_or_default().trim().to_owned(),
        };
        SyntaxError { line: self.tok.line, message: format!("syntax error at or near {near}") }
    }

    fn expect(&mut self, tok: Tok) -> Result<()> {
        if self.tok.tok != tok {
            return Err(self.error_here());
        }
        self.advance()?;
        Ok(())
    }

    fn skip_newlines(&mut self) -> Result<()> {
        while self.tok.tok == Tok::Newline {
            self.advance()?;
        }
        Ok(())
    }

    fn skip_terminators(&mut self) -> Result<()> {
        while matches!(self.tok.tok, Tok::Newline | Tok::Semi) {
            self.advance()?;
        }
        Ok(())
    }

    /// Runs `parse` one level deeper, failing when programs nest too deeply.
    fn nested<T>(&mut self, parse: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if self.depth >= MAX_DEPTH {
            return Err(SyntaxError { line: self.tok.line, message: "program nested too deeply".into() });
        }
        self.depth += 1;
        let result = parse(self);
        self.depth -= 1;
        result
    }

    fn program(&mut self) -> Result<Program> {
        let mut program = Program::default();
        self.skip_terminators()?;
        while self.tok.tok != Tok::Eof {
            match self.tok.tok {
                Tok::Begin => {
                    self.advance()?;
                    program.begin.push(self.block()?);
                }
                Tok::End => {
                    self.advance()?;
                    program.end.push(self.block()?);
                }
                Tok::Function => self.function()?,
                _ => {
                    let item = self.item()?;
                    program.items.push(item);
                }
            }
            self.skip_terminators()?;
        }
        for (id, function) in self.functions.iter().enumerate() {
            if function.is_none() {
                let name = self.function_ids.iter().find(|(_, other)| **other == id).map(|(name, _)| name.clone());
                return Err(SyntaxError {
                    line: self.called_at[id],
                    message: format!("function {} never defined", name.unwrap_or_default()),
                });
            }
        }
        let arrays = self.array_params();
        program.functions = std::mem::take(&mut self.functions)
            .into_iter()
            .zip(arrays)
            .filter_map(|(function, arrays)| function.map(|function| Function { array_params: arrays, ..function }))
            .collect();
        program.globals = std::mem::take(&mut self.global_names);
        Ok(program)
    }

    /// Which parameters of each function are arrays: those it uses as arrays, and
    /// those it passes on where another function takes an array.
    fn array_params(&self) -> Vec<Vec<bool>> {
        let mut arrays: Vec<Vec<bool>> = self.scopes.iter().map(|(arrays, _)| arrays.clone()).collect();
        loop {
            let mut changed = false;
            for (caller, (_, passed)) in self.scopes.iter().enumerate() {
                for &(callee, position, local) in passed {
                    if arrays[callee].get(position) == Some(&true) && !arrays[caller][local] {
                        arrays[caller][local] = true;
                        changed = true;
                    }
                }
            }
            if !changed {
                return arrays;
            }
        }
    }

    fn item(&mut self) -> Result<Item> {
        let pattern = if self.tok.tok == Tok::LBrace {
            Pattern::All
        } else {
            let first = self.expr()?;
            if self.tok.tok == Tok::Comma {
                self.advance()?;
                self.skip_newlines()?;
                let second = self.expr()?;
                self.ranges += 1;
                Pattern::Range(first, second, self.ranges - 1)
            } else {
                Pattern::Expr(first)
            }
        };
        let action = if self.tok.tok == Tok::LBrace {
            Some(self.block()?)
        } else {
            if !matches!(self.tok.tok, Tok::Newline | Tok::Semi | Tok::Eof) {
                return Err(self.error_here());
            }
            None
        };
        Ok(Item { pattern, action })
    }

    fn function(&mut self) -> Result<()> {
        self.advance()?;
        let line = self.tok.line;
        let Tok::Name(name, _) = self.tok.tok.clone() else { return Err(self.error_here()) };
        if self.scope.is_some() {
            return Err(self.error_here());
        }
        self.advance()?;
        let id = self.function_id(&name);
        if self.functions[id].is_some() {
            return Err(SyntaxError { line, message: format!("function {name} redefined") });
        }
        self.expect(Tok::LParen)?;
        let mut scope = Scope::default();
        while let Tok::Name(param, _) = self.tok.tok.clone() {
            if scope.locals.contains_key(&param) || self.function_ids.contains_key(&param) {
                return Err(self.error_here());
            }
            scope.locals.insert(param, scope.arrays.len());
            scope.arrays.push(false);
            self.advance()?;
            if self.tok.tok != Tok::Comma {
                break;
            }
            self.advance()?;
            self.skip_newlines()?;
        }
        self.expect(Tok::RParen)?;
        self.skip_newlines()?;
        let params = scope.arrays.len();
        self.scope = Some(scope);
        let body = self.block();
        let scope = self.scope.take().unwrap_or_default();
        self.scopes[id] = (scope.arrays, scope.passed);
        self.functions[id] = Some(Function { name, params, array_params: Vec::new(), body: body? });
        Ok(())
    }

    fn block(&mut self) -> Result<Block> {
        self.expect(Tok::LBrace)?;
        let mut block = Vec::new();
        loop {
            self.skip_terminators()?;
            if self.tok.tok == Tok::RBrace {
                self.advance()?;
                return Ok(block);
            }
            block.push(self.statement()?);
        }
    }

    /// The body of a loop.
    fn loop_body(&mut self) -> Result<Block> {
        self.loops += 1;
        let body = self.body();
        self.loops -= 1;
        body
    }

    /// A statement that is the body of `if`, `while` or `for`: after optional
    /// newlines; a lone `;` is empty.
    fn body(&mut self) -> Result<Block> {
        self.skip_newlines()?;
        if self.tok.tok == Tok::Semi {
            self.advance()?;
            return Ok(Vec::new());
        }
        Ok(vec![self.statement()?])
    }

    fn statement(&mut self) -> Result<Stmt> {
        self.nested(Self::statement_inner)
    }

    fn statement_inner(&mut self) -> Result<Stmt> {
        match self.tok.tok {
            Tok::LBrace => Ok(Stmt::Block(self.block()?)),
            Tok::If => {
                self.advance()?;
                self.expect(Tok::LParen)?;
                let condition = self.expr()?;
                self.expect(Tok::RParen)?;
                let then = self.body()?;
                let saved = self.snapshot();
                self.skip_terminators()?;
                if self.tok.tok == Tok::Else {
                    self.advance()?;
                    let otherwise = self.body()?;
                    return Ok(Stmt::If(condition, then, otherwise));
                }
                self.restore(saved);
                Ok(Stmt::If(condition, then, Vec::new()))
            }
            Tok::While => {
                self.advance()?;
                self.expect(Tok::LParen)?;
                let condition = self.expr()?;
                self.expect(Tok::RParen)?;
                if self.tok.tok == Tok::Semi {
                    self.advance()?;
                    return Ok(Stmt::While(condition, Vec::new()));
                }
                Ok(Stmt::While(condition, self.loop_body()?))
            }
            Tok::Do => {
                self.advance()?;
                let body = self.loop_body()?;
                self.skip_terminators()?;
                self.expect(Tok::While)?;
                self.expect(Tok::LParen)?;
                let condition = self.expr()?;
                self.expect(Tok::RParen)?;
                self.end_simple()?;
                Ok(Stmt::Do(body, condition))
            }
            Tok::For => self.for_statement(),
            Tok::Semi => {
                self.advance()?;
                Ok(Stmt::Block(Vec::new()))
            }
            _ => {
                let statement = self.simple_statement()?;
                self.end_simple()?;
                Ok(statement)
            }
        }
    }

    /// The end of a simple statement: `;` or a newline (taken), or a `}` (left).
    fn end_simple(&mut self) -> Result<()> {
        match self.tok.tok {
            Tok::Semi | Tok::Newline => {
                self.advance()?;
                Ok(())
            }
            Tok::RBrace | Tok::Eof => Ok(()),
            _ => Err(self.error_here()),
        }
    }

    fn for_statement(&mut self) -> Result<Stmt> {
        self.advance()?;
        self.expect(Tok::LParen)?;
        let saved = self.snapshot();
        if let Tok::Name(key, false) = self.tok.tok.clone() {
            self.advance()?;
            if self.tok.tok == Tok::In {
                self.advance()?;
                if let Tok::Name(array, false) = self.tok.tok.clone() {
                    self.advance()?;
                    if self.tok.tok == Tok::RParen {
                        self.advance()?;
                        let key = self.var(&key);
                        let array = self.var(&array);
                        self.used_as_array(array);
                        return Ok(Stmt::ForIn(key, array, self.loop_body()?));
                    }
                }
            }
        }
        self.restore(saved);
        let init = if self.tok.tok == Tok::Semi { None } else { Some(self.expr()?) };
        self.expect(Tok::Semi)?;
        self.skip_newlines()?;
        let condition = if self.tok.tok == Tok::Semi { None } else { Some(self.expr()?) };
        self.expect(Tok::Semi)?;
        self.skip_newlines()?;
        let step = if self.tok.tok == Tok::RParen { None } else { Some(self.expr()?) };
        self.expect(Tok::RParen)?;
        Ok(Stmt::For(init, condition, step, self.loop_body()?))
    }

    fn simple_statement(&mut self) -> Result<Stmt> {
        let at_end = |tok: &Tok| matches!(tok, Tok::Semi | Tok::Newline | Tok::RBrace | Tok::Eof);
        match self.tok.tok {
            Tok::Print | Tok::Printf => {
                let printf = self.tok.tok == Tok::Printf;
                self.advance()?;
                let args = self.print_args()?;
                if printf && args.is_empty() {
                    return Err(self.error_here());
                }
                let redirect = self.redirect()?;
                Ok(if printf { Stmt::Printf(args, redirect) } else { Stmt::Print(args, redirect) })
            }
            Tok::Next | Tok::NextFile => {
                let next = self.tok.tok == Tok::Next;
                self.advance()?;
                Ok(if next { Stmt::Next } else { Stmt::NextFile })
            }
            Tok::Break | Tok::Continue if self.loops == 0 => Err(self.error_here()),
            Tok::Break => {
                self.advance()?;
                Ok(Stmt::Break)
            }
            Tok::Continue => {
                self.advance()?;
                Ok(Stmt::Continue)
            }
            Tok::Exit | Tok::Return => {
                let exit = self.tok.tok == Tok::Exit;
                if !exit && self.scope.is_none() {
                    return Err(self.error_here());
                }
                self.advance()?;
                let value = if at_end(&self.tok.tok) { None } else { Some(self.expr()?) };
                Ok(if exit { Stmt::Exit(value) } else { Stmt::Return(value) })
            }
            Tok::Delete => {
                self.advance()?;
                let Tok::Name(name, false) = self.tok.tok.clone() else { return Err(self.error_here()) };
                self.advance()?;
                let array = self.var(&name);
                self.used_as_array(array);
                if self.tok.tok != Tok::LBracket {
                    return Ok(Stmt::Delete(array, None));
                }
                self.advance()?;
                let subscripts = self.expr_list(Tok::RBracket)?;
                Ok(Stmt::Delete(array, Some(subscripts)))
            }
            _ => Ok(Stmt::Expr(self.expr()?)),
        }
    }

    /// print's arguments: a parenthesized list, or expressions where `>` and `|` are
    /// redirections.
    fn print_args(&mut self) -> Result<Vec<Expr>> {
        let ends = |tok: &Tok| {
            matches!(tok, Tok::Semi | Tok::Newline | Tok::RBrace | Tok::Eof | Tok::Gt | Tok::Append | Tok::Pipe)
        };
        if ends(&self.tok.tok) {
            return Ok(Vec::new());
        }
        if self.tok.tok == Tok::LParen {
            let saved = self.snapshot();
            self.advance()?;
            let list = self.expr_list(Tok::RParen);
            if let Ok(list) = list
                && ends(&self.tok.tok)
            {
                return Ok(list);
            }
            self.restore(saved);
        }
        let outer = std::mem::replace(&mut self.in_print, true);
        let mut args = Vec::new();
        let result = (|| {
            loop {
                args.push(self.expr()?);
                if self.tok.tok != Tok::Comma {
                    return Ok(());
                }
                self.advance()?;
                self.skip_newlines()?;
            }
        })();
        self.in_print = outer;
        result.map(|()| args)
    }

    fn redirect(&mut self) -> Result<Option<Redirect>> {
        let kind = match self.tok.tok {
            Tok::Gt => RedirectKind::File,
            Tok::Append => RedirectKind::Append,
            Tok::Pipe => RedirectKind::Pipe,
            _ => return Ok(None),
        };
        self.advance()?;
        let outer = std::mem::replace(&mut self.in_print, true);
        let target = self.concatenation();
        self.in_print = outer;
        Ok(Some(Redirect { kind, target: target? }))
    }

    /// Expressions separated by commas (newlines allowed after them), up to `close`.
    fn expr_list(&mut self, close: Tok) -> Result<Vec<Expr>> {
        let outer = std::mem::replace(&mut self.in_print, false);
        let mut list = Vec::new();
        let result = (|| {
            self.skip_newlines()?;
            if self.tok.tok != close {
                loop {
                    list.push(self.expr()?);
                    self.skip_newlines()?;
                    if self.tok.tok != Tok::Comma {
                        break;
                    }
                    self.advance()?;
                    self.skip_newlines()?;
                }
            }
            self.expect(close)
        })();
        self.in_print = outer;
        result.map(|()| list)
    }
}
