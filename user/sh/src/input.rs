//! Where commands come from: the terminal through the line editor (with the
//! prompt, history and completion), any other standard input a byte at a time (so
//! that what follows a line is left for the commands it starts), or the whole
//! text of a script or of `-c`.
use std::fs::File;
use std::io::{self, Read as _, Write};
use std::time::Duration;

use lineedit::{Editor, Event};
use ulib::term::{input_within, window_size};

use crate::complete::Completer;
use crate::history;
use crate::prompt;
use crate::shell::{PROGRAM, Shell};

pub enum Input {
    /// The terminal on standard input, through the line editor.
    Terminal { editor: Box<Editor>, stdin: File },
    /// Any other standard input.
    Stream(File),
    /// A script's text (and its name, for messages), or `-c`'s: given whole once.
    Text { name: Option<String>, text: Option<String> },
}

impl Input {
    pub fn text(name: Option<String>, text: &str) -> Self {
        Input::Text { name, text: Some(text.into()) }
    }
}

/// What reading gave.
pub enum Read {
    /// Text ending with a newline (or the rest of the input).
    Line(String),
    Eof,
    Interrupted,
}

impl Shell {
    /// Reads a line; on a terminal, after PS1, or PS2 for a `continuation`.
    pub fn read_line(&mut self, continuation: bool) -> Read {
        let prompt = match &self.input {
            Input::Terminal { editor, .. } => {
                let number = editor.history_number();
                prompt::prompt(self, continuation, number)
            }
            Input::Stream(_) | Input::Text { .. } => String::new(),
        };
        match &mut self.input {
            Input::Text { text, .. } => text.take().map_or(Read::Eof, Read::Line),
            Input::Stream(stdin) => read_stream_line(stdin),
            Input::Terminal { editor, stdin } => {
                if let Some(modes) = &self.terminal_modes {
                    let _ = modes.raw().set(0);
                }
                let mut completer = Completer { path: self.vars.get("PATH"), home: self.vars.get("HOME") };
                let event = edit_line(editor, stdin, &prompt, &mut completer);
                if let Some(modes) = &self.terminal_modes {
                    let _ = modes.set(0);
                }
                match event {
                    Event::Line(line) => {
                        if editor.add_history(&line)
                            && let Some(file) = &self.history_file
                        {
                            history::append(file, &line);
                        }
                        Read::Line(line + "\n")
                    }
                    Event::Eof => Read::Eof,
                    Event::Interrupt => Read::Interrupted,
                }
            }
        }
    }
}

/// One line from a non-terminal input, read a byte at a time; a last line without a
/// newline counts.
fn read_stream_line(stdin: &mut File) -> Read {
    let mut line = Vec::new();
    let mut byte = [0];
    loop {
        match stdin.read(&mut byte) {
            Ok(0) if line.is_empty() => return Read::Eof,
            Ok(0) => break,
            Ok(_) => {
                line.push(byte[0]);
                if byte[0] == b'\n' {
                    break;
                }
            }
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => {
                ulib::diag::report_error(PROGRAM, "standard input", &err);
                return Read::Eof;
            }
        }
    }
    Read::Line(String::from_utf8_lossy(&line).into_owned())
}

/// How long a lone ESC waits for the rest of an escape sequence before it is the
/// Escape key (readline's keyseq-timeout).
const ESCAPE_WAIT: Duration = Duration::from_millis(500);

/// Runs the line editor on the terminal (already in raw mode) until the line ends,
/// telling it the terminal's width before the line and before each input (so a
/// changed window size is taken up at the next key).
fn edit_line(editor: &mut Editor, stdin: &mut File, prompt: &str, completer: &mut Completer) -> Event {
    let mut stderr = io::stderr();
    let columns = |terminal: &File| window_size(terminal).map_or(0, |(_, columns)| columns);
    let _ = stderr.write_all(&editor.resize(columns(stdin)));
    let _ = stderr.write_all(&editor.begin(prompt));
    let mut buffer = [0; 256];
    // None after a lone ESC that nothing followed.
    let mut input: Option<&[u8]> = Some(&[]);
    loop {
        let _ = stderr.write_all(&editor.resize(columns(stdin)));
        let reply = match input {
            Some(input) => editor.feed(input, completer),
            None => editor.escape_timeout(completer),
        };
        let _ = stderr.write_all(&reply.output);
        if let Some(event) = reply.event {
            return event;
        }
        if editor.escape_pending() && !input_within(&*stdin, ESCAPE_WAIT) {
            input = None;
            continue;
        }
        input = match stdin.read(&mut buffer) {
            Ok(0) => return Event::Eof,
            Ok(length) => Some(&buffer[..length]),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => Some(&[]),
            Err(err) => {
                ulib::diag::report_error(PROGRAM, "standard input", &err);
                return Event::Eof;
            }
        };
    }
}
