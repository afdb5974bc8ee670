//! What the threads of a process share beyond memory and files (Linux's
//! signal_struct with the ids and credentials): process group and session,
//! resource limits, supplementary groups, the real-time alarm, the signals sent
//! to the process as a whole, and the status it ends with. One object per
//! process, referenced by each of its tasks; its lock is taken only under the
//! process table's (interrupts off).
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;

use kabi::SigInfo;
use spin::Mutex;

use super::limits::Limits;
use super::process::Pid;

#[derive(Debug, Clone, Default)]
pub struct ThreadGroup {
    /// Process group and session.
    pub pgid: Pid,
    pub sid: Pid,
    pub limits: Limits,
    /// Supplementary group ids (setgroups; inherited, none at boot as on Linux).
    pub groups: Vec<u32>,
    /// When SIGALRM is due (uptime ms), if an alarm is set, and the period after
    /// which it fires again (setitimer's interval; 0 for a one-shot alarm).
    pub alarm_at: Option<u64>,
    pub alarm_interval: u64,
    /// Signals sent to the process, pending until one of its threads that does
    /// not block them takes them, and their details.
    pub pending: u64,
    pub pending_info: BTreeMap<u8, SigInfo>,
    /// The status the whole group ends with, once exit_group or a fatal signal
    /// has asked for it.
    pub exit_status: Option<i32>,
}

impl ThreadGroup {
    /// A new group in process group `pgid` of session `sid`.
    pub fn new(pgid: Pid, sid: Pid) -> Arc<Mutex<Self>> {
        Arc::new(Mutex::new(Self { pgid, sid, ..Self::default() }))
    }

    /// fork's copy: the same ids, limits and groups; no alarm, nothing pending.
    pub fn for_child(&self) -> Arc<Mutex<Self>> {
        Arc::new(Mutex::new(Self {
            pgid: self.pgid,
            sid: self.sid,
            limits: self.limits,
            groups: self.groups.clone(),
            ..Self::default()
        }))
    }
}
