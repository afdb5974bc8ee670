//! ktest-dup: duplicated descriptors, results and errno values as on Linux: dup (the
//! lowest free number, FD_CLOEXEC clear), dup2 (onto itself; replacing an open one),
//! dup3 (EINVAL onto itself or for bad flags; O_CLOEXEC), a forked child that points
//! stdout at a file with dup2 and executes echo (the offset it moves is the parent's
//! too), fcntl F_DUPFD and F_DUPFD_CLOEXEC, F_GETFD/F_SETFD, F_GETFL/F_SETFL
//! (O_APPEND, O_NONBLOCK; the access mode stays), shared offsets, and EBADF.
//!
//! Usage: `ktest-dup [DIR]`: works in DIR/ktest-dup-PID (default under /tmp). echo is
//! found on PATH (/bin:/usr/bin without one).
use std::fs::{self, File, OpenOptions};
use std::io::{self, Seek, SeekFrom, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::process::ExitCode;

use ktest::{
    Context, Outcome, Scratch, c_path, c_string, close_fd, dup, dup2, dup3, ensure, expect_eq, expect_exit,
    expect_failure, fcntl, find_executable, lseek, read_fd, spawn, text, wait_for, write_fd,
};
use ulib::process::{current_environment, execve};

const NAME: &str = "dup";
/// Where the F_DUPFD checks start looking.
const DUPFD_FLOOR: RawFd = 20;
const ECHO_WORDS: [&str; 2] = ["redirected", "output"];

fn offset(fd: RawFd) -> io::Result<i64> {
    lseek(fd, 0, libc::SEEK_CUR)
}

fn is_open(fd: RawFd) -> bool {
    fcntl(fd, libc::F_GETFD, 0).is_ok()
}

/// The lowest descriptor number at or above `floor` that is not open.
fn lowest_free(floor: RawFd) -> RawFd {
    (floor..).find(|&fd| !is_open(fd)).expect("a free descriptor")
}

fn closing(fd: RawFd) -> Outcome {
    close_fd(fd).context(format_args!("close {fd}"))
}

fn dup_family(scratch: &Scratch) -> Outcome {
    let path = scratch.join("dup-data");
    let file = OpenOptions::new().read(true).write(true).create(true).truncate(true).open(&path).context("open")?;
    let fd = file.as_raw_fd();
    let copies = [dup(fd).context("dup")?, dup(fd).context("dup")?, dup(fd).context("dup")?];
    ensure(copies[0] < copies[1] && copies[1] < copies[2], || format!("dup gave {copies:?}"))?;
    closing(copies[0])?;
    expect_eq("dup after closing the lowest copy", dup(fd).context("dup")?, copies[0])?;
    expect_eq(
        "F_GETFD of the original (std opens O_CLOEXEC)",
        fcntl(fd, libc::F_GETFD, 0).context("fcntl")?,
        libc::FD_CLOEXEC,
    )?;
    expect_eq("F_GETFD of a dup", fcntl(copies[0], libc::F_GETFD, 0).context("fcntl")?, 0)?;

    write_fd(fd, b"abc").context("write")?;
    expect_eq("offset of a dup after writing 3 bytes", offset(copies[1]).context("lseek")?, 3)?;
    lseek(copies[2], 1, libc::SEEK_SET).context("lseek")?;
    expect_eq("offset of the original after lseek on a dup", offset(fd).context("lseek")?, 1)?;

    expect_eq("dup2 onto itself", dup2(fd, fd).context("dup2")?, fd)?;
    let other = File::create(scratch.join("other")).context("create")?;
    let target = dup(other.as_raw_fd()).context("dup")?;
    expect_eq("dup2 onto an open descriptor", dup2(fd, target).context("dup2")?, target)?;
    write_fd(target, b"!").context("write")?;
    expect_eq("written through it at the shared offset", fs::read_to_string(&path).context("read")?.as_str(), "a!c")?;
    expect_failure("dup3 onto itself", dup3(fd, fd, 0), libc::EINVAL)?;
    expect_failure("dup3 with bad flags", dup3(fd, target, 0x40), libc::EINVAL)?;
    expect_eq("dup3 O_CLOEXEC", dup3(fd, target, libc::O_CLOEXEC).context("dup3")?, target)?;
    expect_eq("F_GETFD after dup3 O_CLOEXEC", fcntl(target, libc::F_GETFD, 0).context("fcntl")?, libc::FD_CLOEXEC)?;
    for copy in copies.into_iter().chain([target]) {
        closing(copy)?;
    }
    Ok(())
}

fn fcntl_commands(scratch: &Scratch) -> Outcome {
    let path = scratch.join("fcntl-data");
    let mut file = OpenOptions::new().read(true).write(true).create(true).truncate(true).open(&path).context("open")?;
    let fd = file.as_raw_fd();
    let floor_copy = dup2(fd, DUPFD_FLOOR).context("dup2")?;
    let expected = lowest_free(DUPFD_FLOOR);
    let duplicated = fcntl(fd, libc::F_DUPFD, DUPFD_FLOOR).context("F_DUPFD")?;
    expect_eq(&format!("F_DUPFD {DUPFD_FLOOR} with {DUPFD_FLOOR} taken"), duplicated, expected)?;
    expect_eq("F_GETFD of an F_DUPFD copy", fcntl(duplicated, libc::F_GETFD, 0).context("fcntl")?, 0)?;
    let cloexec = fcntl(fd, libc::F_DUPFD_CLOEXEC, DUPFD_FLOOR).context("F_DUPFD_CLOEXEC")?;
    ensure(cloexec > duplicated, || format!("F_DUPFD_CLOEXEC gave {cloexec}"))?;
    expect_eq(
        "F_GETFD of an F_DUPFD_CLOEXEC copy",
        fcntl(cloexec, libc::F_GETFD, 0).context("fcntl")?,
        libc::FD_CLOEXEC,
    )?;
    fcntl(duplicated, libc::F_SETFD, libc::FD_CLOEXEC).context("F_SETFD")?;
    expect_eq(
        "F_GETFD after F_SETFD FD_CLOEXEC",
        fcntl(duplicated, libc::F_GETFD, 0).context("fcntl")?,
        libc::FD_CLOEXEC,
    )?;
    expect_eq("F_GETFD of the others", fcntl(floor_copy, libc::F_GETFD, 0).context("fcntl")?, 0)?;
    fcntl(duplicated, libc::F_SETFD, 0).context("F_SETFD")?;
    expect_eq("F_GETFD after F_SETFD 0", fcntl(duplicated, libc::F_GETFD, 0).context("fcntl")?, 0)?;

    let status = |fd| fcntl(fd, libc::F_GETFL, 0).context("F_GETFL");
    expect_eq("F_GETFL access mode", status(fd)? & libc::O_ACCMODE, libc::O_RDWR)?;
    let write_only = File::create(scratch.join("write-only")).context("create")?;
    expect_eq("F_GETFL access mode of O_WRONLY", status(write_only.as_raw_fd())? & libc::O_ACCMODE, libc::O_WRONLY)?;
    let file_flags = status(fd)?;
    fcntl(fd, libc::F_SETFL, file_flags | libc::O_APPEND).context("F_SETFL O_APPEND")?;
    expect_eq("F_GETFL O_APPEND of a dup after F_SETFL", status(duplicated)? & libc::O_APPEND, libc::O_APPEND)?;
    file.write_all(b"12345").context("write")?;
    file.seek(SeekFrom::Start(0)).context("lseek")?;
    file.write_all(b"6").context("write")?;
    expect_eq(
        "O_APPEND set by F_SETFL: the write went to the end",
        fs::read_to_string(&path).context("read")?.as_str(),
        "123456",
    )?;
    fcntl(fd, libc::F_SETFL, libc::O_NONBLOCK | libc::O_RDONLY).context("F_SETFL O_NONBLOCK")?;
    let flags = status(fd)?;
    expect_eq(
        "F_GETFL after F_SETFL O_NONBLOCK|O_RDONLY",
        (flags & libc::O_NONBLOCK, flags & libc::O_APPEND),
        (libc::O_NONBLOCK, 0),
    )?;
    expect_eq("access mode after F_SETFL O_RDONLY", flags & libc::O_ACCMODE, libc::O_RDWR)?;
    fcntl(fd, libc::F_SETFL, 0).context("F_SETFL 0")?;
    expect_eq("F_GETFL O_NONBLOCK after clearing it", status(fd)? & libc::O_NONBLOCK, 0)?;
    for copy in [floor_copy, duplicated, cloexec] {
        closing(copy)?;
    }
    Ok(())
}

fn bad_descriptors(scratch: &Scratch) -> Outcome {
    let path = scratch.join("ebadf");
    fs::write(&path, "data").context("write")?;
    let read_only = File::open(&path).context("open")?;
    let write_only = OpenOptions::new().write(true).open(&path).context("open")?;
    let closed = dup(read_only.as_raw_fd()).context("dup")?;
    closing(closed)?;
    expect_failure("close of a closed descriptor", close_fd(closed), libc::EBADF)?;
    expect_failure("dup of a closed descriptor", dup(closed), libc::EBADF)?;
    expect_failure("dup2 of a closed descriptor", dup2(closed, DUPFD_FLOOR), libc::EBADF)?;
    expect_failure("dup2 of a closed descriptor onto itself", dup2(closed, closed), libc::EBADF)?;
    expect_failure("dup2 onto -1", dup2(read_only.as_raw_fd(), -1), libc::EBADF)?;
    expect_failure("fcntl F_GETFD of a closed descriptor", fcntl(closed, libc::F_GETFD, 0), libc::EBADF)?;
    expect_failure("read of a closed descriptor", read_fd(closed, &mut [0; 4]), libc::EBADF)?;
    expect_failure("lseek of -1", offset(-1), libc::EBADF)?;
    expect_failure("write to a read-only descriptor", write_fd(read_only.as_raw_fd(), b"x"), libc::EBADF)?;
    expect_failure("read from a write-only descriptor", read_fd(write_only.as_raw_fd(), &mut [0; 4]), libc::EBADF)
}

fn redirected_echo(scratch: &Scratch) -> Outcome {
    let echo = find_executable("echo").ok_or("no echo on PATH")?;
    let echo_path = c_path(&echo).context("echo's path")?;
    let mut argv = vec![c_string(b"echo")?];
    for word in ECHO_WORDS {
        argv.push(c_string(word.as_bytes())?);
    }
    let environment = current_environment();
    let output = scratch.join("echo-output");
    let file = File::create(&output).context("create")?;
    println!("running {} with stdout on {}", echo.display(), output.display());
    let child = spawn(|| {
        if dup2(file.as_raw_fd(), libc::STDOUT_FILENO).is_err() {
            return 126;
        }
        execve(&echo_path, &argv, &environment);
        127
    })?;
    expect_exit(wait_for(child)?, 0)?;
    let expected = format!("{}\n", ECHO_WORDS.join(" "));
    expect_eq("what echo wrote to the file", text(&fs::read(&output).context("read")?), expected.as_str().into())?;
    let moved = offset(file.as_raw_fd()).context("lseek")?;
    expect_eq("the parent's offset, moved by the child's writes", moved, expected.len() as i64)
}

fn dup_test() -> Outcome {
    let scratch = Scratch::create(NAME)?;
    dup_family(&scratch)?;
    fcntl_commands(&scratch)?;
    bad_descriptors(&scratch)?;
    redirected_echo(&scratch)?;
    scratch.remove()
}

fn main() -> ExitCode {
    ktest::run(NAME, dup_test)
}
