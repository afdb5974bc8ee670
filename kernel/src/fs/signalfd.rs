//! signalfd: a file that reads the caller's pending signals in its mask, each
//! as a `struct signalfd_siginfo` (128 bytes), taking them from the thread's
//! own pending set first, then its process's. Reads block while none is
//! pending; readiness is POLLIN while one is, for the task that asks. Every
//! signal sent wakes one queue (`signal_posted`, called by the process layer),
//! on which readers and pollers of every signalfd wait: a signal the task
//! blocks does not wake it otherwise.
use core::sync::atomic::{AtomicU64, Ordering};

use kabi::Errno;
use kabi::events::SignalfdSiginfo;
use kabi::fs::POLLIN;
use kabi::signal::UNBLOCKABLE_MASK;

use crate::task::wait_queue::WaitQueue;

use super::ops::FileOps;
use super::processes::processes;

static POSTED: WaitQueue = WaitQueue::new();

/// A signal has been sent to some task or process: readers look again.
pub fn signal_posted() {
    POSTED.wake_all();
}

#[derive(Debug)]
pub struct SignalFd {
    mask: AtomicU64,
}

impl SignalFd {
    pub fn new(mask: u64) -> Self {
        Self { mask: AtomicU64::new(mask & !UNBLOCKABLE_MASK) }
    }

    /// signalfd4 on an existing signalfd: the signals it reads from now on
    /// (SIGKILL and SIGSTOP never, as on Linux).
    pub fn set_mask(&self, mask: u64) {
        self.mask.store(mask & !UNBLOCKABLE_MASK, Ordering::Relaxed);
        POSTED.wake_all();
    }

    fn mask(&self) -> u64 {
        self.mask.load(Ordering::Relaxed)
    }

    fn take(&self) -> Option<[u8; SignalfdSiginfo::SIZE]> {
        processes().take_signal(self.mask()).map(|info| SignalfdSiginfo::from_siginfo(&info).to_bytes())
    }
}

impl FileOps for SignalFd {
    fn link_target(&self) -> alloc::vec::Vec<u8> {
        b"anon_inode:[signalfd]".to_vec()
    }

    /// As many signals as whole records fit in `buf`, waiting for the first.
    fn read(&self, buf: &mut [u8], nonblocking: bool) -> Result<usize, Errno> {
        let mut records = buf.chunks_exact_mut(SignalfdSiginfo::SIZE);
        let Some(first) = records.next() else { return Err(Errno::EINVAL) };
        let record = POSTED
            .wait_until(|| match self.take() {
                Some(record) => Some(Ok(record)),
                None if nonblocking => Some(Err(Errno::EAGAIN)),
                None => None,
            })
            .map_err(|_| Errno::EINTR)??;
        first.copy_from_slice(&record);
        let mut done = SignalfdSiginfo::SIZE;
        for out in records {
            let Some(record) = self.take() else { break };
            out.copy_from_slice(&record);
            done += SignalfdSiginfo::SIZE;
        }
        Ok(done)
    }

    fn poll(&self, events: i16) -> i16 {
        if processes().pending_signals() & self.mask() != 0 { POLLIN & events } else { 0 }
    }

    fn wait_queue(&self) -> Option<&WaitQueue> {
        Some(&POSTED)
    }
}
