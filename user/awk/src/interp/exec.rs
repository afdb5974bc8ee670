//! Statements: output with its redirections, control flow, loops, deletion.
use std::rc::Rc;

use super::value::{Value, number_to_string};
use super::{Flow, Interp, Stop, fatal};
use crate::ast::{Redirect, Stmt};
use crate::specials;

impl Interp<'_> {
    pub(super) fn block(&mut self, block: &[Stmt]) -> Flow<()> {
        for statement in block {
            self.statement(statement)?;
        }
        Ok(())
    }

    /// Runs a loop's body: whether the loop goes on (`break` ends it).
    fn body(&mut self, body: &[Stmt]) -> Flow<bool> {
        match self.block(body) {
            Ok(()) | Err(Stop::Continue) => Ok(true),
            Err(Stop::Break) => Ok(false),
            Err(other) => Err(other),
        }
    }

    fn output(&mut self, redirect: Option<&Redirect>, text: &str) -> Flow<()> {
        let target = match redirect {
            Some(redirect) => Some((redirect.kind, self.string(&redirect.target)?)),
            None => None,
        };
        let target = target.as_ref().map(|(kind, name)| (*kind, &**name));
        self.streams.write(target, text.as_bytes()).or_else(fatal)
    }

    fn statement(&mut self, statement: &Stmt) -> Flow<()> {
        self.nested(|interp| interp.statement_inner(statement))
    }

    fn statement_inner(&mut self, statement: &Stmt) -> Flow<()> {
        match statement {
            Stmt::Expr(expr) => {
                self.eval(expr)?;
            }
            Stmt::Print(args, redirect) => {
                let mut text = String::new();
                if args.is_empty() {
                    text.push_str(&self.record_text());
                } else {
                    let ofs = self.special_string(specials::OFS);
                    let ofmt = self.special_string(specials::OFMT);
                    for (index, arg) in args.iter().enumerate() {
                        if index > 0 {
                            text.push_str(&ofs);
                        }
                        match self.eval(arg)? {
                            Value::Num(value) => text.push_str(&number_to_string(value, &ofmt)),
                            other => text.push_str(&other.string(&self.convfmt())),
                        }
                    }
                }
                text.push_str(&self.special_string(specials::ORS));
                self.output(redirect.as_ref(), &text)?;
            }
            Stmt::Printf(args, redirect) => {
                let format = self.string(&args[0])?;
                let mut values = Vec::with_capacity(args.len() - 1);
                for arg in &args[1..] {
                    values.push(self.eval(arg)?);
                }
                let text = super::format::sprintf(&format, &values, &self.convfmt()).or_else(fatal)?;
                self.output(redirect.as_ref(), &text)?;
            }
            Stmt::If(condition, then, otherwise) => {
                if self.condition(condition)? {
                    self.block(then)?;
                } else {
                    self.block(otherwise)?;
                }
            }
            Stmt::While(condition, body) => while self.condition(condition)? && self.body(body)? {},
            Stmt::Do(body, condition) => while self.body(body)? && self.condition(condition)? {},
            Stmt::For(init, condition, step, body) => {
                if let Some(init) = init {
                    self.eval(init)?;
                }
                loop {
                    if let Some(condition) = condition
                        && !self.condition(condition)?
                    {
                        break;
                    }
                    if !self.body(body)? {
                        break;
                    }
                    if let Some(step) = step {
                        self.eval(step)?;
                    }
                }
            }
            Stmt::ForIn(key, array, body) => {
                let array = self.array(*array)?;
                let keys: Vec<Rc<str>> = array.borrow().keys().cloned().collect();
                for name in keys {
                    if !array.borrow().contains_key(&name) {
                        continue;
                    }
                    self.set_var(*key, Value::input(name))?;
                    if !self.body(body)? {
                        break;
                    }
                }
            }
            Stmt::Block(block) => self.block(block)?,
            Stmt::Next => return Err(Stop::Next),
            Stmt::NextFile => return Err(Stop::NextFile),
            Stmt::Exit(status) => {
                if let Some(status) = status {
                    self.exit_status = self.number(status)? as i32;
                }
                return Err(Stop::Exit);
            }
            Stmt::Return(value) => {
                let value = match value {
                    Some(value) => self.eval(value)?,
                    None => Value::Uninit,
                };
                return Err(Stop::Return(value));
            }
            Stmt::Break => return Err(Stop::Break),
            Stmt::Continue => return Err(Stop::Continue),
            Stmt::Delete(array, subscripts) => {
                let array = self.array(*array)?;
                match subscripts {
                    None => array.borrow_mut().clear(),
                    Some(subscripts) => {
                        let key = self.subscript(subscripts)?;
                        array.borrow_mut().remove(&key);
                    }
                }
            }
        }
        Ok(())
    }
}
