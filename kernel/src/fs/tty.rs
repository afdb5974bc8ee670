//! Terminals (Linux's tty with N_TTY): what the serial line, the virtual consoles
//! and every pseudo-terminal's slave share. A `Terminal` has a line discipline
//! (`ttyldisc`: canonical or raw mode, echo, erase, ^D), the session it controls
//! and that session's foreground process group, a window size, and one wait queue
//! for readers, writers and pollers. Its received bytes come from the serial interrupt (the serial line's,
//! `SERIAL`: /dev/ttyS0 and /dev/console), the keyboard (the visible virtual
//! console's, `VTS`: /dev/tty1 to /dev/tty4) or writes to a pty's master (fs/pty.rs);
//! ^C, ^\ and ^Z signal the foreground group, a background reader gets SIGTTIN, a
//! new window size SIGWINCH.
//!
//! A session's controlling terminal is the one whose `session` is its id: the
//! serial line is pid 1's from boot; a session leader without one gets a terminal
//! no session has by TIOCSCTTY (or another session's, by TIOCSCTTY with 1, when
//! privileged), or by opening one (not /dev/console) without O_NOCTTY. The session
//! loses it when its leader exits (the foreground group gets SIGHUP) or gives it up
//! (TIOCNOTTY: SIGHUP and SIGCONT), or the terminal hangs up (a pty's master
//! closed: the leader gets SIGHUP and SIGCONT).
use alloc::sync::Arc;

use kabi::fs::{O_NOCTTY, POLLERR, POLLHUP, POLLIN, POLLOUT};
use kabi::signal::Signal;
use kabi::{Errno, Termios, Winsize};
use spin::Mutex;
use ttyldisc::LineDiscipline;

use super::devfs::{self, Device};
use super::file::FileKind;
use super::processes::{Caller, processes};
use super::pty::{self, Pty};
use crate::arch::cpu::without_interrupts;
use crate::arch::vga;
use crate::console::VT_COUNT;
use crate::task::Pid;
use crate::task::wait_queue::WaitQueue;

#[derive(Debug)]
pub struct Terminal {
    state: Mutex<State>,
    /// Woken when input arrives or is read, settings change, output drains (a
    /// pty's master read) or the terminal hangs up.
    changed: WaitQueue,
    /// Its device number (st_rdev of its node; /proc/PID/stat's tty_nr).
    device: u64,
}

#[derive(Debug)]
struct State {
    ldisc: LineDiscipline,
    /// The session it is the controlling terminal of, and that session's
    /// foreground process group.
    session: Option<Pid>,
    foreground: Option<Pid>,
    size: Winsize,
    /// Its other side is gone: reads see end of file, the rest fails with EIO.
    hung_up: bool,
}

/// The serial line's terminal, /dev/ttyS0 and /dev/console: pid 1's session and
/// group control it until someone changes them.
static SERIAL: Terminal = Terminal::new(Termios::linux_default(), Some(1), SCREEN_SIZE, devfs::SERIAL_RDEV);

/// The virtual consoles' terminals, /dev/tty1 to /dev/tty4; their size is the
/// screen's (`screen_resized`).
static VTS: [Terminal; VT_COUNT] = [console_terminal(1), console_terminal(2), console_terminal(3), console_terminal(4)];

/// The terminal of /dev/ttyN, no session's yet.
const fn console_terminal(n: u32) -> Terminal {
    Terminal::new(Termios::linux_default(), None, SCREEN_SIZE, devfs::makedev(4, n))
}

/// The VGA text screen's size, the terminals' until the screen is known.
const SCREEN_SIZE: Winsize =
    Winsize { ws_row: vga::HEIGHT as u16, ws_col: vga::WIDTH as u16, ws_xpixel: 0, ws_ypixel: 0 };

/// The serial line's terminal (/dev/ttyS0, /dev/console).
pub fn serial() -> &'static Terminal {
    &SERIAL
}

/// Virtual console `index`'s terminal (0 for /dev/tty1).
pub fn vt(index: usize) -> Option<&'static Terminal> {
    VTS.get(index)
}

/// Every terminal of a device node of its own (the serial line, the consoles),
/// with its device.
fn lines() -> impl Iterator<Item = (Device, &'static Terminal)> {
    let vts = VTS.iter().zip(1u8..).map(|(terminal, n)| (Device::Vt(n), terminal));
    core::iter::once((Device::Serial, &SERIAL)).chain(vts)
}

/// A byte received on the serial line; its echo goes back out on it.
pub fn serial_input(byte: u8) {
    SERIAL.input(byte, &mut |_: &Termios, echo: &[u8]| crate::console::write_serial(echo));
}

/// Bytes typed on the keyboard: the visible console's input, echoed on it.
pub fn keyboard_input(bytes: &[u8]) {
    let index = crate::console::active_vt();
    if let Some(terminal) = vt(index) {
        for &byte in bytes {
            terminal.input(byte, &mut |_: &Termios, echo: &[u8]| crate::console::write_vt(index, echo));
        }
    }
}

/// Woken when another virtual console is shown (VT_WAITACTIVE).
static SWITCHED: WaitQueue = WaitQueue::new();

/// Show virtual console `index` (Alt-Fn, VT_ACTIVATE); false if there is none.
pub fn switch_vt(index: usize) -> bool {
    let switched = crate::console::switch_vt(index);
    if switched {
        SWITCHED.wake_all();
    }
    switched
}

/// VT_WAITACTIVE: wait until virtual console `index` is the visible one.
pub fn wait_visible(index: usize) -> Result<(), Errno> {
    SWITCHED.wait_until(|| (crate::console::active_vt() == index).then_some(())).map_err(|_| Errno::EINTR)
}

/// The screen's size is known (columns, rows): the consoles' window size.
pub fn screen_resized((columns, rows): (usize, usize)) {
    let size = Winsize { ws_row: rows as u16, ws_col: columns as u16, ws_xpixel: 0, ws_ypixel: 0 };
    VTS.iter().for_each(|terminal| terminal.set_window_size(size));
}

/// Which terminal a session controls.
enum Controlling {
    Line(Device, &'static Terminal),
    Pty(Arc<Pty>),
}

impl Controlling {
    fn terminal(&self) -> &Terminal {
        match self {
            Controlling::Line(_, terminal) => terminal,
            Controlling::Pty(pty) => pty.terminal(),
        }
    }
}

/// The controlling terminal of session `sid`, if it has one.
fn controlling(sid: Pid) -> Option<Controlling> {
    if let Some((device, terminal)) = lines().find(|(_, terminal)| terminal.session() == Some(sid)) {
        return Some(Controlling::Line(device, terminal));
    }
    pty::find(|terminal| terminal.session() == Some(sid)).map(Controlling::Pty)
}

/// Opening /dev/tty: the caller's controlling terminal, opened again (ENXIO
/// without one).
pub fn open_controlling(flags: u32) -> Result<FileKind, Errno> {
    match controlling(processes().caller().sid).ok_or(Errno::ENXIO)? {
        Controlling::Line(device, _) => Ok(FileKind::Device(device)),
        Controlling::Pty(pty) => pty::open_slave(&pty, flags | O_NOCTTY, true),
    }
}

/// The leader of session `sid` has exited (`on_exit`) or given up its terminal
/// (TIOCNOTTY): the controlling terminal is no one's now, and the terminal's
/// foreground group gets SIGHUP, and SIGCONT unless the leader exited (Linux's
/// disassociate_ctty; Linux hangs up a console instead).
pub fn session_ended(sid: Pid, on_exit: bool) {
    if let Some(controlling) = controlling(sid) {
        let terminal = controlling.terminal();
        let foreground = terminal.with(|s| {
            s.session = None;
            s.foreground.take()
        });
        if let Some(group) = foreground {
            processes().signal_group(group, Signal::SIGHUP);
            if !on_exit {
                processes().signal_group(group, Signal::SIGCONT);
            }
        }
    }
}

/// /proc/PID/stat's tty_nr and tpgid for a process of session `sid`: its
/// controlling terminal's device number and foreground group (0 and -1 without).
pub fn stat_fields(sid: Pid) -> (u64, i64) {
    controlling(sid).map_or((0, -1), |c| {
        let terminal = c.terminal();
        (terminal.device(), terminal.with(|s| s.foreground).map_or(-1, i64::from))
    })
}

impl Terminal {
    pub const fn new(termios: Termios, session: Option<Pid>, size: Winsize, device: u64) -> Self {
        Terminal {
            state: Mutex::new(State {
                ldisc: LineDiscipline::with_termios(termios),
                session,
                foreground: session,
                size,
                hung_up: false,
            }),
            changed: WaitQueue::new(),
            device,
        }
    }

    fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        without_interrupts(|| f(&mut self.state.lock()))
    }

    /// Its device number.
    pub fn device(&self) -> u64 {
        self.device
    }

    /// A received byte, through the line discipline; `echo` writes its echo (given
    /// the settings, for output processing). A signal character signals the
    /// foreground group.
    pub fn input(&self, byte: u8, echo: &mut impl FnMut(&Termios, &[u8])) {
        let (signal, foreground) = self.with(|s| {
            let termios = s.ldisc.termios();
            (s.ldisc.input(byte, &mut |bytes: &[u8]| echo(&termios, bytes)), s.foreground)
        });
        if let (Some(signal), Some(group)) = (signal, foreground) {
            processes().signal_group(group, signal);
        }
        self.changed.wake_all();
    }

    /// Whether another received byte would be kept (a pty's master waits if not).
    pub fn has_room(&self) -> bool {
        self.with(|s| s.ldisc.has_room())
    }

    /// read(2): waits until the line discipline has something (EAGAIN instead with
    /// `nonblocking`); a hung-up terminal reads as end of file.
    pub fn read(&self, buf: &mut [u8], nonblocking: bool) -> Result<usize, Errno> {
        self.check_foreground()?;
        let result = self.changed.wait_until(|| {
            self.with(|s| {
                if s.hung_up {
                    Some(Ok(0))
                } else if s.ldisc.readable() {
                    Some(Ok(s.ldisc.read(buf)))
                } else if nonblocking {
                    Some(Err(Errno::EAGAIN))
                } else {
                    None
                }
            })
        });
        self.changed.wake_all(); // a pty's master may wait for the room
        result.unwrap_or(Err(Errno::EINTR))
    }

    /// A background process may not read its controlling terminal: its group gets
    /// SIGTTIN (EIO if it ignores or blocks that signal, as on Linux).
    fn check_foreground(&self) -> Result<(), Errno> {
        let caller = processes().caller();
        let (session, foreground) = self.with(|s| (s.session, s.foreground));
        if session != Some(caller.sid) || foreground.is_none_or(|group| group == caller.pgid) {
            return Ok(());
        }
        if !processes().caller_accepts(Signal::SIGTTIN) {
            return Err(Errno::EIO);
        }
        processes().signal_group(caller.pgid, Signal::SIGTTIN);
        Err(Errno::EINTR)
    }

    /// The poll events of its input side: POLLIN when a read would not wait;
    /// everything once it has hung up (the writer's side adds POLLOUT).
    pub fn poll_input(&self) -> i16 {
        self.with(|s| {
            if s.hung_up {
                POLLIN | POLLOUT | POLLERR | POLLHUP
            } else if s.ldisc.readable() {
                POLLIN
            } else {
                0
            }
        })
    }

    /// Bytes ready to read (FIONREAD).
    pub fn available(&self) -> usize {
        self.with(|s| s.ldisc.available())
    }

    /// Discards the input not yet read (TCFLSH).
    pub fn flush_input(&self) {
        self.with(|s| s.ldisc.flush_input());
        self.changed.wake_all();
    }

    pub fn queue(&self) -> &WaitQueue {
        &self.changed
    }

    pub fn hung_up(&self) -> bool {
        self.with(|s| s.hung_up)
    }

    /// Its other side is gone (a pty's master closed): reads see end of file,
    /// writes and requests fail with EIO, and the session it controlled loses it,
    /// its leader getting SIGHUP and SIGCONT (Linux's __tty_hangup).
    pub fn hang_up(&self) {
        let session = self.with(|s| {
            s.hung_up = true;
            s.foreground = None;
            s.session.take()
        });
        if let Some(leader) = session {
            processes().signal_process(leader, Signal::SIGHUP);
            processes().signal_process(leader, Signal::SIGCONT);
        }
        self.changed.wake_all();
    }

    pub fn termios(&self) -> Termios {
        self.with(|s| s.ldisc.termios())
    }

    /// TCSETS (and TCSETSF with `flush`: discard pending input first).
    pub fn set_termios(&self, termios: &Termios, flush: bool) {
        self.with(|s| {
            if flush {
                s.ldisc.flush_input();
            }
            s.ldisc.set_termios(*termios);
        });
        self.changed.wake_all();
    }

    pub fn window_size(&self) -> Winsize {
        self.with(|s| s.size)
    }

    /// TIOCSWINSZ: a new size sends SIGWINCH to the foreground group.
    pub fn set_window_size(&self, size: Winsize) {
        let foreground = self.with(|s| {
            let changed = s.size != size;
            s.size = size;
            s.foreground.filter(|_| changed)
        });
        if let Some(group) = foreground {
            processes().signal_group(group, Signal::SIGWINCH);
        }
    }

    fn session(&self) -> Option<Pid> {
        self.with(|s| s.session)
    }

    /// Whether it is the caller's controlling terminal.
    fn controls(&self, caller: &Caller) -> bool {
        self.session() == Some(caller.sid)
    }

    /// TIOCGPGRP: the foreground group (0 if none). Asked through the terminal
    /// itself rather than a pty's master, it must be the caller's controlling
    /// terminal (ENOTTY).
    pub fn foreground_group(&self, from_master: bool) -> Result<Pid, Errno> {
        if !from_master && !self.controls(&processes().caller()) {
            return Err(Errno::ENOTTY);
        }
        Ok(self.with(|s| s.foreground).unwrap_or(0))
    }

    /// TIOCGSID: the session it controls (ENOTTY if none), under TIOCGPGRP's rule.
    pub fn session_id(&self, from_master: bool) -> Result<Pid, Errno> {
        if !from_master && !self.controls(&processes().caller()) {
            return Err(Errno::ENOTTY);
        }
        self.session().ok_or(Errno::ENOTTY)
    }

    /// TIOCSPGRP: it must be the caller's controlling terminal (ENOTTY), and the
    /// group must exist in its session (EPERM).
    pub fn set_foreground_group(&self, pgid: Pid) -> Result<(), Errno> {
        let caller = processes().caller();
        if !self.controls(&caller) {
            return Err(Errno::ENOTTY);
        }
        if !processes().group_in_session(pgid, caller.sid) {
            return Err(Errno::EPERM);
        }
        self.with(|s| s.foreground = Some(pgid));
        Ok(())
    }

    /// TIOCSCTTY: the caller, a session leader without a controlling terminal,
    /// makes this one its own (EPERM otherwise). A terminal another session has
    /// is taken from it only with `steal` by a privileged caller; one open
    /// only for writing needs privilege too (Linux's tiocsctty).
    pub fn make_controlling(&self, steal: bool, readable: bool) -> Result<(), Errno> {
        let caller = processes().caller();
        let leader = caller.pid == caller.sid;
        if leader && self.controls(&caller) {
            return Ok(());
        }
        let privileged = processes().credentials().is_privileged();
        if !leader || controlling(caller.sid).is_some() {
            return Err(Errno::EPERM);
        }
        if self.session().is_some() && !(steal && privileged) {
            return Err(Errno::EPERM);
        }
        if !readable && !privileged {
            return Err(Errno::EPERM);
        }
        self.attach(&caller);
        Ok(())
    }

    /// TIOCNOTTY: the caller gives up its controlling terminal, this one (ENOTTY
    /// otherwise). A session leader's session loses it (`session_ended`); another
    /// member keeps its session's (the controlling terminal belongs to sessions
    /// here, not to each process as on Linux).
    pub fn give_up_controlling(&self) -> Result<(), Errno> {
        let caller = processes().caller();
        if !self.controls(&caller) {
            return Err(Errno::ENOTTY);
        }
        if caller.pid == caller.sid {
            session_ended(caller.sid, false);
        }
        Ok(())
    }

    /// A terminal opened without O_NOCTTY (`noctty`), for reading: a session
    /// leader without a controlling terminal gets it if no session has it
    /// (Linux's tty_open_proc_set_tty).
    pub fn opened(&self, noctty: bool, readable: bool) {
        let caller = processes().caller();
        if !noctty
            && readable
            && caller.pid == caller.sid
            && self.session().is_none()
            && controlling(caller.sid).is_none()
        {
            self.attach(&caller);
        }
    }

    fn attach(&self, caller: &Caller) {
        self.with(|s| {
            s.session = Some(caller.sid);
            s.foreground = Some(caller.pgid);
        });
    }
}
