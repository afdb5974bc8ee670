//! Process syscalls: identity, fork, execve, exit, wait4, kill, yield, and the
//! per-process settings std's start-up makes (arch_prctl, set_tid_address, signal
//! actions, masks and the alternate stack, which are recorded).
use alloc::string::String;
use alloc::vec::Vec;

use kabi::process::{ARCH_GET_FS, ARCH_SET_FS, WNOHANG};
use kabi::signal::{NSIG, SIG_BLOCK, SIG_SETMASK, SIG_UNBLOCK, Signal, UNBLOCKABLE_MASK};
use kabi::{Errno, SigAction, SigAltStack};

use super::{SysResult, user};
use crate::arch::trap::TrapFrame;
use crate::proc::lifecycle;
use crate::proc::scheduler::{self, with_current, with_table};

pub fn getpid() -> SysResult {
    Ok(scheduler::current_pid() as usize)
}

pub fn getppid() -> SysResult {
    Ok(with_current(|p| p.parent) as usize)
}

pub fn fork(frame: &TrapFrame) -> SysResult {
    lifecycle::fork(frame).map(|pid| pid as usize)
}

pub fn execve(path: u64, argv: u64, envp: u64, frame: &mut TrapFrame) -> SysResult {
    let path = user::read_path(path)?;
    let argv = user::read_string_array(argv)?;
    let envp = user::read_string_array(envp)?;
    let cwd = with_current(|p| p.cwd.clone());
    let file = crate::fs::root::read_executable(&cwd, &path)?;
    let image = crate::proc::exec::build(&file, &argv, &envp, &path)?;
    let cmdline: Vec<String> = argv.iter().map(|a| String::from_utf8_lossy(a).into_owned()).collect();
    lifecycle::commit_exec(image, cmdline, frame);
    Ok(0)
}

pub fn exit(code: i32) -> SysResult {
    lifecycle::exit_with_code(code as u8)
}

pub fn wait4(pid: i32, status: u64, options: i32, rusage: u64) -> SysResult {
    match lifecycle::wait(i64::from(pid), options as u32 & WNOHANG != 0)? {
        None => Ok(0),
        Some((child, wait_status)) => {
            user::copy_out_optional(status, &wait_status.to_le_bytes())?;
            user::copy_out_optional(rusage, &kabi::Rusage::default().to_bytes())?;
            Ok(child as usize)
        }
    }
}

/// kill: pid > 0 one process; -1 every process but init and the caller. Process
/// groups (0, < -1) come with job control.
pub fn kill(pid: i32, signal: i32) -> SysResult {
    let signal = match signal {
        0 => None,
        n => Some(u32::try_from(n).ok().and_then(Signal::from_raw).ok_or(Errno::EINVAL)?),
    };
    match pid {
        1.. => lifecycle::kill(pid as u32, signal)?,
        -1 => {
            let me = scheduler::current_pid();
            let targets: Vec<u32> = with_table(|t| t.procs.keys().copied().filter(|&p| p != 1 && p != me).collect());
            if targets.is_empty() {
                return Err(Errno::ESRCH);
            }
            for target in targets {
                let _ = lifecycle::kill(target, signal);
            }
        }
        _ => return Err(Errno::ESRCH),
    }
    Ok(0)
}

pub fn sched_yield() -> SysResult {
    scheduler::schedule();
    Ok(0)
}

pub fn arch_prctl(code: i32, addr: u64) -> SysResult {
    match code as u32 {
        ARCH_SET_FS => {
            if addr >= crate::layout::USER_END || !crate::arch::set_fs_base(addr) {
                return Err(Errno::EPERM);
            }
            with_current(|p| p.fs_base = addr);
            Ok(0)
        }
        ARCH_GET_FS => {
            let base = with_current(|p| p.fs_base);
            user::copy_out(addr, &base.to_le_bytes()).map(|()| 0)
        }
        _ => Err(Errno::EINVAL),
    }
}

pub fn set_tid_address(addr: u64) -> SysResult {
    with_current(|p| {
        p.clear_child_tid = addr;
        Ok(p.pid as usize)
    })
}

/// rt_sigaction: actions are recorded (and returned); SIG_IGN is honoured, and
/// handlers run once signal delivery exists (the signals issue).
pub fn rt_sigaction(signal: i32, act: u64, old: u64, sigset_size: usize) -> SysResult {
    if sigset_size != 8 || !(1..=NSIG as i32).contains(&signal) {
        return Err(Errno::EINVAL);
    }
    let index = signal as usize - 1;
    let new = if act == 0 {
        None
    } else {
        let bytes = user::copy_in(act, 32)?;
        Some(SigAction::from_bytes(bytes.as_slice().try_into().map_err(|_| Errno::EFAULT)?))
    };
    let unblockable = UNBLOCKABLE_MASK & (1 << index) != 0;
    if new.is_some() && unblockable {
        return Err(Errno::EINVAL);
    }
    let previous = with_current(|p| {
        let previous = p.signal_actions[index];
        if let Some(new) = new {
            p.signal_actions[index] = new;
        }
        previous
    });
    user::copy_out_optional(old, &previous.to_bytes())?;
    Ok(0)
}

pub fn rt_sigprocmask(how: i32, set: u64, old: u64, sigset_size: usize) -> SysResult {
    if sigset_size != 8 {
        return Err(Errno::EINVAL);
    }
    let new = if set == 0 { None } else { Some(user::read_u64(set)?) };
    let previous = with_current(|p| {
        let previous = p.signal_mask;
        if let Some(set) = new {
            p.signal_mask = match how as u32 {
                SIG_BLOCK => previous | set,
                SIG_UNBLOCK => previous & !set,
                SIG_SETMASK => set,
                _ => return Err(Errno::EINVAL),
            } & !UNBLOCKABLE_MASK;
        }
        Ok(previous)
    })?;
    user::copy_out_optional(old, &previous.to_le_bytes())?;
    Ok(0)
}

pub fn sigaltstack(new: u64, old: u64) -> SysResult {
    let new = if new == 0 {
        None
    } else {
        let bytes = user::copy_in(new, 24)?;
        Some(SigAltStack::from_bytes(bytes.as_slice().try_into().map_err(|_| Errno::EFAULT)?))
    };
    let previous = with_current(|p| {
        let previous = p.alt_stack;
        if let Some(new) = new {
            p.alt_stack = new;
        }
        previous
    });
    user::copy_out_optional(old, &previous.to_bytes())?;
    Ok(0)
}
