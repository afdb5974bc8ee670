//! Asking for a password on the terminal: the prompt, then a line read with echo
//! off (the terminal's modes put back afterwards) and a newline, as getpass(3).
//! Input that is not a terminal is read as it is.
use std::io::{self, Write};

use ulib::term::Termios;

/// Reads one line from standard input byte by byte (so nothing typed after it is
/// taken from the program that runs next); `None` at end of input.
pub fn read_line() -> io::Result<Option<String>> {
    let mut line = Vec::new();
    loop {
        let mut byte = 0u8;
        // SAFETY: read writes at most one byte into `byte`, which is live.
        let count = unsafe { libc::read(0, (&raw mut byte).cast(), 1) };
        match count {
            1 if byte == b'\n' => return Ok(Some(String::from_utf8_lossy(&line).into_owned())),
            1 => line.push(byte),
            0 if line.is_empty() => return Ok(None),
            0 => return Ok(Some(String::from_utf8_lossy(&line).into_owned())),
            _ => {
                let err = io::Error::last_os_error();
                if err.kind() != io::ErrorKind::Interrupted {
                    return Err(err);
                }
            }
        }
    }
}

/// Prints `prompt` and reads a password without echoing it. Echo goes off before
/// the prompt shows, as getpass(3) does: the terminal echoes input as it comes, so
/// a password typed as soon as the prompt appears must find it off already.
pub fn ask(prompt: &str) -> io::Result<Option<String>> {
    let saved = Termios::get(0).ok();
    if let Some(modes) = saved {
        modes.without_echo().set(0)?;
    }
    let mut out = io::stdout();
    let password = write!(out, "{prompt}").and_then(|()| out.flush()).and_then(|()| read_line());
    if let Some(modes) = saved {
        modes.set(0)?;
        writeln!(out)?;
    }
    password
}
