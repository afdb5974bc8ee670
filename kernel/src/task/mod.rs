//! The task layer, between memory management and everything that runs on behalf of
//! programs: task ids, the scheduler (run queue, the current task, block/wake,
//! stop/resume), wait queues, sleeping, and the per-task signal-pending flag.
//! Files and processes both build on it; it knows nothing of either.
pub mod mutex;
pub mod scheduler;
pub mod sleep;
pub mod wait_queue;

/// A task's id (Linux's tid). A process's id is its first task's.
pub type Tid = u32;
/// A process, process-group or session id: the id of the task that leads it.
pub type Pid = Tid;
