//! `more [FILE]...`: a pager. On a terminal it shows a screenful (the height from
//! TIOCGWINSZ, 25 lines without one) and waits for a key from /dev/tty in raw mode:
//! space for the next page, enter for the next line, `q` to quit. When standard
//! output is not a terminal it copies its inputs, as cat does.
use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::os::fd::AsFd;

use ulib::args::Spec;
use ulib::diag::report_error;
use ulib::term::window_size;

use crate::cli;
use crate::input::{self, CopyError};
use crate::tty::RawMode;

const PROGRAM: &str = "more";

pub const USAGE: &str = "Usage: more [FILE]...
Display the FILEs (or standard input) a screenful at a time.
Keys: space for the next page, enter for the next line, q to quit.";

const SPEC: Spec = Spec::NONE;

/// The screen size when the terminal does not say.
const DEFAULT_SIZE: (usize, usize) = (25, 80);

/// What a key asks for.
#[derive(Debug, PartialEq, Eq)]
enum Action {
    Lines(usize),
    Quit,
    Nothing,
}

/// The action for `key` on a screen `rows` high.
fn action(key: u8, rows: usize) -> Action {
    match key {
        b' ' | b'f' => Action::Lines(rows.saturating_sub(1).max(1)),
        b'\r' | b'\n' | b'j' => Action::Lines(1),
        b'q' | b'Q' | 0x03 | 0x04 => Action::Quit,
        _ => Action::Nothing,
    }
}

/// How many screen rows `line` takes on a screen `columns` wide (tabs to the next
/// multiple of 8).
fn screen_rows(line: &[u8], columns: usize) -> usize {
    let text = String::from_utf8_lossy(line);
    let width = text
        .trim_end_matches(['\n', '\r'])
        .chars()
        .fold(0usize, |width, char| if char == '\t' { (width / 8 + 1) * 8 } else { width + 1 });
    width.div_ceil(columns.max(1)).max(1)
}

/// The prompt: `--More--`, with how far into the input when its size is known.
fn prompt(done: u64, size: Option<u64>) -> String {
    match size {
        Some(size) if size > 0 => format!("--More--({}%)", (done * 100 / size).min(100)),
        _ => "--More--".into(),
    }
}

/// Pages one input to the terminal, after `header` lines already shown of the first
/// screenful; returns whether the user quit.
fn page(
    reader: &mut dyn BufRead,
    size: Option<u64>,
    mut keys: &File,
    screen: (usize, usize),
    header: usize,
    out: &mut impl Write,
) -> Result<bool, CopyError> {
    let (rows, columns) = screen;
    let mut budget = rows.saturating_sub(1 + header).max(1);
    let mut done = 0u64;
    let mut line = Vec::new();
    loop {
        line.clear();
        let length = reader.read_until(b'\n', &mut line).map_err(CopyError::Read)?;
        if length == 0 {
            return Ok(false);
        }
        done += length as u64;
        let needed = screen_rows(&line, columns);
        while budget < needed.min(rows - 1) {
            write!(out, "\x1b[7m{}\x1b[0m", prompt(done - length as u64, size)).map_err(CopyError::Write)?;
            out.flush().map_err(CopyError::Write)?;
            let mut key = [0u8; 1];
            let answer = match keys.read(&mut key) {
                Ok(0) => Action::Quit,
                Ok(_) => action(key[0], rows),
                Err(err) if err.kind() == io::ErrorKind::Interrupted => Action::Nothing,
                Err(err) => return Err(CopyError::Read(err)),
            };
            out.write_all(b"\r\x1b[K").map_err(CopyError::Write)?;
            match answer {
                Action::Lines(count) => budget += count,
                Action::Quit => return Ok(true),
                Action::Nothing => {}
            }
        }
        budget = budget.saturating_sub(needed);
        out.write_all(&line).map_err(CopyError::Write)?;
    }
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let operands = input::operands_or_stdin(command_line.operands);
    let mut stdout = io::stdout().lock();
    let keys = if stdout.is_terminal() { File::options().read(true).write(true).open("/dev/tty").ok() } else { None };
    let Some(keys) = keys else {
        // Not a terminal: copy, as cat.
        let copied = input::each_operand(PROGRAM, operands, |reader| input::copy(reader, &mut stdout).map(drop));
        return copied.unwrap_or_else(|err| cli::write_failed(PROGRAM, &err));
    };
    let screen = window_size(io::stdout()).unwrap_or(DEFAULT_SIZE);
    let raw = match RawMode::enter(keys.as_fd()) {
        Ok(raw) => raw,
        Err(err) => {
            report_error(PROGRAM, "/dev/tty", &err);
            return 1;
        }
    };
    let several = operands.len() > 1;
    let mut status = 0;
    for operand in &operands {
        let size = if operand == "-" { None } else { fs::metadata(operand).ok().map(|metadata| metadata.len()) };
        let mut reader = match input::open(operand) {
            Ok(reader) => reader,
            Err(err) => {
                report_error(PROGRAM, input::shown(operand), &err);
                status = 1;
                continue;
            }
        };
        if several {
            let name = std::path::Path::new(operand).display().to_string();
            let header = format!("::::::::::::::\n{name}\n::::::::::::::\n");
            if let Err(err) = stdout.write_all(header.as_bytes()) {
                return cli::write_failed(PROGRAM, &err);
            }
        }
        let header_rows = if several { 3 } else { 0 };
        match page(&mut *reader, size, &keys, screen, header_rows, &mut stdout) {
            Ok(false) => {}
            Ok(true) => break,
            Err(CopyError::Read(err)) => {
                report_error(PROGRAM, input::shown(operand), &err);
                status = 1;
            }
            Err(CopyError::Write(err)) => return cli::write_failed(PROGRAM, &err),
        }
    }
    drop(raw);
    cli::finish(PROGRAM, stdout, Ok(status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(action(b' ', 25), Action::Lines(24));
        assert_eq!(action(b'\r', 25), Action::Lines(1));
        assert_eq!(action(b'q', 25), Action::Quit);
        assert_eq!(action(b'x', 25), Action::Nothing);
        assert_eq!(action(b' ', 1), Action::Lines(1));
    }

    #[test]
    fn rows_per_line() {
        assert_eq!(screen_rows(b"short\n", 80), 1);
        assert_eq!(screen_rows(b"\n", 80), 1);
        assert_eq!(screen_rows(&[b'x'; 81], 80), 2);
        assert_eq!(screen_rows(b"\tx", 8), 2);
    }

    #[test]
    fn prompts() {
        assert_eq!(prompt(50, Some(200)), "--More--(25%)");
        assert_eq!(prompt(50, None), "--More--");
        assert_eq!(prompt(0, Some(0)), "--More--");
    }
}
