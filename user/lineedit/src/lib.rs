//! `lineedit`: a line editor as a pure state machine. The caller puts the terminal in
//! raw mode, writes what [`Editor::begin`] returns, and hands every byte it reads to
//! [`Editor::feed`], which answers with the bytes to write back (echo and redraws
//! with ANSI sequences: `\r`, erase to end of line `ESC [ K`, cursor left `ESC [ n D`)
//! and, once the line is done, an [`Event`]. Bytes that arrive after a finished line
//! are kept for the next one.
//!
//! Keys: printable text (UTF-8) inserts; Left/Right, Ctrl-B/F move; Home/End, Ctrl-A/E
//! jump; Backspace, Delete and Ctrl-D (on a non-empty line) delete; Ctrl-U, Ctrl-K
//! and Ctrl-W cut to the start, to the end and the word before the cursor; Up/Down,
//! Ctrl-P/N walk the history; Ctrl-L clears the screen; Tab completes through a
//! [`Complete`]; Enter finishes the line, Ctrl-D on an empty line is end of input and
//! Ctrl-C abandons the line. Escape sequences understood: `ESC [ A/B/C/D/H/F`,
//! `ESC [ 1~/7~/4~/8~/3~` and `ESC O A/B/C/D/H/F`; others are ignored.
//!
//! Each character is taken as one column wide, and a line longer than the terminal
//! is redrawn as if it did not wrap.
use std::collections::VecDeque;

/// How many lines the history keeps.
pub const HISTORY_LIMIT: usize = 500;
/// The width completion lists are laid out for.
const LIST_WIDTH: usize = 80;

const BELL: &[u8] = b"\x07";
const CLEAR_SCREEN: &[u8] = b"\x1b[H\x1b[2J";

/// Completion for Tab.
pub trait Complete {
    /// The candidates for the word that ends at `cursor` (a byte offset) in `line`:
    /// where that word starts, and the texts that could replace it. A candidate ending
    /// in `/` (a directory) is not followed by a space when it is the only one.
    fn complete(&mut self, line: &str, cursor: usize) -> (usize, Vec<String>);
}

/// What ends a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Enter: the line, without its newline.
    Line(String),
    /// Ctrl-D on an empty line.
    Eof,
    /// Ctrl-C: the line is abandoned.
    Interrupt,
}

/// What [`Editor::feed`] asks of the caller.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Reply {
    /// Bytes to write to the terminal.
    pub output: Vec<u8>,
    /// Set when the line is over.
    pub event: Option<Event>,
}

/// A key, decoded from the input bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Char(char),
    /// A control character (0x00-0x1f, 0x7f).
    Control(u8),
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    Delete,
    /// An escape sequence this editor does not use.
    Ignored,
}

const fn ctrl(letter: u8) -> u8 {
    letter & 0x1f
}

/// The editor: the line being edited, the history, and input not yet used.
#[derive(Debug, Default)]
pub struct Editor {
    prompt: String,
    line: String,
    /// A byte offset into `line`, on a character boundary.
    cursor: usize,
    history: Vec<String>,
    /// Which history entry is shown; `history.len()` is the line being typed.
    position: usize,
    /// The line being typed, kept while the history is shown.
    draft: String,
    pending: VecDeque<u8>,
    /// The last key was a Tab that completed nothing.
    tabbed: bool,
    /// The last key was a `\r`, so a `\n` right after it is the same Enter.
    after_cr: bool,
}

impl Editor {
    /// An editor with `history` (oldest first; only the last [`HISTORY_LIMIT`] kept).
    pub fn new(mut history: Vec<String>) -> Self {
        history.drain(..history.len().saturating_sub(HISTORY_LIMIT));
        let position = history.len();
        Self { history, position, ..Self::default() }
    }

    pub fn history(&self) -> &[String] {
        &self.history
    }

    /// Adds `line` to the history unless it is blank or repeats the last entry;
    /// says whether it did.
    pub fn add_history(&mut self, line: &str) -> bool {
        if line.trim().is_empty() || self.history.last().is_some_and(|last| last == line) {
            return false;
        }
        if self.history.len() == HISTORY_LIMIT {
            self.history.remove(0);
        }
        self.history.push(line.into());
        self.position = self.history.len();
        true
    }

    /// Starts a new line after `prompt`; returns the bytes to write (the prompt).
    pub fn begin(&mut self, prompt: &str) -> Vec<u8> {
        prompt.clone_into(&mut self.prompt);
        self.line.clear();
        self.cursor = 0;
        self.position = self.history.len();
        self.tabbed = false;
        prompt.as_bytes().to_vec()
    }

    /// Takes `input` (and any left from before), acting on keys until the line is
    /// over or the input is used up. An incomplete escape sequence or UTF-8
    /// character waits for the next call.
    pub fn feed(&mut self, input: &[u8], completer: &mut impl Complete) -> Reply {
        self.pending.extend(input);
        let mut reply = Reply::default();
        while reply.event.is_none() {
            let Some(key) = self.next_key() else {
                break;
            };
            let after_cr = std::mem::replace(&mut self.after_cr, key == Key::Control(b'\r'));
            if key == Key::Control(b'\n') && after_cr {
                continue;
            }
            let tabbed = std::mem::take(&mut self.tabbed);
            reply.event = self.act(key, tabbed, completer, &mut reply.output);
        }
        reply
    }

    /// Decodes the next key from the pending input, if it is all there.
    fn next_key(&mut self) -> Option<Key> {
        let first = *self.pending.front()?;
        let (key, length) = match first {
            0x1b => self.escape_sequence()?,
            0x00..=0x1f | 0x7f => (Key::Control(first), 1),
            _ => {
                let length = match first {
                    0xc0..=0xdf => 2,
                    0xe0..=0xef => 3,
                    0xf0..=0xf7 => 4,
                    _ => 1,
                };
                if self.pending.len() < length {
                    return None;
                }
                let bytes: Vec<u8> = self.pending.iter().take(length).copied().collect();
                match std::str::from_utf8(&bytes).ok().and_then(|text| text.chars().next()) {
                    Some(char) => (Key::Char(char), length),
                    None => (Key::Ignored, 1),
                }
            }
        };
        self.pending.drain(..length);
        Some(key)
    }

    /// Decodes `ESC ...` at the front of the pending input: the key and its length.
    fn escape_sequence(&self) -> Option<(Key, usize)> {
        match self.pending.get(1)? {
            b'[' => {
                // Parameters (digits and `;`), then a final byte.
                let length = self.pending.iter().skip(2).position(|byte| !matches!(byte, b'0'..=b'9' | b';'))? + 3;
                let parameters: Vec<u8> = self.pending.iter().skip(2).take(length - 3).copied().collect();
                let key = match (self.pending[length - 1], &parameters[..]) {
                    (b'A', _) => Key::Up,
                    (b'B', _) => Key::Down,
                    (b'C', _) => Key::Right,
                    (b'D', _) => Key::Left,
                    (b'H', _) | (b'~', b"1" | b"7") => Key::Home,
                    (b'F', _) | (b'~', b"4" | b"8") => Key::End,
                    (b'~', b"3") => Key::Delete,
                    _ => Key::Ignored,
                };
                Some((key, length))
            }
            b'O' => {
                let key = match self.pending.get(2)? {
                    b'A' => Key::Up,
                    b'B' => Key::Down,
                    b'C' => Key::Right,
                    b'D' => Key::Left,
                    b'H' => Key::Home,
                    b'F' => Key::End,
                    _ => Key::Ignored,
                };
                Some((key, 3))
            }
            // Alt with a key: neither is used.
            _ => Some((Key::Ignored, 2)),
        }
    }

    fn act(&mut self, key: Key, tabbed: bool, completer: &mut impl Complete, out: &mut Vec<u8>) -> Option<Event> {
        match key {
            Key::Char(char) => self.insert(char.encode_utf8(&mut [0; 4]), out),
            Key::Control(b'\r' | b'\n') => {
                out.extend_from_slice(b"\r\n");
                self.position = self.history.len();
                return Some(Event::Line(std::mem::take(&mut self.line)));
            }
            Key::Control(0x03) => {
                out.extend_from_slice(b"^C\r\n");
                self.line.clear();
                self.cursor = 0;
                return Some(Event::Interrupt);
            }
            Key::Control(0x04) if self.line.is_empty() => return Some(Event::Eof),
            Key::Control(0x04) | Key::Delete => {
                if let Some(next) = self.next_boundary() {
                    self.line.replace_range(self.cursor..next, "");
                    self.refresh(out);
                }
            }
            Key::Control(0x7f | 0x08) => {
                if let Some(previous) = self.previous_boundary() {
                    self.line.replace_range(previous..self.cursor, "");
                    self.cursor = previous;
                    self.refresh(out);
                }
            }
            Key::Control(byte) if byte == ctrl(b'A') => self.move_to(0, out),
            Key::Home => self.move_to(0, out),
            Key::Control(byte) if byte == ctrl(b'E') => self.move_to(self.line.len(), out),
            Key::End => self.move_to(self.line.len(), out),
            Key::Control(byte) if byte == ctrl(b'B') => self.move_to(self.previous_boundary().unwrap_or(0), out),
            Key::Left => self.move_to(self.previous_boundary().unwrap_or(0), out),
            Key::Control(byte) if byte == ctrl(b'F') => self.move_to(self.next_boundary().unwrap_or(self.cursor), out),
            Key::Right => self.move_to(self.next_boundary().unwrap_or(self.cursor), out),
            Key::Control(byte) if byte == ctrl(b'U') => {
                self.line.replace_range(..self.cursor, "");
                self.cursor = 0;
                self.refresh(out);
            }
            Key::Control(byte) if byte == ctrl(b'K') => {
                self.line.truncate(self.cursor);
                self.refresh(out);
            }
            Key::Control(byte) if byte == ctrl(b'W') => {
                let before = self.line[..self.cursor].trim_end_matches([' ', '\t']);
                let start = before.rfind([' ', '\t']).map_or(0, |blank| blank + 1);
                self.line.replace_range(start..self.cursor, "");
                self.cursor = start;
                self.refresh(out);
            }
            Key::Control(byte) if byte == ctrl(b'L') => {
                out.extend_from_slice(CLEAR_SCREEN);
                self.refresh(out);
            }
            Key::Control(byte) if byte == ctrl(b'P') => self.recall(self.position.checked_sub(1), out),
            Key::Up => self.recall(self.position.checked_sub(1), out),
            Key::Control(byte) if byte == ctrl(b'N') => self.recall(Some(self.position + 1), out),
            Key::Down => self.recall(Some(self.position + 1), out),
            Key::Control(b'\t') => self.complete(tabbed, completer, out),
            Key::Control(_) | Key::Ignored => {}
        }
        None
    }

    fn previous_boundary(&self) -> Option<usize> {
        self.line[..self.cursor].char_indices().next_back().map(|(index, _)| index)
    }

    fn next_boundary(&self) -> Option<usize> {
        self.line[self.cursor..].chars().next().map(|char| self.cursor + char.len_utf8())
    }

    fn insert(&mut self, text: &str, out: &mut Vec<u8>) {
        let at_end = self.cursor == self.line.len();
        self.line.insert_str(self.cursor, text);
        self.cursor += text.len();
        if at_end {
            out.extend_from_slice(text.as_bytes());
        } else {
            self.refresh(out);
        }
    }

    fn move_to(&mut self, cursor: usize, out: &mut Vec<u8>) {
        if cursor != self.cursor {
            self.cursor = cursor;
            self.refresh(out);
        }
    }

    /// Redraws the prompt and the line, and puts the cursor back.
    fn refresh(&self, out: &mut Vec<u8>) {
        out.push(b'\r');
        out.extend_from_slice(self.prompt.as_bytes());
        out.extend_from_slice(self.line.as_bytes());
        out.extend_from_slice(b"\x1b[K");
        let after = self.line[self.cursor..].chars().count();
        if after > 0 {
            out.extend_from_slice(format!("\x1b[{after}D").as_bytes());
        }
    }

    /// Shows history entry `position` (`history.len()` being the draft), if there is one.
    fn recall(&mut self, position: Option<usize>, out: &mut Vec<u8>) {
        let Some(position) = position.filter(|&position| position <= self.history.len()) else {
            out.extend_from_slice(BELL);
            return;
        };
        if self.position == self.history.len() {
            self.draft = std::mem::take(&mut self.line);
        }
        self.position = position;
        self.line = self.history.get(position).cloned().unwrap_or_else(|| std::mem::take(&mut self.draft));
        self.cursor = self.line.len();
        self.refresh(out);
    }

    fn complete(&mut self, tabbed: bool, completer: &mut impl Complete, out: &mut Vec<u8>) {
        let (start, candidates) = completer.complete(&self.line, self.cursor);
        let start = start.min(self.cursor);
        let word_length = self.cursor - start;
        let replacement = match &candidates[..] {
            [] => None,
            [only] if only.ends_with('/') => Some(only.clone()),
            [only] => Some(format!("{only} ")),
            _ => Some(common_prefix(&candidates)).filter(|prefix| prefix.len() > word_length),
        };
        match replacement {
            Some(replacement) => {
                self.line.replace_range(start..self.cursor, &replacement);
                self.cursor = start + replacement.len();
                self.refresh(out);
            }
            None if tabbed && candidates.len() > 1 => {
                out.extend_from_slice(b"\r\n");
                out.extend_from_slice(list(&candidates, LIST_WIDTH).as_bytes());
                self.refresh(out);
            }
            None => {
                self.tabbed = true;
                out.extend_from_slice(BELL);
            }
        }
    }
}

/// The longest prefix (whole characters) shared by all `words`.
fn common_prefix(words: &[String]) -> String {
    let Some((first, rest)) = words.split_first() else {
        return String::new();
    };
    let mut prefix = first.as_str();
    for word in rest {
        let mismatch = prefix.char_indices().zip(word.chars()).find(|&((_, a), b)| a != b);
        prefix = &prefix[..mismatch.map_or(prefix.len().min(word.len()), |((index, _), _)| index)];
    }
    prefix.into()
}

/// How a candidate is listed: the part after its last `/` (a directory keeps its
/// trailing `/`).
fn display_name(candidate: &str) -> &str {
    let trimmed = candidate.strip_suffix('/').unwrap_or(candidate);
    trimmed.rfind('/').map_or(candidate, |slash| &candidate[slash + 1..])
}

/// `candidates` in columns (down, then across) fitting `width`, each row ending in
/// `\r\n`.
fn list(candidates: &[String], width: usize) -> String {
    let names: Vec<&str> = candidates.iter().map(|candidate| display_name(candidate)).collect();
    let column = names.iter().map(|name| name.chars().count()).max().unwrap_or(0) + 2;
    let columns = (width / column).max(1);
    let rows = names.len().div_ceil(columns);
    let mut text = String::new();
    for row in 0..rows {
        let mut line = String::new();
        for name in names.iter().skip(row).step_by(rows) {
            line += name;
            line.extend(std::iter::repeat_n(' ', column - name.chars().count()));
        }
        text += line.trim_end();
        text += "\r\n";
    }
    text
}

#[cfg(test)]
mod tests;
