//! The VGA text screen (80x25 at physical 0xb8000, BIOS boots only): the display
//! the virtual consoles draw on, cell by cell in the 16 colours of the attribute
//! byte, with the hardware cursor.
use core::ops::Range;

use x86_64::instructions::port::Port;

use cellterm::CellScreen;
use vtscreen::Display;

use crate::layout::phys_to_virt;

pub const WIDTH: usize = 80;
pub const HEIGHT: usize = 25;
const BUFFER_PHYS: u64 = 0xb8000;
/// The VGA palette index of each ANSI colour 0-7 (VGA orders the bits blue, green,
/// red; ANSI red, green, blue); the bright forms add 8 in both.
const VGA_COLOURS: [u8; 8] = [0, 4, 2, 6, 1, 5, 3, 7];

/// The text screen: its cursor and colours; the cells themselves live in video
/// memory.
#[derive(Debug)]
pub struct TextScreen {
    column: usize,
    row: usize,
    /// The current colours, in the attribute byte's place.
    attribute: u16,
}

impl TextScreen {
    /// Clear the screen and home the cursor.
    pub fn new() -> Self {
        let (foreground, background) = cellterm::DEFAULT_COLOURS;
        let mut screen = Self { column: 0, row: 0, attribute: attribute(foreground, background) };
        for row in 0..HEIGHT {
            screen.erase(row, 0..WIDTH);
        }
        screen.show_cursor(true);
        screen
    }
}

impl Display for TextScreen {
    /// Hidden, the hardware cursor sits past the last cell.
    fn show_cursor(&mut self, shown: bool) {
        let cell = if shown { self.row * WIDTH + self.column.min(WIDTH - 1) } else { WIDTH * HEIGHT };
        let pos = cell as u16;
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
    fn size(&self) -> (usize, usize) {
        (WIDTH, HEIGHT)
    }

    fn column(&mut self) -> &mut usize {
        &mut self.column
    }

    fn row(&mut self) -> &mut usize {
        &mut self.row
    }

    fn put(&mut self, byte: Option<u8>) {
        // 0xfe is a small box in the VGA font: the mark for bytes outside ASCII.
        set_cell(self.row, self.column, self.attribute | u16::from(byte.unwrap_or(0xfe)));
        self.column += 1;
    }

    fn erase(&mut self, row: usize, columns: Range<usize>) {
        for col in columns {
            set_cell(row, col, self.attribute | u16::from(b' '));
        }
    }

    fn set_colours(&mut self, foreground: u8, background: u8) {
        self.attribute = attribute(foreground, background);
    }

    fn copy_row(&mut self, from: usize, to: usize) {
        for col in 0..WIDTH {
            set_cell(to, col, cell(from, col));
        }
    }

    fn copy_cells(&mut self, row: usize, columns: Range<usize>, to: usize) {
        // Cell by cell in the direction that reads each source before it is written.
        let copy = |i: usize| set_cell(row, to + i, cell(row, columns.start + i));
        if to <= columns.start {
            (0..columns.len()).for_each(copy);
        } else {
            (0..columns.len()).rev().for_each(copy);
        }
    }
}

/// The attribute byte for ANSI colours, shifted to its place in a cell. Its top bit
/// makes the cell blink (the VGA default) rather than brighten the background, so
/// bright backgrounds show in their normal forms.
fn attribute(foreground: u8, background: u8) -> u16 {
    let vga = |colour: u8| VGA_COLOURS[usize::from(colour & 7)] | (colour & 8);
    u16::from(vga(background) & 7) << 12 | u16::from(vga(foreground)) << 8
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
