//! Contained calls: code the kernel cannot vouch for (the firmware's AML, run
//! by an interpreter crate that panics on what it lacks) runs on a stack of its
//! own, and a panic in it (or an overflow of that stack, through the double
//! fault) ends only that call: the panic handler switches back to the caller's
//! context (context.rs), where the call returns the panic's text. The abandoned
//! stack is never run again; its owner must leak it, since frames on it may
//! still be referred to.
//!
//! A contained call runs with interrupts masked (restored on the way out), so a
//! panic while it runs is its own and not an interrupt handler's. It must not
//! block. One CPU runs kernel code today; SMP will need this per CPU.
use alloc::string::String;
use core::fmt::{self, Write};
use core::panic::UnwindSafe;
use core::sync::atomic::{AtomicPtr, Ordering};

use super::context::{self, SavedContext};
use super::cpu;

/// The caller's context of the innermost contained call running (null: none),
/// where a panic goes back to.
static RESUME: AtomicPtr<SavedContext> = AtomicPtr::new(core::ptr::null_mut());
/// The text of the panic that ended the innermost contained call.
static LAST_PANIC: spin::Mutex<PanicText> = spin::Mutex::new(PanicText::new());

/// A panic's message and location, cut to a fixed size (the panic handler
/// cannot count on the heap).
struct PanicText {
    bytes: [u8; 240],
    len: usize,
}

impl PanicText {
    const fn new() -> Self {
        Self { bytes: [0; 240], len: 0 }
    }

    fn as_str(&self) -> &str {
        // Only whole characters are ever written.
        core::str::from_utf8(&self.bytes[..self.len]).unwrap_or("?")
    }
}

impl Write for PanicText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for c in s.chars() {
            let mut utf8 = [0; 4];
            let encoded = c.encode_utf8(&mut utf8).as_bytes();
            let Some(room) = self.bytes.get_mut(self.len..self.len + encoded.len()) else {
                return Err(fmt::Error);
            };
            room.copy_from_slice(encoded);
            self.len += encoded.len();
        }
        Ok(())
    }
}

/// Run `f` on the stack whose top is `stack_top` (16-byte aligned, mapped, not
/// used by anything else), contained: `Err` with the panic's text if `f`
/// panicked. After an `Err` the stack must never be reused or unmapped.
pub fn run_on_stack<R>(stack_top: u64, f: impl FnOnce() -> R + UnwindSafe) -> Result<R, String> {
    assert!(stack_top.is_multiple_of(16), "contained stack top {stack_top:#x} is not 16-byte aligned");
    let mut result: Option<R> = None;
    let mut call = Some(|| result = Some(f()));
    extern "C" fn entry<C: FnOnce()>(closure: *mut u8) {
        // SAFETY: `closure` is the `Option<C>` of the run_on_stack frame below,
        // alive until the call's context switches back; it is taken once.
        let call = unsafe { &mut *closure.cast::<Option<C>>() };
        if let Some(call) = call.take() {
            call();
        }
    }
    /// `entry` for the closure type `call` has (which has no name to write).
    fn entry_for<C: FnOnce()>(_: &Option<C>) -> extern "C" fn(*mut u8) {
        entry::<C>
    }
    let (caller, callee) = (SavedContext::new(), SavedContext::new());
    callee.prepare_call(stack_top, entry_for(&call), (&raw mut call).cast(), &caller);
    cpu::without_interrupts(|| {
        let previous = RESUME.swap((&raw const caller).cast_mut(), Ordering::Relaxed);
        // Back here when `entry` returns, or when a panic escapes to `caller`.
        context::switch(&caller, &callee);
        RESUME.store(previous, Ordering::Relaxed);
    });
    result.ok_or_else(|| String::from(LAST_PANIC.lock().as_str()))
}

/// Called first by the panic handler and the fatal-exception report: if a
/// contained call is running, keep `what` went wrong and go back to where that
/// call started (not returning); otherwise return, and the machine stops.
pub fn escape_if_contained(what: fmt::Arguments) {
    let resume = RESUME.load(Ordering::Relaxed);
    if resume.is_null() {
        return;
    }
    // A panic inside the contained call cannot hold this lock: only the lines
    // below and run_on_stack's return take it.
    if let Some(mut text) = LAST_PANIC.try_lock() {
        *text = PanicText::new();
        let _ = text.write_fmt(what);
    }
    // SAFETY: `resume` is the caller's context of the contained call running,
    // a local of run_on_stack's frame, which is waiting in context::switch.
    context::switch_away(unsafe { &*resume })
}
