//! Forked children and jobs: pipelines (one child per command, joined by pipes),
//! `&` jobs, subshells and programs, and waiting for them.
//!
//! Job control (an interactive shell on a terminal): the shell is in its own process
//! group, ignores SIGQUIT, SIGTSTP, SIGTTIN and SIGTTOU and catches SIGINT (only so
//! Ctrl-C can interrupt `wait`). Each job is a process group, set by both parent
//! and child so neither races; a foreground job gets the terminal and the shell
//! waits with WUNTRACED, taking the terminal (and its modes) back when the job ends
//! or stops. Children put every signal the shell changed back to default (SIGPIPE
//! too, which Rust's runtime ignores), except that SIGINT and SIGQUIT stay ignored
//! in a shell started with SIGINT ignored and in `&` jobs without job control, as
//! POSIX asks; a subshell forgets the traps that run commands.
use std::io::{self, Write};

use shparse::ast::{AndOr, Command, Compound};
use ulib::diag::report_error;
use ulib::fd;
use ulib::jobctl::{self, Disposition};
use ulib::process::{self, Fork, pid_t};

use crate::jobs::{Job, State, death_message};
use crate::shell::{PROGRAM, STATUS_INTERRUPTED, Shell};

/// The stop signals from the keyboard and for background terminal access, which an
/// interactive shell ignores (with SIGQUIT) and children put back to default.
const STOP_SIGNALS: [i32; 3] = [libc::SIGTSTP, libc::SIGTTIN, libc::SIGTTOU];

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
            Ok(()) => {
                self.job_control = Some(self.pid);
                let _ = self.options.set('m', true);
            }
            Err(err) => report_error(PROGRAM, "no job control: tcsetpgrp", &err),
        }
    }

    /// In a new child that goes on as a shell: restores default signal handling
    /// and forgets traps, and stops being interactive (leaving the terminal's group
    /// and modes alone from now on). `background` without job control: Ctrl-C is
    /// for the foreground, so SIGINT and SIGQUIT are ignored.
    pub fn enter_subshell(&mut self, background: bool) {
        if background && self.job_control.is_none() {
            self.ignore_interrupts = true;
        }
        let interrupts = if self.ignore_interrupts { Disposition::Ignore } else { Disposition::Default };
        for signal in [libc::SIGINT, libc::SIGQUIT] {
            let _ = jobctl::set_disposition(signal, interrupts);
        }
        for signal in STOP_SIGNALS.into_iter().chain([libc::SIGPIPE]) {
            let _ = jobctl::set_disposition(signal, Disposition::Default);
        }
        self.reset_traps();
        self.subshell = true;
        self.interactive = false;
        let _ = self.options.set('i', false);
        let _ = self.options.set('m', false);
        self.job_control = None;
        self.terminal_modes = None;
        self.jobs = Default::default();
    }

    /// In a new child of a job: joins the job's process group (taking the terminal
    /// for a foreground job), then as [`Shell::enter_subshell`].
    fn enter_child(&mut self, pgid: Option<pid_t>, foreground: bool) {
        if self.job_control.is_some() {
            let _ = jobctl::setpgid(0, pgid.unwrap_or(0));
            if foreground {
                let _ = jobctl::tcsetpgrp(0, jobctl::getpgrp());
            }
        }
        self.enter_subshell(!foreground);
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

    /// Runs `child` in a forked child as a job of its own: waited for, or in the
    /// background; returns the status (0 for the background).
    pub fn spawn(&mut self, text: &str, background: bool, child: impl FnOnce(&mut Self) -> i32) -> i32 {
        let mut job = Job::new(text);
        match process::fork() {
            Ok(Fork::Child) => {
                self.enter_child(None, !background);
                let status = child(self);
                let _ = io::stdout().flush();
                process::exit_immediately(status);
            }
            Ok(Fork::Parent { child }) => self.adopt(&mut job, child),
            Err(err) => {
                report_error(PROGRAM, "fork", &err);
                return 1;
            }
        }
        if background {
            self.start_background(job);
            0
        } else {
            self.wait_foreground(job, false)
        }
    }

    /// In a forked child: runs `command` as the last thing this process does.
    pub fn run_last(&mut self, command: &Command) -> i32 {
        match command {
            Command::Simple(simple) => self.run_simple_last(simple),
            Command::Compound(Compound::Subshell(list), redirects) => self.run_subshell_here(list, redirects),
            command => {
                self.run_command(command, "");
                self.exit_status()
            }
        }
    }

    /// Runs `commands` joined by pipes, each in a child; returns the last one's
    /// status (0 at once for a background pipeline).
    pub fn run_pipe(&mut self, commands: &[Command], text: &str, background: bool) -> i32 {
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
                    let status = self.run_last(command);
                    let _ = io::stdout().flush();
                    process::exit_immediately(status);
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

    /// `... &`: a forked copy of the shell runs the and-or list as one job.
    pub fn run_background(&mut self, and_or: &AndOr, text: &str) {
        let single = and_or.rest.is_empty() && !and_or.first.negated;
        if single && and_or.first.commands.len() > 1 {
            self.run_pipe(&and_or.first.commands, text, true);
        } else if single {
            let command = &and_or.first.commands[0];
            self.spawn(text, true, |shell| shell.run_last(command));
        } else {
            self.spawn(text, true, |shell| {
                shell.run_and_or(and_or, text);
                shell.exit_status()
            });
        }
        self.status = 0;
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
                if self.interactive && jobctl::take_caught(libc::SIGINT) {
                    Waited::Interrupted
                } else {
                    Waited::Changed
                }
            }
            Err(_) => Waited::NoChildren,
        }
    }

    /// Waits for child `pid` (not a job: a command substitution's) and returns its
    /// status as `$?`.
    pub fn wait_for_pid(&mut self, pid: pid_t) -> i32 {
        match process::wait4(pid, 0) {
            Ok(Some((_, status))) => status.shell_status(),
            _ => 127,
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
    /// its status, 130 when Ctrl-C interrupts, or 128 + the signal when a trapped
    /// signal arrives.
    pub fn wait_for(&mut self, id: Option<usize>) -> i32 {
        loop {
            let running = match id {
                Some(id) => self.jobs.state(id) == Some(State::Running),
                None => self.jobs.any_running(),
            };
            if !running {
                return id.and_then(|id| self.jobs.state(id)).map_or(0, State::shell_status);
            }
            if let Some(signal) = self.trapped_signal_pending() {
                return 128 + signal;
            }
            match self.wait_step(libc::WUNTRACED, None) {
                Waited::Interrupted => {
                    if self.interactive {
                        // After the terminal's `^C`.
                        let _ = writeln!(io::stderr());
                    }
                    return STATUS_INTERRUPTED;
                }
                Waited::NoChildren => return 0,
                Waited::Changed | Waited::Nothing => {}
            }
        }
    }
}
