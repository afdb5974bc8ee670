//! What the screen consoles (VGA text and framebuffer) do with bytes: a small terminal
//! for the ANSI/VT100 sequences that line editors, `clear`, `ls --color` and `more`
//! send. The `vte` crate splits the bytes into characters, control bytes and escape
//! sequences (keeping its state between writes, so a sequence may be split across
//! them); [`Terminal`] acts on those through [`CellScreen`]:
//!
//! - '\n' (to the start of the next line), '\r', backspace (0x08, moves left without
//!   erasing), tab (to the next multiple of 8, at most the last column); other control
//!   bytes are ignored;
//! - printable ASCII, and a replacement mark for any other character (one per UTF-8
//!   character or invalid sequence);
//! - CSI n A/B/C/D (cursor up/down/right/left), CSI row;column H or f and CSI column G
//!   (1-based), CSI n J (erase in display: 0 to the end, 1 from the start, 2 and 3 all)
//!   and CSI n K (erase in line, likewise); erased cells take the current background;
//! - SGR (CSI ... m): 0 reset, 1/22 bold (the bright foreground) on/off, 7/27 reverse
//!   on/off, 30-37/39 and 90-97 foreground, 40-47/49 and 100-107 background;
//! - ESC 7 / ESC 8 and CSI s / CSI u: save and restore the cursor and the colours.
//!
//! Every other well-formed sequence (private modes such as CSI ? 25 l, OSC strings
//! ending in BEL or ESC \, ...) is swallowed.
use core::fmt;
use core::ops::Range;

use vte::{Params, Parser, Perform};

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
    /// Draw one cell at the cursor in the current colours and advance it, wrapping
    /// first if a wrap is pending: a printable ASCII byte, or None for the replacement
    /// mark.
    fn put(&mut self, byte: Option<u8>);
    /// Move to the start of the next line, scrolling at the bottom (the new line is
    /// blank in the current background).
    fn new_line(&mut self);
    /// Blank `columns` of `row` in the current background.
    fn erase(&mut self, row: usize, columns: Range<usize>);
    /// Draw in these colours from now on.
    fn set_colours(&mut self, foreground: u8, background: u8);
}

/// The escape-sequence state of one screen: the parser, the SGR attributes and the
/// saved cursor.
pub struct Terminal {
    /// With no room for OSC strings: they are swallowed, so their text is not kept.
    parser: Parser<0>,
    pen: Pen,
    saved: Saved,
}

impl Terminal {
    pub fn new() -> Self {
        Self {
            parser: Parser::new_with_size(),
            pen: Pen::DEFAULT,
            saved: Saved { column: 0, row: 0, pen: Pen::DEFAULT },
        }
    }

    /// Interpret `bytes` on `screen`.
    pub fn write(&mut self, screen: &mut impl CellScreen, bytes: &[u8]) {
        let mut performer = Performer { screen, pen: &mut self.pen, saved: &mut self.saved };
        self.parser.advance(&mut performer, bytes);
    }
}

impl fmt::Debug for Terminal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Terminal").field("pen", &self.pen).field("saved", &self.saved).finish_non_exhaustive()
    }
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
    pen: &'a mut Pen,
    saved: &'a mut Saved,
}

impl<S: CellScreen> Performer<'_, S> {
    /// Move the cursor, clamped to the grid.
    fn move_to(&mut self, row: usize, column: usize) {
        let (width, height) = self.screen.size();
        *self.screen.row() = row.min(height - 1);
        *self.screen.column() = column.min(width - 1);
    }

    fn set_pen(&mut self, pen: Pen) {
        *self.pen = pen;
        let (foreground, background) = pen.colours();
        self.screen.set_colours(foreground, background);
    }

    fn save(&mut self) {
        *self.saved = Saved { column: *self.screen.column(), row: *self.screen.row(), pen: *self.pen };
    }

    fn restore(&mut self) {
        let saved = *self.saved;
        *self.screen.column() = saved.column;
        *self.screen.row() = saved.row;
        self.set_pen(saved.pen);
    }
}

impl<S: CellScreen> Perform for Performer<'_, S> {
    fn print(&mut self, c: char) {
        match c {
            ' '..='~' => self.screen.put(Some(c as u8)),
            '\x7f' => {}
            _ => self.screen.put(None),
        }
    }

    fn execute(&mut self, byte: u8) {
        let (width, _) = self.screen.size();
        let column = self.screen.column();
        match byte {
            b'\n' => self.screen.new_line(),
            b'\r' => *column = 0,
            0x08 => *column = column.saturating_sub(1),
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
        match action {
            'A' => self.move_to(row.saturating_sub(count(0)), column),
            'B' => self.move_to(row + count(0), column),
            'C' => self.move_to(row, column + count(0)),
            'D' => self.move_to(row, at.saturating_sub(count(0))),
            'G' => self.move_to(row, count(0) - 1),
            'H' | 'f' => self.move_to(count(0) - 1, count(1) - 1),
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
                for row in rows {
                    self.screen.erase(row, 0..width);
                }
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
            'm' => {
                let mut pen = *self.pen;
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
            _ => {}
        }
    }
}
