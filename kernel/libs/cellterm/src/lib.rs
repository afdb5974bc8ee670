//! What the screen consoles (VGA text and framebuffer) do with bytes: the terminal
//! of Linux's console (TERM=linux, its terminfo entry) for the sequences line
//! editors, `clear`, `ls --color`, `more`, less, nano and vim send. The `vte` crate
//! splits the bytes into characters, control bytes and escape sequences (keeping
//! its state between writes, so a sequence may be split across them);
//! [`Terminal`] acts on those through [`CellScreen`]:
//!
//! - '\n', VT and FF (to the start of the next line: the kernel's own lines have
//!   no '\r'), '\r', backspace (0x08, moves left without erasing), tab (to the
//!   next multiple of 8, at most the last column); other control bytes are
//!   ignored;
//! - printable ASCII, and a replacement mark for any other character (one per
//!   UTF-8 character or invalid sequence); after the last column a character
//!   wraps to the next line (pending until the next character, as Linux's);
//! - moving the cursor: CSI n A/B/C/D, CSI n E/F (down or up to the first column),
//!   CSI row;column H or f, CSI column G or \`, CSI row d (1-based), CSI n a/e
//!   (right, down);
//! - erasing: CSI n J (in display: 0 to the end, 1 from the start, 2 and 3 all),
//!   CSI n K (in line, likewise), CSI n X (n cells from the cursor); erased cells
//!   take the current background;
//! - lines and cells: a scrolling region (CSI top;bottom r, homing the cursor),
//!   line feed and ESC D, ESC E, reverse line feed ESC M (scrolling the region at
//!   its edge), CSI n L / M (insert or delete lines at the cursor's row, within the
//!   region), CSI n S / T (scroll the region up or down), CSI n @ / P (insert blanks
//!   or delete cells at the cursor, the rest of the line moving), insert mode
//!   (CSI 4 h / CSI 4 l: characters push the rest of the line right);
//! - SGR (CSI ... m): 0 reset, 1/22 bold (the bright foreground) on/off, 7/27
//!   reverse on/off, 30-37/39 and 90-97 foreground, 40-47/49 and 100-107
//!   background;
//! - ESC 7 / ESC 8 and CSI s / CSI u: save and restore the cursor and the colours;
//!   ESC c resets the terminal and clears the screen.
//!
//! Every other well-formed sequence (private modes such as CSI ? 25 l, OSC strings
//! ending in BEL or ESC \, character-set selection, ...) is swallowed.
#![cfg_attr(not(test), no_std)]

use core::fmt;
use core::ops::Range;

use vte::{Params, Parser, Perform};

#[cfg(test)]
mod tests;

/// The colours text starts in, as (foreground, background): light grey on black.
pub const DEFAULT_COLOURS: (u8, u8) = (7, 0);

/// A grid of character cells with a cursor and current colours. Colours are ANSI
/// indices: 0-7 black, red, green, yellow, blue, magenta, cyan, white; 8-15 their
/// bright forms.
pub trait CellScreen {
    /// The grid's width and height, in cells.
    fn size(&self) -> (usize, usize);
    /// The cursor's column, to move it: the width while a wrap is pending (after a
    /// character in the last column).
    fn column(&mut self) -> &mut usize;
    /// The cursor's row, to move it.
    fn row(&mut self) -> &mut usize;
    /// Draw one cell at the cursor (never past the last column) in the current
    /// colours and advance the cursor by one: a printable ASCII byte, or None for
    /// the replacement mark.
    fn put(&mut self, byte: Option<u8>);
    /// Blank `columns` of `row` in the current background.
    fn erase(&mut self, row: usize, columns: Range<usize>);
    /// Draw in these colours from now on.
    fn set_colours(&mut self, foreground: u8, background: u8);
    /// Make row `to` a copy of row `from`.
    fn copy_row(&mut self, from: usize, to: usize);
    /// Copy the cells `columns` of `row` to the cells from column `to` on (the two
    /// may overlap).
    fn copy_cells(&mut self, row: usize, columns: Range<usize>, to: usize);
    /// Row `row` is about to leave the top of the screen as the whole screen
    /// scrolls up (a line feed at the bottom, CSI S without a region): a console
    /// with a scrollback history keeps it there.
    fn scrolled_out(&mut self, _row: usize) {}
}

/// The escape-sequence state of one screen: the parser, the SGR attributes, the
/// saved cursor, the scrolling region and insert mode.
pub struct Terminal {
    /// With no room for OSC strings: they are swallowed, so their text is not kept.
    parser: Parser<0>,
    modes: Modes,
}

impl Terminal {
    pub fn new() -> Self {
        Self { parser: Parser::new_with_size(), modes: Modes::DEFAULT }
    }

    /// Interpret `bytes` on `screen`.
    pub fn write(&mut self, screen: &mut impl CellScreen, bytes: &[u8]) {
        let mut performer = Performer { screen, modes: &mut self.modes };
        self.parser.advance(&mut performer, bytes);
    }
}

impl Default for Terminal {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Terminal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Terminal").field("modes", &self.modes).finish_non_exhaustive()
    }
}

/// What the sequences set, beyond the screen's cells and cursor.
#[derive(Clone, Copy, Debug)]
struct Modes {
    pen: Pen,
    saved: Saved,
    /// The scrolling region's first and last rows; None is the whole screen.
    region: Option<(usize, usize)>,
    insert: bool,
}

impl Modes {
    const DEFAULT: Self =
        Self { pen: Pen::DEFAULT, saved: Saved { column: 0, row: 0, pen: Pen::DEFAULT }, region: None, insert: false };
}

/// The SGR attributes.
#[derive(Clone, Copy, Debug)]
struct Pen {
    foreground: u8,
    background: u8,
    bold: bool,
    reverse: bool,
}

impl Pen {
    const DEFAULT: Self =
        Self { foreground: DEFAULT_COLOURS.0, background: DEFAULT_COLOURS.1, bold: false, reverse: false };

    /// The (foreground, background) to draw in.
    fn colours(self) -> (u8, u8) {
        let foreground = if self.bold { self.foreground | 8 } else { self.foreground };
        if self.reverse { (self.background, foreground) } else { (foreground, self.background) }
    }

    /// Apply an SGR sequence's parameters.
    fn select(&mut self, params: &Params) {
        let mut params = params.iter();
        while let Some(param) = params.next() {
            match param[0] {
                0 => *self = Self::DEFAULT,
                1 => self.bold = true,
                22 => self.bold = false,
                7 => self.reverse = true,
                27 => self.reverse = false,
                code @ 30..=37 => self.foreground = (code - 30) as u8,
                39 => self.foreground = Self::DEFAULT.foreground,
                code @ 40..=47 => self.background = (code - 40) as u8,
                49 => self.background = Self::DEFAULT.background,
                code @ 90..=97 => self.foreground = (code - 90 + 8) as u8,
                code @ 100..=107 => self.background = (code - 100 + 8) as u8,
                // 256-colour and RGB colours are not supported; skip the arguments of
                // their semicolon forms (38;5;n, 38;2;r;g;b) so they are not read as
                // attributes. The colon forms keep theirs in `param`.
                38 | 48 if param.len() == 1 => {
                    let arguments = match params.next().map(|kind| kind[0]) {
                        Some(5) => 1,
                        Some(2) => 3,
                        _ => 0,
                    };
                    params.by_ref().take(arguments).for_each(drop);
                }
                _ => {}
            }
        }
    }
}

/// What ESC 7 and CSI s save.
#[derive(Clone, Copy, Debug)]
struct Saved {
    column: usize,
    row: usize,
    pen: Pen,
}

/// The parser's actions applied to one screen.
struct Performer<'a, S> {
    screen: &'a mut S,
    modes: &'a mut Modes,
}

impl<S: CellScreen> Performer<'_, S> {
    /// Move the cursor, clamped to the grid.
    fn move_to(&mut self, row: usize, column: usize) {
        let (width, height) = self.screen.size();
        *self.screen.row() = row.min(height - 1);
        *self.screen.column() = column.min(width - 1);
    }

    fn set_pen(&mut self, pen: Pen) {
        self.modes.pen = pen;
        let (foreground, background) = pen.colours();
        self.screen.set_colours(foreground, background);
    }

    fn save(&mut self) {
        self.modes.saved = Saved { column: *self.screen.column(), row: *self.screen.row(), pen: self.modes.pen };
    }

    fn restore(&mut self) {
        let saved = self.modes.saved;
        *self.screen.column() = saved.column;
        *self.screen.row() = saved.row;
        self.set_pen(saved.pen);
    }

    /// The scrolling region's first and last rows.
    fn region(&mut self) -> (usize, usize) {
        let (_, height) = self.screen.size();
        match self.modes.region {
            Some((top, bottom)) if bottom < height => (top, bottom),
            _ => (0, height - 1),
        }
    }

    /// Move rows `top..=bottom` up by `n`, blank rows coming in at the bottom.
    fn scroll_up(&mut self, top: usize, bottom: usize, n: usize) {
        let n = n.min(bottom + 1 - top);
        let (_, height) = self.screen.size();
        if top == 0 && bottom + 1 == height {
            (0..n).for_each(|row| self.screen.scrolled_out(row));
        }
        for row in top..bottom + 1 - n {
            self.screen.copy_row(row + n, row);
        }
        self.erase_rows(bottom + 1 - n..bottom + 1);
    }

    /// Move rows `top..=bottom` down by `n`, blank rows coming in at the top.
    fn scroll_down(&mut self, top: usize, bottom: usize, n: usize) {
        let n = n.min(bottom + 1 - top);
        for row in (top + n..=bottom).rev() {
            self.screen.copy_row(row - n, row);
        }
        self.erase_rows(top..top + n);
    }

    fn erase_rows(&mut self, rows: Range<usize>) {
        let (width, _) = self.screen.size();
        for row in rows {
            self.screen.erase(row, 0..width);
        }
    }

    /// Down one row, scrolling the region up at its last row (the column stays,
    /// but a pending wrap is over).
    fn line_feed(&mut self) {
        let (width, height) = self.screen.size();
        let (top, bottom) = self.region();
        let row = *self.screen.row();
        if row == bottom {
            self.scroll_up(top, bottom, 1);
        } else if row + 1 < height {
            *self.screen.row() = row + 1;
        }
        let column = self.screen.column();
        *column = (*column).min(width - 1);
    }

    /// Up one row, scrolling the region down at its first row.
    fn reverse_line_feed(&mut self) {
        let (top, bottom) = self.region();
        let row = *self.screen.row();
        if row == top {
            self.scroll_down(top, bottom, 1);
        } else {
            *self.screen.row() = row.saturating_sub(1);
        }
    }

    fn new_line(&mut self) {
        *self.screen.column() = 0;
        self.line_feed();
    }

    /// ESC c: the modes reset, the screen cleared, the cursor home.
    fn reset(&mut self) {
        *self.modes = Modes::DEFAULT;
        self.set_pen(Pen::DEFAULT);
        let (_, height) = self.screen.size();
        self.erase_rows(0..height);
        self.move_to(0, 0);
    }
}

impl<S: CellScreen> Perform for Performer<'_, S> {
    fn print(&mut self, c: char) {
        if c == '\x7f' {
            return;
        }
        let (width, _) = self.screen.size();
        if *self.screen.column() >= width {
            self.new_line();
        }
        let column = *self.screen.column();
        if self.modes.insert {
            let row = *self.screen.row();
            self.screen.copy_cells(row, column..width - 1, column + 1);
        }
        self.screen.put(if matches!(c, ' '..='~') { Some(c as u8) } else { None });
    }

    fn execute(&mut self, byte: u8) {
        let (width, _) = self.screen.size();
        let column = self.screen.column();
        match byte {
            b'\n' | 0x0b | 0x0c => self.new_line(),
            b'\r' => *column = 0,
            0x08 => *column = (*column).min(width - 1).saturating_sub(1),
            b'\t' => *column = ((*column / 8 + 1) * 8).min(width - 1),
            _ => {}
        }
    }

    fn csi_dispatch(&mut self, params: &Params, intermediates: &[u8], ignore: bool, action: char) {
        // Private sequences (CSI ? 25 l, ...) carry their marker as an intermediate.
        if ignore || !intermediates.is_empty() {
            return;
        }
        // Parameters default to 0; counts and positions treat 0 as 1.
        let arg = |index| params.iter().nth(index).map_or(0, |param| usize::from(param[0]));
        let count = |index| arg(index).max(1);
        let (width, height) = self.screen.size();
        let (column, row) = (*self.screen.column(), *self.screen.row());
        // The cell under the cursor, which is the last one while a wrap is pending.
        let at = column.min(width - 1);
        let (top, bottom) = self.region();
        match action {
            'A' => self.move_to(row.saturating_sub(count(0)), column),
            'B' | 'e' => self.move_to(row + count(0), column),
            'C' | 'a' => self.move_to(row, column + count(0)),
            'D' => self.move_to(row, at.saturating_sub(count(0))),
            'E' => self.move_to(row + count(0), 0),
            'F' => self.move_to(row.saturating_sub(count(0)), 0),
            'G' | '`' => self.move_to(row, count(0) - 1),
            'H' | 'f' => self.move_to(count(0) - 1, count(1) - 1),
            'd' => self.move_to(count(0) - 1, column),
            'J' => {
                let rows = match arg(0) {
                    0 => {
                        self.screen.erase(row, at..width);
                        row + 1..height
                    }
                    1 => {
                        self.screen.erase(row, 0..at + 1);
                        0..row
                    }
                    2 | 3 => 0..height,
                    _ => return,
                };
                self.erase_rows(rows);
            }
            'K' => {
                let line = match arg(0) {
                    0 => at..width,
                    1 => 0..at + 1,
                    2 => 0..width,
                    _ => return,
                };
                self.screen.erase(row, line);
            }
            'X' => self.screen.erase(row, at..(at + count(0)).min(width)),
            '@' => {
                let n = count(0).min(width - at);
                self.screen.copy_cells(row, at..width - n, at + n);
                self.screen.erase(row, at..at + n);
            }
            'P' => {
                let n = count(0).min(width - at);
                self.screen.copy_cells(row, at + n..width, at);
                self.screen.erase(row, width - n..width);
            }
            'L' if (top..=bottom).contains(&row) => self.scroll_down(row, bottom, count(0)),
            'M' if (top..=bottom).contains(&row) => self.scroll_up(row, bottom, count(0)),
            'S' => self.scroll_up(top, bottom, count(0)),
            'T' => self.scroll_down(top, bottom, count(0)),
            'r' => {
                let (first, last) = (count(0), if arg(1) == 0 { height } else { arg(1) });
                if first < last && last <= height {
                    self.modes.region = (first > 1 || last < height).then_some((first - 1, last - 1));
                    self.move_to(0, 0);
                }
            }
            'h' | 'l' if arg(0) == 4 => self.modes.insert = action == 'h',
            'm' => {
                let mut pen = self.modes.pen;
                pen.select(params);
                self.set_pen(pen);
            }
            's' => self.save(),
            'u' => self.restore(),
            _ => {}
        }
    }

    fn esc_dispatch(&mut self, intermediates: &[u8], ignore: bool, byte: u8) {
        match (intermediates, ignore, byte) {
            ([], false, b'7') => self.save(),
            ([], false, b'8') => self.restore(),
            ([], false, b'D') => self.line_feed(),
            ([], false, b'E') => self.new_line(),
            ([], false, b'M') => self.reverse_line_feed(),
            ([], false, b'c') => self.reset(),
            _ => {}
        }
    }
}
