//! File descriptors by number, for redirections: dup2, close, keeping a copy to
//! put back later, and installing an open file at a given number.
use std::io;
use std::os::fd::{FromRawFd, IntoRawFd, OwnedFd, RawFd};

use crate::sys::check;

/// dup2(2): makes `to` a copy of `from` (closing what `to` was); the copy does not
/// close on exec.
pub fn dup2(from: RawFd, to: RawFd) -> io::Result<()> {
    // SAFETY: dup2 takes plain descriptor numbers; it closes `to` only as part of
    // replacing it, which is what the caller asks for.
    check(unsafe { libc::dup2(from, to) }).map(drop)
}

/// close(2) of a descriptor given by number (not owned by anything in this process).
pub fn close(fd: RawFd) -> io::Result<()> {
    // SAFETY: the caller names a descriptor that no Rust object owns.
    check(unsafe { libc::close(fd) }).map(drop)
}

/// A copy of descriptor `fd` numbered 10 or above and closed on exec
/// (`F_DUPFD_CLOEXEC`), out of the way of redirections, to put `fd` back later.
pub fn duplicate(fd: RawFd) -> io::Result<OwnedFd> {
    // SAFETY: fcntl with F_DUPFD_CLOEXEC takes plain integers and creates a new
    // descriptor, touching no memory of ours.
    let copy = check(unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 10) })?;
    // SAFETY: `copy` was just created and nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(copy) })
}

/// Puts `file` at descriptor `to`, open across exec: moved there with dup2, or kept
/// (its close-on-exec flag cleared) when it already is `to`.
pub fn install(file: OwnedFd, to: RawFd) -> io::Result<()> {
    let fd = file.into_raw_fd();
    if fd == to {
        // SAFETY: F_SETFD with 0 only clears the close-on-exec flag of `fd`, which
        // this function now owns and leaves open on purpose.
        return check(unsafe { libc::fcntl(fd, libc::F_SETFD, 0) }).map(drop);
    }
    let result = dup2(fd, to);
    close(fd)?;
    result
}

/// write(2) of all of `bytes` to descriptor `fd`, unbuffered (so that a builtin's
/// output is out before the descriptor is redirected back), retrying after EINTR.
pub fn write_all(fd: RawFd, mut bytes: &[u8]) -> io::Result<()> {
    while !bytes.is_empty() {
        // SAFETY: `bytes` is a live slice of the given length for write to read.
        match check(unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) }) {
            Ok(written) => bytes = &bytes[written as usize..],
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(())
}

/// read(2) of one byte from descriptor `fd` (so that nothing after what is wanted
/// is taken from a pipe); `None` at the end of the file.
pub fn read_byte(fd: RawFd) -> io::Result<Option<u8>> {
    let mut byte = 0u8;
    loop {
        // SAFETY: `byte` is a live u8 for read to write one byte into.
        match check(unsafe { libc::read(fd, (&raw mut byte).cast(), 1) }) {
            Ok(0) => return Ok(None),
            Ok(_) => return Ok(Some(byte)),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
}

/// Whether descriptor `fd` is open.
pub fn is_open(fd: RawFd) -> bool {
    // SAFETY: F_GETFD only reads the flags of a descriptor number.
    unsafe { libc::fcntl(fd, libc::F_GETFD) != -1 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::File;
    use std::io::{Read, Write};
    use std::os::fd::AsRawFd;

    /// A descriptor number this test owns (open on /dev/null), to move things to.
    fn spare() -> RawFd {
        File::open("/dev/null").unwrap().into_raw_fd()
    }

    #[test]
    fn install_and_dup2_move_a_pipe_end() {
        let (mut reader, writer) = io::pipe().unwrap();
        let (first, second) = (spare(), spare());
        install(writer.into(), first).unwrap();
        dup2(first, second).unwrap();
        close(first).unwrap();
        // SAFETY: `second` is the pipe's write end now, and nothing else owns it.
        let mut writer = unsafe { File::from_raw_fd(second) };
        writer.write_all(b"hi").unwrap();
        drop(writer);
        let mut text = String::new();
        reader.read_to_string(&mut text).unwrap();
        assert_eq!(text, "hi");
    }

    #[test]
    fn duplicates_are_high_and_close_on_exec() {
        let file = File::open("/dev/null").unwrap();
        let copy = duplicate(file.as_raw_fd()).unwrap();
        assert!(copy.as_raw_fd() >= 10);
        // SAFETY: F_GETFD only reads the flags of a descriptor this test owns.
        assert_eq!(unsafe { libc::fcntl(copy.as_raw_fd(), libc::F_GETFD) }, libc::FD_CLOEXEC);
        // A number no descriptor of this process has (a closed one could be
        // reused at once by a test running in parallel).
        let never_open: RawFd = 999_999;
        assert_eq!(duplicate(never_open).unwrap_err().raw_os_error(), Some(libc::EBADF));
    }

    #[test]
    fn writing_and_reading_bytes() {
        let (reader, writer) = io::pipe().unwrap();
        write_all(writer.as_raw_fd(), b"ab").unwrap();
        drop(writer);
        assert!(is_open(reader.as_raw_fd()));
        assert_eq!(read_byte(reader.as_raw_fd()).unwrap(), Some(b'a'));
        assert_eq!(read_byte(reader.as_raw_fd()).unwrap(), Some(b'b'));
        assert_eq!(read_byte(reader.as_raw_fd()).unwrap(), None);
        assert!(!is_open(999_999));
    }

    #[test]
    fn install_in_place_clears_close_on_exec() {
        let file = File::open("/dev/null").unwrap();
        let fd = file.as_raw_fd();
        install(file.into(), fd).unwrap();
        // SAFETY: F_GETFD only reads the flags of `fd`, which this test owns.
        assert_eq!(unsafe { libc::fcntl(fd, libc::F_GETFD) }, 0);
        close(fd).unwrap();
    }
}
