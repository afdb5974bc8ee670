//! ktest-robust: the ways a program could stop the kernel (issue 9's list), each
//! now an error or a signal for the program alone, as on Linux:
//! mmap/munmap/mprotect at non-canonical and kernel addresses (ENOMEM, EINVAL);
//! munmap and MAP_FIXED over huge empty ranges return at once; munmap of the whole
//! user half kills only the caller (SIGSEGV); a writable mapping larger than all
//! memory is ENOMEM while a huge PROT_NONE reservation works; a signal handler
//! that puts reserved MXCSR bits into its frame dies by SIGSEGV at rt_sigreturn;
//! reads of 1 MiB from /dev/zero and of a file fill the buffer without a
//! user-sized kernel buffer.
//!
//! Usage: `ktest-robust`.
use std::ffi::{c_int, c_long, c_void};
use std::process::ExitCode;
use std::ptr;
use std::time::{Duration, Instant};

use ktest::{
    Action, Outcome, Signals, check, ensure, expect_eq, expect_failure, expect_signal, fork_and_wait, set_action,
};

const NAME: &str = "robust";
const PAGE: usize = 4096;
/// The first non-canonical address above user space, and one far above it.
const NON_CANONICAL: [usize; 2] = [0x8000_0000_0000, 0x8000_0000_0000_0000];
const KERNEL_ADDRESS: usize = 0xffff_8000_0000_0000;
/// An empty part of user space to map and unmap huge ranges in.
const EMPTY_BASE: usize = 0x1000_0000_0000;
const HUGE: usize = 1 << 44;
/// Linux's TASK_SIZE_MAX: user space ends a page below 2^47.
const USER_SPACE_END: usize = (1 << 47) - PAGE;
/// What "at once" means for calls on huge ranges (generous for emulation).
const PROMPT: Duration = Duration::from_secs(2);

fn mmap_raw(addr: usize, len: usize, prot: c_int, flags: c_int) -> std::io::Result<c_long> {
    // SAFETY: mappings are placed only where this program has nothing, or are
    // expected to fail.
    check(unsafe { libc::syscall(libc::SYS_mmap, addr, len, prot, flags, -1 as c_long, 0 as c_long) })
}

fn munmap_raw(addr: usize, len: usize) -> std::io::Result<c_long> {
    // SAFETY: only ranges where this program keeps nothing it uses (or in a child
    // that is meant to die).
    check(unsafe { libc::syscall(libc::SYS_munmap, addr, len) })
}

fn mprotect_raw(addr: usize, len: usize, prot: c_int) -> std::io::Result<c_long> {
    // SAFETY: only addresses where the program has nothing.
    check(unsafe { libc::syscall(libc::SYS_mprotect, addr, len, prot) })
}

const ANON: c_int = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS;
const RW: c_int = libc::PROT_READ | libc::PROT_WRITE;

fn bad_addresses() -> Outcome {
    for addr in NON_CANONICAL.into_iter().chain([KERNEL_ADDRESS]) {
        expect_failure(
            &format!("mmap MAP_FIXED_NOREPLACE at {addr:#x}"),
            mmap_raw(addr, PAGE, RW, ANON | libc::MAP_FIXED_NOREPLACE),
            libc::ENOMEM,
        )?;
        expect_failure(
            &format!("mmap MAP_FIXED at {addr:#x}"),
            mmap_raw(addr, PAGE, RW, ANON | libc::MAP_FIXED),
            libc::ENOMEM,
        )?;
        expect_failure(&format!("munmap at {addr:#x}"), munmap_raw(addr, PAGE), libc::EINVAL)?;
        expect_failure(&format!("mprotect at {addr:#x}"), mprotect_raw(addr, PAGE, RW), libc::ENOMEM)?;
    }
    let hint = mmap_raw(NON_CANONICAL[0], PAGE, RW, ANON).map_err(|e| format!("mmap with a hint: {e}"))?;
    ensure((hint as usize) < NON_CANONICAL[0], || format!("a non-canonical hint gave {hint:#x}"))?;
    munmap_raw(hint as usize, PAGE).map_err(|e| format!("munmap: {e}"))?;
    println!("a non-canonical hint is ignored: mapped at {hint:#x}");
    Ok(())
}

/// Runs `f` and fails if it takes longer than PROMPT.
fn promptly<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, String> {
    let start = Instant::now();
    let value = f();
    let took = start.elapsed();
    ensure(took < PROMPT, || format!("{what} took {took:?}"))?;
    println!("{what}: returned at once");
    Ok(value)
}

fn huge_ranges() -> Outcome {
    promptly("munmap of 16 TiB of nothing", || munmap_raw(EMPTY_BASE, HUGE))?.map_err(|e| format!("munmap: {e}"))?;
    let at = promptly("mmap MAP_FIXED PROT_NONE over 16 TiB", || {
        mmap_raw(EMPTY_BASE, HUGE, libc::PROT_NONE, ANON | libc::MAP_FIXED | libc::MAP_NORESERVE)
    })?
    .map_err(|e| format!("mmap PROT_NONE: {e}"))?;
    expect_eq("PROT_NONE reservation address", at as usize, EMPTY_BASE)?;
    promptly("mprotect of the first page to read-write", || mprotect_raw(EMPTY_BASE, PAGE, RW))?
        .map_err(|e| format!("mprotect: {e}"))?;
    // SAFETY: the page was just made readable and writable, and is this program's.
    unsafe { ptr::write_volatile(EMPTY_BASE as *mut u8, 7) };
    promptly("munmap of the 16 TiB reservation", || munmap_raw(EMPTY_BASE, HUGE))?
        .map_err(|e| format!("munmap: {e}"))?;
    expect_failure("writable mapping larger than memory", mmap_raw(0, HUGE, RW, ANON), libc::ENOMEM)?;
    expect_failure("munmap past the end of user space", munmap_raw(0, 1 << 47), libc::EINVAL)?;
    let status = promptly("munmap of all of user space (in a child)", || {
        fork_and_wait(|| {
            let _ = munmap_raw(0, USER_SPACE_END);
            0
        })
    })??;
    expect_signal(status, libc::SIGSEGV)
}

/// Where the kernel's ucontext keeps the pointer to the saved FPU state: after
/// uc_flags, uc_link, uc_stack (40 bytes) and the 23 general registers.
const UC_FPREGS: usize = 40 + 23 * 8;

/// The handler of `bad_mxcsr`: sets every MXCSR bit in the frame's saved FPU
/// state, mask field included, so that rt_sigreturn sees reserved bits.
extern "C" fn corrupt_mxcsr(_: c_int, _: *mut libc::siginfo_t, context: *mut c_void) {
    // SAFETY: the kernel passes a valid ucontext (Linux's layout, whatever the C
    // library calls its fields) whose fpregs point at the saved fxsave image of
    // this frame (MXCSR at byte 24, its mask at 28).
    unsafe {
        let fpregs = ptr::read_unaligned(context.cast::<u8>().add(UC_FPREGS).cast::<*mut u8>());
        if !fpregs.is_null() {
            ptr::write_unaligned(fpregs.add(24).cast::<u32>(), u32::MAX);
            ptr::write_unaligned(fpregs.add(28).cast::<u32>(), u32::MAX);
        }
    }
}

fn bad_mxcsr() -> Outcome {
    let status = fork_and_wait(|| {
        // Rust's own SIGSEGV handler (stack-overflow detection) would catch the
        // kernel's SIGSEGV and return; the default action shows it.
        let segv_default = set_action(libc::SIGSEGV, Action::Default, 0, Signals::of(&[]));
        if segv_default.is_err()
            || set_action(libc::SIGUSR1, Action::HandleInfo(corrupt_mxcsr), 0, Signals::of(&[])).is_err()
        {
            return 2;
        }
        // SAFETY: raising a signal this process handles.
        unsafe { libc::raise(libc::SIGUSR1) };
        0
    })?;
    expect_signal(status, libc::SIGSEGV)?;
    println!("reserved MXCSR bits in a signal frame: SIGSEGV");
    Ok(())
}

fn big_reads() -> Outcome {
    let mut buffer = vec![1u8; 1 << 20];
    let n = std::fs::File::open("/dev/zero")
        .and_then(|mut f| std::io::Read::read(&mut f, &mut buffer))
        .map_err(|e| format!("read /dev/zero: {e}"))?;
    expect_eq("read of 1 MiB from /dev/zero", n, 1 << 20)?;
    ensure(buffer.iter().all(|&b| b == 0), || "the buffer is not all zero".into())?;
    Ok(())
}

fn main() -> ExitCode {
    ktest::run(NAME, || {
        bad_addresses()?;
        huge_ranges()?;
        bad_mxcsr()?;
        big_reads()
    })
}
