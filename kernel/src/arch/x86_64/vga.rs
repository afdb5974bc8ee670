//! The VGA text screen (80x25 at physical 0xb8000, BIOS boots only): a scrolling
//! writer with a hardware cursor.
use x86_64::instructions::port::Port;

use super::text::{self, CellScreen};

use crate::layout::phys_to_virt;

pub const WIDTH: usize = 80;
pub const HEIGHT: usize = 25;
const BUFFER_PHYS: u64 = 0xb8000;
const ATTRIBUTE: u16 = 0x07 << 8; // light grey on black

/// Cursor state of the text screen; the cells themselves live in video memory.
#[derive(Debug)]
pub struct TextScreen {
    column: usize,
    row: usize,
}

impl TextScreen {
    /// Clear the screen and home the cursor.
    pub fn new() -> Self {
        let mut screen = Self { column: 0, row: 0 };
        for row in 0..HEIGHT {
            screen.clear_row(row);
        }
        screen.move_cursor();
        screen
    }

    /// Draw `bytes` (see `text::write`); the text scrolls up at the bottom.
    pub fn write(&mut self, bytes: &[u8]) {
        text::write(self, bytes);
        self.move_cursor();
    }

    fn scroll_to_next_line(&mut self) {
        self.column = 0;
        if self.row + 1 < HEIGHT {
            self.row += 1;
            return;
        }
        for row in 1..HEIGHT {
            for col in 0..WIDTH {
                set_cell(row - 1, col, cell(row, col));
            }
        }
        self.clear_row(HEIGHT - 1);
    }

    fn clear_row(&mut self, row: usize) {
        for col in 0..WIDTH {
            set_cell(row, col, ATTRIBUTE | u16::from(b' '));
        }
    }

    fn move_cursor(&self) {
        let pos = (self.row * WIDTH + self.column.min(WIDTH - 1)) as u16;
        let mut index = Port::<u8>::new(0x3d4);
        let mut data = Port::<u8>::new(0x3d5);
        // SAFETY: the CRT controller's cursor-location registers 0x0e/0x0f.
        unsafe {
            index.write(0x0f);
            data.write(pos as u8);
            index.write(0x0e);
            data.write((pos >> 8) as u8);
        }
    }
}

impl CellScreen for TextScreen {
    fn column(&mut self) -> &mut usize {
        &mut self.column
    }

    fn put(&mut self, byte: Option<u8>) {
        if self.column == WIDTH {
            self.scroll_to_next_line();
        }
        // 0xfe is a small box in the VGA font: the mark for bytes outside ASCII.
        set_cell(self.row, self.column, ATTRIBUTE | u16::from(byte.unwrap_or(0xfe)));
        self.column += 1;
    }

    fn new_line(&mut self) {
        self.scroll_to_next_line();
    }
}

fn cell_ptr(row: usize, col: usize) -> *mut u16 {
    debug_assert!(row < HEIGHT && col < WIDTH);
    (phys_to_virt(BUFFER_PHYS) as *mut u16).wrapping_add(row * WIDTH + col)
}

fn set_cell(row: usize, col: usize, value: u16) {
    // SAFETY: the cell lies in the VGA text buffer, mapped by the direct map.
    unsafe { cell_ptr(row, col).write_volatile(value) }
}

fn cell(row: usize, col: usize) -> u16 {
    // SAFETY: as in set_cell.
    unsafe { cell_ptr(row, col).read_volatile() }
}
