//! ktest-fault: CPU exceptions in user mode kill only the faulting process, with
//! Linux's signal in its wait status: a store to the null page (SIGSEGV), `ud2`
//! (SIGILL) and `div` by zero (SIGFPE), each in a forked child.
use std::arch::asm;
use std::ffi::c_int;
use std::process::ExitCode;

use ktest::{Outcome, expect_signal, fork_and_wait, signal_description, store_byte};

/// What a child does, what it should die of, and a name for the log.
struct Fault {
    what: &'static str,
    signal: c_int,
    cause: fn(),
}

fn null_store() {
    // SAFETY: nothing is mapped at address 0: the store faults, which is the point.
    unsafe { store_byte(0) };
}

fn undefined_instruction() {
    // SAFETY: ud2 raises #UD and changes no state; the process dies by SIGILL.
    unsafe { asm!("ud2", options(nomem, nostack)) };
}

fn divide_by_zero() {
    // SAFETY: `div` by zero raises #DE before writing rax or rdx (both declared
    // clobbered); the process dies by SIGFPE.
    unsafe {
        asm!(
            "div {divisor}",
            divisor = in(reg) 0u64,
            inout("rax") 1u64 => _,
            inout("rdx") 0u64 => _,
            options(nomem, nostack),
        );
    }
}

const FAULTS: [Fault; 3] = [
    Fault { what: "store to the null page", signal: libc::SIGSEGV, cause: null_store },
    Fault { what: "ud2", signal: libc::SIGILL, cause: undefined_instruction },
    Fault { what: "divide by zero", signal: libc::SIGFPE, cause: divide_by_zero },
];

fn faults() -> Outcome {
    for fault in FAULTS {
        let status = fork_and_wait(|| {
            (fault.cause)();
            0
        })?;
        expect_signal(status, fault.signal).map_err(|reason| format!("{}: {reason}", fault.what))?;
        println!("{}: child killed by signal {} ({})", fault.what, fault.signal, signal_description(fault.signal));
    }
    Ok(())
}

fn main() -> ExitCode {
    ktest::run("fault", faults)
}
