//! ktest-sigabi: signal details programs rely on, as Linux gives them: `int3`
//! in user mode is SIGTRAP (not SIGSEGV); a handler starts with a clean SSE
//! state (MXCSR 0x1f80) and the interrupted code gets its own MXCSR back; and
//! SIGCHLD's siginfo carries the child's exit code (CLD_EXITED) or the signal
//! that killed it (CLD_KILLED) in si_status, not the raw wait status.
//!
//! Usage: `ktest-sigabi`.
use std::arch::asm;
use std::ffi::{c_int, c_void};
use std::process::ExitCode;
use std::sync::atomic::{AtomicI32, AtomicU32, Ordering};

use ktest::{Action, Outcome, Signals, expect_eq, expect_signal, fork_and_wait, set_action, spawn, wait_for};

const NAME: &str = "sigabi";
/// MXCSR with every exception masked and rounding toward zero.
const ROUND_TOWARD_ZERO: u32 = 0x7f80;
const DEFAULT_MXCSR: u32 = 0x1f80;

static HANDLER_MXCSR: AtomicU32 = AtomicU32::new(0);
static CHILD_CODE: AtomicI32 = AtomicI32::new(0);
static CHILD_STATUS: AtomicI32 = AtomicI32::new(0);

fn mxcsr() -> u32 {
    let mut value = 0u32;
    // SAFETY: stmxcsr stores the 4-byte register into `value`.
    unsafe { asm!("stmxcsr [{}]", in(reg) &mut value, options(nostack)) };
    value
}

fn set_mxcsr(value: u32) {
    // SAFETY: ldmxcsr loads a valid MXCSR (no reserved bits set).
    unsafe { asm!("ldmxcsr [{}]", in(reg) &value, options(nostack)) };
}

extern "C" fn record_mxcsr(_: c_int) {
    HANDLER_MXCSR.store(mxcsr(), Ordering::SeqCst);
}

extern "C" fn record_child(_: c_int, info: *mut libc::siginfo_t, _: *mut c_void) {
    // SAFETY: the kernel passes a valid siginfo for SIGCHLD.
    unsafe {
        CHILD_CODE.store((*info).si_code, Ordering::SeqCst);
        CHILD_STATUS.store((*info).si_status(), Ordering::SeqCst);
    }
}

fn int3_is_sigtrap() -> Outcome {
    let status = fork_and_wait(|| {
        // SAFETY: a breakpoint trap; SIGTRAP's default action ends this child.
        unsafe { asm!("int3") };
        0
    })?;
    expect_signal(status, libc::SIGTRAP)?;
    println!("int3 in user mode: SIGTRAP");
    Ok(())
}

fn handler_mxcsr() -> Outcome {
    set_action(libc::SIGUSR1, Action::Handle(record_mxcsr), 0, Signals::of(&[])).map_err(|e| e.to_string())?;
    set_mxcsr(ROUND_TOWARD_ZERO);
    // SAFETY: raising a signal this process handles.
    unsafe { libc::raise(libc::SIGUSR1) };
    let after = mxcsr();
    set_mxcsr(DEFAULT_MXCSR);
    expect_eq("MXCSR in a handler", HANDLER_MXCSR.load(Ordering::SeqCst), DEFAULT_MXCSR)?;
    expect_eq("MXCSR after the handler returned", after, ROUND_TOWARD_ZERO)
}

fn sigchld_status() -> Outcome {
    set_action(libc::SIGCHLD, Action::HandleInfo(record_child), libc::SA_RESTART, Signals::of(&[]))
        .map_err(|e| e.to_string())?;
    let exited = spawn(|| 7)?;
    wait_for(exited)?;
    expect_eq(
        "SIGCHLD of exit(7): (si_code, si_status)",
        (CHILD_CODE.load(Ordering::SeqCst), CHILD_STATUS.load(Ordering::SeqCst)),
        (libc::CLD_EXITED, 7),
    )?;
    let killed = spawn(|| {
        // SAFETY: the child waits to be killed.
        unsafe { libc::pause() };
        0
    })?;
    // SAFETY: kills this process's own child.
    unsafe { libc::kill(killed, libc::SIGKILL) };
    wait_for(killed)?;
    expect_eq(
        "SIGCHLD of SIGKILL: (si_code, si_status)",
        (CHILD_CODE.load(Ordering::SeqCst), CHILD_STATUS.load(Ordering::SeqCst)),
        (libc::CLD_KILLED, libc::SIGKILL),
    )
}

fn main() -> ExitCode {
    ktest::run(NAME, || {
        int3_is_sigtrap()?;
        handler_mxcsr()?;
        sigchld_status()
    })
}
