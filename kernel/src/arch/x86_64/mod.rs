//! x86-64 support: boot trampoline, descriptor tables, traps, interrupt
//! controllers, timer, serial port, VGA text screen. All the unsafe hardware code
//! of the kernel lives here, behind the short interface below.
pub mod acpi;
mod apic;
pub mod backtrace;
pub mod contain;
pub mod context;
pub mod cpu;
pub mod cpuid;
mod exception;
pub mod fpu;
pub mod framebuffer;
pub mod gdt;
mod idt;
pub mod interrupts;
mod ioapic;
pub mod irq_lock;
pub mod keyboard;
pub mod mmio;
pub mod msi;
pub mod multiboot;
pub mod paging;
pub mod pci_config;
mod pic;
mod pit;
pub mod power;
pub mod protection;
pub mod qemu;
pub mod random;
pub mod refclock;
pub mod rtc;
pub mod sections;
pub mod selftest;
pub mod serial;
mod stacks;
pub mod syscall;
pub mod trap;
pub mod user_copy;
pub mod vga;

core::arch::global_asm!(include_str!("boot.S"), options(att_syntax));

/// Load the GDT, the TSS and the IDT (from here on exceptions are reported), turn
/// on SSE and the `syscall` instruction.
pub fn init_traps() {
    gdt::init();
    idt::init();
    fpu::init();
    syscall::init();
}

/// Set the FS base (user thread pointer); false if the address is not canonical.
pub fn set_fs_base(base: u64) -> bool {
    match ::x86_64::VirtAddr::try_new(base) {
        Ok(addr) => {
            ::x86_64::registers::model_specific::FsBase::write(addr);
            true
        }
        Err(_) => false,
    }
}

pub use stacks::guard_pages as stack_guard_pages;
