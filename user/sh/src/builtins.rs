//! The builtins: commands that act on the shell itself (cd, exit, export, unset,
//! set, jobs, fg, bg, wait) or want its state (pwd, help, history). Alone they run
//! in the shell; in a pipeline or the background, in a forked copy of it.
//! Assignments before a builtin (`X=1 cd`) are not applied.
use std::env;
use std::fmt::Display;
use std::io::{self, Write};

use ulib::diag::{report, report_error};
use ulib::jobctl;
use ulib::process::{SIGNAL_NAMES, signal_number};

use crate::jobs::State;
use crate::shell::{Input, PROGRAM, STATUS_USAGE, Shell};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    Bg,
    Cd,
    Exit,
    Export,
    Fg,
    Help,
    History,
    Jobs,
    Kill,
    Pwd,
    Set,
    Unset,
    Wait,
}

/// Every builtin by name.
const TABLE: [(&str, Builtin); 13] = [
    ("bg", Builtin::Bg),
    ("cd", Builtin::Cd),
    ("exit", Builtin::Exit),
    ("export", Builtin::Export),
    ("fg", Builtin::Fg),
    ("help", Builtin::Help),
    ("history", Builtin::History),
    ("jobs", Builtin::Jobs),
    ("kill", Builtin::Kill),
    ("pwd", Builtin::Pwd),
    ("set", Builtin::Set),
    ("unset", Builtin::Unset),
    ("wait", Builtin::Wait),
];

/// The builtins' names, for completion.
pub fn names() -> impl Iterator<Item = &'static str> {
    TABLE.iter().map(|&(name, _)| name)
}

impl Builtin {
    pub fn named(name: &str) -> Option<Self> {
        TABLE.iter().find(|&&(known, _)| known == name).map(|&(_, builtin)| builtin)
    }
}

const HELP: &str = "\
Kestrel sh: a command line is commands and their arguments, separated by blanks.
  'text'  \"text with $VAR\"  \\c         quoting
  $VAR ${VAR} $? $$ $! $0-$9 $# ~       expansions; * ? [...] match file names
  a | b   a && b   a || b   a ; b   a &    pipelines, lists, background
  < f  > f  >> f  2> f  2>&1  n<&m  n>&-   redirections
  NAME=value [command]                    variables (for the command only)
Keys: arrows, Home/End, Ctrl-A/E/U/K/W/L, Up/Down for history, Tab completes.
Ctrl-C interrupts and Ctrl-Z stops the foreground job.
Builtins:
  cd [dir|-]          change directory (default $HOME)
  pwd                 print the current directory
  export [NAME[=v]]   export variables (list them without arguments)
  unset NAME...       remove variables
  set [-- args]       list variables, or set $1...
  jobs, fg [%n], bg [%n], wait [%n|pid]   job control
  kill [-SIG] pid|%n  send a signal (default TERM); kill -l lists them
  history             list the commands entered
  exit [n]            leave with status n (default: the last status)
  help                this text
Other commands are programs, looked for in $PATH (default /bin:/sbin:/usr/bin:/usr/sbin).";

/// `exit [n]`: the status to exit with, or why not to exit.
fn exit_status(args: &[String], last_status: i32) -> Result<i32, String> {
    match args {
        [] => Ok(last_status),
        [number] => number
            .parse::<i64>()
            .map(|number| number.rem_euclid(256) as i32)
            .map_err(|_| format!("exit: {number}: numeric argument required")),
        _ => Err("exit: too many arguments".into()),
    }
}

/// `cd [dir|-]`: the directory to change to, and whether to print it (for `-`).
fn cd_target(args: &[String], home: Option<&str>, old: Option<&str>) -> Result<(String, bool), String> {
    match args {
        [] => Ok((home.filter(|home| !home.is_empty()).unwrap_or("/").into(), false)),
        [dash] if dash == "-" => old.map(|old| (old.into(), true)).ok_or_else(|| "cd: OLDPWD not set".into()),
        [directory] => Ok((directory.clone(), false)),
        _ => Err("cd: too many arguments".into()),
    }
}

/// Writes `lines` to standard output; 0, or 1 after reporting a write error.
fn print_lines(name: &str, lines: impl IntoIterator<Item = impl Display>) -> i32 {
    let mut stdout = io::stdout().lock();
    let written = lines.into_iter().try_for_each(|line| writeln!(stdout, "{line}")).and_then(|()| stdout.flush());
    match written {
        Ok(()) => 0,
        Err(err) => {
            report_error(PROGRAM, format_args!("{name}: write error"), &err);
            1
        }
    }
}

/// Reports `message` and returns `status`.
fn fail(message: impl Display, status: i32) -> i32 {
    report(PROGRAM, message);
    status
}

impl Shell {
    /// Runs `builtin` with `argv` (its name first) and returns its status.
    pub fn run_builtin(&mut self, builtin: Builtin, argv: &[String]) -> i32 {
        let args = &argv[1..];
        match builtin {
            Builtin::Bg => self.bg(args),
            Builtin::Cd => self.cd(args),
            Builtin::Exit => self.exit_builtin(args),
            Builtin::Export => self.export(args),
            Builtin::Fg => self.fg(args),
            Builtin::Help => print_lines("help", [HELP]),
            Builtin::History => {
                let history = match &self.input {
                    Input::Terminal { editor, .. } => editor.history(),
                    _ => &[],
                };
                print_lines("history", history.iter().enumerate().map(|(n, line)| format!("{:5}  {line}", n + 1)))
            }
            Builtin::Jobs => match args {
                [] => print_lines("jobs", self.jobs.listing()),
                _ => fail("jobs: usage: jobs", STATUS_USAGE),
            },
            Builtin::Kill => self.kill(args),
            Builtin::Pwd => match env::current_dir() {
                Ok(directory) => print_lines("pwd", [directory.display()]),
                Err(err) => {
                    report_error(PROGRAM, "pwd", &err);
                    1
                }
            },
            Builtin::Set => self.set(args),
            Builtin::Unset => self.unset(args),
            Builtin::Wait => self.wait(args),
        }
    }

    fn exit_builtin(&mut self, args: &[String]) -> i32 {
        match exit_status(args, self.status) {
            Ok(_) if self.refuse_exit_with_stopped_jobs() => 1,
            Ok(status) => {
                if self.interactive {
                    let _ = writeln!(io::stderr(), "exit");
                }
                self.exit = Some(status);
                status
            }
            Err(message) => fail(message, STATUS_USAGE),
        }
    }

    fn cd(&mut self, args: &[String]) -> i32 {
        let (directory, print) = match cd_target(args, self.vars.get("HOME"), self.vars.get("OLDPWD")) {
            Ok(target) => target,
            Err(message) => return fail(message, 1),
        };
        if let Err(err) = env::set_current_dir(&directory) {
            report_error(PROGRAM, format_args!("cd: {directory}"), &err);
            return 1;
        }
        if let Some(old) = self.vars.get("PWD").map(String::from) {
            self.vars.set("OLDPWD", &old);
            self.vars.export("OLDPWD");
        }
        let new = env::current_dir().map_or(directory, |new| new.to_string_lossy().into_owned());
        self.vars.set("PWD", &new);
        self.vars.export("PWD");
        if print { print_lines("cd", [new]) } else { 0 }
    }

    fn export(&mut self, args: &[String]) -> i32 {
        if args.is_empty() {
            return print_lines("export", self.vars.export_listing());
        }
        let mut status = 0;
        for arg in args {
            let (name, value) = match arg.split_once('=') {
                Some((name, value)) => (name, Some(value)),
                None => (arg.as_str(), None),
            };
            if !shparse::is_name(name) {
                status = fail(format_args!("export: '{arg}': not a valid identifier"), 1);
                continue;
            }
            if let Some(value) = value {
                self.vars.set(name, value);
            }
            self.vars.export(name);
        }
        status
    }

    fn unset(&mut self, args: &[String]) -> i32 {
        let mut status = 0;
        for name in args {
            if shparse::is_name(name) {
                self.vars.unset(name);
            } else {
                status = fail(format_args!("unset: '{name}': not a valid identifier"), 1);
            }
        }
        status
    }

    fn set(&mut self, args: &[String]) -> i32 {
        match args {
            [] => print_lines("set", self.vars.listing()),
            [dashes, rest @ ..] if dashes == "--" => {
                self.args.truncate(1);
                self.args.extend(rest.iter().cloned());
                0
            }
            [option, ..] => {
                fail(format_args!("set: {option}: invalid option\nset: usage: set [-- arg ...]"), STATUS_USAGE)
            }
        }
    }

    fn fg(&mut self, args: &[String]) -> i32 {
        let id = match self.job_operand("fg", args) {
            Ok(id) => id,
            Err(status) => return status,
        };
        let Some(job) = self.jobs.remove(id) else {
            return 1;
        };
        let _ = print_lines("fg", [&job.text]);
        self.wait_foreground(job, true)
    }

    fn bg(&mut self, args: &[String]) -> i32 {
        let id = match self.job_operand("bg", args) {
            Ok(id) => id,
            Err(status) => return status,
        };
        let Some(job) = self.jobs.get_mut(id) else {
            return 1;
        };
        if job.state() == State::Running {
            return fail(format_args!("bg: job {id} already in background"), 0);
        }
        job.mark_running();
        let _ = Self::signal_job(job, libc::SIGCONT);
        let line = self.jobs.resumed_line(id).unwrap_or_default();
        print_lines("bg", [line])
    }

    /// The job a `fg` or `bg` operand names (at most one), or the status to fail with.
    fn job_operand(&mut self, name: &str, args: &[String]) -> Result<usize, i32> {
        match args {
            [] | [_] => self
                .jobs
                .find(args.first().map(String::as_str))
                .map_err(|message| fail(format_args!("{name}: {message}"), 1)),
            _ => Err(fail(format_args!("{name}: too many arguments"), STATUS_USAGE)),
        }
    }

    /// `kill [-s SIG | -SIG] [--] pid|%job...` and `kill -l`. A stopped job also
    /// gets SIGCONT, so that it can act on the signal.
    fn kill(&mut self, args: &[String]) -> i32 {
        let (name, targets) = match args {
            [list] if list == "-l" => return print_lines("kill", SIGNAL_NAMES),
            [flag, name, targets @ ..] if flag == "-s" => (name.as_str(), targets),
            [option, targets @ ..] if option.starts_with('-') && option != "--" && option.len() > 1 => {
                (&option[1..], targets)
            }
            targets => ("TERM", targets),
        };
        let targets = targets.strip_prefix(&["--".to_string()]).unwrap_or(targets);
        let Some(signal) = signal_number(name) else {
            return fail(format_args!("kill: {name}: invalid signal specification"), 1);
        };
        if targets.is_empty() {
            return fail("kill: usage: kill [-s sigspec | -sigspec] pid | %job ... or kill -l", STATUS_USAGE);
        }
        let mut status = 0;
        for target in targets {
            let sent = if target.starts_with('%') {
                match self.jobs.find(Some(target)).map(|id| self.jobs.get_mut(id)) {
                    Ok(Some(job)) => {
                        let sent = Self::signal_job(job, signal);
                        if matches!(job.state(), State::Stopped(_)) && signal != libc::SIGCONT {
                            let _ = Self::signal_job(job, libc::SIGCONT);
                        }
                        sent
                    }
                    Ok(None) | Err(_) => {
                        status = fail(format_args!("kill: {target}: no such job"), 1);
                        continue;
                    }
                }
            } else {
                match target.parse() {
                    Ok(pid) => jobctl::kill(pid, signal),
                    Err(_) => {
                        status = fail(format_args!("kill: {target}: arguments must be process or job IDs"), 1);
                        continue;
                    }
                }
            };
            if let Err(err) = sent {
                report_error(PROGRAM, format_args!("kill: ({target})"), &err);
                status = 1;
            }
        }
        status
    }

    fn wait(&mut self, args: &[String]) -> i32 {
        if args.is_empty() {
            let status = self.wait_for(None);
            if !self.interactive {
                self.jobs.notifications();
            }
            return status;
        }
        let mut status = 0;
        for arg in args {
            let id = if arg.starts_with('%') {
                self.jobs.find(Some(arg))
            } else {
                match arg.parse() {
                    Ok(pid) => self.jobs.with_pid(pid).ok_or_else(|| format!("pid {arg} is not a child of this shell")),
                    Err(_) => Err(format!("'{arg}': not a pid or valid job spec")),
                }
            };
            status = match id {
                Ok(id) => {
                    let status = self.wait_for(Some(id));
                    if let Some(State::Done(_)) = self.jobs.state(id) {
                        self.jobs.remove(id);
                    }
                    status
                }
                Err(message) => fail(format_args!("wait: {message}"), 127),
            };
        }
        status
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|word| word.to_string()).collect()
    }

    #[test]
    fn builtins_by_name() {
        assert_eq!(Builtin::named("cd"), Some(Builtin::Cd));
        assert_eq!(Builtin::named("wait"), Some(Builtin::Wait));
        assert_eq!(Builtin::named("ls"), None);
        assert_eq!(names().count(), TABLE.len());
        assert!(names().is_sorted());
    }

    #[test]
    fn exit_statuses() {
        assert_eq!(exit_status(&[], 7), Ok(7));
        assert_eq!(exit_status(&strings(&["3"]), 0), Ok(3));
        assert_eq!(exit_status(&strings(&["256"]), 0), Ok(0));
        assert_eq!(exit_status(&strings(&["-1"]), 0), Ok(255));
        assert_eq!(exit_status(&strings(&["x"]), 0), Err("exit: x: numeric argument required".into()));
        assert!(exit_status(&strings(&["1", "2"]), 0).is_err());
    }

    #[test]
    fn cd_targets() {
        assert_eq!(cd_target(&[], Some("/home/k"), None), Ok(("/home/k".into(), false)));
        assert_eq!(cd_target(&[], None, None), Ok(("/".into(), false)));
        assert_eq!(cd_target(&[], Some(""), None), Ok(("/".into(), false)));
        assert_eq!(cd_target(&strings(&["/tmp"]), None, None), Ok(("/tmp".into(), false)));
        assert_eq!(cd_target(&strings(&["-"]), None, Some("/old")), Ok(("/old".into(), true)));
        assert_eq!(cd_target(&strings(&["-"]), None, None), Err("cd: OLDPWD not set".into()));
        assert!(cd_target(&strings(&["a", "b"]), None, None).is_err());
    }
}
