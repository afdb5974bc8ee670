//! Word expansion in POSIX order (XCU 2.6): tilde expansion, parameter expansion
//! (every `${...}` form, the special parameters, `"$@"`), command substitution
//! (through [`Env::substitute`], its trailing newlines removed) and arithmetic,
//! then field splitting of the unquoted results by IFS, pathname expansion (through
//! [`Dirs`]) and quote removal. A word expands to fields ([`expand_fields`]), to one
//! string without splitting or pathnames ([`expand_string`], for assignments,
//! redirections, `case` words and here-documents), or to a pattern whose quoted
//! characters are escaped ([`expand_pattern`], for `case` and `${x#...}`).
use std::fmt;

use crate::arith::{self, ArithVars};
use crate::ast::{List, Param, ParamOp, Part, Word};
use crate::glob::{Dirs, glob, has_meta};
use crate::parse::word_is_name;
use crate::pattern::{self, escape};

/// What expansion needs from the shell.
pub trait Env: Dirs {
    /// A variable's value, or a special parameter's other than `@` and `*`.
    fn var(&self, name: &str) -> Option<String>;
    /// `$1`, `$2`, ...
    fn positional(&self) -> Vec<String>;
    /// Sets a variable (for `${x=...}` and arithmetic); `Err` says why not.
    fn assign(&mut self, name: &str, value: &str) -> Result<(), String>;
    /// Runs `list` as a command substitution and returns its output.
    fn substitute(&mut self, list: &List) -> String;
    /// The home directory of `user` (`""`: `$HOME`).
    fn home(&self, user: &str) -> Option<String>;
    /// `set -u`: expanding an unset parameter is an error.
    fn nounset(&self) -> bool;
    /// `set -f`: no pathname expansion.
    fn noglob(&self) -> bool;
}

/// Why a word could not be expanded: the message to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpandError(pub String);

impl fmt::Display for ExpandError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ExpandError {}

/// What is being built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Fields,
    String,
    Pattern,
}

#[derive(Debug, Default)]
struct Field {
    text: String,
    /// The text as a pattern: quoted characters escaped.
    pattern: String,
}

/// Fields being built, split by IFS as expansions add to them.
#[derive(Debug)]
struct Builder {
    mode: Mode,
    ifs: String,
    fields: Vec<Field>,
    current: Field,
    /// The current field exists even if empty (something, maybe `""`, went in).
    started: bool,
    /// The last thing was IFS white space that ended a field: a non-white IFS
    /// character right after it belongs to the same separator.
    just_split: bool,
}

impl Builder {
    fn new(mode: Mode, ifs: String) -> Self {
        Self { mode, ifs, fields: Vec::new(), current: Field::default(), started: false, just_split: false }
    }

    fn quoted(&mut self, text: &str) {
        self.current.text.push_str(text);
        self.current.pattern.push_str(&escape(text));
        self.started = true;
        self.just_split = false;
    }

    /// Unquoted text as written: a pattern, not split.
    fn literal(&mut self, text: &str) {
        self.current.text.push_str(text);
        self.current.pattern.push_str(text);
        self.started = true;
        self.just_split = false;
    }

    fn end_field(&mut self) {
        self.fields.push(std::mem::take(&mut self.current));
        self.started = false;
    }

    /// The unquoted result of an expansion: split at IFS characters.
    fn expanded(&mut self, text: &str) {
        if self.mode != Mode::Fields {
            self.literal(text);
            return;
        }
        for char in text.chars() {
            if !self.ifs.contains(char) {
                self.current.text.push(char);
                self.current.pattern.push(char);
                self.started = true;
                self.just_split = false;
            } else if matches!(char, ' ' | '\t' | '\n') {
                if self.started {
                    self.end_field();
                    self.just_split = true;
                }
            } else if self.started || !self.just_split {
                self.end_field();
                self.just_split = false;
            } else {
                self.just_split = false;
            }
        }
    }

    /// Between two positional parameters of `$@`: a new field (`forced`: even an
    /// empty one, for `"$@"`).
    fn field_break(&mut self, forced: bool) {
        if self.mode != Mode::Fields {
            self.quoted(" ");
        } else if forced || self.started {
            self.end_field();
            self.just_split = !forced;
        }
    }

    fn finish(mut self) -> Vec<Field> {
        if self.started {
            self.end_field();
        }
        self.fields
    }

    fn into_string(self) -> String {
        let Field { text, pattern } = self.current;
        if self.mode == Mode::Pattern { pattern } else { text }
    }
}

/// Arithmetic's view of the shell's variables.
struct ArithEnv<'e, E: Env>(&'e mut E);

impl<E: Env> ArithVars for ArithEnv<'_, E> {
    fn get(&self, name: &str) -> Option<String> {
        self.0.var(name)
    }

    fn set(&mut self, name: &str, value: i64) -> Result<(), String> {
        self.0.assign(name, &value.to_string())
    }
}

struct Expander<'e, E: Env> {
    env: &'e mut E,
    builder: Builder,
}

fn ifs<E: Env>(env: &E) -> String {
    env.var("IFS").unwrap_or_else(|| " \t\n".into())
}

impl<E: Env> Expander<'_, E> {
    fn parts(&mut self, parts: &[Part], quoted: bool) -> Result<(), ExpandError> {
        parts.iter().try_for_each(|part| self.part(part, quoted))
    }

    /// The word of `${x-word}` or `${x+word}`: its unquoted text is split too.
    fn param_word(&mut self, parts: &[Part], quoted: bool) -> Result<(), ExpandError> {
        for part in parts {
            match part {
                Part::Text(text) if !quoted => self.builder.expanded(text),
                part => self.part(part, quoted)?,
            }
        }
        Ok(())
    }

    fn part(&mut self, part: &Part, quoted: bool) -> Result<(), ExpandError> {
        match part {
            Part::Text(text) if quoted => self.builder.quoted(text),
            Part::Text(text) => self.builder.literal(text),
            Part::Quoted(text) => self.builder.quoted(text),
            Part::Double(inner) => {
                // `"$@"` alone may make no field; anything else in quotes makes one.
                let at = |part: &Part| matches!(part, Part::Param(param) if param.name == "@");
                if !inner.iter().any(at) {
                    self.builder.quoted("");
                }
                self.parts(inner, true)?;
            }
            Part::Tilde(user) => match self.env.home(user) {
                Some(home) => self.builder.quoted(&home),
                None => self.builder.literal(&format!("~{user}")),
            },
            Part::Param(param) => self.param(param, quoted)?,
            Part::Command(list) => {
                let output = self.env.substitute(list);
                self.value(output.trim_end_matches('\n'), quoted);
            }
            Part::Arith(inner) => {
                let text = self.nested(inner, Mode::String, true)?;
                let value = arith::eval(&text, &mut ArithEnv(self.env)).map_err(ExpandError)?;
                self.value(&value.to_string(), quoted);
            }
        }
        Ok(())
    }

    /// `parts` expanded on their own, as a string or pattern.
    fn nested(&mut self, parts: &[Part], mode: Mode, quoted: bool) -> Result<String, ExpandError> {
        let builder = Builder::new(mode, self.builder.ifs.clone());
        let outer = std::mem::replace(&mut self.builder, builder);
        let result = self.parts(parts, quoted);
        let inner = std::mem::replace(&mut self.builder, outer);
        result.map(|()| inner.into_string())
    }

    fn value(&mut self, value: &str, quoted: bool) {
        if quoted {
            self.builder.quoted(value);
        } else {
            self.builder.expanded(value);
        }
    }

    /// `$@` or `$*`.
    fn positional(&mut self, star: bool, quoted: bool) {
        let params = self.env.positional();
        if quoted && star {
            let separator = if self.env.var("IFS").is_some() { self.builder.ifs.chars().next() } else { Some(' ') };
            self.builder.quoted(&params.join(&separator.map(String::from).unwrap_or_default()));
            return;
        }
        for (index, param) in params.iter().enumerate() {
            if index > 0 {
                self.builder.field_break(quoted);
            }
            self.value(param, quoted);
        }
    }

    fn param(&mut self, param: &Param, quoted: bool) -> Result<(), ExpandError> {
        let name = param.name.as_str();
        let list = matches!(name, "@" | "*");
        let value = if list {
            let params = self.env.positional();
            (!params.is_empty()).then(|| params.join(" "))
        } else {
            self.env.var(name)
        };
        let absent = |colon: bool| value.as_deref().is_none_or(|value| colon && value.is_empty());
        let unset_error = || ExpandError(format!("{name}: parameter not set"));
        let own_value = |this: &mut Self| -> Result<(), ExpandError> {
            if list {
                this.positional(name == "*", quoted);
            } else if let Some(value) = &value {
                this.value(value, quoted);
            } else if this.env.nounset() {
                return Err(unset_error());
            }
            Ok(())
        };
        match param.op {
            ParamOp::Plain => own_value(self)?,
            ParamOp::Length => {
                if value.is_none() && !list && self.env.nounset() {
                    return Err(unset_error());
                }
                let length = value.as_deref().unwrap_or_default().chars().count();
                self.value(&length.to_string(), quoted);
            }
            ParamOp::Default { colon } => {
                if absent(colon) {
                    self.param_word(&param.word.0, quoted)?;
                } else {
                    own_value(self)?;
                }
            }
            ParamOp::Alternative { colon } => {
                if !absent(colon) {
                    self.param_word(&param.word.0, quoted)?;
                }
            }
            ParamOp::Assign { colon } => {
                if absent(colon) {
                    let text = self.nested(&param.word.0, Mode::String, false)?;
                    if !word_is_name(name) {
                        return Err(ExpandError(format!("{name}: bad variable name")));
                    }
                    self.env.assign(name, &text).map_err(ExpandError)?;
                    self.value(&text, quoted);
                } else {
                    own_value(self)?;
                }
            }
            ParamOp::Error { colon } => {
                if absent(colon) {
                    let message = if param.word.0.is_empty() {
                        if colon { "parameter not set or null".into() } else { "parameter not set".into() }
                    } else {
                        self.nested(&param.word.0, Mode::String, false)?
                    };
                    return Err(ExpandError(format!("{name}: {message}")));
                }
                own_value(self)?;
            }
            ParamOp::RemovePrefix { largest } | ParamOp::RemoveSuffix { largest } => {
                if value.is_none() && self.env.nounset() {
                    return Err(unset_error());
                }
                let pattern = self.nested(&param.word.0, Mode::Pattern, false)?;
                let value = value.unwrap_or_default();
                let rest = match param.op {
                    ParamOp::RemovePrefix { .. } => pattern::remove_prefix(&value, &pattern, largest),
                    _ => pattern::remove_suffix(&value, &pattern, largest),
                };
                self.value(rest, quoted);
            }
        }
        Ok(())
    }
}

/// The fields `words` expand to, after field splitting and pathname expansion.
pub fn expand_fields<E: Env>(words: &[Word], env: &mut E) -> Result<Vec<String>, ExpandError> {
    let mut fields = Vec::new();
    let separators = ifs(env);
    for word in words {
        let builder = Builder::new(Mode::Fields, separators.clone());
        let mut expander = Expander { env: &mut *env, builder };
        expander.parts(&word.0, false)?;
        for field in expander.builder.finish() {
            let matched =
                if !env.noglob() && has_meta(&field.pattern) { glob(&field.pattern, &*env) } else { Vec::new() };
            if matched.is_empty() {
                fields.push(field.text);
            } else {
                fields.extend(matched);
            }
        }
    }
    Ok(fields)
}

fn expand_one<E: Env>(word: &Word, env: &mut E, mode: Mode) -> Result<String, ExpandError> {
    let builder = Builder::new(mode, ifs(env));
    let mut expander = Expander { env, builder };
    expander.parts(&word.0, false)?;
    Ok(expander.builder.into_string())
}

/// The one string `word` expands to, without field splitting or pathnames.
pub fn expand_string<E: Env>(word: &Word, env: &mut E) -> Result<String, ExpandError> {
    expand_one(word, env, Mode::String)
}

/// `word` as a pattern: its quoted characters escaped.
pub fn expand_pattern<E: Env>(word: &Word, env: &mut E) -> Result<String, ExpandError> {
    expand_one(word, env, Mode::Pattern)
}

#[cfg(test)]
mod tests;
