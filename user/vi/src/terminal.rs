//! The terminal vi runs on: raw mode (through `ulib::term`) for as long as the
//! editor runs and restored when it ends, on SIGTERM and SIGHUP, on a panic, and
//! while Ctrl-Z has it stopped;
//! its size (TIOCGWINSZ, 24 by 80 when it does not say), read again on SIGWINCH;
//! reading input, with a short wait to tell the Escape key from the start of a
//! cursor key's escape sequence.
use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::sync::OnceLock;
use std::time::Duration;

use ulib::jobctl::{Disposition, kill, set_disposition, take_caught};
use ulib::term::{Termios, input_within, window_size};

/// How long an ESC waits for the rest of an escape sequence.
pub const ESCAPE_TIMEOUT: Duration = Duration::from_millis(50);

/// The terminal's modes before vi changed them, for the panic hook.
static ORIGINAL: OnceLock<Termios> = OnceLock::new();

/// What leaves the editor's screen: the cursor past the last row (the message
/// line), so that what follows starts on a line of its own below it.
fn leave_screen(rows: usize) -> Vec<u8> {
    format!("\x1b[{rows};1H\r\n").into_bytes()
}

/// What reading brought.
pub enum Input {
    /// Bytes were added to the pending input.
    Bytes,
    /// The window changed size.
    Resized,
    /// SIGTERM or SIGHUP: leave now.
    Terminated,
    /// End of input.
    End,
}

/// The terminal on standard input and output, in raw mode while this lives.
pub struct Terminal {
    original: Termios,
}

impl Terminal {
    /// Puts the terminal in raw mode and catches the signals vi handles.
    pub fn open() -> io::Result<Self> {
        let original = Termios::get(0)?;
        original.raw().set(0)?;
        let _ = ORIGINAL.set(original);
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if let Some(original) = ORIGINAL.get() {
                let _ = original.set(0);
            }
            let _ = io::stdout().write_all(&leave_screen(size().0));
            hook(info);
        }));
        for signal in [libc::SIGWINCH, libc::SIGTERM, libc::SIGHUP] {
            set_disposition(signal, Disposition::Catch)?;
        }
        Ok(Self { original })
    }

    /// Writes bytes to the terminal.
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        let mut out = io::stdout().lock();
        out.write_all(bytes)?;
        out.flush()
    }

    /// Waits for input and appends it to `pending`.
    pub fn read(&mut self, pending: &mut VecDeque<u8>) -> io::Result<Input> {
        let mut bytes = [0; 4096];
        loop {
            if take_caught(libc::SIGTERM) || take_caught(libc::SIGHUP) {
                return Ok(Input::Terminated);
            }
            if take_caught(libc::SIGWINCH) {
                return Ok(Input::Resized);
            }
            match io::stdin().lock().read(&mut bytes) {
                Ok(0) => return Ok(Input::End),
                Ok(count) => {
                    pending.extend(&bytes[..count]);
                    return Ok(Input::Bytes);
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
        }
    }

    /// Ctrl-Z: the terminal as it was, the process group stopped (SIGTSTP); raw
    /// again once `fg` continues it.
    pub fn suspend(&mut self) -> io::Result<()> {
        self.write(&leave_screen(size().0))?;
        self.original.set(0)?;
        kill(0, libc::SIGTSTP)?;
        self.original.raw().set(0)
    }

    /// Whether more input arrives within the escape timeout.
    pub fn more_input_soon(&self) -> bool {
        input_within(io::stdin(), ESCAPE_TIMEOUT)
    }
}

/// The terminal's rows and columns (24 by 80 when it does not know).
pub fn size() -> (usize, usize) {
    window_size(io::stdout()).unwrap_or((24, 80))
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = self.write(&leave_screen(size().0));
        let _ = self.original.set(0);
    }
}
