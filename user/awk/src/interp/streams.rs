//! Output and input streams by name: standard output, files (`>`, `>>`), commands
//! (`| cmd`, `cmd | getline`), files read with `getline <file`; close(), fflush()
//! and system().
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};

use super::input::{RecordReader, Separator};
use crate::ast::RedirectKind;

enum Output {
    File(BufWriter<File>),
    Pipe(Child, BufWriter<ChildStdin>),
}

struct Input {
    reader: RecordReader,
    child: Option<Child>,
}

pub struct Streams {
    stdout: BufWriter<io::Stdout>,
    /// Standard output is a terminal: flush after each print.
    interactive: bool,
    outputs: HashMap<String, Output>,
    inputs: HashMap<String, Input>,
}

impl std::fmt::Debug for Streams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Streams").field("outputs", &self.outputs.len()).finish()
    }
}

fn shell(command: &str) -> Command {
    let mut shell = Command::new("/bin/sh");
    shell.arg("-c").arg(command);
    shell
}

/// A command's status as awk gives it: the exit status, or 256 + the signal.
fn status_number(status: ExitStatus) -> f64 {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => f64::from(code),
        (None, Some(signal)) => f64::from(256 + signal),
        _ => -1.0,
    }
}

impl Default for Streams {
    fn default() -> Self {
        Self {
            stdout: BufWriter::with_capacity(65536, io::stdout()),
            interactive: io::stdout().is_terminal(),
            outputs: HashMap::new(),
            inputs: HashMap::new(),
        }
    }
}

impl Streams {
    /// Writes to standard output, or where a redirection says.
    pub fn write(&mut self, redirect: Option<(RedirectKind, &str)>, bytes: &[u8]) -> Result<(), String> {
        let failed = |err: io::Error| format!("write failure ({})", ulib::diag::error_text(&err));
        let Some((kind, name)) = redirect else {
            self.stdout.write_all(bytes).map_err(failed)?;
            if self.interactive {
                self.stdout.flush().map_err(failed)?;
            }
            return Ok(());
        };
        if !self.outputs.contains_key(name) {
            match (kind, name) {
                (RedirectKind::File | RedirectKind::Append, "/dev/stdout" | "-") => {
                    return self.write(None, bytes);
                }
                (RedirectKind::File | RedirectKind::Append, "/dev/stderr") => {
                    return io::stderr().write_all(bytes).map_err(failed);
                }
                _ => {}
            }
            let output = match kind {
                RedirectKind::Pipe => {
                    self.stdout.flush().map_err(failed)?;
                    let mut child = shell(name)
                        .stdin(Stdio::piped())
                        .spawn()
                        .map_err(|err| format!("cannot open pipe \"{name}\" ({})", ulib::diag::error_text(&err)))?;
                    let stdin = child.stdin.take().ok_or("cannot open pipe")?;
                    Output::Pipe(child, BufWriter::new(stdin))
                }
                _ => {
                    let file = OpenOptions::new()
                        .write(true)
                        .create(true)
                        .append(kind == RedirectKind::Append)
                        .truncate(kind == RedirectKind::File)
                        .open(name)
                        .map_err(|err| {
                            format!("cannot open \"{name}\" for output ({})", ulib::diag::error_text(&err))
                        })?;
                    Output::File(BufWriter::new(file))
                }
            };
            self.outputs.insert(name.to_owned(), output);
        }
        match self.outputs.get_mut(name) {
            Some(Output::File(writer)) => writer.write_all(bytes).map_err(failed),
            Some(Output::Pipe(_, writer)) => writer.write_all(bytes).map_err(failed),
            None => Ok(()),
        }
    }

    /// The next record of a file read by `getline <name`: `Err` when it cannot be
    /// opened or read.
    pub fn read_file(&mut self, name: &str, separator: &Separator) -> Result<Option<String>, ()> {
        if !self.inputs.contains_key(name) {
            let source: Box<dyn io::Read> = match name {
                "-" | "/dev/stdin" => Box::new(io::stdin()),
                _ => Box::new(File::open(name).map_err(|_| ())?),
            };
            self.inputs.insert(name.to_owned(), Input { reader: RecordReader::new(source), child: None });
        }
        self.next_input(name, separator)
    }

    /// The next record of a command's output (`cmd | getline`).
    pub fn read_command(&mut self, command: &str, separator: &Separator) -> Result<Option<String>, ()> {
        if !self.inputs.contains_key(command) {
            self.flush_all();
            let mut child = shell(command).stdout(Stdio::piped()).spawn().map_err(|_| ())?;
            let stdout = child.stdout.take().ok_or(())?;
            self.inputs
                .insert(command.to_owned(), Input { reader: RecordReader::new(Box::new(stdout)), child: Some(child) });
        }
        self.next_input(command, separator)
    }

    fn next_input(&mut self, name: &str, separator: &Separator) -> Result<Option<String>, ()> {
        let input = self.inputs.get_mut(name).ok_or(())?;
        input.reader.next_record(separator).map_err(|_| ())
    }

    /// close(name): 0, a command's exit status, or -1 when nothing has that name.
    pub fn close(&mut self, name: &str) -> f64 {
        let mut result = -1.0;
        if let Some(output) = self.outputs.remove(name) {
            result = match output {
                Output::File(mut writer) => {
                    if writer.flush().is_ok() {
                        0.0
                    } else {
                        -1.0
                    }
                }
                Output::Pipe(mut child, mut writer) => {
                    let _ = writer.flush();
                    drop(writer);
                    child.wait().map_or(-1.0, status_number)
                }
            };
        }
        if let Some(input) = self.inputs.remove(name) {
            drop(input.reader);
            result = match input.child {
                Some(mut child) => child.wait().map_or(-1.0, status_number),
                None => 0.0,
            };
        }
        result
    }

    pub fn flush_all(&mut self) {
        let _ = self.stdout.flush();
        for output in self.outputs.values_mut() {
            let _ = match output {
                Output::File(writer) => writer.flush(),
                Output::Pipe(_, writer) => writer.flush(),
            };
        }
    }

    /// fflush(name): 0, or -1 when no output has that name.
    pub fn flush(&mut self, name: &str) -> f64 {
        if matches!(name, "/dev/stdout" | "-") {
            return if self.stdout.flush().is_ok() { 0.0 } else { -1.0 };
        }
        match self.outputs.get_mut(name) {
            Some(Output::File(writer)) => writer.flush().map_or(-1.0, |()| 0.0),
            Some(Output::Pipe(_, writer)) => writer.flush().map_or(-1.0, |()| 0.0),
            None => -1.0,
        }
    }

    /// system(command): its status, after all output so far is written.
    pub fn system(&mut self, command: &str) -> f64 {
        self.flush_all();
        shell(command).status().map_or(-1.0, status_number)
    }

    /// Flushes and closes everything at the end, waiting for commands.
    pub fn close_all(&mut self) -> Result<(), String> {
        let names: Vec<String> = self.outputs.keys().chain(self.inputs.keys()).cloned().collect();
        for name in names {
            self.close(&name);
        }
        self.stdout.flush().map_err(|err| format!("write failure ({})", ulib::diag::error_text(&err)))
    }
}
