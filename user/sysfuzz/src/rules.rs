//! The safety rules: which syscalls are never made or made rarely, and how the
//! arguments of the others are bent, so that a campaign tests the kernel instead of
//! killing the supervisor, the console or the machine, or wrecking the worker's
//! own stack and code. Each rule says why it exists. The rules look at what the
//! kernel would run: the number in the low 32 bits without the x32 bit (Linux
//! truncates the number to an int, and x32 numbers reach the same calls).
use kabi::nr;

use crate::generate::Context;
use crate::layout::{self, ARENA_BASE, ARENA_END, ARENA_LEN, in_arena, scratch};

/// The x32 ABI's bit in a syscall number.
pub const X32_BIT: u64 = 0x4000_0000;
/// Linux's upper bound for pids (PID_MAX_LIMIT): no process has a larger one.
pub const PID_MAX_LIMIT: i32 = 1 << 22;
/// Nothing is ever mapped below this (Linux's default mmap_min_addr; Kestrel maps
/// nothing below 4 MiB).
pub const LOW_MEMORY_END: u64 = 0x1_0000;
/// User space ends here.
pub const USER_END: u64 = 1 << 47;
/// The unused numbers between pkey_free (334) and pidfd_send_signal (424).
const UNUSED_FIRST: usize = 335;
const UNUSED_LAST: usize = 423;
/// mseal, which kabi::nr does not name.
const MSEAL: usize = crate::names::HIGHEST as usize;
/// Terminal requests (asm-generic/ioctls.h); libc's types for them differ between
/// the C libraries.
const TCGETS: u64 = 0x5401;
const TCXONC: u64 = 0x540a;
const TIOCSTI: u64 = 0x5412;
const TIOCCONS: u64 = 0x541d;
const TIOCSETD: u64 = 0x5423;
const TIOCSBRK: u64 = 0x5427;
const TIOCVHANGUP: u64 = 0x5437;
/// The most bytes a call may write to descriptors 0, 1 and 2.
pub const STDIO_WRITE_CAP: u64 = 16;

/// The syscall a number reaches.
pub fn effective_nr(nr: u64) -> u64 {
    u64::from(nr as u32) & !X32_BIT
}

/// How often a generated syscall number is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Always,
    /// Kept once in so many draws (else another number is drawn).
    OneIn(u64),
    Never,
}

/// The syscalls that send a signal to a pid, and which arguments are pids.
const SIGNAL_SENDERS: [(usize, &[usize]); 5] = [
    (nr::KILL, &[0]),
    (nr::TKILL, &[0]),
    (nr::TGKILL, &[0, 1]),
    (nr::RT_SIGQUEUEINFO, &[0]),
    (nr::RT_TGSIGQUEUEINFO, &[0, 1]),
];

/// Syscalls that change another process named by a pid argument (its limits, its
/// memory, its scheduling), and which argument that is.
const OTHER_PROCESS_CALLS: [(usize, usize); 12] = [
    (nr::PRLIMIT64, 0),
    (nr::PROCESS_VM_READV, 0),
    (nr::PROCESS_VM_WRITEV, 0),
    (nr::PIDFD_OPEN, 0),
    (nr::SCHED_SETAFFINITY, 0),
    (nr::SCHED_SETPARAM, 0),
    (nr::SCHED_SETSCHEDULER, 0),
    (nr::SCHED_SETATTR, 0),
    (nr::MIGRATE_PAGES, 0),
    (nr::MOVE_PAGES, 0),
    (nr::SETPRIORITY, 1),
    (nr::IOPRIO_SET, 1),
];

pub fn frequency(nr: u64) -> Frequency {
    let Ok(effective) = usize::try_from(effective_nr(nr)) else { return Frequency::Always };
    match effective {
        // reboot would power the machine off or restart it, and kexec would replace
        // the running kernel: the end of the campaign, not a test of the kernel.
        nr::REBOOT | nr::KEXEC_LOAD | nr::KEXEC_FILE_LOAD => Frequency::Never,
        // ptrace could attach to the supervisor or another worker and rewrite its
        // registers and memory.
        nr::PTRACE => Frequency::Never,
        // rt_sigreturn loads every register from whatever the worker's stack holds:
        // with a code address found there the worker would run its own code with
        // arbitrary registers, outside every rule here.
        nr::RT_SIGRETURN => Frequency::Never,
        // vhangup hangs up the terminal of the session: the console the supervisor
        // prints its progress and verdict on.
        nr::VHANGUP => Frequency::Never,
        // Mounts change what every process sees under a path: a bind mount of / on
        // the workers' directory would turn its removal at the end into rm -rf /,
        // and pivot_root would move the root of the whole system.
        nr::MOUNT | nr::UMOUNT2 | nr::PIVOT_ROOT | nr::MOVE_MOUNT | nr::MOUNT_SETATTR => Frequency::Never,
        // exit and exit_group end the worker, which is then replaced: allowed, but
        // rare, or the campaign would spend its time starting workers.
        nr::EXIT | nr::EXIT_GROUP => Frequency::OneIn(64),
        // The signal senders can only target the worker itself (see `confine`), and
        // most signals end it: rare, for the same reason.
        n if SIGNAL_SENDERS.iter().any(|&(sender, _)| sender == n) => Frequency::OneIn(32),
        // Numbers x86-64 never used (Linux skipped them to line up with other
        // architectures): one ENOSYS path, not worth a fifth of the uniform draws.
        UNUSED_FIRST..=UNUSED_LAST => Frequency::OneIn(4),
        _ => Frequency::Always,
    }
}

/// Applies the argument rules to a call of `nr` (changes only what a rule names;
/// never draws random numbers, so the calls after it stay the same).
///
/// brk is left alone: a lowered break frees heap the worker no longer uses (its
/// loop allocates nothing), and the kernel keeps the break above its start.
pub fn confine(nr: u64, args: &mut [u64; 6], context: &Context) {
    let Ok(effective) = usize::try_from(effective_nr(nr)) else { return };
    let own = i64::from(context.own_pid) as u64;
    let as_pid = |value: u64| value as u32 as i32;

    // Signals go to the worker itself or to no process: never to a group (pid <= 0
    // is this group, -1 every process), never to the supervisor, init or anyone else.
    if let Some(&(_, positions)) = SIGNAL_SENDERS.iter().find(|&&(sender, _)| sender == effective) {
        for &at in positions {
            let pid = as_pid(args[at]);
            if pid != context.own_pid && pid <= PID_MAX_LIMIT {
                args[at] = own;
            }
        }
    }
    // The same for the calls that change another process: 0 (this one), the
    // worker, negative values and pids that cannot exist stay; others become the
    // worker's (the supervisor's limits or memory must not change under it).
    if let Some(&(_, at)) = OTHER_PROCESS_CALLS.iter().find(|&&(call, _)| call == effective) {
        let pid = as_pid(args[at]);
        if pid > 0 && pid != context.own_pid && pid <= PID_MAX_LIMIT {
            args[at] = own;
        }
    }

    match effective {
        // CLONE_VM would make a child that shares the worker's memory and runs on
        // its stack; CLONE_PARENT would hand the child, its exit status and its exit
        // signal (any, from the flags' low byte) to the supervisor.
        nr::CLONE => args[0] &= !(libc::CLONE_VM as u64 | libc::CLONE_PARENT as u64),
        // clone3 reads its flags from memory the other calls keep rewriting, so a
        // CLONE_VM there cannot be ruled out: only unreadable pointers (its fault
        // paths are fuzzed, never a successful clone3).
        nr::CLONE3 if is_user_pointer(args[0]) => args[0] = 0,
        // execve runs only /bin/true, or fails on a bad pointer: any other readable
        // path might name a real program (the scratch strings change as calls write
        // into them), and that program would run with the fuzzer's privileges.
        nr::EXECVE if is_user_pointer(args[0]) => args[0] = scratch(layout::EXEC_PATH),
        nr::EXECVEAT => {
            if is_user_pointer(args[1]) {
                args[1] = scratch(layout::EXEC_PATH);
            }
            // AT_EMPTY_PATH would run the file behind the descriptor instead.
            args[4] &= !(libc::AT_EMPTY_PATH as u64);
        }
        // The calls that unmap, remap or change the protection of memory act only on
        // the arena (or on nothing valid): a valid range anywhere else might hold the
        // worker's stack, code or data.
        nr::MUNMAP | nr::MPROTECT | nr::PKEY_MPROTECT | nr::MADVISE | nr::REMAP_FILE_PAGES => {
            confine_range(args, 0, 1);
        }
        MSEAL => confine_range(args, 0, 1),
        nr::MMAP if args[3] & (libc::MAP_FIXED | libc::MAP_FIXED_NOREPLACE) as u64 != 0 => {
            // A fixed mapping replaces what was there (and Kestrel's
            // MAP_FIXED_NOREPLACE checks only the first page).
            confine_range(args, 0, 1);
        }
        nr::MREMAP => {
            confine_range(args, 0, 1);
            if args[3] & libc::MREMAP_FIXED as u64 != 0 {
                confine_range(args, 4, 2);
            }
        }
        // SHM_REMAP replaces the mapping at the address: only in the arena.
        nr::SHMAT if args[2] & libc::SHM_REMAP as u64 != 0 && !in_arena(args[1]) => {
            args[2] &= !(libc::SHM_REMAP as u64);
        }
        // close_range must not reach the backups of the pool and the record file
        // (900 and up), which the worker needs to go on.
        nr::CLOSE_RANGE if (args[0] as u32) < layout::BACKUP_FD_BASE as u32 => {
            args[1] = args[1].min(layout::BACKUP_FD_BASE as u64 - 1);
        }
        // F_SETOWN would have SIGIO or SIGURG sent to the process named, the
        // supervisor included.
        nr::FCNTL if args[1] as u32 as i32 == libc::F_SETOWN => {
            let pid = as_pid(args[2]);
            if pid != 0 && pid != context.own_pid && pid <= PID_MAX_LIMIT {
                args[2] = own;
            }
        }
        // Terminal requests that would take the console from the supervisor: typing
        // into it (TIOCSTI), redirecting the console (TIOCCONS), hanging it up
        // (TIOCVHANGUP), suspending its output (TCXONC), a break that lasts until
        // cleared (TIOCSBRK), another line discipline (TIOCSETD). They read the
        // modes instead.
        nr::IOCTL if DANGEROUS_TTY_REQUESTS.contains(&(args[1] as u32 as u64)) => {
            args[1] = TCGETS;
        }
        // The calls that wait with a signal mask of their own would, with SIGALRM
        // in a random mask, sleep through the worker's alarm until the hang timeout
        // (a worker lost for two seconds): a mask read from the scratch buffer is
        // the empty one there instead (pselect6's argument, which points at the
        // mask, then points at a null one); null and bad pointers stay.
        nr::RT_SIGSUSPEND => empty_mask(args, 0),
        nr::PSELECT6 => empty_mask(args, 5),
        nr::PPOLL => empty_mask(args, 3),
        nr::EPOLL_PWAIT | nr::EPOLL_PWAIT2 => empty_mask(args, 4),
        // Descriptors 0, 1 and 2 are /dev/null in a worker, but a call may have put
        // something else there: at most a few bytes of garbage go to them.
        nr::WRITE | nr::PWRITE64 if is_stdio(args[0]) => args[2] = args[2].min(STDIO_WRITE_CAP),
        nr::SENDFILE if is_stdio(args[0]) => args[3] = args[3].min(STDIO_WRITE_CAP),
        _ => {}
    }
}

const DANGEROUS_TTY_REQUESTS: [u64; 6] = [TIOCSTI, TIOCCONS, TIOCVHANGUP, TCXONC, TIOCSBRK, TIOCSETD];

/// Points `args[at]` at the zeros of the scratch buffer if it points at a whole
/// readable signal set there.
fn empty_mask(args: &mut [u64; 6], at: usize) {
    if (ARENA_BASE..=layout::GUARD_PAGE - 8).contains(&args[at]) {
        args[at] = scratch(layout::ZEROS);
    }
}

fn is_stdio(fd: u64) -> bool {
    (0..=2).contains(&(fd as u32 as i32))
}

/// Whether `addr` could be readable user memory (not null, low, kernel or
/// non-canonical).
fn is_user_pointer(addr: u64) -> bool {
    (LOW_MEMORY_END..USER_END).contains(&addr)
}

/// Keeps the range at `args[addr_at]` of `args[len_at]` bytes (pages, rounded up)
/// inside the arena: a range the kernel must refuse (kernel or non-canonical start,
/// overflow, past user space) or in the low 64 KiB stays; a valid range elsewhere
/// moves into the arena (same offset within a page) and is cut at its end.
pub fn confine_range(args: &mut [u64; 6], addr_at: usize, len_at: usize) {
    let (addr, len) = (args[addr_at], args[len_at]);
    let Some(end) = addr.checked_add(len).and_then(|end| end.checked_next_multiple_of(layout::PAGE)) else {
        return;
    };
    if addr >= USER_END || end > USER_END || end <= LOW_MEMORY_END || (addr >= ARENA_BASE && end <= ARENA_END) {
        return;
    }
    let moved = ARENA_BASE + addr % ARENA_LEN;
    args[addr_at] = moved;
    args[len_at] = len.min(ARENA_END - moved);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{Call, Generator};
    use crate::layout::PAGE;

    const CONTEXT: Context = Context { own_pid: 42, supervisor_pid: 7 };

    fn campaign(calls: u64) -> impl Iterator<Item = Call> {
        (0..4).flat_map(move |worker| {
            let mut generator = Generator::new(11, worker, 0, CONTEXT);
            (0..calls / 4).map(move |_| generator.next_call())
        })
    }

    /// Whether a valid range lies outside the arena and the low 64 KiB.
    fn escapes(addr: u64, len: u64) -> bool {
        let Some(end) = addr.checked_add(len).and_then(|end| end.checked_next_multiple_of(PAGE)) else {
            return false;
        };
        addr < USER_END && end <= USER_END && end > LOW_MEMORY_END && !(addr >= ARENA_BASE && end <= ARENA_END)
    }

    #[test]
    fn exclusions_hold_over_100k_calls() {
        let mut counts = std::collections::HashMap::new();
        for call in campaign(100_000) {
            let nr = effective_nr(call.nr) as usize;
            let a = call.args;
            *counts.entry(nr).or_insert(0u32) += 1;
            assert!(frequency(call.nr) != Frequency::Never, "{call}");
            assert!(![nr::REBOOT, nr::PTRACE, nr::RT_SIGRETURN, nr::KEXEC_LOAD].contains(&nr), "{call}");
            let pid_ok = |v: u64| v as u32 as i32 == CONTEXT.own_pid || v as u32 as i32 > PID_MAX_LIMIT;
            match nr {
                nr::KILL | nr::TKILL | nr::RT_SIGQUEUEINFO => assert!(pid_ok(a[0]), "{call}"),
                nr::TGKILL | nr::RT_TGSIGQUEUEINFO => assert!(pid_ok(a[0]) && pid_ok(a[1]), "{call}"),
                nr::CLONE => assert_eq!(a[0] & (libc::CLONE_VM | libc::CLONE_PARENT) as u64, 0, "{call}"),
                nr::CLONE3 => assert!(!is_user_pointer(a[0]), "{call}"),
                nr::EXECVE => assert!(!is_user_pointer(a[0]) || a[0] == scratch(layout::EXEC_PATH), "{call}"),
                nr::EXECVEAT => {
                    assert!(!is_user_pointer(a[1]) || a[1] == scratch(layout::EXEC_PATH), "{call}");
                    assert_eq!(a[4] & libc::AT_EMPTY_PATH as u64, 0, "{call}");
                }
                nr::MUNMAP | nr::MPROTECT | nr::MADVISE => assert!(!escapes(a[0], a[1]), "{call}"),
                nr::MMAP if a[3] & (libc::MAP_FIXED | libc::MAP_FIXED_NOREPLACE) as u64 != 0 => {
                    assert!(!escapes(a[0], a[1]), "{call}");
                }
                nr::MREMAP => assert!(!escapes(a[0], a[1]), "{call}"),
                nr::PRLIMIT64 => assert!(a[0] as u32 as i32 != CONTEXT.supervisor_pid, "{call}"),
                nr::WRITE if a[0] < 3 => assert!(a[2] <= STDIO_WRITE_CAP, "{call}"),
                nr::IOCTL => assert!(!DANGEROUS_TTY_REQUESTS.contains(&(a[1] as u32 as u64)), "{call}"),
                nr::RT_SIGSUSPEND => assert!(
                    !(ARENA_BASE..layout::GUARD_PAGE - 8).contains(&a[0]) || a[0] == scratch(layout::ZEROS),
                    "{call}"
                ),
                _ => {}
            }
        }
        let count = |nr| counts.get(&nr).copied().unwrap_or(0);
        // Rare but present: exit, exit_group and the signal senders.
        assert!((1..50).contains(&(count(nr::EXIT) + count(nr::EXIT_GROUP))));
        assert!((5..100).contains(&count(nr::KILL)), "{} kills", count(nr::KILL));
        assert!(count(nr::READ) > 100 && count(nr::CLONE) > 100);
    }

    #[test]
    fn signals_never_reach_groups_the_supervisor_or_init() {
        let mut args = [0, 9, 0, 0, 0, 0];
        for target in [0u64, u64::MAX, 7, 1, 99_999, (-5i64) as u64] {
            args[0] = target;
            confine(nr::KILL as u64, &mut args, &CONTEXT);
            assert_eq!(args[0], 42, "kill({target:#x})");
        }
        args[0] = 1 << 23;
        confine(nr::KILL as u64, &mut args, &CONTEXT);
        assert_eq!(args[0], 1 << 23, "a pid no process can have stays");
        let mut tg = [7, 1, 9, 0, 0, 0];
        confine(nr::TGKILL as u64 | X32_BIT, &mut tg, &CONTEXT);
        assert_eq!(tg[..2], [42, 42], "x32 numbers reach the same call");
        let mut truncated = [1, 9, 0, 0, 0, 0];
        confine((1 << 32) | nr::KILL as u64, &mut truncated, &CONTEXT);
        assert_eq!(truncated[0], 42, "Linux truncates the number to 32 bits");
    }

    #[test]
    fn ranges_stay_in_the_arena() {
        let mut args = [PAGE, 1 << 47, 0, 0, 0, 0];
        confine_range(&mut args, 0, 1);
        assert_eq!(args[..2], [PAGE, 1 << 47], "past user space: refused by the kernel, kept");
        let mut args = [0, 1 << 47, 0, 0, 0, 0];
        confine_range(&mut args, 0, 1);
        assert_eq!(args[..2], [ARENA_BASE, ARENA_LEN], "all of user space (Kestrel takes it) moves");
        let mut args = [0, 1 << 32, 0, 0, 0, 0];
        confine_range(&mut args, 0, 1);
        assert_eq!(args[..2], [ARENA_BASE, ARENA_LEN], "null + 4 GiB would cover the program");
        let mut args = [0x5555_5555_4000, 4096, 0, 0, 0, 0];
        confine_range(&mut args, 0, 1);
        assert!(in_arena(args[0]) && args[0] % PAGE == 0 && args[0] + args[1] <= ARENA_END);
        let mut args = [ARENA_BASE + 5 * PAGE + 1, 2 * PAGE, 0, 0, 0, 0];
        confine_range(&mut args, 0, 1);
        assert_eq!(args[..2], [ARENA_BASE + 5 * PAGE + 1, 2 * PAGE], "inside: unchanged");
        let mut args = [0, 4096, 0, 0, 0, 0];
        confine_range(&mut args, 0, 1);
        assert_eq!(args[..2], [0, 4096], "the null page stays");
        let mut args = [u64::MAX, 1, 0, 0, 0, 0];
        confine_range(&mut args, 0, 1);
        assert_eq!(args[..2], [u64::MAX, 1], "overflow stays");
        let mut mremap = [ARENA_BASE, PAGE, 2 * PAGE, libc::MREMAP_FIXED as u64 | 1, 0x5555_5555_0000, 0];
        confine(nr::MREMAP as u64, &mut mremap, &CONTEXT);
        assert!(in_arena(mremap[4]) && mremap[4] + mremap[2] <= ARENA_END);
    }

    #[test]
    fn other_rules() {
        let mut clone = [libc::CLONE_VM as u64 | libc::CLONE_VFORK as u64 | 17, 0, 0, 0, 0, 0];
        confine(nr::CLONE as u64, &mut clone, &CONTEXT);
        assert_eq!(clone[0], libc::CLONE_VFORK as u64 | 17);
        let mut exec = [scratch(layout::DOT_PATH), 0, 0, 0, 0, 0];
        confine(nr::EXECVE as u64, &mut exec, &CONTEXT);
        assert_eq!(exec[0], scratch(layout::EXEC_PATH));
        let mut bad_exec = [0xffff_8000_0000_0000, 0, 0, 0, 0, 0];
        confine(nr::EXECVE as u64, &mut bad_exec, &CONTEXT);
        assert_eq!(bad_exec[0], 0xffff_8000_0000_0000, "a bad pointer stays");
        let mut close_range = [3, u64::MAX, 0, 0, 0, 0];
        confine(nr::CLOSE_RANGE as u64, &mut close_range, &CONTEXT);
        assert_eq!(close_range[1], layout::BACKUP_FD_BASE as u64 - 1);
        let mut truncated = [(1 << 32) | 3, 1000, 0, 0, 0, 0];
        confine(nr::CLOSE_RANGE as u64, &mut truncated, &CONTEXT);
        assert_eq!(truncated[1], layout::BACKUP_FD_BASE as u64 - 1, "the kernel reads an unsigned int");
        let mut setown = [10, libc::F_SETOWN as u64, 7, 0, 0, 0];
        confine(nr::FCNTL as u64, &mut setown, &CONTEXT);
        assert_eq!(setown[2], 42);
        let mut write = [1, scratch(0), 4096, 0, 0, 0];
        confine(nr::WRITE as u64, &mut write, &CONTEXT);
        assert_eq!(write[2], STDIO_WRITE_CAP);
        let mut sti = [9, TIOCSTI, scratch(0), 0, 0, 0];
        confine(nr::IOCTL as u64, &mut sti, &CONTEXT);
        assert_eq!(sti[1], TCGETS);
        let mut prlimit = [7, 7, scratch(0), 0, 0, 0];
        confine(nr::PRLIMIT64 as u64, &mut prlimit, &CONTEXT);
        assert_eq!(prlimit[0], 42);
        assert_eq!(frequency(nr::REBOOT as u64 | X32_BIT), Frequency::Never);
        assert_eq!(frequency(u64::MAX), Frequency::Always);
    }

    #[test]
    fn terminal_requests_are_linux_values() {
        let linux = [libc::TCGETS, libc::TCXONC, libc::TIOCSTI, libc::TIOCCONS, libc::TIOCSETD, libc::TIOCSBRK];
        let ours = [TCGETS, TCXONC, TIOCSTI, TIOCCONS, TIOCSETD, TIOCSBRK];
        for (linux, ours) in linux.into_iter().zip(ours) {
            assert_eq!(i128::from(linux), i128::from(ours));
        }
    }
}
