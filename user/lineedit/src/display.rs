//! The screen: what the editor has drawn (a prompt line and the line after it,
//! wrapping at the terminal's width) and the least output that brings the terminal
//! from that to what it should show.
//!
//! Positions are columns counted from where the prompt's last line starts: offset
//! `n` is row `n / width`, column `n % width`. The cursor is moved only relatively
//! (CR, `ESC [ n A/B/C/D`), so the screen may have scrolled. Text is written from the
//! first character that changed to the end of the line, then `ESC [ J` erases what
//! is left of a longer old line. A line ending exactly at the right margin leaves
//! the terminal with a pending wrap (xterm, Linux) or already on the next row
//! (others): a space and CR then put the cursor at the start of the next row on
//! both.
//!
//! Each character takes one column; control characters are shown as `^X` and other
//! non-printing ones as U+FFFD. The cursor is assumed to be at the start of a row when
//! a line begins, and a line taller than the screen is not handled.
use crate::common_prefix_length;

/// The width when the terminal does not say.
pub const DEFAULT_WIDTH: usize = 80;

/// How one character shows on the screen: one character, or two (`^X`).
fn cell(char: char) -> (char, Option<char>) {
    match char {
        '\0'..='\x1f' | '\x7f' => ('^', Some(char::from(char as u8 ^ 0x40))),
        char if char.is_control() => ('\u{fffd}', None),
        char => (char, None),
    }
}

/// How many columns `text` takes in the line.
fn columns(text: &str) -> usize {
    text.chars().map(|char| 1 + usize::from(cell(char).1.is_some())).sum()
}

fn write_cells(text: &str, out: &mut Vec<u8>) {
    for char in text.chars() {
        let (first, second) = cell(char);
        for char in std::iter::once(first).chain(second) {
            out.extend_from_slice(char.encode_utf8(&mut [0; 4]).as_bytes());
        }
    }
}

/// What is on the screen, from the start of the prompt's last line.
#[derive(Debug, Default, Clone)]
struct Shown {
    /// The prompt's last line as written, and its width.
    prompt: String,
    prompt_width: usize,
    line: String,
    /// Where the terminal's cursor is.
    cursor: usize,
}

#[derive(Debug)]
pub(crate) struct Display {
    width: usize,
    /// None between lines.
    shown: Option<Shown>,
}

impl Default for Display {
    fn default() -> Self {
        Self { width: DEFAULT_WIDTH, shown: None }
    }
}

impl Display {
    /// Starts drawing at the start of the row the cursor is on, with nothing drawn.
    pub fn start(&mut self) {
        self.shown = Some(Shown::default());
    }

    pub fn width(&self) -> usize {
        self.width
    }

    /// Sets the terminal's width (0 for the default). In the middle of a line, the
    /// cursor goes back to where the prompt's last line started (as laid out at the
    /// old width) and erases from there; then it says so, for [`Display::update`] to
    /// draw everything again.
    pub fn resize(&mut self, width: usize, out: &mut Vec<u8>) -> bool {
        let width = if width == 0 { DEFAULT_WIDTH } else { width };
        if width == self.width {
            return false;
        }
        let drawing = match self.shown.take() {
            Some(shown) => {
                self.move_cursor(shown.cursor, 0, out);
                out.extend_from_slice(b"\x1b[J");
                self.shown = Some(Shown::default());
                true
            }
            None => false,
        };
        self.width = width;
        drawing
    }

    /// Brings the screen to `prompt` (its last line, `prompt_width` wide) then
    /// `line`, with the cursor before byte `cursor` of the line.
    pub fn update(&mut self, prompt: &str, prompt_width: usize, line: &str, cursor: usize, out: &mut Vec<u8>) {
        let shown = self.shown.take().unwrap_or_default();
        let same_prompt = shown.prompt == prompt;
        let common = if same_prompt { common_prefix_length(&shown.line, line) } else { 0 };
        let from = if same_prompt { prompt_width + columns(&line[..common]) } else { 0 };
        let old_end = shown.prompt_width + columns(&shown.line);
        let end = prompt_width + columns(line);
        let mut position = shown.cursor;
        if !same_prompt || from < end || old_end > end {
            self.move_cursor(position, from, out);
            position = from;
            if !same_prompt {
                out.extend_from_slice(prompt.as_bytes());
            }
            write_cells(&line[common..], out);
            if end > from {
                position = end;
                if end.is_multiple_of(self.width) {
                    out.extend_from_slice(b" \r");
                }
            }
            if old_end > end {
                out.extend_from_slice(b"\x1b[J");
            }
        }
        let target = prompt_width + columns(&line[..cursor]);
        self.move_cursor(position, target, out);
        self.shown = Some(Shown { prompt: prompt.into(), prompt_width, line: line.into(), cursor: target });
    }

    /// Moves the cursor past the end of what is drawn, where output may follow, and
    /// stops drawing.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        if let Some(shown) = self.shown.take() {
            self.move_cursor(shown.cursor, shown.prompt_width + columns(&shown.line), out);
        }
    }

    /// The relative movements from offset `from` to offset `to`.
    fn move_cursor(&self, from: usize, to: usize, out: &mut Vec<u8>) {
        let (from_row, from_column) = (from / self.width, from % self.width);
        let (to_row, to_column) = (to / self.width, to % self.width);
        if to_row < from_row {
            out.extend_from_slice(format!("\x1b[{}A", from_row - to_row).as_bytes());
        } else if to_row > from_row {
            out.extend_from_slice(format!("\x1b[{}B", to_row - from_row).as_bytes());
        }
        if to_column == 0 && from_column != 0 {
            out.push(b'\r');
        } else if to_column < from_column {
            out.extend_from_slice(format!("\x1b[{}D", from_column - to_column).as_bytes());
        } else if to_column > from_column {
            out.extend_from_slice(format!("\x1b[{}C", to_column - from_column).as_bytes());
        }
    }
}
