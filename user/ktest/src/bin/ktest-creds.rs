//! ktest-creds: process attributes as Linux keeps them: supplementary groups
//! (setgroups/getgroups, the count for size 0, EINVAL for a short buffer,
//! inherited by fork); nice values (raw getpriority gives 20 - nice, setpriority
//! changes it, ESRCH for no such process, EINVAL for an unknown `which`,
//! inherited by fork); and nanosleep interrupted by a handled signal (EINTR, the
//! time left stored in `rem`).
//!
//! Usage: `ktest-creds` (as root on Linux: it changes its own groups and nice
//! value, in forked children).
use std::ffi::c_int;
use std::process::ExitCode;
use std::time::Duration;

use ktest::{
    Action, Outcome, Signals, check, child_check, ensure, expect_eq, expect_exit, expect_failure, fork_and_wait,
    set_action,
};

const NAME: &str = "creds";
const GROUPS: [libc::gid_t; 3] = [4, 27, 100];

fn getgroups() -> Result<Vec<libc::gid_t>, String> {
    // SAFETY: a size of 0 only asks for the count.
    let count = check(unsafe { libc::syscall(libc::SYS_getgroups, 0, std::ptr::null_mut::<libc::gid_t>()) })
        .map_err(|e| format!("getgroups(0): {e}"))? as usize;
    let mut groups = vec![0; count];
    // SAFETY: the buffer holds `count` ids.
    check(unsafe { libc::syscall(libc::SYS_getgroups, count as c_int, groups.as_mut_ptr()) })
        .map_err(|e| format!("getgroups: {e}"))?;
    Ok(groups)
}

fn groups() -> Outcome {
    let status = fork_and_wait(|| {
        child_check("groups", || {
            // SAFETY: the kernel reads three ids.
            check(unsafe { libc::syscall(libc::SYS_setgroups, GROUPS.len(), GROUPS.as_ptr()) })
                .map_err(|e| format!("setgroups: {e}"))?;
            expect_eq("getgroups after setgroups", getgroups()?, GROUPS.to_vec())?;
            let mut one = [0 as libc::gid_t; 1];
            // SAFETY: a one-id buffer, which the kernel must refuse.
            let short = check(unsafe { libc::syscall(libc::SYS_getgroups, 1, one.as_mut_ptr()) });
            expect_failure("getgroups into a buffer of one", short, libc::EINVAL)?;
            let inherited = fork_and_wait(|| i32::from(getgroups() != Ok(GROUPS.to_vec())))?;
            expect_exit(inherited, 0).map_err(|e| format!("a child's groups: {e}"))
        })
    })?;
    expect_exit(status, 0)
}

fn raw_priority(which: c_int, who: c_int) -> std::io::Result<i64> {
    // SAFETY: getpriority reads nothing from memory.
    check(unsafe { libc::syscall(libc::SYS_getpriority, which, who) })
}

fn nice_values() -> Outcome {
    let status = fork_and_wait(|| {
        child_check("nice", || {
            // SAFETY: setpriority of this process.
            check(unsafe { libc::syscall(libc::SYS_setpriority, libc::PRIO_PROCESS, 0, 5) })
                .map_err(|e| format!("setpriority: {e}"))?;
            expect_eq("raw getpriority after nice 5", raw_priority(libc::PRIO_PROCESS as c_int, 0).ok(), Some(15))?;
            let inherited = fork_and_wait(|| i32::from(raw_priority(libc::PRIO_PROCESS as c_int, 0).ok() != Some(15)))?;
            expect_exit(inherited, 0).map_err(|e| format!("a child's nice value: {e}"))?;
            // SAFETY: raises this process's priority (root may).
            check(unsafe { libc::syscall(libc::SYS_setpriority, libc::PRIO_PROCESS, 0, -5) })
                .map_err(|e| format!("setpriority -5: {e}"))?;
            expect_eq("raw getpriority after nice -5", raw_priority(libc::PRIO_PROCESS as c_int, 0).ok(), Some(25))?;
            expect_failure(
                "getpriority of no such process",
                raw_priority(libc::PRIO_PROCESS as c_int, 0x3fff_ffff),
                libc::ESRCH,
            )?;
            expect_failure("getpriority with an unknown which", raw_priority(7, 0), libc::EINVAL)
        })
    })?;
    expect_exit(status, 0)
}

extern "C" fn on_alarm(_: c_int) {}

fn interrupted_sleep() -> Outcome {
    set_action(libc::SIGALRM, Action::Handle(on_alarm), 0, Signals::of(&[])).map_err(|e| e.to_string())?;
    let timer = libc::itimerval {
        it_interval: libc::timeval { tv_sec: 0, tv_usec: 0 },
        it_value: libc::timeval { tv_sec: 0, tv_usec: 200_000 },
    };
    // SAFETY: a one-shot real-time timer for this process.
    unsafe { libc::setitimer(libc::ITIMER_REAL, &timer, std::ptr::null_mut()) };
    let request = libc::timespec { tv_sec: 2, tv_nsec: 0 };
    let mut left = libc::timespec { tv_sec: -1, tv_nsec: -1 };
    // SAFETY: the kernel reads `request` and writes `left`.
    let slept = check(unsafe { libc::syscall(libc::SYS_nanosleep, &request, &mut left) });
    expect_failure("nanosleep(2 s) interrupted by SIGALRM after 0.2 s", slept, libc::EINTR)?;
    let left = Duration::new(left.tv_sec as u64, left.tv_nsec as u32);
    ensure(left > Duration::from_millis(1000) && left < Duration::from_millis(1900), || {
        format!("the time left is {left:?}, not about 1.8 s")
    })?;
    println!("nanosleep: EINTR with between 1 and 1.9 s left");
    Ok(())
}

fn main() -> ExitCode {
    ktest::run(NAME, || {
        groups()?;
        nice_values()?;
        interrupted_sleep()
    })
}
