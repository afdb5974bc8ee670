//! Generating calls: which syscall number, and six arguments drawn from the
//! adversarial pools (valid and broken pointers, odd lengths, flag words, pool
//! descriptors, pids, signals), steered by a small table of what each common
//! syscall's arguments are; then the safety rules (`rules`). A call's identity,
//! `SEED:WORKER:GEN:INDEX`, and its printed form live here too.
use std::fmt;
use std::str::FromStr;

use crate::layout::{self, ARENA_BASE, ARENA_PAGES, GUARD_EDGE, GUARD_PAGE, PAGE, SCRATCH_LEN, scratch};
use crate::names;
use crate::prng::{Purpose, Rng};
use crate::rules::{self, Frequency};

/// The pids a worker's calls may name: its own and the supervisor's (its parent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    pub own_pid: i32,
    pub supervisor_pid: i32,
}

impl Context {
    /// The stand-in pids of a dry run: worker k is pid 100 + k, the supervisor init.
    pub fn dry_run(worker: u32) -> Self {
        Self { own_pid: 100 + worker as i32, supervisor_pid: 1 }
    }
}

/// Which call of a campaign: the `index`th call (from 0) of generation
/// `generation` (from 0; each replacement of a worker is the next one) of worker
/// `worker` in the campaign `seed`. Printed and parsed as `SEED:WORKER:GEN:INDEX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallId {
    pub seed: u64,
    pub worker: u32,
    pub generation: u32,
    pub index: u64,
}

impl fmt::Display for CallId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}:{}", self.seed, self.worker, self.generation, self.index)
    }
}

/// `SEED:WORKER:GEN:INDEX`, or `SEED:WORKER:INDEX` for generation 0.
impl FromStr for CallId {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let fields: Vec<&str> = text.split(':').collect();
        let bad = || format!("'{text}' is not SEED:WORKER:INDEX or SEED:WORKER:GEN:INDEX");
        let (seed, worker, generation, index) = match fields[..] {
            [seed, worker, index] => (seed, worker, "0", index),
            [seed, worker, generation, index] => (seed, worker, generation, index),
            _ => return Err(bad()),
        };
        Ok(Self {
            seed: crate::cli::number(seed).map_err(|_| bad())?,
            worker: worker.parse().map_err(|_| bad())?,
            generation: generation.parse().map_err(|_| bad())?,
            index: index.parse().map_err(|_| bad())?,
        })
    }
}

/// One generated call: the number and the six argument registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    pub id: CallId,
    pub nr: u64,
    pub args: [u64; 6],
}

/// `nr=read(0) args=[0x3, 0x600000000000, ...]` (a negative number as such:
/// `nr=unknown(-1)`).
impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = names::name(self.nr);
        if (self.nr as i64) < 0 {
            write!(f, "nr={name}({})", self.nr as i64)?;
        } else {
            write!(f, "nr={name}({})", self.nr)?;
        }
        let [a0, a1, a2, a3, a4, a5] = self.args;
        write!(f, " args=[{a0:#x}, {a1:#x}, {a2:#x}, {a3:#x}, {a4:#x}, {a5:#x}]")
    }
}

/// The sets of values an argument is drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pool {
    /// Into the scratch buffer: its paths, structures, pages, or a random offset.
    ValidPtr,
    /// One of the paths in the scratch buffer.
    PathPtr,
    /// A page of the arena (or one byte past a page start), for the memory calls.
    MapAddr,
    /// The last bytes before the guard page, and the guard page itself.
    GuardEdge,
    Null,
    SmallInt,
    KernelAddr,
    NonCanonical,
    HugeLen,
    PageSize,
    Length,
    Flags,
    Fd,
    Pid,
    Signal,
    Random,
}

const ALL_POOLS: [Pool; 16] = [
    Pool::ValidPtr,
    Pool::PathPtr,
    Pool::MapAddr,
    Pool::GuardEdge,
    Pool::Null,
    Pool::SmallInt,
    Pool::KernelAddr,
    Pool::NonCanonical,
    Pool::HugeLen,
    Pool::PageSize,
    Pool::Length,
    Pool::Flags,
    Pool::Fd,
    Pool::Pid,
    Pool::Signal,
    Pool::Random,
];

pub const SMALL_INTS: [u64; 5] = [0, 1, 2, 3, u64::MAX];
pub const KERNEL_ADDRS: [u64; 3] = [0xffff_8000_0000_0000, 0xffff_ffff_8000_0000, 0xffff_ffff_ffff_f000];
pub const NON_CANONICAL: [u64; 3] = [0x0000_8000_0000_0000, 0x8000_0000_0000_0000, 0x1234_5678_9abc_def0];
pub const HUGE_LENS: [u64; 5] = [u64::MAX, i64::MAX as u64, 1 << 47, 1 << 32, 0x7fff_f000];
pub const PAGE_SIZES: [u64; 3] = [4096, 4095, 8192];
pub const LENGTHS: [u64; 6] = [1, 8, 16, 64, 256, 1024];
/// A pid no process has: 99999 (the other pids come from the context).
pub const NO_SUCH_PID: i32 = 99_999;
/// Descriptors: standard ones, the pool, a closed one, invalid ones, AT_FDCWD.
pub const FDS: [i32; 18] =
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, layout::CLOSED_FD, -1, 1023, 1 << 20, libc::AT_FDCWD];
/// Offsets of the valid pointers; one more choice is a random offset.
const POINTER_OFFSETS: [u64; 12] = [
    layout::FUZZ_FILE_PATH,
    layout::DEV_NULL_PATH,
    layout::ROOT_PATH,
    layout::DOT_PATH,
    layout::ZEROS,
    layout::IOVECS,
    layout::TIMESPEC,
    layout::ARGV,
    PAGE,
    2 * PAGE,
    3 * PAGE,
    SCRATCH_LEN - 8,
];
/// The syscalls Kestrel dispatched when sysfuzz was written (the `dispatch` match
/// of kernel/src/syscall/mod.rs): half the numbers are drawn from these, where the
/// kernel's own code runs, the other half from the whole table (the rest all end
/// in the same ENOSYS). The rules still apply to both halves.
const KESTREL_CALLS: [usize; 116] = {
    use kabi::nr::*;
    [
        ACCESS,
        ALARM,
        ARCH_PRCTL,
        BRK,
        CHDIR,
        CHMOD,
        CHOWN,
        CLOCK_GETTIME,
        CLOCK_NANOSLEEP,
        CLONE,
        CLOSE,
        DUP,
        DUP2,
        DUP3,
        EXECVE,
        EXIT,
        EXIT_GROUP,
        FACCESSAT,
        FACCESSAT2,
        FCHDIR,
        FCHMOD,
        FCHMODAT,
        FCHOWN,
        FCHOWNAT,
        FCNTL,
        FDATASYNC,
        FORK,
        FSTAT,
        FSTATFS,
        FSYNC,
        FTRUNCATE,
        GETCWD,
        GETDENTS64,
        GETEGID,
        GETEUID,
        GETGID,
        GETITIMER,
        GETPGID,
        GETPGRP,
        GETPID,
        GETPPID,
        GETRANDOM,
        GETRLIMIT,
        GETRUSAGE,
        GETSID,
        GETTID,
        GETTIMEOFDAY,
        GETUID,
        IOCTL,
        KILL,
        LCHOWN,
        LINK,
        LINKAT,
        LSEEK,
        LSTAT,
        MKDIR,
        MKDIRAT,
        MMAP,
        MPROTECT,
        MUNMAP,
        NANOSLEEP,
        NEWFSTATAT,
        OPEN,
        OPENAT,
        PAUSE,
        PIPE,
        PIPE2,
        POLL,
        PPOLL,
        PREAD64,
        PRLIMIT64,
        PWRITE64,
        READ,
        READLINK,
        READLINKAT,
        READV,
        REBOOT,
        RENAME,
        RENAMEAT,
        RENAMEAT2,
        RMDIR,
        RT_SIGACTION,
        RT_SIGPENDING,
        RT_SIGPROCMASK,
        RT_SIGRETURN,
        RT_SIGSUSPEND,
        SCHED_YIELD,
        SENDFILE,
        SETHOSTNAME,
        SETITIMER,
        SETPGID,
        SETRLIMIT,
        SETSID,
        SET_TID_ADDRESS,
        SIGALTSTACK,
        STAT,
        STATFS,
        STATX,
        SYMLINK,
        SYMLINKAT,
        SYNC,
        SYNCFS,
        SYSINFO,
        SYSLOG,
        TGKILL,
        TKILL,
        TRUNCATE,
        UMASK,
        UNAME,
        UNLINK,
        UNLINKAT,
        UTIMENSAT,
        VFORK,
        WAIT4,
        WRITE,
        WRITEV,
    ]
};
/// The highest signal number drawn (past the real ones, 1 to 64).
pub const HIGHEST_SIGNAL: u64 = 70;

/// What an argument of a known syscall is, to draw it mostly from fitting pools.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Any,
    Fd,
    Buf,
    Path,
    Len,
    Flags,
    Pid,
    Sig,
    Int,
    Addr,
}

impl Kind {
    fn pools(self) -> &'static [Pool] {
        use Pool::*;
        match self {
            Kind::Any => &ALL_POOLS,
            Kind::Fd => &[Fd],
            Kind::Buf => &[ValidPtr, ValidPtr, ValidPtr, GuardEdge, Null, KernelAddr, NonCanonical],
            Kind::Path => &[PathPtr, PathPtr, PathPtr, ValidPtr, GuardEdge, Null, KernelAddr, NonCanonical],
            Kind::Len => &[Length, PageSize, HugeLen, SmallInt],
            Kind::Flags => &[Flags, Flags, SmallInt],
            Kind::Pid => &[Pid],
            Kind::Sig => &[Signal],
            Kind::Int => &[SmallInt, Length, PageSize, Random],
            Kind::Addr => &[MapAddr, MapAddr, GuardEdge, Null, KernelAddr, NonCanonical, PageSize, HugeLen],
        }
    }
}

/// The argument kinds of a syscall (Linux's x86-64 argument order); unknown
/// syscalls and unused arguments are `Any`.
pub fn signature(nr: u64) -> [Kind; 6] {
    use Kind::*;
    use kabi::nr;
    let kinds: &[Kind] = match rules::effective_nr(nr) as usize {
        nr::READ | nr::WRITE | nr::GETDENTS | nr::GETDENTS64 | nr::READV | nr::WRITEV => &[Fd, Buf, Len],
        nr::PREAD64 | nr::PWRITE64 => &[Fd, Buf, Len, Int],
        nr::PREADV | nr::PWRITEV | nr::PREADV2 | nr::PWRITEV2 => &[Fd, Buf, Len, Int, Int, Flags],
        nr::OPEN | nr::CREAT => &[Path, Flags, Int],
        nr::CLOSE | nr::DUP | nr::FSYNC | nr::FDATASYNC | nr::FCHDIR | nr::SYNCFS => &[Fd],
        nr::STAT | nr::LSTAT | nr::STATFS => &[Path, Buf],
        nr::FSTAT | nr::FSTATFS => &[Fd, Buf],
        nr::POLL => &[Buf, Len, Int],
        nr::PPOLL => &[Buf, Len, Buf, Buf, Len],
        nr::LSEEK => &[Fd, Int, Int],
        nr::MMAP => &[Addr, Len, Flags, Flags, Fd, Int],
        nr::MPROTECT | nr::MSYNC | nr::MADVISE | nr::PKEY_MPROTECT => &[Addr, Len, Flags],
        nr::MUNMAP | nr::MLOCK | nr::MUNLOCK => &[Addr, Len],
        nr::MREMAP => &[Addr, Len, Len, Flags, Addr],
        nr::MINCORE => &[Addr, Len, Buf],
        nr::BRK => &[Addr],
        nr::RT_SIGACTION => &[Sig, Buf, Buf, Len],
        nr::RT_SIGPROCMASK => &[Int, Buf, Buf, Len],
        nr::RT_SIGPENDING | nr::RT_SIGSUSPEND => &[Buf, Len],
        nr::RT_SIGTIMEDWAIT => &[Buf, Buf, Buf, Len],
        nr::SIGALTSTACK | nr::NANOSLEEP | nr::GETTIMEOFDAY => &[Buf, Buf],
        nr::IOCTL => &[Fd, Flags, Buf],
        nr::FCNTL => &[Fd, Int, Any],
        nr::ACCESS | nr::MKDIR | nr::CHMOD | nr::UMASK => &[Path, Flags],
        nr::PIPE | nr::UNAME | nr::SYSINFO | nr::TIMES | nr::TIME | nr::SET_TID_ADDRESS => &[Buf],
        nr::PIPE2 => &[Buf, Flags],
        nr::SELECT | nr::PSELECT6 => &[Int, Buf, Buf, Buf, Buf, Buf],
        nr::DUP2 => &[Fd, Fd],
        nr::DUP3 => &[Fd, Fd, Flags],
        nr::GETITIMER | nr::GETRLIMIT | nr::SETRLIMIT | nr::GETRUSAGE | nr::CLOCK_GETTIME | nr::CLOCK_GETRES => {
            &[Int, Buf]
        }
        nr::SETITIMER => &[Int, Buf, Buf],
        nr::ALARM => &[Int],
        nr::SENDFILE => &[Fd, Fd, Buf, Len],
        nr::CLONE => &[Flags, Addr, Buf, Buf, Buf],
        nr::CLONE3 => &[Buf, Len],
        nr::EXECVE => &[Path, Buf, Buf],
        nr::EXECVEAT => &[Fd, Path, Buf, Buf, Flags],
        nr::EXIT | nr::EXIT_GROUP => &[Int],
        nr::WAIT4 => &[Pid, Buf, Flags, Buf],
        nr::WAITID => &[Int, Pid, Buf, Flags, Buf],
        nr::KILL | nr::TKILL => &[Pid, Sig],
        nr::TGKILL => &[Pid, Pid, Sig],
        nr::RT_SIGQUEUEINFO => &[Pid, Sig, Buf],
        nr::RT_TGSIGQUEUEINFO => &[Pid, Pid, Sig, Buf],
        nr::FLOCK => &[Fd, Flags],
        nr::TRUNCATE => &[Path, Len],
        nr::FTRUNCATE => &[Fd, Len],
        nr::GETCWD => &[Buf, Len],
        nr::CHDIR | nr::RMDIR | nr::UNLINK | nr::CHROOT | nr::ACCT => &[Path],
        nr::RENAME | nr::LINK | nr::SYMLINK => &[Path, Path],
        nr::READLINK => &[Path, Buf, Len],
        nr::FCHMOD => &[Fd, Flags],
        nr::CHOWN | nr::LCHOWN => &[Path, Int, Int],
        nr::FCHOWN => &[Fd, Int, Int],
        nr::SETPGID => &[Pid, Pid],
        nr::GETPGID | nr::GETSID => &[Pid],
        nr::GETPRIORITY => &[Int, Pid],
        nr::SETPRIORITY => &[Int, Pid, Int],
        nr::PRCTL => &[Int, Any, Any, Any, Any],
        nr::ARCH_PRCTL => &[Int, Buf],
        nr::SETHOSTNAME => &[Buf, Len],
        nr::SYSLOG => &[Int, Buf, Len],
        nr::FUTEX => &[Buf, Int, Int, Buf, Buf, Int],
        nr::CLOCK_NANOSLEEP => &[Int, Flags, Buf, Buf],
        nr::EPOLL_WAIT | nr::EPOLL_PWAIT => &[Fd, Buf, Int, Int, Buf, Len],
        nr::OPENAT => &[Fd, Path, Flags, Int],
        nr::MKDIRAT | nr::UNLINKAT | nr::FCHMODAT | nr::FACCESSAT => &[Fd, Path, Flags],
        nr::FACCESSAT2 | nr::FCHMODAT2 => &[Fd, Path, Flags, Flags],
        nr::NEWFSTATAT => &[Fd, Path, Buf, Flags],
        nr::RENAMEAT => &[Fd, Path, Fd, Path],
        nr::RENAMEAT2 | nr::LINKAT => &[Fd, Path, Fd, Path, Flags],
        nr::SYMLINKAT => &[Path, Fd, Path],
        nr::READLINKAT => &[Fd, Path, Buf, Len],
        nr::UTIMENSAT => &[Fd, Path, Buf, Flags],
        nr::SPLICE => &[Fd, Buf, Fd, Buf, Len, Flags],
        nr::TEE => &[Fd, Fd, Len, Flags],
        nr::COPY_FILE_RANGE => &[Fd, Buf, Fd, Buf, Len, Flags],
        nr::FALLOCATE => &[Fd, Flags, Int, Len],
        nr::EVENTFD2 | nr::EPOLL_CREATE1 | nr::INOTIFY_INIT1 => &[Int, Flags],
        nr::PRLIMIT64 => &[Pid, Int, Buf, Buf],
        nr::GETRANDOM => &[Buf, Len, Flags],
        nr::MEMFD_CREATE => &[Path, Flags],
        nr::STATX => &[Fd, Path, Flags, Flags, Buf],
        nr::PIDFD_OPEN => &[Pid, Flags],
        nr::CLOSE_RANGE => &[Fd, Fd, Flags],
        nr::OPENAT2 => &[Fd, Path, Buf, Len],
        nr::PROCESS_VM_READV | nr::PROCESS_VM_WRITEV => &[Pid, Buf, Len, Buf, Len, Flags],
        nr::SCHED_SETAFFINITY | nr::SCHED_GETAFFINITY => &[Pid, Len, Buf],
        _ => &[],
    };
    let mut signature = [Any; 6];
    signature[..kinds.len()].copy_from_slice(kinds);
    signature
}

/// The calls of one worker generation, in order.
#[derive(Debug, Clone)]
pub struct Generator {
    rng: Rng,
    context: Context,
    next: CallId,
}

impl Generator {
    pub fn new(seed: u64, worker: u32, generation: u32, context: Context) -> Self {
        Self {
            rng: Rng::for_stream(seed, worker, generation, Purpose::Calls),
            context,
            next: CallId { seed, worker, generation, index: 0 },
        }
    }

    /// The identity the next call will have.
    pub fn next_id(&self) -> CallId {
        self.next
    }

    pub fn next_call(&mut self) -> Call {
        let nr = self.pick_nr();
        let kinds = signature(nr);
        let mut args = [0; 6];
        for (arg, kind) in args.iter_mut().zip(kinds) {
            *arg = self.pick_arg(kind);
        }
        rules::confine(nr, &mut args, &self.context);
        let id = self.next;
        self.next.index += 1;
        Call { id, nr, args }
    }

    /// A syscall number: out of range once in 256 calls, else one Kestrel
    /// implements or any of 0..=462, as likely; drawn again while the rules forbid
    /// it or make it rare.
    fn pick_nr(&mut self) -> u64 {
        loop {
            let nr = if self.rng.one_in(256) {
                self.out_of_range_nr()
            } else if self.rng.one_in(2) {
                self.rng.pick(&KESTREL_CALLS) as u64
            } else {
                self.rng.below(names::HIGHEST + 1)
            };
            match rules::frequency(nr) {
                Frequency::Always => return nr,
                Frequency::OneIn(n) if self.rng.one_in(n) => return nr,
                Frequency::OneIn(_) | Frequency::Never => {}
            }
        }
    }

    /// Mostly 463..=511 (Kestrel logs each of these once); one time in 16 each,
    /// 512..=600, 1 << 20 or -1, or a table number with the x32 bit (0x4000_0000),
    /// all of which Kestrel logs every time.
    fn out_of_range_nr(&mut self) -> u64 {
        match self.rng.below(16) {
            0..=12 => names::HIGHEST + 1 + self.rng.below(511 - names::HIGHEST),
            13 => 512 + self.rng.below(89),
            14 => self.rng.pick(&[1 << 20, u64::MAX]),
            _ => rules::X32_BIT | self.rng.below(names::HIGHEST + 1),
        }
    }

    /// An argument of `kind`: from one of its pools three times in four, else from
    /// any pool.
    fn pick_arg(&mut self, kind: Kind) -> u64 {
        let pools = if self.rng.one_in(4) { Kind::Any.pools() } else { kind.pools() };
        let pool = self.rng.pick(pools);
        self.draw(pool)
    }

    fn draw(&mut self, pool: Pool) -> u64 {
        let rng = &mut self.rng;
        match pool {
            Pool::ValidPtr => {
                let choice = rng.below(POINTER_OFFSETS.len() as u64 + 1) as usize;
                scratch(POINTER_OFFSETS.get(choice).copied().unwrap_or_else(|| rng.below(SCRATCH_LEN)))
            }
            Pool::PathPtr => scratch(rng.pick(&layout::PATHS).0),
            Pool::MapAddr => {
                let page = rng.below(ARENA_PAGES + 1);
                if page == ARENA_PAGES { ARENA_BASE + 1 } else { ARENA_BASE + page * PAGE }
            }
            Pool::GuardEdge => rng.pick(&[GUARD_EDGE, GUARD_PAGE - 4, GUARD_PAGE]),
            Pool::Null => 0,
            Pool::SmallInt => rng.pick(&SMALL_INTS),
            Pool::KernelAddr => rng.pick(&KERNEL_ADDRS),
            Pool::NonCanonical => rng.pick(&NON_CANONICAL),
            Pool::HugeLen => rng.pick(&HUGE_LENS),
            Pool::PageSize => rng.pick(&PAGE_SIZES),
            Pool::Length => rng.pick(&LENGTHS),
            Pool::Flags => match rng.below(5) {
                0 => rng.next_u64(),
                1 => rng.next_u64() & 0xffff_ffff,
                2 => 1 << rng.below(64),
                3 => (1 << rng.below(32)) | (1 << rng.below(32)),
                _ => rng.next_u64() & rng.next_u64() & rng.next_u64() & 0xffff_ffff,
            },
            Pool::Fd => i64::from(rng.pick(&FDS)) as u64,
            Pool::Pid => {
                let pids = [0, -1, self.context.own_pid, self.context.supervisor_pid, NO_SUCH_PID];
                i64::from(rng.pick(&pids)) as u64
            }
            Pool::Signal => rng.below(HIGHEST_SIGNAL + 1),
            Pool::Random => rng.next_u64(),
        }
    }
}

/// The first `count` calls of a worker generation.
pub fn calls(seed: u64, worker: u32, generation: u32, context: Context, count: u64) -> Vec<Call> {
    let mut generator = Generator::new(seed, worker, generation, context);
    (0..count).map(|_| generator.next_call()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_calls() {
        let context = Context::dry_run(0);
        let first = calls(3, 0, 0, context, 2000);
        assert_eq!(first, calls(3, 0, 0, context, 2000));
        assert_ne!(first, calls(4, 0, 0, context, 2000));
        assert_ne!(first, calls(3, 1, 0, context, 2000));
        assert_ne!(first, calls(3, 0, 1, context, 2000));
        assert!(
            first
                .iter()
                .enumerate()
                .all(|(i, call)| call.id == CallId { seed: 3, worker: 0, generation: 0, index: i as u64 })
        );
    }

    #[test]
    fn a_prefix_is_the_same_whatever_the_count() {
        let context = Context::dry_run(2);
        assert_eq!(calls(9, 2, 0, context, 10)[..], calls(9, 2, 0, context, 500)[..10]);
    }

    #[test]
    fn numbers_cover_the_table_and_beyond() {
        let all = calls(1, 0, 0, Context::dry_run(0), 100_000);
        let mut seen = vec![false; names::HIGHEST as usize + 1];
        let mut out_of_range = 0;
        for call in &all {
            match seen.get_mut(call.nr as usize) {
                Some(slot) => *slot = true,
                None => out_of_range += 1,
            }
        }
        let missing: Vec<usize> = (0..seen.len()).filter(|&nr| !seen[nr]).collect();
        let never = [
            kabi::nr::REBOOT,
            kabi::nr::KEXEC_LOAD,
            kabi::nr::KEXEC_FILE_LOAD,
            kabi::nr::PTRACE,
            kabi::nr::RT_SIGRETURN,
            kabi::nr::VHANGUP,
            kabi::nr::MOUNT,
            kabi::nr::UMOUNT2,
            kabi::nr::PIVOT_ROOT,
            kabi::nr::MOVE_MOUNT,
            kabi::nr::MOUNT_SETATTR,
        ];
        assert_eq!(missing, {
            let mut n = never.to_vec();
            n.sort_unstable();
            n
        });
        assert!((100..1000).contains(&out_of_range), "{out_of_range} out-of-range numbers");
    }

    #[test]
    fn arguments_come_from_every_pool() {
        let all = calls(5, 1, 0, Context::dry_run(1), 20_000);
        let args: Vec<u64> = all.iter().flat_map(|call| call.args).collect();
        let has = |value: u64| args.contains(&value);
        assert!(has(scratch(layout::FUZZ_FILE_PATH)) && has(scratch(layout::DOT_PATH)));
        assert!(has(GUARD_EDGE) && has(0) && has(u64::MAX) && has(4095) && has(1 << 47));
        assert!(KERNEL_ADDRS.iter().chain(&NON_CANONICAL).all(|&value| has(value)));
        assert!(has(101) && has(1) && has(NO_SUCH_PID as u64) && has(layout::CLOSED_FD as u64));
        assert!(has(libc::AT_FDCWD as i64 as u64) && has(HIGHEST_SIGNAL));
    }

    #[test]
    fn calls_print_readably() {
        let call = Call {
            id: CallId { seed: 3, worker: 1, generation: 2, index: 17 },
            nr: 0,
            args: [3, scratch(0), 4096, 0, u64::MAX, 1],
        };
        assert_eq!(
            format!("{} {call}", call.id),
            "3:1:2:17 nr=read(0) args=[0x3, 0x600000000000, 0x1000, 0x0, 0xffffffffffffffff, 0x1]"
        );
        let odd = Call { nr: u64::MAX, ..call };
        assert!(odd.to_string().starts_with("nr=unknown(-1) args="));
        assert!(Call { nr: 1 << 20, ..call }.to_string().starts_with("nr=unknown(1048576) "));
    }

    #[test]
    fn call_ids_parse() {
        let id: CallId = "3:1:2:17".parse().unwrap();
        assert_eq!(id, CallId { seed: 3, worker: 1, generation: 2, index: 17 });
        assert_eq!(id.to_string().parse::<CallId>().unwrap(), id);
        assert_eq!("0x10:0:5".parse::<CallId>().unwrap(), CallId { seed: 16, worker: 0, generation: 0, index: 5 });
        assert!("3:1".parse::<CallId>().is_err());
        assert!("3:x:1".parse::<CallId>().is_err());
        assert!("1:2:3:4:5".parse::<CallId>().is_err());
    }
}
