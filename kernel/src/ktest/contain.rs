//! The `contain` test: contained calls (mm's kstack::run_contained) return
//! what the call returned; a panic, a nested one, and a kernel stack overflow
//! in them end only that call, with the panic's text; the interrupt flag comes
//! back as it was.
use alloc::format;
use alloc::string::String;

use crate::arch::{cpu, selftest};
use crate::mm::kstack::{ContainedPanic, run_contained};

/// The text of a contained call that must have panicked.
fn panic_text<R: core::fmt::Debug>(outcome: Result<R, ContainedPanic>) -> Result<String, String> {
    match outcome {
        Err(ContainedPanic::Panicked(text)) => Ok(text),
        other => Err(format!("expected a contained panic, got {other:?}")),
    }
}

pub fn run() -> Result<(), String> {
    let interrupts = cpu::interrupts_enabled();
    let answer = run_contained(|| 6 * 7).map_err(|e| format!("a plain call did not return: {e}"))?;
    if answer != 42 {
        return Err(format!("a plain call returned {answer}"));
    }
    let text = panic_text(run_contained(|| -> u32 { panic!("contained test panic {}", 7) }))?;
    if !text.starts_with("contained test panic 7 (at kernel/src/ktest/contain.rs:") {
        return Err(format!("the panic's text is {text:?}"));
    }
    let inner = run_contained(|| panic_text(run_contained(|| -> u32 { panic!("inner") })))
        .map_err(|e| format!("the outer call ended with the inner one: {e}"))??;
    if !inner.starts_with("inner (at ") {
        return Err(format!("the inner panic's text is {inner:?}"));
    }
    let overflow = panic_text(run_contained(|| selftest::overflow_stack(0)))?;
    if !overflow.starts_with("double fault in kernel mode at ") {
        return Err(format!("the overflow's text is {overflow:?}"));
    }
    if cpu::interrupts_enabled() != interrupts {
        return Err("the interrupt flag changed".into());
    }
    log::info!("contained: 42; {text}; {inner}; {overflow}");
    Ok(())
}
