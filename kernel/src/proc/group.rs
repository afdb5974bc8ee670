//! What the threads of a process share beyond memory and files (Linux's
//! signal_struct with the ids and credentials): process group and session,
//! resource limits, credentials (user and group ids, supplementary groups), the
//! real-time alarm, the signals sent to the process as a whole, and the status it
//! ends with. One object per process, referenced by each of its tasks; its lock is
//! taken only under the process table's (interrupts off).
use alloc::sync::Arc;

use creds::Credentials;
use spin::Mutex;

use crate::time::cputime::GroupTime;

use super::limits::Limits;
use super::pending::Pending;
use super::process::Pid;

#[derive(Debug, Clone, Default)]
pub struct ThreadGroup {
    /// Process group and session.
    pub pgid: Pid,
    pub sid: Pid,
    pub limits: Limits,
    /// User and group ids and supplementary groups (root's at boot; copied by
    /// fork, kept by execve but for set-user-ID and set-group-ID files).
    pub creds: Credentials,
    /// When SIGALRM is due (uptime ms), if an alarm is set, and the period after
    /// which it fires again (setitimer's interval; 0 for a one-shot alarm).
    pub alarm_at: Option<u64>,
    pub alarm_interval: u64,
    /// Signals sent to the process, pending until one of its threads that does
    /// not block them takes them.
    pub pending: Pending,
    /// The status the whole group ends with, once exit_group or a fatal signal
    /// has asked for it.
    pub exit_status: Option<i32>,
    /// CPU time of its ended threads and its reaped children (proc/usage.rs).
    pub times: GroupTime,
    /// PR_SET_DUMPABLE 0 (execve makes it dumpable again).
    pub undumpable: bool,
    /// PR_SET_CHILD_SUBREAPER: orphaned descendants are reparented to it rather
    /// than to init.
    pub child_subreaper: bool,
}

impl ThreadGroup {
    /// A new group in process group `pgid` of session `sid`, with `creds`.
    pub fn new(pgid: Pid, sid: Pid, creds: Credentials) -> Arc<Mutex<Self>> {
        Arc::new(Mutex::new(Self { pgid, sid, creds, ..Self::default() }))
    }

    /// fork's copy: the same ids, limits and credentials; no alarm, nothing
    /// pending.
    pub fn for_child(&self) -> Arc<Mutex<Self>> {
        Arc::new(Mutex::new(Self {
            pgid: self.pgid,
            sid: self.sid,
            limits: self.limits,
            creds: self.creds.clone(),
            ..Self::default()
        }))
    }
}
