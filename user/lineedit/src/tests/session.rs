//! An editor wired to a test [`Screen`], and the check that the screen shows what
//! the editor holds: the prompt (or the search's) and the line, wrapped at the
//! width, nothing after them, the earlier output above them untouched, and the
//! cursor on the line's cursor.
use super::Words;
use super::screen::{Screen, Wrap};
use crate::{Editor, Event};

/// What the rows above the prompt hold when it starts.
const EARLIER: &str = "earlier output";

pub struct Session {
    pub editor: Editor,
    pub screen: Screen,
    /// The row where the prompt's last line started, before any scrolling.
    origin: usize,
    /// What the rows above the prompt show, before any scrolling.
    above: Vec<String>,
    /// The prompt's lines before its last, as shown.
    first_lines: Vec<String>,
    pub words: Words,
}

/// `text` as the screen shows it: escape sequences dropped.
fn visible(text: &str) -> String {
    let mut shown = String::new();
    let mut chars = text.chars();
    while let Some(char) = chars.next() {
        if char == '\x1b' {
            chars.by_ref().find(|char| char.is_ascii_alphabetic());
        } else {
            shown.push(char);
        }
    }
    shown
}

/// A line as the editor shows it: control characters as `^X`.
fn shown_line(line: &str) -> String {
    line.chars()
        .flat_map(|char| match char {
            '\0'..='\x1f' | '\x7f' => vec!['^', char::from(char as u8 ^ 0x40)],
            char => vec![char],
        })
        .collect()
}

impl Session {
    /// A `width` x `height` screen with earlier output on the rows above `row`, and
    /// an editor with `history` that has just begun a line after `prompt` there.
    pub fn new(width: usize, height: usize, wrap: Wrap, row: usize, prompt: &str, history: &[&str]) -> Self {
        let mut screen = Screen::new(width, height, wrap);
        screen.start_at(row, EARLIER);
        let mut editor = Editor::new(history.iter().map(|line| line.to_string()).collect());
        assert_eq!(editor.resize(width), b"", "nothing is drawn yet");
        screen.write(&editor.begin(prompt));
        let mut first_lines: Vec<String> = prompt.split('\n').map(visible).collect();
        first_lines.pop();
        let origin = row + first_lines.len();
        let above = (0..row).map(|row| screen.row_text(row)).collect();
        let session = Self { editor, screen, origin, above, first_lines, words: Words(&[]) };
        session.check();
        session
    }

    /// Types `keys`; returns what the editor wrote and the event, after checking
    /// the screen (unless the line ended).
    pub fn keys(&mut self, keys: &[u8]) -> (Vec<u8>, Option<Event>) {
        let reply = self.editor.feed(keys, &mut self.words);
        self.screen.write(&reply.output);
        if reply.event.is_none() {
            self.check();
        }
        (reply.output, reply.event)
    }

    /// Types `keys` that draw the prompt again at the start of `row`, and checks
    /// the screen from there; returns what the editor wrote.
    pub fn keys_redrawing_at(&mut self, keys: &[u8], row: usize) -> Vec<u8> {
        let reply = self.editor.feed(keys, &mut self.words);
        self.screen.write(&reply.output);
        let scrolled = self.screen.scrolled;
        self.above = (0..row).map(|row| self.screen.row_text(row)).collect();
        self.above.splice(0..0, std::iter::repeat_n(String::new(), scrolled));
        self.origin = scrolled + row + self.first_lines.len();
        self.check();
        reply.output
    }

    /// The window becomes `width` wide; the rows above the line are cut to it.
    pub fn resize(&mut self, width: usize) {
        self.screen.resize(width);
        for row in self.above.iter_mut().chain(&mut self.first_lines) {
            *row = row.chars().take(width).collect::<String>().trim_end().into();
        }
        let output = self.editor.resize(width);
        self.screen.write(&output);
        self.check();
    }

    /// The prompt's last line and the line as they should show, and the cursor's
    /// offset from the start of the prompt's last line.
    pub fn expected(&self) -> (String, String, usize) {
        let (prompt, line, cursor) = match &self.editor.search {
            Some(search) => {
                let (line, cursor) = search.line(&self.editor.history);
                (search.prompt(), line.to_string(), cursor)
            }
            None => (self.editor.prompt.last.clone(), self.editor.line.clone(), self.editor.cursor),
        };
        let prompt = visible(&prompt);
        let offset = prompt.chars().count() + shown_line(&line[..cursor]).chars().count();
        (prompt, shown_line(&line), offset)
    }

    /// The row the prompt's last line is on now.
    pub fn origin(&self) -> usize {
        self.origin.checked_sub(self.screen.scrolled).expect("the prompt scrolled off the screen")
    }

    /// Checks that the screen shows the prompt and the line, and the cursor.
    pub fn check(&self) {
        let screen = &self.screen;
        let (prompt, line, offset) = self.expected();
        let text: Vec<char> = prompt.chars().chain(line.chars()).collect();
        let origin = self.origin();
        let rows: Vec<String> = text.chunks(screen.width).map(|row| row.iter().collect::<String>()).collect();
        let dump = (0..screen.height).map(|row| format!("{row:2}|{}|", screen.row_text(row))).collect::<Vec<_>>();
        let dump = dump.join("\n");
        for (index, row) in rows.iter().enumerate() {
            assert_eq!(screen.row_text(origin + index), row.trim_end(), "row {index} of the line:\n{dump}");
        }
        for row in origin + rows.len()..screen.height {
            assert_eq!(screen.row_text(row), "", "row {row}, after the line:\n{dump}");
        }
        let first_row = self.above.len();
        for (index, first_line) in self.first_lines.iter().enumerate() {
            if let Some(row) = (first_row + index).checked_sub(screen.scrolled) {
                assert_eq!(&screen.row_text(row), first_line, "row {row}, of the prompt:\n{dump}");
            }
        }
        for (row, text) in self.above.iter().enumerate().skip(screen.scrolled) {
            assert_eq!(&screen.row_text(row - screen.scrolled), text, "row {row}, above the prompt:\n{dump}");
        }
        let expected = (origin + offset / screen.width, offset % screen.width);
        assert_eq!((screen.row, screen.column), expected, "the cursor:\n{dump}");
        assert!(!screen.pending_wrap, "a wrap is pending:\n{dump}");
    }
}
