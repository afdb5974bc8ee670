//! Expressions, by POSIX awk's precedence from assignment (lowest) to grouping, with
//! concatenation by juxtaposition, `/` read as a regular expression where an operand
//! starts, and `getline` in its forms.
use std::rc::Rc;

use super::{Parser, Result};
use crate::ast::{BinOp, Builtin, CmpOp, Expr, GetlineSource, Var};
use crate::lexer::{SyntaxError, Tok};
use crate::regex;

fn boxed(expr: Expr) -> Box<Expr> {
    Box::new(expr)
}

impl Parser<'_> {
    pub(super) fn expr(&mut self) -> Result<Expr> {
        self.nested(Self::assignment)
    }

    fn assignment(&mut self) -> Result<Expr> {
        let target = self.ternary()?;
        let op = match self.tok.tok {
            Tok::Assign => None,
            Tok::AddAssign => Some(BinOp::Add),
            Tok::SubAssign => Some(BinOp::Sub),
            Tok::MulAssign => Some(BinOp::Mul),
            Tok::DivAssign => Some(BinOp::Div),
            Tok::ModAssign => Some(BinOp::Mod),
            Tok::PowAssign => Some(BinOp::Pow),
            _ => return Ok(target),
        };
        if !target.is_lvalue() {
            return Err(self.error_here());
        }
        self.advance()?;
        self.skip_newlines()?;
        let value = self.expr()?;
        Ok(match op {
            None => Expr::Assign(boxed(target), boxed(value)),
            Some(op) => Expr::AugAssign(op, boxed(target), boxed(value)),
        })
    }

    fn ternary(&mut self) -> Result<Expr> {
        let condition = self.or()?;
        if self.tok.tok != Tok::Question {
            return Ok(condition);
        }
        self.advance()?;
        self.skip_newlines()?;
        let then = self.expr()?;
        self.skip_newlines()?;
        self.expect(Tok::Colon)?;
        self.skip_newlines()?;
        let otherwise = self.expr()?;
        Ok(Expr::Cond(boxed(condition), boxed(then), boxed(otherwise)))
    }

    fn or(&mut self) -> Result<Expr> {
        let mut left = self.and()?;
        while self.tok.tok == Tok::Or {
            self.advance()?;
            self.skip_newlines()?;
            left = Expr::Or(boxed(left), boxed(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr> {
        let mut left = self.membership()?;
        while self.tok.tok == Tok::And {
            self.advance()?;
            self.skip_newlines()?;
            left = Expr::And(boxed(left), boxed(self.membership()?));
        }
        Ok(left)
    }

    fn membership(&mut self) -> Result<Expr> {
        let mut left = self.matching()?;
        while self.tok.tok == Tok::In {
            self.advance()?;
            let array = self.array_name()?;
            let keys = match left {
                Expr::Group(list) => list,
                other => vec![other],
            };
            left = Expr::In(keys, array);
        }
        if matches!(left, Expr::Group(_)) {
            return Err(self.error_here());
        }
        Ok(left)
    }

    fn array_name(&mut self) -> Result<Var> {
        let Tok::Name(name, false) = self.tok.tok.clone() else { return Err(self.error_here()) };
        self.advance()?;
        let array = self.var(&name);
        self.used_as_array(array);
        Ok(array)
    }

    fn matching(&mut self) -> Result<Expr> {
        let mut left = self.comparison()?;
        while let Tok::Tilde | Tok::NoMatch = self.tok.tok {
            let negated = self.tok.tok == Tok::NoMatch;
            self.advance()?;
            left = Expr::Match(negated, boxed(left), boxed(self.comparison()?));
        }
        Ok(left)
    }

    /// Comparisons (non-associative in POSIX's grammar; chained from the left here,
    /// as gawk and mawk take `a < b < c`).
    fn comparison(&mut self) -> Result<Expr> {
        let mut left = self.piped_getline()?;
        loop {
            let op = match self.tok.tok {
                Tok::Lt => CmpOp::Lt,
                Tok::Le => CmpOp::Le,
                Tok::Eq => CmpOp::Eq,
                Tok::Ne => CmpOp::Ne,
                Tok::Gt if !self.in_print => CmpOp::Gt,
                Tok::Ge => CmpOp::Ge,
                _ => return Ok(left),
            };
            self.advance()?;
            left = Expr::Cmp(op, boxed(left), boxed(self.piped_getline()?));
        }
    }

    /// `command | getline [var]`.
    fn piped_getline(&mut self) -> Result<Expr> {
        let mut left = self.concatenation()?;
        while self.tok.tok == Tok::Pipe && !self.in_print {
            let saved = self.snapshot();
            self.advance()?;
            if self.tok.tok != Tok::Getline {
                self.restore(saved);
                break;
            }
            self.advance()?;
            let target = self.getline_target()?;
            left = Expr::Getline(GetlineSource::Command(boxed(left)), target);
        }
        Ok(left)
    }

    fn starts_operand(&self) -> bool {
        matches!(
            self.tok.tok,
            Tok::Number(_)
                | Tok::Str(_)
                | Tok::Name(..)
                | Tok::Builtin(_)
                | Tok::Dollar
                | Tok::LParen
                | Tok::Incr
                | Tok::Decr
        )
    }

    pub(super) fn concatenation(&mut self) -> Result<Expr> {
        let mut left = self.additive()?;
        while self.starts_operand() {
            left = Expr::Concat(boxed(left), boxed(self.additive()?));
        }
        Ok(left)
    }

    fn additive(&mut self) -> Result<Expr> {
        let mut left = self.multiplicative()?;
        loop {
            let op = match self.tok.tok {
                Tok::Plus => BinOp::Add,
                Tok::Minus => BinOp::Sub,
                _ => return Ok(left),
            };
            self.advance()?;
            left = Expr::Binary(op, boxed(left), boxed(self.multiplicative()?));
        }
    }

    fn multiplicative(&mut self) -> Result<Expr> {
        let mut left = self.unary()?;
        loop {
            let op = match self.tok.tok {
                Tok::Star => BinOp::Mul,
                Tok::Slash => BinOp::Div,
                Tok::Percent => BinOp::Mod,
                _ => return Ok(left),
            };
            self.advance()?;
            left = Expr::Binary(op, boxed(left), boxed(self.unary()?));
        }
    }

    fn unary(&mut self) -> Result<Expr> {
        self.nested(Self::unary_inner)
    }

    fn unary_inner(&mut self) -> Result<Expr> {
        match self.tok.tok {
            Tok::Not => {
                self.advance()?;
                self.unary().map(|operand| Expr::Not(boxed(operand)))
            }
            Tok::Minus => {
                self.advance()?;
                self.unary().map(|operand| Expr::Neg(boxed(operand)))
            }
            Tok::Plus => {
                self.advance()?;
                self.unary().map(|operand| Expr::Plus(boxed(operand)))
            }
            _ => self.power(),
        }
    }

    fn power(&mut self) -> Result<Expr> {
        let base = self.postfix()?;
        if self.tok.tok != Tok::Caret {
            return Ok(base);
        }
        self.advance()?;
        Ok(Expr::Binary(BinOp::Pow, boxed(base), boxed(self.unary()?)))
    }

    fn postfix(&mut self) -> Result<Expr> {
        let operand = self.primary()?;
        if operand.is_lvalue() {
            let amount = match self.tok.tok {
                Tok::Incr => 1.0,
                Tok::Decr => -1.0,
                _ => return Ok(operand),
            };
            self.advance()?;
            return Ok(Expr::PostIncr(amount, boxed(operand)));
        }
        Ok(operand)
    }

    /// What `$` applies to: a primary, or `++`/`--`/`-` and one.
    fn field_operand(&mut self) -> Result<Expr> {
        if self.tok.tok == Tok::Minus {
            self.advance()?;
            return self.nested(Self::field_operand).map(|operand| Expr::Neg(boxed(operand)));
        }
        self.primary()
    }

    fn lvalue(&mut self) -> Result<Expr> {
        let target = self.field_operand()?;
        if !target.is_lvalue() {
            return Err(self.error_here());
        }
        Ok(target)
    }

    fn primary(&mut self) -> Result<Expr> {
        self.nested(Self::primary_inner)
    }

    fn primary_inner(&mut self) -> Result<Expr> {
        match self.tok.tok.clone() {
            Tok::Number(value) => {
                self.advance()?;
                Ok(Expr::Num(value))
            }
            Tok::Str(text) => {
                self.advance()?;
                Ok(Expr::Str(Rc::from(text)))
            }
            Tok::Slash | Tok::DivAssign => {
                let line = self.tok.line;
                let source = self.lexer.regex(self.tok.start)?;
                let compiled = regex::compile(&source).map_err(|message| SyntaxError { line, message })?;
                self.tok = self.lexer.next_token()?;
                Ok(Expr::Regex(Rc::new(compiled)))
            }
            Tok::LParen => {
                self.advance()?;
                let outer = std::mem::replace(&mut self.in_print, false);
                let result = self.grouping();
                self.in_print = outer;
                result
            }
            Tok::Dollar => {
                self.advance()?;
                Ok(Expr::Field(boxed(self.field_operand()?)))
            }
            Tok::Incr | Tok::Decr => {
                let amount = if self.tok.tok == Tok::Incr { 1.0 } else { -1.0 };
                self.advance()?;
                Ok(Expr::PreIncr(amount, boxed(self.lvalue()?)))
            }
            Tok::Not | Tok::Minus | Tok::Plus => self.unary(),
            // A call; a known function's name before ` (` is one too, as in mawk and gawk.
            Tok::Name(name, call)
                if call
                    || (self.function_ids.contains_key(&name)
                        && self.lexer.clone().next_token()?.tok == Tok::LParen) =>
            {
                let line = self.tok.line;
                self.advance()?;
                self.expect(Tok::LParen)?;
                let args = self.expr_list(Tok::RParen)?;
                let id = self.function_id(&name);
                if self.called_at[id] == 0 {
                    self.called_at[id] = line;
                }
                if let Some(scope) = self.scope.as_mut() {
                    for (position, arg) in args.iter().enumerate() {
                        if let Expr::Var(Var::Local(local)) = arg {
                            scope.passed.push((id, position, *local));
                        }
                    }
                }
                Ok(Expr::Call(id, args))
            }
            Tok::Name(name, false) => {
                self.advance()?;
                let var = self.var(&name);
                if self.tok.tok != Tok::LBracket {
                    return Ok(Expr::Var(var));
                }
                self.advance()?;
                self.used_as_array(var);
                let subscripts = self.expr_list(Tok::RBracket)?;
                if subscripts.is_empty() {
                    return Err(self.error_here());
                }
                Ok(Expr::Index(var, subscripts))
            }
            Tok::Builtin(builtin) => self.builtin(builtin),
            Tok::Getline => {
                self.advance()?;
                let target = self.getline_target()?;
                if self.tok.tok == Tok::Lt {
                    self.advance()?;
                    let file = self.postfix()?;
                    return Ok(Expr::Getline(GetlineSource::File(boxed(file)), target));
                }
                Ok(Expr::Getline(GetlineSource::Main, target))
            }
            _ => Err(self.error_here()),
        }
    }

    /// The optional variable after `getline`.
    fn getline_target(&mut self) -> Result<Option<Box<Expr>>> {
        match self.tok.tok {
            Tok::Dollar | Tok::Name(_, false) => Ok(Some(boxed(self.lvalue()?))),
            _ => Ok(None),
        }
    }

    /// After `(`: a parenthesized expression, or a list before `in`.
    fn grouping(&mut self) -> Result<Expr> {
        self.skip_newlines()?;
        let first = self.expr()?;
        self.skip_newlines()?;
        if self.tok.tok == Tok::Comma {
            self.advance()?;
            let mut list = vec![first];
            list.extend(self.expr_list(Tok::RParen)?);
            if self.tok.tok != Tok::In {
                return Err(self.error_here());
            }
            return Ok(Expr::Group(list));
        }
        self.expect(Tok::RParen)?;
        Ok(first)
    }

    fn builtin(&mut self, builtin: Builtin) -> Result<Expr> {
        self.advance()?;
        if builtin == Builtin::Length && self.tok.tok != Tok::LParen {
            return Ok(Expr::Builtin(builtin, Vec::new()));
        }
        if self.tok.tok != Tok::LParen {
            return Err(self.error_here());
        }
        self.advance()?;
        let args = if builtin == Builtin::Split { self.split_args()? } else { self.expr_list(Tok::RParen)? };
        let (least, most) = match builtin {
            Builtin::Length | Builtin::Srand | Builtin::Fflush => (0, 1),
            Builtin::Rand => (0, 0),
            Builtin::Substr => (2, 3),
            Builtin::Index | Builtin::Atan2 | Builtin::Match => (2, 2),
            Builtin::Split => (2, 3),
            Builtin::Sub | Builtin::Gsub => (2, 3),
            Builtin::Sprintf => (1, usize::MAX),
            _ => (1, 1),
        };
        if args.len() < least || args.len() > most {
            return Err(self.error_here());
        }
        if let (Builtin::Sub | Builtin::Gsub, Some(target)) = (builtin, args.get(2))
            && !target.is_lvalue()
        {
            return Err(self.error_here());
        }
        Ok(Expr::Builtin(builtin, args))
    }

    /// split's arguments: a string, an array's name, and maybe a separator.
    fn split_args(&mut self) -> Result<Vec<Expr>> {
        let outer = std::mem::replace(&mut self.in_print, false);
        let result = (|| {
            self.skip_newlines()?;
            let text = self.expr()?;
            self.skip_newlines()?;
            self.expect(Tok::Comma)?;
            self.skip_newlines()?;
            let array = self.array_name()?;
            self.skip_newlines()?;
            let mut args = vec![text, Expr::Var(array)];
            if self.tok.tok == Tok::Comma {
                self.advance()?;
                self.skip_newlines()?;
                args.push(self.expr()?);
                self.skip_newlines()?;
            }
            self.expect(Tok::RParen)?;
            Ok(args)
        })();
        self.in_print = outer;
        result
    }
}
