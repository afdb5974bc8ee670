//! Processes: the process table, fork/exec/exit/wait, signals, futexes, user
//! memory, and what happens on every return to user mode (pending fatal signals,
//! preemption) and on a fault in user mode.
pub mod alarm;
pub mod exec;
pub mod futex;
pub mod group;
pub mod info;
pub mod lifecycle;
pub mod limits;
pub mod memory;
pub mod oom;
mod pending;
pub mod process;
pub mod signal;
pub mod table;
pub mod usage;

use kabi::signal::Signal;

use crate::arch::trap::TrapFrame;
use crate::mm::address_space::Fault;
use crate::task::scheduler as task;

use table::{current_pid, with_current};

/// Last stop before user mode (after a syscall or a trap from user mode): give up
/// the CPU if the time slice is over, then act on pending signals: terminate,
/// stop until SIGCONT, or enter a handler. `restart` is the number of a syscall
/// that was interrupted (returned EINTR): it runs again unless a handler without
/// SA_RESTART ran.
///
/// The registers must then hold a canonical RIP and RSP, or `iretq` would fault
/// in the kernel: a handler, restorer or rt_sigreturn frame that put a
/// non-canonical address there gets SIGSEGV instead (as Linux's bad-iret path),
/// with the default action if SIGSEGV's own handler is such an address.
pub fn on_return_to_user(frame: &mut TrapFrame, restart: Option<signal::Restart>) {
    // Nearly every return has nothing to do: that check stays small.
    let nothing_to_do = !task::need_resched() && !task::current_signal_pending() && restart.is_none();
    if nothing_to_do && is_canonical(frame.rip) && is_canonical(frame.rsp) {
        return;
    }
    prepare_return(frame, restart);
}

/// The work of [`on_return_to_user`] when there is some.
#[inline(never)]
fn prepare_return(frame: &mut TrapFrame, mut restart: Option<signal::Restart>) {
    if task::need_resched() {
        task::schedule();
    }
    let mut bad_returns = 0;
    loop {
        let disposition = if task::current_signal_pending() {
            with_current(|p| signal::deliver_one(p, frame, restart))
        } else {
            signal::Disposition::None
        };
        match disposition {
            signal::Disposition::None => {
                if let Some(r) = restart {
                    signal::rewind_syscall(frame, r.nr);
                }
            }
            signal::Disposition::Handled(signal_frame) => {
                if signal_frame.enter(frame).is_err() {
                    lifecycle::exit_by_signal(Signal::SIGSEGV); // no room for the frame
                }
            }
            signal::Disposition::Terminate(sig) => lifecycle::exit_by_signal(sig),
            signal::Disposition::Stop(sig) => {
                lifecycle::stop_current(sig);
                continue;
            }
        }
        if is_canonical(frame.rip) && is_canonical(frame.rsp) {
            return;
        }
        restart = None;
        bad_returns += 1;
        let (pid, rip, rsp) = (current_pid(), frame.rip, frame.rsp);
        log::warn!("pid {pid}: return to user mode with rip {rip:#x}, rsp {rsp:#x} (not canonical): SIGSEGV");
        with_current(|p| {
            if bad_returns > 1 {
                p.signals.set_action(Signal::SIGSEGV, kabi::SigAction::default());
            }
            signal::force(p, Signal::SIGSEGV, signal::kernel_info(Signal::SIGSEGV, 0x80, 0));
        });
    }
}

/// Whether `addr` is canonical (bits 48..64 copies of bit 47).
fn is_canonical(addr: u64) -> bool {
    matches!((addr as i64) >> 47, 0 | -1)
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

/// Page-fault error code bits: a write, an instruction fetch.
const PF_WRITE: u64 = 1 << 1;
const PF_INSTRUCTION: u64 = 1 << 4;

/// A kernel copy to or from the caller's memory (arch's user_copy.rs) found the
/// page at `addr` not mapped in (`error_code`: the page fault's): map it as a
/// user access would (first touch, a file's page), true if so and the copy goes
/// on. False stops the copy short
/// (EFAULT), with no signal: the address is not the program's to reach, or no
/// frame is free after the OOM policy ran (which then kills the caller, or
/// another process, in which case the copy is retried).
pub fn copy_fault(addr: u64, error_code: u64) -> bool {
    let Some(memory) = table::current_memory() else { return false };
    let served = memory.lock().space.fault_in(addr, error_code & PF_WRITE != 0, false);
    match served {
        Ok(_) => true,
        Err(Fault::OutOfMemory) => match oom::kill_largest() {
            Some(victim) if victim != current_pid() => {
                task::schedule();
                true
            }
            _ => false,
        },
        Err(Fault::NoAccess | Fault::PastEnd) => false,
    }
}

/// A CPU exception in user mode: map a page its region allows (first touch, or
/// a copy of a borrowed page written), otherwise force the matching signal (a
/// handler may catch it; by default it kills the process) with one log line:
/// SIGBUS for a file mapping past the end of its file, as Linux. With no frame
/// free, the OOM policy kills the largest process; the faulting one retries if
/// it was not that one.
pub fn user_fault(frame: &mut TrapFrame, fault_address: Option<u64>) {
    // si_code 1 (SEGV_MAPERR and the like), or BUS_ADRERR past a file's end.
    let (mut signal, mut code) = (signal_for(frame.vector), 1);
    if let Some(addr) = fault_address {
        let (write, execute) = (frame.error_code & PF_WRITE != 0, frame.error_code & PF_INSTRUCTION != 0);
        let served = match table::current_memory() {
            Some(memory) => memory.lock().space.fault_in(addr, write, execute).map(|_| ()),
            None => Err(Fault::NoAccess),
        };
        match served {
            Ok(()) => return,
            Err(Fault::OutOfMemory) => {
                match oom::kill_largest() {
                    Some(victim) if victim != current_pid() => task::schedule(),
                    Some(_) => {} // our own SIGKILL is acted on before user mode
                    None => lifecycle::exit_by_signal(Signal::SIGKILL),
                }
                return; // the access is retried
            }
            Err(Fault::PastEnd) => (signal, code) = (Signal::SIGBUS, 2),
            Err(Fault::NoAccess) => {}
        }
    }
    let info = signal::kernel_info(signal, code, fault_address.unwrap_or(frame.rip));
    let (pid, name, handled) = with_current(|p| {
        signal::force(p, signal, info);
        let handled = p.signals.action(signal).sa_handler != kabi::signal::SIG_DFL;
        (p.pid, alloc::string::String::from(p.name()), handled)
    });
    if handled {
        return; // the program's handler deals with it
    }
    let name_of = signal.name();
    match fault_address {
        Some(addr) => log::warn!(
            "pid {pid} ({name}): {name_of} at rip {:#x}, address {addr:#x} (error {:#x})",
            frame.rip,
            frame.error_code
        ),
        None => log::warn!("pid {pid} ({name}): {name_of} at rip {:#x} (vector {})", frame.rip, frame.vector),
    }
}
