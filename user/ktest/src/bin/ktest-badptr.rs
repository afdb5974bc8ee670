//! ktest-badptr: bad pointers, numbers and flags in system calls get Linux's errors,
//! and the process carries on after each: read and write with NULL, a kernel address
//! and an unmapped address as the buffer (EFAULT; 0 for a length of 0), a pipe's data
//! kept after such reads; open, stat, chdir and execve with such paths, execve with
//! bad argv and envp, fstat, pipe and clock_gettime into them (EFAULT, no descriptor
//! leaked); a read, a write and a path that run into an unmapped page; unknown system
//! call numbers (ENOSYS); bad descriptors (EBADF); bad flags and arguments (EINVAL,
//! and an absurd mode that open accepts); huge lengths from small buffers (EFAULT).
//! Raw system calls wherever a C library wrapper could check or touch anything
//! first (clock_gettime would go to the vDSO).
//!
//! Usage: `ktest-badptr [DIR]`: works in DIR/ktest-badptr-PID (default under /tmp).
use std::env;
use std::ffi::c_long;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::ExitCode;
use std::ptr;

use ktest::{
    Context, Outcome, Scratch, c_path, c_string, check, close_fd, dup, dup3, ensure, errno_name, expect_eq,
    expect_failure, lseek, own_path, pipe, read_fd, set_umask, text, write_fd,
};

const NAME: &str = "badptr";
const PAGE_SIZE: usize = 4096;
/// Addresses at which the process has nothing: the null page, the first address of
/// the kernel's half, and a low page that nothing maps.
const BAD_ADDRESSES: [(&str, usize); 3] =
    [("NULL", 0), ("a kernel address", 0xffff_8000_0000_0000), ("an unmapped address", 0x1000)];
const KERNEL_ADDRESS: usize = BAD_ADDRESSES[1].1;
const UNMAPPED_ADDRESS: usize = BAD_ADDRESSES[2].1;
/// What the data file and the pipe hold.
const DATA: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/";
/// System call numbers that x86-64 Linux does not have.
const UNKNOWN_SYSCALLS: [c_long; 3] = [500, 100_000, -1];
const BAD_FDS: [RawFd; 2] = [-1, 9999];
/// A length far beyond any buffer (still positive as an ssize_t).
const HUGE_LENGTH: usize = usize::MAX / 2;
/// An open mode with every bit set: open keeps only the permission bits, 07777.
const ABSURD_MODE: c_long = 0xffff_ffff;
const UMASK: libc::mode_t = 0o022;
/// What read and write of 0 bytes give at each of BAD_ADDRESSES: Linux checks the
/// range even when it is empty, and a kernel address is never a user one.
const ZERO_LENGTH_RESULTS: [[&str; 2]; 3] = [["0", "0"], ["EFAULT", "EFAULT"], ["0", "0"]];

/// read(2) itself into `address`. Callers pass an address where nothing of Rust's
/// is, their own mapping, or a buffer as long as all that `fd` holds.
fn read_raw(fd: RawFd, address: usize, length: usize) -> io::Result<c_long> {
    // SAFETY: the kernel writes at `address` at most what `fd` holds, and callers
    // give addresses where that harms no memory of Rust's.
    check(unsafe { libc::syscall(libc::SYS_read, c_long::from(fd), address, length) })
}

/// write(2) itself from `address`.
fn write_raw(fd: RawFd, address: usize, length: usize) -> io::Result<c_long> {
    // SAFETY: write only reads memory.
    check(unsafe { libc::syscall(libc::SYS_write, c_long::from(fd), address, length) })
}

/// A system call's result as text: the count, or the errno's name.
fn outcome_name(result: &io::Result<c_long>) -> String {
    match result {
        Ok(count) => count.to_string(),
        Err(err) => err.raw_os_error().map_or_else(|| err.to_string(), errno_name),
    }
}

/// The lowest free descriptor number (dup gives it), to see that nothing leaked.
fn lowest_free_fd() -> Result<RawFd, String> {
    let fd = dup(libc::STDERR_FILENO).context("dup")?;
    close_fd(fd).context("close")?;
    Ok(fd)
}

/// fstat(2) into a buffer big enough for a struct stat.
fn fstat_raw(fd: RawFd) -> io::Result<c_long> {
    let mut buffer = [0u64; 32];
    // SAFETY: fstat writes one struct stat (144 bytes) into the 256-byte `buffer`.
    check(unsafe { libc::syscall(libc::SYS_fstat, c_long::from(fd), buffer.as_mut_ptr()) })
}

fn buffers(data: &File, path: &Path) -> Outcome {
    let fd = data.as_raw_fd();
    for (name, address) in BAD_ADDRESSES {
        lseek(fd, 0, libc::SEEK_SET).context("lseek")?;
        expect_failure(&format!("read into {name}"), read_raw(fd, address, 16), libc::EFAULT)?;
        expect_failure(&format!("write from {name}"), write_raw(fd, address, 16), libc::EFAULT)?;
    }
    expect_eq("the file after that", text(&fs::read(path).context("read")?), text(DATA))?;

    for ((name, address), expected) in BAD_ADDRESSES.iter().zip(ZERO_LENGTH_RESULTS) {
        let results = [read_raw(fd, *address, 0), write_raw(fd, *address, 0)].map(|result| outcome_name(&result));
        expect_eq(&format!("read, write of 0 bytes at {name}"), results.join(", "), expected.join(", "))?;
    }

    let (mut reader, mut writer) = pipe().context("pipe")?;
    writer.write_all(DATA).context("write")?;
    for (name, address) in BAD_ADDRESSES {
        expect_failure(
            &format!("read from a pipe into {name}"),
            read_raw(reader.as_raw_fd(), address, 16),
            libc::EFAULT,
        )?;
        expect_failure(
            &format!("write to a pipe from {name}"),
            write_raw(writer.as_raw_fd(), address, 16),
            libc::EFAULT,
        )?;
    }
    drop(writer);
    let mut kept = Vec::new();
    reader.read_to_end(&mut kept).context("read")?;
    expect_eq("what the pipe still held", text(&kept), text(DATA))
}

/// execve(2) itself: returns only with an error.
fn execve_raw(path: usize, argv: usize, envp: usize) -> io::Result<c_long> {
    // SAFETY: execve only reads memory; on success this image is gone, so nothing of
    // Rust's could be harmed (the test only gives arguments that must fail).
    check(unsafe { libc::syscall(libc::SYS_execve, path, argv, envp) })
}

fn paths() -> Outcome {
    let cwd = env::current_dir().context("getcwd")?;
    let own = own_path(&env::args_os().next().unwrap_or_default())?;
    let word = c_string(b"x")?;
    let argv = [own.as_ptr(), ptr::null()];
    let envp = [ptr::null::<libc::c_char>()];
    let (argv_address, envp_address) = (argv.as_ptr().addr(), envp.as_ptr().addr());
    for (name, address) in BAD_ADDRESSES {
        // SAFETY: open reads the path only; it fails, so no descriptor is made.
        let opened = check(unsafe { libc::syscall(libc::SYS_open, address, c_long::from(libc::O_RDONLY)) });
        expect_failure(&format!("open of {name}"), opened, libc::EFAULT)?;
        let mut buffer = [0u64; 32];
        // SAFETY: stat reads the path and writes at most a struct stat (144 bytes) into
        // the 256-byte `buffer`.
        let status = check(unsafe { libc::syscall(libc::SYS_stat, address, buffer.as_mut_ptr()) });
        expect_failure(&format!("stat of {name}"), status, libc::EFAULT)?;
        // SAFETY: chdir only reads the path.
        let changed = check(unsafe { libc::syscall(libc::SYS_chdir, address) });
        expect_failure(&format!("chdir to {name}"), changed, libc::EFAULT)?;
        expect_failure(&format!("execve of {name}"), execve_raw(address, argv_address, envp_address), libc::EFAULT)?;
    }
    expect_eq("the working directory after that", env::current_dir().context("getcwd")?, cwd)?;

    let path = own.as_ptr().addr();
    expect_failure("execve with argv in kernel space", execve_raw(path, KERNEL_ADDRESS, envp_address), libc::EFAULT)?;
    let bad_argument = [own.as_ptr(), ptr::without_provenance(KERNEL_ADDRESS), ptr::null()];
    let bad_argument = bad_argument.as_ptr().addr();
    expect_failure("execve with argv[1] in kernel space", execve_raw(path, bad_argument, envp_address), libc::EFAULT)?;
    expect_failure("execve with envp in kernel space", execve_raw(path, argv_address, KERNEL_ADDRESS), libc::EFAULT)?;
    let bad_variable = [word.as_ptr(), ptr::without_provenance(UNMAPPED_ADDRESS), ptr::null()];
    let bad_variable = bad_variable.as_ptr().addr();
    expect_failure("execve with envp[1] unmapped", execve_raw(path, argv_address, bad_variable), libc::EFAULT)?;
    Ok(())
}

fn out_pointers(data: &File) -> Outcome {
    let before = lowest_free_fd()?;
    for (name, address) in BAD_ADDRESSES {
        // SAFETY: fstat writes only to `address`, where nothing of Rust's is.
        let status = check(unsafe { libc::syscall(libc::SYS_fstat, c_long::from(data.as_raw_fd()), address) });
        expect_failure(&format!("fstat into {name}"), status, libc::EFAULT)?;
        // SAFETY: pipe writes two descriptor numbers only to `address`.
        let piped = check(unsafe { libc::syscall(libc::SYS_pipe, address) });
        expect_failure(&format!("pipe into {name}"), piped, libc::EFAULT)?;
        // SAFETY: pipe2 writes two descriptor numbers only to `address`.
        let piped = check(unsafe { libc::syscall(libc::SYS_pipe2, address, c_long::from(libc::O_CLOEXEC)) });
        expect_failure(&format!("pipe2 into {name}"), piped, libc::EFAULT)?;
        // SAFETY: clock_gettime (the system call, not the vDSO) writes only to `address`.
        let time =
            check(unsafe { libc::syscall(libc::SYS_clock_gettime, c_long::from(libc::CLOCK_MONOTONIC), address) });
        expect_failure(&format!("clock_gettime into {name}"), time, libc::EFAULT)?;
    }
    expect_eq("lowest free descriptor before and after these calls", lowest_free_fd()?, before)
}

/// Two pages mapped, the second unmapped again: the first page's address.
fn page_before_a_hole() -> Result<usize, String> {
    // SAFETY: a new private anonymous mapping at an address the kernel chooses
    // touches no existing memory.
    let address = check(unsafe {
        libc::syscall(
            libc::SYS_mmap,
            0usize,
            2 * PAGE_SIZE,
            c_long::from(libc::PROT_READ | libc::PROT_WRITE),
            c_long::from(libc::MAP_PRIVATE | libc::MAP_ANONYMOUS),
            c_long::from(-1),
            0usize,
        )
    })
    .context("mmap")? as usize;
    // SAFETY: the second page is part of the mapping just made, which nothing uses.
    check(unsafe { libc::syscall(libc::SYS_munmap, address + PAGE_SIZE, PAGE_SIZE) }).context("munmap")?;
    Ok(address)
}

fn across_a_hole(scratch: &Scratch) -> Outcome {
    let page = page_before_a_hole()?;
    println!("a page at {page:#x}, the next one unmapped");
    let zero = File::open("/dev/zero").context("open /dev/zero")?;
    let count = read_raw(zero.as_raw_fd(), page, 2 * PAGE_SIZE).context("read")?;
    expect_eq("read of 8192 bytes from /dev/zero into the page and the hole", count, PAGE_SIZE as c_long)?;

    let path = scratch.join("two-pages");
    let pattern: Vec<u8> = (0..2 * PAGE_SIZE).map(|index| (index % 251) as u8).collect();
    fs::write(&path, &pattern).context("write")?;
    let file = File::open(&path).context("open")?;
    let count = read_raw(file.as_raw_fd(), page, 2 * PAGE_SIZE).context("read")?;
    expect_eq("read of 8192 bytes from a file into them", count, PAGE_SIZE as c_long)?;

    let output = File::create(scratch.join("from-two-pages")).context("create")?;
    let count = write_raw(output.as_raw_fd(), page, 2 * PAGE_SIZE).context("write")?;
    expect_eq("write of 8192 bytes from them to a file", count, PAGE_SIZE as c_long)?;
    let written = fs::read(scratch.join("from-two-pages")).context("read")?;
    ensure(written == pattern[..PAGE_SIZE], || "the file did not get the page's bytes".into())?;
    println!("what the file got: the page's 4096 bytes");

    let tail = page + PAGE_SIZE - 3;
    fill_without_nul(tail)?;
    // SAFETY: open only reads the path, which runs from `tail` into the hole.
    let opened = check(unsafe { libc::syscall(libc::SYS_open, tail, c_long::from(libc::O_RDONLY)) });
    expect_failure("open of a path running into the hole", opened, libc::EFAULT)?;
    // SAFETY: the first page is ours, and nothing uses it after this.
    check(unsafe { libc::syscall(libc::SYS_munmap, page, PAGE_SIZE) }).context("munmap")?;
    Ok(())
}

/// Puts `abc` (no NUL) in the three bytes of our own mapping at `tail`, through a pipe.
fn fill_without_nul(tail: usize) -> Outcome {
    let (reader, mut writer) = pipe().context("pipe")?;
    writer.write_all(b"abc").context("write")?;
    let count = read_raw(reader.as_raw_fd(), tail, 3).context("read")?;
    ensure(count == 3, || format!("read {count} of 3 bytes"))
}

fn numbers_and_descriptors() -> Outcome {
    for number in UNKNOWN_SYSCALLS {
        // SAFETY: the kernel has no system call by this number: it does nothing.
        let result = check(unsafe { libc::syscall(number, 0usize, 0usize, 0usize) });
        expect_failure(&format!("system call {number}"), result, libc::ENOSYS)?;
    }
    for fd in BAD_FDS {
        expect_failure(&format!("read of fd {fd}"), read_fd(fd, &mut [0; 4]), libc::EBADF)?;
        expect_failure(&format!("write to fd {fd}"), write_fd(fd, b"x"), libc::EBADF)?;
        expect_failure(&format!("fstat of fd {fd}"), fstat_raw(fd), libc::EBADF)?;
        expect_failure(&format!("lseek of fd {fd}"), lseek(fd, 0, libc::SEEK_SET), libc::EBADF)?;
        expect_failure(&format!("close of fd {fd}"), close_fd(fd), libc::EBADF)?;
    }
    Ok(())
}

fn flags_and_arguments(scratch: &Scratch, data: &File) -> Outcome {
    let path = c_path(scratch.join("absurd-mode")).context("path")?;
    let old_umask = set_umask(UMASK);
    let flags = c_long::from(libc::O_CREAT | libc::O_WRONLY | libc::O_CLOEXEC);
    // SAFETY: openat reads the NUL-terminated `path`; the descriptor is closed below.
    let opened = check(unsafe {
        libc::syscall(libc::SYS_openat, c_long::from(libc::AT_FDCWD), path.as_ptr(), flags, ABSURD_MODE)
    });
    set_umask(old_umask);
    let fd = opened.context("openat with O_CREAT and mode 0xffffffff")? as RawFd;
    close_fd(fd).context("close")?;
    let mode = fs::metadata(scratch.join("absurd-mode")).context("stat")?.permissions().mode();
    let mode = format!("{:o}", mode & 0o7777);
    expect_eq("openat O_CREAT, mode 0xffffffff, umask 022: the file's mode", mode.as_str(), "7755")?;

    let mut fds = [-1; 2];
    // SAFETY: pipe2 writes at most two descriptors into the two-element `fds`.
    let piped = check(unsafe { libc::syscall(libc::SYS_pipe2, fds.as_mut_ptr(), 0xffff_usize) });
    expect_failure("pipe2 with flags 0xffff", piped, libc::EINVAL)?;
    expect_eq("the descriptors pipe2 gave", fds, [-1; 2])?;
    let target = lowest_free_fd()?;
    expect_failure("dup3 with flags 0xffff", dup3(data.as_raw_fd(), target, 0xffff), libc::EINVAL)?;
    expect_failure("lseek with whence 99", lseek(data.as_raw_fd(), 0, 99), libc::EINVAL)?;
    // SAFETY: a mapping of length 0 is refused: nothing is mapped.
    let mapped = check(unsafe {
        libc::syscall(
            libc::SYS_mmap,
            0usize,
            0usize,
            c_long::from(libc::PROT_READ),
            c_long::from(libc::MAP_PRIVATE | libc::MAP_ANONYMOUS),
            c_long::from(-1),
            0usize,
        )
    });
    expect_failure("mmap of length 0", mapped, libc::EINVAL)?;
    // SAFETY: an unaligned address is refused: nothing is unmapped.
    let unmapped = check(unsafe { libc::syscall(libc::SYS_munmap, 0x1001_usize, PAGE_SIZE) });
    expect_failure("munmap of an unaligned address", unmapped, libc::EINVAL)?;
    let mut status = 0;
    // SAFETY: wait4 writes at most a status into `status`; a null rusage asks for none.
    let waited =
        check(unsafe { libc::syscall(libc::SYS_wait4, c_long::from(-1), &raw mut status, 0x100_usize, 0usize) });
    expect_failure("wait4 with options 0x100", waited, libc::EINVAL)?;
    // SAFETY: kill with a bad signal number sends nothing.
    let killed = check(unsafe { libc::syscall(libc::SYS_kill, c_long::from(std::process::id()), 200_usize) });
    expect_failure("kill with signal 200", killed, libc::EINVAL)
}

fn huge_lengths(data: &File) -> Outcome {
    let fd = data.as_raw_fd();
    let mut buffer = [0u8; DATA.len()];
    lseek(fd, 0, libc::SEEK_END).context("lseek")?;
    let written = write_raw(fd, buffer.as_ptr().addr(), HUGE_LENGTH);
    expect_failure("write of usize::MAX/2 bytes from a 64-byte buffer", written, libc::EFAULT)?;
    lseek(fd, 0, libc::SEEK_SET).context("lseek")?;
    let read = read_raw(fd, buffer.as_mut_ptr().addr(), HUGE_LENGTH);
    expect_failure("read of usize::MAX/2 bytes into a 64-byte buffer", read, libc::EFAULT)?;
    expect_eq("the file's size after that", data.metadata().context("fstat")?.len(), DATA.len() as u64)
}

fn badptr_test() -> Outcome {
    let scratch = Scratch::create(NAME)?;
    let first_free = lowest_free_fd()?;
    let path = scratch.join("data");
    fs::write(&path, DATA).context("write")?;
    let data = OpenOptions::new().read(true).write(true).open(&path).context("open")?;
    buffers(&data, &path)?;
    paths()?;
    out_pointers(&data)?;
    across_a_hole(&scratch)?;
    numbers_and_descriptors()?;
    flags_and_arguments(&scratch, &data)?;
    huge_lengths(&data)?;
    drop(data);
    expect_eq("lowest free descriptor at the end, as at the start", lowest_free_fd()?, first_free)?;
    scratch.remove()
}

fn main() -> ExitCode {
    ktest::run(NAME, badptr_test)
}
