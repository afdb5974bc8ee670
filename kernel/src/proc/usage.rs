//! CPU time of a thread, of its thread group and of the group's reaped children,
//! for getrusage, times and the CPU-time clocks; and where a task's time goes
//! when it leaves the table, as Linux keeps it in signal_struct: an ended
//! thread's to its group (held by the leader, or by the thread that takes the
//! leader's place in execve), a reaped process's to its parent's children.
use kabi::Errno;
use kabi::time::{CpuClock, CpuClockKind};
use timekeeping::{Sample, Split};

use super::process::{Pid, Process, State};
use super::scheduler::{Table, with_table};
use crate::time::TICK_NSEC;

/// Whose time: getrusage's RUSAGE_THREAD, RUSAGE_SELF and RUSAGE_CHILDREN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Thread,
    Process,
    Children,
}

/// The caller's user and system time (its thread's, its process's, or its
/// reaped children's).
pub fn times(who: Who) -> Split {
    with_table(|t| {
        let me = t.current().expect("a process asks");
        let tgid = t.procs.get(&me).expect("current process").tgid;
        match who {
            Who::Thread => t.procs.get_mut(&me).expect("current process").cpu.split(true),
            Who::Process => group_split(t, tgid),
            Who::Children => t.procs.get(&tgid).map(|leader| leader.cpu.group.children).unwrap_or_default(),
        }
    })
}

/// What the tasks of group `tgid` still in the table used, and its ended threads.
fn group_sample(t: &Table, tgid: Pid) -> Sample {
    let current = t.current();
    let ended = t.procs.get(&tgid).map(|leader| leader.cpu.group.ended).unwrap_or_default();
    t.procs.values().filter(|p| p.tgid == tgid).fold(ended, |sum, p| sum + p.cpu.sample(Some(p.pid) == current))
}

fn group_split(t: &mut Table, tgid: Pid) -> Split {
    let sample = group_sample(t, tgid);
    t.procs.get_mut(&tgid).map(|leader| leader.cpu.group.reported.adjust(sample)).unwrap_or_default()
}

/// Whose time a CPU-time clock counts, by Linux's rules (`pid_for_clock`): pid 0
/// is the caller's thread or process; another thread must be in the caller's
/// group; a process clock names a thread group (reading, the caller's own thread
/// id names its process too). EINVAL otherwise.
fn clock_owner(t: &Table, clock: CpuClock, reading: bool) -> Result<(Pid, bool), Errno> {
    let me = t.current().expect("a process asks");
    let my_group = t.procs.get(&me).expect("current process").tgid;
    match (clock.pid, clock.thread) {
        (0, true) => Ok((me, true)),
        (0, false) => Ok((my_group, false)),
        (tid, true) => match t.procs.get(&tid) {
            Some(p) if p.tgid == my_group && p.is_live() => Ok((tid, true)),
            _ => Err(Errno::EINVAL),
        },
        (pid, false) if reading && pid == me => Ok((my_group, false)),
        (pid, false) => match t.procs.get(&pid) {
            Some(p) if p.is_leader() => Ok((pid, false)),
            _ => Err(Errno::EINVAL),
        },
    }
}

/// CPU-time clock `clock` now, in nanoseconds: the exact run time (CPUCLOCK_SCHED,
/// CLOCK_PROCESS_CPUTIME_ID and CLOCK_THREAD_CPUTIME_ID), or the ticks that found
/// it running (PROF) or running in user mode (VIRT), one tick's worth each.
pub fn clock_ns(clock: CpuClock) -> Result<u64, Errno> {
    with_table(|t| {
        let (owner, thread) = clock_owner(t, clock, true)?;
        let sample = if thread {
            let p = t.procs.get(&owner).ok_or(Errno::EINVAL)?;
            p.cpu.sample(t.current() == Some(owner))
        } else {
            group_sample(t, owner)
        };
        Ok(match clock.kind {
            CpuClockKind::Sched => sample.runtime,
            CpuClockKind::Prof => (sample.user_ticks + sample.system_ticks) * TICK_NSEC,
            CpuClockKind::Virt => sample.user_ticks * TICK_NSEC,
        })
    })
}

/// Whether `clock` names a CPU-time clock the caller may use (clock_getres).
pub fn check_clock(clock: CpuClock) -> Result<(), Errno> {
    with_table(|t| clock_owner(t, clock, false).map(drop))
}

/// `gone` has left the table: an ended thread's time (with what it held for its
/// group, if it led it) goes to the task that now holds its group's, the leader
/// or the thread that execs in its place; a reaped process's user and system time
/// and its reaped children's go to its parent's children time.
pub(super) fn account_removed(t: &mut Table, gone: &Process) {
    let own = gone.cpu.sample(false) + gone.cpu.group.ended;
    if let State::Zombie(_) = gone.state {
        let mut reported = gone.cpu.group.reported;
        let used = reported.adjust(own) + gone.cpu.group.children;
        if let Some(parent) = t.procs.get_mut(&gone.parent) {
            parent.cpu.group.children += used;
        }
        return;
    }
    let holder = match t.procs.contains_key(&gone.tgid) {
        true => Some(gone.tgid),
        false => t.procs.values().find(|p| p.tgid == gone.tgid).map(|p| p.pid),
    };
    if let Some(holder) = holder.and_then(|pid| t.procs.get_mut(&pid)) {
        holder.cpu.group.ended += own;
        holder.cpu.group.children += gone.cpu.group.children;
        if gone.is_leader() {
            holder.cpu.group.reported = gone.cpu.group.reported;
        }
    }
}
