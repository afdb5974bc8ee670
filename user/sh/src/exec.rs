//! Running pipelines and jobs. Words are expanded in the shell; a lone builtin or
//! assignment runs in the shell itself (its redirections applied around it and
//! undone after); anything else forks one child per command, joined by pipes, each
//! applying its redirections and then running a builtin or execve-ing a program.
//!
//! Job control (an interactive shell on a terminal): the shell is in its own process
//! group, ignores SIGQUIT, SIGTSTP, SIGTTIN and SIGTTOU and catches SIGINT (only so
//! Ctrl-C can interrupt `wait`). Each pipeline becomes a process group, set by both
//! parent and child so neither races; a foreground job gets the terminal and the
//! shell waits with WUNTRACED, taking the terminal (and its modes) back when the job
//! ends or stops. Children put every signal the shell changed back to default before
//! exec (SIGPIPE too, which Rust's runtime ignores), except that SIGINT and SIGQUIT
//! stay ignored in a shell started with SIGINT ignored and in `&` jobs without job
//! control, as POSIX asks.
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::slice;

use shparse::ast::{AndOr, Command, Pipeline, RedirectOp};
use shparse::expand::{expand_string, expand_words};
use shparse::glob::Dirs;
use ulib::diag::{error_text, report, report_error};
use ulib::fd;
use ulib::jobctl::{self, Disposition};
use ulib::process::{self, Fork, is_executable_file, pid_t};

use crate::builtins::Builtin;
use crate::jobs::{Job, State, death_message};
use crate::lookup::find_program;
use crate::shell::{Input, PROGRAM, Shell};

/// `$?` when a program cannot be found, or is found but cannot be executed.
const STATUS_NOT_FOUND: i32 = 127;
const STATUS_NOT_EXECUTABLE: i32 = 126;

/// The stop signals from the keyboard and for background terminal access, which an
/// interactive shell ignores (with SIGQUIT) and children put back to default.
const STOP_SIGNALS: [i32; 3] = [libc::SIGTSTP, libc::SIGTTIN, libc::SIGTTOU];

/// Directory listings for globbing, from the file system.
struct FileSystem;

impl Dirs for FileSystem {
    fn entries(&self, dir: &str) -> Vec<String> {
        let Ok(entries) = fs::read_dir(if dir.is_empty() { "." } else { dir }) else {
            return Vec::new();
        };
        entries.filter_map(|entry| entry.ok()?.file_name().into_string().ok()).collect()
    }

    fn exists(&self, path: &str) -> bool {
        fs::symlink_metadata(path).is_ok()
    }
}

/// A redirection with its target expanded (or why it could not be).
struct Redirection {
    fd: RawFd,
    op: RedirectOp,
    target: Result<String, String>,
}

/// A command with its words expanded.
struct Prepared {
    argv: Vec<String>,
    assignments: Vec<(String, String)>,
    redirections: Vec<Redirection>,
}

/// Descriptors a builtin's redirections replaced, with copies of what they were
/// (`None`: it was closed).
type Saved = Vec<(RawFd, Option<OwnedFd>)>;

fn open(op: RedirectOp, path: &str) -> io::Result<File> {
    let mut options = OpenOptions::new();
    match op {
        RedirectOp::Read => options.read(true),
        RedirectOp::Append => options.append(true).create(true),
        RedirectOp::Write | RedirectOp::Duplicate => options.write(true).create(true).truncate(true),
    };
    options.open(path)
}

/// Applies `redirections` to this process, in order. With `saved`, first keeps a
/// copy of each descriptor it changes, for [`restore`].
fn redirect(redirections: &[Redirection], mut saved: Option<&mut Saved>) -> Result<(), String> {
    for redirection in redirections {
        let target = redirection.target.as_deref().map_err(Clone::clone)?;
        if let Some(saved) = saved.as_deref_mut()
            && !saved.iter().any(|(fd, _)| *fd == redirection.fd)
        {
            saved.push((redirection.fd, fd::duplicate(redirection.fd).ok()));
        }
        let result = match (redirection.op, target) {
            (RedirectOp::Duplicate, "-") => fd::close(redirection.fd).or(Ok(())),
            (RedirectOp::Duplicate, number) => match number.parse::<RawFd>() {
                Ok(from) => fd::dup2(from, redirection.fd),
                Err(_) => return Err(format!("{number}: ambiguous redirect")),
            },
            (op, path) => open(op, path).and_then(|file| fd::install(file.into(), redirection.fd)),
        };
        result.map_err(|err| format!("{target}: {}", error_text(&err)))?;
    }
    Ok(())
}

/// Puts back the descriptors `redirect` saved.
fn restore(saved: Saved) {
    let _ = io::stdout().flush();
    for (fd, copy) in saved.into_iter().rev() {
        let _ = match copy {
            Some(copy) => fd::dup2(copy.as_raw_fd(), fd),
            None => fd::close(fd),
        };
    }
}

/// How one step of waiting went.
enum Waited {
    /// A child changed state (or a signal other than SIGINT interrupted).
    Changed,
    /// With WNOHANG: no child has anything to report.
    Nothing,
    /// Ctrl-C (SIGINT was caught).
    Interrupted,
    /// There are no children left.
    NoChildren,
}

impl Shell {
    /// For an interactive shell on a terminal: sets up the signals, and takes the
    /// terminal's foreground with a process group of its own. When the terminal
    /// will not have it, the shell goes on without job control.
    pub fn start_job_control(&mut self) {
        let _ = jobctl::set_disposition(libc::SIGINT, Disposition::Catch);
        for signal in STOP_SIGNALS.into_iter().chain([libc::SIGQUIT]) {
            let _ = jobctl::set_disposition(signal, Disposition::Ignore);
        }
        if jobctl::getpgrp() != self.pid
            && let Err(err) = jobctl::setpgid(0, 0)
        {
            report_error(PROGRAM, "no job control: setpgid", &err);
            return;
        }
        match jobctl::tcsetpgrp(0, self.pid) {
            Ok(()) => self.job_control = Some(self.pid),
            Err(err) => report_error(PROGRAM, "no job control: tcsetpgrp", &err),
        }
    }

    fn prepare(&self, command: &Command) -> Prepared {
        let lookup = |name: &str| self.param(name);
        let argv = expand_words(&command.words, &lookup, &FileSystem);
        let assignments = command
            .assignments
            .iter()
            .map(|assignment| (assignment.name.clone(), expand_string(&assignment.value, &lookup)))
            .collect();
        let redirections = command
            .redirects
            .iter()
            .map(|redirect| {
                let mut fields = expand_words(slice::from_ref(&redirect.target), &lookup, &FileSystem);
                let target = match fields.len() {
                    1 => Ok(fields.remove(0)),
                    _ => Err("ambiguous redirect".into()),
                };
                Redirection { fd: redirect.fd, op: redirect.op, target }
            })
            .collect();
        Prepared { argv, assignments, redirections }
    }

    /// Runs `pipeline` and returns its status (0 at once for a background one).
    pub fn run_pipeline(&mut self, pipeline: &Pipeline, text: &str, background: bool) -> i32 {
        let commands: Vec<Prepared> = pipeline.commands.iter().map(|command| self.prepare(command)).collect();
        if let [command] = &commands[..]
            && !background
        {
            match command.argv.first() {
                None => return self.run_here(command, |shell| shell.assign(&command.assignments)),
                Some(name) => {
                    if let Some(builtin) = Builtin::named(name) {
                        return self.run_here(command, |shell| shell.run_builtin(builtin, &command.argv));
                    }
                }
            }
        }
        let mut job = Job::new(text);
        let mut input: Option<io::PipeReader> = None;
        for (index, command) in commands.iter().enumerate() {
            let (next_input, output) = if index + 1 < commands.len() {
                match io::pipe() {
                    Ok((reader, writer)) => (Some(reader), Some(writer)),
                    Err(err) => {
                        report_error(PROGRAM, "pipe", &err);
                        break;
                    }
                }
            } else {
                (None, None)
            };
            match process::fork() {
                Ok(Fork::Child) => {
                    self.enter_child(job.pgid, !background);
                    drop(next_input);
                    let connected = input
                        .take()
                        .map_or(Ok(()), |input| fd::install(input.into(), 0))
                        .and_then(|()| output.map_or(Ok(()), |output| fd::install(output.into(), 1)));
                    if let Err(err) = connected {
                        report_error(PROGRAM, "pipe", &err);
                        process::exit_immediately(1);
                    }
                    self.exec_command(command);
                }
                Ok(Fork::Parent { child }) => self.adopt(&mut job, child),
                Err(err) => {
                    report_error(PROGRAM, "fork", &err);
                    break;
                }
            }
            input = next_input;
        }
        drop(input);
        if job.processes.is_empty() {
            return 1;
        }
        if background {
            self.start_background(job);
            0
        } else {
            self.wait_foreground(job, false)
        }
    }

    /// `a && b &`: a forked copy of the shell runs the whole and-or list as one job.
    pub fn run_background(&mut self, and_or: &AndOr, text: &str) {
        if and_or.rest.is_empty() {
            self.status = self.run_pipeline(&and_or.first, text, true);
            return;
        }
        let mut job = Job::new(text);
        match process::fork() {
            Ok(Fork::Child) => {
                self.enter_child(None, false);
                self.run_and_or(and_or, text);
                let _ = io::stdout().flush();
                process::exit_immediately(self.exit.unwrap_or(self.status));
            }
            Ok(Fork::Parent { child }) => {
                self.adopt(&mut job, child);
                self.start_background(job);
                self.status = 0;
            }
            Err(err) => {
                report_error(PROGRAM, "fork", &err);
                self.status = 1;
            }
        }
    }

    /// Runs `body` in the shell with `command`'s redirections around it.
    fn run_here(&mut self, command: &Prepared, body: impl FnOnce(&mut Self) -> i32) -> i32 {
        let mut saved = Saved::new();
        let status = match redirect(&command.redirections, Some(&mut saved)) {
            Ok(()) => body(self),
            Err(message) => {
                report(PROGRAM, message);
                1
            }
        };
        restore(saved);
        status
    }

    /// `NAME=value ...` alone: sets shell variables.
    fn assign(&mut self, assignments: &[(String, String)]) -> i32 {
        for (name, value) in assignments {
            self.vars.set(name, value);
        }
        0
    }

    /// In a new child: joins the job's process group (taking the terminal for a
    /// foreground job), restores default signal handling, and stops being
    /// interactive (leaving the terminal's group and modes alone from now on).
    fn enter_child(&mut self, pgid: Option<pid_t>, foreground: bool) {
        if self.job_control.is_some() {
            let _ = jobctl::setpgid(0, pgid.unwrap_or(0));
            if foreground {
                let _ = jobctl::tcsetpgrp(0, jobctl::getpgrp());
            }
        }
        if !foreground && self.job_control.is_none() {
            // What sh does for `&` without job control: Ctrl-C is for the foreground.
            self.ignore_interrupts = true;
        }
        let interrupts = if self.ignore_interrupts { Disposition::Ignore } else { Disposition::Default };
        for signal in [libc::SIGINT, libc::SIGQUIT] {
            let _ = jobctl::set_disposition(signal, interrupts);
        }
        for signal in STOP_SIGNALS.into_iter().chain([libc::SIGPIPE]) {
            let _ = jobctl::set_disposition(signal, Disposition::Default);
        }
        self.interactive = false;
        self.job_control = None;
        self.terminal_modes = None;
        self.jobs = Default::default();
    }

    /// In the parent: records `child` in `job` (and in its process group).
    fn adopt(&self, job: &mut Job, child: pid_t) {
        if self.job_control.is_some() {
            let pgid = *job.pgid.get_or_insert(child);
            let _ = jobctl::setpgid(child, pgid);
        }
        job.processes.push((child, State::Running));
    }

    fn start_background(&mut self, job: Job) {
        let last = job.processes.last().map_or(0, |&(pid, _)| pid);
        self.last_background = Some(last);
        let id = self.jobs.insert(job);
        if self.interactive {
            let _ = writeln!(io::stderr(), "[{id}] {last}");
        }
    }

    /// In a child: redirects, then runs the builtin or program; never returns.
    fn exec_command(&mut self, command: &Prepared) -> ! {
        if let Err(message) = redirect(&command.redirections, None) {
            report(PROGRAM, message);
            process::exit_immediately(1);
        }
        let Some(name) = command.argv.first() else {
            process::exit_immediately(0);
        };
        if let Some(builtin) = Builtin::named(name) {
            let status = self.run_builtin(builtin, &command.argv);
            let _ = io::stdout().flush();
            process::exit_immediately(status);
        }
        let Some(program) = find_program(name, self.vars.get("PATH"), is_executable_file) else {
            report(PROGRAM, format_args!("{name}: command not found"));
            process::exit_immediately(STATUS_NOT_FOUND);
        };
        let (Ok(path), Ok(argv)) = (
            std::ffi::CString::new(program.as_os_str().as_encoded_bytes()),
            command.argv.iter().map(|arg| std::ffi::CString::new(arg.as_bytes())).collect::<Result<Vec<_>, _>>(),
        ) else {
            report(PROGRAM, format_args!("{name}: an argument holds a NUL character"));
            process::exit_immediately(STATUS_NOT_EXECUTABLE);
        };
        let err = process::execve(&path, &argv, &self.vars.environment(&command.assignments));
        if err.raw_os_error() == Some(libc::ENOEXEC) {
            // Not a binary: a script for this shell, as POSIX says.
            for (name, value) in &command.assignments {
                self.vars.set(name, value);
                self.vars.export(name);
            }
            let status = self.run_script(&program.to_string_lossy(), command.argv[1..].to_vec());
            let _ = io::stdout().flush();
            process::exit_immediately(status);
        }
        report_error(PROGRAM, name, &err);
        let status = if err.kind() == io::ErrorKind::NotFound { STATUS_NOT_FOUND } else { STATUS_NOT_EXECUTABLE };
        process::exit_immediately(status);
    }

    /// Runs the script `path` with the positional parameters `args`, in this shell;
    /// returns its status (127 when it cannot be read, as bash).
    pub fn run_script(&mut self, path: &str, args: Vec<String>) -> i32 {
        match fs::read(path) {
            Ok(text) => {
                self.input = Input::text(&String::from_utf8_lossy(&text));
                self.args = std::iter::once(path.to_owned()).chain(args).collect();
                self.run()
            }
            Err(err) => {
                report_error(PROGRAM, path, &err);
                STATUS_NOT_FOUND
            }
        }
    }

    /// Sends `signal` to the job's process group, or to each of its processes.
    pub fn signal_job(job: &Job, signal: i32) -> io::Result<()> {
        match job.pgid {
            Some(pgid) => jobctl::kill(-pgid, signal),
            None => job.processes.iter().map(|&(pid, _)| jobctl::kill(pid, signal)).fold(Ok(()), Result::and),
        }
    }

    /// Waits once for any child (a state change of `foreground` first, else of a job
    /// in the table).
    fn wait_step(&mut self, options: i32, foreground: Option<&mut Job>) -> Waited {
        match jobctl::wait4_once(-1, options) {
            Ok(Some((pid, status))) => {
                if !foreground.is_some_and(|job| job.update(pid, status)) {
                    self.jobs.update(pid, status);
                }
                Waited::Changed
            }
            Ok(None) => Waited::Nothing,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {
                if jobctl::take_caught(libc::SIGINT) {
                    Waited::Interrupted
                } else {
                    Waited::Changed
                }
            }
            Err(_) => Waited::NoChildren,
        }
    }

    /// Gives `job` the terminal (and SIGCONT when `resume`), waits until it ends or
    /// stops, takes the terminal back, and returns its status. A stopped job goes
    /// into the table and is reported; death by a signal is reported as bash does.
    pub fn wait_foreground(&mut self, mut job: Job, resume: bool) -> i32 {
        if self.job_control.is_some()
            && let Some(pgid) = job.pgid
        {
            let _ = jobctl::tcsetpgrp(0, pgid);
        }
        if resume {
            job.mark_running();
            let _ = Self::signal_job(&job, libc::SIGCONT);
        }
        while job.state() == State::Running {
            if let Waited::NoChildren = self.wait_step(libc::WUNTRACED, Some(&mut job)) {
                break;
            }
        }
        if let Some(shell_group) = self.job_control {
            let _ = jobctl::tcsetpgrp(0, shell_group);
        }
        if let Some(modes) = &self.terminal_modes {
            let _ = modes.set(0);
        }
        let state = job.state();
        match state {
            State::Stopped(_) => {
                job.changed = false;
                let id = self.jobs.insert(job);
                let line = self.jobs.line(id).unwrap_or_default();
                let _ = writeln!(io::stderr(), "\n{line}");
            }
            State::Done(status) => match status.killing_signal() {
                Some(libc::SIGINT) if self.interactive => {
                    let _ = writeln!(io::stderr());
                }
                Some(libc::SIGINT | libc::SIGPIPE) | None => {}
                Some(_) => {
                    let _ = writeln!(io::stderr(), "{}", death_message(status));
                }
            },
            State::Running => {}
        }
        state.shell_status()
    }

    /// Reaps whatever children have changed state, without blocking, and reports
    /// the jobs that changed (before a prompt).
    pub fn report_jobs(&mut self) {
        while let Waited::Changed = self.wait_step(libc::WNOHANG | libc::WUNTRACED, None) {}
        for line in self.jobs.notifications() {
            let _ = writeln!(io::stderr(), "{line}");
        }
    }

    /// `wait`: until the job `id` (every job, for `None`) is no longer running;
    /// its status, or 130 when Ctrl-C interrupts.
    pub fn wait_for(&mut self, id: Option<usize>) -> i32 {
        loop {
            let running = match id {
                Some(id) => self.jobs.state(id) == Some(State::Running),
                None => self.jobs.any_running(),
            };
            if !running {
                return id.and_then(|id| self.jobs.state(id)).map_or(0, State::shell_status);
            }
            match self.wait_step(libc::WUNTRACED, None) {
                Waited::Interrupted => {
                    if self.interactive {
                        // After the terminal's `^C`.
                        let _ = writeln!(io::stderr());
                    }
                    return crate::shell::STATUS_INTERRUPTED;
                }
                Waited::NoChildren => return 0,
                Waited::Changed | Waited::Nothing => {}
            }
        }
    }
}
