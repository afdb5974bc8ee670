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
    // A context made by prepare_call starts here: r13(r12), then back to the
    // context r14 points to.
    ".global context_call_start",
    "context_call_start:",
    "mov rdi, r12",
    "call r13",
    "mov rdi, r14",
    "call {finished}",
    "ud2",
    ".text",
    finished = sym call_finished,
);

unsafe extern "C" {
    fn context_switch(save: *mut u64, next_rsp: u64);
    fn context_call_start();
    fn trap_return();
}

/// Where a context made by `prepare_call` goes when its function returns.
extern "C" fn call_finished(caller: *const SavedContext) -> ! {
    // SAFETY: `caller` is the context prepare_call was given, which its owner
    // keeps until this context is resumed for the last time (this switch).
    switch_away(unsafe { &*caller })
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

    /// Make this a context that runs `entry(arg)` on the kernel stack whose top
    /// is `stack_top` (16-byte aligned, unused), then resumes `caller` for good.
    /// `caller` must outlive this context's run.
    pub fn prepare_call(&self, stack_top: u64, entry: extern "C" fn(*mut u8), arg: *mut u8, caller: &SavedContext) {
        let ret_at = stack_top - 8;
        let rsp = ret_at - (SAVED_REGISTERS * 8) as u64;
        // The suspended stack's order: r15 r14 r13 r12 rbx rbp, return address.
        let registers = [0, caller as *const SavedContext as u64, entry as usize as u64, arg as u64, 0, 0];
        // SAFETY: the stack is the caller's to give and unused; the writes stay
        // between rsp and stack_top.
        unsafe {
            (ret_at as *mut u64).write(context_call_start as *const () as usize as u64);
            (rsp as *mut [u64; SAVED_REGISTERS]).write(registers);
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
