//! The console: the kernel's text goes to COM1 and to the screen alike, under one
//! lock taken with interrupts disabled.
use core::fmt::{self, Write};

use spin::Mutex;

use crate::arch::{cpu, framebuffer::FramebufferScreen, serial, vga::TextScreen};

struct Console {
    screen: Option<TextScreen>,
    framebuffer: Option<FramebufferScreen>,
}

static CONSOLE: Mutex<Console> = Mutex::new(Console { screen: None, framebuffer: None });

impl Console {
    fn write(&mut self, bytes: &[u8]) {
        serial::write(bytes);
        if let Some(screen) = self.screen.as_mut() {
            screen.write(bytes);
        }
        if let Some(screen) = self.framebuffer.as_mut() {
            screen.write(bytes);
        }
    }
}

/// Start the serial port (output from here on).
pub fn init_serial() {
    serial::init();
}

/// Start mirroring output on the VGA text screen (BIOS boots).
pub fn enable_vga_text() {
    cpu::without_interrupts(|| CONSOLE.lock().screen = Some(TextScreen::new()));
}

/// Start mirroring output on the Multiboot2 framebuffer (UEFI boots); false if its
/// format is not supported. Needs the kernel's page table (the direct map of 0..4 GiB).
pub fn enable_framebuffer(tag: &multiboot2::FramebufferTag) -> bool {
    let Some(screen) = FramebufferScreen::new(tag) else { return false };
    cpu::without_interrupts(|| CONSOLE.lock().framebuffer = Some(screen));
    true
}

pub fn write_bytes(bytes: &[u8]) {
    cpu::without_interrupts(|| CONSOLE.lock().write(bytes));
}

pub fn write_fmt(args: fmt::Arguments) {
    cpu::without_interrupts(|| {
        let mut console = CONSOLE.lock();
        let _ = ConsoleWriter(&mut console).write_fmt(args);
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
            Some(mut console) => console.write(s.as_bytes()),
            None => serial::emergency_write(s.as_bytes()),
        }
        Ok(())
    }
}
