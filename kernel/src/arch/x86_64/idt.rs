//! The IDT: the trap.S stub for each of the 32 exceptions and 16 PIC IRQs; the
//! double fault runs on its own IST stack, and int3 may come from user mode.
use x86_64::VirtAddr;
use x86_64::structures::idt::InterruptDescriptorTable;

use super::gdt::DOUBLE_FAULT_IST;
use super::trap::{IRQ_BASE, STUB_COUNT, stub_address};

static IDT: spin::Once<InterruptDescriptorTable> = spin::Once::new();

/// Point `$idt.$field` at the stub for `$vector`. The x86_64 crate types each
/// exception entry differently, so they are named one by one.
macro_rules! install {
    ($idt:ident, $($field:ident = $vector:literal),* $(,)?) => {$(
        // SAFETY: the stub is trap.S code that saves a TrapFrame, calls the
        // dispatcher and returns with iretq.
        unsafe { $idt.$field.set_handler_addr(VirtAddr::new(stub_address($vector))) };
    )*};
}

pub fn init() {
    let idt = IDT.call_once(|| {
        let mut idt = InterruptDescriptorTable::new();
        install!(
            idt,
            divide_error = 0,
            debug = 1,
            non_maskable_interrupt = 2,
            breakpoint = 3,
            overflow = 4,
            bound_range_exceeded = 5,
            invalid_opcode = 6,
            device_not_available = 7,
            invalid_tss = 10,
            segment_not_present = 11,
            stack_segment_fault = 12,
            general_protection_fault = 13,
            page_fault = 14,
            x87_floating_point = 16,
            alignment_check = 17,
            machine_check = 18,
            simd_floating_point = 19,
            virtualization = 20,
            cp_protection_exception = 21,
            hv_injection_exception = 28,
            vmm_communication_exception = 29,
            security_exception = 30,
        );
        // int3 is an instruction user code may run (Linux's gate is DPL 3): it
        // gives SIGTRAP, not a #GP's SIGSEGV.
        // SAFETY: as above (the same stub, now callable from ring 3).
        unsafe { idt.breakpoint.set_handler_addr(VirtAddr::new(stub_address(3))) }
            .set_privilege_level(x86_64::PrivilegeLevel::Ring3);
        // SAFETY: as above; the IST slot holds the double-fault stack (gdt.rs), so a
        // kernel stack overflow still gets a report.
        unsafe {
            idt.double_fault.set_handler_addr(VirtAddr::new(stub_address(8))).set_stack_index(DOUBLE_FAULT_IST);
        }
        for vector in usize::from(IRQ_BASE)..STUB_COUNT {
            // SAFETY: as above.
            unsafe { idt[vector as u8].set_handler_addr(VirtAddr::new(stub_address(vector))) };
        }
        idt
    });
    idt.load();
}
