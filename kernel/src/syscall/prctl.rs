//! prctl(2): the options programs and C libraries use, as Linux has them: the
//! thread's name, the parent-death signal, the dumpable flag, keep-caps, the
//! timer slack, the child-subreaper flag, no-new-privileges, the seccomp mode
//! (always off), the capability bounding set (everything, as root has) and the
//! clear-child-tid address. Unknown options are EINVAL, as on Linux.
use alloc::string::String;

use kabi::Errno;

use super::{SysResult, user};
use crate::proc::process::DEFAULT_TIMER_SLACK;
use crate::proc::table::with_current;

const PR_SET_PDEATHSIG: i32 = 1;
const PR_GET_PDEATHSIG: i32 = 2;
const PR_GET_DUMPABLE: i32 = 3;
const PR_SET_DUMPABLE: i32 = 4;
const PR_GET_KEEPCAPS: i32 = 7;
const PR_SET_KEEPCAPS: i32 = 8;
const PR_SET_NAME: i32 = 15;
const PR_GET_NAME: i32 = 16;
const PR_GET_SECCOMP: i32 = 21;
const PR_CAPBSET_READ: i32 = 23;
const PR_SET_TIMERSLACK: i32 = 29;
const PR_GET_TIMERSLACK: i32 = 30;
const PR_SET_CHILD_SUBREAPER: i32 = 36;
const PR_GET_CHILD_SUBREAPER: i32 = 37;
const PR_SET_NO_NEW_PRIVS: i32 = 38;
const PR_GET_NO_NEW_PRIVS: i32 = 39;
const PR_GET_TID_ADDRESS: i32 = 40;
/// Bytes of a task name with its NUL (Linux's TASK_COMM_LEN).
const TASK_COMM_LEN: usize = 16;
/// The highest capability number Linux knows (CAP_LAST_CAP, CAP_CHECKPOINT_RESTORE).
const CAP_LAST_CAP: u64 = 40;

/// An int result written to the user's `addr` (the PR_GET_* options that answer
/// through a pointer).
fn put_int(addr: u64, value: i32) -> SysResult {
    user::copy_out(addr, &value.to_le_bytes()).map(|()| 0)
}

/// `arg` as a 0/1 flag (EINVAL otherwise).
fn flag(arg: u64) -> Result<bool, Errno> {
    match arg {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(Errno::EINVAL),
    }
}

pub fn prctl(option: i32, arg2: u64, arg3: u64, arg4: u64, arg5: u64) -> SysResult {
    match option {
        PR_SET_NAME => {
            let mut name = alloc::vec::Vec::new();
            for at in 0..TASK_COMM_LEN as u64 - 1 {
                let byte = user::read_array::<1>(arg2.checked_add(at).ok_or(Errno::EFAULT)?)?[0];
                if byte == 0 {
                    break;
                }
                name.push(byte);
            }
            with_current(|p| p.thread_name = Some(String::from_utf8_lossy(&name).into_owned()));
            Ok(0)
        }
        PR_GET_NAME => {
            let mut out = [0u8; TASK_COMM_LEN];
            let name = with_current(|p| String::from(p.name()));
            let n = name.len().min(TASK_COMM_LEN - 1);
            out[..n].copy_from_slice(&name.as_bytes()[..n]);
            user::copy_out(arg2, &out).map(|()| 0)
        }
        PR_SET_PDEATHSIG => {
            let signal = u32::try_from(arg2).ok().filter(|&s| s <= 64).ok_or(Errno::EINVAL)?;
            with_current(|p| p.pdeath_signal = signal);
            Ok(0)
        }
        PR_GET_PDEATHSIG => put_int(arg2, with_current(|p| p.pdeath_signal) as i32),
        PR_GET_DUMPABLE => Ok(usize::from(with_current(|p| !p.group().undumpable))),
        PR_SET_DUMPABLE => {
            let dumpable = flag(arg2)?;
            with_current(|p| p.group().undumpable = !dumpable);
            Ok(0)
        }
        PR_GET_KEEPCAPS => Ok(usize::from(with_current(|p| p.keep_caps))),
        PR_SET_KEEPCAPS => {
            let keep = flag(arg2)?;
            with_current(|p| p.keep_caps = keep);
            Ok(0)
        }
        PR_GET_SECCOMP => Ok(0),
        PR_CAPBSET_READ if arg2 <= CAP_LAST_CAP => Ok(1),
        PR_SET_TIMERSLACK => {
            with_current(|p| p.timer_slack = if arg2 == 0 { DEFAULT_TIMER_SLACK } else { arg2 });
            Ok(0)
        }
        PR_GET_TIMERSLACK => Ok(with_current(|p| p.timer_slack) as usize),
        PR_SET_CHILD_SUBREAPER => {
            with_current(|p| p.group().child_subreaper = arg2 != 0);
            Ok(0)
        }
        PR_GET_CHILD_SUBREAPER => put_int(arg2, i32::from(with_current(|p| p.group().child_subreaper))),
        // Linux: only 1 may be set, the other arguments 0, and it cannot be undone.
        PR_SET_NO_NEW_PRIVS if arg2 == 1 && arg3 == 0 && arg4 == 0 && arg5 == 0 => {
            with_current(|p| p.no_new_privs = true);
            Ok(0)
        }
        PR_GET_NO_NEW_PRIVS if arg2 == 0 && arg3 == 0 && arg4 == 0 && arg5 == 0 => {
            Ok(usize::from(with_current(|p| p.no_new_privs)))
        }
        PR_GET_TID_ADDRESS => {
            let address = with_current(|p| p.clear_child_tid);
            user::copy_out(arg2, &address.to_le_bytes()).map(|()| 0)
        }
        _ => Err(Errno::EINVAL),
    }
}
