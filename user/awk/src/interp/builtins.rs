//! The builtin functions: strings (length, substr, index, split, sub, gsub, match,
//! sprintf, tolower, toupper), arithmetic, rand/srand, and close, system, fflush.
use std::rc::Rc;

use regex_lite::Regex;

use super::record::Splitter;
use super::value::Value;
use super::{Cell, Flow, Interp, fatal};
use crate::ast::{Builtin, Expr};
use crate::specials;

/// The number of characters in `text`.
fn char_count(text: &str) -> usize {
    if text.is_ascii() { text.len() } else { text.chars().count() }
}

/// The byte offset of character `index` (0-based) in `text`, or its length.
fn byte_offset(text: &str, index: usize) -> usize {
    if text.is_ascii() {
        return index.min(text.len());
    }
    text.char_indices().nth(index).map_or(text.len(), |(offset, _)| offset)
}

/// substr(text, start, length) with POSIX's rounding and clipping.
pub fn substr(text: &str, start: f64, length: Option<f64>) -> &str {
    let count = char_count(text) as f64;
    let first = start.round_ties_even();
    let end = match length {
        Some(length) if length.is_nan() => return "",
        Some(length) => first + length.round_ties_even(),
        None => f64::INFINITY,
    };
    let first = first.max(1.0);
    let end = end.min(count + 1.0);
    if first.is_nan() || end <= first {
        return "";
    }
    let from = byte_offset(text, first as usize - 1);
    let to = byte_offset(text, end as usize - 1);
    &text[from..to]
}

/// The replacement for one match: `&` is the match, `\&` a literal `&`, `\\` a `\`.
fn replacement(template: &str, matched: &str, out: &mut String) {
    let mut chars = template.chars().peekable();
    while let Some(char) = chars.next() {
        match char {
            '\\' if matches!(chars.peek(), Some('&' | '\\')) => out.extend(chars.next()),
            '&' => out.push_str(matched),
            char => out.push(char),
        }
    }
}

/// sub/gsub: `text` with the first (or every) match of `regex` replaced, and the
/// number of replacements. An empty match right after a match is not replaced.
pub fn substitute(regex: &Regex, template: &str, text: &str, global: bool) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut position = 0;
    let mut count = 0;
    let mut last_end = None;
    while position <= text.len() {
        let Some(found) = regex.find_at(text, position) else { break };
        let char_length = text[found.start()..].chars().next().map_or(1, char::len_utf8);
        if found.is_empty() && last_end == Some(found.start()) {
            if found.start() >= text.len() {
                break;
            }
            out.push_str(&text[position..found.start() + char_length]);
            position = found.start() + char_length;
            continue;
        }
        out.push_str(&text[position..found.start()]);
        replacement(template, found.as_str(), &mut out);
        count += 1;
        last_end = Some(found.end());
        if found.is_empty() {
            if found.start() >= text.len() {
                position = text.len() + 1;
                break;
            }
            out.push_str(&text[found.start()..found.start() + char_length]);
            position = found.start() + char_length;
        } else {
            position = found.end();
        }
        if !global {
            break;
        }
    }
    if position <= text.len() {
        out.push_str(&text[position..]);
    }
    (out, count)
}

impl Interp<'_> {
    pub(super) fn builtin(&mut self, builtin: Builtin, args: &[Expr]) -> Flow<Value> {
        let number = |value: f64| Ok(Value::Num(value));
        match builtin {
            Builtin::Length => {
                let text = match args.first() {
                    None => self.record_text(),
                    Some(Expr::Var(var)) => {
                        if let Cell::Array(array) = self.cell(*var) {
                            return number(array.borrow().len() as f64);
                        }
                        self.string(&args[0])?
                    }
                    Some(arg) => self.string(arg)?,
                };
                number(char_count(&text) as f64)
            }
            Builtin::Substr => {
                let text = self.string(&args[0])?;
                let start = self.number(&args[1])?;
                let length = match args.get(2) {
                    Some(arg) => Some(self.number(arg)?),
                    None => None,
                };
                Ok(Value::str(substr(&text, start, length)))
            }
            Builtin::Index => {
                let text = self.string(&args[0])?;
                let wanted = self.string(&args[1])?;
                let found = if wanted.is_empty() { None } else { text.find(&*wanted) };
                number(found.map_or(0, |at| char_count(&text[..at]) + 1) as f64)
            }
            Builtin::Split => self.split(args),
            Builtin::Sub | Builtin::Gsub => {
                let regex = self.regex(&args[0])?;
                let template = self.string(&args[1])?;
                let place = match args.get(2) {
                    Some(target) => self.place(target)?,
                    None => super::eval::Place::Field(0),
                };
                let text = self.get(&place)?.string(&self.convfmt());
                let (result, count) = substitute(&regex, &template, &text, builtin == Builtin::Gsub);
                if count > 0 {
                    self.set(&place, Value::str(result))?;
                }
                number(count as f64)
            }
            Builtin::Match => {
                let text = self.string(&args[0])?;
                let regex = self.regex(&args[1])?;
                let (start, length) = match regex.find(&text) {
                    Some(found) => (char_count(&text[..found.start()]) as f64 + 1.0, char_count(found.as_str()) as f64),
                    None => (0.0, -1.0),
                };
                self.globals[specials::RSTART] = Cell::Scalar(Value::Num(start));
                self.globals[specials::RLENGTH] = Cell::Scalar(Value::Num(length));
                number(start)
            }
            Builtin::Sprintf => {
                let format = self.string(&args[0])?;
                let mut values = Vec::with_capacity(args.len() - 1);
                for arg in &args[1..] {
                    values.push(self.eval(arg)?);
                }
                Ok(Value::str(super::format::sprintf(&format, &values, &self.convfmt()).or_else(fatal)?))
            }
            Builtin::Sin => number(self.number(&args[0])?.sin()),
            Builtin::Cos => number(self.number(&args[0])?.cos()),
            Builtin::Atan2 => {
                let y = self.number(&args[0])?;
                number(y.atan2(self.number(&args[1])?))
            }
            Builtin::Exp => number(self.number(&args[0])?.exp()),
            Builtin::Log => number(self.number(&args[0])?.ln()),
            Builtin::Sqrt => number(self.number(&args[0])?.sqrt()),
            Builtin::Int => number(self.number(&args[0])?.trunc()),
            Builtin::Rand => number(self.rand()),
            Builtin::Srand => {
                let seed = match args.first() {
                    Some(arg) => self.number(arg)?,
                    None => std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0.0, |elapsed| elapsed.as_secs() as f64),
                };
                number(self.srand(seed))
            }
            Builtin::Tolower => Ok(Value::str(self.string(&args[0])?.to_ascii_lowercase())),
            Builtin::Toupper => Ok(Value::str(self.string(&args[0])?.to_ascii_uppercase())),
            Builtin::Close => {
                let name = self.string(&args[0])?;
                number(self.streams.close(&name))
            }
            Builtin::System => {
                let command = self.string(&args[0])?;
                number(self.streams.system(&command))
            }
            Builtin::Fflush => match args.first() {
                None => {
                    self.streams.flush_all();
                    number(0.0)
                }
                Some(arg) => {
                    let name = self.string(arg)?;
                    number(self.streams.flush(&name))
                }
            },
        }
    }

    fn split(&mut self, args: &[Expr]) -> Flow<Value> {
        let text = self.string(&args[0])?;
        let Expr::Var(var) = &args[1] else { return fatal("split: the second argument must be an array") };
        let splitter = match args.get(2) {
            None => self.field_splitter()?,
            Some(Expr::Regex(regex)) => Rc::new(Splitter::Regex(Regex::clone(regex))),
            Some(arg) => {
                let separator = self.string(arg)?;
                Rc::new(Splitter::new(&separator, false).or_else(fatal)?)
            }
        };
        let mut fields = Vec::new();
        splitter.split(&text, &mut fields);
        let array = self.array(*var)?;
        let mut array = array.borrow_mut();
        array.clear();
        let count = fields.len();
        for (index, field) in fields.into_iter().enumerate() {
            array.insert(Rc::from((index + 1).to_string()), field);
        }
        Ok(Value::Num(count as f64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substrings() {
        assert_eq!(substr("hello", 2.0, Some(3.0)), "ell");
        assert_eq!(substr("hello", 0.0, Some(2.0)), "h");
        assert_eq!(substr("hello", -1.0, None), "hello");
        assert_eq!(substr("hello", 4.0, Some(10.0)), "lo");
        assert_eq!(substr("hello", 6.0, None), "");
        assert_eq!(substr("héllo", 2.0, Some(2.0)), "él");
        assert_eq!(substr("hello", 2.0, Some(-1.0)), "");
        assert_eq!(substr("hello", 2.5, Some(2.0)), "el");
    }

    #[test]
    fn substitutions() {
        let regex = |source: &str| crate::regex::compile(source).unwrap();
        assert_eq!(substitute(&regex("o"), "0", "foo boo", true), ("f00 b00".to_owned(), 4));
        assert_eq!(substitute(&regex("o"), "0", "foo", false), ("f0o".to_owned(), 1));
        assert_eq!(substitute(&regex("x*"), "-", "abc", true), ("-a-b-c-".to_owned(), 4));
        assert_eq!(substitute(&regex("b*"), "-", "abc", true), ("-a-c-".to_owned(), 3));
        assert_eq!(substitute(&regex("[a-z]+"), "<&>", "ab cd", true), ("<ab> <cd>".to_owned(), 2));
        assert_eq!(substitute(&regex("a"), "\\&\\\\", "a", true), ("&\\".to_owned(), 1));
        assert_eq!(substitute(&regex("^"), "x", "abc", true), ("xabc".to_owned(), 1));
    }
}
