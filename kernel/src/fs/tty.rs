//! The console TTY: input bytes from COM1 and the PS/2 keyboard go through the
//! line discipline (`ttyldisc`: canonical mode, echo, erase, ^D); readers block on
//! a wait queue until a line (or, in raw mode, a byte) is ready.
use kabi::Termios;
use spin::Mutex;
use ttyldisc::LineDiscipline;

use crate::arch::cpu::without_interrupts;
use crate::proc::wait_queue::WaitQueue;

static LDISC: Mutex<Option<LineDiscipline>> = Mutex::new(None);
static READERS: WaitQueue = WaitQueue::new();

fn with<R>(f: impl FnOnce(&mut LineDiscipline) -> R) -> R {
    without_interrupts(|| f(LDISC.lock().get_or_insert_with(LineDiscipline::new)))
}

/// A received byte (called from the serial and keyboard interrupts).
pub fn input(byte: u8) {
    let signal = with(|l| l.input(byte, &mut |echo: &[u8]| crate::console::write_bytes(echo)));
    if let Some(signal) = signal {
        // Job control (a foreground process group to signal) comes with the shell
        // issue; until then the line is discarded and nothing is signalled.
        log::debug!("tty: {signal:?} typed, no foreground process group yet");
    }
    READERS.wake_all();
}

/// read(2) on the console: blocks until the line discipline has something.
pub fn read(buf: &mut [u8]) -> Result<usize, kabi::Errno> {
    READERS.wait_until(|| with(|l| l.readable().then(|| l.read(buf)))).map_err(|_| kabi::Errno::EINTR)
}

pub fn readable() -> bool {
    with(|l| l.readable())
}

pub fn readers() -> &'static WaitQueue {
    &READERS
}

pub fn termios() -> Termios {
    with(|l| l.termios())
}

pub fn set_termios(termios: &Termios) {
    with(|l| l.set_termios(*termios));
    READERS.wake_all();
}
