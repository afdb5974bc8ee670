//! The post-check: after the campaign the kernel must still do the basics. A
//! forked child executes /bin/true (or this program with `--noop`) and exits 0, 64
//! KiB go through a forked child and back over two pipes, and a file in /tmp is
//! created, written, read back and removed. A watchdog alarm ends the supervisor
//! (SIGALRM's default) if a step hangs.
use std::ffi::CString;
use std::fs;
use std::os::fd::AsRawFd;
use std::path::Path;

use ktest::{Context as _, Outcome, ensure, expect_exit};
use std::io::{Read, Write};

/// The seconds the whole post-check may take.
const WATCHDOG_SECONDS: u32 = 60;
const PIPE_BYTES: usize = 64 * 1024;
const FILE_BYTES: usize = 8 * 1024;

pub fn run() -> Outcome {
    // SAFETY: alarm only arms this process's timer.
    unsafe { libc::alarm(WATCHDOG_SECONDS) };
    let outcome = steps();
    // SAFETY: as above: disarms it.
    unsafe { libc::alarm(0) };
    outcome
}

fn steps() -> Outcome {
    println!("sysfuzz: post-check: fork and exec");
    exec_check()?;
    println!("sysfuzz: post-check: {PIPE_BYTES} bytes through a child over pipes");
    pipe_check()?;
    println!("sysfuzz: post-check: a file in /tmp");
    file_check()?;
    println!("sysfuzz: post-check: passed");
    Ok(())
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

/// /bin/true if it is there, else this program with --noop.
fn exec_check() -> Outcome {
    let (path, argv) = if Path::new("/bin/true").exists() {
        (CString::from(c"/bin/true"), vec![CString::from(c"true")])
    } else {
        let own = ktest::own_path(&std::env::args_os().next().unwrap_or_default())?;
        (own.clone(), vec![own, CString::from(c"--noop")])
    };
    let status = ktest::fork_and_wait(|| {
        let err = ulib::process::execve(&path, &argv, &[]);
        println!("sysfuzz: post-check: execve {}: {err}", path.to_string_lossy());
        127
    })?;
    expect_exit(status, 0).map_err(|reason| format!("{}: {reason}", path.to_string_lossy()))
}

/// The child reads all 64 KiB first and then writes them back, so neither side
/// waits on a full pipe the other is not reading.
fn pipe_check() -> Outcome {
    let data = pattern(PIPE_BYTES);
    let (to_child_read, mut to_child_write) = ktest::pipe().context("pipe")?;
    let (mut from_child_read, from_child_write) = ktest::pipe().context("pipe")?;
    let ends = [
        to_child_read.as_raw_fd(),
        to_child_write.as_raw_fd(),
        from_child_read.as_raw_fd(),
        from_child_write.as_raw_fd(),
    ];
    let child = ktest::spawn(|| {
        let [input, parent_writes, parent_reads, output] = ends;
        let _ = ktest::close_fd(parent_writes);
        let _ = ktest::close_fd(parent_reads);
        let mut buffer = vec![0; PIPE_BYTES];
        let mut filled = 0;
        while filled < PIPE_BYTES {
            match ktest::read_fd(input, &mut buffer[filled..]) {
                Ok(0) | Err(_) => return 2,
                Ok(count) => filled += count,
            }
        }
        let mut sent = 0;
        while sent < PIPE_BYTES {
            match ktest::write_fd(output, &buffer[sent..]) {
                Ok(0) | Err(_) => return 3,
                Ok(count) => sent += count,
            }
        }
        0
    })?;
    drop(to_child_read);
    drop(from_child_write);
    to_child_write.write_all(&data).context("writing to the child")?;
    drop(to_child_write);
    let mut back = Vec::new();
    from_child_read.read_to_end(&mut back).context("reading from the child")?;
    expect_exit(ktest::wait_for(child)?, 0).map_err(|reason| format!("pipe child: {reason}"))?;
    ensure(back == data, || format!("{} bytes came back, not the {PIPE_BYTES} sent", back.len()))
}

fn file_check() -> Outcome {
    let path = format!("/tmp/sysfuzz-check-{}", std::process::id());
    let data = pattern(FILE_BYTES);
    fs::write(&path, &data).context(format_args!("writing {path}"))?;
    let read = fs::read(&path).context(format_args!("reading {path}"));
    let removed = fs::remove_file(&path).context(format_args!("removing {path}"));
    ensure(read? == data, || format!("{path} did not read back as written"))?;
    removed?;
    ensure(!Path::new(&path).exists(), || format!("{path} is still there after unlink"))
}
