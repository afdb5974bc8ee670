//! What the screen shows, as text: the visible lines (long lines wrapped over
//! several rows, `~` past the end, `@` for a line that does not fit at the
//! bottom), with line numbers for `set number` and tabs and ends shown for
//! `set list`; the status line (file name, `[+]`, `[RO]`, mode, line and column,
//! where in the file); and the message or command line. No terminal involved.
use crate::buffer::{Buffer, Pos, next_char};

/// Tab stops are every 8 columns.
const TAB: usize = 8;

/// How one character of a line is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// Where the character starts in the line.
    pub byte: usize,
    pub text: String,
}

/// The character of `line` at `byte`, shown from `column`: how many columns it
/// takes and where the next one starts (see [`cells`]).
fn width_at(line: &[u8], byte: usize, column: usize, list: bool) -> (usize, usize) {
    let next = next_char(line, byte);
    match line[byte] {
        b'\t' if !list => (TAB - column % TAB, next),
        0..=0x1f | 0x7f => (2, next),
        _ if std::str::from_utf8(&line[byte..next]).is_ok() => (1, next),
        // Bytes after an invalid one are characters of their own.
        _ => (4, byte + 1),
    }
}

/// The cells of `line`, where every character of their text takes one column:
/// tabs as spaces to the next tab stop (`^I` with `list`), other control
/// characters as `^X`, bytes that are not UTF-8 as `<xx>`.
pub fn cells(line: &[u8], list: bool) -> Vec<Cell> {
    let mut cells = Vec::new();
    let mut column = 0;
    let mut byte = 0;
    while byte < line.len() {
        let (width, next) = width_at(line, byte, column, list);
        let text = match line[byte] {
            b'\t' if !list => " ".repeat(width),
            control @ (0..=0x1f | 0x7f) => format!("^{}", char::from(control ^ 0x40)),
            _ if width == 4 => format!("<{:02x}>", line[byte]),
            _ => String::from_utf8_lossy(&line[byte..next]).into_owned(),
        };
        column += width;
        cells.push(Cell { byte, text });
        byte = next;
    }
    cells
}

/// The column where byte `col` of `line` is shown (past the end: the width).
pub fn column_of(line: &[u8], col: usize, list: bool) -> usize {
    let (mut column, mut byte) = (0, 0);
    while byte < line.len().min(col) {
        let (width, next) = width_at(line, byte, column, list);
        column += width;
        byte = next;
    }
    column
}

/// The byte offset of the character shown at `column` (the last one if the line
/// is narrower).
pub fn col_at(line: &[u8], column: usize, list: bool) -> usize {
    let (mut at, mut byte, mut last) = (0, 0, 0);
    while byte < line.len() {
        let (width, next) = width_at(line, byte, at, list);
        last = byte;
        at += width;
        if at > column {
            return byte;
        }
        byte = next;
    }
    last
}

/// What the screen shows besides the text.
#[derive(Debug, Clone, Default)]
pub struct Status {
    pub name: Option<String>,
    pub modified: bool,
    pub readonly: bool,
    /// `-- INSERT --` and the like, or nothing (normal mode).
    pub mode: &'static str,
    /// The message line: a message, or the command line being typed.
    pub message: String,
    /// Whether the cursor is on the message line (typing a command).
    pub cursor_on_message: bool,
}

/// What decides how text is shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    pub number: bool,
    pub list: bool,
}

/// One screen row: its text and whether it is shown in reverse video.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub text: String,
    pub reverse: bool,
}

/// A whole screen: its rows (text rows, status line, message line) and where the
/// cursor is (row, column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub rows: Vec<Row>,
    pub cursor: (usize, usize),
    pub width: usize,
}

/// The screen's text area: rows and columns for text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    pub rows: usize,
    pub columns: usize,
}

impl View {
    /// The text area of a terminal of `rows` by `columns` (two rows are the status
    /// and message lines).
    pub fn of_terminal(rows: usize, columns: usize) -> Self {
        Self { rows: rows.max(3) - 2, columns: columns.max(12) }
    }

    /// The width of line numbers for `buf`, 0 without them.
    fn number_width(self, buf: &Buffer, options: Options) -> usize {
        if options.number { buf.len().to_string().len().max(3) + 1 } else { 0 }
    }

    /// The columns left for text.
    fn text_columns(self, buf: &Buffer, options: Options) -> usize {
        self.columns - self.number_width(buf, options).min(self.columns - 8)
    }

    /// How many rows line `index` takes.
    pub fn height(self, buf: &Buffer, index: usize, options: Options) -> usize {
        let columns = self.text_columns(buf, options);
        let line = buf.line(index);
        let width = column_of(line, line.len(), options.list) + usize::from(options.list);
        width.div_ceil(columns).max(1)
    }

    /// The first line to show so that line `cursor` is on the screen, starting
    /// from `top`.
    pub fn scroll(self, buf: &Buffer, top: usize, cursor: usize, options: Options) -> usize {
        if cursor < top {
            return cursor;
        }
        // Every line takes a row at least: no need to look further back.
        let mut top = top.max((cursor + 1).saturating_sub(self.rows));
        while top < cursor && (top..=cursor).map(|index| self.height(buf, index, options)).sum::<usize>() > self.rows {
            top += 1;
        }
        top
    }

    /// The lines shown whole from `top`: the last one.
    pub fn bottom(self, buf: &Buffer, top: usize, options: Options) -> usize {
        let mut used = 0;
        let mut line = top;
        while line < buf.len() {
            used += self.height(buf, line, options);
            if used > self.rows {
                break;
            }
            line += 1;
        }
        line.saturating_sub(1).max(top)
    }

    /// The screen for `buf` shown from line `top` with the cursor at `cursor`.
    pub fn frame(self, buf: &Buffer, top: usize, cursor: Pos, options: Options, status: &Status) -> Frame {
        let number_width = self.number_width(buf, options);
        let columns = self.text_columns(buf, options);
        let mut rows = Vec::with_capacity(self.rows + 2);
        let mut screen_cursor = (0, number_width);
        let mut line = top;
        while rows.len() < self.rows && line < buf.len() {
            let height = self.height(buf, line, options);
            if rows.len() + height > self.rows && line > top {
                while rows.len() < self.rows {
                    rows.push(Row { text: "@".into(), reverse: false });
                }
                break;
            }
            let mut texts: Vec<String> = vec![String::new()];
            let mut width = 0;
            let mut cells = cells(buf.line(line), options.list);
            if options.list {
                cells.push(Cell { byte: buf.line(line).len(), text: "$".into() });
            }
            for cell in &cells {
                if line == cursor.line && cell.byte == cursor.col {
                    // In normal mode the cursor shows on a tab's last column, as in vi.
                    let tab = status.mode.is_empty() && !options.list && buf.line(line)[cell.byte] == b'\t';
                    let at = if tab { width + cell.text.chars().count() - 1 } else { width };
                    screen_cursor = (rows.len() + at / columns, number_width + at % columns);
                }
                for char in cell.text.chars() {
                    if width > 0 && width % columns == 0 {
                        texts.push(String::new());
                    }
                    texts.last_mut().expect("one row at least").push(char);
                    width += 1;
                }
            }
            if line == cursor.line
                && cursor.col >= buf.line(line).len()
                && !(options.list && cursor.col == buf.line(line).len())
            {
                let at = width.min(height * columns - 1);
                screen_cursor = (rows.len() + at / columns, number_width + at % columns);
            }
            for (index, text) in texts.into_iter().enumerate() {
                let number = match (number_width, index) {
                    (0, _) => String::new(),
                    (width, 0) => format!("{:>1$} ", line + 1, width - 1),
                    (width, _) => " ".repeat(width),
                };
                if rows.len() < self.rows {
                    rows.push(Row { text: number + &text, reverse: false });
                }
            }
            line += 1;
        }
        while rows.len() < self.rows {
            rows.push(Row { text: "~".into(), reverse: false });
        }
        rows.push(Row { text: self.status_line(buf, top, cursor, options, status), reverse: true });
        let message: String = status.message.chars().take(self.columns - 1).collect();
        if status.cursor_on_message {
            screen_cursor = (self.rows + 1, message.chars().count());
        }
        rows.push(Row { text: message, reverse: false });
        Frame { rows, cursor: screen_cursor, width: self.columns }
    }

    /// The status line, as wide as the screen.
    fn status_line(self, buf: &Buffer, top: usize, cursor: Pos, options: Options, status: &Status) -> String {
        let mut left = format!(" {}", status.name.as_deref().unwrap_or("[No Name]"));
        if status.modified {
            left.push_str(" [+]");
        }
        if status.readonly {
            left.push_str(" [RO]");
        }
        let line = buf.line(cursor.line);
        let column = if line.is_empty() {
            "0-1".to_string()
        } else {
            let on_tab = status.mode.is_empty() && !options.list && line.get(cursor.col) == Some(&b'\t');
            let shown = if on_tab {
                column_of(line, next_char(line, cursor.col), options.list)
            } else {
                column_of(line, cursor.col, options.list) + 1
            };
            if shown == cursor.col + 1 { shown.to_string() } else { format!("{}-{shown}", cursor.col + 1) }
        };
        let bottom = self.bottom(buf, top, options);
        let place = match (top == 0, bottom + 1 >= buf.len()) {
            (true, true) => "All".to_string(),
            (true, false) => "Top".to_string(),
            (false, true) => "Bot".to_string(),
            (false, false) => format!("{}%", top * 100 / (buf.len() - (bottom - top + 1)).max(1)),
        };
        let right = format!("{}  {},{column}  {place} ", status.mode, cursor.line + 1);
        // A long name gives way to the position, losing its start as in vim.
        let room = self.columns.saturating_sub(right.chars().count() + 1);
        let length = left.chars().count();
        if length > room {
            let tail: String = left.chars().skip(length - room + 1).collect();
            left = if room > 0 { format!("<{tail}") } else { String::new() };
        }
        let space = self.columns.saturating_sub(left.chars().count() + right.chars().count()).max(1);
        let text = format!("{left}{}{right}", " ".repeat(space));
        text.chars().take(self.columns).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::buffer;

    fn texts(frame: &Frame) -> Vec<&str> {
        frame.rows.iter().map(|row| row.text.as_str()).collect()
    }

    #[test]
    fn cells_show_tabs_controls_and_bad_bytes() {
        let shown: Vec<String> = cells(b"a\tb\x01\xffc", false).into_iter().map(|cell| cell.text).collect();
        assert_eq!(shown, ["a", "       ", "b", "^A", "<ff>", "c"]);
        let listed: Vec<String> = cells(b"\tx", true).into_iter().map(|cell| cell.text).collect();
        assert_eq!(listed, ["^I", "x"]);
        assert_eq!(column_of(b"a\tb", 2, false), 8);
        assert_eq!(col_at(b"a\tb", 5, false), 1);
        assert_eq!(col_at(b"a\tb", 40, false), 2);
    }

    #[test]
    fn lines_status_and_message() {
        let buf = buffer("one\ntwo\n");
        let status = Status { name: Some("f".into()), modified: true, message: "hi".into(), ..Status::default() };
        let frame = View::of_terminal(6, 20).frame(&buf, 0, Pos::new(1, 2), Options::default(), &status);
        assert_eq!(texts(&frame), ["one", "two", "~", "~", " f [+]     2,3  All ", "hi"]);
        assert!(frame.rows[4].reverse);
        assert_eq!(frame.cursor, (1, 2));
    }

    #[test]
    fn long_lines_wrap_and_numbers_show() {
        let buf = buffer("abcdefghijklmnopqrstuvwxyz\nz\n");
        let view = View::of_terminal(6, 12);
        let frame = view.frame(&buf, 0, Pos::new(0, 13), Options::default(), &Status::default());
        assert_eq!(&texts(&frame)[..4], ["abcdefghijkl", "mnopqrstuvwx", "yz", "z"]);
        assert_eq!(frame.cursor, (1, 1));
        let numbered = view.frame(&buf, 0, Pos::new(0, 0), Options { number: true, list: false }, &Status::default());
        assert_eq!(&texts(&numbered)[..4], ["  1 abcdefgh", "    ijklmnop", "    qrstuvwx", "    yz"]);
        let (late, _) = Buffer::from_bytes(b"z\nabcdefghijklmnopqrstuvwxyz\n");
        let frame = view.frame(&late, 0, Pos::new(0, 0), Options { number: true, list: false }, &Status::default());
        assert_eq!(&texts(&frame)[..4], ["  1 z", "@", "@", "@"]);
        let frame = view.frame(&buf, 1, Pos::new(1, 0), Options::default(), &Status::default());
        assert_eq!(frame.rows[4].text, "   2,1  Bot ");
        let status = Status { name: Some("/a/long/name".into()), modified: true, ..Status::default() };
        let frame = View::of_terminal(6, 24).frame(&buf, 1, Pos::new(1, 0), Options::default(), &status);
        assert_eq!(frame.rows[4].text, "<ng/name [+]   2,1  Bot ");
    }

    #[test]
    fn scrolling_keeps_the_cursor_line_on_screen() {
        let buf = buffer(&"x\n".repeat(50));
        let view = View::of_terminal(12, 20);
        assert_eq!(view.scroll(&buf, 0, 5, Options::default()), 0);
        assert_eq!(view.scroll(&buf, 0, 30, Options::default()), 21);
        assert_eq!(view.scroll(&buf, 21, 3, Options::default()), 3);
        assert_eq!(view.bottom(&buf, 0, Options::default()), 9);
    }

    #[test]
    fn the_cursor_on_a_tab() {
        let buf = buffer("a\tb\n");
        let normal = View::of_terminal(4, 20).frame(&buf, 0, Pos::new(0, 1), Options::default(), &Status::default());
        assert_eq!(normal.cursor, (0, 7));
        assert!(normal.rows[2].text.ends_with("1,2-8  All "), "{:?}", normal.rows[2]);
        let status = Status { mode: "-- INSERT --", ..Status::default() };
        let insert = View::of_terminal(4, 20).frame(&buf, 0, Pos::new(0, 1), Options::default(), &status);
        assert_eq!(insert.cursor, (0, 1));
    }

    #[test]
    fn list_shows_line_ends() {
        let buf = buffer("a\tb\n");
        let frame = View::of_terminal(4, 20).frame(
            &buf,
            0,
            Pos::new(0, 2),
            Options { number: false, list: true },
            &Status::default(),
        );
        assert_eq!(frame.rows[0].text, "a^Ib$");
        assert_eq!(frame.cursor, (0, 3));
    }
}
