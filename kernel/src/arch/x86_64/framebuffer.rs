//! A text console on a linear RGB framebuffer (UEFI boots, where there is no VGA text
//! mode): Noto Sans Mono glyphs, light grey on black, scrolling, an inverted-block cursor.
//!
//! The pixel layout (bytes per pixel, pitch, the red/green/blue bit fields) comes from
//! GRUB's Multiboot2 framebuffer tag. Everything that depends on it is computed once in
//! [`FramebufferScreen::new`]: the pixel value for each of the font's 256 coverage levels,
//! so drawing a glyph is a table lookup and a byte copy per pixel. The framebuffer is
//! reached through the direct map.
use multiboot2::{FramebufferField, FramebufferTag, FramebufferType};
use noto_sans_mono_bitmap::{FontWeight, RasterHeight, RasterizedChar, get_raster, get_raster_width};

use super::text::{self, CellScreen};
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
/// Light grey text (VGA colour 7) as 8-bit red, green, blue. The background is black,
/// all-zero bits in every RGB layout, so clearing is a zero fill.
const FOREGROUND: [u8; 3] = [0xaa, 0xaa, 0xaa];
const WHITE: [u8; 3] = [0xff, 0xff, 0xff];
const MAX_BYTES_PER_PIXEL: usize = 4;
/// The direct map covers at least physical 0..4 GiB once the kernel's own page table
/// is active (main.rs); firmware framebuffers live there.
const DIRECT_MAP_MIN_END: u64 = 1 << 32;

/// The text grid on the framebuffer and its cursor; the pixels live in video memory.
/// Outside `write` the cursor cell is shown inverted.
#[derive(Debug)]
pub struct FramebufferScreen {
    /// Virtual address of the first pixel (through the direct map).
    base: usize,
    pitch: usize,
    bytes_per_pixel: usize,
    columns: usize,
    rows: usize,
    column: usize,
    row: usize,
    /// The pixel, as little-endian bytes in the buffer's layout, for each glyph coverage
    /// 0..=255: the foreground blended onto black.
    shades: [[u8; MAX_BYTES_PER_PIXEL]; 256],
    /// XOR-ing a pixel with this (all colour bits set) inverts it: the cursor.
    invert: [u8; MAX_BYTES_PER_PIXEL],
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
        let pixel = |rgb: [u8; 3]| {
            let value = channel(rgb[0], red) | channel(rgb[1], green) | channel(rgb[2], blue);
            value.to_le_bytes()
        };
        let mut shades = [[0; MAX_BYTES_PER_PIXEL]; 256];
        for (coverage, shade) in (0..=u8::MAX).zip(shades.iter_mut()) {
            *shade = pixel(FOREGROUND.map(|c| ((u16::from(c) * u16::from(coverage) + 127) / 255) as u8));
        }
        let mut screen = Self {
            base: phys_to_virt(tag.address()) as usize,
            pitch,
            bytes_per_pixel,
            columns: width / CELL_WIDTH,
            rows: height / CELL_HEIGHT,
            column: 0,
            row: 0,
            shades,
            invert: pixel(WHITE),
        };
        // SAFETY: the framebuffer is pitch * height bytes at `base` (checked to lie
        // below 4 GiB, inside the direct map), video memory no Rust object overlaps.
        unsafe { screen.ptr(0).write_bytes(0, pitch * height) }
        screen.toggle_cursor();
        Some(screen)
    }

    /// Draw `bytes` (see `text::write`); the text scrolls up at the bottom.
    pub fn write(&mut self, bytes: &[u8]) {
        self.toggle_cursor();
        text::write(self, bytes);
        self.toggle_cursor();
    }

    fn draw(&mut self, glyph: RasterizedChar) {
        if self.column == self.columns {
            self.scroll_to_next_line();
        }
        let bpp = self.bytes_per_pixel;
        let mut line = [0; CELL_WIDTH * MAX_BYTES_PER_PIXEL];
        let line = &mut line[..CELL_WIDTH * bpp];
        let origin = self.cell_offset(self.row, self.column);
        for (y, coverages) in glyph.rows().enumerate() {
            for (pixel, &coverage) in line.chunks_exact_mut(bpp).zip(coverages) {
                pixel.copy_from_slice(&self.shades[usize::from(coverage)][..bpp]);
            }
            // SAFETY: one pixel row of a cell inside the text grid, which lies inside
            // the framebuffer; `line` is a local buffer.
            unsafe { core::ptr::copy_nonoverlapping(line.as_ptr(), self.ptr(origin + y * self.pitch), line.len()) }
        }
        self.column += 1;
    }

    fn scroll_to_next_line(&mut self) {
        self.column = 0;
        if self.row + 1 < self.rows {
            self.row += 1;
            return;
        }
        let text_row = CELL_HEIGHT * self.pitch;
        // SAFETY: source (text rows 1..) and destination (rows ..rows-1) both lie in the
        // text grid inside the framebuffer; `copy` allows the overlap.
        unsafe { core::ptr::copy(self.ptr(text_row), self.ptr(0), (self.rows - 1) * text_row) }
        // SAFETY: the last text row lies inside the framebuffer.
        unsafe { self.ptr((self.rows - 1) * text_row).write_bytes(0, text_row) }
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

/// The glyph of a printable ASCII byte (the font covers all of them).
impl CellScreen for FramebufferScreen {
    fn column(&mut self) -> &mut usize {
        &mut self.column
    }

    fn put(&mut self, byte: Option<u8>) {
        self.draw(byte.map_or(REPLACEMENT, glyph));
    }

    fn new_line(&mut self) {
        self.scroll_to_next_line();
    }
}

fn glyph(b: u8) -> RasterizedChar {
    get_raster(char::from(b), WEIGHT, SIZE).unwrap_or(REPLACEMENT)
}

/// An 8-bit colour component scaled to `field`'s size and shifted to its position.
fn channel(value: u8, field: FramebufferField) -> u32 {
    let max = (1u64 << field.size) - 1;
    (((u64::from(value) * max + 127) / 255) << field.position) as u32
}
