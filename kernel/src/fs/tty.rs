//! The console TTY: input bytes from COM1 and the PS/2 keyboard go through the
//! line discipline (`ttyldisc`: canonical or raw mode, echo, erase, ^D); readers
//! block on a wait queue until a line (or, in raw mode, a byte) is ready. Job
//! control: the terminal belongs to a session and has a foreground process group,
//! which ^C, ^\ and ^Z signal; a background reader gets SIGTTIN.
use kabi::signal::Signal;
use kabi::{Errno, Termios};
use spin::Mutex;
use ttyldisc::LineDiscipline;

use crate::arch::cpu::without_interrupts;
use crate::task::Pid;
use crate::task::wait_queue::WaitQueue;

use super::processes::processes;

struct Tty {
    ldisc: LineDiscipline,
    /// The session the console controls, and its foreground process group (pid 1's
    /// session and group until someone changes them).
    session: Pid,
    foreground: Pid,
}

static TTY: Mutex<Option<Tty>> = Mutex::new(None);
static READERS: WaitQueue = WaitQueue::new();

fn with<R>(f: impl FnOnce(&mut Tty) -> R) -> R {
    without_interrupts(|| {
        f(TTY.lock().get_or_insert_with(|| Tty { ldisc: LineDiscipline::new(), session: 1, foreground: 1 }))
    })
}

/// A received byte (called from the serial and keyboard interrupts).
pub fn input(byte: u8) {
    let (signal, foreground) =
        with(|t| (t.ldisc.input(byte, &mut |echo: &[u8]| crate::console::write_bytes(echo)), t.foreground));
    if let Some(signal) = signal {
        processes().signal_group(foreground, signal);
    }
    READERS.wake_all();
}

/// A background process may not read the terminal: its group gets SIGTTIN (EIO if
/// it ignores or blocks that signal, as on Linux).
fn check_foreground() -> Result<(), Errno> {
    let caller = processes().caller();
    let (session, foreground) = with(|t| (t.session, t.foreground));
    if caller.sid != session || caller.pgid == foreground {
        return Ok(());
    }
    if !processes().caller_accepts(Signal::SIGTTIN) {
        return Err(Errno::EIO);
    }
    processes().signal_group(caller.pgid, Signal::SIGTTIN);
    Err(Errno::EINTR)
}

/// read(2) on the console: blocks until the line discipline has something.
pub fn read(buf: &mut [u8]) -> Result<usize, Errno> {
    check_foreground()?;
    READERS.wait_until(|| with(|t| t.ldisc.readable().then(|| t.ldisc.read(buf)))).map_err(|_| Errno::EINTR)
}

pub fn readable() -> bool {
    with(|t| t.ldisc.readable())
}

/// Bytes ready to read (FIONREAD).
pub fn available() -> usize {
    with(|t| t.ldisc.available())
}

pub fn readers() -> &'static WaitQueue {
    &READERS
}

pub fn termios() -> Termios {
    with(|t| t.ldisc.termios())
}

/// TCSETS (and TCSETSF with `flush`: discard pending input first).
pub fn set_termios(termios: &Termios, flush: bool) {
    with(|t| {
        if flush {
            t.ldisc.flush_input();
        }
        t.ldisc.set_termios(*termios);
    });
    READERS.wake_all();
}

pub fn foreground_group() -> Pid {
    with(|t| t.foreground)
}

pub fn session() -> Pid {
    with(|t| t.session)
}

/// TIOCSPGRP: the group must exist in the terminal's session, which must be the
/// caller's.
pub fn set_foreground_group(pgid: Pid) -> Result<(), Errno> {
    let session = session();
    if processes().caller().sid != session {
        return Err(Errno::ENOTTY);
    }
    if !processes().group_in_session(pgid, session) {
        return Err(Errno::EPERM);
    }
    with(|t| t.foreground = pgid);
    Ok(())
}

/// TIOCSCTTY: the caller, a session leader, makes the console its terminal.
pub fn make_controlling() -> Result<(), Errno> {
    let caller = processes().caller();
    if caller.pid != caller.sid {
        return Err(Errno::EPERM);
    }
    with(|t| {
        t.session = caller.sid;
        t.foreground = caller.pgid;
    });
    Ok(())
}
