//! CPU exceptions: their names, and the report printed for a fatal one (name, error
//! code, RIP, RSP, CR2, the registers and a backtrace).
use x86_64::registers::control::Cr2;

use super::{backtrace, stacks, trap::TrapFrame};

/// The architectural names of vectors 0-31.
pub const NAMES: [&str; 32] = [
    "divide error",
    "debug",
    "non-maskable interrupt",
    "breakpoint",
    "overflow",
    "bound range exceeded",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor segment overrun",
    "invalid TSS",
    "segment not present",
    "stack-segment fault",
    "general protection fault",
    "page fault",
    "reserved (15)",
    "x87 floating-point exception",
    "alignment check",
    "machine check",
    "SIMD floating-point exception",
    "virtualization exception",
    "control protection exception",
    "reserved (22)",
    "reserved (23)",
    "reserved (24)",
    "reserved (25)",
    "reserved (26)",
    "reserved (27)",
    "hypervisor injection exception",
    "VMM communication exception",
    "security exception",
    "reserved (31)",
];

pub const PAGE_FAULT: u64 = 14;

pub fn handle(frame: &mut TrapFrame) {
    if frame.is_from_user() {
        let fault_address = (frame.vector == PAGE_FAULT).then(Cr2::read_raw);
        // As in a system call: serving the fault takes locks that preemptible
        // tasks hold (the memory's, a file's pages'), so their holders must be
        // able to run again; CR2 is read.
        super::cpu::enable_interrupts();
        // A call into the vsyscall page is a system call in disguise.
        if !fault_address.is_some_and(|address| crate::syscall::vsyscall::emulate(frame, address)) {
            crate::proc::user_fault(frame, fault_address);
        }
        crate::proc::on_return_to_user(frame, None);
        return;
    }
    if frame.vector == PAGE_FAULT
        && let Some(resume) = super::user_copy::fixup(frame.rip)
    {
        let address = Cr2::read_raw();
        if address < crate::layout::USER_END {
            // A copy to or from user memory: the page is mapped in as a user
            // access would map it, and the copy goes on; else it stops short.
            // Serving the fault may sleep, which a copy made with interrupts
            // off (under a spin lock) must not: that one stops short at once.
            if frame.interrupts_were_enabled() {
                super::cpu::enable_interrupts();
                if crate::proc::copy_fault(address, frame.error_code) {
                    return;
                }
            }
            frame.rip = resume;
            return;
        }
    }
    report_and_stop(frame)
}

/// Print the report of a fatal exception and stop the machine (one in kernel
/// mode inside a contained call, such as a stack overflow, ends only that call).
pub fn report_and_stop(frame: &TrapFrame) -> ! {
    let name = NAMES[frame.vector as usize];
    if !frame.is_from_user() {
        super::contain::escape_if_contained(format_args!("{name} in kernel mode at {:#x}", frame.rip));
    }
    let mut out = crate::console::emergency();
    let _ = report(&mut out, name, frame);
    crate::fatal_stop()
}

fn report(out: &mut impl core::fmt::Write, name: &str, f: &TrapFrame) -> core::fmt::Result {
    writeln!(
        out,
        "\nEXCEPTION: {name} (vector {}) in {} mode",
        f.vector,
        if f.is_from_user() { "user" } else { "kernel" }
    )?;
    writeln!(out, "  error code {:#x}", f.error_code)?;
    if f.vector == PAGE_FAULT {
        let cr2 = Cr2::read_raw();
        writeln!(out, "  CR2 {cr2:#018x} ({})", describe_page_fault(f.error_code))?;
        if stacks::is_guard(cr2) {
            writeln!(out, "  (the address is a stack guard page: kernel stack overflow)")?;
        }
        if !f.is_from_user() && cr2 < crate::layout::USER_END && f.error_code & 1 != 0 {
            let protection = if f.error_code & 0x10 != 0 { "SMEP" } else { "SMAP" };
            let on = if super::protection::smap_enabled() { "" } else { " (off?)" };
            writeln!(out, "  (the kernel touched user memory outside a user copy: {protection}{on})")?;
        }
    }
    writeln!(out, "  RIP {:#018x} {}", f.rip, crate::symbols::Describe(f.rip))?;
    writeln!(out, "  RSP {:#018x}  RFLAGS {:#010x}  CS {:#x}  SS {:#x}", f.rsp, f.rflags, f.cs, f.ss)?;
    writeln!(out, "  RAX {:#018x}  RBX {:#018x}  RCX {:#018x}", f.rax, f.rbx, f.rcx)?;
    writeln!(out, "  RDX {:#018x}  RSI {:#018x}  RDI {:#018x}", f.rdx, f.rsi, f.rdi)?;
    writeln!(out, "  RBP {:#018x}  R8  {:#018x}  R9  {:#018x}", f.rbp, f.r8, f.r9)?;
    writeln!(out, "  R10 {:#018x}  R11 {:#018x}  R12 {:#018x}", f.r10, f.r11, f.r12)?;
    writeln!(out, "  R13 {:#018x}  R14 {:#018x}  R15 {:#018x}", f.r13, f.r14, f.r15)?;
    if f.vector == 8
        && let Ok(cr2) = Cr2::read()
        && stacks::is_guard(cr2.as_u64())
    {
        writeln!(out, "  CR2 {:#018x} is a stack guard page: kernel stack overflow", cr2.as_u64())?;
    }
    if !f.is_from_user() {
        backtrace::write(out, f.rbp)?;
    }
    Ok(())
}

/// Decode a page fault's error code the way a reader wants it.
fn describe_page_fault(code: u64) -> &'static str {
    let present = code & 1 != 0;
    let write = code & 2 != 0;
    let fetch = code & 16 != 0;
    match (present, write, fetch) {
        (_, _, true) if present => "instruction fetch from a no-execute page",
        (_, _, true) => "instruction fetch from an unmapped page",
        (true, true, _) => "write to a read-only page",
        (true, false, _) => "protection violation on read",
        (false, true, _) => "write to an unmapped page",
        (false, false, _) => "read from an unmapped page",
    }
}
