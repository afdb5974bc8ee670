//! The out-of-memory policy: when a process needs a page and no frame is free, the
//! process with the most resident memory (init spared) is killed with SIGKILL and
//! a log line naming it, as Linux's OOM killer picks the largest.
use kabi::signal::Signal;

use super::lifecycle::{self, INIT_PID, Target};
use super::process::Pid;
use super::scheduler::with_table;

/// Kill the largest process; returns its pid (None when there is no candidate).
pub fn kill_largest() -> Option<Pid> {
    let (pid, name, pages) = with_table(|t| {
        t.procs
            .values()
            .filter(|p| p.tgid != INIT_PID && p.is_live())
            .filter_map(|p| Some((p.tgid, alloc::string::String::from(p.name()), p.memory()?.space.usage().0)))
            .max_by_key(|&(_, _, pages)| pages)
    })?;
    log::error!("out of memory: killed process {pid} ({name}), {} KiB resident", pages * 4);
    lifecycle::kill(Target::Process(pid), Some(Signal::SIGKILL)).ok()?;
    Some(pid)
}
