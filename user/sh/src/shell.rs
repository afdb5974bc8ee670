//! The shell's state and its main loop: read commands (from [`crate::input`]),
//! one complete command at a time, asking for more lines (with PS2) while the
//! parser says the command is incomplete, and run each ([`crate::run`]); `set -v`
//! shows each command's text as it was read. Syntax
//! and expansion errors end a non-interactive shell, as POSIX says.
use std::collections::{BTreeMap, HashMap};
use std::env;
use std::io::Write as _;
use std::path::PathBuf;
use std::rc::Rc;

use shparse::ast::{FunctionBody, List};
use shparse::{ParseError, Parser};
use ulib::diag::report;
use ulib::jobctl;
use ulib::process::pid_t;
use ulib::term::Termios;

use crate::input::{Input, Read};
use crate::jobs::Jobs;
use crate::options::Options;
use crate::traps::Traps;
use crate::vars::{Var, Vars};

pub const PROGRAM: &str = "sh";
/// `$?` after a syntax error, an expansion error or a builtin's usage error.
pub const STATUS_USAGE: i32 = 2;
/// `$?` after Ctrl-C at the prompt.
pub const STATUS_INTERRUPTED: i32 = 130;

/// How control leaves the commands being run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// `break n`
    Break(usize),
    /// `continue n`
    Continue(usize),
    /// `return`: out of the function or `.` script.
    Return,
    /// `exit`, an error that ends a non-interactive shell, or `set -e`.
    Exit,
}

pub struct Shell {
    pub vars: Vars,
    /// `$0`, then the positional parameters `$1`...
    pub args: Vec<String>,
    /// `$?`
    pub status: i32,
    /// `$$`: the shell's process ID (a subshell keeps its parent's).
    pub pid: pid_t,
    /// `$!`
    pub last_background: Option<pid_t>,
    pub jobs: Jobs,
    pub options: Options,
    pub functions: HashMap<String, Rc<FunctionBody>>,
    pub aliases: BTreeMap<String, String>,
    pub traps: Traps,
    /// Set to leave the commands being run.
    pub flow: Option<Flow>,
    /// Loops being run (for `break` and `continue`).
    pub loops: usize,
    /// Functions and `.` scripts being run (for `return`).
    pub calls: usize,
    /// `local` variables of each function call, with what they were before.
    pub locals: Vec<Vec<(String, Option<Var>)>>,
    /// Above 0 where `set -e` does not apply: conditions, `!`, and-or lists but the last.
    pub errexit_ignored: usize,
    /// The status of the last command substitution of the command being expanded.
    pub substitution_status: Option<i32>,
    /// `getopts`: the OPTIND it last saw and its place in that argument.
    pub getopts_place: (String, usize),
    /// Reading a terminal: prompts, job reports, `exit` said on leaving.
    pub interactive: bool,
    /// The shell's process group, when it has job control of the terminal on fd 0.
    pub job_control: Option<pid_t>,
    /// The terminal's modes as they were at start, restored around every line read
    /// and after every foreground job.
    pub terminal_modes: Option<Termios>,
    pub input: Input,
    pub parser: Parser,
    pub history_file: Option<PathBuf>,
    /// `exit` with stopped jobs was refused once already.
    pub warned_stopped: bool,
    /// Children keep SIGINT and SIGQUIT ignored: the shell was started so, or is
    /// an `&` job without job control.
    pub ignore_interrupts: bool,
    /// A forked copy of the shell (a subshell, pipeline element, substitution).
    pub subshell: bool,
}

impl Shell {
    /// A shell reading `input`, with variables from the environment.
    pub fn new(args: Vec<String>, input: Input) -> Self {
        let mut vars = Vars::from_environment(env::vars());
        if let Ok(directory) = env::current_dir() {
            let directory = directory.to_string_lossy().into_owned();
            // A PWD naming the current directory (through symbolic links) stays.
            let same = vars.get("PWD").is_some_and(|pwd| {
                pwd.starts_with('/')
                    && std::fs::canonicalize(pwd).is_ok_and(|real| real.to_string_lossy() == directory.as_str())
            });
            if !same {
                let _ = vars.set("PWD", &directory);
            }
            vars.export("PWD");
        }
        for (name, value) in [("IFS", " \t\n"), ("PS2", "> "), ("PS4", "+ "), ("OPTIND", "1")] {
            let _ = vars.set(name, value);
        }
        let _ = vars.set("PPID", &std::os::unix::process::parent_id().to_string());
        Self {
            vars,
            args,
            status: 0,
            pid: std::process::id() as pid_t,
            last_background: None,
            jobs: Jobs::default(),
            options: Options::default(),
            functions: HashMap::new(),
            aliases: BTreeMap::new(),
            traps: Traps::default(),
            flow: None,
            loops: 0,
            calls: 0,
            locals: Vec::new(),
            errexit_ignored: 0,
            substitution_status: None,
            getopts_place: ("1".into(), 1),
            interactive: false,
            job_control: None,
            terminal_modes: None,
            input,
            parser: Parser::default(),
            history_file: None,
            warned_stopped: false,
            ignore_interrupts: jobctl::is_ignored(libc::SIGINT),
            subshell: false,
        }
    }

    /// The value of a parameter other than `$@` and `$*`: special (`$?`, `$$`, `$!`,
    /// `$#`, `$-`, `$0`...), positional, or a variable.
    pub fn param(&self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.status.to_string()),
            "$" => Some(self.pid.to_string()),
            "!" => self.last_background.map(|pid| pid.to_string()),
            "#" => Some(self.args.len().saturating_sub(1).to_string()),
            "-" => Some(self.options.flags()),
            "@" | "*" => Some(self.args.get(1..).unwrap_or_default().join(" ")),
            _ => match name.parse::<usize>() {
                Ok(index) => self.args.get(index).cloned(),
                Err(_) => self.vars.get(name).map(String::from),
            },
        }
    }

    /// Sets a variable, or reports why not (a read-only one) and fails.
    pub fn assign(&mut self, name: &str, value: &str) -> Result<(), String> {
        self.vars.set(name, value)
    }

    /// Reports an error that ends a non-interactive shell (a special builtin's, a
    /// syntax or expansion error) and sets `status`.
    /// An empty message was reported already.
    pub fn fatal(&mut self, message: impl std::fmt::Display, status: i32) -> i32 {
        let message = message.to_string();
        if !message.is_empty() {
            report(PROGRAM, message);
        }
        self.status = status;
        if !self.interactive {
            self.flow = Some(Flow::Exit);
        }
        status
    }

    /// Reads and runs commands until the input ends or `exit`; returns the status to
    /// leave with (after the EXIT trap).
    pub fn run(&mut self) -> i32 {
        loop {
            if matches!(self.flow, Some(Flow::Exit)) {
                break;
            }
            self.flow = None;
            if self.interactive {
                self.report_jobs();
            }
            match self.next_command() {
                Ok(Some(list)) => {
                    if self.options.is_set('v') {
                        let _ = ulib::fd::write_all(2, self.parser.last_text().as_bytes());
                    }
                    if !self.options.is_set('n') || self.interactive {
                        self.run_list(&list);
                    }
                }
                Ok(None) => {
                    if self.interactive && self.refuse_exit_with_stopped_jobs() {
                        continue;
                    }
                    if self.interactive {
                        let _ = writeln!(std::io::stderr(), "exit");
                    }
                    break;
                }
                Err(err) => self.syntax_error(&err),
            }
        }
        self.exit_status()
    }

    /// Runs the EXIT trap (once) and returns the status to leave with.
    pub fn exit_status(&mut self) -> i32 {
        self.run_exit_trap();
        self.status
    }

    /// Says so and returns true the first time the shell is asked to leave while
    /// jobs are stopped, as bash does.
    pub fn refuse_exit_with_stopped_jobs(&mut self) -> bool {
        if !self.interactive || self.warned_stopped || !self.jobs.any_stopped() {
            return false;
        }
        self.warned_stopped = true;
        let _ = writeln!(std::io::stderr(), "There are stopped jobs.");
        true
    }

    fn syntax_error(&mut self, err: &ParseError) {
        let message = match &self.input {
            Input::Text { name: Some(name), .. } => format!("{name}: line {}: {err}", err.line()),
            _ => err.to_string(),
        };
        self.fatal(message, STATUS_USAGE);
        self.parser.discard();
    }

    /// The next complete command, reading lines while it is incomplete; `None` at
    /// the end of the input.
    fn next_command(&mut self) -> Result<Option<List>, ParseError> {
        let mut first = self.parser.is_empty();
        loop {
            let mut parser = std::mem::take(&mut self.parser);
            let aliases = &self.aliases;
            let result = parser.next_command(&|name: &str| aliases.get(name).cloned());
            self.parser = parser;
            match result {
                Err(ParseError::Incomplete) if !self.parser.is_finished() => {
                    let continuation = !first;
                    first = false;
                    match self.read_line(continuation) {
                        Read::Line(line) => self.parser.feed(&line),
                        Read::Interrupted => {
                            self.status = STATUS_INTERRUPTED;
                            self.parser.discard();
                            first = true;
                        }
                        Read::Eof => self.parser.finish(),
                    }
                }
                result => return result,
            }
        }
    }

    /// Runs the file `path` in this shell if it can be read (a profile).
    pub fn source_if_present(&mut self, path: &str) {
        if let Ok(text) = std::fs::read(path) {
            self.calls += 1;
            self.run_text(&String::from_utf8_lossy(&text));
            self.calls -= 1;
            if self.flow == Some(Flow::Return) {
                self.flow = None;
            }
        }
    }

    /// Runs the text of `eval` or a `.` script in this shell; returns the status.
    pub fn run_text(&mut self, text: &str) -> i32 {
        let mut parser = Parser::new(text);
        parser.finish();
        let mut ran = false;
        loop {
            let aliases = &self.aliases;
            match parser.next_command(&|name: &str| aliases.get(name).cloned()) {
                Ok(Some(list)) => {
                    ran |= !list.items.is_empty();
                    self.run_list(&list);
                    if self.flow.is_some() {
                        break;
                    }
                }
                Ok(None) => break,
                Err(err) => {
                    self.fatal(err, STATUS_USAGE);
                    break;
                }
            }
        }
        if !ran {
            self.status = 0;
        }
        self.status
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shell(args: &[&str]) -> Shell {
        Shell::new(args.iter().map(|arg| arg.to_string()).collect(), Input::text(None, ""))
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
        assert_eq!(shell.param("-").as_deref(), Some(""));
    }

    #[test]
    fn text_input_runs_command_by_command() {
        let mut shell = shell(&["sh"]);
        shell.input = Input::text(None, "X=1\nY='a\nb' ; Z=$X\n# comment\n");
        assert_eq!(shell.run(), 0);
        assert_eq!(shell.vars.get("Y"), Some("a\nb"));
        assert_eq!(shell.vars.get("Z"), Some("1"));
    }

    #[test]
    fn a_syntax_error_ends_a_script_after_what_came_before() {
        let mut shell = shell(&["sh"]);
        shell.input = Input::text(None, "X=1\nY=2 |\n| Z=3\nW=4");
        assert_eq!(shell.run(), STATUS_USAGE);
        assert_eq!(shell.vars.get("X"), Some("1"));
        assert_eq!(shell.vars.get("W"), None);
        let mut shell = self::shell(&["sh"]);
        shell.input = Input::text(None, "echo 'open");
        assert_eq!(shell.run(), STATUS_USAGE);
    }
}
