//! System calls: raw registers become typed arguments, each call is one function
//! returning `Result<usize, Errno>`, and the result becomes RAX (`-errno` on error)
//! in one place, `kabi::to_syscall_return`. Unknown numbers give ENOSYS and one log
//! line per number.
mod events;
mod files;
mod fsops;
mod futex;
mod ids;
mod info;
mod memory;
mod mount;
mod poll;
mod prctl;
mod process;
mod signals;
mod socket;
mod syslog;
mod terminal;
mod time;
mod user;
pub mod vsyscall;
mod xattr;

use kabi::{Errno, nr};
use xattr::Target;

use crate::proc::signal::Restart;

use crate::arch::cpu;
use crate::arch::trap::TrapFrame;

pub type SysResult = Result<usize, Errno>;

/// The six argument registers of the Linux x86-64 convention.
#[derive(Debug, Clone, Copy)]
pub struct Args([u64; 6]);

impl Args {
    fn from_frame(f: &TrapFrame) -> Self {
        Self([f.rdi, f.rsi, f.rdx, f.r10, f.r8, f.r9])
    }

    pub fn u64(&self, i: usize) -> u64 {
        self.0[i]
    }

    pub fn usize(&self, i: usize) -> usize {
        self.0[i] as usize
    }

    /// A C `int` argument (the low 32 bits, sign-extended).
    pub fn int(&self, i: usize) -> i32 {
        self.0[i] as u32 as i32
    }

    pub fn u32(&self, i: usize) -> u32 {
        self.0[i] as u32
    }
}

/// Called by the syscall entry with the caller's registers. Returns how the call
/// may be restarted if a signal interrupted it.
pub fn handle(frame: &mut TrapFrame) -> Option<Restart> {
    cpu::enable_interrupts(); // blocking calls and preemption need them
    let number = frame.rax;
    let args = Args::from_frame(frame);
    let result = dispatch(number, args, frame);
    frame.rax = match (number as usize, result) {
        (nr::RT_SIGRETURN, Ok(rax)) => rax as u64, // the interrupted code's own RAX
        (_, result) => kabi::to_syscall_return(result) as u64,
    };
    (result == Err(Errno::EINTR))
        .then(|| Restart { nr: number, with_sa_restart: restartable_by_handler(number as usize) })
}

/// Whether a handler with SA_RESTART restarts the call (Linux's ERESTARTSYS);
/// the others return EINTR whenever a handler ran (ERESTARTNOHAND and friends).
fn restartable_by_handler(number: usize) -> bool {
    !matches!(
        number,
        nr::PAUSE
            | nr::RT_SIGSUSPEND
            | nr::POLL
            | nr::PPOLL
            | nr::NANOSLEEP
            | nr::CLOCK_NANOSLEEP
            | nr::SELECT
            | nr::PSELECT6
            | nr::EPOLL_WAIT
            | nr::EPOLL_PWAIT
            | nr::EPOLL_PWAIT2
    )
}

#[inline(never)] // named in backtraces, between the entry and each handler
fn dispatch(number: u64, a: Args, frame: &mut TrapFrame) -> SysResult {
    match number as usize {
        nr::READ => files::read(a.int(0), a.u64(1), a.usize(2)),
        nr::WRITE => files::write(a.int(0), a.u64(1), a.usize(2)),
        nr::READV => files::readv(a.int(0), a.u64(1), a.int(2)),
        nr::WRITEV => files::writev(a.int(0), a.u64(1), a.int(2)),
        nr::PREAD64 => files::pread(a.int(0), a.u64(1), a.usize(2), a.u64(3) as i64),
        nr::PWRITE64 => files::pwrite(a.int(0), a.u64(1), a.usize(2), a.u64(3) as i64),
        nr::PIPE => files::pipe2(a.u64(0), 0),
        nr::PIPE2 => files::pipe2(a.u64(0), a.u32(1)),
        nr::FCHDIR => files::fchdir(a.int(0)),
        nr::MKDIR => fsops::mkdirat(kabi::fs::AT_FDCWD, a.u64(0), a.u32(1)),
        nr::MKDIRAT => fsops::mkdirat(a.int(0), a.u64(1), a.u32(2)),
        nr::MKNOD => fsops::mknodat(kabi::fs::AT_FDCWD, a.u64(0), a.u32(1)),
        nr::MKNODAT => fsops::mknodat(a.int(0), a.u64(1), a.u32(2)),
        nr::RMDIR => fsops::unlinkat(kabi::fs::AT_FDCWD, a.u64(0), kabi::fs::AT_REMOVEDIR),
        nr::UNLINK => fsops::unlinkat(kabi::fs::AT_FDCWD, a.u64(0), 0),
        nr::UNLINKAT => fsops::unlinkat(a.int(0), a.u64(1), a.u32(2)),
        nr::RENAME => fsops::renameat2(kabi::fs::AT_FDCWD, a.u64(0), kabi::fs::AT_FDCWD, a.u64(1), 0),
        nr::RENAMEAT => fsops::renameat2(a.int(0), a.u64(1), a.int(2), a.u64(3), 0),
        nr::RENAMEAT2 => fsops::renameat2(a.int(0), a.u64(1), a.int(2), a.u64(3), a.u32(4)),
        nr::LINK => fsops::linkat(kabi::fs::AT_FDCWD, a.u64(0), kabi::fs::AT_FDCWD, a.u64(1), 0),
        nr::LINKAT => fsops::linkat(a.int(0), a.u64(1), a.int(2), a.u64(3), a.u32(4)),
        nr::SYMLINK => fsops::symlinkat(a.u64(0), kabi::fs::AT_FDCWD, a.u64(1)),
        nr::SYMLINKAT => fsops::symlinkat(a.u64(0), a.int(1), a.u64(2)),
        nr::TRUNCATE => fsops::truncate(a.u64(0), a.u64(1) as i64),
        nr::FTRUNCATE => fsops::ftruncate(a.int(0), a.u64(1) as i64),
        nr::CHMOD => fsops::fchmodat(kabi::fs::AT_FDCWD, a.u64(0), a.u32(1)),
        nr::FCHMODAT => fsops::fchmodat(a.int(0), a.u64(1), a.u32(2)),
        nr::FCHMOD => fsops::fchmod(a.int(0), a.u32(1)),
        nr::CHOWN | nr::LCHOWN => fsops::fchownat(kabi::fs::AT_FDCWD, a.u64(0), a.u32(1), a.u32(2)),
        nr::FCHOWNAT => fsops::fchownat(a.int(0), a.u64(1), a.u32(2), a.u32(3)),
        nr::FCHOWN => fsops::fchown(a.int(0), a.u32(1), a.u32(2)),
        nr::UTIMENSAT => fsops::utimensat(a.int(0), a.u64(1), a.u64(2), a.u32(3)),
        nr::UMASK => fsops::umask(a.u32(0)),
        nr::STATX => fsops::statx(a.int(0), a.u64(1), a.u32(2), a.u32(3), a.u64(4)),
        nr::STATFS => fsops::statfs(a.u64(0), a.u64(1)),
        nr::MOUNT => mount::mount(a.u64(0), a.u64(1), a.u64(2), a.u64(3), a.u64(4)),
        nr::UMOUNT2 => mount::umount2(a.u64(0), a.u32(1)),
        nr::FSTATFS => fsops::fstatfs(a.int(0), a.u64(1)),
        nr::SYNC | nr::SYNCFS => Ok(0), // tmpfs: memory is the storage
        nr::FSYNC | nr::FDATASYNC => files::fsync(a.int(0)),
        nr::SENDFILE => files::sendfile(a.int(0), a.int(1), a.u64(2), a.usize(3)),
        nr::OPEN => files::openat(kabi::fs::AT_FDCWD, a.u64(0), a.u32(1), a.u32(2)),
        nr::CREAT => files::openat(
            kabi::fs::AT_FDCWD,
            a.u64(0),
            kabi::fs::O_CREAT | kabi::fs::O_WRONLY | kabi::fs::O_TRUNC,
            a.u32(1),
        ),
        nr::OPENAT => files::openat(a.int(0), a.u64(1), a.u32(2), a.u32(3)),
        nr::CLOSE => files::close(a.int(0)),
        nr::STAT => files::fstatat(kabi::fs::AT_FDCWD, a.u64(0), a.u64(1), 0),
        nr::LSTAT => files::fstatat(kabi::fs::AT_FDCWD, a.u64(0), a.u64(1), kabi::fs::AT_SYMLINK_NOFOLLOW),
        nr::FSTAT => files::fstat(a.int(0), a.u64(1)),
        nr::NEWFSTATAT => files::fstatat(a.int(0), a.u64(1), a.u64(2), a.u32(3)),
        nr::LSEEK => files::lseek(a.int(0), a.u64(1) as i64, a.u32(2)),
        nr::GETDENTS64 => files::getdents64(a.int(0), a.u64(1), a.usize(2)),
        nr::IOCTL => files::ioctl(a.int(0), a.u32(1), a.u64(2)),
        nr::FCNTL => files::fcntl(a.int(0), a.u32(1), a.u64(2)),
        nr::DUP => files::dup(a.int(0)),
        nr::DUP2 => files::dup3(a.int(0), a.int(1), 0, true),
        nr::DUP3 => files::dup3(a.int(0), a.int(1), a.u32(2), false),
        nr::ACCESS => files::faccessat(kabi::fs::AT_FDCWD, a.u64(0), a.u32(1), 0),
        nr::FACCESSAT => files::faccessat(a.int(0), a.u64(1), a.u32(2), 0),
        nr::FACCESSAT2 => files::faccessat(a.int(0), a.u64(1), a.u32(2), a.u32(3)),
        nr::READLINK => files::readlinkat(kabi::fs::AT_FDCWD, a.u64(0), a.u64(1), a.usize(2)),
        nr::READLINKAT => files::readlinkat(a.int(0), a.u64(1), a.u64(2), a.usize(3)),
        nr::GETXATTR => xattr::getxattr(Target::path(a.u64(0)), a.u64(1)),
        nr::LGETXATTR => xattr::getxattr(Target::link(a.u64(0)), a.u64(1)),
        nr::FGETXATTR => xattr::getxattr(Target::File(a.int(0)), a.u64(1)),
        nr::LISTXATTR => xattr::listxattr(Target::path(a.u64(0))),
        nr::LLISTXATTR => xattr::listxattr(Target::link(a.u64(0))),
        nr::FLISTXATTR => xattr::listxattr(Target::File(a.int(0))),
        nr::SETXATTR => xattr::setxattr(Target::path(a.u64(0)), a.u64(1), a.u64(2), a.usize(3), a.u32(4)),
        nr::LSETXATTR => xattr::setxattr(Target::link(a.u64(0)), a.u64(1), a.u64(2), a.usize(3), a.u32(4)),
        nr::FSETXATTR => xattr::setxattr(Target::File(a.int(0)), a.u64(1), a.u64(2), a.usize(3), a.u32(4)),
        nr::REMOVEXATTR => xattr::removexattr(Target::path(a.u64(0)), a.u64(1)),
        nr::LREMOVEXATTR => xattr::removexattr(Target::link(a.u64(0)), a.u64(1)),
        nr::FREMOVEXATTR => xattr::removexattr(Target::File(a.int(0)), a.u64(1)),
        nr::POLL => poll::poll(a.u64(0), a.usize(1), a.int(2)),
        nr::PPOLL => poll::ppoll(a.u64(0), a.usize(1), a.u64(2), a.u64(3), a.usize(4)),
        nr::SELECT => poll::select(a.int(0), a.u64(1), a.u64(2), a.u64(3), a.u64(4)),
        nr::PSELECT6 => poll::pselect6(a.int(0), a.u64(1), a.u64(2), a.u64(3), a.u64(4), a.u64(5)),
        nr::GETCWD => files::getcwd(a.u64(0), a.usize(1)),
        nr::CHDIR => files::chdir(a.u64(0)),
        nr::BRK => memory::brk(a.u64(0)),
        nr::MMAP => memory::mmap(a.u64(0), a.u64(1), a.u32(2), a.u32(3), a.int(4), a.u64(5)),
        nr::MUNMAP => memory::munmap(a.u64(0), a.u64(1)),
        nr::MREMAP => memory::mremap(a.u64(0), a.u64(1), a.u64(2), a.u32(3), a.u64(4)),
        nr::MPROTECT => memory::mprotect(a.u64(0), a.u64(1), a.u32(2)),
        nr::MADVISE => memory::madvise(a.u64(0), a.u64(1), a.u32(2)),
        nr::MINCORE => memory::mincore(a.u64(0), a.u64(1), a.u64(2)),
        nr::MSYNC => memory::msync(a.u64(0), a.u64(1), a.u32(2)),
        nr::PRCTL => prctl::prctl(a.int(0), a.u64(1), a.u64(2), a.u64(3), a.u64(4)),
        nr::GETGROUPS => ids::getgroups(a.int(0), a.u64(1)),
        nr::SETGROUPS => ids::setgroups(a.int(0), a.u64(1)),
        nr::GETUID => ids::getuid(),
        nr::GETEUID => ids::geteuid(),
        nr::GETGID => ids::getgid(),
        nr::GETEGID => ids::getegid(),
        nr::SETUID => ids::setuid(a.u32(0)),
        nr::SETGID => ids::setgid(a.u32(0)),
        nr::SETREUID => ids::setreuid(a.u32(0), a.u32(1)),
        nr::SETREGID => ids::setregid(a.u32(0), a.u32(1)),
        nr::SETRESUID => ids::setresuid(a.u32(0), a.u32(1), a.u32(2)),
        nr::SETRESGID => ids::setresgid(a.u32(0), a.u32(1), a.u32(2)),
        nr::GETRESUID => ids::getresuid(a.u64(0), a.u64(1), a.u64(2)),
        nr::GETRESGID => ids::getresgid(a.u64(0), a.u64(1), a.u64(2)),
        nr::SETFSUID => ids::setfsuid(a.u32(0)),
        nr::SETFSGID => ids::setfsgid(a.u32(0)),
        nr::GETPRIORITY => process::getpriority(a.int(0), a.int(1)),
        nr::SETPRIORITY => process::setpriority(a.int(0), a.int(1), a.int(2)),
        nr::ARCH_PRCTL => process::arch_prctl(a.int(0), a.u64(1)),
        nr::SET_TID_ADDRESS => process::set_tid_address(a.u64(0)),
        nr::RT_SIGACTION => signals::rt_sigaction(a.int(0), a.u64(1), a.u64(2), a.usize(3)),
        nr::RT_SIGPROCMASK => signals::rt_sigprocmask(a.int(0), a.u64(1), a.u64(2), a.usize(3)),
        nr::RT_SIGPENDING => signals::rt_sigpending(a.u64(0), a.usize(1)),
        nr::SIGALTSTACK => signals::sigaltstack(a.u64(0), a.u64(1), frame),
        nr::RT_SIGRETURN => signals::rt_sigreturn(frame),
        nr::KILL => signals::kill(a.int(0), a.int(1)),
        nr::TGKILL => signals::tgkill(a.int(0), a.int(1), a.int(2)),
        nr::TKILL => signals::tgkill(-1, a.int(0), a.int(1)),
        nr::PAUSE => signals::pause(),
        nr::RT_SIGSUSPEND => signals::rt_sigsuspend(a.u64(0), a.usize(1)),
        nr::ALARM => signals::alarm(a.u32(0)),
        nr::GETITIMER => signals::getitimer(a.int(0), a.u64(1)),
        nr::SETITIMER => signals::setitimer(a.int(0), a.u64(1), a.u64(2)),
        nr::SETPGID => process::setpgid(a.int(0), a.int(1)),
        nr::GETPGID => process::getpgid(a.int(0)),
        nr::GETPGRP => process::getpgid(0),
        nr::SETSID => process::setsid(),
        nr::GETSID => process::getsid(a.int(0)),
        nr::GETPID => process::getpid(),
        nr::GETTID => process::gettid(),
        nr::GETPPID => process::getppid(),
        nr::FORK => process::fork(frame),
        nr::VFORK => process::vfork(frame),
        nr::CLONE => process::clone(a.u64(0), a.u64(1), a.u64(2), a.u64(3), a.u64(4), frame),
        nr::CLONE3 => process::clone3(a.u64(0), a.usize(1), frame),
        nr::EXECVE => process::execve(a.u64(0), a.u64(1), a.u64(2), frame),
        nr::EXIT => process::exit(a.int(0)),
        nr::EXIT_GROUP => process::exit_group(a.int(0)),
        nr::WAIT4 => process::wait4(a.int(0), a.u64(1), a.int(2), a.u64(3)),
        nr::SCHED_YIELD => process::sched_yield(),
        nr::FUTEX => futex::futex(a.u64(0), a.u32(1), a.u32(2), a.u64(3), a.u64(4), a.u32(5)),
        nr::SET_ROBUST_LIST => futex::set_robust_list(a.u64(0), a.usize(1)),
        nr::GET_ROBUST_LIST => futex::get_robust_list(a.int(0), a.u64(1), a.u64(2)),
        nr::SCHED_GETAFFINITY => process::sched_getaffinity(a.int(0), a.usize(1), a.u64(2)),
        nr::SCHED_SETAFFINITY => process::sched_setaffinity(a.int(0), a.usize(1), a.u64(2)),
        nr::GETCPU => process::getcpu(a.u64(0), a.u64(1)),
        nr::NANOSLEEP => time::nanosleep(a.u64(0), a.u64(1)),
        nr::CLOCK_NANOSLEEP => time::clock_nanosleep(a.int(0), a.int(1), a.u64(2), a.u64(3)),
        nr::CLOCK_GETTIME => time::clock_gettime(a.int(0), a.u64(1)),
        nr::CLOCK_GETRES => time::clock_getres(a.int(0), a.u64(1)),
        nr::CLOCK_SETTIME => time::clock_settime(a.int(0), a.u64(1)),
        nr::GETTIMEOFDAY => time::gettimeofday(a.u64(0), a.u64(1)),
        nr::SETTIMEOFDAY => time::settimeofday(a.u64(0), a.u64(1)),
        nr::TIME => time::time(a.u64(0)),
        nr::TIMES => time::times(a.u64(0)),
        nr::UNAME => info::uname(a.u64(0)),
        nr::SYSINFO => info::sysinfo(a.u64(0)),
        nr::SETHOSTNAME => info::sethostname(a.u64(0), a.usize(1)),
        nr::REBOOT => info::reboot(a.u32(0), a.u32(1), a.u32(2)),
        nr::GETRLIMIT => info::getrlimit(a.u32(0), a.u64(1)),
        nr::SETRLIMIT => info::setrlimit(a.u32(0), a.u64(1)),
        nr::PRLIMIT64 => info::prlimit(a.int(0), a.u32(1), a.u64(2), a.u64(3)),
        nr::GETRUSAGE => time::getrusage(a.int(0), a.u64(1)),
        nr::GETRANDOM => info::getrandom(a.u64(0), a.usize(1)),
        nr::SYSLOG => syslog::syslog(a.int(0), a.u64(1), a.int(2)),
        nr::EVENTFD => events::eventfd2(a.u32(0), 0),
        nr::EVENTFD2 => events::eventfd2(a.u32(0), a.u32(1)),
        nr::EPOLL_CREATE => events::epoll_create(a.int(0)),
        nr::EPOLL_CREATE1 => events::epoll_create1(a.u32(0)),
        nr::EPOLL_CTL => events::epoll_ctl(a.int(0), a.int(1), a.int(2), a.u64(3)),
        nr::EPOLL_WAIT => events::epoll_pwait(a.int(0), a.u64(1), a.int(2), a.int(3), 0, 0),
        nr::EPOLL_PWAIT => events::epoll_pwait(a.int(0), a.u64(1), a.int(2), a.int(3), a.u64(4), a.usize(5)),
        nr::EPOLL_PWAIT2 => events::epoll_pwait2(a.int(0), a.u64(1), a.int(2), a.u64(3), a.u64(4), a.usize(5)),
        nr::TIMERFD_CREATE => events::timerfd_create(a.u32(0), a.u32(1)),
        nr::TIMERFD_SETTIME => events::timerfd_settime(a.int(0), a.u32(1), a.u64(2), a.u64(3)),
        nr::TIMERFD_GETTIME => events::timerfd_gettime(a.int(0), a.u64(1)),
        nr::SIGNALFD => events::signalfd4(a.int(0), a.u64(1), a.usize(2), 0),
        nr::SIGNALFD4 => events::signalfd4(a.int(0), a.u64(1), a.usize(2), a.u32(3)),
        nr::SOCKET => socket::socket(a.int(0), a.u32(1), a.int(2)),
        nr::SOCKETPAIR => socket::socketpair(a.int(0), a.u32(1), a.int(2), a.u64(3)),
        nr::BIND => socket::bind(a.int(0), a.u64(1), a.u32(2)),
        nr::LISTEN => socket::listen(a.int(0), a.int(1)),
        nr::ACCEPT => socket::accept4(a.int(0), a.u64(1), a.u64(2), 0),
        nr::ACCEPT4 => socket::accept4(a.int(0), a.u64(1), a.u64(2), a.u32(3)),
        nr::CONNECT => socket::connect(a.int(0), a.u64(1), a.u32(2)),
        nr::GETSOCKNAME => socket::getsockname(a.int(0), a.u64(1), a.u64(2)),
        nr::GETPEERNAME => socket::getpeername(a.int(0), a.u64(1), a.u64(2)),
        nr::SHUTDOWN => socket::shutdown(a.int(0), a.int(1)),
        nr::SENDTO => socket::sendto(a.int(0), a.u64(1), a.usize(2), a.u32(3), a.u64(4), a.u32(5)),
        nr::RECVFROM => socket::recvfrom(a.int(0), a.u64(1), a.usize(2), a.u32(3), a.u64(4), a.u64(5)),
        nr::SENDMSG => socket::sendmsg(a.int(0), a.u64(1), a.u32(2)),
        nr::RECVMSG => socket::recvmsg(a.int(0), a.u64(1), a.u32(2)),
        nr::GETSOCKOPT => socket::getsockopt(a.int(0), a.int(1), a.int(2), a.u64(3), a.u64(4)),
        nr::SETSOCKOPT => socket::setsockopt(a.int(0), a.int(1), a.int(2), a.u64(3), a.u32(4)),
        other => unknown(other),
    }
}

/// An unknown number: ENOSYS, counted (/proc/enosys) and logged the first time.
fn unknown(number: usize) -> SysResult {
    if crate::enosys::record(number) {
        let name = nr::name(number).unwrap_or("unknown");
        log::warn!("syscall {number} ({name}) is not implemented: ENOSYS");
    }
    Err(Errno::ENOSYS)
}
