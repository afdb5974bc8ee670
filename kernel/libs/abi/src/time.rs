//! Clocks and CPU-time accounting: clock ids (`linux/time.h`), the encoding of
//! the CPU-time clocks of other processes and threads (`CPUCLOCK_*` in
//! `linux/posix-timers.h`), `getrusage`'s `who` values, and the clock-tick
//! frequency of `times`.

pub const CLOCK_REALTIME: i32 = 0;
pub const CLOCK_MONOTONIC: i32 = 1;
pub const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;
pub const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
pub const CLOCK_MONOTONIC_RAW: i32 = 4;
pub const CLOCK_REALTIME_COARSE: i32 = 5;
pub const CLOCK_MONOTONIC_COARSE: i32 = 6;
pub const CLOCK_BOOTTIME: i32 = 7;
pub const CLOCK_REALTIME_ALARM: i32 = 8;
pub const CLOCK_BOOTTIME_ALARM: i32 = 9;
pub const CLOCK_TAI: i32 = 11;
/// clock_nanosleep's flag: the time is absolute.
pub const TIMER_ABSTIME: i32 = 1;

/// What a CPU-time clock counts (`CPUCLOCK_WHICH`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CpuClockKind {
    /// User plus system time, as sampled by the tick (`CPUCLOCK_PROF`).
    Prof,
    /// User time, as sampled by the tick (`CPUCLOCK_VIRT`).
    Virt,
    /// The exact run time (`CPUCLOCK_SCHED`): CLOCK_PROCESS_CPUTIME_ID and
    /// CLOCK_THREAD_CPUTIME_ID.
    Sched,
}

/// A CPU-time clock: whose, and what it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CpuClock {
    /// The process (or thread) id; 0 for the caller.
    pub pid: u32,
    /// One thread's time rather than its whole process's.
    pub thread: bool,
    pub kind: CpuClockKind,
}

const CPUCLOCK_PERTHREAD_MASK: i32 = 4;
const CPUCLOCK_CLOCK_MASK: i32 = 3;
/// Negative ids whose low bits are this are file-descriptor clocks (`CLOCKFD`).
const CLOCKFD: i32 = 3;

impl CpuClock {
    /// The CPU-time clock `clock` names: CLOCK_PROCESS_CPUTIME_ID and
    /// CLOCK_THREAD_CPUTIME_ID, or a negative id made by clock_getcpuclockid or
    /// pthread_getcpuclockid (`~pid << 3 | thread << 2 | kind`). None for the other
    /// clocks and for ids no CPU-time clock has.
    pub fn decode(clock: i32) -> Option<CpuClock> {
        match clock {
            CLOCK_PROCESS_CPUTIME_ID => Some(CpuClock { pid: 0, thread: false, kind: CpuClockKind::Sched }),
            CLOCK_THREAD_CPUTIME_ID => Some(CpuClock { pid: 0, thread: true, kind: CpuClockKind::Sched }),
            id if id < 0 && id & 7 != CLOCKFD => {
                let kind = match id & CPUCLOCK_CLOCK_MASK {
                    0 => CpuClockKind::Prof,
                    1 => CpuClockKind::Virt,
                    2 => CpuClockKind::Sched,
                    _ => return None,
                };
                Some(CpuClock { pid: !(id >> 3) as u32, thread: id & CPUCLOCK_PERTHREAD_MASK != 0, kind })
            }
            _ => None,
        }
    }
}

/// getrusage's `who`.
pub const RUSAGE_SELF: i32 = 0;
pub const RUSAGE_CHILDREN: i32 = -1;
pub const RUSAGE_THREAD: i32 = 1;

/// The clock ticks `times` counts in, a second (`USER_HZ`; auxv's AT_CLKTCK).
pub const USER_HZ: u64 = 100;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_are_linux_values() {
        let pairs = [
            (CLOCK_REALTIME, libc::CLOCK_REALTIME),
            (CLOCK_MONOTONIC, libc::CLOCK_MONOTONIC),
            (CLOCK_PROCESS_CPUTIME_ID, libc::CLOCK_PROCESS_CPUTIME_ID),
            (CLOCK_THREAD_CPUTIME_ID, libc::CLOCK_THREAD_CPUTIME_ID),
            (CLOCK_MONOTONIC_RAW, libc::CLOCK_MONOTONIC_RAW),
            (CLOCK_REALTIME_COARSE, libc::CLOCK_REALTIME_COARSE),
            (CLOCK_MONOTONIC_COARSE, libc::CLOCK_MONOTONIC_COARSE),
            (CLOCK_BOOTTIME, libc::CLOCK_BOOTTIME),
            (CLOCK_REALTIME_ALARM, libc::CLOCK_REALTIME_ALARM),
            (CLOCK_BOOTTIME_ALARM, libc::CLOCK_BOOTTIME_ALARM),
            (CLOCK_TAI, libc::CLOCK_TAI),
            (TIMER_ABSTIME, libc::TIMER_ABSTIME),
            (RUSAGE_SELF, libc::RUSAGE_SELF),
            (RUSAGE_CHILDREN, libc::RUSAGE_CHILDREN),
            (RUSAGE_THREAD, libc::RUSAGE_THREAD),
        ];
        for (ours, linux) in pairs {
            assert_eq!(ours, linux);
        }
    }

    #[test]
    fn cpu_clock_ids_decode_as_the_c_libraries_make_them() {
        // musl and glibc: clock_getcpuclockid gives (-pid-1)*8 + 2 (a process's run
        // time), pthread_getcpuclockid (-tid-1)*8 + 6 (a thread's).
        let process = |pid: i32| (-pid - 1) * 8 + 2;
        let thread = |tid: i32| (-tid - 1) * 8 + 6;
        let sched = CpuClockKind::Sched;
        assert_eq!(CpuClock::decode(process(42)), Some(CpuClock { pid: 42, thread: false, kind: sched }));
        assert_eq!(CpuClock::decode(thread(7)), Some(CpuClock { pid: 7, thread: true, kind: sched }));
        assert_eq!(
            CpuClock::decode(process(0) - 2),
            Some(CpuClock { pid: 0, thread: false, kind: CpuClockKind::Prof })
        );
        assert_eq!(CpuClock::decode(process(5) - 1).map(|c| c.kind), Some(CpuClockKind::Virt));
        assert_eq!(CpuClock::decode(process(5) + 1), None, "CPUCLOCK_MAX is no clock");
        assert_eq!(CpuClock::decode(-5), None, "a descriptor clock (CLOCKFD)");
        assert_eq!(CpuClock::decode(CLOCK_MONOTONIC), None);
        assert_eq!(CpuClock::decode(CLOCK_THREAD_CPUTIME_ID).map(|c| c.thread), Some(true));
    }
}
