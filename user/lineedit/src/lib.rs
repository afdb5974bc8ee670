//! `lineedit`: a line editor as a pure state machine. The caller puts the terminal in
//! raw mode, tells the editor the terminal's width ([`Editor::resize`], before a line
//! and whenever the width may have changed, such as before acting on new input),
//! writes what [`Editor::begin`] returns, and hands every byte it reads to
//! [`Editor::feed`], which answers with the bytes to write back and, once the line is
//! done, an [`Event`]. Bytes that arrive after a finished line are kept for the next
//! one. The output is the least that redraws what changed, with relative cursor
//! movements, for lines that wrap over several rows (see `display.rs`).
//!
//! Keys (decoded by `keys.rs`): printable text (UTF-8) inserts; Left/Right, Ctrl-B/F
//! move; Home/End, Ctrl-A/E jump; Backspace, Delete and Ctrl-D (on a non-empty line)
//! delete; Ctrl-U, Ctrl-K and Ctrl-W cut to the start, to the end and the word before
//! the cursor; Up/Down, Ctrl-P/N walk the history; Ctrl-R searches it backwards
//! (see `search.rs`); Ctrl-L clears the screen; Tab completes through a [`Complete`];
//! Enter finishes the line, Ctrl-D on an empty line is end of input and Ctrl-C
//! abandons the line.
//!
//! While searching, text and Backspace change what is looked for, Ctrl-R finds an
//! older match, Enter runs the match, Escape leaves with the match to edit, Ctrl-G
//! leaves with the line as it was, and any other key leaves with the match and then
//! acts on it. A lone ESC is the Escape key only once what follows it is known: the
//! caller that sees [`Editor::escape_pending`] waits a little for more input and,
//! if none comes, calls [`Editor::escape_timeout`].
use std::collections::VecDeque;

mod completion;
mod display;
pub mod keys;
pub mod prompt;
mod search;

use completion::{common_prefix, list};
pub use display::DEFAULT_WIDTH;
use display::Display;
use keys::{Key, ctrl};
use prompt::{Prompt, display_width};
use search::Search;

/// How many lines the history keeps.
pub const HISTORY_LIMIT: usize = 500;

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

/// The byte length of the longest common prefix (whole characters) of `a` and `b`.
pub(crate) fn common_prefix_length(a: &str, b: &str) -> usize {
    a.char_indices().zip(b.chars()).find(|&((_, x), y)| x != y).map_or(a.len().min(b.len()), |((index, _), _)| index)
}

/// The editor: the line being edited, the history, the screen, and input not yet
/// used.
#[derive(Debug, Default)]
pub struct Editor {
    prompt: Prompt,
    line: String,
    /// A byte offset into `line`, on a character boundary.
    cursor: usize,
    history: Vec<String>,
    /// How many lines have left the front of the history (for history numbers).
    dropped: usize,
    /// Which history entry is shown; `history.len()` is the line being typed.
    position: usize,
    /// The line being typed, kept while the history is shown.
    draft: String,
    search: Option<Search>,
    /// What the last search looked for, which an empty search's Ctrl-R takes up.
    last_search: String,
    display: Display,
    pending: VecDeque<u8>,
    /// The last key was a Tab that completed nothing.
    tabbed: bool,
    /// The last key was a `\r`, so a `\n` right after it is the same Enter.
    after_cr: bool,
}

impl Editor {
    /// An editor with `history` (oldest first; only the last [`HISTORY_LIMIT`] kept).
    pub fn new(mut history: Vec<String>) -> Self {
        let dropped = history.len().saturating_sub(HISTORY_LIMIT);
        history.drain(..dropped);
        let position = history.len();
        Self { history, dropped, position, ..Self::default() }
    }

    pub fn history(&self) -> &[String] {
        &self.history
    }

    /// The history number of the next line (as a prompt's `!` shows it): one more
    /// than the lines added so far, counting those given to [`Editor::new`].
    pub fn history_number(&self) -> usize {
        self.dropped + self.history.len() + 1
    }

    /// Adds `line` to the history unless it is blank or repeats the last entry;
    /// says whether it did.
    pub fn add_history(&mut self, line: &str) -> bool {
        if line.trim().is_empty() || self.history.last().is_some_and(|last| last == line) {
            return false;
        }
        if self.history.len() == HISTORY_LIMIT {
            self.history.remove(0);
            self.dropped += 1;
        }
        self.history.push(line.into());
        self.position = self.history.len();
        true
    }

    /// Sets the terminal's width in columns (0: [`DEFAULT_WIDTH`]); returns the bytes
    /// to write, which redraw the line at the new width if one is being edited.
    pub fn resize(&mut self, columns: usize) -> Vec<u8> {
        let mut out = Vec::new();
        if self.display.resize(columns, &mut out) {
            self.render(&mut out);
        }
        out
    }

    /// Starts a new line after `prompt`; returns the bytes to write (the prompt).
    pub fn begin(&mut self, prompt: &str) -> Vec<u8> {
        self.prompt = Prompt::new(prompt);
        self.line.clear();
        self.cursor = 0;
        self.position = self.history.len();
        self.tabbed = false;
        self.search = None;
        let mut out = Vec::new();
        self.draw_anew(&mut out);
        self.render(&mut out);
        out
    }

    /// Takes `input` (and any left from before), acting on keys until the line is
    /// over or the input is used up. An incomplete escape sequence or UTF-8
    /// character waits for the next call.
    pub fn feed(&mut self, input: &[u8], completer: &mut impl Complete) -> Reply {
        self.pending.extend(input);
        let mut reply = Reply::default();
        while reply.event.is_none() {
            let Some(key) = keys::next_key(&mut self.pending) else {
                break;
            };
            reply.event = self.key(key, completer, &mut reply.output);
        }
        if reply.event.is_none() {
            self.render(&mut reply.output);
        }
        reply
    }

    /// Whether a lone ESC waits for what follows it while it would mean something on
    /// its own (leaving a search).
    pub fn escape_pending(&self) -> bool {
        self.search.is_some() && keys::is_lone_escape(&self.pending)
    }

    /// No more input came after a lone ESC: it is the Escape key.
    pub fn escape_timeout(&mut self, completer: &mut impl Complete) -> Reply {
        let mut reply = Reply::default();
        if keys::is_lone_escape(&self.pending) {
            self.pending.clear();
            reply.event = self.key(Key::Escape, completer, &mut reply.output);
            if reply.event.is_none() {
                self.render(&mut reply.output);
            }
        }
        reply
    }

    fn key(&mut self, key: Key, completer: &mut impl Complete, out: &mut Vec<u8>) -> Option<Event> {
        let after_cr = std::mem::replace(&mut self.after_cr, key == Key::Control(b'\r'));
        if key == Key::Control(b'\n') && after_cr {
            return None;
        }
        let tabbed = std::mem::take(&mut self.tabbed);
        if self.search.is_some() && self.search_key(key, out) {
            return None;
        }
        self.act(key, tabbed, completer, out)
    }

    /// A key while searching; false when it ends the search and is to act on the line.
    fn search_key(&mut self, key: Key, out: &mut Vec<u8>) -> bool {
        let Some(search) = &mut self.search else {
            return false;
        };
        let found = match key {
            Key::Char(char) => search.push(char, &self.history),
            Key::Control(0x7f | 0x08) => {
                search.pop(&self.history);
                true
            }
            Key::Control(byte) if byte == ctrl(b'R') => search.older(&self.history, &self.last_search),
            Key::Control(byte) if byte == ctrl(b'G') => {
                self.leave_search(false);
                true
            }
            Key::Escape => {
                self.leave_search(true);
                true
            }
            _ => {
                self.leave_search(true);
                return false;
            }
        };
        if !found {
            self.bell(out);
        }
        true
    }

    /// Ends the search, with its match as the line (and the match's place in the
    /// history as the position) if `take_match`, else with the line as it was.
    fn leave_search(&mut self, take_match: bool) {
        let search = self.search.take().expect("searching");
        if !search.text.is_empty() {
            search.text.clone_into(&mut self.last_search);
        }
        match search.found.filter(|_| take_match) {
            Some(found) => {
                if found.entry != search.start {
                    if search.start == self.history.len() {
                        search.original.clone_into(&mut self.draft);
                    }
                    self.position = found.entry;
                }
                search.line(&self.history).0.clone_into(&mut self.line);
                self.cursor = found.offset;
            }
            None => {
                self.line = search.original;
                self.cursor = search.original_cursor;
            }
        }
    }

    fn act(&mut self, key: Key, tabbed: bool, completer: &mut impl Complete, out: &mut Vec<u8>) -> Option<Event> {
        match key {
            Key::Char(char) => {
                self.line.insert(self.cursor, char);
                self.cursor += char.len_utf8();
            }
            Key::Control(b'\r' | b'\n') => {
                self.finish(b"\r\n", out);
                self.position = self.history.len();
                return Some(Event::Line(std::mem::take(&mut self.line)));
            }
            Key::Control(0x03) => {
                self.finish(b"^C\r\n", out);
                self.line.clear();
                self.cursor = 0;
                return Some(Event::Interrupt);
            }
            Key::Control(0x04) if self.line.is_empty() => {
                self.finish(b"", out);
                return Some(Event::Eof);
            }
            Key::Control(0x04) | Key::Delete => {
                if let Some(next) = self.next_boundary() {
                    self.line.replace_range(self.cursor..next, "");
                }
            }
            Key::Control(0x7f | 0x08) => {
                if let Some(previous) = self.previous_boundary() {
                    self.line.replace_range(previous..self.cursor, "");
                    self.cursor = previous;
                }
            }
            Key::Control(byte) if byte == ctrl(b'A') => self.cursor = 0,
            Key::Home => self.cursor = 0,
            Key::Control(byte) if byte == ctrl(b'E') => self.cursor = self.line.len(),
            Key::End => self.cursor = self.line.len(),
            Key::Control(byte) if byte == ctrl(b'B') => self.cursor = self.previous_boundary().unwrap_or(0),
            Key::Left => self.cursor = self.previous_boundary().unwrap_or(0),
            Key::Control(byte) if byte == ctrl(b'F') => self.cursor = self.next_boundary().unwrap_or(self.cursor),
            Key::Right => self.cursor = self.next_boundary().unwrap_or(self.cursor),
            Key::Control(byte) if byte == ctrl(b'U') => {
                self.line.replace_range(..self.cursor, "");
                self.cursor = 0;
            }
            Key::Control(byte) if byte == ctrl(b'K') => self.line.truncate(self.cursor),
            Key::Control(byte) if byte == ctrl(b'W') => {
                let before = self.line[..self.cursor].trim_end_matches([' ', '\t']);
                let start = before.rfind([' ', '\t']).map_or(0, |blank| blank + 1);
                self.line.replace_range(start..self.cursor, "");
                self.cursor = start;
            }
            Key::Control(byte) if byte == ctrl(b'L') => {
                out.extend_from_slice(CLEAR_SCREEN);
                self.draw_anew(out);
            }
            Key::Control(byte) if byte == ctrl(b'R') => {
                self.search = Some(Search::new(&self.line, self.cursor, self.position));
            }
            Key::Control(byte) if byte == ctrl(b'P') => self.recall(self.position.checked_sub(1), out),
            Key::Up => self.recall(self.position.checked_sub(1), out),
            Key::Control(byte) if byte == ctrl(b'N') => self.recall(Some(self.position + 1), out),
            Key::Down => self.recall(Some(self.position + 1), out),
            Key::Control(b'\t') => self.complete(tabbed, completer, out),
            Key::Control(_) | Key::Escape | Key::PageUp | Key::PageDown | Key::Ignored => {}
        }
        None
    }

    fn previous_boundary(&self) -> Option<usize> {
        self.line[..self.cursor].char_indices().next_back().map(|(index, _)| index)
    }

    fn next_boundary(&self) -> Option<usize> {
        self.line[self.cursor..].chars().next().map(|char| self.cursor + char.len_utf8())
    }

    /// Brings the screen up to date with the prompt (or the search's) and the line.
    fn render(&mut self, out: &mut Vec<u8>) {
        match &self.search {
            Some(search) => {
                let prompt = search.prompt();
                let (line, cursor) = search.line(&self.history);
                self.display.update(&prompt, display_width(&prompt), line, cursor, out);
            }
            None => self.display.update(&self.prompt.last, self.prompt.width, &self.line, self.cursor, out),
        }
    }

    /// Rings the bell, after showing what the keys before it did.
    fn bell(&mut self, out: &mut Vec<u8>) {
        self.render(out);
        out.extend_from_slice(BELL);
    }

    /// Starts drawing from the start of the cursor's row: the prompt's first lines
    /// now, the rest at the next [`Editor::render`].
    fn draw_anew(&mut self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.prompt.before.as_bytes());
        self.display.start();
    }

    /// Shows the line as it is, then writes `text` after its end and stops drawing.
    fn finish(&mut self, text: &[u8], out: &mut Vec<u8>) {
        self.render(out);
        self.display.finish(out);
        out.extend_from_slice(text);
    }

    /// Shows history entry `position` (`history.len()` being the draft), if there is one.
    fn recall(&mut self, position: Option<usize>, out: &mut Vec<u8>) {
        let Some(position) = position.filter(|&position| position <= self.history.len()) else {
            self.bell(out);
            return;
        };
        if self.position == self.history.len() {
            self.draft = std::mem::take(&mut self.line);
        }
        self.position = position;
        self.line = self.history.get(position).cloned().unwrap_or_else(|| std::mem::take(&mut self.draft));
        self.cursor = self.line.len();
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
            }
            None if tabbed && candidates.len() > 1 => {
                self.finish(b"\r\n", out);
                out.extend_from_slice(list(&candidates, self.display.width()).as_bytes());
                self.draw_anew(out);
            }
            None => {
                self.tabbed = true;
                self.bell(out);
            }
        }
    }
}

#[cfg(test)]
mod tests;
