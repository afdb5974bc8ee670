//! ktest-cloexec: close-on-exec as on Linux. The test opens descriptors with and
//! without O_CLOEXEC, sets and clears FD_CLOEXEC with fcntl, makes pipes with
//! pipe2(O_CLOEXEC) and plain pipe, and dups (dup clears the flag; dup3 O_CLOEXEC and
//! F_DUPFD_CLOEXEC set it); a forked child still has them all; then a forked child
//! executes this program again with `--probe`, and the new image checks that exactly
//! the close-on-exec ones are gone (F_GETFD gives EBADF), that the others are open
//! with FD_CLOEXEC clear, reads the kept file and writes to the kept pipe.
//!
//! Usage: `ktest-cloexec [DIR]`: works in DIR/ktest-cloexec-PID (default under /tmp).
//! The program's path is argv[0], or /bin/argv[0] when argv[0] holds no `/`.
use std::env;
use std::ffi::{CString, OsString};
use std::fs::{self, File};
use std::io::Read;
use std::os::fd::{AsRawFd, IntoRawFd, RawFd};
use std::process::ExitCode;

use ktest::{
    Context, Outcome, Scratch, c_string, child_check, dup, dup3, ensure, expect_eq, expect_exit, expect_failure, fcntl,
    fork_and_wait, open_fd, own_path, pipe, pipe2, read_fd, spawn, text, wait_for, write_fd,
};
use ulib::process::{current_environment, execve};

const NAME: &str = "cloexec";
/// argv[1] of the new image, followed by: the descriptors that must be closed, those
/// that must be open (comma-separated), the kept file and the kept pipe's write end.
const PROBE_FLAG: &str = "--probe";
const KEPT_TEXT: &[u8] = b"kept across exec";
const PIPE_TEXT: &[u8] = b"from the new image";

/// A descriptor the test made, and whether it must survive execve.
struct Made {
    what: &'static str,
    fd: RawFd,
    kept: bool,
}

fn fd_list(fds: &[RawFd]) -> String {
    fds.iter().map(RawFd::to_string).collect::<Vec<_>>().join(",")
}

fn parse_fd_list(list: &str) -> Result<Vec<RawFd>, String> {
    list.split(',')
        .filter(|item| !item.is_empty())
        .map(|item| item.parse().map_err(|_| format!("bad fd {item:?}")))
        .collect()
}

fn cloexec_flag(fd: RawFd) -> Result<bool, String> {
    Ok(fcntl(fd, libc::F_GETFD, 0).context(format_args!("F_GETFD {fd}"))? & libc::FD_CLOEXEC != 0)
}

/// Makes the descriptors (leaked on purpose: they live until the test exits). Returns
/// them, the kept file's descriptor, and the kept pipe's ends.
fn make_descriptors(scratch: &Scratch) -> Result<(Vec<Made>, RawFd, File, RawFd), String> {
    let kept_path = scratch.join("kept");
    fs::write(&kept_path, KEPT_TEXT).context("write")?;
    let open = |flags| open_fd(&kept_path, libc::O_RDONLY | flags, 0).context("open").map(IntoRawFd::into_raw_fd);
    let kept = open(0)?;
    let closed = open(libc::O_CLOEXEC)?;
    let set_later = open(0)?;
    fcntl(set_later, libc::F_SETFD, libc::FD_CLOEXEC).context("F_SETFD FD_CLOEXEC")?;
    let cleared = open(libc::O_CLOEXEC)?;
    fcntl(cleared, libc::F_SETFD, 0).context("F_SETFD 0")?;
    let dup_of_closed = dup(closed).context("dup")?;
    let cloexec_dup = fcntl(kept, libc::F_DUPFD_CLOEXEC, 0).context("F_DUPFD_CLOEXEC")?;
    let spare = open(0)?;
    let dup3_target = dup3(kept, spare, libc::O_CLOEXEC).context("dup3")?;
    let (closed_read, closed_write) = pipe2(libc::O_CLOEXEC).context("pipe2 O_CLOEXEC")?;
    let (kept_read, kept_write) = pipe().context("pipe")?;
    let made = vec![
        Made { what: "opened without O_CLOEXEC", fd: kept, kept: true },
        Made { what: "opened with O_CLOEXEC", fd: closed, kept: false },
        Made { what: "FD_CLOEXEC set by F_SETFD", fd: set_later, kept: false },
        Made { what: "FD_CLOEXEC cleared by F_SETFD", fd: cleared, kept: true },
        Made { what: "dup of an O_CLOEXEC descriptor", fd: dup_of_closed, kept: true },
        Made { what: "F_DUPFD_CLOEXEC copy", fd: cloexec_dup, kept: false },
        Made { what: "dup3 O_CLOEXEC copy", fd: dup3_target, kept: false },
        Made { what: "pipe2 O_CLOEXEC read end", fd: closed_read.into_raw_fd(), kept: false },
        Made { what: "pipe2 O_CLOEXEC write end", fd: closed_write.into_raw_fd(), kept: false },
        Made { what: "pipe write end", fd: kept_write.as_raw_fd(), kept: true },
    ];
    Ok((made, kept, kept_read, kept_write.into_raw_fd()))
}

fn before_exec(argv0: &OsString) -> Outcome {
    let scratch = Scratch::create(NAME)?;
    let (made, kept_file, mut pipe_read, pipe_write) = make_descriptors(&scratch)?;
    for descriptor in &made {
        let what = format!("FD_CLOEXEC of fd {} ({})", descriptor.fd, descriptor.what);
        expect_eq(&what, cloexec_flag(descriptor.fd)?, !descriptor.kept)?;
    }
    let fds = |kept: bool| made.iter().filter(|made| made.kept == kept).map(|made| made.fd).collect::<Vec<_>>();
    let (closed, open) = (fds(false), fds(true));

    let status = fork_and_wait(|| {
        child_check("forked child", || {
            let gone = made.iter().find(|made| fcntl(made.fd, libc::F_GETFD, 0).is_err());
            ensure(gone.is_none(), || "a descriptor is missing before any exec".into())
        })
    })?;
    expect_exit(status, 0)?;
    println!("a forked child has all {} descriptors", made.len());

    let path = own_path(argv0)?;
    let mut argv: Vec<CString> = vec![path.clone(), c_string(PROBE_FLAG.as_bytes())?];
    for arg in [fd_list(&closed), fd_list(&open), kept_file.to_string(), pipe_write.to_string()] {
        argv.push(c_string(arg.as_bytes())?);
    }
    let environment = current_environment();
    println!(
        "execve {} {PROBE_FLAG} {} {} {kept_file} {pipe_write}",
        path.to_string_lossy(),
        fd_list(&closed),
        fd_list(&open)
    );
    let child = spawn(|| {
        execve(&path, &argv, &environment);
        127
    })?;
    expect_exit(wait_for(child)?, 0)?;
    println!("the new image found the descriptors as expected");

    let mut from_new_image = vec![0; PIPE_TEXT.len()];
    pipe_read.read_exact(&mut from_new_image).context("read the kept pipe")?;
    expect_eq("what the new image wrote to the kept pipe", text(&from_new_image), text(PIPE_TEXT))?;
    scratch.remove()
}

/// The new image: `args` are --probe CLOSED OPEN FILE PIPE.
fn probe(args: &[OsString]) -> Outcome {
    let arg = |index: usize| {
        args.get(index).and_then(|arg| arg.to_str()).ok_or_else(|| format!("new image: argument {index} is missing"))
    };
    let (closed, open) = (parse_fd_list(arg(2)?)?, parse_fd_list(arg(3)?)?);
    let kept_file: RawFd = arg(4)?.parse().map_err(|_| "bad file descriptor number")?;
    let pipe_write: RawFd = arg(5)?.parse().map_err(|_| "bad pipe descriptor number")?;
    for fd in closed {
        expect_failure(
            &format!("new image: F_GETFD of close-on-exec fd {fd}"),
            fcntl(fd, libc::F_GETFD, 0),
            libc::EBADF,
        )?;
    }
    for fd in open {
        expect_eq(&format!("new image: F_GETFD of kept fd {fd}"), fcntl(fd, libc::F_GETFD, 0).context("F_GETFD")?, 0)?;
    }
    let mut buffer = [0; 64];
    let count = read_fd(kept_file, &mut buffer).context("read the kept file")?;
    expect_eq("new image: read the kept file", text(&buffer[..count]), text(KEPT_TEXT))?;
    expect_eq("new image: write the kept pipe", write_fd(pipe_write, PIPE_TEXT).context("write")?, PIPE_TEXT.len())
}

fn main() -> ExitCode {
    let args: Vec<OsString> = env::args_os().collect();
    if args.get(1).is_some_and(|arg| arg == PROBE_FLAG) {
        ExitCode::from(child_check("new image", || probe(&args)) as u8)
    } else if let Some(argv0) = args.first() {
        ktest::run(NAME, || before_exec(argv0))
    } else {
        ktest::run(NAME, || Err("argv is empty: no path to execute".into()))
    }
}
