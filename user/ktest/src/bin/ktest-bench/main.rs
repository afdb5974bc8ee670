//! ktest-bench: speed figures of user programs (lmbench's set), timed with
//! `Instant` and printed as `BENCH name value unit` lines (then `KTEST PASS
//! bench`): first how long the kernel took to start it (`boot_to_first_program`),
//! then `calibration`, a fixed loop of user-mode arithmetic that no
//! kernel touches (`make bench` repeats a boot whose loop ran slow: the host
//! was busy); then fork+exit+wait4, fork+execve of `true`+wait4 and of one C
//! program linked statically and dynamically, fork+`/bin/sh -c` of it, pipe
//! throughput from one process to another, tmpfs file write and read
//! throughput, file create+unlink (empty and 10 KiB), the getpid system call, a
//! one-byte ping-pong over two pipes between two processes (a context switch
//! each way), thread create+join, a futex ping-pong between two threads, and
//! the figures of the modules: system calls (`syscalls.rs`), signals
//! (`signals.rs`), context switches and AF_UNIX (`switches.rs`), memory
//! (`memory.rs`). Times are means per operation; MB is 10^6 bytes. The figures
//! are printed, never judged, but every step's result is checked.
//!
//! Runs on Linux too, where `true` is found on PATH (on Kestrel, /bin/true), also as
//! the init of a Linux initramfs (scripts/linux-bench-initramfs.sh): `make bench`
//! boots Debian's Linux with it beside Kestrel.
//!
//! Usage: `ktest-bench [DIR]`: the file figures are taken in DIR/ktest-bench-PID
//! (default under /tmp: on Kestrel the tmpfs root; on Linux pass a tmpfs such as
//! /dev/shm to measure one).
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

mod memory;
mod signals;
mod switches;
mod syscalls;

use ktest::{
    Context, Outcome, Scratch, c_path, child_check, ensure, expect_exit, find_executable, fork_and_wait, pipe, spawn,
    wait_for,
};
use ulib::diag::error_text;
use ulib::process::execve;

const NAME: &str = "bench";
const FORKS: u32 = 2_000;
const EXECS: u32 = 300;
/// The program that fork+execve runs: it exits 0 at once.
const TINY_PROGRAM: &str = "true";
/// The same do-nothing C program, static and dynamically linked (musl).
const STATIC_TRUE: &str = "/bin/ktest-true-static";
const DYNAMIC_TRUE: &str = "/bin/ktest-true-dynamic";
const PIPE_BYTES: usize = 64 << 20;
const PIPE_CHUNK: usize = 64 << 10;
const FILE_BYTES: usize = 32 << 20;
const FILE_CHUNK: usize = 1 << 20;
const CREATE_UNLINKS: u32 = 5_000;
const PING_PONGS: u32 = 20_000;
const THREADS: u32 = 2_000;
/// The byte that the pipe and file figures move (not 0, so no page stays blank).
const FILL: u8 = 0x5a;
/// The shell fork+`sh -c` runs the static C program with.
const SHELL: &str = "/bin/sh";
/// Bytes of the files the second create+unlink figure writes.
const SMALL_FILE: usize = 10 << 10;
/// Rounds of the calibration loop.
const CALIBRATION_ROUNDS: u64 = 20_000_000;

/// Prints one figure: `BENCH name value unit`.
fn report(name: &str, value: f64, unit: &str) {
    println!("BENCH {name} {value:.2} {unit}");
}

/// Runs `step` `count` times and gives the mean time of one run, in seconds.
fn seconds_each(count: u32, mut step: impl FnMut() -> Outcome) -> Result<f64, String> {
    let start = Instant::now();
    for _ in 0..count {
        step()?;
    }
    Ok(start.elapsed().as_secs_f64() / f64::from(count))
}

/// Megabytes (10^6 bytes) per second for `bytes` moved in `seconds`.
fn megabytes_per_second(bytes: usize, seconds: f64) -> f64 {
    bytes as f64 / 1e6 / seconds
}

/// Writes `total` bytes of [`FILL`] to `out`, `chunk` bytes a write.
fn write_chunks(mut out: impl Write, total: usize, chunk: usize) -> Outcome {
    let buffer = vec![FILL; chunk];
    for written in (0..total).step_by(chunk) {
        out.write_all(&buffer[..chunk.min(total - written)]).context(format_args!("write at byte {written}"))?;
    }
    Ok(())
}

/// Reads exactly `total` bytes from `input`, up to `chunk` bytes a read, and checks
/// that they are [`FILL`] (the first byte of each read, to keep the check cheap).
fn read_chunks(mut input: impl Read, total: usize, chunk: usize) -> Outcome {
    let mut buffer = vec![0; chunk];
    let mut done = 0;
    while done < total {
        let count = input.read(&mut buffer[..chunk.min(total - done)]).context(format_args!("read at byte {done}"))?;
        ensure(count > 0, || format!("end of file after {done} of {total} bytes"))?;
        ensure(buffer[0] == FILL, || format!("byte {done} is {:#x}, not {FILL:#x}", buffer[0]))?;
        done += count;
    }
    Ok(())
}

fn fork_exit_wait() -> Outcome {
    let seconds = seconds_each(FORKS, || expect_exit(fork_and_wait(|| 0)?, 0))?;
    report("fork_exit_wait", seconds * 1e6, "us");
    Ok(())
}

fn fork_execve_wait() -> Outcome {
    let program = find_executable(TINY_PROGRAM).ok_or_else(|| format!("no `{TINY_PROGRAM}` program on PATH"))?;
    fork_execve_wait_of(&program, &[], "fork_execve_wait")
}

/// The same C program (tests/guest-c/true.c) linked statically and dynamically:
/// the difference is what loading the interpreter and libc costs.
fn fork_execve_static_and_dynamic() -> Outcome {
    fork_execve_wait_of(Path::new(STATIC_TRUE), &[], "fork_execve_wait_static_c")?;
    fork_execve_wait_of(Path::new(DYNAMIC_TRUE), &[], "fork_execve_wait_dynamic_c")
}

/// lmbench's fork+/bin/sh -c: the shell runs the static C program.
fn fork_shell_wait() -> Outcome {
    fork_execve_wait_of(Path::new(SHELL), &["-c", STATIC_TRUE], "fork_sh_c_wait")
}

fn fork_execve_wait_of(program: &Path, args: &[&str], figure: &str) -> Outcome {
    let path = c_path(program).context(program.display())?;
    let argv: Vec<_> =
        std::iter::once(Ok(path.clone())).chain(args.iter().map(c_path)).collect::<Result<_, _>>().context("argv")?;
    let what = format!("execve {}", program.display());
    println!("fork+execve of {} {}", program.display(), args.join(" "));
    let seconds = seconds_each(EXECS, || {
        let status = fork_and_wait(|| child_check(&what, || Err(error_text(&execve(&path, &argv, &[])))))?;
        expect_exit(status, 0)
    })?;
    report(figure, seconds * 1e6, "us");
    Ok(())
}

/// A child writes [`PIPE_BYTES`] into a pipe; the clock runs while the parent reads
/// them (from after the fork, which is not part of the figure).
fn pipe_throughput() -> Outcome {
    let (reader, writer) = pipe().context("pipe")?;
    let child = spawn(|| child_check("pipe writer", || write_chunks(&writer, PIPE_BYTES, PIPE_CHUNK)))?;
    drop(writer);
    let start = Instant::now();
    read_chunks(&reader, PIPE_BYTES, PIPE_CHUNK)?;
    let seconds = start.elapsed().as_secs_f64();
    expect_exit(wait_for(child)?, 0)?;
    report("pipe_throughput", megabytes_per_second(PIPE_BYTES, seconds), "MB/s");
    Ok(())
}

/// Writes a [`FILE_BYTES`] file, then reads it back; each figure includes the open
/// and the close.
fn file_throughput(scratch: &Scratch) -> Outcome {
    let path = scratch.join("data");
    let start = Instant::now();
    let file = File::create(&path).context(format_args!("create {}", path.display()))?;
    write_chunks(&file, FILE_BYTES, FILE_CHUNK)?;
    drop(file);
    let write_seconds = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let file = File::open(&path).context(format_args!("open {}", path.display()))?;
    read_chunks(&file, FILE_BYTES, FILE_CHUNK)?;
    drop(file);
    let read_seconds = start.elapsed().as_secs_f64();

    fs::remove_file(&path).context(format_args!("unlink {}", path.display()))?;
    report("tmpfs_write", megabytes_per_second(FILE_BYTES, write_seconds), "MB/s");
    report("tmpfs_read", megabytes_per_second(FILE_BYTES, read_seconds), "MB/s");
    Ok(())
}

/// Creates a new empty file (open with O_CREAT|O_EXCL, close) and unlinks it.
/// Then the same with [`SMALL_FILE`] bytes written before the close.
fn create_unlink(scratch: &Scratch) -> Outcome {
    let path = scratch.join("entry");
    let data = vec![FILL; SMALL_FILE];
    for (figure, bytes) in [("create_unlink", 0), ("create_unlink_10k", SMALL_FILE)] {
        let seconds = seconds_each(CREATE_UNLINKS, || {
            let mut file = File::create_new(&path).context(format_args!("create {}", path.display()))?;
            file.write_all(&data[..bytes]).context(format_args!("write {}", path.display()))?;
            drop(file);
            fs::remove_file(&path).context(format_args!("unlink {}", path.display()))
        })?;
        report(figure, seconds * 1e6, "us");
    }
    Ok(())
}

/// A fixed loop of user-mode arithmetic (a linear congruential generator): its
/// time tells how fast the host ran this boot, whatever the kernel.
fn calibration() -> Outcome {
    let start = Instant::now();
    let mut x = 1u64;
    for _ in 0..std::hint::black_box(CALIBRATION_ROUNDS) {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    }
    std::hint::black_box(x);
    report("calibration", start.elapsed().as_secs_f64() * 1e3, "ms");
    Ok(())
}

/// std::thread::spawn of a thread that returns at once, and its join.
fn thread_create_join() -> Outcome {
    let seconds = seconds_each(THREADS, || {
        std::thread::spawn(|| 7).join().map_err(|_| "a thread panicked".to_string())?;
        Ok(())
    })?;
    report("thread_create_join", seconds * 1e6, "us");
    Ok(())
}

/// Two threads hand a turn back and forth through one futex word: each waits
/// (FUTEX_WAIT_PRIVATE) until the word says it is its turn, flips it and wakes the
/// other.
fn futex_ping_pong() -> Outcome {
    use std::sync::atomic::{AtomicU32, Ordering};
    static TURN: AtomicU32 = AtomicU32::new(0);
    fn take_turns(me: u32, rounds: u32) {
        for _ in 0..rounds {
            while TURN.load(Ordering::Acquire) != me {
                let seen = 1 - me;
                // SAFETY: waits on a static word while it holds the other's turn.
                unsafe {
                    libc::syscall(
                        libc::SYS_futex,
                        TURN.as_ptr(),
                        libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
                        seen,
                        0usize,
                    )
                };
            }
            TURN.store(1 - me, Ordering::Release);
            // SAFETY: wakes the other thread waiting on the static word.
            unsafe { libc::syscall(libc::SYS_futex, TURN.as_ptr(), libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG, 1) };
        }
    }
    TURN.store(0, Ordering::Release);
    let start = Instant::now();
    let other = std::thread::spawn(|| take_turns(1, PING_PONGS));
    take_turns(0, PING_PONGS);
    other.join().map_err(|_| "the other thread panicked".to_string())?;
    report("futex_ping_pong", start.elapsed().as_secs_f64() / f64::from(PING_PONGS) * 1e6, "us");
    Ok(())
}

fn bench() -> Outcome {
    calibration()?;
    fork_exit_wait()?;
    fork_execve_wait()?;
    fork_execve_static_and_dynamic()?;
    fork_shell_wait()?;
    pipe_throughput()?;
    let scratch = Scratch::create(NAME)?;
    file_throughput(&scratch)?;
    create_unlink(&scratch)?;
    syscalls::figures(&scratch)?;
    scratch.remove()?;
    switches::figures()?;
    signals::figures()?;
    memory::figures()?;
    thread_create_join()?;
    futex_ping_pong()
}

/// How long the kernel took from its start to this program's (CLOCK_BOOTTIME
/// when it begins: the kernel's own boot, not the firmware's or the loader's).
fn boot_to_first_program() -> f64 {
    // SAFETY: an all-zero timespec is valid for clock_gettime to fill.
    let mut now: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: a valid clock id and a timespec to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_BOOTTIME, &mut now) };
    now.tv_sec as f64 * 1e3 + now.tv_nsec as f64 / 1e6
}

fn main() -> ExitCode {
    let booted_ms = boot_to_first_program();
    ktest::console_as_linux_init();
    ktest::run(NAME, || {
        report("boot_to_first_program", booted_ms, "ms");
        bench()
    })
}
