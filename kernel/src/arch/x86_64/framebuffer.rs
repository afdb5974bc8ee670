//! A text display on a linear RGB framebuffer (UEFI boots, where there is no VGA text
//! mode), the one the virtual consoles draw on: Noto Sans Mono glyphs in the 16 VGA
//! colours, rows copied to scroll, an inverted-block cursor.
//!
//! The pixel layout (bytes per pixel, pitch, the red/green/blue bit fields) comes from
//! GRUB's Multiboot2 framebuffer tag. For the current colours the screen keeps the pixel
//! value of each of the font's 256 coverage levels, so drawing a glyph is a table lookup
//! and a byte copy per pixel; the tables of the last few colour pairs are kept, so
//! switching back and forth (as `ls --color` does) does not recompute them. The
//! framebuffer is reached through the direct map.
use core::ops::Range;

use multiboot2::{FramebufferField, FramebufferTag, FramebufferType};
use noto_sans_mono_bitmap::{FontWeight, RasterHeight, RasterizedChar, get_raster, get_raster_width};

use cellterm::CellScreen;
use vtscreen::Display;

use crate::layout::phys_to_virt;

const WEIGHT: FontWeight = FontWeight::Regular;
const SIZE: RasterHeight = RasterHeight::Size16;
/// A character cell, in pixels.
const CELL_WIDTH: usize = get_raster_width(WEIGHT, SIZE);
const CELL_HEIGHT: usize = SIZE.val();
/// The glyph shown for bytes outside printable ASCII (U+FFFD, a marked box).
const REPLACEMENT: RasterizedChar = match get_raster('\u{fffd}', WEIGHT, SIZE) {
    Some(glyph) => glyph,
    None => panic!("the font lacks U+FFFD: enable noto-sans-mono-bitmap's unicode-specials"),
};
/// A blank cell: the space's glyph has no coverage.
const BLANK: RasterizedChar = match get_raster(' ', WEIGHT, SIZE) {
    Some(glyph) => glyph,
    None => panic!("the font lacks the space"),
};
/// The 16 colours in ANSI order (see `cellterm::CellScreen`) as 8-bit red, green, blue:
/// the VGA palette's, as on BIOS boots. Black is all-zero bits in every RGB layout, so
/// clearing to it is a zero fill.
const PALETTE: [[u8; 3]; 16] = [
    [0x00, 0x00, 0x00],
    [0xaa, 0x00, 0x00],
    [0x00, 0xaa, 0x00],
    [0xaa, 0x55, 0x00],
    [0x00, 0x00, 0xaa],
    [0xaa, 0x00, 0xaa],
    [0x00, 0xaa, 0xaa],
    [0xaa, 0xaa, 0xaa],
    [0x55, 0x55, 0x55],
    [0xff, 0x55, 0x55],
    [0x55, 0xff, 0x55],
    [0xff, 0xff, 0x55],
    [0x55, 0x55, 0xff],
    [0xff, 0x55, 0xff],
    [0x55, 0xff, 0xff],
    [0xff, 0xff, 0xff],
];
const WHITE: [u8; 3] = PALETTE[15];
/// How many colour pairs keep their shade tables.
const SHADE_TABLES: usize = 8;
const MAX_BYTES_PER_PIXEL: usize = 4;
/// The direct map covers at least physical 0..4 GiB once the kernel's own page table
/// is active (main.rs); firmware framebuffers live there.
const DIRECT_MAP_MIN_END: u64 = 1 << 32;

/// The text grid on the framebuffer, its cursor and colours; the pixels live in video
/// memory. A shown cursor is its cell inverted.
#[derive(Debug)]
pub struct FramebufferScreen {
    /// Virtual address of the first pixel (through the direct map).
    base: usize,
    pitch: usize,
    bytes_per_pixel: usize,
    /// The red, green and blue bit fields of a pixel.
    fields: [FramebufferField; 3],
    columns: usize,
    rows: usize,
    column: usize,
    row: usize,
    /// Shade tables of recently used colour pairs: the current one, and the one to
    /// replace next.
    shades: [Shades; SHADE_TABLES],
    current: usize,
    next: usize,
    /// XOR-ing a pixel with this (all colour bits set) inverts it: the cursor.
    invert: [u8; MAX_BYTES_PER_PIXEL],
    cursor_shown: bool,
}

/// The pixels of one colour pair.
#[derive(Clone, Copy, Debug)]
struct Shades {
    /// (foreground, background), as ANSI indices.
    colours: (u8, u8),
    /// The pixel, as little-endian bytes in the buffer's layout, for each glyph
    /// coverage 0..=255: the foreground blended onto the background.
    pixels: [[u8; MAX_BYTES_PER_PIXEL]; 256],
}

impl FramebufferScreen {
    /// Clear the framebuffer `tag` describes and home the cursor. `None` unless it is
    /// direct RGB with 2 to 4 bytes a pixel, holds at least one character cell, and lies
    /// below 4 GiB. Call it once the kernel's page table is active: the boot page tables
    /// map only the first GiB, and firmware framebuffers usually lie above it (OVMF puts
    /// QEMU's at 2 GiB).
    pub fn new(tag: &FramebufferTag) -> Option<Self> {
        let Ok(FramebufferType::RGB { red, green, blue }) = tag.buffer_type() else {
            return None;
        };
        let bits = u32::from(tag.bpp());
        let bytes_per_pixel = usize::from(tag.bpp().div_ceil(8));
        let (width, height, pitch) = (tag.width() as usize, tag.height() as usize, tag.pitch() as usize);
        let field_fits = |f: &FramebufferField| u32::from(f.position) + u32::from(f.size) <= bits;
        let end = tag.address().checked_add(u64::from(tag.pitch()) * u64::from(tag.height()));
        if !(2..=MAX_BYTES_PER_PIXEL).contains(&bytes_per_pixel)
            || ![red, green, blue].iter().all(field_fits)
            || width < CELL_WIDTH
            || height < CELL_HEIGHT
            || pitch < width * bytes_per_pixel
            || end.is_none_or(|end| end > DIRECT_MAP_MIN_END)
        {
            return None;
        }
        let fields = [red, green, blue];
        let shades = Shades::new(cellterm::DEFAULT_COLOURS, fields);
        let mut screen = Self {
            base: phys_to_virt(tag.address()) as usize,
            pitch,
            bytes_per_pixel,
            fields,
            columns: width / CELL_WIDTH,
            rows: height / CELL_HEIGHT,
            column: 0,
            row: 0,
            shades: [shades; SHADE_TABLES],
            current: 0,
            next: 1,
            invert: pixel(WHITE, fields),
            cursor_shown: false,
        };
        // SAFETY: the framebuffer is pitch * height bytes at `base` (checked to lie
        // below 4 GiB, inside the direct map), video memory no Rust object overlaps.
        unsafe { screen.ptr(0).write_bytes(0, pitch * height) }
        screen.show_cursor(true);
        Some(screen)
    }

    /// Draw `glyph` in the current colours at a cell.
    fn draw(&mut self, row: usize, column: usize, glyph: RasterizedChar) {
        let bpp = self.bytes_per_pixel;
        let shades = &self.shades[self.current].pixels;
        let mut line = [0; CELL_WIDTH * MAX_BYTES_PER_PIXEL];
        let line = &mut line[..CELL_WIDTH * bpp];
        let origin = self.cell_offset(row, column);
        for (y, coverages) in glyph.rows().enumerate() {
            for (pixel, &coverage) in line.chunks_exact_mut(bpp).zip(coverages) {
                pixel.copy_from_slice(&shades[usize::from(coverage)][..bpp]);
            }
            // SAFETY: one pixel row of a cell inside the text grid, which lies inside
            // the framebuffer; `line` is a local buffer.
            unsafe { core::ptr::copy_nonoverlapping(line.as_ptr(), self.ptr(origin + y * self.pitch), line.len()) }
        }
    }

    /// Invert the cell under the cursor (the last column while a wrap is pending);
    /// doing it twice restores the cell.
    fn toggle_cursor(&mut self) {
        let bpp = self.bytes_per_pixel;
        let origin = self.cell_offset(self.row, self.column.min(self.columns - 1));
        for y in 0..CELL_HEIGHT {
            let start = self.ptr(origin + y * self.pitch);
            // SAFETY: one pixel row of a cell inside the text grid, inside the
            // framebuffer; no other reference to it exists while `self` is borrowed.
            let pixels = unsafe { core::slice::from_raw_parts_mut(start, CELL_WIDTH * bpp) };
            for pixel in pixels.chunks_exact_mut(bpp) {
                for (byte, mask) in pixel.iter_mut().zip(self.invert) {
                    *byte ^= mask;
                }
            }
        }
    }

    /// Byte offset of the top-left pixel of a character cell.
    fn cell_offset(&self, row: usize, column: usize) -> usize {
        debug_assert!(row < self.rows && column < self.columns);
        row * CELL_HEIGHT * self.pitch + column * CELL_WIDTH * self.bytes_per_pixel
    }

    fn ptr(&self, offset: usize) -> *mut u8 {
        (self.base as *mut u8).wrapping_add(offset)
    }
}

impl Display for FramebufferScreen {
    fn show_cursor(&mut self, shown: bool) {
        if shown != self.cursor_shown {
            self.toggle_cursor();
            self.cursor_shown = shown;
        }
    }
}

impl CellScreen for FramebufferScreen {
    fn size(&self) -> (usize, usize) {
        (self.columns, self.rows)
    }

    fn column(&mut self) -> &mut usize {
        &mut self.column
    }

    fn row(&mut self) -> &mut usize {
        &mut self.row
    }

    fn put(&mut self, byte: Option<u8>) {
        self.draw(self.row, self.column, byte.map_or(REPLACEMENT, glyph));
        self.column += 1;
    }

    fn erase(&mut self, row: usize, columns: Range<usize>) {
        for column in columns {
            self.draw(row, column, BLANK);
        }
    }

    fn set_colours(&mut self, foreground: u8, background: u8) {
        let colours = (foreground, background);
        if let Some(index) = self.shades.iter().position(|shades| shades.colours == colours) {
            self.current = index;
        } else {
            self.shades[self.next] = Shades::new(colours, self.fields);
            self.current = self.next;
            self.next = (self.next + 1) % SHADE_TABLES;
        }
    }

    fn copy_row(&mut self, from: usize, to: usize) {
        let text_row = CELL_HEIGHT * self.pitch;
        // SAFETY: both text rows lie in the grid inside the framebuffer; `copy`
        // allows overlap (there is none between two different rows).
        unsafe { core::ptr::copy(self.ptr(from * text_row), self.ptr(to * text_row), text_row) }
    }

    fn copy_cells(&mut self, row: usize, columns: Range<usize>, to: usize) {
        if columns.is_empty() {
            return;
        }
        let (from, to) = (self.cell_offset(row, columns.start), self.cell_offset(row, to));
        let len = columns.len() * CELL_WIDTH * self.bytes_per_pixel;
        for y in 0..CELL_HEIGHT {
            // SAFETY: the cells lie in one text row of the grid, inside the
            // framebuffer (the terminal keeps `to + columns.len()` within the row);
            // `copy` allows the overlap.
            unsafe { core::ptr::copy(self.ptr(from + y * self.pitch), self.ptr(to + y * self.pitch), len) }
        }
    }
}

impl Shades {
    fn new(colours: (u8, u8), fields: [FramebufferField; 3]) -> Self {
        let foreground = PALETTE[usize::from(colours.0)];
        let background = PALETTE[usize::from(colours.1)];
        let mut pixels = [[0; MAX_BYTES_PER_PIXEL]; 256];
        for (coverage, shade) in (0..=u8::MAX).zip(pixels.iter_mut()) {
            let blend = |i: usize| {
                let (f, b, c) = (u16::from(foreground[i]), u16::from(background[i]), u16::from(coverage));
                ((f * c + b * (255 - c) + 127) / 255) as u8
            };
            *shade = pixel([blend(0), blend(1), blend(2)], fields);
        }
        Self { colours, pixels }
    }
}

/// The glyph of a printable ASCII byte (the font covers all of them).
fn glyph(b: u8) -> RasterizedChar {
    get_raster(char::from(b), WEIGHT, SIZE).unwrap_or(REPLACEMENT)
}

/// An 8-bit red, green, blue colour as a pixel in the layout of `fields`, as
/// little-endian bytes.
fn pixel(rgb: [u8; 3], fields: [FramebufferField; 3]) -> [u8; MAX_BYTES_PER_PIXEL] {
    let value = channel(rgb[0], fields[0]) | channel(rgb[1], fields[1]) | channel(rgb[2], fields[2]);
    value.to_le_bytes()
}

/// An 8-bit colour component scaled to `field`'s size and shifted to its position.
fn channel(value: u8, field: FramebufferField) -> u32 {
    let max = (1u64 << field.size) - 1;
    (((u64::from(value) * max + 127) / 255) << field.position) as u32
}
