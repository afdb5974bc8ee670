//! ktest-clone: clone's details that C libraries rely on, as Linux gives them:
//! glibc's fork is clone(CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD),
//! and the child reads its tid from the CLONE_CHILD_SETTID word at once: 1,000
//! such clones each return the child's pid (never an error) and each child finds
//! its own tid there; vfork's parent sleeps until the child exits; and the
//! scheduling calls of a one-CPU system: sched_getaffinity (a mask of whole
//! longs, EINVAL for a shorter buffer), sched_setaffinity (EINVAL for an empty
//! mask) and getcpu; and clone3 as a fork, with its errors for bad structs.
//!
//! Usage: `ktest-clone`.
use std::ffi::c_long;
use std::process::ExitCode;
use std::ptr;
use std::time::{Duration, Instant};

use ktest::{Outcome, check, ensure, expect_eq, expect_exit, expect_failure, wait_for};

const NAME: &str = "clone";
const CLONES: usize = 1000;
/// How long the vfork child sleeps before it exits (NAP).
const VFORK_NAP: Duration = Duration::from_millis(200);

/// glibc's fork: a raw clone with CLONE_CHILD_SETTID and CLONE_CHILD_CLEARTID at
/// `tid_word`. The child checks the word holds its tid and exits at once.
fn glibc_like_fork(tid_word: &mut i32) -> std::io::Result<c_long> {
    let flags = (libc::CLONE_CHILD_SETTID | libc::CLONE_CHILD_CLEARTID | libc::SIGCHLD) as c_long;
    let word: *mut i32 = tid_word;
    // SAFETY: a fork-like clone (no CLONE_VM, no new stack); the child only reads
    // its own copy of the word and exits without returning into Rust code.
    let pid = check(unsafe { libc::syscall(libc::SYS_clone, flags, 0usize, ptr::null_mut::<i32>(), word, 0usize) })?;
    if pid == 0 {
        // SAFETY: the child reads its copy of the word and makes raw exits only.
        unsafe {
            let seen = ptr::read_volatile(word);
            let tid = libc::syscall(libc::SYS_gettid) as i32;
            libc::syscall(libc::SYS_exit_group, c_long::from(seen != tid));
        }
    }
    Ok(pid)
}

/// clone3's `struct clone_args`, up to `tls` (CLONE_ARGS_SIZE_VER0).
#[repr(C)]
#[derive(Default)]
struct CloneArgs {
    flags: u64,
    pidfd: u64,
    child_tid: u64,
    parent_tid: u64,
    exit_signal: u64,
    stack: u64,
    stack_size: u64,
    tls: u64,
}

/// clone3 as a fork (exit signal SIGCHLD, CLONE_CHILD_SETTID): the child finds
/// its tid in the word and exits through raw system calls; bad argument structs
/// give Linux's errors.
fn clone3_forks() -> Outcome {
    let mut tid_word = 0i32;
    let word: *mut i32 = &mut tid_word;
    let args = CloneArgs {
        flags: libc::CLONE_CHILD_SETTID as u64,
        child_tid: word as u64,
        exit_signal: libc::SIGCHLD as u64,
        ..CloneArgs::default()
    };
    let size = std::mem::size_of::<CloneArgs>();
    // SAFETY: a fork-like clone3 (no CLONE_VM, no new stack); the child reads its
    // copy of the word and exits without returning into Rust code.
    let pid = check(unsafe { libc::syscall(libc::SYS_clone3, &args as *const CloneArgs, size) })
        .map_err(|e| format!("clone3: {e}"))?;
    if pid == 0 {
        // SAFETY: raw reads and exits in the child.
        unsafe {
            let seen = ptr::read_volatile(word);
            let tid = libc::syscall(libc::SYS_gettid) as i32;
            libc::syscall(libc::SYS_exit_group, c_long::from(seen != tid));
        }
    }
    expect_exit(wait_for(pid as libc::pid_t)?, 0).map_err(|e| format!("the clone3 child's tid word: {e}"))?;
    println!("clone3 as fork: the child found its tid");
    // SAFETY: the kernel only reads the struct, and refuses it before cloning.
    let short = check(unsafe { libc::syscall(libc::SYS_clone3, &args as *const CloneArgs, 32usize) });
    expect_failure("clone3 with a struct of 32 bytes", short, libc::EINVAL)?;
    let signal_in_flags = CloneArgs { flags: libc::SIGCHLD as u64, ..CloneArgs::default() };
    // SAFETY: as above.
    let bad = check(unsafe { libc::syscall(libc::SYS_clone3, &signal_in_flags as *const CloneArgs, size) });
    expect_failure("clone3 with the exit signal in flags", bad, libc::EINVAL)?;
    let half_stack = CloneArgs { stack: 0x1000, exit_signal: libc::SIGCHLD as u64, ..CloneArgs::default() };
    // SAFETY: as above.
    let bad = check(unsafe { libc::syscall(libc::SYS_clone3, &half_stack as *const CloneArgs, size) });
    expect_failure("clone3 with a stack but no size", bad, libc::EINVAL)
}

fn settid_forks() -> Outcome {
    let mut tid_word = 0i32;
    for n in 0..CLONES {
        let pid = glibc_like_fork(&mut tid_word).map_err(|e| format!("clone {n}: {e}"))?;
        expect_exit(wait_for(pid as libc::pid_t)?, 0).map_err(|e| format!("clone {n}: the child's tid word: {e}"))?;
    }
    println!("{CLONES} clones with CLONE_CHILD_SETTID: each child found its tid");
    Ok(())
}

/// What the vfork child sleeps: VFORK_NAP.
static NAP: libc::timespec = libc::timespec { tv_sec: 0, tv_nsec: 200_000_000 };

/// vfork, in one asm block: the child shares this stack, so it must not touch
/// memory at all; it sleeps NAP and exits through raw system calls.
fn vfork_child_naps() -> c_long {
    let pid: c_long;
    // SAFETY: the child runs only the instructions below (nanosleep, exit) with
    // registers, never returning into Rust code or writing the shared stack.
    unsafe {
        std::arch::asm!(
            "syscall",
            "test rax, rax",
            "jnz 2f",
            "mov eax, {nanosleep}",
            "mov rdi, r12",
            "xor esi, esi",
            "syscall",
            "mov eax, {exit}",
            "xor edi, edi",
            "syscall",
            "2:",
            nanosleep = const libc::SYS_nanosleep,
            exit = const libc::SYS_exit,
            in("r12") &raw const NAP,
            inout("rax") libc::SYS_vfork => pid,
            out("rcx") _,
            out("r11") _,
            out("rdi") _,
            out("rsi") _,
        );
    }
    pid
}

fn vfork_waits() -> Outcome {
    let start = Instant::now();
    let pid = check(vfork_child_naps()).map_err(|e| format!("vfork: {e}"))?;
    let resumed = start.elapsed();
    expect_exit(wait_for(pid as libc::pid_t)?, 0)?;
    ensure(resumed >= VFORK_NAP, || format!("the vfork parent resumed after {resumed:?}, before the child exited"))?;
    println!("vfork: the parent slept until the child exited");
    Ok(())
}

fn affinity() -> Outcome {
    let mut mask = [0u64; 16];
    // SAFETY: the buffer holds 128 bytes.
    let size = check(unsafe { libc::syscall(libc::SYS_sched_getaffinity, 0, 128usize, mask.as_mut_ptr()) })
        .map_err(|e| format!("sched_getaffinity: {e}"))? as usize;
    ensure(size >= 8 && size.is_multiple_of(8), || format!("sched_getaffinity returned {size}"))?;
    ensure(mask.iter().any(|&m| m != 0), || "sched_getaffinity: no CPU in the mask".into())?;
    println!("sched_getaffinity: a {size}-byte mask with {} CPUs", mask.iter().map(|m| m.count_ones()).sum::<u32>());
    // SAFETY: a 4-byte length for a 128-byte buffer: the kernel refuses it.
    let short = check(unsafe { libc::syscall(libc::SYS_sched_getaffinity, 0, 4usize, mask.as_mut_ptr()) });
    expect_failure("sched_getaffinity into 4 bytes", short, libc::EINVAL)?;
    let none = [0u64; 16];
    // SAFETY: the kernel reads the 128-byte mask.
    let empty = check(unsafe { libc::syscall(libc::SYS_sched_setaffinity, 0, 128usize, none.as_ptr()) });
    expect_failure("sched_setaffinity to no CPU", empty, libc::EINVAL)?;
    // SAFETY: the kernel reads the mask it gave.
    check(unsafe { libc::syscall(libc::SYS_sched_setaffinity, 0, size, mask.as_ptr()) })
        .map_err(|e| format!("sched_setaffinity to the mask it had: {e}"))?;
    let (mut cpu, mut node) = (u32::MAX, u32::MAX);
    // SAFETY: two u32 outputs and no cache argument.
    check(unsafe { libc::syscall(libc::SYS_getcpu, &mut cpu as *mut u32, &mut node as *mut u32, 0usize) })
        .map_err(|e| format!("getcpu: {e}"))?;
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get()) as u32;
    ensure(cpu < cpus.max(mask.iter().map(|m| m.count_ones()).sum()), || format!("getcpu gave CPU {cpu}"))?;
    expect_eq("getcpu's NUMA node", node, 0)
}

fn main() -> ExitCode {
    ktest::run(NAME, || {
        settid_forks()?;
        clone3_forks()?;
        vfork_waits()?;
        affinity()
    })
}
