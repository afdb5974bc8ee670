//! The shell's state and main loop: read lines (through the line editor on a
//! terminal, byte by byte from any other standard input, or from a script's text),
//! join them until they parse, and run the lists they make, item by item and
//! `&&`/`||` by `&&`/`||`. Pipelines and jobs are in [`crate::exec`], builtins in
//! [`crate::builtins`].
use std::env;
use std::fs::File;
use std::io::{self, Read as _, Write};
use std::path::PathBuf;
use std::time::Duration;

use lineedit::{Editor, Event};
use shparse::ast::{AndOr, Connector, List};
use shparse::{ParseError, parse};
use ulib::diag::report;
use ulib::jobctl;
use ulib::process::pid_t;
use ulib::term::{Termios, input_within, window_size};

use crate::complete::Completer;
use crate::history;
use crate::jobs::Jobs;
use crate::prompt;
use crate::vars::Vars;

pub const PROGRAM: &str = "sh";
/// `$?` after a syntax error or a builtin's usage error.
pub const STATUS_USAGE: i32 = 2;
/// `$?` after Ctrl-C at the prompt.
pub const STATUS_INTERRUPTED: i32 = 130;
/// Where command lines come from.
pub enum Input {
    /// The terminal on standard input, through the line editor.
    Terminal { editor: Box<Editor>, stdin: File },
    /// Any other standard input, read a byte at a time so that what follows a line
    /// is left for the commands it starts.
    Stream(File),
    /// The lines of a script or of `-c`.
    Text(std::vec::IntoIter<String>),
}

impl Input {
    /// Lines of `text`.
    pub fn text(text: &str) -> Self {
        Input::Text(text.lines().map(String::from).collect::<Vec<_>>().into_iter())
    }
}

/// What reading a line gave.
enum Read {
    Line(String),
    Eof,
    Interrupted,
}

pub struct Shell {
    pub vars: Vars,
    /// `$0`, then the positional parameters `$1`...
    pub args: Vec<String>,
    /// `$?`
    pub status: i32,
    /// `$$`: the shell's process ID (a forked copy keeps its parent's).
    pub pid: pid_t,
    /// `$!`
    pub last_background: Option<pid_t>,
    pub jobs: Jobs,
    /// Reading a terminal: prompts, job reports, `exit` said on leaving.
    pub interactive: bool,
    /// The shell's process group, when it has job control of the terminal on fd 0.
    pub job_control: Option<pid_t>,
    /// The terminal's modes as they were at start, restored around every line read
    /// and after every foreground job.
    pub terminal_modes: Option<Termios>,
    pub input: Input,
    pub history_file: Option<PathBuf>,
    /// Set by `exit`: the status to leave with.
    pub exit: Option<i32>,
    /// `exit` with stopped jobs was refused once already.
    pub warned_stopped: bool,
    /// Children keep SIGINT and SIGQUIT ignored: the shell was started so, or is
    /// an `&` job without job control.
    pub ignore_interrupts: bool,
}

impl Shell {
    /// A shell reading `input`, with variables from the environment.
    pub fn new(args: Vec<String>, input: Input) -> Self {
        let mut vars = Vars::from_environment(env::vars());
        if let Ok(directory) = env::current_dir() {
            vars.set("PWD", &directory.to_string_lossy());
            vars.export("PWD");
        }
        Self {
            vars,
            args,
            status: 0,
            pid: std::process::id() as pid_t,
            last_background: None,
            jobs: Jobs::default(),
            interactive: false,
            job_control: None,
            terminal_modes: None,
            input,
            history_file: None,
            exit: None,
            warned_stopped: false,
            ignore_interrupts: jobctl::is_ignored(libc::SIGINT),
        }
    }

    /// The value of a parameter: special (`$?`, `$$`, `$!`, `$#`, `$@`, `$*`, `$0`...)
    /// or a variable.
    pub fn param(&self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.status.to_string()),
            "$" => Some(self.pid.to_string()),
            "!" => self.last_background.map(|pid| pid.to_string()),
            "#" => Some(self.args.len().saturating_sub(1).to_string()),
            "@" | "*" => Some(self.args.get(1..).unwrap_or_default().join(" ")),
            "-" => Some(if self.interactive { "i".into() } else { String::new() }),
            _ => match name.parse::<usize>() {
                Ok(index) => self.args.get(index).cloned(),
                Err(_) => self.vars.get(name).map(String::from),
            },
        }
    }

    /// Reads and runs commands until the input ends or `exit`; returns the status to
    /// leave with.
    pub fn run(&mut self) -> i32 {
        while self.exit.is_none() {
            if self.interactive {
                self.report_jobs();
            }
            match self.read_list() {
                Some(list) => self.run_list(&list),
                None if self.interactive && self.exit.is_none() => {
                    if self.refuse_exit_with_stopped_jobs() {
                        continue;
                    }
                    let _ = writeln!(io::stderr(), "exit");
                    break;
                }
                None => break,
            }
        }
        self.exit.unwrap_or(self.status)
    }

    /// Says so and returns true the first time the shell is asked to leave while
    /// jobs are stopped, as bash does.
    pub fn refuse_exit_with_stopped_jobs(&mut self) -> bool {
        if !self.interactive || self.warned_stopped || !self.jobs.any_stopped() {
            return false;
        }
        self.warned_stopped = true;
        let _ = writeln!(io::stderr(), "There are stopped jobs.");
        true
    }

    /// Reads lines until they parse; `None` at the end of the input (or after a
    /// syntax error that ends a script).
    fn read_list(&mut self) -> Option<List> {
        let mut source = String::new();
        loop {
            match self.read_line(!source.is_empty()) {
                Read::Line(line) => {
                    source.push_str(&line);
                    source.push('\n');
                }
                Read::Interrupted => {
                    self.status = STATUS_INTERRUPTED;
                    source.clear();
                    continue;
                }
                Read::Eof if source.is_empty() => return None,
                Read::Eof => {
                    self.syntax_error(&ParseError::Incomplete);
                    return None;
                }
            }
            match parse(&source) {
                Ok(list) => return Some(list),
                Err(ParseError::Incomplete) => {}
                Err(err) => {
                    self.syntax_error(&err);
                    if !self.interactive {
                        return None;
                    }
                    source.clear();
                }
            }
        }
    }

    fn syntax_error(&mut self, err: &ParseError) {
        report(PROGRAM, err);
        self.status = STATUS_USAGE;
        if !self.interactive {
            self.exit = Some(STATUS_USAGE);
        }
    }

    fn read_line(&mut self, continuation: bool) -> Read {
        let prompt = match &self.input {
            Input::Terminal { editor, .. } => prompt::prompt(self, continuation, editor.history_number()),
            Input::Stream(_) | Input::Text(_) => String::new(),
        };
        match &mut self.input {
            Input::Text(lines) => lines.next().map_or(Read::Eof, Read::Line),
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
                        Read::Line(line)
                    }
                    Event::Eof => Read::Eof,
                    Event::Interrupt => Read::Interrupted,
                }
            }
        }
    }

    pub fn run_list(&mut self, list: &List) {
        for item in &list.items {
            if self.exit.is_some() {
                return;
            }
            if item.background {
                self.run_background(&item.and_or, &item.text);
            } else {
                self.run_and_or(&item.and_or, &item.text);
            }
        }
    }

    /// Runs the pipelines of `and_or` as `&&` and `||` say, leaving `$?` set.
    pub fn run_and_or(&mut self, and_or: &AndOr, text: &str) {
        self.status = self.run_pipeline(&and_or.first, text, false);
        for (connector, pipeline) in &and_or.rest {
            if self.exit.is_some() {
                return;
            }
            let wanted = match connector {
                Connector::And => self.status == 0,
                Connector::Or => self.status != 0,
            };
            if wanted {
                self.status = self.run_pipeline(pipeline, text, false);
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
            Ok(_) if byte[0] == b'\n' => break,
            Ok(_) => line.push(byte[0]),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn shell(args: &[&str]) -> Shell {
        Shell::new(args.iter().map(|arg| arg.to_string()).collect(), Input::text(""))
    }

    #[test]
    fn special_parameters() {
        let mut shell = shell(&["script", "a", "b c"]);
        shell.status = 3;
        shell.last_background = Some(77);
        assert_eq!(shell.param("?").as_deref(), Some("3"));
        assert_eq!(shell.param("$"), Some(std::process::id().to_string()));
        assert_eq!(shell.param("!").as_deref(), Some("77"));
        assert_eq!(shell.param("#").as_deref(), Some("2"));
        assert_eq!(shell.param("0").as_deref(), Some("script"));
        assert_eq!(shell.param("2").as_deref(), Some("b c"));
        assert_eq!(shell.param("3"), None);
        assert_eq!(shell.param("@").as_deref(), Some("a b c"));
        assert_eq!(shell.param("-").as_deref(), Some(""));
    }

    #[test]
    fn variables_come_from_the_environment() {
        let mut shell = shell(&["sh"]);
        assert_eq!(shell.param("PATH"), env::var("PATH").ok());
        assert_eq!(shell.param("PWD"), env::current_dir().ok().map(|dir| dir.to_string_lossy().into_owned()));
        shell.vars.set("X", "1");
        assert_eq!(shell.param("X").as_deref(), Some("1"));
    }

    #[test]
    fn text_input_runs_line_by_line_and_joins_open_lines() {
        let mut shell = shell(&["sh"]);
        shell.input = Input::text("X=1\nY='a\nb' ; Z=$X\n# comment\n");
        assert_eq!(shell.run(), 0);
        assert_eq!(shell.vars.get("Y"), Some("a\nb"));
        assert_eq!(shell.vars.get("Z"), Some("1"));
    }

    #[test]
    fn a_syntax_error_ends_a_script() {
        let mut shell = shell(&["sh"]);
        shell.input = Input::text("X=1\nY=2 |\n| Z=3\nW=4");
        assert_eq!(shell.run(), STATUS_USAGE);
        assert_eq!(shell.vars.get("X"), Some("1"));
        assert_eq!(shell.vars.get("W"), None);
        let mut shell = self::shell(&["sh"]);
        shell.input = Input::text("echo 'open");
        assert_eq!(shell.run(), STATUS_USAGE);
    }
}
