//! Expressions: values of variables, fields and array elements (and assigning to
//! them), operators with awk's conversions and comparisons, function calls with
//! arrays by reference, and getline.
use std::cell::RefCell;
use std::rc::Rc;

use regex_lite::Regex;

use super::value::{Value, number_to_string};
use super::{Array, Cell, Flow, Interp, MAX_DEPTH, Stop, fatal};
use crate::ast::{BinOp, CmpOp, Expr, GetlineSource, Var};
use crate::specials;

/// Something that can be assigned to.
pub(super) enum Place {
    Var(Var),
    Field(usize),
    Element(Rc<RefCell<Array>>, Rc<str>),
}

impl Interp<'_> {
    pub(super) fn cell(&self, var: Var) -> &Cell {
        match var {
            Var::Global(slot) => &self.globals[slot],
            Var::Local(slot) => &self.frames.last().expect("a local outside a function")[slot],
        }
    }

    fn cell_mut(&mut self, var: Var) -> &mut Cell {
        match var {
            Var::Global(slot) => &mut self.globals[slot],
            Var::Local(slot) => &mut self.frames.last_mut().expect("a local outside a function")[slot],
        }
    }

    fn var_name(&self, var: Var) -> String {
        match var {
            Var::Global(slot) => self.program.globals[slot].clone(),
            Var::Local(_) => "a parameter".to_owned(),
        }
    }

    pub(super) fn var_value(&mut self, var: Var) -> Flow<Value> {
        if var == Var::Global(specials::NF) {
            return Ok(Value::Num(self.record.nf() as f64));
        }
        match self.cell(var) {
            Cell::Uninit => Ok(Value::Uninit),
            Cell::Scalar(value) => Ok(value.clone()),
            Cell::Array(_) => fatal(format!("can't use array {} in scalar context", self.var_name(var))),
        }
    }

    pub(super) fn set_var(&mut self, var: Var, value: Value) -> Flow<()> {
        if var == Var::Global(specials::NF) {
            let nf = value.number();
            if !(0.0..=1e7).contains(&nf) {
                return fatal(format!("NF set to invalid value {}", number_to_string(nf, "%.6g")));
            }
            self.record.set_nf(nf as usize);
        }
        let name = self.var_name(var);
        let cell = self.cell_mut(var);
        if let Cell::Array(_) = cell {
            return fatal(format!("can't assign to {name}; it's an array name."));
        }
        *cell = Cell::Scalar(value);
        Ok(())
    }

    /// The array a variable holds, made when it is unset.
    pub(super) fn array(&mut self, var: Var) -> Flow<Rc<RefCell<Array>>> {
        let name = self.var_name(var);
        let cell = self.cell_mut(var);
        match cell {
            Cell::Array(array) => Ok(array.clone()),
            Cell::Uninit | Cell::Scalar(Value::Uninit) => {
                let array = Rc::new(RefCell::new(Array::new()));
                *cell = Cell::Array(array.clone());
                Ok(array)
            }
            Cell::Scalar(_) => fatal(format!("can't use scalar {name} as array")),
        }
    }

    /// A subscript: the expressions' strings joined by SUBSEP.
    pub(super) fn subscript(&mut self, exprs: &[Expr]) -> Flow<Rc<str>> {
        if let [only] = exprs {
            return self.string(only);
        }
        let subsep = self.special_string(specials::SUBSEP);
        let mut key = String::new();
        for (index, expr) in exprs.iter().enumerate() {
            if index > 0 {
                key.push_str(&subsep);
            }
            key.push_str(&self.string(expr)?);
        }
        Ok(Rc::from(key))
    }

    pub(super) fn string(&mut self, expr: &Expr) -> Flow<Rc<str>> {
        let value = self.eval(expr)?;
        Ok(value.string(&self.convfmt()))
    }

    pub(super) fn number(&mut self, expr: &Expr) -> Flow<f64> {
        Ok(self.eval(expr)?.number())
    }

    pub(super) fn condition(&mut self, expr: &Expr) -> Flow<bool> {
        Ok(self.eval(expr)?.truthy())
    }

    fn field_index(&mut self, expr: &Expr) -> Flow<usize> {
        let index = self.number(expr)?;
        if !(0.0..=1e7).contains(&index) {
            return fatal(format!("trying to access out of range field {}", number_to_string(index, "%.6g")));
        }
        Ok(index as usize)
    }

    pub(super) fn place(&mut self, expr: &Expr) -> Flow<Place> {
        match expr {
            Expr::Var(var) => Ok(Place::Var(*var)),
            Expr::Field(index) => Ok(Place::Field(self.field_index(index)?)),
            Expr::Index(var, subscripts) => {
                let array = self.array(*var)?;
                Ok(Place::Element(array, self.subscript(subscripts)?))
            }
            _ => fatal("assignment to a value"),
        }
    }

    pub(super) fn get(&mut self, place: &Place) -> Flow<Value> {
        match place {
            Place::Var(var) => self.var_value(*var),
            Place::Field(0) => Ok(Value::input(self.record_text())),
            Place::Field(index) => Ok(self.record.field(*index)),
            Place::Element(array, key) => Ok(array.borrow_mut().entry(key.clone()).or_default().clone()),
        }
    }

    pub(super) fn set(&mut self, place: &Place, value: Value) -> Flow<()> {
        match place {
            Place::Var(var) => self.set_var(*var, value)?,
            Place::Field(0) => {
                let text = value.string(&self.convfmt());
                self.set_record(text.to_string());
            }
            Place::Field(index) => self.record.set_field(*index, value),
            Place::Element(array, key) => {
                array.borrow_mut().insert(key.clone(), value);
            }
        }
        Ok(())
    }

    /// A regular expression operand: a literal as it is, anything else as a string.
    pub(super) fn regex(&mut self, expr: &Expr) -> Flow<Rc<Regex>> {
        if let Expr::Regex(regex) = expr {
            return Ok(regex.clone());
        }
        let source = self.string(expr)?;
        if let Some(regex) = self.regexes.get(&source) {
            return Ok(regex.clone());
        }
        let regex = Rc::new(crate::regex::compile(&source).or_else(fatal)?);
        if self.regexes.len() > 500 {
            self.regexes.clear();
        }
        self.regexes.insert(source, regex.clone());
        Ok(regex)
    }

    fn arithmetic(op: BinOp, left: f64, right: f64) -> Flow<f64> {
        Ok(match op {
            BinOp::Add => left + right,
            BinOp::Sub => left - right,
            BinOp::Mul => left * right,
            BinOp::Div if right == 0.0 => return fatal("division by zero"),
            BinOp::Div => left / right,
            BinOp::Mod if right == 0.0 => return fatal("division by zero in %"),
            BinOp::Mod => left % right,
            BinOp::Pow => left.powf(right),
        })
    }

    /// Runs `work` one level deeper, failing when evaluation nests too deeply.
    pub(super) fn nested<T>(&mut self, work: impl FnOnce(&mut Self) -> Flow<T>) -> Flow<T> {
        if self.depth >= MAX_DEPTH {
            return fatal("function calls nested too deeply");
        }
        self.depth += 1;
        let result = work(self);
        self.depth -= 1;
        result
    }

    pub(super) fn eval(&mut self, expr: &Expr) -> Flow<Value> {
        self.nested(|interp| interp.eval_inner(expr))
    }

    fn eval_inner(&mut self, expr: &Expr) -> Flow<Value> {
        Ok(match expr {
            Expr::Num(value) => Value::Num(*value),
            Expr::Str(text) => Value::Str(text.clone()),
            Expr::Regex(regex) => {
                let text = self.record_text();
                Value::Num(f64::from(u8::from(regex.is_match(&text))))
            }
            Expr::Var(var) => self.var_value(*var)?,
            Expr::Field(_) | Expr::Index(..) => {
                let place = self.place(expr)?;
                self.get(&place)?
            }
            Expr::In(subscripts, var) => {
                let key = self.subscript(subscripts)?;
                let array = self.array(*var)?;
                let found = array.borrow().contains_key(&key);
                Value::Num(f64::from(u8::from(found)))
            }
            Expr::Assign(target, value) => {
                let place = self.place(target)?;
                let value = self.eval(value)?;
                self.set(&place, value.clone())?;
                value
            }
            Expr::AugAssign(op, target, value) => {
                let place = self.place(target)?;
                let right = self.number(value)?;
                let left = self.get(&place)?.number();
                let result = Value::Num(Self::arithmetic(*op, left, right)?);
                self.set(&place, result.clone())?;
                result
            }
            Expr::PreIncr(amount, target) | Expr::PostIncr(amount, target) => {
                let place = self.place(target)?;
                let old = self.get(&place)?.number();
                self.set(&place, Value::Num(old + amount))?;
                Value::Num(if matches!(expr, Expr::PreIncr(..)) { old + amount } else { old })
            }
            Expr::Binary(op, left, right) => {
                let left = self.number(left)?;
                let right = self.number(right)?;
                Value::Num(Self::arithmetic(*op, left, right)?)
            }
            Expr::Cmp(op, left, right) => {
                let left = self.eval(left)?;
                let right = self.eval(right)?;
                let ordering = left.compare(&right, &self.convfmt());
                let result = match op {
                    CmpOp::Lt => ordering.is_lt(),
                    CmpOp::Le => ordering.is_le(),
                    CmpOp::Eq => ordering.is_eq(),
                    CmpOp::Ne => ordering.is_ne(),
                    CmpOp::Gt => ordering.is_gt(),
                    CmpOp::Ge => ordering.is_ge(),
                };
                Value::Num(f64::from(u8::from(result)))
            }
            Expr::Match(negated, text, regex) => {
                let text = self.string(text)?;
                let regex = self.regex(regex)?;
                Value::Num(f64::from(u8::from(regex.is_match(&text) != *negated)))
            }
            Expr::Concat(left, right) => {
                let left = self.string(left)?;
                let right = self.string(right)?;
                let mut text = String::with_capacity(left.len() + right.len());
                text.push_str(&left);
                text.push_str(&right);
                Value::str(text)
            }
            Expr::And(left, right) => Value::Num(f64::from(u8::from(self.condition(left)? && self.condition(right)?))),
            Expr::Or(left, right) => Value::Num(f64::from(u8::from(self.condition(left)? || self.condition(right)?))),
            Expr::Not(operand) => Value::Num(f64::from(u8::from(!self.condition(operand)?))),
            Expr::Neg(operand) => Value::Num(-self.number(operand)?),
            Expr::Plus(operand) => Value::Num(self.number(operand)?),
            Expr::Cond(condition, then, otherwise) => {
                if self.condition(condition)? {
                    self.eval(then)?
                } else {
                    self.eval(otherwise)?
                }
            }
            Expr::Call(id, args) => self.call(*id, args)?,
            Expr::Builtin(builtin, args) => self.builtin(*builtin, args)?,
            Expr::Getline(source, target) => self.getline(source, target.as_deref())?,
            Expr::Group(_) => return fatal("a parenthesized list is only allowed before `in`"),
        })
    }

    fn call(&mut self, id: usize, args: &[Expr]) -> Flow<Value> {
        let function = &self.program.functions[id];
        if args.len() > function.params {
            return fatal(format!(
                "function {} called with {} args, accepts only {}",
                function.name,
                args.len(),
                function.params
            ));
        }
        let mut locals = Vec::with_capacity(function.params);
        for (position, arg) in args.iter().enumerate() {
            let cell = match arg {
                Expr::Var(var) => match self.cell(*var) {
                    Cell::Array(array) => Cell::Array(array.clone()),
                    _ if function.array_params[position] => Cell::Array(self.array(*var)?),
                    Cell::Uninit => Cell::Uninit,
                    Cell::Scalar(_) => Cell::Scalar(self.var_value(*var)?),
                },
                _ => Cell::Scalar(self.eval(arg)?),
            };
            locals.push(cell);
        }
        locals.resize(function.params, Cell::Uninit);
        self.frames.push(locals);
        let result = self.block(&function.body);
        self.frames.pop();
        match result {
            Ok(()) => Ok(Value::Uninit),
            Err(Stop::Return(value)) => Ok(value),
            Err(other) => Err(other),
        }
    }

    fn getline(&mut self, source: &GetlineSource, target: Option<&Expr>) -> Flow<Value> {
        let text = match source {
            GetlineSource::Main => match self.next_main_record()? {
                Some(text) => {
                    self.count_record();
                    text
                }
                None => return Ok(Value::Num(0.0)),
            },
            GetlineSource::File(name) | GetlineSource::Command(name) => {
                let name = self.string(name)?;
                let separator = self.record_separator()?;
                let read = if let GetlineSource::File(_) = source {
                    self.streams.read_file(&name, &separator)
                } else {
                    self.streams.read_command(&name, &separator)
                };
                match read {
                    Ok(Some(text)) => {
                        if let GetlineSource::Command(_) = source {
                            let count = self.global_value(specials::NR).number() + 1.0;
                            self.globals[specials::NR] = Cell::Scalar(Value::Num(count));
                        }
                        text
                    }
                    Ok(None) => return Ok(Value::Num(0.0)),
                    Err(()) => return Ok(Value::Num(-1.0)),
                }
            }
        };
        match target {
            None => self.set_record(text),
            Some(target) => {
                let place = self.place(target)?;
                self.set(&place, Value::input(text))?;
            }
        }
        Ok(Value::Num(1.0))
    }
}
