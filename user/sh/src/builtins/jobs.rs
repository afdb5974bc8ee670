//! Job control builtins: `jobs`, `fg`, `bg`, `wait` and `kill`.
use ulib::diag::report_error;
use ulib::jobctl;
use ulib::process::{SIGNAL_NAMES, signal_number};

use crate::jobs::State;
use crate::shell::{PROGRAM, STATUS_USAGE, Shell};

impl Shell {
    pub(super) fn jobs_builtin(&mut self, args: &[String]) -> i32 {
        let listing = match args {
            [] => self.jobs.listing(),
            [pids] if pids == "-p" => self.jobs.pids().iter().map(|pid| pid.to_string()).collect(),
            _ => return self.fail("jobs: usage: jobs [-p]", STATUS_USAGE),
        };
        self.print_lines("jobs", listing)
    }

    /// `kill -l status...`: the names of the signals (a status above 128 names
    /// the signal that killed).
    fn signal_names(&mut self, statuses: &[String]) -> i32 {
        let mut names = Vec::new();
        for status in statuses {
            let name = status
                .parse::<i32>()
                .ok()
                .map(|number| if number > 128 { number - 128 } else { number })
                .and_then(ulib::process::signal_name);
            match name {
                Some(name) => names.push(name.to_string()),
                None => return self.fail(format_args!("kill: {status}: invalid signal specification"), 1),
            }
        }
        self.print_lines("kill", names)
    }

    pub(super) fn fg(&mut self, args: &[String]) -> i32 {
        let id = match self.job_operand("fg", args) {
            Ok(id) => id,
            Err(status) => return status,
        };
        let Some(job) = self.jobs.remove(id) else {
            return 1;
        };
        let text = format!("{}\n", job.text);
        let _ = self.print("fg", &text);
        self.wait_foreground(job, true)
    }

    pub(super) fn bg(&mut self, args: &[String]) -> i32 {
        let id = match self.job_operand("bg", args) {
            Ok(id) => id,
            Err(status) => return status,
        };
        let Some(job) = self.jobs.get_mut(id) else {
            return 1;
        };
        if job.state() == State::Running {
            return self.fail(format_args!("bg: job {id} already in background"), 0);
        }
        job.mark_running();
        let _ = Self::signal_job(job, libc::SIGCONT);
        let line = self.jobs.resumed_line(id).unwrap_or_default();
        self.print("bg", &format!("{line}\n"))
    }

    /// The job a `fg` or `bg` operand names (at most one), or the status to fail with.
    fn job_operand(&mut self, name: &str, args: &[String]) -> Result<usize, i32> {
        match args {
            [] | [_] => self
                .jobs
                .find(args.first().map(String::as_str))
                .map_err(|message| self.fail(format_args!("{name}: {message}"), 1)),
            _ => Err(self.fail(format_args!("{name}: too many arguments"), STATUS_USAGE)),
        }
    }

    /// `kill [-s SIG | -SIG] [--] pid|%job...` and `kill -l`. A stopped job also
    /// gets SIGCONT, so that it can act on the signal.
    pub(super) fn kill(&mut self, args: &[String]) -> i32 {
        let (name, targets) = match args {
            [list] if list == "-l" => {
                return self.print_lines("kill", SIGNAL_NAMES.iter().map(|name| name.to_string()));
            }
            [list, statuses @ ..] if list == "-l" => return self.signal_names(statuses),
            [flag, name, targets @ ..] if flag == "-s" => (name.as_str(), targets),
            [option, targets @ ..] if option.starts_with('-') && option != "--" && option.len() > 1 => {
                (&option[1..], targets)
            }
            targets => ("TERM", targets),
        };
        let targets = targets.strip_prefix(&["--".to_string()]).unwrap_or(targets);
        let Some(signal) = signal_number(name) else {
            return self.fail(format_args!("kill: {name}: invalid signal specification"), 1);
        };
        if targets.is_empty() {
            return self.fail("kill: usage: kill [-s sigspec | -sigspec] pid | %job ... or kill -l", STATUS_USAGE);
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
                        status = self.fail(format_args!("kill: {target}: no such job"), 1);
                        continue;
                    }
                }
            } else {
                match target.parse() {
                    Ok(pid) => jobctl::kill(pid, signal),
                    Err(_) => {
                        status = self.fail(format_args!("kill: {target}: arguments must be process or job IDs"), 1);
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

    pub(super) fn wait(&mut self, args: &[String]) -> i32 {
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
                Err(message) => self.fail(format_args!("wait: {message}"), 127),
            };
        }
        status
    }
}
