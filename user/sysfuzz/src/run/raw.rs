//! Raw system calls with the `syscall` instruction. A worker's fuzzed calls and its
//! own upkeep go through these rather than libc: a fuzzed call may leave the C
//! library unusable (arch_prctl moving the thread pointer that errno lives behind),
//! and the child of a fuzzed fork must exit without touching memory. Each returns
//! the kernel's raw result: -errno on failure.
use std::arch::{asm, naked_asm};
use std::ffi::c_int;

use kabi::nr;

/// The `asm!` of one `syscall` instruction in the x86-64 Linux convention: the
/// number (`$nr`) in rax, the six arguments (`$args`) in rdi, rsi, rdx, r10, r8 and
/// r9, the result in rax; the instruction clobbers rcx and r11 and does not touch the
/// stack. More instructions (`$code`, with their `$operands`) may follow it; they may
/// clobber rdi. The value is the result.
macro_rules! syscall_asm {
    ($nr:expr, $args:expr $(, $code:literal)* $(; $($operands:tt)+)?) => {{
        let result: i64;
        let args: [u64; 6] = $args;
        asm!(
            "syscall",
            $($code,)*
            $($($operands)+,)?
            inlateout("rax") $nr => result,
            inlateout("rdi") args[0] => _,
            in("rsi") args[1],
            in("rdx") args[2],
            in("r10") args[3],
            in("r8") args[4],
            in("r9") args[5],
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
        result
    }};
}

/// syscall(nr, a0, ..., a5).
///
/// # Safety
///
/// The call may do to this process whatever the kernel lets it: the caller
/// answers for what it means (for a fuzzed call, the rules in `sysfuzz::rules`
/// keep it off the memory and descriptors the worker depends on).
pub unsafe fn syscall6(nr: u64, args: [u64; 6]) -> i64 {
    // SAFETY: the instruction follows the kernel's convention (see syscall_asm);
    // what the call does is the caller's to answer for.
    unsafe { syscall_asm!(nr, args) }
}

/// For fork, vfork, clone and clone3: like [`syscall6`] in the parent, while a
/// child (the call returned 0) calls exit_group(0) at once, in the same few
/// instructions, so that it touches no memory: not the stack it may share with
/// the parent (vfork) or that clone may have moved anywhere, not the heap. Without
/// this each child would go on fuzzing as a copy of the worker, and fork again.
///
/// # Safety
///
/// As for [`syscall6`].
pub unsafe fn fork_like6(nr: u64, args: [u64; 6]) -> i64 {
    // SAFETY: as in syscall6; the child's path ends in exit_group and never leaves
    // the block, so only the parent's path (rax the result) matters to the compiler.
    unsafe {
        syscall_asm!(
            nr,
            args,
            "test rax, rax",
            "jnz 2f",
            "mov eax, {exit_group}",
            "xor edi, edi",
            "syscall",
            "ud2",
            "2:";
            exit_group = const nr::EXIT_GROUP
        )
    }
}

/// A call with fewer arguments, which touches no memory of this process except
/// what its arguments point at.
///
/// # Safety
///
/// As for [`syscall6`].
unsafe fn call(nr: usize, args: &[u64]) -> i64 {
    let mut all = [0; 6];
    all[..args.len()].copy_from_slice(args);
    // SAFETY: passed on to the caller.
    unsafe { syscall6(nr as u64, all) }
}

/// exit_group(code), without libc (whose exit runs handlers and flushes buffers).
pub fn exit_now(code: c_int) -> ! {
    // SAFETY: exit_group ends the process; nothing after it runs.
    unsafe {
        call(nr::EXIT_GROUP, &[code as u64]);
    }
    unreachable!("exit_group returned")
}

pub fn getpid() -> i32 {
    // SAFETY: getpid reads nothing and writes nothing of ours.
    unsafe { call(nr::GETPID, &[]) as i32 }
}

pub fn getppid() -> i32 {
    // SAFETY: getppid reads nothing and writes nothing of ours.
    unsafe { call(nr::GETPPID, &[]) as i32 }
}

/// pwrite64(fd, bytes, offset).
pub fn pwrite(fd: c_int, bytes: &[u8], offset: u64) -> i64 {
    // SAFETY: the kernel reads bytes.len() bytes from `bytes`, which is borrowed
    // for the call.
    unsafe { call(nr::PWRITE64, &[fd as u64, bytes.as_ptr() as u64, bytes.len() as u64, offset]) }
}

/// write(fd, bytes).
pub fn write(fd: c_int, bytes: &[u8]) -> i64 {
    // SAFETY: the kernel reads bytes.len() bytes from `bytes`, borrowed for the call.
    unsafe { call(nr::WRITE, &[fd as u64, bytes.as_ptr() as u64, bytes.len() as u64]) }
}

/// open(path, flags), `path` NUL-terminated.
pub fn open(path: &[u8], flags: c_int) -> i64 {
    assert_eq!(path.last(), Some(&0), "a NUL-terminated path");
    // SAFETY: the kernel reads the NUL-terminated `path`, borrowed for the call.
    unsafe { call(nr::OPEN, &[path.as_ptr() as u64, flags as u64, 0]) }
}

/// dup2(old, new). The callers only ever replace descriptors that no Rust owner
/// holds in a worker (the pool's numbers, the standard ones, the record's).
pub fn dup2(old: c_int, new: c_int) -> i64 {
    // SAFETY: dup2 changes only the descriptor table, at numbers a worker owns.
    unsafe { call(nr::DUP2, &[old as u64, new as u64]) }
}

/// close(fd), for the worker's own numbers (nothing in Rust owns them).
pub fn close(fd: c_int) -> i64 {
    // SAFETY: as for dup2.
    unsafe { call(nr::CLOSE, &[fd as u64]) }
}

pub fn fchdir(fd: c_int) -> i64 {
    // SAFETY: fchdir only changes the current directory.
    unsafe { call(nr::FCHDIR, &[fd as u64]) }
}

/// mmap(addr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0).
///
/// # Safety
///
/// Whatever was mapped at `addr..addr + len` is gone: no reference may point
/// there (the worker maps only its arena, which it reaches by address alone).
pub unsafe fn mmap_fixed(addr: u64, len: u64, prot: c_int) -> i64 {
    let flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED;
    // SAFETY: the caller vouches for the range.
    unsafe { call(nr::MMAP, &[addr, len, prot as u64, flags as u64, u64::MAX, 0]) }
}

/// mprotect(addr, len, prot).
///
/// # Safety
///
/// As for [`mmap_fixed`]: no reference may point at the range.
pub unsafe fn mprotect(addr: u64, len: u64, prot: c_int) -> i64 {
    // SAFETY: the caller vouches for the range.
    unsafe { call(nr::MPROTECT, &[addr, len, prot as u64]) }
}

/// wait4(-1, NULL, WNOHANG | __WALL, NULL): reaps any one child that has ended.
pub fn reap_one() -> i64 {
    let options = (libc::WNOHANG | libc::__WALL) as u64;
    // SAFETY: null status and rusage pointers: the kernel writes nothing of ours.
    unsafe { call(nr::WAIT4, &[u64::MAX, 0, options, 0]) }
}

const ARCH_SET_FS: u64 = 0x1002;
const ARCH_GET_FS: u64 = 0x1003;

/// The thread pointer (FS base), where the C library keeps errno and Rust its
/// thread-locals.
pub fn fs_base() -> u64 {
    let mut base = 0u64;
    // SAFETY: ARCH_GET_FS stores eight bytes at the address of `base`.
    unsafe { call(nr::ARCH_PRCTL, &[ARCH_GET_FS, &raw mut base as u64]) };
    base
}

/// Puts the thread pointer back to `base`, a value [`fs_base`] gave.
pub fn set_fs_base(base: u64) {
    // SAFETY: `base` is this thread's own thread pointer, read at start-up.
    unsafe { call(nr::ARCH_PRCTL, &[ARCH_SET_FS, base]) };
}

const SA_RESTORER: u64 = 0x0400_0000;

/// The kernel's struct sigaction on x86-64 (not the C library's).
#[repr(C)]
struct KernelSigaction {
    handler: u64,
    flags: u64,
    restorer: u64,
    mask: u64,
}

/// Returns from a signal handler (what the C library's __restore_rt does).
#[unsafe(naked)]
unsafe extern "C" fn restore_rt() -> ! {
    naked_asm!("mov eax, {sigreturn}", "syscall", "ud2", sigreturn = const nr::RT_SIGRETURN)
}

/// rt_sigaction(signal, handler) without SA_RESTART (a handled signal interrupts
/// a blocking call with EINTR) and with an empty mask.
pub fn set_handler(signal: c_int, handler: extern "C" fn(c_int)) -> i64 {
    let action = KernelSigaction {
        handler: handler as usize as u64,
        flags: SA_RESTORER,
        restorer: restore_rt as *const () as u64,
        mask: 0,
    };
    // SAFETY: the kernel reads the action from `action`, borrowed for the call;
    // the handler is an `extern "C"` function and the restorer ends in
    // rt_sigreturn, as the kernel expects.
    unsafe { call(nr::RT_SIGACTION, &[signal as u64, &raw const action as u64, 0, 8]) }
}

/// rt_sigprocmask(SIG_UNBLOCK, {signal}).
pub fn unblock(signal: c_int) -> i64 {
    let set: u64 = 1 << (signal - 1);
    // SAFETY: the kernel reads the eight-byte set from `set`, borrowed for the call.
    unsafe { call(nr::RT_SIGPROCMASK, &[libc::SIG_UNBLOCK as u64, &raw const set as u64, 0, 8]) }
}

/// setitimer(ITIMER_REAL) firing every `micros` microseconds.
pub fn alarm_every(micros: u64) -> i64 {
    let period = [micros / 1_000_000, micros % 1_000_000];
    let value = [period[0], period[1], period[0], period[1]];
    // SAFETY: the kernel reads a struct itimerval (two timevals, four words) from
    // `value`, borrowed for the call, and writes no old value (null).
    unsafe { call(nr::SETITIMER, &[libc::ITIMER_REAL as u64, value.as_ptr() as u64, 0]) }
}

/// `-errno` as the errno, or None for a success.
pub fn errno_of(result: i64) -> Option<c_int> {
    (-4095..0).contains(&result).then(|| -result as c_int)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_calls_work() {
        assert_eq!(getpid() as u32, std::process::id());
        assert_eq!(errno_of(close(-1)), Some(libc::EBADF));
        assert_eq!(errno_of(5), None);
        assert_eq!(write(-1, b"x"), -i64::from(libc::EBADF));
        assert_ne!(fs_base(), 0);
    }

    /// The child of a fork-like call exits at once with 0, even when clone gave
    /// it a stack pointer that points nowhere.
    #[test]
    fn fork_like_children_exit_at_once() {
        let calls = [
            (nr::FORK, [0; 6]),
            (nr::CLONE, [libc::SIGCHLD as u64, 0x10, 0, 0, 0, 0]),
            (nr::CLONE, [(libc::CLONE_VFORK | libc::SIGCHLD) as u64, 0xdead_0000, 0, 0, 0, 0]),
        ];
        for (number, args) in calls {
            // SAFETY: the child exits at once; the parent only gets its pid.
            let child = unsafe { fork_like6(number as u64, args) };
            assert!(child > 0, "{number}: {child}");
            let status = ktest::wait_for(child as i32).unwrap();
            ktest::expect_exit(status, 0).unwrap();
        }
    }
}
