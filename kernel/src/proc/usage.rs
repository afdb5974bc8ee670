//! CPU time of a thread, of its process and of the process's reaped children,
//! for getrusage, times and the CPU-time clocks; and where time goes when a
//! task ends, as Linux keeps it in signal_struct: an ended thread's to its
//! thread group, a reaped process's to its parent's children time. A task's own
//! time is the task layer's (task/scheduler.rs); a group's is in its
//! `ThreadGroup`.
use kabi::Errno;
use kabi::time::{CpuClock, CpuClockKind};
use timekeeping::{Sample, Split};

use crate::task::scheduler as task;
use crate::time::TICK_NSEC;

use super::process::{Pid, Process};
use super::table::{Table, with_current, with_table};

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
    match who {
        Who::Thread => task::cpu_split_current(),
        Who::Process => with_table(|t| {
            let me = t.procs.get(&task::current()).expect("current process");
            let sample = group_sample(t, me);
            me.group().times.reported.adjust(sample)
        }),
        Who::Children => with_current(|p| p.group().times.children),
    }
}

/// What the live threads of `member`'s process used, and its ended threads.
fn group_sample(t: &Table, member: &Process) -> Sample {
    let ended = member.group().times.ended;
    t.live_threads(member.tgid).fold(ended, |sum, p| sum + task::cpu_sample(p.pid).unwrap_or_default())
}

/// Whose time a CPU-time clock counts, by Linux's rules (`pid_for_clock`): pid 0
/// is the caller's thread or process; another thread must be in the caller's
/// group; a process clock names a thread group (reading, the caller's own thread
/// id names its process too). EINVAL otherwise.
fn clock_owner(t: &Table, clock: CpuClock, reading: bool) -> Result<(Pid, bool), Errno> {
    let me = task::current();
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
            task::cpu_sample(owner).ok_or(Errno::EINVAL)?
        } else {
            group_sample(t, t.procs.get(&owner).ok_or(Errno::EINVAL)?)
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

/// The current task is ending: what it used goes to its thread group.
pub(super) fn account_ending(p: &Process, used: Sample) {
    p.group().times.ended += used;
}

/// `zombie` is reaped by `parent`: its process's user and system time and its
/// own reaped children's go to the parent's children time.
pub(super) fn account_reaped(zombie: &Process, parent: &Process) {
    let used = {
        let mut group = zombie.group();
        let ended = group.times.ended;
        group.times.reported.adjust(ended) + group.times.children
    };
    parent.group().times.children += used;
}
