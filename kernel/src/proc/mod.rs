//! Processes: the table and scheduler, wait queues, fork/exec/exit/wait, user
//! memory, and what happens on every return to user mode (pending fatal signals,
//! preemption) and on a fault in user mode.
pub mod exec;
pub mod lifecycle;
pub mod memory;
pub mod process;
pub mod scheduler;
pub mod sleep;
pub mod wait_queue;

use kabi::signal::Signal;

use crate::arch::trap::TrapFrame;

/// Last stop before user mode (after a syscall or a trap from user mode): end the
/// process if a fatal signal is pending, give up the CPU if its slice is over.
pub fn on_return_to_user(_frame: &mut TrapFrame) {
    if scheduler::need_resched() {
        scheduler::schedule();
    }
    if let Some(signal) = scheduler::with_current(|p| p.pending_fatal) {
        lifecycle::exit_by_signal(signal);
    }
}

/// The Linux signal for a CPU exception in user mode.
fn signal_for(vector: u64) -> Signal {
    match vector {
        0 | 16 | 19 => Signal::SIGFPE,
        1 | 3 => Signal::SIGTRAP,
        6 => Signal::SIGILL,
        12 | 17 => Signal::SIGBUS,
        _ => Signal::SIGSEGV,
    }
}

/// A CPU exception in user mode: serve a stack-growth page fault, otherwise kill
/// the process with the matching signal and one log line.
pub fn user_fault(frame: &mut TrapFrame, fault_address: Option<u64>) {
    if let Some(addr) = fault_address {
        let served = scheduler::with_current(|p| p.space.as_mut().is_some_and(|s| memory::handle_fault(s, addr)));
        if served {
            return;
        }
    }
    let signal = signal_for(frame.vector);
    let (pid, name) = scheduler::with_current(|p| (p.pid, alloc::string::String::from(p.name())));
    let name_of = signal.name();
    match fault_address {
        Some(addr) => log::warn!(
            "pid {pid} ({name}): {name_of} at rip {:#x}, address {addr:#x} (error {:#x})",
            frame.rip,
            frame.error_code
        ),
        None => log::warn!("pid {pid} ({name}): {name_of} at rip {:#x} (vector {})", frame.rip, frame.vector),
    }
    lifecycle::exit_by_signal(signal);
}
