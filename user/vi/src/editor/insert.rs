//! Insert and replace modes: where they start, the keys typed in them, and a
//! count repeating what was typed when Escape ends them.

use std::mem;

use lineedit::keys::ctrl;

use crate::buffer::{Pos, next_char, prev_char};
use crate::input::Key;
use crate::motion;
use crate::normal::InsertAt;

use super::{Editor, Mode, Session};

impl Editor {
    pub(super) fn begin_insert(&mut self, at: InsertAt, count: usize) {
        let line = self.buf.line(self.cursor.line);
        match at {
            InsertAt::Cursor => {}
            InsertAt::After => self.cursor.col = next_char(line, self.cursor.col),
            InsertAt::LineStart => self.cursor.col = motion::first_non_blank(line).min(line.len()),
            InsertAt::LineEnd => self.cursor.col = line.len(),
            InsertAt::Below | InsertAt::Above => {
                let at = self.cursor.line + usize::from(at == InsertAt::Below);
                self.replace(at, 0, vec![Vec::new()]);
                self.cursor = Pos::new(at, 0);
            }
        }
        self.enter_insert(Mode::Insert, count, matches!(at, InsertAt::Below | InsertAt::Above));
    }

    pub(super) fn enter_insert(&mut self, mode: Mode, count: usize, opens_line: bool) {
        self.mode = mode;
        self.session = Session { count, opens_line, ..Session::default() };
    }

    pub(super) fn insert_key(&mut self, key: Key) {
        // Ctrl-C leaves insert mode as Escape does.
        let key = if key == Key::Control(ctrl(b'C')) { Key::Escape } else { key };
        if let Some(recording) = self.recording.as_mut() {
            recording.push(key);
        }
        if key != Key::Escape {
            self.session.typed.push(key);
            self.type_key(key);
            if !matches!(key, Key::Up | Key::Down) {
                self.want = None;
            }
            return;
        }
        let session = mem::take(&mut self.session);
        self.session.replaced = session.replaced;
        for _ in 1..session.count {
            if session.opens_line {
                let line = self.cursor.line + 1;
                self.replace(line, 0, vec![Vec::new()]);
                self.cursor = Pos::new(line, 0);
            }
            for &key in &session.typed {
                self.type_key(key);
            }
        }
        self.mode = Mode::Normal;
        self.cursor.col = prev_char(self.buf.line(self.cursor.line), self.cursor.col);
        self.want = None;
        self.undo.close();
        if let Some(keys) = self.recording.take() {
            self.dot = keys;
        }
    }

    /// A key typed in insert or replace mode.
    fn type_key(&mut self, key: Key) {
        let cursor = self.cursor;
        let line = self.buf.line(cursor.line);
        match key {
            Key::Char(char) => {
                let mut bytes = [0; 4];
                self.type_text(char.encode_utf8(&mut bytes).as_bytes());
            }
            Key::Control(b'\t') => self.type_text(b"\t"),
            Key::Control(b'\r' | b'\n') => self.cursor = self.splice(cursor, cursor, &[Vec::new(), Vec::new()]),
            Key::Control(0x7f | 0x08) => self.backspace(),
            Key::Control(byte) if byte == ctrl(b'W') && self.mode == Mode::Insert && cursor.col > 0 => {
                let start = motion::word_back(&self.buf, cursor, false);
                let start = if start.line == cursor.line { start } else { Pos::new(cursor.line, 0) };
                self.cursor = self.splice(start, cursor, &[]);
            }
            Key::Control(byte) if byte == ctrl(b'U') && self.mode == Mode::Insert => {
                self.cursor = self.splice(Pos::new(cursor.line, 0), cursor, &[]);
            }
            Key::Delete if cursor.col < line.len() => {
                self.splice(cursor, Pos::new(cursor.line, next_char(line, cursor.col)), &[]);
            }
            Key::Delete if cursor.line + 1 < self.buf.len() => {
                self.splice(cursor, Pos::new(cursor.line + 1, 0), &[]);
            }
            Key::Left => self.cursor.col = prev_char(line, cursor.col),
            Key::Right => self.cursor.col = next_char(line, cursor.col),
            Key::Home => self.cursor.col = 0,
            Key::End => self.cursor.col = line.len(),
            Key::Up if cursor.line > 0 => {
                let col = self.wanted_col(cursor.line - 1);
                self.cursor = Pos::new(cursor.line - 1, col);
            }
            Key::Down if cursor.line + 1 < self.buf.len() => {
                let col = self.wanted_col(cursor.line + 1);
                self.cursor = Pos::new(cursor.line + 1, col);
            }
            _ => {}
        }
    }

    fn type_text(&mut self, text: &[u8]) {
        let cursor = self.cursor;
        let line = self.buf.line(cursor.line);
        let to = if self.mode == Mode::Replace && cursor.col < line.len() {
            let end = next_char(line, cursor.col);
            self.session.replaced.push(Some(line[cursor.col..end].to_vec()));
            Pos::new(cursor.line, end)
        } else {
            if self.mode == Mode::Replace {
                self.session.replaced.push(None);
            }
            cursor
        };
        self.cursor = self.splice(cursor, to, &[text.to_vec()]);
    }

    fn backspace(&mut self) {
        let cursor = self.cursor;
        if cursor.col == 0 {
            if self.mode == Mode::Insert && cursor.line > 0 {
                let end = Pos::new(cursor.line - 1, self.buf.line(cursor.line - 1).len());
                self.splice(end, cursor, &[]);
                self.cursor = end;
            }
            return;
        }
        let before = Pos::new(cursor.line, prev_char(self.buf.line(cursor.line), cursor.col));
        match (self.mode, self.session.replaced.pop()) {
            (Mode::Replace, Some(Some(original))) => {
                self.splice(before, cursor, &[original]);
            }
            (Mode::Replace, None) => {}
            _ => {
                self.splice(before, cursor, &[]);
            }
        }
        self.cursor = before;
    }
}
