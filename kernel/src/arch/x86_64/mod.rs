//! x86-64 support: boot trampoline, descriptor tables, traps, interrupt
//! controllers, timer, serial port, VGA text screen. All the unsafe hardware code
//! of the kernel lives here, behind the short interface below.
pub mod backtrace;
pub mod cpu;
mod exception;
mod gdt;
mod idt;
pub mod multiboot;
pub mod paging;
pub mod pic;
pub mod pit;
pub mod qemu;
pub mod sections;
pub mod selftest;
pub mod serial;
mod stacks;
pub mod trap;
pub mod vga;

core::arch::global_asm!(include_str!("boot.S"), options(att_syntax));

/// Load the GDT, the TSS and the IDT: from here on exceptions are reported.
pub fn init_traps() {
    gdt::init();
    idt::init();
}

pub use stacks::guard_pages as stack_guard_pages;
