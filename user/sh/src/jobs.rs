//! The job table: each job is a pipeline's processes (in one process group when the
//! shell has job control), their states as wait4 reports them, and the text that
//! `jobs` shows. Jobs are numbered from 1; the current job (`%+`, what `fg` and `bg`
//! take by default) is the one most recently stopped or put in the background, and
//! the previous one is `%-`. Lines look like bash's:
//! `[1]+  Stopped                 sleep 100`.
use ulib::process::{WaitStatus, pid_t, signal_description};

/// What wait4 last said about a process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Running,
    /// Stopped by this signal.
    Stopped(i32),
    Done(WaitStatus),
}

impl State {
    fn from_status(status: WaitStatus) -> Self {
        match status.stop_signal() {
            Some(signal) => State::Stopped(signal),
            None => State::Done(status),
        }
    }

    /// The status as `$?`: the exit code, or 128 + the signal that killed or stopped.
    pub fn shell_status(self) -> i32 {
        match self {
            State::Running => 0,
            State::Stopped(signal) => 128 + signal,
            State::Done(status) => status.shell_status(),
        }
    }

    /// How `jobs` describes it: `Running`, `Stopped`, `Done`, `Exit 2`, `Killed`, ...
    pub fn describe(self) -> String {
        match self {
            State::Running => "Running".into(),
            State::Stopped(signal) => signal_description(signal).into(),
            State::Done(status) => match status.exit_code() {
                Some(0) => "Done".into(),
                Some(code) => format!("Exit {code}"),
                None => death_message(status),
            },
        }
    }
}

/// What bash says when a signal kills a job: `Segmentation fault (core dumped)`.
pub fn death_message(status: WaitStatus) -> String {
    let description = signal_description(status.killing_signal().unwrap_or(0));
    if status.core_dumped() { format!("{description} (core dumped)") } else { description.into() }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Its number; 0 until it is in the table.
    pub id: usize,
    /// Its process group, when the shell made one for it.
    pub pgid: Option<pid_t>,
    pub processes: Vec<(pid_t, State)>,
    pub text: String,
    /// Its state changed since it was last reported.
    pub changed: bool,
}

impl Job {
    pub fn new(text: &str) -> Self {
        Self { id: 0, pgid: None, processes: Vec::new(), text: text.into(), changed: false }
    }

    /// Running while any process runs; stopped when one is stopped and none runs;
    /// done with the last process's status when all are.
    pub fn state(&self) -> State {
        let states = || self.processes.iter().map(|&(_, state)| state);
        if states().any(|state| state == State::Running) {
            return State::Running;
        }
        states()
            .find(|state| matches!(state, State::Stopped(_)))
            .or_else(|| states().next_back())
            .unwrap_or(State::Done(WaitStatus::from_raw(0)))
    }

    /// Records `status` for process `pid`, if it is one of this job's.
    pub fn update(&mut self, pid: pid_t, status: WaitStatus) -> bool {
        let before = self.state();
        let Some((_, state)) = self.processes.iter_mut().find(|(process, _)| *process == pid) else {
            return false;
        };
        *state = State::from_status(status);
        self.changed |= self.state() != before;
        true
    }

    /// Marks the stopped processes running again (after SIGCONT).
    pub fn mark_running(&mut self) {
        for (_, state) in &mut self.processes {
            if matches!(state, State::Stopped(_)) {
                *state = State::Running;
            }
        }
        self.changed = false;
    }
}

#[derive(Debug, Default)]
pub struct Jobs {
    jobs: Vec<Job>,
    /// Job numbers, the current job last.
    recent: Vec<usize>,
}

impl Jobs {
    /// Puts `job` in the table as the current job, keeping its number if it has one;
    /// returns the number.
    pub fn insert(&mut self, mut job: Job) -> usize {
        if job.id == 0 {
            job.id = self.jobs.iter().map(|job| job.id).max().unwrap_or(0) + 1;
        }
        let id = job.id;
        let at = self.jobs.partition_point(|other| other.id < id);
        self.jobs.insert(at, job);
        self.make_current(id);
        id
    }

    fn make_current(&mut self, id: usize) {
        self.recent.retain(|&other| other != id);
        self.recent.push(id);
    }

    pub fn remove(&mut self, id: usize) -> Option<Job> {
        let at = self.jobs.iter().position(|job| job.id == id)?;
        self.recent.retain(|&other| other != id);
        Some(self.jobs.remove(at))
    }

    pub fn get_mut(&mut self, id: usize) -> Option<&mut Job> {
        self.jobs.iter_mut().find(|job| job.id == id)
    }

    /// Records a status from wait4 in the job holding `pid`.
    pub fn update(&mut self, pid: pid_t, status: WaitStatus) {
        for job in &mut self.jobs {
            if job.update(pid, status) {
                return;
            }
        }
    }

    pub fn any_running(&self) -> bool {
        self.jobs.iter().any(|job| job.state() == State::Running)
    }

    pub fn any_stopped(&self) -> bool {
        self.jobs.iter().any(|job| matches!(job.state(), State::Stopped(_)))
    }

    /// The job holding process `pid`.
    pub fn with_pid(&self, pid: pid_t) -> Option<usize> {
        self.jobs.iter().find(|job| job.processes.iter().any(|&(process, _)| process == pid)).map(|job| job.id)
    }

    /// The job a `fg`, `bg` or `wait` operand names: `%n` or `n`, `%+` or `%%` (the
    /// current job, also what no operand means), `%-` (the previous one), or
    /// `%text` (the job whose command starts with `text`).
    pub fn find(&self, spec: Option<&str>) -> Result<usize, String> {
        let nth_recent = |back: usize| self.recent.iter().rev().nth(back).copied();
        let found = match spec {
            None | Some("%" | "%%" | "%+") => nth_recent(0),
            Some("%-") => nth_recent(1),
            Some(spec) => {
                let text = spec.strip_prefix('%').unwrap_or(spec);
                match text.parse::<usize>() {
                    Ok(id) => self.jobs.iter().find(|job| job.id == id).map(|job| job.id),
                    Err(_) if spec.starts_with('%') => {
                        self.jobs.iter().find(|job| job.text.starts_with(text)).map(|job| job.id)
                    }
                    Err(_) => None,
                }
            }
        };
        found.ok_or_else(|| format!("{}: no such job", spec.unwrap_or("current")))
    }

    fn marker(&self, id: usize) -> char {
        match self.recent.iter().rev().position(|&other| other == id) {
            Some(0) => '+',
            Some(1) => '-',
            _ => ' ',
        }
    }

    pub fn state(&self, id: usize) -> Option<State> {
        self.jobs.iter().find(|job| job.id == id).map(Job::state)
    }

    /// The `jobs` line of job `id`.
    pub fn line(&self, id: usize) -> Option<String> {
        self.jobs.iter().find(|job| job.id == id).map(|job| self.format(job))
    }

    /// `[1]+  Running                 sleep 100 &`
    fn format(&self, job: &Job) -> String {
        let state = job.state();
        let ampersand = if state == State::Running { " &" } else { "" };
        format!("[{}]{}  {:<24}{}{ampersand}", job.id, self.marker(job.id), state.describe(), job.text)
    }

    /// `[1]+ sleep 100 &`, what `bg` says of job `id`.
    pub fn resumed_line(&self, id: usize) -> Option<String> {
        self.jobs.iter().find(|job| job.id == id).map(|job| format!("[{id}]{} {} &", self.marker(id), job.text))
    }

    /// Lines for the jobs whose state changed since last reported, and drops the
    /// finished ones.
    pub fn notifications(&mut self) -> Vec<String> {
        let lines = self.jobs.iter().filter(|job| job.changed).map(|job| self.format(job)).collect();
        self.forget_reported();
        lines
    }

    /// `jobs -p`: each job's process group (its first process).
    pub fn pids(&self) -> Vec<pid_t> {
        self.jobs.iter().filter_map(|job| job.pgid.or_else(|| job.processes.first().map(|&(pid, _)| pid))).collect()
    }

    /// `jobs`: a line for every job; the finished ones are then dropped.
    pub fn listing(&mut self) -> Vec<String> {
        let lines = self.jobs.iter().map(|job| self.format(job)).collect();
        self.forget_reported();
        lines
    }

    fn forget_reported(&mut self) {
        for job in &mut self.jobs {
            job.changed = false;
        }
        let done: Vec<usize> =
            self.jobs.iter().filter(|job| matches!(job.state(), State::Done(_))).map(|job| job.id).collect();
        for id in done {
            self.remove(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn success() -> WaitStatus {
        WaitStatus::from_raw(0)
    }

    fn stopped(signal: i32) -> WaitStatus {
        WaitStatus::from_raw((signal << 8) | 0x7f)
    }

    fn job(text: &str, pids: &[pid_t]) -> Job {
        let mut job = Job::new(text);
        job.pgid = pids.first().copied();
        job.processes = pids.iter().map(|&pid| (pid, State::Running)).collect();
        job
    }

    #[test]
    fn describing_states() {
        assert_eq!(State::Running.describe(), "Running");
        assert_eq!(State::Stopped(libc::SIGTSTP).describe(), "Stopped");
        assert_eq!(State::Stopped(libc::SIGTTIN).describe(), "Stopped (tty input)");
        assert_eq!(State::Done(success()).describe(), "Done");
        assert_eq!(State::Done(WaitStatus::from_raw(2 << 8)).describe(), "Exit 2");
        assert_eq!(State::Done(WaitStatus::from_raw(libc::SIGKILL)).describe(), "Killed");
        assert_eq!(
            State::Done(WaitStatus::from_raw(libc::SIGSEGV | 0x80)).describe(),
            "Segmentation fault (core dumped)"
        );
    }

    #[test]
    fn shell_statuses() {
        assert_eq!(State::Stopped(libc::SIGTSTP).shell_status(), 148);
        assert_eq!(State::Done(WaitStatus::from_raw(libc::SIGINT)).shell_status(), 130);
        assert_eq!(State::Done(WaitStatus::from_raw(3 << 8)).shell_status(), 3);
    }

    #[test]
    fn a_pipeline_is_done_with_its_last_status() {
        let mut job = job("a | b", &[10, 11]);
        assert_eq!(job.state(), State::Running);
        assert!(job.update(11, WaitStatus::from_raw(1 << 8)));
        assert_eq!(job.state(), State::Running);
        assert!(job.update(10, success()));
        assert_eq!(job.state(), State::Done(WaitStatus::from_raw(1 << 8)));
        assert!(job.changed);
        assert!(!job.update(12, success()));
    }

    #[test]
    fn a_job_is_stopped_once_nothing_runs() {
        let mut job = job("a | b", &[10, 11]);
        job.update(10, stopped(libc::SIGTSTP));
        assert_eq!(job.state(), State::Running);
        job.update(11, stopped(libc::SIGTSTP));
        assert_eq!(job.state(), State::Stopped(libc::SIGTSTP));
        job.mark_running();
        assert_eq!(job.state(), State::Running);
        assert!(!job.changed);
    }

    #[test]
    fn numbers_and_markers() {
        let mut jobs = Jobs::default();
        assert_eq!(jobs.insert(job("sleep 100", &[10])), 1);
        assert_eq!(jobs.insert(job("sleep 200", &[20])), 2);
        assert_eq!(
            jobs.listing(),
            ["[1]-  Running                 sleep 100 &", "[2]+  Running                 sleep 200 &"]
        );
        let first = jobs.remove(1).unwrap();
        assert_eq!(jobs.insert(job("sleep 300", &[30])), 3);
        assert_eq!(jobs.insert(first), 1, "a job keeps its number");
        assert_eq!(jobs.find(None), Ok(1));
        assert_eq!(jobs.find(Some("%-")), Ok(3));
    }

    #[test]
    fn finding_jobs() {
        let mut jobs = Jobs::default();
        assert_eq!(jobs.find(None), Err("current: no such job".into()));
        jobs.insert(job("sleep 100", &[10]));
        jobs.insert(job("cat f", &[20]));
        assert_eq!(jobs.find(Some("%%")), Ok(2));
        assert_eq!(jobs.find(Some("%+")), Ok(2));
        assert_eq!(jobs.find(Some("%1")), Ok(1));
        assert_eq!(jobs.find(Some("1")), Ok(1));
        assert_eq!(jobs.find(Some("%sl")), Ok(1));
        assert_eq!(jobs.find(Some("%5")), Err("%5: no such job".into()));
        assert_eq!(jobs.find(Some("x")), Err("x: no such job".into()));
        assert_eq!(jobs.with_pid(20), Some(2));
        jobs.make_current(1);
        assert_eq!(jobs.find(None), Ok(1));
    }

    #[test]
    fn notifications_report_changes_once_and_drop_finished_jobs() {
        let mut jobs = Jobs::default();
        jobs.insert(job("sleep 1", &[10]));
        jobs.insert(job("cat", &[20]));
        assert!(jobs.notifications().is_empty());
        jobs.update(10, success());
        jobs.update(20, stopped(libc::SIGTTIN));
        assert_eq!(
            jobs.notifications(),
            ["[1]-  Done                    sleep 1", "[2]+  Stopped (tty input)     cat"]
        );
        assert!(jobs.notifications().is_empty());
        assert!(jobs.any_stopped() && !jobs.any_running());
        assert_eq!(jobs.listing(), ["[2]+  Stopped (tty input)     cat"]);
    }

    #[test]
    fn bg_lines() {
        let mut jobs = Jobs::default();
        let id = jobs.insert(job("sleep 100", &[10]));
        assert_eq!(jobs.resumed_line(id).as_deref(), Some("[1]+ sleep 100 &"));
        assert_eq!(jobs.line(id).as_deref(), Some("[1]+  Running                 sleep 100 &"));
        assert_eq!(jobs.state(id), Some(State::Running));
        assert_eq!(jobs.line(2), None);
    }
}
