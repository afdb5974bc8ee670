//! One console's cells in memory, with the history of lines that scrolled off
//! its top (a ring of at most `limit` lines, the oldest dropped first).
use alloc::collections::VecDeque;
use alloc::vec;
use alloc::vec::Vec;
use core::ops::Range;

use cellterm::{CellScreen, DEFAULT_COLOURS};

/// A character cell: a printable ASCII byte (0 for the replacement mark) and its
/// colours, the foreground in the low four bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
    byte: u8,
    colours: u8,
}

impl Cell {
    fn new(byte: Option<u8>, (foreground, background): (u8, u8)) -> Self {
        Self { byte: byte.unwrap_or(0), colours: (foreground & 15) | (background & 15) << 4 }
    }

    /// What `CellScreen::put` draws for it.
    pub fn byte(self) -> Option<u8> {
        (self.byte != 0).then_some(self.byte)
    }

    /// (foreground, background).
    pub fn colours(self) -> (u8, u8) {
        (self.colours & 15, self.colours >> 4)
    }

    /// The character it shows, '?' for the replacement mark.
    pub fn char(self) -> char {
        self.byte().map_or('?', char::from)
    }
}

/// The cells of a `width` by `height` console, its cursor and colours, and its
/// scrollback history.
#[derive(Debug)]
pub struct Screen {
    width: usize,
    height: usize,
    cells: Vec<Cell>,
    column: usize,
    row: usize,
    colours: (u8, u8),
    history: VecDeque<Vec<Cell>>,
    limit: usize,
}

impl Screen {
    /// A blank screen keeping up to `limit` lines of history.
    pub fn new(width: usize, height: usize, limit: usize) -> Self {
        let (width, height) = (width.max(1), height.max(1));
        Self {
            width,
            height,
            cells: vec![Cell::new(Some(b' '), DEFAULT_COLOURS); width * height],
            column: 0,
            row: 0,
            colours: DEFAULT_COLOURS,
            history: VecDeque::new(),
            limit,
        }
    }

    /// The cells of row `row` of the screen.
    pub fn row_cells(&self, row: usize) -> &[Cell] {
        &self.cells[row * self.width..(row + 1) * self.width]
    }

    /// Keeps no more lines in the history (the ones kept stay): scrolling then never
    /// allocates, for a kernel reporting a failure that may hold the heap's lock.
    pub fn stop_history(&mut self) {
        self.limit = 0;
    }

    /// Lines in the history.
    pub fn history_len(&self) -> usize {
        self.history.len()
    }

    /// Row `row` of the view scrolled back by `back` lines (at most the
    /// history's length): a history line or a screen row.
    pub fn view_row(&self, back: usize, row: usize) -> &[Cell] {
        let line = self.history.len() - back.min(self.history.len()) + row;
        match self.history.get(line) {
            Some(cells) => cells,
            None => self.row_cells(line - self.history.len()),
        }
    }

    /// The cursor (row, column; the column is the width while a wrap is pending).
    pub fn cursor(&self) -> (usize, usize) {
        (self.row, self.column)
    }

    /// The colours it draws in.
    pub fn current_colours(&self) -> (u8, u8) {
        self.colours
    }

    fn blank(&self) -> Cell {
        Cell::new(Some(b' '), (DEFAULT_COLOURS.0, self.colours.1))
    }
}

impl CellScreen for Screen {
    fn size(&self) -> (usize, usize) {
        (self.width, self.height)
    }

    fn column(&mut self) -> &mut usize {
        &mut self.column
    }

    fn row(&mut self) -> &mut usize {
        &mut self.row
    }

    fn put(&mut self, byte: Option<u8>) {
        let column = self.column.min(self.width - 1);
        self.cells[self.row * self.width + column] = Cell::new(byte, self.colours);
        self.column += 1;
    }

    fn erase(&mut self, row: usize, columns: Range<usize>) {
        let blank = self.blank();
        let start = row * self.width;
        self.cells[start + columns.start..start + columns.end].fill(blank);
    }

    fn set_colours(&mut self, foreground: u8, background: u8) {
        self.colours = (foreground, background);
    }

    fn copy_row(&mut self, from: usize, to: usize) {
        self.cells.copy_within(from * self.width..(from + 1) * self.width, to * self.width);
    }

    fn copy_cells(&mut self, row: usize, columns: Range<usize>, to: usize) {
        let start = row * self.width;
        self.cells.copy_within(start + columns.start..start + columns.end, start + to);
    }

    fn scrolled_out(&mut self, row: usize) {
        if self.limit == 0 {
            return;
        }
        // The oldest line's storage is reused once the history is full; until then
        // each line is a new allocation, made only if memory allows: a kernel out of
        // memory still prints its panic (the line is then left out of the history).
        let line = match self.history.len() >= self.limit {
            true => self.history.pop_front(),
            false => {
                let mut line = Vec::new();
                let room = line.try_reserve_exact(self.width).is_ok() && self.history.try_reserve(1).is_ok();
                room.then_some(line)
            }
        };
        let Some(mut line) = line else { return };
        line.clear();
        line.extend_from_slice(self.row_cells(row));
        self.history.push_back(line);
    }
}
