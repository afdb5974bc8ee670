//! The console's line discipline, Linux's N_TTY as pure logic: received bytes become
//! what `read` returns, with echo, line editing and signal characters as the
//! [`Termios`] settings say. The kernel feeds it bytes from the serial port and the
//! keyboard, writes its echo to the console, delivers the signals it reports to the
//! foreground process group, and blocks readers until [`LineDiscipline::readable`]
//! (in non-canonical mode also honouring `VMIN`/`VTIME`, which it reads from
//! [`LineDiscipline::termios`]).
//!
//! Canonical mode (`ICANON`) collects a line: the erase character and also Backspace
//! (0x08) erase a character, the kill character (^U) the line, the word-erase
//! character (^W) a word; NL, `VEOL` and `VEOL2` end a line (included in it); the
//! end-of-file character (^D) ends the line without itself, so at the start of a line
//! a read returns 0. Non-canonical mode makes every byte readable at once. Input
//! processing (`ISTRIP`, `IGNCR`, `ICRNL`, `INLCR`), signals (`ISIG`), literal next
//! (`IEXTEN`, ^V), UTF-8 aware erase (`IUTF8`) and the echo flags (`ECHO`, `ECHOE`,
//! `ECHOK`, `ECHOKE`, `ECHONL`, `ECHOCTL`) follow Linux. Not done here: output
//! processing (`OPOST`, the console's job), flow control (`IXON`), `VREPRINT`,
//! `ECHOPRT`, and the column arithmetic Linux uses to erase a tab (an erased tab is
//! echoed as one column).
//!
//! Input beyond [`INPUT_CAPACITY`] bytes is dropped, as Linux drops input it has no
//! room for; in canonical mode the last byte of room is kept for a line's end, so
//! Enter always completes an overlong line. A writer that can wait (a
//! pseudo-terminal's master) asks [`LineDiscipline::has_room`] first.
//!
//! [`process_output`] is the output side for terminals whose output is bytes for
//! another program (a pseudo-terminal's master): with `OPOST`, `ONLCR` writes NL as
//! CR NL and `OCRNL` CR as NL; the other output flags are not done.
#![cfg_attr(not(test), no_std)]

extern crate alloc;

use alloc::collections::VecDeque;

use kabi::Termios;
use kabi::signal::Signal;
use kabi::tty::{
    ECHO, ECHOCTL, ECHOE, ECHOK, ECHOKE, ECHONL, ICANON, ICRNL, IEXTEN, IGNCR, INLCR, ISIG, ISTRIP, IUTF8, NOFLSH,
    OCRNL, ONLCR, OPOST, VEOF, VEOL, VEOL2, VERASE, VINTR, VKILL, VLNEXT, VQUIT, VSUSP, VWERASE,
};

/// How many received bytes wait for readers at most (Linux's `N_TTY_BUF_SIZE`).
pub const INPUT_CAPACITY: usize = 4096;

/// A `c_cc` entry holding this value is switched off (`_POSIX_VDISABLE` on Linux).
const DISABLED_CHAR: u8 = 0;

/// Backspace, which erases a character in canonical mode as the erase character does.
const BACKSPACE: u8 = 0x08;

/// What an erase in canonical mode removes from the line being edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Erase {
    Character,
    Word,
    Line,
}

/// One terminal's input side: its settings and the bytes received but not yet read.
#[derive(Debug, Clone)]
pub struct LineDiscipline {
    termios: Termios,
    /// Received bytes in order: in canonical mode the completed lines, then the line
    /// being edited; in non-canonical mode all of them are readable.
    buffer: VecDeque<u8>,
    /// Canonical mode: the lengths of the completed lines at the front of `buffer`,
    /// oldest first; 0 is an end of file (a ^D at the start of a line).
    completed_lines: VecDeque<usize>,
    /// The sum of `completed_lines`: where the line being edited starts in `buffer`.
    completed_len: usize,
    /// The last byte was the literal-next character: store the next one as it is.
    literal_next: bool,
}

impl Default for LineDiscipline {
    fn default() -> Self {
        Self::new()
    }
}

impl LineDiscipline {
    /// An empty line discipline with the settings a Linux console starts with.
    pub const fn new() -> Self {
        Self::with_termios(Termios::linux_default())
    }

    /// An empty line discipline with `termios`.
    pub const fn with_termios(termios: Termios) -> Self {
        LineDiscipline {
            termios,
            buffer: VecDeque::new(),
            completed_lines: VecDeque::new(),
            completed_len: 0,
            literal_next: false,
        }
    }

    /// The current settings (`TCGETS`).
    pub fn termios(&self) -> Termios {
        self.termios
    }

    /// Changes the settings (`TCSETS*`; for `TCSETSF` call [`Self::flush_input`]
    /// first). Switching canonical mode off makes everything received readable;
    /// switching it on makes what is pending one completed line, as on Linux.
    pub fn set_termios(&mut self, termios: Termios) {
        let canonical_changed = (self.termios.c_lflag ^ termios.c_lflag) & ICANON != 0;
        self.termios = termios;
        if canonical_changed {
            self.completed_lines.clear();
            self.completed_len = 0;
            self.literal_next = false;
            if self.canonical() && !self.buffer.is_empty() {
                self.completed_lines.push_back(self.buffer.len());
                self.completed_len = self.buffer.len();
            }
        }
    }

    /// Discards everything received and not yet read (`TCFLSH`, `TCSETSF`).
    pub fn flush_input(&mut self) {
        self.buffer.clear();
        self.completed_lines.clear();
        self.completed_len = 0;
        self.literal_next = false;
    }

    /// Whether a read would return at once: in canonical mode a line or an end of
    /// file is complete, otherwise any byte has arrived.
    pub fn readable(&self) -> bool {
        if self.canonical() { !self.completed_lines.is_empty() } else { !self.buffer.is_empty() }
    }

    /// Whether [`Self::input`] would keep another byte rather than drop it for want
    /// of room: in canonical mode an overlong line being edited drops bytes but
    /// still takes its end, so only completed lines filling the buffer leave none.
    pub fn has_room(&self) -> bool {
        self.buffer.len() < self.storable() || (self.canonical() && self.completed_lines.is_empty())
    }

    /// How many bytes the buffer holds before [`Self::store`] drops them: in
    /// canonical mode the last byte is kept for a line's end.
    fn storable(&self) -> usize {
        if self.canonical() { INPUT_CAPACITY - 1 } else { INPUT_CAPACITY }
    }

    /// The bytes a reader could take now (`FIONREAD`): those of the completed lines in
    /// canonical mode, all of them otherwise. For `VMIN` in non-canonical mode.
    pub fn available(&self) -> usize {
        if self.canonical() { self.completed_len } else { self.buffer.len() }
    }

    /// Takes received bytes into `buffer` and returns how many. In canonical mode one
    /// read returns at most one line (what does not fit stays for the next read) and an
    /// end of file returns 0 once. Returns 0 when nothing is [`Self::readable`]: the
    /// kernel blocks the reader (or fails with `EAGAIN`) instead of calling this.
    pub fn read(&mut self, buffer: &mut [u8]) -> usize {
        let limit = if self.canonical() {
            let Some(line_len) = self.completed_lines.front_mut() else {
                return 0;
            };
            if *line_len == 0 {
                self.completed_lines.pop_front();
                return 0;
            }
            let count = buffer.len().min(*line_len);
            *line_len -= count;
            if *line_len == 0 {
                self.completed_lines.pop_front();
            }
            self.completed_len -= count;
            count
        } else {
            buffer.len().min(self.buffer.len())
        };
        // Copy by slices (the ring's two halves), not byte by byte.
        let (front, back) = self.buffer.as_slices();
        let from_front = limit.min(front.len());
        buffer[..from_front].copy_from_slice(&front[..from_front]);
        buffer[from_front..limit].copy_from_slice(&back[..limit - from_front]);
        self.buffer.drain(..limit);
        limit
    }

    /// Handles one received byte: stores, edits or acts on it, writing any echo to
    /// `echo` (bytes for the console, which turns "\n" into "\r\n" itself). Returns the
    /// signal to send to the foreground process group when the byte is an interrupt
    /// (^C: `SIGINT`), quit (^\: `SIGQUIT`) or suspend (^Z: `SIGTSTP`) character;
    /// those also discard pending input (unless `NOFLSH`) and echo as "^C" and so on.
    pub fn input(&mut self, received: u8, echo: &mut impl FnMut(&[u8])) -> Option<Signal> {
        let mut byte = if self.iflag(ISTRIP) { received & 0x7f } else { received };
        if self.literal_next {
            self.literal_next = false;
            self.store(byte, echo);
            return None;
        }
        if self.lflag(ISIG)
            && let Some(signal) = self.signal_for(byte)
        {
            if !self.lflag(NOFLSH) {
                self.flush_input();
            }
            self.echo_char(byte, echo);
            return Some(signal);
        }
        if byte == b'\r' {
            if self.iflag(IGNCR) {
                return None;
            }
            if self.iflag(ICRNL) {
                byte = b'\n';
            }
        } else if byte == b'\n' && self.iflag(INLCR) {
            byte = b'\r';
        }
        if self.canonical() {
            self.canonical_input(byte, echo);
        } else {
            self.store(byte, echo);
        }
        None
    }

    fn canonical_input(&mut self, byte: u8, echo: &mut impl FnMut(&[u8])) {
        let extended = self.lflag(IEXTEN);
        if self.is_char(byte, VERASE) || byte == BACKSPACE {
            self.erase(Erase::Character, echo);
        } else if self.is_char(byte, VKILL) {
            self.erase(Erase::Line, echo);
        } else if extended && self.is_char(byte, VWERASE) {
            self.erase(Erase::Word, echo);
        } else if extended && self.is_char(byte, VLNEXT) {
            self.literal_next = true;
            if self.lflag(ECHO) && self.lflag(ECHOCTL) {
                // A caret the next byte's echo overwrites.
                echo(b"^\x08");
            }
        } else if byte == b'\n' {
            if self.complete_line(Some(byte)) && (self.lflag(ECHO) || self.lflag(ECHONL)) {
                echo(b"\n");
            }
        } else if self.is_char(byte, VEOF) {
            self.complete_line(None);
        } else if self.is_char(byte, VEOL) || (extended && self.is_char(byte, VEOL2)) {
            if self.complete_line(Some(byte)) {
                self.echo_char(byte, echo);
            }
        } else {
            self.store(byte, echo);
        }
    }

    /// Appends a byte to the pending input with its echo, unless there is no room.
    fn store(&mut self, byte: u8, echo: &mut impl FnMut(&[u8])) {
        if self.buffer.len() < self.storable() {
            self.buffer.push_back(byte);
            self.echo_char(byte, echo);
        }
    }

    /// Ends the line being edited, with `terminator` as its last byte or, for an end
    /// of file, none. Returns false when there was no room and the byte was dropped.
    fn complete_line(&mut self, terminator: Option<u8>) -> bool {
        match terminator {
            Some(byte) if self.buffer.len() < INPUT_CAPACITY => self.buffer.push_back(byte),
            None if self.completed_lines.len() < INPUT_CAPACITY => {}
            _ => return false,
        }
        let line_len = self.buffer.len() - self.completed_len;
        self.completed_lines.push_back(line_len);
        self.completed_len += line_len;
        true
    }

    /// Removes a character, a word or the whole line from the end of the line being
    /// edited, echoing what makes it vanish from the screen (Linux's `eraser`). A word
    /// is a run of letters, digits and '_' with whatever follows it (BSD's ALTWERASE).
    fn erase(&mut self, kind: Erase, echo: &mut impl FnMut(&[u8])) {
        if self.buffer.len() == self.completed_len {
            return;
        }
        let echoing = self.lflag(ECHO);
        if kind == Erase::Line && echoing && !(self.lflag(ECHOK) && self.lflag(ECHOKE) && self.lflag(ECHOE)) {
            self.buffer.truncate(self.completed_len);
            self.echo_char(self.termios.c_cc[VKILL], echo);
            if self.lflag(ECHOK) {
                echo(b"\n");
            }
            return;
        }
        let utf8 = self.iflag(IUTF8);
        let is_continuation = |byte: u8| utf8 && byte & 0xc0 == 0x80;
        let mut seen_word = false;
        while self.buffer.len() > self.completed_len {
            // One character: with IUTF8, a lead byte and its continuation bytes.
            let mut start = self.buffer.len() - 1;
            while is_continuation(self.buffer[start]) && start > self.completed_len {
                start -= 1;
            }
            let first = self.buffer[start];
            if is_continuation(first) {
                break; // Never erase part of a character.
            }
            if kind == Erase::Word {
                if first.is_ascii_alphanumeric() || first == b'_' {
                    seen_word = true;
                } else if seen_word {
                    break;
                }
            }
            self.buffer.truncate(start);
            if echoing {
                if kind == Erase::Character && !self.lflag(ECHOE) {
                    self.echo_char(self.termios.c_cc[VERASE], echo);
                } else if self.echoes_as_caret(first) {
                    echo(b"\x08 \x08\x08 \x08");
                } else if !first.is_ascii_control() || first == b'\t' {
                    echo(b"\x08 \x08");
                }
            }
            if kind == Erase::Character {
                break;
            }
        }
    }

    /// Echoes a byte if `ECHO` is on: a control character as "^X" with `ECHOCTL`.
    fn echo_char(&self, byte: u8, echo: &mut impl FnMut(&[u8])) {
        if !self.lflag(ECHO) {
            return;
        }
        if self.echoes_as_caret(byte) {
            echo(&[b'^', byte ^ 0x40]);
        } else {
            echo(&[byte]);
        }
    }

    /// Whether `byte` echoes as a caret and a letter (two columns).
    fn echoes_as_caret(&self, byte: u8) -> bool {
        self.lflag(ECHOCTL) && byte.is_ascii_control() && byte != b'\t' && byte != b'\n'
    }

    fn signal_for(&self, byte: u8) -> Option<Signal> {
        if self.is_char(byte, VINTR) {
            Some(Signal::SIGINT)
        } else if self.is_char(byte, VQUIT) {
            Some(Signal::SIGQUIT)
        } else if self.is_char(byte, VSUSP) {
            Some(Signal::SIGTSTP)
        } else {
            None
        }
    }

    /// Whether `byte` is the control character at `index` of `c_cc` (and it is on).
    fn is_char(&self, byte: u8, index: usize) -> bool {
        let control = self.termios.c_cc[index];
        control != DISABLED_CHAR && byte == control
    }

    fn canonical(&self) -> bool {
        self.lflag(ICANON)
    }

    fn lflag(&self, flag: u32) -> bool {
        self.termios.c_lflag & flag != 0
    }

    fn iflag(&self, flag: u32) -> bool {
        self.termios.c_iflag & flag != 0
    }
}

/// Output processing: appends `data` as `termios` has it written to `out`, as
/// far as `room` bytes of output allow, and returns how many bytes of `data` it
/// took (a byte is never split: CR NL takes two bytes of room or none).
pub fn process_output(termios: &Termios, data: &[u8], room: usize, out: &mut alloc::vec::Vec<u8>) -> usize {
    let post = termios.c_oflag & OPOST != 0;
    let (nl_to_crnl, cr_to_nl) = (post && termios.c_oflag & ONLCR != 0, post && termios.c_oflag & OCRNL != 0);
    let start = out.len();
    for (taken, &byte) in data.iter().enumerate() {
        let written: &[u8] = match byte {
            b'\n' if nl_to_crnl => b"\r\n",
            b'\r' if cr_to_nl => b"\n",
            _ => core::slice::from_ref(&byte),
        };
        if out.len() - start + written.len() > room {
            return taken;
        }
        out.extend_from_slice(written);
    }
    data.len()
}

#[cfg(test)]
mod tests;
