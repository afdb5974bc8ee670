//! The system-call figures lmbench's lat_syscall and lat_select take: the null
//! call (getppid) and getpid, one-byte read of /dev/zero and write to /dev/null, stat,
//! fstat, open+close of a tmpfs file, and poll of 10 pipes none of which is
//! ready. Raw system calls through `libc::syscall` or the thinnest libc
//! wrapper, so that no C library work differs between kernels.
use std::ffi::CString;
use std::os::fd::AsRawFd;

use ktest::{Context, Outcome, Scratch, c_path, ensure, pipe};

use crate::{report, seconds_each};

const CALLS: u32 = 200_000;
const PATH_CALLS: u32 = 50_000;
const POLLED_PIPES: usize = 10;

/// The return value of a system call that must succeed.
fn checked(what: &str, result: libc::c_long) -> Result<libc::c_long, String> {
    ensure(result >= 0, || format!("{what}: {}", std::io::Error::last_os_error()))?;
    Ok(result)
}

/// A system call without arguments whose answer never changes, `CALLS` times:
/// the time of one.
fn same_answer(figure: &str, number: libc::c_long) -> Outcome {
    // SAFETY: the calls measured take no arguments and touch no memory.
    let first = unsafe { libc::syscall(number) };
    let seconds = seconds_each(CALLS, || {
        // SAFETY: as above.
        let got = unsafe { libc::syscall(number) };
        ensure(got == first, || format!("{figure}: {got}, not {first} as the first time"))
    })?;
    report(figure, seconds * 1e9, "ns");
    Ok(())
}

/// One-byte reads of /dev/zero and writes to /dev/null.
fn devices() -> Outcome {
    let zero = std::fs::File::open("/dev/zero").context("open /dev/zero")?;
    let null = std::fs::OpenOptions::new().write(true).open("/dev/null").context("open /dev/null")?;
    let mut byte = [0xffu8];
    let seconds = seconds_each(CALLS, || {
        // SAFETY: reads one byte into `byte`.
        let count = unsafe { libc::syscall(libc::SYS_read, zero.as_raw_fd(), byte.as_mut_ptr(), 1) };
        ensure(checked("read /dev/zero", count)? == 1 && byte[0] == 0, || "read of /dev/zero gave no zero".into())
    })?;
    report("read_dev_zero", seconds * 1e9, "ns");
    let seconds = seconds_each(CALLS, || {
        // SAFETY: writes the one byte of `byte`.
        let count = unsafe { libc::syscall(libc::SYS_write, null.as_raw_fd(), byte.as_ptr(), 1) };
        ensure(checked("write /dev/null", count)? == 1, || "short write to /dev/null".into())
    })?;
    report("write_dev_null", seconds * 1e9, "ns");
    Ok(())
}

/// stat and fstat of a tmpfs file, and its open+close.
fn files(scratch: &Scratch) -> Outcome {
    let path = scratch.join("stat-me");
    let file = std::fs::File::create(&path).context("create")?;
    let c_name: CString = c_path(&path).context(path.display())?;
    // SAFETY: an all-zero `stat` is a valid buffer for the kernel to fill.
    let mut buffer: libc::stat = unsafe { std::mem::zeroed() };
    let seconds = seconds_each(PATH_CALLS, || {
        // SAFETY: a NUL-terminated path and a `stat` buffer.
        checked("stat", unsafe { libc::stat(c_name.as_ptr(), &mut buffer) }.into()).map(drop)
    })?;
    report("stat", seconds * 1e9, "ns");
    let seconds = seconds_each(CALLS, || {
        // SAFETY: an open descriptor and a `stat` buffer.
        checked("fstat", unsafe { libc::fstat(file.as_raw_fd(), &mut buffer) }.into()).map(drop)
    })?;
    report("fstat", seconds * 1e9, "ns");
    let seconds = seconds_each(PATH_CALLS, || {
        // SAFETY: a NUL-terminated path; the descriptor is closed at once.
        let fd = checked("open", unsafe { libc::open(c_name.as_ptr(), libc::O_RDONLY) }.into())?;
        // SAFETY: closes the descriptor just opened.
        checked("close", unsafe { libc::close(fd as libc::c_int) }.into()).map(drop)
    })?;
    report("open_close", seconds * 1e9, "ns");
    drop(file);
    std::fs::remove_file(&path).context("unlink")
}

/// poll(2) of the read ends of 10 empty pipes, timeout 0.
fn poll_ten() -> Outcome {
    let pipes = (0..POLLED_PIPES).map(|_| pipe().context("pipe")).collect::<Result<Vec<_>, _>>()?;
    let mut fds: Vec<libc::pollfd> = pipes
        .iter()
        .map(|(reader, _)| libc::pollfd { fd: reader.as_raw_fd(), events: libc::POLLIN, revents: 0 })
        .collect();
    let seconds = seconds_each(PATH_CALLS, || {
        // SAFETY: `fds` holds POLLED_PIPES pollfd entries.
        let ready = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, 0) };
        ensure(ready == 0, || format!("poll of empty pipes returned {ready}"))
    })?;
    report("poll_10_fds", seconds * 1e9, "ns");
    Ok(())
}

pub fn figures(scratch: &Scratch) -> Outcome {
    same_answer("null_syscall", libc::SYS_getppid)?;
    same_answer("getpid", libc::SYS_getpid)?;
    devices()?;
    files(scratch)?;
    poll_ten()
}
