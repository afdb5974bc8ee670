//! The panic handler: a contained call (arch's contain.rs) that panicked is
//! ended alone; any other panic prints the message, its location and a
//! backtrace on serial and screen, then the machine stops (test modes: QEMU
//! exits with the failure code).
use core::fmt::Write;
use core::panic::PanicInfo;
use core::sync::atomic::{AtomicBool, Ordering};

use crate::arch::{backtrace, contain, cpu};

static PANICKING: AtomicBool = AtomicBool::new(false);

#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    cpu::disable_interrupts();
    match info.location() {
        Some(at) => contain::escape_if_contained(format_args!("{} (at {}:{})", info.message(), at.file(), at.line())),
        None => contain::escape_if_contained(format_args!("{}", info.message())),
    }
    let mut out = crate::console::emergency();
    if PANICKING.swap(true, Ordering::SeqCst) {
        let _ = writeln!(out, "\nKERNEL PANIC while panicking: {}", info.message());
        crate::fatal_stop();
    }
    let _ = writeln!(out, "\nKERNEL PANIC: {}", info.message());
    if let Some(location) = info.location() {
        let _ = writeln!(out, "  at {}:{}:{}", location.file(), location.line(), location.column());
    }
    let _ = backtrace::write(&mut out, backtrace::current_frame());
    crate::fatal_stop()
}
