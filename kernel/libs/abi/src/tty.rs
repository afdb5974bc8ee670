//! Terminal ABI: ioctl request numbers, `Termios` flag bits and control-character
//! indices, and the settings a Linux console starts with.

use crate::structs::{NCCS, Termios};

// ioctl requests (terminals and generic file ones).
pub const TCGETS: u32 = 0x5401;
pub const TCSETS: u32 = 0x5402;
/// TCSETS after the output is drained.
pub const TCSETSW: u32 = 0x5403;
/// TCSETS after the output is drained and pending input discarded.
pub const TCSETSF: u32 = 0x5404;
pub const TCSBRK: u32 = 0x5409;
pub const TCXONC: u32 = 0x540A;
pub const TCFLSH: u32 = 0x540B;
pub const TIOCSCTTY: u32 = 0x540E;
pub const TIOCGPGRP: u32 = 0x540F;
pub const TIOCSPGRP: u32 = 0x5410;
pub const TIOCOUTQ: u32 = 0x5411;
pub const TIOCSTI: u32 = 0x5412;
pub const TIOCGWINSZ: u32 = 0x5413;
pub const TIOCSWINSZ: u32 = 0x5414;
pub const FIONREAD: u32 = 0x541B;
pub const FIONBIO: u32 = 0x5421;
pub const TIOCNOTTY: u32 = 0x5422;
pub const TIOCGSID: u32 = 0x5429;
pub const FIONCLEX: u32 = 0x5450;
pub const FIOCLEX: u32 = 0x5451;
// Pseudo-terminal masters: the slave's number, its lock, and opening it.
pub const TIOCGPTN: u32 = 0x8004_5430;
pub const TIOCSPTLCK: u32 = 0x4004_5431;
pub const TIOCGPTLCK: u32 = 0x8004_5439;
pub const TIOCGPTPEER: u32 = 0x5441;
// Virtual consoles (linux/vt.h, linux/kd.h): which one is shown, switching and
// waiting for a switch, the keyboard's type and mode.
pub const VT_GETSTATE: u32 = 0x5603;
pub const VT_ACTIVATE: u32 = 0x5606;
pub const VT_WAITACTIVE: u32 = 0x5607;
pub const KDGKBTYPE: u32 = 0x4B33;
pub const KDGKBMODE: u32 = 0x4B44;
/// KDGKBTYPE's answer: a 101-key keyboard.
pub const KB_101: u8 = 0x02;
/// KDGKBMODE's answer: keys send UTF-8.
pub const K_UNICODE: i32 = 0x03;

// TCFLSH arguments.
pub const TCIFLUSH: u32 = 0;
pub const TCOFLUSH: u32 = 1;
pub const TCIOFLUSH: u32 = 2;

// c_iflag.
pub const IGNBRK: u32 = 0o1;
pub const BRKINT: u32 = 0o2;
pub const IGNPAR: u32 = 0o4;
pub const PARMRK: u32 = 0o10;
pub const INPCK: u32 = 0o20;
pub const ISTRIP: u32 = 0o40;
pub const INLCR: u32 = 0o100;
pub const IGNCR: u32 = 0o200;
pub const ICRNL: u32 = 0o400;
pub const IUCLC: u32 = 0o1000;
pub const IXON: u32 = 0o2000;
pub const IXANY: u32 = 0o4000;
pub const IXOFF: u32 = 0o10000;
pub const IMAXBEL: u32 = 0o20000;
pub const IUTF8: u32 = 0o40000;

// c_oflag.
pub const OPOST: u32 = 0o1;
pub const OLCUC: u32 = 0o2;
pub const ONLCR: u32 = 0o4;
pub const OCRNL: u32 = 0o10;
pub const ONOCR: u32 = 0o20;
pub const ONLRET: u32 = 0o40;

// c_cflag.
pub const CBAUD: u32 = 0o10017;
pub const B38400: u32 = 0o17;
pub const CSIZE: u32 = 0o60;
pub const CS5: u32 = 0;
pub const CS6: u32 = 0o20;
pub const CS7: u32 = 0o40;
pub const CS8: u32 = 0o60;
pub const CSTOPB: u32 = 0o100;
pub const CREAD: u32 = 0o200;
pub const PARENB: u32 = 0o400;
pub const PARODD: u32 = 0o1000;
pub const HUPCL: u32 = 0o2000;
pub const CLOCAL: u32 = 0o4000;

// c_lflag.
pub const ISIG: u32 = 0o1;
pub const ICANON: u32 = 0o2;
pub const ECHO: u32 = 0o10;
pub const ECHOE: u32 = 0o20;
pub const ECHOK: u32 = 0o40;
pub const ECHONL: u32 = 0o100;
pub const NOFLSH: u32 = 0o200;
pub const TOSTOP: u32 = 0o400;
pub const ECHOCTL: u32 = 0o1000;
pub const ECHOPRT: u32 = 0o2000;
pub const ECHOKE: u32 = 0o4000;
pub const FLUSHO: u32 = 0o10000;
pub const PENDIN: u32 = 0o40000;
pub const IEXTEN: u32 = 0o100000;

// Indices into c_cc.
pub const VINTR: usize = 0;
pub const VQUIT: usize = 1;
pub const VERASE: usize = 2;
pub const VKILL: usize = 3;
pub const VEOF: usize = 4;
pub const VTIME: usize = 5;
pub const VMIN: usize = 6;
pub const VSWTC: usize = 7;
pub const VSTART: usize = 8;
pub const VSTOP: usize = 9;
pub const VSUSP: usize = 10;
pub const VEOL: usize = 11;
pub const VREPRINT: usize = 12;
pub const VDISCARD: usize = 13;
pub const VWERASE: usize = 14;
pub const VLNEXT: usize = 15;
pub const VEOL2: usize = 16;

impl Termios {
    /// The settings a Linux terminal starts with (`tty_std_termios`): canonical mode
    /// with echo and signals, CR read as NL, NL written as CR NL, and the usual control
    /// characters (^C, ^\, DEL, ^U, ^D, ...).
    pub const fn linux_default() -> Termios {
        let mut c_cc = [0; NCCS];
        c_cc[VINTR] = 0x03; // ^C
        c_cc[VQUIT] = 0x1c; // ^\
        c_cc[VERASE] = 0x7f; // DEL
        c_cc[VKILL] = 0x15; // ^U
        c_cc[VEOF] = 0x04; // ^D
        c_cc[VMIN] = 1;
        c_cc[VSTART] = 0x11; // ^Q
        c_cc[VSTOP] = 0x13; // ^S
        c_cc[VSUSP] = 0x1a; // ^Z
        c_cc[VREPRINT] = 0x12; // ^R
        c_cc[VDISCARD] = 0x0f; // ^O
        c_cc[VWERASE] = 0x17; // ^W
        c_cc[VLNEXT] = 0x16; // ^V
        Termios {
            c_iflag: ICRNL | IXON,
            c_oflag: OPOST | ONLCR,
            c_cflag: B38400 | CS8 | CREAD | HUPCL,
            c_lflag: ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
            c_line: 0,
            c_cc,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ioctl_numbers_are_linux_values() {
        let pairs: &[(u32, libc::Ioctl, &str)] = &[
            (TCGETS, libc::TCGETS, "TCGETS"),
            (TCSETS, libc::TCSETS, "TCSETS"),
            (TCSETSW, libc::TCSETSW, "TCSETSW"),
            (TCSETSF, libc::TCSETSF, "TCSETSF"),
            (TCSBRK, libc::TCSBRK, "TCSBRK"),
            (TCXONC, libc::TCXONC, "TCXONC"),
            (TCFLSH, libc::TCFLSH, "TCFLSH"),
            (TIOCSCTTY, libc::TIOCSCTTY, "TIOCSCTTY"),
            (TIOCGPGRP, libc::TIOCGPGRP, "TIOCGPGRP"),
            (TIOCSPGRP, libc::TIOCSPGRP, "TIOCSPGRP"),
            (TIOCOUTQ, libc::TIOCOUTQ, "TIOCOUTQ"),
            (TIOCSTI, libc::TIOCSTI, "TIOCSTI"),
            (TIOCGWINSZ, libc::TIOCGWINSZ, "TIOCGWINSZ"),
            (TIOCSWINSZ, libc::TIOCSWINSZ, "TIOCSWINSZ"),
            (FIONREAD, libc::FIONREAD, "FIONREAD"),
            (FIONBIO, libc::FIONBIO, "FIONBIO"),
            (TIOCNOTTY, libc::TIOCNOTTY, "TIOCNOTTY"),
            (TIOCGSID, libc::TIOCGSID, "TIOCGSID"),
            (FIONCLEX, libc::FIONCLEX, "FIONCLEX"),
            (FIOCLEX, libc::FIOCLEX, "FIOCLEX"),
            (TIOCGPTN, libc::TIOCGPTN, "TIOCGPTN"),
            (TIOCSPTLCK, libc::TIOCSPTLCK, "TIOCSPTLCK"),
            (TIOCGPTLCK, libc::TIOCGPTLCK, "TIOCGPTLCK"),
            (TIOCGPTPEER, libc::TIOCGPTPEER, "TIOCGPTPEER"),
        ];
        for &(ours, linux, name) in pairs {
            assert_eq!(libc::Ioctl::from(ours), linux, "{name}");
        }
        assert_eq!(TCIFLUSH, libc::TCIFLUSH as u32);
        assert_eq!(TCOFLUSH, libc::TCOFLUSH as u32);
        assert_eq!(TCIOFLUSH, libc::TCIOFLUSH as u32);
    }

    #[test]
    fn termios_flags_are_linux_values() {
        let pairs: &[(u32, libc::tcflag_t, &str)] = &[
            (IGNBRK, libc::IGNBRK, "IGNBRK"),
            (BRKINT, libc::BRKINT, "BRKINT"),
            (IGNPAR, libc::IGNPAR, "IGNPAR"),
            (PARMRK, libc::PARMRK, "PARMRK"),
            (INPCK, libc::INPCK, "INPCK"),
            (ISTRIP, libc::ISTRIP, "ISTRIP"),
            (INLCR, libc::INLCR, "INLCR"),
            (IGNCR, libc::IGNCR, "IGNCR"),
            (ICRNL, libc::ICRNL, "ICRNL"),
            (IUCLC, libc::IUCLC, "IUCLC"),
            (IXON, libc::IXON, "IXON"),
            (IXANY, libc::IXANY, "IXANY"),
            (IXOFF, libc::IXOFF, "IXOFF"),
            (IMAXBEL, libc::IMAXBEL, "IMAXBEL"),
            (IUTF8, libc::IUTF8, "IUTF8"),
            (OPOST, libc::OPOST, "OPOST"),
            (OLCUC, libc::OLCUC, "OLCUC"),
            (ONLCR, libc::ONLCR, "ONLCR"),
            (OCRNL, libc::OCRNL, "OCRNL"),
            (ONOCR, libc::ONOCR, "ONOCR"),
            (ONLRET, libc::ONLRET, "ONLRET"),
            (CBAUD, libc::CBAUD, "CBAUD"),
            (B38400, libc::B38400, "B38400"),
            (CSIZE, libc::CSIZE, "CSIZE"),
            (CS5, libc::CS5, "CS5"),
            (CS6, libc::CS6, "CS6"),
            (CS7, libc::CS7, "CS7"),
            (CS8, libc::CS8, "CS8"),
            (CSTOPB, libc::CSTOPB, "CSTOPB"),
            (CREAD, libc::CREAD, "CREAD"),
            (PARENB, libc::PARENB, "PARENB"),
            (PARODD, libc::PARODD, "PARODD"),
            (HUPCL, libc::HUPCL, "HUPCL"),
            (CLOCAL, libc::CLOCAL, "CLOCAL"),
            (ISIG, libc::ISIG, "ISIG"),
            (ICANON, libc::ICANON, "ICANON"),
            (ECHO, libc::ECHO, "ECHO"),
            (ECHOE, libc::ECHOE, "ECHOE"),
            (ECHOK, libc::ECHOK, "ECHOK"),
            (ECHONL, libc::ECHONL, "ECHONL"),
            (NOFLSH, libc::NOFLSH, "NOFLSH"),
            (TOSTOP, libc::TOSTOP, "TOSTOP"),
            (ECHOCTL, libc::ECHOCTL, "ECHOCTL"),
            (ECHOPRT, libc::ECHOPRT, "ECHOPRT"),
            (ECHOKE, libc::ECHOKE, "ECHOKE"),
            (FLUSHO, libc::FLUSHO, "FLUSHO"),
            (PENDIN, libc::PENDIN, "PENDIN"),
            (IEXTEN, libc::IEXTEN, "IEXTEN"),
        ];
        for &(ours, linux, name) in pairs {
            assert_eq!(ours, linux, "{name}");
        }
        let indices = [
            (VINTR, libc::VINTR),
            (VQUIT, libc::VQUIT),
            (VERASE, libc::VERASE),
            (VKILL, libc::VKILL),
            (VEOF, libc::VEOF),
            (VTIME, libc::VTIME),
            (VMIN, libc::VMIN),
            (VSWTC, libc::VSWTC),
            (VSTART, libc::VSTART),
            (VSTOP, libc::VSTOP),
            (VSUSP, libc::VSUSP),
            (VEOL, libc::VEOL),
            (VREPRINT, libc::VREPRINT),
            (VDISCARD, libc::VDISCARD),
            (VWERASE, libc::VWERASE),
            (VLNEXT, libc::VLNEXT),
            (VEOL2, libc::VEOL2),
        ];
        for (ours, linux) in indices {
            assert_eq!(ours, linux);
            assert!(ours < NCCS);
        }
    }

    #[test]
    fn default_termios_is_the_linux_console_default() {
        // Linux's tty_std_termios, as `stty -g` prints it: iflag 500, oflag 5,
        // cflag 4bf (ptys clear HUPCL and show bf), lflag 8a3b.
        let termios = Termios::linux_default();
        assert_eq!(termios.c_iflag, 0x500);
        assert_eq!(termios.c_oflag, 0x5);
        assert_eq!(termios.c_cflag, 0x4bf);
        assert_eq!(termios.c_lflag, 0x8a3b);
        assert_eq!(termios.c_cc[VINTR], 3);
        assert_eq!(termios.c_cc[VERASE], 127);
    }
}
