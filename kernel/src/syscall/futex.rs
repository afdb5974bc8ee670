//! futex(2), set_robust_list(2) and get_robust_list(2): arguments decoded (the
//! `futex` crate's command and FUTEX_WAKE_OP decoding), timeouts turned into
//! uptime deadlines, the work done by proc/futex.rs.
use futex::{Command, FUTEX_BITSET_MATCH_ANY, Invalid, ROBUST_LIST_HEAD_LEN, WakeOp, requeue_limits, wake_limit};
use kabi::Errno;

use super::{SysResult, user};
use crate::proc::table::{read_current, with_current, with_table};
use crate::time;

/// The uptime millisecond a futex wait times out at: `timeout` is relative
/// (FUTEX_WAIT) or absolute on CLOCK_MONOTONIC or, with FUTEX_CLOCK_REALTIME,
/// CLOCK_REALTIME (FUTEX_WAIT_BITSET). NULL waits for ever.
fn deadline_ms(timeout: u64, absolute: bool, realtime: bool) -> Result<Option<u64>, Errno> {
    if timeout == 0 {
        return Ok(None);
    }
    let ts = kabi::Timespec::from_bytes(&user::read_array(timeout)?);
    if ts.tv_sec < 0 || !(0..1_000_000_000).contains(&ts.tv_nsec) {
        return Err(Errno::EINVAL);
    }
    let ns = (ts.tv_sec as u64).saturating_mul(1_000_000_000).saturating_add(ts.tv_nsec as u64);
    let wait_ns = match (absolute, realtime) {
        (false, _) => ns,
        (true, false) => ns.saturating_sub(time::uptime_ns()),
        (true, true) => ns.saturating_sub(time::realtime_ns()),
    };
    Ok(Some(time::uptime_ns().saturating_add(wait_ns).div_ceil(1_000_000)))
}

/// Unknown and unsupported operations are ENOSYS, as Linux gives for them (and
/// for FUTEX_CLOCK_REALTIME with an operation that takes no absolute time).
fn invalid(_: Invalid) -> Errno {
    Errno::ENOSYS
}

pub fn futex(uaddr: u64, op: u32, val: u32, timeout: u64, uaddr2: u64, val3: u32) -> SysResult {
    let (command, flags) = Command::decode(op).map_err(invalid)?;
    // FUTEX_REQUEUE and friends take a count where the others take a timeout.
    let val2 = timeout as u32;
    match command {
        Command::Wait => {
            let deadline = deadline_ms(timeout, false, false)?;
            crate::proc::futex::wait(uaddr, val, FUTEX_BITSET_MATCH_ANY, deadline, flags.private).map(|()| 0)
        }
        Command::WaitBitset => {
            let deadline = deadline_ms(timeout, true, flags.clock_realtime)?;
            crate::proc::futex::wait(uaddr, val, val3, deadline, flags.private).map(|()| 0)
        }
        // Counts are C ints, as Linux reads them.
        Command::Wake => crate::proc::futex::wake(uaddr, wake_limit(val), FUTEX_BITSET_MATCH_ANY, flags.private),
        Command::WakeBitset => crate::proc::futex::wake(uaddr, wake_limit(val), val3, flags.private),
        Command::Requeue | Command::CmpRequeue => {
            let (wake, requeue) = requeue_limits(val, val2).ok_or(Errno::EINVAL)?;
            let expected = (command == Command::CmpRequeue).then_some(val3);
            crate::proc::futex::requeue(uaddr, wake, uaddr2, requeue, expected, flags.private)
        }
        Command::WakeOp => {
            let op = WakeOp::decode(val3).map_err(invalid)?;
            crate::proc::futex::wake_op(uaddr, wake_limit(val), uaddr2, wake_limit(val2), op, flags.private)
        }
    }
}

/// set_robust_list: the head of the calling thread's robust futex list (its
/// length must be that of struct robust_list_head).
pub fn set_robust_list(head: u64, len: usize) -> SysResult {
    if len != ROBUST_LIST_HEAD_LEN {
        return Err(Errno::EINVAL);
    }
    with_current(|p| p.robust_list = head);
    Ok(0)
}

/// get_robust_list: a thread's robust list head (0: the caller's) and its length.
pub fn get_robust_list(tid: i32, head: u64, len: u64) -> SysResult {
    let found = match tid {
        0 => Some(read_current(|p| p.robust_list)),
        t if t > 0 => with_table(|table| table.procs.get(&(t as u32)).filter(|p| p.is_live()).map(|p| p.robust_list)),
        _ => None,
    };
    let list = found.ok_or(Errno::ESRCH)?;
    user::copy_out(head, &list.to_le_bytes())?;
    user::copy_out(len, &(ROBUST_LIST_HEAD_LEN as u64).to_le_bytes()).map(|()| 0)
}
