//! The commands that change text in normal mode: operators, `r`, `J`, `~`, `p`,
//! and `.`, `u` and Ctrl-R.

use crate::buffer::{Pos, next_char, prev_char};
use crate::input::Key;
use crate::motion;
use crate::normal::{Extent, Motion, Operator};

use super::{Editor, Mode, Register};

impl Editor {
    /// `d`, `c` or `y` over a motion, or over `count` lines.
    pub(super) fn operate(&mut self, operator: Operator, motion: Option<Motion>, count: Option<usize>) {
        let cursor = self.cursor;
        let last = self.buf.len() - 1;
        let (from, to, lines) = match motion {
            None => {
                let end = cursor.line + count.unwrap_or(1) - 1;
                (Pos::new(cursor.line, 0), Pos::new(end.min(last), 0), true)
            }
            Some(motion) => {
                let target = match motion {
                    // `cw` on a word changes to its end, as `ce` (but only this word's).
                    Motion::WordForward(big)
                        if operator == Operator::Change && !motion::at_blank(&self.buf, cursor) =>
                    {
                        let times = count.unwrap_or(1);
                        let mut pos = cursor;
                        for round in 0..times {
                            if round > 0 || !motion::at_word_end(&self.buf, pos, big) {
                                pos = motion::word_end(&self.buf, pos, big);
                            }
                        }
                        Some((pos, Extent::Inclusive))
                    }
                    _ => {
                        let extent = motion.extent(self.last_find);
                        self.target(motion, count, true).map(|target| (target, extent))
                    }
                };
                let Some((target, extent)) = target else { return };
                let (start, end) = (cursor.min(target), cursor.max(target));
                match extent {
                    Extent::Lines => (Pos::new(start.line, 0), Pos::new(end.line, 0), true),
                    Extent::Inclusive => {
                        (start, Pos::new(end.line, next_char(self.buf.line(end.line), end.col)), false)
                    }
                    Extent::Exclusive => (start, end, false),
                }
            }
        };
        if lines {
            self.operate_lines(operator, from.line, to.line);
        } else {
            self.register = Register { text: self.buf.text(from, to), lines: false };
            match operator {
                Operator::Yank => self.cursor = from,
                Operator::Delete | Operator::Change if from == to => self.cursor = from,
                Operator::Delete | Operator::Change => self.cursor = self.splice(from, to, &[]),
            }
            if operator == Operator::Change {
                self.enter_insert(Mode::Insert, 1, false);
            }
        }
    }

    pub(super) fn operate_lines(&mut self, operator: Operator, start: usize, end: usize) {
        let count = end - start + 1;
        self.register = Register { text: self.buf.lines()[start..=end].to_vec(), lines: true };
        match operator {
            Operator::Yank => {
                self.cursor.line = start;
                if count > 2 {
                    self.message = format!("{count} lines yanked");
                }
            }
            Operator::Delete => {
                self.replace(start, count, Vec::new());
                self.cursor = self.first_non_blank(start.min(self.buf.len() - 1));
                if count > 2 {
                    self.message = format!("{count} fewer lines");
                }
            }
            Operator::Change => {
                self.replace(start, count, vec![Vec::new()]);
                self.cursor = Pos::new(start, 0);
                self.enter_insert(Mode::Insert, 1, false);
            }
        }
    }

    /// `r`: the next `count` characters become `char` (Enter: a line break).
    pub(super) fn replace_chars(&mut self, char: char, count: usize) {
        let cursor = self.cursor;
        let line = self.buf.line(cursor.line);
        let mut end = cursor.col;
        for _ in 0..count {
            if end >= line.len() {
                return;
            }
            end = next_char(line, end);
        }
        let to = Pos::new(cursor.line, end);
        if char == '\n' {
            self.cursor = self.splice(cursor, to, &[Vec::new(), Vec::new()]);
        } else {
            let text = char.to_string().repeat(count).into_bytes();
            let end = self.splice(cursor, to, &[text]);
            self.cursor = Pos::new(end.line, prev_char(self.buf.line(end.line), end.col));
        }
    }

    /// `J`: `count` lines become one, joined by a space.
    pub(super) fn join(&mut self, count: usize) {
        let start = self.cursor.line;
        let end = (start + count - 1).min(self.buf.len() - 1);
        if end == start {
            return;
        }
        let mut joined = self.buf.line(start).to_vec();
        let mut col = 0;
        for line in &self.buf.lines()[start + 1..=end] {
            let text = &line[line.iter().position(|byte| !matches!(byte, b' ' | b'\t')).unwrap_or(line.len())..];
            col = joined.len();
            if !text.is_empty()
                && !joined.is_empty()
                && !joined.ends_with(b" ")
                && !joined.ends_with(b"\t")
                && text[0] != b')'
            {
                joined.push(b' ');
            }
            joined.extend_from_slice(text);
        }
        self.replace(start, end - start + 1, vec![joined]);
        self.cursor.col = col;
    }

    /// `~`: the case of `count` characters switched, the cursor after them.
    pub(super) fn toggle_case(&mut self, count: usize) {
        let cursor = self.cursor;
        let line = self.buf.line(cursor.line).to_vec();
        if line.is_empty() {
            return;
        }
        let mut col = cursor.col;
        let mut new = line[..col].to_vec();
        for _ in 0..count {
            if col >= line.len() {
                break;
            }
            let next = next_char(&line, col);
            match std::str::from_utf8(&line[col..next]).ok().and_then(|text| text.chars().next()) {
                Some(char) if char.is_lowercase() => new.extend(char.to_uppercase().collect::<String>().bytes()),
                Some(char) => new.extend(char.to_lowercase().collect::<String>().bytes()),
                None => new.extend_from_slice(&line[col..next]),
            }
            col = next;
        }
        let moved = new.len();
        new.extend_from_slice(&line[col..]);
        self.replace(cursor.line, 1, vec![new]);
        self.cursor.col = moved;
    }

    /// `p` and `P`: the register after or before the cursor, `count` times.
    pub(super) fn put(&mut self, before: bool, count: usize) {
        let register = self.register.clone();
        if register.text.is_empty() {
            self.message = "E353: Nothing in register \"".into();
            return;
        }
        let cursor = self.cursor;
        if register.lines {
            let at = cursor.line + usize::from(!before);
            let lines: Vec<Vec<u8>> = (0..count).flat_map(|_| register.text.iter().cloned()).collect();
            let added = lines.len();
            self.replace(at, 0, lines);
            self.cursor = self.first_non_blank(at);
            if added > 2 {
                self.message = format!("{added} more lines");
            }
            return;
        }
        let line = self.buf.line(cursor.line);
        let at = if before || line.is_empty() { cursor.col } else { next_char(line, cursor.col) };
        let mut text: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..count {
            for (index, piece) in register.text.iter().enumerate() {
                if index > 0 {
                    text.push(Vec::new());
                }
                text.last_mut().expect("one line at least").extend_from_slice(piece);
            }
        }
        let at = Pos::new(cursor.line, at);
        let end = self.splice(at, at, &text);
        self.cursor =
            if text.len() == 1 { Pos::new(end.line, prev_char(self.buf.line(end.line), end.col)) } else { at };
    }

    /// `.`: the last change again (with a new count if given).
    pub(super) fn repeat(&mut self, count: Option<usize>) {
        let mut keys = self.dot.clone();
        if let Some(count) = count {
            let digits = keys.iter().take_while(|key| matches!(key, Key::Char('0'..='9'))).count();
            keys.splice(..digits, count.to_string().chars().map(Key::Char));
        }
        self.replaying = true;
        for key in keys {
            self.key(key);
        }
        self.replaying = false;
    }

    /// `u` (`redo` false) and Ctrl-R: `count` groups undone or redone, the
    /// cursor where the last one says.
    pub(super) fn undo_or_redo(&mut self, count: usize, redo: bool) {
        for _ in 0..count {
            let cursor = if redo { self.undo.redo(&mut self.buf) } else { self.undo.undo(&mut self.buf) };
            match cursor {
                Some(cursor) => self.cursor = cursor,
                None => {
                    let end = if redo { "newest" } else { "oldest" };
                    self.message = format!("Already at {end} change");
                    break;
                }
            }
        }
    }
}
