//! The out-of-memory policy: when a process needs a page and no frame is free, the
//! process with the most resident memory (init spared) is killed with SIGKILL and
//! a log line naming it, as Linux's OOM killer picks the largest.
use alloc::string::String;
use alloc::vec::Vec;

use kabi::signal::Signal;

use super::lifecycle::{self, INIT_PID, Origin, Target};
use super::process::{Pid, SharedMemory};
use super::table::with_table;

/// Kill the largest process; returns its pid (None when there is no candidate).
pub fn kill_largest() -> Option<Pid> {
    let candidates: Vec<(Pid, String, SharedMemory)> = with_table(|t| {
        t.procs
            .values()
            .filter(|p| p.is_leader() && p.tgid != INIT_PID && p.is_live())
            .filter_map(|p| Some((p.tgid, String::from(p.name()), p.memory.clone()?)))
            .collect()
    });
    // The memory's lock sleeps: sizes are read after the table's is released.
    let (pid, name, pages) = candidates
        .into_iter()
        .map(|(pid, name, memory)| (pid, name, memory.lock().space.usage().resident))
        .max_by_key(|&(_, _, pages)| pages)?;
    log::error!("out of memory: killed process {pid} ({name}), {} KiB resident", pages * 4);
    lifecycle::kill(Target::Process(pid), Some(Signal::SIGKILL), Origin::Kernel).ok()?;
    Some(pid)
}
