//! Contained calls: code the kernel cannot vouch for (the firmware's AML, run by
//! an interpreter crate with `todo!()` paths) runs on a stack of its own, and a
//! panic in it (or an overflow of that stack, through the double fault) ends
//! only that call: the panic handler jumps back to where the call started,
//! which returns the panic's text. The abandoned stack is never run again; its
//! owner must leak it, since frames on it may still be referred to.
//!
//! A contained call runs with interrupts masked (restored on the way out), so a
//! panic while it runs is its own and not an interrupt handler's. It must not
//! block. One CPU runs kernel code today; SMP will need this per CPU.
use alloc::string::String;
use core::fmt::{self, Write};
use core::panic::UnwindSafe;
use core::sync::atomic::{AtomicU64, Ordering};

core::arch::global_asm!(
    ".global contained_call, contained_escape",
    // contained_call(stack_top [rdi], entry [rsi], closure [rdx], resume [rcx]) -> 0
    // Saves the callee-saved registers and RFLAGS on the caller's stack, writes
    // that stack pointer to *resume, masks interrupts and calls entry(closure)
    // on the new stack; returns 0 when entry returns.
    "contained_call:",
    "push rbp",
    "push rbx",
    "push r12",
    "push r13",
    "push r14",
    "push r15",
    "pushfq",
    "cli",
    "mov rbx, rcx",
    "mov [rbx], rsp",
    "mov rsp, rdi",
    "mov rdi, rdx",
    "call rsi",
    "mov rsp, [rbx]",
    "xor eax, eax",
    "jmp 2f",
    // contained_escape(resume_rsp [rdi]) -> !: contained_call returns 1 there.
    "contained_escape:",
    "mov rsp, rdi",
    "mov eax, 1",
    "2:",
    "popfq",
    "pop r15",
    "pop r14",
    "pop r13",
    "pop r12",
    "pop rbx",
    "pop rbp",
    "ret",
);

unsafe extern "C" {
    fn contained_call(stack_top: u64, entry: extern "C" fn(*mut u8), closure: *mut u8, resume: *mut u64) -> u64;
    fn contained_escape(resume_rsp: u64) -> !;
}

/// The caller's stack pointer saved by the innermost contained call running
/// (0: none), where a panic goes back to.
static RESUME: AtomicU64 = AtomicU64::new(0);
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
        // alive until contained_call returns; it is taken once.
        let call = unsafe { &mut *closure.cast::<Option<C>>() };
        if let Some(call) = call.take() {
            call();
        }
    }
    /// `entry` for the closure type `call` has (which has no name to write).
    fn entry_for<C: FnOnce()>(_: &Option<C>) -> extern "C" fn(*mut u8) {
        entry::<C>
    }
    let entry = entry_for(&call);
    let previous = RESUME.load(Ordering::Relaxed);
    // SAFETY: the stack is the caller's to give and unused; contained_call
    // returns to this frame with the callee-saved registers restored, either
    // when `entry` returns or when the panic handler calls contained_escape with
    // the stack pointer it saved in RESUME, whose frames above it are intact.
    let escaped = unsafe { contained_call(stack_top, entry, (&raw mut call).cast(), RESUME.as_ptr()) };
    RESUME.store(previous, Ordering::Relaxed);
    match (escaped, result) {
        (0, Some(value)) => Ok(value),
        _ => Err(String::from(LAST_PANIC.lock().as_str())),
    }
}

/// Called first by the panic handler and the fatal-exception report: if a
/// contained call is running, keep `what` went wrong and go back to where that
/// call started (not returning); otherwise return, and the machine stops.
pub fn escape_if_contained(what: fmt::Arguments) {
    let resume = RESUME.load(Ordering::Relaxed);
    if resume == 0 {
        return;
    }
    // A panic inside the contained call cannot hold this lock: only the lines
    // below and run_on_stack's return take it.
    if let Some(mut text) = LAST_PANIC.try_lock() {
        *text = PanicText::new();
        let _ = text.write_fmt(what);
    }
    // SAFETY: `resume` is the stack pointer contained_call saved on the caller's
    // stack, which has not been popped: the contained call has not returned.
    unsafe { contained_escape(resume) }
}
