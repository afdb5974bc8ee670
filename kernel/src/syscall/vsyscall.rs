//! The legacy vsyscall page, emulated as Linux's default mode (vsyscall=xonly,
//! the default since Linux 5.3) emulates it: the page at
//! 0xffffffffff600000 is never mapped, and a call to one of its three entry
//! points (gettimeofday at +0, time at +0x400, getcpu at +0x800) faults on the
//! instruction fetch; the fault runs the system call and returns to the caller
//! (the return address popped into RIP, the result in RAX). Reading the page,
//! writing it, or calling elsewhere in it is SIGSEGV (Linux's older
//! vsyscall=emulate, a command-line choice only since 5.19, let the page be
//! read).
use kabi::Errno;
use kabi::signal::Signal;

use super::{SysResult, process, time, user};
use crate::arch::trap::TrapFrame;
use crate::layout::VSYSCALL_PAGE;
use crate::proc::signal;
use crate::proc::table::{current_pid, with_current};

/// The page-fault error code's write bit.
const PF_WRITE: u64 = 1 << 1;
/// si_code of a signal the kernel sends (no fault address).
const SI_KERNEL: i32 = 0x80;

/// Handle a user page fault at `address` if it is a call into the vsyscall page;
/// false if it is not (the fault is an ordinary one). A bad call, one with a
/// stack or a pointer that cannot be used, gets SIGSEGV, as on Linux.
pub fn emulate(frame: &mut TrapFrame, address: u64) -> bool {
    if address & !0xfff != VSYSCALL_PAGE || address != frame.rip || frame.error_code & PF_WRITE != 0 {
        return false;
    }
    let call: fn(&TrapFrame) -> SysResult = match address & 0xfff {
        0x000 => |f| time::gettimeofday(f.rdi, f.rsi),
        0x400 => |f| time::time(f.rdi),
        0x800 => |f| process::getcpu(f.rdi, f.rsi),
        _ => return refuse(frame, "misaligned vsyscall"),
    };
    let Ok(caller) = user::read_u64(frame.rsp) else { return refuse(frame, "vsyscall with a bad stack") };
    match call(frame) {
        Err(Errno::EFAULT) => refuse(frame, "vsyscall with a bad pointer"),
        result => {
            frame.rax = kabi::to_syscall_return(result) as u64;
            frame.rip = caller;
            frame.rsp += 8;
            true
        }
    }
}

/// A call into the page that cannot be emulated: SIGSEGV (SI_KERNEL).
fn refuse(frame: &TrapFrame, why: &str) -> bool {
    let (pid, rip, rsp) = (current_pid(), frame.rip, frame.rsp);
    log::warn!("pid {pid}: {why} at rip {rip:#x}, rsp {rsp:#x}: SIGSEGV");
    with_current(|p| signal::force(p, Signal::SIGSEGV, signal::kernel_info(Signal::SIGSEGV, SI_KERNEL, 0)));
    true
}
