//! ktest-robust: the ways a program could stop the kernel (issue 9's list), each
//! now an error or a signal for the program alone, as on Linux:
//! mmap/munmap/mprotect at non-canonical and kernel addresses (ENOMEM, EINVAL);
//! munmap and MAP_FIXED over huge empty ranges return at once; munmap of the whole
//! user half kills only the caller (SIGSEGV); a writable mapping larger than all
//! memory is ENOMEM while a huge PROT_NONE reservation works; a signal handler
//! that puts reserved MXCSR bits into its frame dies by SIGSEGV at rt_sigreturn;
//! so does a process whose handler, SIGSEGV handler or restorer is at a
//! non-canonical address, and one whose handler's frame cannot be stored (its
//! alternate stack unmapped or read-only);
//! reads of 1 MiB from /dev/zero fill the buffer without a user-sized kernel
//! buffer, also while another process takes all memory until the OOM killer ends
//! it (and pipe writes then fill the pipe or fail with ENOMEM); a 2 GiB sendfile
//! ends at once on SIGKILL; filling /tmp stops
//! at half of memory with ENOSPC (where /tmp is a tmpfs: Kestrel's is; a host's
//! /tmp on disk skips that part).
//!
//! An unknown system call number called 100 times gives ENOSYS every time (the
//! boot test checks Kestrel's log is rate-limited meanwhile).
//!
//! Usage: `ktest-robust`.
use std::ffi::{c_int, c_long, c_void};
use std::os::fd::AsRawFd;
use std::process::ExitCode;
use std::ptr;
use std::time::{Duration, Instant};

use ktest::{
    Action, KernelSigaction, Outcome, Signals, check, ensure, expect_eq, expect_failure, expect_signal, fork_and_wait,
    map_anonymous_with, set_action,
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

/// Bytes of the alternate signal stacks `unwritable_signal_stacks` gives.
const ALT_STACK_SIZE: usize = 64 << 10;

/// A mapping of ALT_STACK_SIZE bytes with `prot`, unmapped again when `unmap`.
fn stack_mapping(prot: c_int, unmap: bool) -> Result<usize, String> {
    let address = map_anonymous_with(ALT_STACK_SIZE, prot).map_err(|e| format!("mmap: {e}"))?;
    // SAFETY: the mapping just made, which nothing uses.
    if unmap && unsafe { libc::munmap(address.cast(), ALT_STACK_SIZE) } != 0 {
        return Err(format!("munmap: {}", std::io::Error::last_os_error()));
    }
    Ok(address.addr())
}

/// A handler whose frame cannot be stored (its alternate stack is unmapped, or
/// read-only) is never entered: the process dies by SIGSEGV, as on Linux.
fn unwritable_signal_stacks() -> Outcome {
    for (what, prot, unmap) in
        [("an unmapped", libc::PROT_READ | libc::PROT_WRITE, true), ("a read-only", libc::PROT_READ, false)]
    {
        let stack = stack_mapping(prot, unmap)?;
        let status = fork_and_wait(|| {
            let segv_default = set_action(libc::SIGSEGV, Action::Default, 0, Signals::of(&[]));
            let on_stack =
                set_action(libc::SIGUSR1, Action::Handle(returns_at_once), libc::SA_ONSTACK, Signals::of(&[]));
            let alt = libc::stack_t { ss_sp: stack as *mut c_void, ss_flags: 0, ss_size: ALT_STACK_SIZE };
            // SAFETY: sigaltstack only records the range; raising a signal this
            // process handles.
            if segv_default.is_err() || on_stack.is_err() || unsafe { libc::sigaltstack(&alt, ptr::null_mut()) } != 0 {
                return 2;
            }
            // SAFETY: as above.
            unsafe { libc::raise(libc::SIGUSR1) };
            0
        })?;
        expect_signal(status, libc::SIGSEGV)?;
        println!("a handler on {what} alternate stack: SIGSEGV");
    }
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

const TMPFS_MAGIC: i64 = 0x0102_1994;

/// Whether `dir` is on a tmpfs (memory-backed).
fn on_tmpfs(dir: &str) -> bool {
    let path = std::ffi::CString::new(dir).unwrap_or_default();
    // SAFETY: an all-zero statfs is a valid buffer for the call to fill.
    let mut info: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: a NUL-terminated path and a buffer of the right type.
    unsafe { libc::statfs(path.as_ptr(), &mut info) == 0 && info.f_type as i64 == TMPFS_MAGIC }
}

const SA_RESTORER: u64 = 0x0400_0000;

fn set_raw_action(signal: c_int, handler: usize, restorer: usize) -> std::io::Result<c_long> {
    let action = KernelSigaction { handler, flags: SA_RESTORER, restorer, mask: 0 };
    // SAFETY: the kernel reads the struct; the addresses are only ever jumped to
    // by the signal's delivery, in the child that is meant to die of it.
    check(unsafe { libc::syscall(libc::SYS_rt_sigaction, signal, &action as *const KernelSigaction, 0usize, 8usize) })
}

extern "C" fn returns_at_once(_: c_int) {}

/// A handler, SIGSEGV's handler, or a restorer at a non-canonical address: the
/// child dies by SIGSEGV (the kernel never returns to such an address).
fn bad_handler_addresses() -> Outcome {
    let cases: [(&str, usize, usize, usize); 3] = [
        ("a non-canonical handler", NON_CANONICAL[0], 0, 0),
        ("non-canonical handlers for the signal and for SIGSEGV", NON_CANONICAL[1], NON_CANONICAL[0], 0),
        ("a non-canonical restorer", returns_at_once as *const () as usize, 0, NON_CANONICAL[0]),
    ];
    for (what, handler, segv_handler, restorer) in cases {
        let status = fork_and_wait(|| {
            let segv = if segv_handler == 0 {
                set_action(libc::SIGSEGV, Action::Default, 0, Signals::of(&[])).map(|()| 0)
            } else {
                set_raw_action(libc::SIGSEGV, segv_handler, segv_handler)
            };
            if segv.is_err() || set_raw_action(libc::SIGUSR1, handler, restorer).is_err() {
                return 2;
            }
            // SAFETY: raising a signal whose delivery is the test.
            unsafe { libc::raise(libc::SIGUSR1) };
            0
        })?;
        expect_signal(status, libc::SIGSEGV)?;
        println!("{what}: SIGSEGV");
    }
    Ok(())
}

/// A system call number x86-64 Linux does not have.
const NO_SUCH_SYSCALL: c_long = 600;
/// How many times it is called in a row, then once more after the kernel's log
/// window (5 s): Kestrel prints at most 10 warnings a window per call site, then
/// says how many it suppressed.
const UNKNOWN_CALLS: usize = 50;
const LOG_WINDOW: Duration = Duration::from_millis(5100);

fn unknown_calls_are_enosys() -> Outcome {
    let calls = || {
        (0..UNKNOWN_CALLS).try_for_each(|_| {
            // SAFETY: an unknown number has no effect but ENOSYS.
            let result = check(unsafe { libc::syscall(NO_SUCH_SYSCALL) });
            ensure(result.as_ref().err().and_then(|e| e.raw_os_error()) == Some(libc::ENOSYS), || {
                format!("syscall {NO_SUCH_SYSCALL}: {result:?}")
            })
        })
    };
    calls()?;
    std::thread::sleep(LOG_WINDOW);
    calls()?;
    println!("syscall {NO_SUCH_SYSCALL}, {} times: ENOSYS", 2 * UNKNOWN_CALLS);
    Ok(())
}

/// A sendfile of 2 GiB from /dev/urandom to /dev/null in a child: SIGKILL after a
/// moment ends it at once (the kernel stops between chunks for a signal, as
/// Linux's splice loop does), instead of after gigabytes.
fn long_transfers_stop_for_signals() -> Outcome {
    let child = ktest::spawn(|| {
        let (Ok(random), Ok(null)) = (std::fs::File::open("/dev/urandom"), std::fs::File::create("/dev/null")) else {
            return 2;
        };
        // SAFETY: sendfile between two open descriptors, no user memory.
        unsafe { libc::sendfile(null.as_raw_fd(), random.as_raw_fd(), ptr::null_mut(), 0x7fff_f000) };
        0
    })?;
    std::thread::sleep(Duration::from_millis(300));
    let start = Instant::now();
    // SAFETY: signals this process's own child.
    unsafe { libc::kill(child, libc::SIGKILL) };
    let status = ktest::wait_for(child)?;
    let took = start.elapsed();
    println!("a 2 GiB sendfile from /dev/urandom ended by SIGKILL after {} ms", took.as_millis());
    ensure(took < PROMPT, || format!("SIGKILL took {took:?} to end a long sendfile"))?;
    expect_signal(status, libc::SIGKILL)
}

/// Fill /tmp with a file until ENOSPC: a tmpfs takes at most half of memory (as
/// Linux's by default), so programs keep room. Skipped where /tmp is on disk.
fn full_tmpfs() -> Outcome {
    if !on_tmpfs("/tmp") {
        println!("/tmp is not a tmpfs: filling it is skipped");
        return Ok(());
    }
    let path = format!("/tmp/ktest-robust-fill-{}", std::process::id());
    let mut file = std::fs::File::create(&path).map_err(|e| format!("create {path}: {e}"))?;
    let chunk = vec![0x5au8; 1 << 20];
    let mut filled = 0u64;
    let full = loop {
        match std::io::Write::write(&mut file, &chunk) {
            Ok(0) => break Err("a write of the filling file wrote nothing".to_string()),
            Ok(n) => filled += n as u64,
            Err(e) if e.raw_os_error() == Some(libc::ENOSPC) => break Ok(()),
            Err(e) => break Err(format!("filling {path}: {e}")),
        }
    };
    let total = ktest::sysinfo()?.totalram;
    println!("the tmpfs took {} MiB of {} MiB, then ENOSPC", filled >> 20, total >> 20);
    let forked = fork_and_wait(|| 0);
    drop(file);
    std::fs::remove_file(&path).map_err(|e| format!("remove {path}: {e}"))?;
    full?;
    ensure(filled <= total / 2, || format!("the tmpfs took {filled} bytes of {total}"))?;
    expect_eq("fork with the tmpfs full", forked?.exit_code(), Some(0))
}

/// While a child takes memory until the OOM killer ends it (off Kestrel: until
/// its RLIMIT_AS of 256 MiB), this process reads 1 MiB from /dev/zero into a
/// buffer touched beforehand and writes 64 KiB into a pipe, again and again:
/// every read gets 1 MiB, every write fills the pipe or fails with ENOMEM.
fn reads_while_memory_runs_out() -> Outcome {
    let mut buffer = vec![1u8; 1 << 20];
    let zero = std::fs::File::open("/dev/zero").map_err(|e| format!("open /dev/zero: {e}"))?;
    let (reader, writer) = ktest::pipe2(libc::O_NONBLOCK).map_err(|e| format!("pipe2: {e}"))?;
    let hog = ktest::spawn(|| {
        if !ktest::on_kestrel() {
            let limit = libc::rlimit { rlim_cur: 256 << 20, rlim_max: 256 << 20 };
            // SAFETY: setrlimit reads the struct.
            unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) };
        }
        loop {
            let Ok(at) = mmap_raw(0, 1 << 20, RW, ANON) else { return 0 };
            for page in (0..1 << 20).step_by(PAGE) {
                // SAFETY: the page was just mapped for this process.
                unsafe { ptr::write_volatile((at as usize + page) as *mut u8, 1) };
            }
        }
    })?;
    let (mut reads, mut outcomes) = (0, [0usize; 2]);
    let status = loop {
        // SAFETY: reads into this process's own buffer of 1 MiB.
        let n = unsafe { libc::read(zero.as_raw_fd(), buffer.as_mut_ptr().cast(), buffer.len()) };
        ensure(n == 1 << 20, || format!("read {reads} of 1 MiB from /dev/zero gave {n}"))?;
        reads += 1;
        // SAFETY: writes from the buffer, which holds 1 MiB.
        let w = unsafe { libc::write(writer.as_raw_fd(), buffer.as_ptr().cast(), 64 << 10) };
        let errno = std::io::Error::last_os_error().raw_os_error();
        match (w, errno) {
            (n, _) if n >= 0 => outcomes[0] += 1,
            (_, Some(libc::ENOMEM | libc::EAGAIN)) => outcomes[1] += 1,
            (_, e) => return Err(format!("pipe write: errno {e:?}")),
        }
        // SAFETY: drains the pipe into the buffer (non-blocking).
        unsafe { libc::read(reader.as_raw_fd(), buffer.as_mut_ptr().cast(), 64 << 10) };
        if let Some(status) = ktest::try_wait(hog)? {
            break status;
        }
    };
    println!(
        "while a child took memory until it ended ({status}): {reads} reads of 1 MiB from /dev/zero, pipe writes: {} went in, {} ENOMEM or full",
        outcomes[0], outcomes[1]
    );
    let status = fork_and_wait(|| 0)?;
    expect_eq("fork after the memory came back", status.exit_code(), Some(0))
}

fn main() -> ExitCode {
    ktest::run(NAME, || {
        bad_addresses()?;
        unknown_calls_are_enosys()?;
        huge_ranges()?;
        bad_mxcsr()?;
        bad_handler_addresses()?;
        unwritable_signal_stacks()?;
        big_reads()?;
        long_transfers_stop_for_signals()?;
        full_tmpfs()?;
        reads_while_memory_runs_out()
    })
}
