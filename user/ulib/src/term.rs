//! Terminal modes through termios (`TCGETS`/`TCSETS`): reading them (which also tells
//! whether a descriptor is a terminal), and the raw mode a line editor needs.
use std::os::fd::RawFd;
use std::{io, mem};

use crate::sys::check;

/// A terminal's modes.
#[derive(Clone, Copy)]
pub struct Termios(libc::termios);

impl Termios {
    /// tcgetattr(3): the modes of the terminal on `fd`; ENOTTY when it is none.
    pub fn get(fd: RawFd) -> io::Result<Self> {
        // SAFETY: an all-zero termios is a valid value for tcgetattr to overwrite.
        let mut termios: libc::termios = unsafe { mem::zeroed() };
        // SAFETY: `termios` is a live termios for the call to write.
        check(unsafe { libc::tcgetattr(fd, &mut termios) })?;
        Ok(Self(termios))
    }

    /// tcsetattr(3) with `TCSANOW`: sets the modes of the terminal on `fd`.
    pub fn set(&self, fd: RawFd) -> io::Result<()> {
        // SAFETY: `self.0` is a valid termios for the call to read.
        check(unsafe { libc::tcsetattr(fd, libc::TCSANOW, &self.0) }).map(drop)
    }

    /// These modes made raw for a line editor: input byte by byte (no line
    /// buffering, `VMIN` 1), no echo, control keys delivered as bytes rather than
    /// signals, no CR-to-NL mapping and no flow control. Output processing stays, so
    /// `\n` still starts a new line.
    pub fn raw(&self) -> Self {
        let mut raw = self.0;
        raw.c_lflag &= !(libc::ICANON | libc::ECHO | libc::ISIG | libc::IEXTEN);
        raw.c_iflag &= !(libc::ICRNL | libc::INLCR | libc::IGNCR | libc::IXON);
        raw.c_cc[libc::VMIN] = 1;
        raw.c_cc[libc::VTIME] = 0;
        Self(raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_mode_clears_line_discipline_flags() {
        // SAFETY: an all-zero termios is a valid value.
        let mut cooked: libc::termios = unsafe { mem::zeroed() };
        cooked.c_lflag = libc::ICANON | libc::ECHO | libc::ISIG | libc::IEXTEN | libc::ECHOE;
        cooked.c_iflag = libc::ICRNL | libc::IXON | libc::IUTF8;
        cooked.c_oflag = libc::OPOST | libc::ONLCR;
        let raw = Termios(cooked).raw().0;
        assert_eq!(raw.c_lflag, libc::ECHOE);
        assert_eq!(raw.c_iflag, libc::IUTF8);
        assert_eq!(raw.c_oflag, libc::OPOST | libc::ONLCR);
        assert_eq!((raw.c_cc[libc::VMIN], raw.c_cc[libc::VTIME]), (1, 0));
    }

    #[test]
    fn a_pipe_is_not_a_terminal() {
        let (reader, _writer) = io::pipe().unwrap();
        let Err(err) = Termios::get(std::os::fd::AsRawFd::as_raw_fd(&reader)) else {
            panic!("a pipe has terminal modes");
        };
        assert_eq!(err.raw_os_error(), Some(libc::ENOTTY));
    }
}
