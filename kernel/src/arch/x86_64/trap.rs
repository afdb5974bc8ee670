//! The one TrapFrame for every entry into the kernel, and the dispatcher that
//! trap.S calls with it: CPU exceptions go to `exception`, IRQs to `crate::irq`.
use core::mem::offset_of;

use super::{apic, exception, interrupts, msi};

/// Registers saved on every trap, in stack order (lowest address first); its
/// upper part (rip..ss) is the frame `iretq` pops.
#[repr(C)]
#[derive(Debug, Clone, Default)]
pub struct TrapFrame {
    pub r15: u64,
    pub r14: u64,
    pub r13: u64,
    pub r12: u64,
    pub r11: u64,
    pub r10: u64,
    pub r9: u64,
    pub r8: u64,
    pub rbp: u64,
    pub rdi: u64,
    pub rsi: u64,
    pub rdx: u64,
    pub rcx: u64,
    pub rbx: u64,
    pub rax: u64,
    pub vector: u64,
    pub error_code: u64,
    pub rip: u64,
    pub cs: u64,
    pub rflags: u64,
    pub rsp: u64,
    pub ss: u64,
}

impl TrapFrame {
    /// Whether the trap came from ring 3.
    pub fn is_from_user(&self) -> bool {
        self.cs & 3 == 3
    }

    /// Whether the interrupted code ran with interrupts enabled.
    pub fn interrupts_were_enabled(&self) -> bool {
        self.rflags & x86_64::registers::rflags::RFlags::INTERRUPT_FLAG.bits() != 0
    }
}

// trap.S pushes 15 general registers below the vector slot, then iretq's frame.
const _: () = assert!(offset_of!(TrapFrame, vector) == 15 * 8);
const _: () = assert!(offset_of!(TrapFrame, rip) == offset_of!(TrapFrame, vector) + 16);
const _: () = assert!(core::mem::size_of::<TrapFrame>().is_multiple_of(16));

core::arch::global_asm!(
    include_str!("trap.S"),
    FRAME_CS = const offset_of!(TrapFrame, cs) - offset_of!(TrapFrame, vector),
    PERCPU_USER_RSP = const super::syscall::PERCPU_USER_RSP,
    PERCPU_KERNEL_RSP = const super::syscall::PERCPU_KERNEL_RSP,
    USER_DS = const super::gdt::USER_DATA_SELECTOR,
    USER_CS = const super::gdt::USER_CODE_SELECTOR,
    SYSCALL_VECTOR = const super::syscall::SYSCALL_VECTOR,
    FRAME_RCX = const offset_of!(TrapFrame, rcx),
    FRAME_R11 = const offset_of!(TrapFrame, r11),
    FRAME_RIP = const offset_of!(TrapFrame, rip),
    FRAME_CS_FROM_BASE = const offset_of!(TrapFrame, cs),
    FRAME_RFLAGS = const offset_of!(TrapFrame, rflags),
    FRAME_RSP = const offset_of!(TrapFrame, rsp),
    FRAME_SS = const offset_of!(TrapFrame, ss),
    FRAME_VECTOR = const offset_of!(TrapFrame, vector),
    RFLAGS_TF_RF = const (1u64 << 8) | (1u64 << 16),
    SYSRET_RIP_LIMIT = const crate::layout::USER_END,
    options(att_syntax)
);

/// First vector of the remapped 8259 PIC's IRQs.
pub const IRQ_BASE: u8 = 32;
/// Number of vectors trap.S has stubs for (32 exceptions, 16 ISA IRQs, 15 MSIs
/// and the APIC's spurious vector).
pub const STUB_COUNT: usize = 64;

unsafe extern "C" {
    /// Addresses of the entry stubs in trap.S, indexed by vector.
    static trap_stub_table: [u64; STUB_COUNT];
}

/// The entry stub address for `vector`.
pub fn stub_address(vector: usize) -> u64 {
    // SAFETY: trap_stub_table is a read-only table of STUB_COUNT addresses in trap.S.
    unsafe { trap_stub_table[vector] }
}

#[unsafe(no_mangle)]
extern "C" fn trap_dispatch(frame: &mut TrapFrame) {
    match frame.vector {
        0..32 => exception::handle(frame),
        v @ 32..48 => {
            let irq = (v - u64::from(IRQ_BASE)) as u8;
            if interrupts::is_spurious(irq) {
                return;
            }
            interrupts::end_of_interrupt(irq);
            if irq == interrupts::IRQ_TIMER {
                interrupts::timer_interrupt();
            }
            crate::irq::handle(irq, frame);
            after_interrupt(frame);
        }
        v if msi::is_msi_vector(v) => {
            apic::end_of_interrupt();
            msi::handle(v as u8);
            after_interrupt(frame);
        }
        v if v == u64::from(apic::SPURIOUS_VECTOR) => {}
        v => panic!("trap on vector {v} without a handler"),
    }
}

/// After a hardware interrupt: signals and preemption on the way back to user
/// mode, or a reschedule the handler asked for.
fn after_interrupt(frame: &mut TrapFrame) {
    if frame.is_from_user() {
        crate::proc::on_return_to_user(frame, None);
    } else if crate::task::scheduler::need_resched() {
        crate::task::scheduler::schedule();
    }
}
