//! ktest-exhaust: running out of resources gives Linux's errors or kills only the
//! process that ran out, and the system carries on. Each sub-test runs in a forked
//! child, so this process survives whatever happens to it:
//!
//! - `memory`: a child maps and touches anonymous 1 MiB chunks until mmap fails with
//!   ENOMEM or the child is killed by SIGKILL (an OOM killer), another grows the heap
//!   with brk 1 MiB at a time until the break stops moving (or it is killed). Off
//!   Kestrel each first sets RLIMIT_AS to 512 MiB, to spare the host. Afterwards
//!   fork works and a 1 MiB read from /dev/zero gives 1048576 bytes, and it still
//!   does under RLIMIT_AS 64 MiB (no kernel buffer the size of the read).
//! - `fds`: opening /dev/null until EMFILE gives RLIMIT_NOFILE minus the descriptors
//!   already open (the soft limit is first lowered to 65536 if it is higher); with the
//!   soft limit at 64, open fails with EMFILE once 0-63 are taken, dup2 to 64 gives
//!   EBADF, F_DUPFD from 64 EINVAL, poll of 65 descriptors EINVAL; a soft limit above
//!   the hard one is EINVAL; closing one lets open work again.
//! - `recursion`: endless recursion (1 KiB frames) dies by SIGSEGV (Rust's runtime
//!   may report the overflow and abort: SIGABRT) under the inherited stack limit
//!   (at most 8 MiB), and again in an image executed under RLIMIT_STACK 1 MiB, at a
//!   depth smaller by the ratio of the limits (each level reports its depth every 64
//!   levels through a pipe).
//! - `argv`: execve of itself under RLIMIT_STACK 8 MiB, no environment. Linux lets
//!   the strings (with their NULs, the path counted twice: as argv[0] and as the
//!   name executed) and 8 bytes for each argv pointer take a quarter of the stack
//!   limit, 2097152 bytes: 16 strings of 131071 bytes + NUL fail with E2BIG, 8 work;
//!   exactly 2097152 bytes work, one more is E2BIG. One string may have 131072 bytes
//!   with its NUL (MAX_ARG_STRLEN); one more is E2BIG.
//! - `rlimits`: getrlimit, setrlimit and prlimit64 (pid 0 and its own pid), raw, for
//!   RLIMIT_AS, DATA, STACK, NOFILE, NPROC and FSIZE: limits read back, a soft limit
//!   above the hard one and resource 99 are EINVAL, bad pointers EFAULT, an unknown
//!   pid ESRCH; limits are inherited by fork and kept by execve. RLIMIT_FSIZE 10000:
//!   a 20000-byte write is cut to 10000, the next is EFBIG with SIGXFSZ ignored, and
//!   kills by SIGXFSZ without. RLIMIT_DATA 16 MiB: brk past 16 MiB and a 32 MiB
//!   private writable mmap fail (Linux counts such mappings as data since 4.7).
//!   RLIMIT_AS 64 MiB: a 128 MiB mmap is ENOMEM. RLIMIT_NPROC (not for root on
//!   Linux, which exempts it; always on Kestrel): with the limit at this user's
//!   process count + 5, fork gives EAGAIN after a few children, and 3 more once the
//!   limit is 3 higher.
//!
//! Usage: `ktest-exhaust [memory] [fds] [recursion] [argv] [rlimits]` (default: all).
//! The program runs itself as `ktest-exhaust --noop` (exit 0 at once), `--recurse FD`
//! and `--limits-are LIST`.
use std::env;
use std::ffi::{CStr, CString, OsString, c_int, c_long};
use std::fs::{self, File};
use std::hint::black_box;
use std::io::{self, Read};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::fs::MetadataExt;
use std::process::ExitCode;

use ktest::{
    Action, Context, Limit, Outcome, Scratch, WaitStatus, brk, c_string, check, child_check, ensure, errno_name,
    expect_eq, expect_errno, expect_exit, expect_failure, expect_signal, fcntl, fork_and_wait, get_limit,
    map_anonymous, on_kestrel, open_fd, operands, own_path, pipe, prlimit, read_fd, set_action, set_limit, signal_name,
    spawn, wait_for, write_fd,
};
use ulib::diag::error_text;
use ulib::jobctl::kill;
use ulib::process::{execve, pid_t};

const NAME: &str = "exhaust";
const NOOP_FLAG: &str = "--noop";
const RECURSE_FLAG: &str = "--recurse";
const LIMITS_FLAG: &str = "--limits-are";
const KIB: usize = 1 << 10;
const MIB: usize = 1 << 20;
const PAGE_SIZE: usize = 4096;
const INFINITY: u64 = u64::MAX;

/// A sub-test: its name and what it runs.
type Subtest = (&'static str, fn() -> Outcome);

/// The sub-tests, in the order they run.
const SUBTESTS: [Subtest; 5] =
    [("memory", memory), ("fds", fds), ("recursion", recursion), ("argv", argv), ("rlimits", rlimits)];

/// A forked child that reports through a pipe: what it wrote there, and how it ended.
fn child_with_pipe(child: impl FnOnce(&File) -> c_int) -> Result<(Vec<u8>, WaitStatus), String> {
    let (mut reader, writer) = pipe().context("pipe")?;
    let pid = spawn(|| child(&writer))?;
    drop(writer);
    let mut report = Vec::new();
    reader.read_to_end(&mut report).context("read from the child's pipe")?;
    Ok((report, wait_for(pid)?))
}

/// Writes a byte to every page of `length` bytes at `start`.
///
/// # Safety
///
/// The pages must be writable memory that nothing else uses.
unsafe fn touch_pages(start: *mut u8, length: usize) {
    for offset in (0..length).step_by(PAGE_SIZE) {
        // SAFETY: the caller gives writable memory of `length` bytes that is unused.
        unsafe { start.add(offset).write_volatile(1) };
    }
}

/// How a child that ran out of memory ended: `Ok(text)` for an acceptable end.
fn out_of_memory(what: &str, status: WaitStatus, normal_end: &str) -> Result<String, String> {
    match (status.exit_code(), status.killing_signal()) {
        (Some(0), _) => Ok(normal_end.into()),
        (None, Some(libc::SIGKILL)) => Ok("killed by SIGKILL (out of memory)".into()),
        _ => Err(format!("{what}: the child ended with {status}")),
    }
}

/// Off Kestrel, limits this (child) process to 512 MiB of address space.
fn spare_the_host() -> Outcome {
    if !on_kestrel() {
        set_limit(libc::RLIMIT_AS, 512 << 20, 512 << 20).context("setrlimit RLIMIT_AS 512 MiB")?;
    }
    Ok(())
}

/// mmap and touch 1 MiB chunks until mmap fails (ENOMEM: exit 0) or the kernel
/// kills the process; a byte on `report` for each chunk.
fn eat_by_mmap(report: &File) -> c_int {
    child_check("memory: mmap child", || {
        spare_the_host()?;
        loop {
            match map_anonymous(MIB) {
                // SAFETY: the chunk was just mapped, writable, for this loop alone.
                Ok(chunk) => unsafe { touch_pages(chunk, MIB) },
                Err(err) => return expect_errno("mmap", &err, libc::ENOMEM),
            }
            // A lost report only makes the count printed smaller.
            let _ = write_fd(report.as_raw_fd(), b".");
        }
    })
}

/// Grows the break by 1 MiB at a time, touching it, until it stops moving (exit 0)
/// or the kernel kills the process; a byte on `report` for each MiB.
fn eat_by_brk(report: &File) -> c_int {
    child_check("memory: brk child", || {
        spare_the_host()?;
        // SAFETY: brk(0) only reads the break.
        let mut current = unsafe { brk(0) };
        loop {
            // SAFETY: moving the break up frees nothing; this child allocates nothing
            // from here on but what it touches itself.
            let moved = unsafe { brk(current + MIB) };
            if moved != current + MIB {
                return ensure(moved == current, || format!("brk returned {moved:#x}, not the old {current:#x}"));
            }
            // SAFETY: brk just made [current, current + 1 MiB) writable and unused.
            unsafe { touch_pages(current as *mut u8, MIB) };
            current = moved;
            let _ = write_fd(report.as_raw_fd(), b".");
        }
    })
}

/// /dev/zero, and a 1 MiB buffer of ones, every page present.
fn zeros_and_a_buffer() -> Result<(File, Vec<u8>), String> {
    Ok((File::open("/dev/zero").context("open /dev/zero")?, vec![1u8; MIB]))
}

/// One read(2) of 1 MiB from /dev/zero into `buffer`: all 1048576 bytes come, zeroed.
fn read_a_mib_of_zeros(what: &str, zero: &File, buffer: &mut [u8]) -> Outcome {
    let count = read_fd(zero.as_raw_fd(), buffer).context("read /dev/zero")?;
    ensure(buffer[..count].iter().all(|&byte| byte == 0), || format!("{what}: the bytes read are not zero"))?;
    expect_eq(&format!("memory: {what}: read of 1 MiB from /dev/zero"), count, MIB)
}

fn memory() -> Outcome {
    let (report, status) = child_with_pipe(eat_by_mmap)?;
    let end = out_of_memory("mmap", status, "ENOMEM")?;
    println!("memory: mmap of touched 1 MiB chunks: {} MiB, then {end}", report.len());
    let (report, status) = child_with_pipe(eat_by_brk)?;
    let end = out_of_memory("brk", status, "the break stopped moving")?;
    println!("memory: brk 1 MiB at a time: {} MiB, then {end}", report.len());

    expect_exit(fork_and_wait(|| 0)?, 0)?;
    println!("memory: fork still works");
    let (zero, mut buffer) = zeros_and_a_buffer()?;
    read_a_mib_of_zeros("afterwards", &zero, &mut buffer)?;
    let status = fork_and_wait(|| {
        child_check("memory: RLIMIT_AS 64 MiB", || {
            let (zero, mut buffer) = zeros_and_a_buffer()?;
            set_limit(libc::RLIMIT_AS, 64 << 20, 64 << 20).context("setrlimit RLIMIT_AS")?;
            read_a_mib_of_zeros("under RLIMIT_AS 64 MiB", &zero, &mut buffer)
        })
    })?;
    expect_exit(status, 0)
}

/// Whether descriptor `fd` is open.
fn is_open(fd: RawFd) -> bool {
    fcntl(fd, libc::F_GETFD, 0).is_ok()
}

/// Opens /dev/null until open fails, which must be with EMFILE: the descriptors.
fn open_until_emfile() -> Result<Vec<OwnedFd>, String> {
    let mut opened = Vec::new();
    loop {
        match open_fd("/dev/null", libc::O_RDONLY, 0) {
            Ok(fd) => opened.push(fd),
            Err(err) => {
                expect_errno(&format!("open number {}", opened.len() + 1), &err, libc::EMFILE)?;
                return Ok(opened);
            }
        }
    }
}

/// The highest soft RLIMIT_NOFILE the test fills (each descriptor costs kernel memory).
const FD_CAP: u64 = 65536;
/// The soft RLIMIT_NOFILE of the second part.
const SMALL_NOFILE: u64 = 64;

fn fds() -> Outcome {
    let limit = get_limit(libc::RLIMIT_NOFILE).context("getrlimit RLIMIT_NOFILE")?;
    let soft = limit.soft.min(FD_CAP);
    if soft != limit.soft {
        set_limit(libc::RLIMIT_NOFILE, soft, limit.hard).context("setrlimit RLIMIT_NOFILE")?;
    }
    let highest = RawFd::try_from(soft).map_err(|_| "absurd RLIMIT_NOFILE")?;
    let open_before = (0..highest).filter(|&fd| is_open(fd)).count();
    let opened = open_until_emfile()?;
    println!(
        "fds: RLIMIT_NOFILE {soft} (hard {}), {open_before} open before: {} more opened, then EMFILE",
        limit.hard,
        opened.len()
    );
    expect_eq("fds: descriptors opened", opened.len() as u64, soft - open_before as u64)?;
    drop(opened);

    set_limit(libc::RLIMIT_NOFILE, SMALL_NOFILE, limit.hard).context("setrlimit RLIMIT_NOFILE 64")?;
    let mut opened = open_until_emfile()?;
    let last = opened.last().map_or(-1, AsRawFd::as_raw_fd);
    expect_eq("fds: with RLIMIT_NOFILE 64, the last descriptor open gave", last, 63)?;
    expect_failure("fds: dup2(0, 64)", ktest::dup2(0, 64), libc::EBADF)?;
    expect_failure("fds: fcntl(0, F_DUPFD, 64)", fcntl(0, libc::F_DUPFD, 64), libc::EINVAL)?;
    let mut polled = vec![libc::pollfd { fd: 0, events: libc::POLLIN, revents: 0 }; SMALL_NOFILE as usize + 1];
    // SAFETY: poll reads and writes `polled.len()` pollfd structures, all in `polled`.
    let result = check(unsafe { libc::poll(polled.as_mut_ptr(), polled.len() as libc::nfds_t, 0) });
    expect_failure("fds: poll of 65 descriptors", result, libc::EINVAL)?;
    if limit.hard != INFINITY {
        let above = set_limit(libc::RLIMIT_NOFILE, limit.hard + 1, limit.hard);
        expect_failure("fds: soft RLIMIT_NOFILE above the hard one", above, libc::EINVAL)?;
    }
    let above = set_limit(libc::RLIMIT_NOFILE, SMALL_NOFILE + 1, SMALL_NOFILE);
    expect_failure("fds: soft RLIMIT_NOFILE 65, hard 64", above, libc::EINVAL)?;
    let closed = opened.pop().ok_or("no descriptor was opened")?;
    let freed = closed.as_raw_fd();
    drop(closed);
    let reopened = open_fd("/dev/null", libc::O_RDONLY, 0).context("open after a close")?;
    expect_eq("fds: after closing one, open gave", reopened.as_raw_fd(), freed)
}

/// The stack limit the first recursion runs under: the inherited one, if at most this.
const RECURSION_STACK: u64 = 8 << 20;
/// The stack limit of the executed image.
const SMALL_STACK: u64 = 1 << 20;
/// The recursion reports its depth every this many levels.
const REPORT_EVERY: u32 = 64;

/// One level of endless recursion: a 1 KiB frame, touched; every [`REPORT_EVERY`]
/// levels it writes its depth to `report`.
#[inline(never)]
fn recurse(depth: u32, report: RawFd) -> u64 {
    let mut frame = black_box([0u8; KIB]);
    frame[depth as usize % KIB] = 1;
    if depth.is_multiple_of(REPORT_EVERY) {
        let _ = write_fd(report, &depth.to_le_bytes());
    }
    // Never true: it keeps the recursion from being a function that cannot return.
    if black_box(depth) == u32::MAX {
        return 0;
    }
    recurse(depth + 1, report) + u64::from(black_box(&frame)[depth as usize % KIB])
}

/// The deepest level that a recursing child reported.
fn depth_reached(report: &[u8]) -> Result<u32, String> {
    let last = report.rchunks_exact(4).next().ok_or("the recursion reported no depth")?;
    Ok(u32::from_le_bytes(last.try_into().expect("4 bytes")))
}

/// Checks that a recursing child died of its stack overflow.
fn died_of_overflow(what: &str, status: WaitStatus) -> Result<String, String> {
    match status.killing_signal() {
        Some(signal @ (libc::SIGSEGV | libc::SIGABRT)) => Ok(format!("SIG{}", signal_name(signal).unwrap_or("?"))),
        _ => Err(format!("recursion {what}: expected death by SIGSEGV or SIGABRT, got {status}")),
    }
}

fn recursion() -> Outcome {
    let inherited = get_limit(libc::RLIMIT_STACK).context("getrlimit RLIMIT_STACK")?;
    let first_limit = inherited.soft.min(RECURSION_STACK);
    let (report, status) = child_with_pipe(|report| {
        if first_limit != inherited.soft && set_limit(libc::RLIMIT_STACK, first_limit, inherited.hard).is_err() {
            return 1;
        }
        black_box(recurse(0, report.as_raw_fd()));
        1
    })?;
    let signal = died_of_overflow("in a forked child", status)?;
    let deep = depth_reached(&report)?;
    println!("recursion: {} KiB stack: killed by {signal} at depth {deep} or a little more", first_limit >> 10);

    let path = own_path(&env::args_os().next().unwrap_or_default())?;
    let (report, status) = child_with_pipe(|report| {
        child_check("recursion: child", || {
            set_limit(libc::RLIMIT_STACK, SMALL_STACK, inherited.hard).context("setrlimit RLIMIT_STACK")?;
            let argv = [
                path.clone(),
                c_string(RECURSE_FLAG.as_bytes())?,
                c_string(report.as_raw_fd().to_string().as_bytes())?,
            ];
            Err(format!("execve: {}", error_text(&execve(&path, &argv, &[]))))
        })
    })?;
    let signal = died_of_overflow("under RLIMIT_STACK 1 MiB", status)?;
    let shallow = depth_reached(&report)?;
    println!(
        "recursion: {} KiB stack (after execve): killed by {signal} at depth {shallow} or a little more",
        SMALL_STACK >> 10
    );
    let expected = (first_limit / SMALL_STACK) as f64;
    let ratio = f64::from(deep) / f64::from(shallow.max(1));
    println!("recursion: {ratio:.1} times as deep with {expected:.0} times the stack");
    ensure(ratio > expected / 2.0 && ratio < expected * 2.0, || {
        format!("recursion: the depths {deep} and {shallow} are not about {expected:.0} to 1, as the limits")
    })
}

/// The longest argument string: MAX_ARG_STRLEN (32 pages) with its NUL.
const MAX_ARG_STRLEN: usize = 32 * PAGE_SIZE;
/// The stack limit of the argv checks.
const ARGV_STACK: u64 = 8 << 20;
/// What the arguments may take: a quarter of the stack limit.
const ARGV_BYTES: usize = (ARGV_STACK / 4) as usize;

/// The bytes of an execve of `path` with `argv` and no environment that Linux counts
/// against a quarter of RLIMIT_STACK: every string with its NUL, the path once more
/// (as the name of the program executed), and a pointer for each argument.
fn counted_bytes(path: &CStr, argv: &[CString]) -> usize {
    let strings: usize = argv.iter().map(|arg| arg.to_bytes_with_nul().len() + size_of::<usize>()).sum();
    path.to_bytes_with_nul().len() + strings
}

/// Executes `path` (this program) with `argv` (its `--noop` among them) and no
/// environment, under RLIMIT_STACK 8 MiB: 0 if it ran, or execve's errno.
fn exec_with_arguments(path: &CStr, argv: &[CString]) -> Result<c_int, String> {
    let hard = get_limit(libc::RLIMIT_STACK).context("getrlimit RLIMIT_STACK")?.hard;
    let status = fork_and_wait(|| {
        if let Err(err) = set_limit(libc::RLIMIT_STACK, ARGV_STACK.min(hard), hard) {
            return err.raw_os_error().unwrap_or(1);
        }
        execve(path, argv, &[]).raw_os_error().unwrap_or(1)
    })?;
    status.exit_code().ok_or_else(|| format!("argv: the child ended with {status}"))
}

fn argv() -> Outcome {
    let path = own_path(&env::args_os().next().unwrap_or_default())?;
    let filler = c_string(&vec![b'a'; MAX_ARG_STRLEN - 1])?;
    let string = |length| c_string(&vec![b'b'; length]);
    let with = |extra: Vec<CString>| -> Result<Vec<CString>, String> {
        Ok([path.clone(), c_string(NOOP_FLAG.as_bytes())?].into_iter().chain(extra).collect())
    };
    // 15 longest strings, then one that fills what is left to the byte.
    let fifteen = with(vec![filler.clone(); 15])?;
    let room = ARGV_BYTES - counted_bytes(&path, &fifteen) - size_of::<usize>() - 1;
    let cases = [
        ("16 strings of 131071 bytes + NUL (2 MiB)", with(vec![filler.clone(); 16])?, libc::E2BIG),
        ("8 strings of 131071 bytes + NUL (1 MiB)", with(vec![filler.clone(); 8])?, 0),
        ("one string of 131071 bytes + NUL", with(vec![filler])?, 0),
        ("one string of 131072 bytes + NUL", with(vec![string(MAX_ARG_STRLEN)?])?, libc::E2BIG),
        ("strings, path and pointers of 2097152 bytes", [fifteen.clone(), vec![string(room)?]].concat(), 0),
        ("strings, path and pointers of 2097153 bytes", [fifteen, vec![string(room + 1)?]].concat(), libc::E2BIG),
    ];
    for (what, argv, expected) in cases {
        let got = exec_with_arguments(&path, &argv)?;
        let name = |errno| if errno == 0 { "ran, exit 0".to_string() } else { errno_name(errno) };
        ensure(got == expected, || {
            format!("argv: execve with {what}: expected {}, got {}", name(expected), name(got))
        })?;
        println!("argv: execve with {what}: {}", name(got));
    }
    Ok(())
}

/// The resource limits that `rlimits` sets, with the soft and hard values it asks
/// for (lowered to the hard limit in force), by their Linux numbers.
const RESOURCES: [(&str, c_long, u64, u64); 6] = [
    ("RLIMIT_AS", libc::RLIMIT_AS as c_long, 3 << 30, 4 << 30),
    ("RLIMIT_DATA", libc::RLIMIT_DATA as c_long, 3 << 30, 4 << 30),
    ("RLIMIT_STACK", libc::RLIMIT_STACK as c_long, 8 << 20, 16 << 20),
    ("RLIMIT_NOFILE", libc::RLIMIT_NOFILE as c_long, 256, 512),
    ("RLIMIT_NPROC", libc::RLIMIT_NPROC as c_long, 4096, 8192),
    ("RLIMIT_FSIZE", libc::RLIMIT_FSIZE as c_long, 1 << 30, 2 << 30),
];
const UNKNOWN_RESOURCE: c_long = 99;
const KERNEL_ADDRESS: usize = 0xffff_8000_0000_0000;
/// A pid beyond Linux's largest (PID_MAX_LIMIT, 4194304).
const NO_SUCH_PID: pid_t = 0x3fff_ffff;

/// getrlimit(2), the raw system call, into `address`.
fn getrlimit_raw(resource: c_long, address: usize) -> io::Result<c_long> {
    // SAFETY: getrlimit writes one struct rlimit at `address`: a live `Limit` of the
    // caller's, or an address where nothing of Rust's is.
    check(unsafe { libc::syscall(libc::SYS_getrlimit, resource, address) })
}

/// setrlimit(2), the raw system call, from `address`.
fn setrlimit_raw(resource: c_long, address: usize) -> io::Result<c_long> {
    // SAFETY: setrlimit only reads memory.
    check(unsafe { libc::syscall(libc::SYS_setrlimit, resource, address) })
}

/// prlimit64(2), the raw system call, with raw pointers.
fn prlimit_raw(pid: pid_t, resource: c_long, new: usize, old: usize) -> io::Result<c_long> {
    // SAFETY: prlimit64 reads from `new` and writes one struct rlimit64 at `old`: each
    // null, a live `Limit` of the caller's, or an address where nothing of Rust's is.
    check(unsafe { libc::syscall(libc::SYS_prlimit64, c_long::from(pid), resource, new, old) })
}

fn get_raw(resource: c_long) -> io::Result<Limit> {
    let mut limit = Limit { soft: 0, hard: 0 };
    getrlimit_raw(resource, (&raw mut limit).addr())?;
    Ok(limit)
}

fn set_raw(resource: c_long, limit: Limit) -> io::Result<()> {
    setrlimit_raw(resource, (&raw const limit).addr()).map(drop)
}

/// Checks that a call failed with `errno`, quietly (`expect_failure` prints).
fn refused<T: std::fmt::Debug>(what: &str, result: io::Result<T>, errno: c_int) -> Outcome {
    match result {
        Ok(value) => Err(format!("{what}: expected {}, but it succeeded ({value:?})", errno_name(errno))),
        Err(err) => expect_errno(what, &err, errno),
    }
}

/// The limits this test sets: what was asked for, lowered to the hard limits.
fn limits_to_set() -> Result<Vec<(&'static str, c_long, Limit)>, String> {
    RESOURCES
        .iter()
        .map(|&(name, resource, soft, hard)| {
            let now = get_raw(resource).context(format_args!("getrlimit {name}"))?;
            let hard = hard.min(now.hard);
            Ok((name, resource, Limit { soft: soft.min(hard), hard }))
        })
        .collect()
}

/// `--limits-are` list: `RESOURCE=SOFT:HARD,...`.
fn limits_list(limits: &[(&str, c_long, Limit)]) -> String {
    let entries: Vec<String> =
        limits.iter().map(|(_, resource, limit)| format!("{resource}={}:{}", limit.soft, limit.hard)).collect();
    entries.join(",")
}

/// Checks this process's limits against a `--limits-are` list.
fn limits_are(list: &str) -> Outcome {
    for entry in list.split(',') {
        let parse = || -> Option<(c_long, Limit)> {
            let (resource, values) = entry.split_once('=')?;
            let (soft, hard) = values.split_once(':')?;
            Some((resource.parse().ok()?, Limit { soft: soft.parse().ok()?, hard: hard.parse().ok()? }))
        };
        let (resource, expected) = parse().ok_or_else(|| format!("bad --limits-are entry {entry:?}"))?;
        let actual = get_raw(resource).context(format_args!("getrlimit {resource}"))?;
        ensure(actual == expected, || format!("limit {resource}: expected {expected:?}, got {actual:?}"))?;
    }
    Ok(())
}

/// Round trips through getrlimit, setrlimit and prlimit64, the errors, and the
/// limits in a forked child and in an executed image.
fn limits_read_back() -> Outcome {
    let pid = std::process::id() as pid_t;
    let limits = limits_to_set()?;
    for &(name, resource, limit) in &limits {
        let old = get_raw(resource).context(format_args!("getrlimit {name}"))?;
        let through_prlimit = prlimit(0, resource, None).context(format_args!("prlimit64 {name}"))?;
        let of_own_pid = prlimit(pid, resource, None).context(format_args!("prlimit64 of pid {pid}, {name}"))?;
        ensure(through_prlimit == old && of_own_pid == old, || {
            format!("{name}: getrlimit {old:?}, prlimit64 {through_prlimit:?}, of its own pid {of_own_pid:?}")
        })?;
        set_raw(resource, limit).context(format_args!("setrlimit {name}"))?;
        ensure(get_raw(resource).ok() == Some(limit), || format!("{name}: setrlimit {limit:?} did not read back"))?;
        let halved = Limit { soft: limit.soft / 2, hard: limit.hard };
        let before = prlimit(0, resource, Some(halved)).context(format_args!("prlimit64 {name}"))?;
        ensure(before == limit, || format!("{name}: prlimit64 gave {before:?} as the old limit, not {limit:?}"))?;
        let after = prlimit(pid, resource, None).context(format_args!("prlimit64 {name}"))?;
        ensure(after == halved, || format!("{name}: prlimit64 set {halved:?} but read back {after:?}"))?;
        prlimit(pid, resource, Some(limit)).context(format_args!("prlimit64 of pid {pid}, {name}"))?;
        let inverted = Limit { soft: limit.hard + 1, hard: limit.hard };
        refused(&format!("setrlimit {name} soft > hard"), set_raw(resource, inverted), libc::EINVAL)?;
        refused(&format!("prlimit64 {name} soft > hard"), prlimit(0, resource, Some(inverted)), libc::EINVAL)?;
        ensure(get_raw(resource).ok() == Some(limit), || format!("{name}: a refused limit changed it"))?;
        println!(
            "rlimits: {name} {limit}: set and read back by setrlimit, getrlimit and prlimit64 (pid 0 and {pid}); \
             soft > hard: EINVAL"
        );
    }

    let (_, resource, limit) = limits[0];
    expect_failure("rlimits: getrlimit of resource 99", get_raw(UNKNOWN_RESOURCE), libc::EINVAL)?;
    expect_failure("rlimits: setrlimit of resource 99", set_raw(UNKNOWN_RESOURCE, limit), libc::EINVAL)?;
    expect_failure("rlimits: prlimit64 of resource 99", prlimit(0, UNKNOWN_RESOURCE, None), libc::EINVAL)?;
    expect_failure("rlimits: getrlimit into NULL", getrlimit_raw(resource, 0), libc::EFAULT)?;
    expect_failure("rlimits: setrlimit from NULL", setrlimit_raw(resource, 0), libc::EFAULT)?;
    let result = prlimit_raw(0, resource, KERNEL_ADDRESS, 0);
    expect_failure("rlimits: prlimit64 from a kernel address", result, libc::EFAULT)?;
    let result = prlimit_raw(0, resource, 0, KERNEL_ADDRESS);
    expect_failure("rlimits: prlimit64 into a kernel address", result, libc::EFAULT)?;
    let result = prlimit(NO_SUCH_PID, resource, None);
    expect_failure(&format!("rlimits: prlimit64 of pid {NO_SUCH_PID}"), result, libc::ESRCH)?;

    let list = limits_list(&limits);
    let status = fork_and_wait(|| child_check("rlimits: forked child", || limits_are(&list)))?;
    expect_exit(status, 0)?;
    println!("rlimits: a forked child has the same limits");
    let path = own_path(&env::args_os().next().unwrap_or_default())?;
    let argv = [path.clone(), c_string(LIMITS_FLAG.as_bytes())?, c_string(list.as_bytes())?];
    let status = fork_and_wait(|| child_check("rlimits: execve", || Err(error_text(&execve(&path, &argv, &[])))))?;
    expect_exit(status, 0)?;
    println!("rlimits: an executed image has the same limits");
    Ok(())
}

/// The RLIMIT_FSIZE of the file size checks.
const FILE_SIZE_LIMIT: u64 = 10_000;
const FILE_WRITE: usize = 20_000;

/// Writes [`FILE_WRITE`] bytes twice to a new file under RLIMIT_FSIZE 10000, then
/// lifts the limit again (stdout may be a file: nothing is printed under it).
fn write_past_the_limit(path: &std::path::Path) -> Result<(io::Result<usize>, io::Result<usize>), String> {
    let file = File::create(path).context(format_args!("create {}", path.display()))?;
    let limit = get_limit(libc::RLIMIT_FSIZE).context("getrlimit RLIMIT_FSIZE")?;
    set_limit(libc::RLIMIT_FSIZE, FILE_SIZE_LIMIT, limit.hard).context("setrlimit RLIMIT_FSIZE")?;
    let data = vec![b'f'; FILE_WRITE];
    let first = write_fd(file.as_raw_fd(), &data);
    let second = write_fd(file.as_raw_fd(), &data);
    set_limit(libc::RLIMIT_FSIZE, limit.soft, limit.hard).context("setrlimit RLIMIT_FSIZE back")?;
    Ok((first, second))
}

fn file_size_limit(scratch: &Scratch) -> Outcome {
    let path = scratch.join("fsize");
    let status = fork_and_wait(|| {
        child_check("rlimits: RLIMIT_FSIZE", || {
            set_action(libc::SIGXFSZ, Action::Ignore, 0, ktest::Signals::EMPTY).context("sigaction")?;
            let (first, second) = write_past_the_limit(&path)?;
            expect_eq("rlimits: RLIMIT_FSIZE 10000: a write of 20000 bytes", first.context("write")?, 10_000)?;
            expect_failure("rlimits: RLIMIT_FSIZE 10000: the next write", second, libc::EFBIG)?;
            expect_eq("rlimits: the file's size", fs::metadata(&path).context("stat")?.len(), FILE_SIZE_LIMIT)
        })
    })?;
    expect_exit(status, 0)?;
    fs::remove_file(&path).context("unlink")?;
    let status = fork_and_wait(|| {
        child_check("rlimits: RLIMIT_FSIZE, SIGXFSZ at its default", || {
            let (first, second) = write_past_the_limit(&path)?;
            Err(format!("survived the writes: {first:?}, then {second:?}"))
        })
    })?;
    expect_signal(status, libc::SIGXFSZ)?;
    println!("rlimits: RLIMIT_FSIZE 10000, SIGXFSZ at its default: the second write killed it by SIGXFSZ");
    Ok(())
}

/// Under RLIMIT_DATA 16 MiB: brk 1 MiB up works, 17 MiB up does not, a 32 MiB private
/// writable mmap is ENOMEM.
fn data_limit() -> Outcome {
    let limit = get_limit(libc::RLIMIT_DATA).context("getrlimit RLIMIT_DATA")?;
    // Nothing is allocated from here until the break is back where it was.
    // SAFETY: brk(0) only reads the break.
    let start = unsafe { brk(0) };
    set_limit(libc::RLIMIT_DATA, 16 << 20, limit.hard).context("setrlimit RLIMIT_DATA")?;
    // SAFETY: moving the break up frees nothing.
    let small = unsafe { brk(start + MIB) };
    // SAFETY: nothing was allocated above `start`, where the break was.
    let back = unsafe { brk(start) };
    // SAFETY: moving the break up frees nothing.
    let large = unsafe { brk(start + 17 * MIB) };
    // SAFETY: as above; the break may not have moved at all.
    unsafe { brk(start) };
    let mapped = map_anonymous(32 * MIB);
    set_limit(libc::RLIMIT_DATA, limit.soft, limit.hard).context("setrlimit RLIMIT_DATA back")?;
    ensure(small == start + MIB && back == start, || format!("brk up 1 MiB gave {small:#x}, back {back:#x}"))?;
    println!("rlimits: RLIMIT_DATA 16 MiB: brk 1 MiB up and back works");
    ensure(large == start, || format!("brk 17 MiB up gave {large:#x}, not the old break {start:#x}"))?;
    println!("rlimits: RLIMIT_DATA 16 MiB: brk 17 MiB up returns the old break");
    expect_failure("rlimits: RLIMIT_DATA 16 MiB: mmap of 32 MiB private writable", mapped, libc::ENOMEM)
}

/// Under RLIMIT_AS 64 MiB a 128 MiB mmap is ENOMEM.
fn address_space_limit() -> Outcome {
    let limit = get_limit(libc::RLIMIT_AS).context("getrlimit RLIMIT_AS")?;
    set_limit(libc::RLIMIT_AS, 64 << 20, limit.hard).context("setrlimit RLIMIT_AS")?;
    let mapped = map_anonymous(128 * MIB);
    set_limit(libc::RLIMIT_AS, limit.soft, limit.hard).context("setrlimit RLIMIT_AS back")?;
    expect_failure("rlimits: RLIMIT_AS 64 MiB: mmap of 128 MiB", mapped, libc::ENOMEM)
}

/// The processes of this user: the /proc/PID directories it owns.
fn own_process_count() -> Result<u64, String> {
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    let mut count = 0;
    for entry in fs::read_dir("/proc").context("read /proc")? {
        let entry = entry.context("read /proc")?;
        let numeric = entry.file_name().to_str().is_some_and(|name| name.bytes().all(|byte| byte.is_ascii_digit()));
        if numeric && entry.metadata().is_ok_and(|metadata| metadata.uid() == uid) {
            count += 1;
        }
    }
    Ok(count)
}

/// How many more children that pause can be forked before fork fails (with
/// EAGAIN) under a soft RLIMIT_NPROC of `limit`; kills and reaps them after.
fn children_until_eagain(limit: u64) -> Result<usize, String> {
    const SAFETY_CAP: usize = 200;
    let hard = get_limit(libc::RLIMIT_NPROC).context("getrlimit RLIMIT_NPROC")?.hard;
    set_limit(libc::RLIMIT_NPROC, limit, hard).context("setrlimit RLIMIT_NPROC")?;
    let mut children = Vec::new();
    let failure = loop {
        if children.len() == SAFETY_CAP {
            break Err(format!("RLIMIT_NPROC {limit}: {SAFETY_CAP} children forked and none refused"));
        }
        match ulib::process::fork() {
            Ok(ulib::process::Fork::Child) => loop {
                // SAFETY: pause has no preconditions; the parent kills this child.
                unsafe { libc::pause() };
            },
            Ok(ulib::process::Fork::Parent { child }) => children.push(child),
            Err(err) => break expect_errno(&format!("fork under RLIMIT_NPROC {limit}"), &err, libc::EAGAIN),
        }
    };
    set_limit(libc::RLIMIT_NPROC, hard, hard).context("setrlimit RLIMIT_NPROC back")?;
    for &child in &children {
        kill(child, libc::SIGKILL).context(format_args!("kill {child}"))?;
    }
    for &child in &children {
        expect_signal(wait_for(child)?, libc::SIGKILL)?;
    }
    failure.map(|()| children.len())
}

fn process_limit() -> Outcome {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } == 0 && !on_kestrel() {
        println!("rlimits: RLIMIT_NPROC not checked: Linux exempts root");
        return Ok(());
    }
    let count = own_process_count()?;
    let first = children_until_eagain(count + 5)?;
    println!("rlimits: RLIMIT_NPROC {} ({count} processes of this user + 5): {first} children, then EAGAIN", count + 5);
    let second = children_until_eagain(count + 8)?;
    expect_eq("rlimits: children forked under a limit 3 higher", second, first + 3)?;
    ensure(first > 0, || "not even one child could be forked".into())
}

fn rlimits() -> Outcome {
    let scratch = Scratch::create_in(NAME, &env::temp_dir())?;
    let parts: [(&str, &dyn Fn() -> Outcome); 5] = [
        ("limits read back", &limits_read_back),
        ("RLIMIT_FSIZE", &|| file_size_limit(&scratch)),
        ("RLIMIT_DATA", &data_limit),
        ("RLIMIT_AS", &address_space_limit),
        ("RLIMIT_NPROC", &process_limit),
    ];
    for (what, part) in parts {
        let status = fork_and_wait(|| child_check(&format!("rlimits: {what}"), part))?;
        expect_exit(status, 0).map_err(|reason| format!("rlimits: {what}: {reason}"))?;
    }
    scratch.remove()
}

fn exhaust(args: &[OsString]) -> Outcome {
    let chosen: Vec<String> = operands(args, &[]).iter().map(|name| name.to_string_lossy().into_owned()).collect();
    if let Some(unknown) = chosen.iter().find(|name| !SUBTESTS.iter().any(|(known, _)| known == name)) {
        return Err(format!("unknown sub-test {unknown:?}"));
    }
    let mut failed = Vec::new();
    for (name, subtest) in SUBTESTS {
        if !chosen.is_empty() && !chosen.iter().any(|chosen| chosen == name) {
            continue;
        }
        println!("exhaust: {name}");
        let status = fork_and_wait(|| child_check(name, subtest))?;
        match expect_exit(status, 0) {
            Ok(()) => println!("exhaust: {name}: ok"),
            Err(reason) => {
                println!("exhaust: {name}: {reason}");
                failed.push(name);
            }
        }
    }
    ensure(failed.is_empty(), || format!("failed: {}", failed.join(", ")))
}

fn main() -> ExitCode {
    let args: Vec<OsString> = env::args_os().collect();
    if args.iter().any(|arg| arg == NOOP_FLAG) {
        return ExitCode::SUCCESS;
    }
    match (args.get(1).and_then(|arg| arg.to_str()), args.get(2).and_then(|arg| arg.to_str())) {
        (Some(RECURSE_FLAG), Some(fd)) => {
            let Ok(fd) = fd.parse() else { return ExitCode::FAILURE };
            recurse(0, fd);
            ExitCode::FAILURE
        }
        (Some(LIMITS_FLAG), Some(list)) => match limits_are(list) {
            Ok(()) => ExitCode::SUCCESS,
            Err(reason) => {
                println!("{LIMITS_FLAG}: {reason}");
                ExitCode::FAILURE
            }
        },
        _ => ktest::run(NAME, || exhaust(&args)),
    }
}
