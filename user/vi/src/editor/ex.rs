//! The command line (`:`, `/`, `?`) as it is typed, and the `:` commands carried
//! out: writing, quitting, editing and reading files, `:s`, `:d`, `:set`, `:help`.

use std::mem;
use std::path::Path;

use lineedit::keys::ctrl;

use crate::command_line::{self, Ex, Range};
use crate::files;
use crate::input::Key;
use crate::normal::Operator;

use super::{Editor, Mode};

impl Editor {
    pub(super) fn command_key(&mut self, key: Key) {
        match key {
            Key::Escape => self.mode = Mode::Normal,
            Key::Control(byte) if byte == ctrl(b'C') => self.mode = Mode::Normal,
            Key::Control(b'\r' | b'\n') => {
                self.mode = Mode::Normal;
                let text = mem::take(&mut self.command);
                self.command_cursor = self.cursor;
                match self.command_kind {
                    ':' => match command_line::parse(&text, self.cursor.line, self.buf.len() - 1) {
                        Ok(ex) => self.ex(ex),
                        Err(message) => self.message = message,
                    },
                    kind => self.search(&text, kind == '/'),
                }
                self.undo.close();
                self.clamp();
                self.want = None;
            }
            Key::Control(0x7f | 0x08) if self.command.pop().is_none() => self.mode = Mode::Normal,
            Key::Control(byte) if byte == ctrl(b'U') => self.command.clear(),
            Key::Control(b'\t') => self.command.push('\t'),
            Key::Char(char) => self.command.push(char),
            _ => {}
        }
    }

    /// Carries out a `:` command.
    pub(super) fn ex(&mut self, ex: Ex) {
        match ex {
            Ex::Write { file, force, quit, only_if_modified } => {
                if (!only_if_modified || self.modified() || file.is_some()) && !self.write(file, force) {
                    return;
                }
                if quit {
                    self.quit_if_done();
                }
            }
            Ex::Quit { force } => {
                if !force && self.modified() {
                    self.message = "E37: No write since last change (add ! to override)".into();
                } else if force {
                    self.quit = true;
                } else {
                    self.quit_if_done();
                }
            }
            Ex::Next { force } => {
                if self.arg + 1 >= self.args.len() {
                    self.message = "E165: Cannot go beyond last file".into();
                } else if !force && self.modified() {
                    self.message = "E37: No write since last change (add ! to override)".into();
                } else {
                    self.arg += 1;
                    self.open(&self.args[self.arg].clone());
                }
            }
            Ex::Edit { file, force } => {
                if !force && self.modified() {
                    self.message = "E37: No write since last change (add ! to override)".into();
                } else {
                    match file.or_else(|| self.file.clone()) {
                        Some(name) => self.open(&name),
                        None => self.message = "E32: No file name".into(),
                    }
                }
            }
            Ex::Read { file, below } => match files::read_lines(&file) {
                Ok(lines) => {
                    self.replace(below + 1, 0, lines);
                    self.goto_line(below + 1);
                }
                Err(message) => self.message = message,
            },
            Ex::Goto(line) => self.goto_line(line),
            Ex::Substitute { range, pattern, replacement, global } => {
                self.substitute(range, &pattern, &replacement, global)
            }
            Ex::Delete(range) => self.operate_lines(Operator::Delete, range.start, range.end),
            Ex::Set(names) => self.set(&names),
            Ex::Help => self.help = true,
            Ex::Nothing => {}
        }
    }

    /// Quits, unless files named on the command line were not edited yet and
    /// that was not said already (vim's E173).
    fn quit_if_done(&mut self) {
        let more = self.args.len().saturating_sub(self.arg + 1);
        if more == 0 || mem::replace(&mut self.warned_more, true) {
            self.quit = true;
        } else {
            self.message = format!("E173: {more} more file{} to edit", if more == 1 { "" } else { "s" });
        }
    }

    /// `:w`: whether the buffer was written.
    fn write(&mut self, file: Option<String>, force: bool) -> bool {
        let Some(name) = file.clone().or_else(|| self.file.clone()) else {
            self.message = "E32: No file name".into();
            return false;
        };
        let other = self.file.as_ref().is_some_and(|current| *current != name);
        if !force && self.readonly && !other {
            self.message = "E45: 'readonly' option is set (add ! to override)".into();
            return false;
        }
        if !force && other && Path::new(&name).exists() {
            self.message = "E13: File exists (add ! to override)".into();
            return false;
        }
        match files::save(&name, &self.buf) {
            Ok(message) => {
                self.message = message;
                if self.file.is_none() {
                    self.file = Some(name);
                }
                if !other {
                    self.saved = self.undo.state();
                    self.readonly = false;
                }
                true
            }
            Err(message) => {
                self.message = message;
                false
            }
        }
    }

    fn substitute(&mut self, range: Range, pattern: &str, replacement: &str, global: bool) {
        let Some((pattern, compiled)) = self.use_pattern(pattern) else { return };
        let mut last = None;
        for line in range.start..=range.end {
            if let Some(new) = compiled.substitute(self.buf.line(line), replacement, global) {
                if new != self.buf.line(line) {
                    self.replace(line, 1, vec![new]);
                }
                last = Some(line);
            }
        }
        match last {
            Some(line) => self.goto_line(line),
            None => self.message = format!("E486: Pattern not found: {pattern}"),
        }
    }

    /// `:set`: `number`/`nu`, `list`, their `no` forms, and `?` to ask.
    fn set(&mut self, names: &[String]) {
        let mut shown = Vec::new();
        if names.is_empty() {
            shown.push(self.option_text("number"));
            shown.push(self.option_text("list"));
        }
        for name in names {
            let (base, query) = match name.strip_suffix('?') {
                Some(base) => (base, true),
                None => (name.as_str(), false),
            };
            let (base, value) = match base.strip_prefix("no") {
                Some(rest) => (rest, false),
                None => (base, true),
            };
            let option = match base {
                "nu" | "number" => &mut self.options.number,
                "list" => &mut self.options.list,
                _ => {
                    self.message = format!("E518: Unknown option: {name}");
                    return;
                }
            };
            if query {
                let full = if base == "list" { "list" } else { "number" };
                shown.push(self.option_text(full));
            } else {
                *option = value;
            }
        }
        self.message = shown.join("  ");
    }

    fn option_text(&self, name: &str) -> String {
        let on = if name == "list" { self.options.list } else { self.options.number };
        format!("{}{name}", if on { "  " } else { "no" })
    }

    /// Ctrl-G: the file's name, state and size, and where the cursor is.
    pub(super) fn file_info(&self) -> String {
        let name = self.file.as_deref().unwrap_or("[No Name]");
        let modified = if self.modified() { " [Modified]" } else { "" };
        let lines = self.buf.len();
        format!(
            "\"{name}\"{modified} {lines} line{} --{}%--",
            if lines == 1 { "" } else { "s" },
            (self.cursor.line + 1) * 100 / lines
        )
    }
}
