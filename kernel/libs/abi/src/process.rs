//! Process ABI: wait options and Linux's wait-status encoding, clone flags,
//! `arch_prctl` codes, resource limits, clock ids and `getrandom` flags.

// wait4/waitid options.
pub const WNOHANG: u32 = 0x1;
pub const WUNTRACED: u32 = 0x2;
/// `waitid` name of `WUNTRACED`.
pub const WSTOPPED: u32 = 0x2;
pub const WEXITED: u32 = 0x4;
pub const WCONTINUED: u32 = 0x8;
pub const WNOWAIT: u32 = 0x0100_0000;
/// Wait for all children, clone or not (`__WALL`).
pub const WALL: u32 = 0x4000_0000;
/// Wait for clone children only (`__WCLONE`).
pub const WCLONE: u32 = 0x8000_0000;

/// The wait status of a child that exited with `code` (`WIFEXITED`, `WEXITSTATUS`).
pub const fn wait_status_exited(code: u8) -> i32 {
    (code as i32) << 8
}

/// The wait status of a child killed by signal `signal` (1..=64), with the core-dump
/// bit when `core_dumped` (`WIFSIGNALED`, `WTERMSIG`, `WCOREDUMP`).
pub const fn wait_status_signaled(signal: u8, core_dumped: bool) -> i32 {
    (signal as i32 & 0x7f) | if core_dumped { 0x80 } else { 0 }
}

/// The wait status of a child stopped by signal `signal` (`WIFSTOPPED`, `WSTOPSIG`).
pub const fn wait_status_stopped(signal: u8) -> i32 {
    ((signal as i32) << 8) | 0x7f
}

/// The wait status of a stopped child that was continued (`WIFCONTINUED`).
pub const fn wait_status_continued() -> i32 {
    0xffff
}

// clone flags; the low byte (`CSIGNAL`) is the signal sent to the parent at exit.
pub const CSIGNAL: u64 = 0xff;
pub const CLONE_VM: u64 = 0x100;
pub const CLONE_FS: u64 = 0x200;
pub const CLONE_FILES: u64 = 0x400;
pub const CLONE_SIGHAND: u64 = 0x800;
pub const CLONE_PIDFD: u64 = 0x1000;
pub const CLONE_PTRACE: u64 = 0x2000;
pub const CLONE_VFORK: u64 = 0x4000;
pub const CLONE_PARENT: u64 = 0x8000;
pub const CLONE_THREAD: u64 = 0x10000;
pub const CLONE_NEWNS: u64 = 0x20000;
pub const CLONE_SYSVSEM: u64 = 0x40000;
pub const CLONE_SETTLS: u64 = 0x80000;
pub const CLONE_PARENT_SETTID: u64 = 0x100000;
pub const CLONE_CHILD_CLEARTID: u64 = 0x200000;
pub const CLONE_DETACHED: u64 = 0x400000;
pub const CLONE_UNTRACED: u64 = 0x800000;
pub const CLONE_CHILD_SETTID: u64 = 0x0100_0000;

// arch_prctl codes.
pub const ARCH_SET_GS: u32 = 0x1001;
pub const ARCH_SET_FS: u32 = 0x1002;
pub const ARCH_GET_FS: u32 = 0x1003;
pub const ARCH_GET_GS: u32 = 0x1004;

// Resource limits (getrlimit, setrlimit, prlimit64).
pub const RLIMIT_CPU: u32 = 0;
pub const RLIMIT_FSIZE: u32 = 1;
pub const RLIMIT_DATA: u32 = 2;
pub const RLIMIT_STACK: u32 = 3;
pub const RLIMIT_CORE: u32 = 4;
pub const RLIMIT_RSS: u32 = 5;
pub const RLIMIT_NPROC: u32 = 6;
pub const RLIMIT_NOFILE: u32 = 7;
pub const RLIMIT_MEMLOCK: u32 = 8;
pub const RLIMIT_AS: u32 = 9;
pub const RLIMIT_LOCKS: u32 = 10;
pub const RLIMIT_SIGPENDING: u32 = 11;
pub const RLIMIT_MSGQUEUE: u32 = 12;
pub const RLIMIT_NICE: u32 = 13;
pub const RLIMIT_RTPRIO: u32 = 14;
pub const RLIMIT_RTTIME: u32 = 15;
/// The number of resources above.
pub const RLIM_NLIMITS: u32 = 16;
pub const RLIM_INFINITY: u64 = u64::MAX;

// Clock ids (clock_gettime, clock_getres, clock_nanosleep).
pub const CLOCK_REALTIME: u32 = 0;
pub const CLOCK_MONOTONIC: u32 = 1;
pub const CLOCK_PROCESS_CPUTIME_ID: u32 = 2;
pub const CLOCK_THREAD_CPUTIME_ID: u32 = 3;
pub const CLOCK_MONOTONIC_RAW: u32 = 4;
pub const CLOCK_REALTIME_COARSE: u32 = 5;
pub const CLOCK_MONOTONIC_COARSE: u32 = 6;
pub const CLOCK_BOOTTIME: u32 = 7;
pub const CLOCK_REALTIME_ALARM: u32 = 8;
pub const CLOCK_BOOTTIME_ALARM: u32 = 9;
/// `clock_nanosleep` flag: the time is absolute.
pub const TIMER_ABSTIME: u32 = 1;

// getrandom flags.
pub const GRND_NONBLOCK: u32 = 1;
pub const GRND_RANDOM: u32 = 2;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wait_statuses_decode_with_the_linux_macros() {
        let exited = wait_status_exited(3);
        assert!(libc::WIFEXITED(exited) && !libc::WIFSIGNALED(exited));
        assert_eq!(libc::WEXITSTATUS(exited), 3);
        assert_eq!(libc::WEXITSTATUS(wait_status_exited(255)), 255);

        let killed = wait_status_signaled(9, false);
        assert!(libc::WIFSIGNALED(killed) && !libc::WIFEXITED(killed));
        assert_eq!(libc::WTERMSIG(killed), 9);
        assert!(!libc::WCOREDUMP(killed));
        let dumped = wait_status_signaled(11, true);
        assert_eq!(libc::WTERMSIG(dumped), 11);
        assert!(libc::WCOREDUMP(dumped));

        let stopped = wait_status_stopped(19);
        assert!(libc::WIFSTOPPED(stopped) && !libc::WIFSIGNALED(stopped));
        assert_eq!(libc::WSTOPSIG(stopped), 19);

        let continued = wait_status_continued();
        assert!(libc::WIFCONTINUED(continued) && !libc::WIFEXITED(continued));
    }

    #[test]
    fn constants_are_linux_values() {
        let ints: &[(u32, libc::c_int, &str)] = &[
            (WNOHANG, libc::WNOHANG, "WNOHANG"),
            (WUNTRACED, libc::WUNTRACED, "WUNTRACED"),
            (WSTOPPED, libc::WSTOPPED, "WSTOPPED"),
            (WEXITED, libc::WEXITED, "WEXITED"),
            (WCONTINUED, libc::WCONTINUED, "WCONTINUED"),
            (WNOWAIT, libc::WNOWAIT, "WNOWAIT"),
            (WALL, libc::__WALL as libc::c_int, "__WALL"),
            (WCLONE, libc::__WCLONE as libc::c_int, "__WCLONE"),
            (CLOCK_REALTIME, libc::CLOCK_REALTIME, "CLOCK_REALTIME"),
            (CLOCK_MONOTONIC, libc::CLOCK_MONOTONIC, "CLOCK_MONOTONIC"),
            (CLOCK_PROCESS_CPUTIME_ID, libc::CLOCK_PROCESS_CPUTIME_ID, "CPUTIME"),
            (CLOCK_THREAD_CPUTIME_ID, libc::CLOCK_THREAD_CPUTIME_ID, "THREAD"),
            (CLOCK_MONOTONIC_RAW, libc::CLOCK_MONOTONIC_RAW, "CLOCK_MONOTONIC_RAW"),
            (CLOCK_REALTIME_COARSE, libc::CLOCK_REALTIME_COARSE, "REALTIME_COARSE"),
            (CLOCK_MONOTONIC_COARSE, libc::CLOCK_MONOTONIC_COARSE, "MONOTONIC_COARSE"),
            (CLOCK_BOOTTIME, libc::CLOCK_BOOTTIME, "CLOCK_BOOTTIME"),
            (CLOCK_REALTIME_ALARM, libc::CLOCK_REALTIME_ALARM, "CLOCK_REALTIME_ALARM"),
            (CLOCK_BOOTTIME_ALARM, libc::CLOCK_BOOTTIME_ALARM, "CLOCK_BOOTTIME_ALARM"),
            (TIMER_ABSTIME, libc::TIMER_ABSTIME, "TIMER_ABSTIME"),
            (RLIMIT_CPU, libc::RLIMIT_CPU as libc::c_int, "RLIMIT_CPU"),
            (RLIMIT_FSIZE, libc::RLIMIT_FSIZE as libc::c_int, "RLIMIT_FSIZE"),
            (RLIMIT_DATA, libc::RLIMIT_DATA as libc::c_int, "RLIMIT_DATA"),
            (RLIMIT_STACK, libc::RLIMIT_STACK as libc::c_int, "RLIMIT_STACK"),
            (RLIMIT_CORE, libc::RLIMIT_CORE as libc::c_int, "RLIMIT_CORE"),
            (RLIMIT_RSS, libc::RLIMIT_RSS as libc::c_int, "RLIMIT_RSS"),
            (RLIMIT_NPROC, libc::RLIMIT_NPROC as libc::c_int, "RLIMIT_NPROC"),
            (RLIMIT_NOFILE, libc::RLIMIT_NOFILE as libc::c_int, "RLIMIT_NOFILE"),
            (RLIMIT_MEMLOCK, libc::RLIMIT_MEMLOCK as libc::c_int, "RLIMIT_MEMLOCK"),
            (RLIMIT_AS, libc::RLIMIT_AS as libc::c_int, "RLIMIT_AS"),
            (RLIMIT_LOCKS, libc::RLIMIT_LOCKS as libc::c_int, "RLIMIT_LOCKS"),
            (RLIMIT_SIGPENDING, libc::RLIMIT_SIGPENDING as libc::c_int, "SIGPENDING"),
            (RLIMIT_MSGQUEUE, libc::RLIMIT_MSGQUEUE as libc::c_int, "RLIMIT_MSGQUEUE"),
            (RLIMIT_NICE, libc::RLIMIT_NICE as libc::c_int, "RLIMIT_NICE"),
            (RLIMIT_RTPRIO, libc::RLIMIT_RTPRIO as libc::c_int, "RLIMIT_RTPRIO"),
            (RLIMIT_RTTIME, libc::RLIMIT_RTTIME as libc::c_int, "RLIMIT_RTTIME"),
            (GRND_NONBLOCK, libc::GRND_NONBLOCK as libc::c_int, "GRND_NONBLOCK"),
            (GRND_RANDOM, libc::GRND_RANDOM as libc::c_int, "GRND_RANDOM"),
        ];
        for &(ours, linux, name) in ints {
            assert_eq!(ours, linux as u32, "{name}");
        }
        assert_eq!(RLIM_INFINITY, libc::RLIM_INFINITY);

        let clone_flags: &[(u64, libc::c_int, &str)] = &[
            (CSIGNAL, libc::CSIGNAL, "CSIGNAL"),
            (CLONE_VM, libc::CLONE_VM, "CLONE_VM"),
            (CLONE_FS, libc::CLONE_FS, "CLONE_FS"),
            (CLONE_FILES, libc::CLONE_FILES, "CLONE_FILES"),
            (CLONE_SIGHAND, libc::CLONE_SIGHAND, "CLONE_SIGHAND"),
            (CLONE_PIDFD, libc::CLONE_PIDFD, "CLONE_PIDFD"),
            (CLONE_PTRACE, libc::CLONE_PTRACE, "CLONE_PTRACE"),
            (CLONE_VFORK, libc::CLONE_VFORK, "CLONE_VFORK"),
            (CLONE_PARENT, libc::CLONE_PARENT, "CLONE_PARENT"),
            (CLONE_THREAD, libc::CLONE_THREAD, "CLONE_THREAD"),
            (CLONE_NEWNS, libc::CLONE_NEWNS, "CLONE_NEWNS"),
            (CLONE_SYSVSEM, libc::CLONE_SYSVSEM, "CLONE_SYSVSEM"),
            (CLONE_SETTLS, libc::CLONE_SETTLS, "CLONE_SETTLS"),
            (CLONE_PARENT_SETTID, libc::CLONE_PARENT_SETTID, "CLONE_PARENT_SETTID"),
            (CLONE_CHILD_CLEARTID, libc::CLONE_CHILD_CLEARTID, "CLONE_CHILD_CLEARTID"),
            (CLONE_DETACHED, libc::CLONE_DETACHED, "CLONE_DETACHED"),
            (CLONE_UNTRACED, libc::CLONE_UNTRACED, "CLONE_UNTRACED"),
            (CLONE_CHILD_SETTID, libc::CLONE_CHILD_SETTID, "CLONE_CHILD_SETTID"),
        ];
        for &(ours, linux, name) in clone_flags {
            assert_eq!(ours, linux as u64, "{name}");
        }
    }
}
