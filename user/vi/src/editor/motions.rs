//! Where motions take the cursor (and the view, for the paging keys), and
//! searching with `/`, `?`, `n` and `N`.

use crate::buffer::{Pos, last_char, next_char, prev_char};
use crate::motion::{self, Find};
use crate::normal::Motion;
use crate::search::Pattern;

use super::Editor;

impl Editor {
    fn bottom(&self) -> usize {
        self.view.bottom(&self.buf, self.top, self.options)
    }

    /// Where `motion` goes from the cursor (for an operator if `operator`), or
    /// `None` if it cannot move.
    pub(super) fn target(&mut self, motion: Motion, count: Option<usize>, operator: bool) -> Option<Pos> {
        let times = count.unwrap_or(1);
        let cursor = self.cursor;
        let line = self.buf.line(cursor.line);
        let last = self.buf.len() - 1;
        let half = self.view.rows.div_ceil(2);
        Some(match motion {
            Motion::Left => {
                if cursor.col == 0 {
                    return None;
                }
                Pos::new(cursor.line, (0..times).fold(cursor.col, |col, _| prev_char(line, col)))
            }
            Motion::Right => {
                let end = if operator { line.len() } else { last_char(line) };
                if cursor.col >= end {
                    return None;
                }
                Pos::new(cursor.line, (0..times).fold(cursor.col, |col, _| next_char(line, col).min(end)))
            }
            Motion::Up | Motion::PreviousLine => {
                let line = cursor.line.checked_sub(times)?;
                if motion == Motion::Up { Pos::new(line, self.wanted_col(line)) } else { self.first_non_blank(line) }
            }
            Motion::Down | Motion::NextLine => {
                let line = cursor.line + times;
                if line > last {
                    return None;
                }
                if motion == Motion::Down { Pos::new(line, self.wanted_col(line)) } else { self.first_non_blank(line) }
            }
            Motion::WordForward(big) => {
                let pos = (0..times).fold(cursor, |pos, _| motion::word_forward(&self.buf, pos, big));
                if operator && pos.line > cursor.line {
                    // The operated text ends with the last word moved over.
                    Pos::new(pos.line - 1, self.buf.line(pos.line - 1).len())
                } else {
                    pos
                }
            }
            Motion::WordBack(big) => (0..times).fold(cursor, |pos, _| motion::word_back(&self.buf, pos, big)),
            Motion::WordEnd(big) => (0..times).fold(cursor, |pos, _| motion::word_end(&self.buf, pos, big)),
            Motion::LineStart => Pos::new(cursor.line, 0),
            Motion::FirstNonBlank => self.first_non_blank(cursor.line),
            Motion::LineEnd => {
                let line = (cursor.line + times - 1).min(last);
                Pos::new(line, last_char(self.buf.line(line)))
            }
            Motion::Line => self.first_non_blank(count.map_or(last, |line| line.clamp(1, last + 1) - 1)),
            Motion::FirstLine => self.first_non_blank(count.map_or(0, |line| line.clamp(1, last + 1) - 1)),
            Motion::Find(find) => {
                self.last_find = Some(find);
                Pos::new(cursor.line, find.column(line, cursor.col, times)?)
            }
            Motion::RepeatFind { reverse } => {
                let find = self.last_find?;
                let find = Find { forward: find.forward != reverse, ..find };
                // A repeated `t` goes past the character it stopped before.
                let from = match (find.till, find.forward) {
                    (false, _) => cursor.col,
                    (true, true) => next_char(line, cursor.col),
                    (true, false) => prev_char(line, cursor.col),
                };
                Pos::new(cursor.line, find.column(line, from, times)?)
            }
            Motion::Match => motion::matching(&self.buf, cursor)?,
            Motion::ScreenTop => self.first_non_blank((self.top + times - 1).min(self.bottom())),
            Motion::ScreenMiddle => self.first_non_blank((self.top + self.bottom()) / 2),
            Motion::ScreenBottom => self.first_non_blank(self.bottom().saturating_sub(times - 1).max(self.top)),
            Motion::HalfPageDown | Motion::HalfPageUp => {
                let amount = count.unwrap_or(half);
                let line = if motion == Motion::HalfPageDown {
                    if cursor.line == last {
                        return None;
                    }
                    self.top = (self.top + amount).min(last);
                    (cursor.line + amount).min(last)
                } else {
                    if cursor.line == 0 {
                        return None;
                    }
                    self.top = self.top.saturating_sub(amount);
                    cursor.line.saturating_sub(amount)
                };
                self.first_non_blank(line)
            }
            Motion::PageDown => {
                if self.top == last {
                    return None;
                }
                self.top = (0..times).fold(self.top, |top, _| {
                    self.view.bottom(&self.buf, top, self.options).saturating_sub(1).max(top + 1).min(last)
                });
                self.first_non_blank(self.top)
            }
            Motion::PageUp => {
                if self.top == 0 {
                    return None;
                }
                let step = self.view.rows.saturating_sub(2).max(1);
                self.top = self.top.saturating_sub(step * times);
                self.first_non_blank(self.bottom().min(cursor.line))
            }
            Motion::SearchNext { reverse } => {
                let (text, _) = self.pattern.clone()?;
                let forward = self.search_forward != reverse;
                return self.find_pattern(&text, forward, times);
            }
        })
    }

    /// The `count`th match of the last pattern from the cursor, with vim's
    /// messages.
    fn find_pattern(&mut self, text: &str, forward: bool, count: usize) -> Option<Pos> {
        let (_, pattern) = self.pattern.clone()?;
        let mut pos = self.cursor;
        let mut wrapped = false;
        for _ in 0..count {
            let Some((found, wrap)) = pattern.search(&self.buf, pos, forward) else {
                self.message = format!("E486: Pattern not found: {text}");
                return None;
            };
            pos = found;
            wrapped |= wrap;
        }
        self.message = match (wrapped, forward) {
            (true, true) => "search hit BOTTOM, continuing at TOP".into(),
            (true, false) => "search hit TOP, continuing at BOTTOM".into(),
            (false, true) => format!("/{text}"),
            (false, false) => format!("?{text}"),
        };
        Some(pos)
    }

    /// The pattern `text` compiled and made the last one (an empty one: the
    /// last), or `None` with vim's message.
    pub(super) fn use_pattern(&mut self, text: &str) -> Option<(String, Pattern)> {
        if !text.is_empty() {
            match Pattern::new(text) {
                Ok(pattern) => self.pattern = Some((text.to_string(), pattern)),
                Err(message) => {
                    self.message = message;
                    return None;
                }
            }
        }
        if self.pattern.is_none() {
            self.message = "E35: No previous regular expression".into();
        }
        self.pattern.clone()
    }

    /// `/pattern` or `?pattern` (an empty one: the last).
    pub(super) fn search(&mut self, text: &str, forward: bool) {
        let Some((text, _)) = self.use_pattern(text) else { return };
        self.search_forward = forward;
        if let Some(pos) = self.find_pattern(&text, forward, 1) {
            self.cursor = pos;
        }
    }

    pub(super) fn move_cursor(&mut self, motion: Motion, count: Option<usize>) {
        if let Some(pos) = self.target(motion, count, false) {
            self.cursor = pos;
        }
        if motion == Motion::LineEnd {
            self.want = Some(usize::MAX);
        }
    }
}
