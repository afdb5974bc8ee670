//! Terminals: their modes through termios (`TCGETS`/`TCSETS`): reading them (which
//! also tells whether a descriptor is a terminal), and the raw mode a line editor
//! needs; their window size (`TIOCGWINSZ`); and waiting a while for input.
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::time::Duration;
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

    /// These modes without echo (a password's line): still line by line, the
    /// newline not echoed either.
    pub fn without_echo(&self) -> Self {
        let mut quiet = self.0;
        quiet.c_lflag &= !(libc::ECHO | libc::ECHOE | libc::ECHOK);
        Self(quiet)
    }

    /// The modes a login terminal starts with (stty sane's): canonical input with
    /// echo and signals, CR read as NL, NL written as CR NL, 8-bit characters, and
    /// the usual control characters (^C ^\ ^? ^U ^D ^Z ^R ^W ^V).
    pub fn sane(&self) -> Self {
        let mut sane = self.0;
        sane.c_iflag = libc::ICRNL | libc::IXON | libc::IUTF8 | libc::BRKINT | libc::IMAXBEL;
        sane.c_oflag = libc::OPOST | libc::ONLCR;
        sane.c_cflag = (sane.c_cflag & (libc::CBAUD | libc::CBAUDEX)) | libc::CS8 | libc::CREAD | libc::HUPCL;
        sane.c_lflag = libc::ICANON
            | libc::ISIG
            | libc::IEXTEN
            | libc::ECHO
            | libc::ECHOE
            | libc::ECHOK
            | libc::ECHOCTL
            | libc::ECHOKE;
        let controls = [
            (libc::VINTR, 0x03),
            (libc::VQUIT, 0x1c),
            (libc::VERASE, 0x7f),
            (libc::VKILL, 0x15),
            (libc::VEOF, 0x04),
            (libc::VSUSP, 0x1a),
            (libc::VREPRINT, 0x12),
            (libc::VWERASE, 0x17),
            (libc::VLNEXT, 0x16),
            (libc::VSTART, 0x11),
            (libc::VSTOP, 0x13),
            (libc::VMIN, 1),
            (libc::VTIME, 0),
        ];
        for (index, value) in controls {
            sane.c_cc[index] = value;
        }
        Self(sane)
    }

    /// These modes at line speed `speed` (a `libc::B*` constant), in and out.
    pub fn with_speed(&self, speed: libc::speed_t) -> Self {
        let mut modes = self.0;
        // SAFETY: both calls only change fields of `modes`, a live termios.
        unsafe {
            libc::cfsetispeed(&mut modes, speed);
            libc::cfsetospeed(&mut modes, speed);
        }
        Self(modes)
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

/// The terminal's rows and columns, when `fd` is a terminal that knows them.
pub fn window_size(fd: impl AsFd) -> Option<(usize, usize)> {
    let mut size = libc::winsize { ws_row: 0, ws_col: 0, ws_xpixel: 0, ws_ypixel: 0 };
    // SAFETY: TIOCGWINSZ writes one winsize to the pointer, which points at a live one.
    let result = unsafe { libc::ioctl(fd.as_fd().as_raw_fd(), libc::TIOCGWINSZ, &mut size) };
    (result == 0 && size.ws_row > 0 && size.ws_col > 0).then(|| (size.ws_row.into(), size.ws_col.into()))
}

/// Whether input arrives on `fd` within `timeout` (poll(2); an interrupted wait
/// counts as none arriving).
pub fn input_within(fd: impl AsFd, timeout: Duration) -> bool {
    let mut poll = libc::pollfd { fd: fd.as_fd().as_raw_fd(), events: libc::POLLIN, revents: 0 };
    let milliseconds = libc::c_int::try_from(timeout.as_millis()).unwrap_or(libc::c_int::MAX);
    // SAFETY: poll reads and writes one pollfd, which `poll` is.
    unsafe { libc::poll(&mut poll, 1, milliseconds) > 0 }
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
    fn quiet_and_sane_modes() {
        // SAFETY: an all-zero termios is a valid value.
        let zero: libc::termios = unsafe { mem::zeroed() };
        let sane = Termios(zero).sane().0;
        assert_eq!(sane.c_lflag & (libc::ICANON | libc::ECHO | libc::ISIG), libc::ICANON | libc::ECHO | libc::ISIG);
        assert_eq!(sane.c_iflag & libc::ICRNL, libc::ICRNL);
        assert_eq!(sane.c_cc[libc::VERASE], 0x7f);
        let quiet = Termios(sane).without_echo().0;
        assert_eq!(quiet.c_lflag & (libc::ECHO | libc::ECHOE | libc::ECHOK), 0);
        assert_eq!(quiet.c_lflag & libc::ICANON, libc::ICANON);
    }

    #[test]
    fn a_pipe_is_not_a_terminal() {
        let (reader, _writer) = io::pipe().unwrap();
        let Err(err) = Termios::get(std::os::fd::AsRawFd::as_raw_fd(&reader)) else {
            panic!("a pipe has terminal modes");
        };
        assert_eq!(err.raw_os_error(), Some(libc::ENOTTY));
    }

    #[test]
    fn a_file_has_no_window_size() {
        assert_eq!(window_size(std::fs::File::open("/").unwrap()), None);
    }

    #[test]
    fn waiting_for_input() {
        let (reader, mut writer) = io::pipe().unwrap();
        assert!(!input_within(&reader, Duration::from_millis(10)));
        io::Write::write_all(&mut writer, b"x").unwrap();
        assert!(input_within(&reader, Duration::from_millis(10)));
    }
}
