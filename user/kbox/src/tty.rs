//! The terminal's raw keyboard input (`more`), with ulib's termios modes.
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd};

use ulib::term::Termios;

/// A terminal in raw mode (ulib's: byte by byte, no echo, control keys as bytes)
/// until dropped, when its modes are put back.
pub struct RawMode<'fd> {
    fd: BorrowedFd<'fd>,
    saved: Termios,
}

impl<'fd> RawMode<'fd> {
    pub fn enter(fd: BorrowedFd<'fd>) -> io::Result<Self> {
        let saved = Termios::get(fd.as_raw_fd())?;
        saved.raw().set(fd.as_raw_fd())?;
        Ok(Self { fd, saved })
    }
}

impl Drop for RawMode<'_> {
    fn drop(&mut self) {
        // Nothing more can be done if the terminal refuses its old modes.
        let _ = self.saved.set(self.fd.as_raw_fd());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsFd;

    #[test]
    fn a_file_is_no_terminal() {
        let file = std::fs::File::open("/").unwrap();
        assert!(RawMode::enter(file.as_fd()).is_err());
    }
}
