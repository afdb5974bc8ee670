//! The consoles' output: the serial line (COM1) and the screen's virtual consoles
//! (`vtscreen`: each its own cells and scrollback, only the visible one drawn on
//! the display, VGA text or a framebuffer), under one lock taken with interrupts
//! disabled. The kernel's own text goes to the serial line and the visible
//! console, as Linux's with console=tty0 console=ttyS0.
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt::{self, Write};

use spin::Mutex;
use vtscreen::{Display, Vt};

use crate::arch::{cpu, framebuffer::FramebufferScreen, serial, vga};

/// The virtual consoles, /dev/tty1 to /dev/tty4 (index 0 is tty1).
pub const VT_COUNT: usize = 4;
/// Lines of scrollback each console keeps.
const HISTORY: usize = 500;

struct Console {
    display: Option<Box<dyn Display + Send>>,
    /// Made with the display (or at the first write to one without a display).
    vts: Vec<Vt>,
    /// The visible console.
    active: usize,
}

static CONSOLE: Mutex<Console> = Mutex::new(Console { display: None, vts: Vec::new(), active: 0 });

impl Console {
    /// The kernel's text: the serial line and the visible console.
    fn write(&mut self, bytes: &[u8]) {
        serial::write(bytes);
        if !self.vts.is_empty() {
            self.write_vt(self.active, bytes);
        }
    }

    /// A fatal report: the serial line, and the visible console if there is one,
    /// which from then on keeps no history (recording it allocates, and the failing
    /// code may hold the heap's lock; for the same reason no console is made here).
    fn write_emergency(&mut self, bytes: &[u8]) {
        serial::write(bytes);
        let display = self.display.as_deref_mut().map(|d| d as &mut dyn Display);
        if let Some(vt) = self.vts.get_mut(self.active) {
            vt.stop_history();
            vt.write(bytes, display);
        }
    }

    fn write_vt(&mut self, index: usize, bytes: &[u8]) {
        if self.vts.is_empty() {
            self.make_vts();
        }
        let display = self.display.as_deref_mut().filter(|_| index == self.active).map(|d| d as &mut dyn Display);
        if let Some(vt) = self.vts.get_mut(index) {
            vt.write(bytes, display);
        }
    }

    /// The consoles, the display's size (80x25 without one), the first one shown.
    fn make_vts(&mut self) {
        let (width, height) = self.display.as_ref().map_or((vga::WIDTH, vga::HEIGHT), |d| d.size());
        self.vts = (0..VT_COUNT).map(|_| Vt::new(width, height, HISTORY)).collect();
        self.active = 0;
        if let Some(display) = self.display.as_deref_mut() {
            self.vts[0].redraw(display);
        }
    }

    fn enable(&mut self, display: Box<dyn Display + Send>) {
        self.display = Some(display);
        self.make_vts();
    }
}

/// Start the serial port (output from here on).
pub fn init_serial() {
    serial::init();
}

/// Show the consoles on the VGA text screen (BIOS boots). Needs the heap.
pub fn enable_vga_text() {
    cpu::without_interrupts(|| CONSOLE.lock().enable(Box::new(vga::TextScreen::new())));
}

/// Show the consoles on the Multiboot2 framebuffer (UEFI boots); false if its
/// format is not supported. Needs the kernel's page table (the direct map of 0..4
/// GiB) and the heap.
pub fn enable_framebuffer(tag: &multiboot2::FramebufferTag) -> bool {
    let Some(screen) = FramebufferScreen::new(tag) else { return false };
    cpu::without_interrupts(|| CONSOLE.lock().enable(Box::new(screen)));
    true
}

/// The screen's size in cells (columns, rows): the virtual consoles' window size.
pub fn screen_size() -> (usize, usize) {
    cpu::without_interrupts(|| CONSOLE.lock().display.as_ref().map_or((vga::WIDTH, vga::HEIGHT), |d| d.size()))
}

/// The kernel's text (log lines): the serial line and the visible console.
pub fn write_fmt(args: fmt::Arguments) {
    cpu::without_interrupts(|| {
        let mut console = CONSOLE.lock();
        let _ = ConsoleWriter(&mut console).write_fmt(args);
    });
}

/// Output of the serial line's terminal (/dev/ttyS0, /dev/console).
pub fn write_serial(bytes: &[u8]) {
    cpu::without_interrupts(|| {
        let _console = CONSOLE.lock();
        serial::write(bytes);
    });
}

/// Output of virtual console `index` (0 for /dev/tty1); drawn if it is visible.
pub fn write_vt(index: usize, bytes: &[u8]) {
    cpu::without_interrupts(|| CONSOLE.lock().write_vt(index, bytes));
}

/// The visible virtual console's index.
pub fn active_vt() -> usize {
    cpu::without_interrupts(|| CONSOLE.lock().active)
}

/// Show virtual console `index` (Alt-Fn, VT_ACTIVATE); false if there is no such
/// console. The one left returns to the bottom of its history.
pub fn switch_vt(index: usize) -> bool {
    cpu::without_interrupts(|| {
        let console = &mut *CONSOLE.lock();
        if console.vts.is_empty() {
            console.make_vts();
        }
        if index >= console.vts.len() {
            return false;
        }
        let previous = console.active;
        console.vts[previous].reset_view();
        console.active = index;
        if let Some(display) = console.display.as_deref_mut() {
            console.vts[index].redraw(display);
        }
        true
    })
}

/// Scroll the visible console's view half a screen back (Shift-PageUp) or
/// forward (Shift-PageDown, `back` false).
pub fn scroll_visible(back: bool) {
    cpu::without_interrupts(|| {
        let console = &mut *CONSOLE.lock();
        let Some(display) = console.display.as_deref_mut() else { return };
        let half = (display.size().1 / 2).max(1) as isize;
        if let Some(vt) = console.vts.get_mut(console.active) {
            vt.scroll(if back { half } else { -half }, display);
        }
    });
}

/// Any other key returns the visible console's view to the bottom (as Linux's).
pub fn unscroll_visible() {
    cpu::without_interrupts(|| {
        let console = &mut *CONSOLE.lock();
        let Some(display) = console.display.as_deref_mut() else { return };
        if let Some(vt) = console.vts.get_mut(console.active)
            && vt.scrolled_back() != 0
        {
            vt.scroll(-(vt.scrolled_back() as isize), display);
        }
    });
}

struct ConsoleWriter<'a>(&'a mut Console);

impl Write for ConsoleWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

/// A writer for fatal reports (panics, exceptions): it uses the console when its
/// lock is free and falls back to raw serial output when the failing code holds it.
pub fn emergency() -> EmergencyWriter {
    EmergencyWriter
}

#[derive(Debug)]
pub struct EmergencyWriter;

impl Write for EmergencyWriter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        match CONSOLE.try_lock() {
            Some(mut console) => console.write_emergency(s.as_bytes()),
            None => serial::emergency_write(s.as_bytes()),
        }
        Ok(())
    }
}
