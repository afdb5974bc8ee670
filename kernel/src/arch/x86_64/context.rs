//! Kernel context switches: each process has a kernel stack; switching saves the
//! callee-saved registers on the old stack and resumes the new one. A new process's
//! stack is shaped so that its first switch "returns" into trap_return, which pops
//! its TrapFrame and enters user mode with iretq.
//!
//! A suspended stack, from its saved RSP upwards:
//!
//!     r15 r14 r13 r12 rbx rbp | return address | ...
//!
//! For a new process the return address is `trap_return` and a TrapFrame follows.
use core::sync::atomic::{AtomicU64, Ordering};

use super::trap::TrapFrame;

/// Where a suspended kernel context's stack pointer is kept.
#[derive(Debug)]
pub struct SavedContext(AtomicU64);

core::arch::global_asm!(
    ".section .text.context, \"ax\"",
    ".global context_switch",
    // context_switch(save: *mut u64 [rdi], next_rsp: u64 [rsi])
    "context_switch:",
    "push rbp",
    "push rbx",
    "push r12",
    "push r13",
    "push r14",
    "push r15",
    "mov [rdi], rsp",
    "mov rsp, rsi",
    "pop r15",
    "pop r14",
    "pop r13",
    "pop r12",
    "pop rbx",
    "pop rbp",
    "ret",
    ".text",
);

unsafe extern "C" {
    fn context_switch(save: *mut u64, next_rsp: u64);
    fn trap_return();
}

const SAVED_REGISTERS: usize = 6;

impl SavedContext {
    pub const fn new() -> Self {
        Self(AtomicU64::new(0))
    }

    /// Make this a context that starts by returning to user mode with `frame`, on
    /// the kernel stack whose top is `stack_top` (16-byte aligned, unused).
    pub fn prepare_user(&self, stack_top: u64, frame: &TrapFrame) {
        let frame_at = stack_top - size_of::<TrapFrame>() as u64;
        let ret_at = frame_at - 8;
        let rsp = ret_at - (SAVED_REGISTERS * 8) as u64;
        // SAFETY: the stack belongs to a process that has not run yet; the writes
        // stay between rsp and stack_top, which the caller mapped.
        unsafe {
            (frame_at as *mut TrapFrame).write(frame.clone());
            (ret_at as *mut u64).write(trap_return as *const () as usize as u64);
            core::ptr::write_bytes(rsp as *mut u64, 0, SAVED_REGISTERS);
        }
        self.0.store(rsp, Ordering::SeqCst);
    }
}

/// Suspend the running kernel context into `from` and resume `to`. Returns when
/// some later switch resumes `from`. Call with interrupts disabled.
pub fn switch(from: &SavedContext, to: &SavedContext) {
    // SAFETY: `to` holds the RSP of a suspended context (saved by context_switch or
    // built by new_user) whose stack is still mapped; `from` outlives the suspension
    // (its owner keeps it until this context resumes or is discarded).
    unsafe { context_switch(from.0.as_ptr(), to.0.load(Ordering::SeqCst)) }
}

/// Resume `to` for good, abandoning the running context (an exiting process).
pub fn switch_away(to: &SavedContext) -> ! {
    let mut discarded = 0u64;
    // SAFETY: as in `switch`; the saved RSP goes to a local nobody reads.
    unsafe { context_switch(&mut discarded, to.0.load(Ordering::SeqCst)) };
    unreachable!("a discarded context was resumed")
}
