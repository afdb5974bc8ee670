//! The terminal: its size from TIOCGWINSZ (`ls` columns, `more` pages) and raw
//! keyboard input (`more`), with ulib's termios modes.
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};

use ulib::term::Termios;

/// The terminal's rows and columns, when `fd` is a terminal that knows them.
pub fn window_size(fd: impl AsFd) -> Option<(usize, usize)> {
    let mut size = libc::winsize { ws_row: 0, ws_col: 0, ws_xpixel: 0, ws_ypixel: 0 };
    // SAFETY: TIOCGWINSZ writes one winsize to the pointer, which points at a live one.
    let result = unsafe { libc::ioctl(fd.as_fd().as_raw_fd(), libc::TIOCGWINSZ, &mut size) };
    (result == 0 && size.ws_row > 0 && size.ws_col > 0).then(|| (size.ws_row.into(), size.ws_col.into()))
}

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

    #[test]
    fn a_file_is_no_terminal() {
        let file = std::fs::File::open("/").unwrap();
        assert_eq!(window_size(&file), None);
        assert!(RawMode::enter(file.as_fd()).is_err());
    }
}
