//! eventfd: a 64-bit counter as a file. write adds to it (blocking while the sum
//! would pass u64::MAX - 1); read returns it and resets it to 0, or with
//! EFD_SEMAPHORE returns 1 and subtracts 1 (blocking while it is 0). Reads and
//! writes move exactly 8 bytes (EINVAL for a shorter buffer).
use kabi::fs::{POLLIN, POLLOUT};
use kabi::{Errno, Stat};
use spin::Mutex;

use crate::arch::cpu::without_interrupts;
use crate::task::wait_queue::WaitQueue;

use super::ops::FileOps;

/// eventfd2 flags.
pub const EFD_SEMAPHORE: u32 = 1;
/// The largest value the counter holds.
const MAX: u64 = u64::MAX - 1;

#[derive(Debug)]
pub struct EventFd {
    count: Mutex<u64>,
    semaphore: bool,
    changed: WaitQueue,
}

impl EventFd {
    pub fn new(initial: u32, flags: u32) -> Self {
        Self { count: Mutex::new(u64::from(initial)), semaphore: flags & EFD_SEMAPHORE != 0, changed: WaitQueue::new() }
    }

    fn with<R>(&self, f: impl FnOnce(&mut u64) -> R) -> R {
        without_interrupts(|| f(&mut self.count.lock()))
    }

    /// Wait until `step` on the counter gives a value (or EAGAIN when
    /// `nonblocking`), then wake the other side.
    fn wait_for(&self, nonblocking: bool, mut step: impl FnMut(&mut u64) -> Option<u64>) -> Result<u64, Errno> {
        let value = self
            .changed
            .wait_until(|| match self.with(&mut step) {
                Some(value) => Some(Ok(value)),
                None if nonblocking => Some(Err(Errno::EAGAIN)),
                None => None,
            })
            .map_err(|_| Errno::EINTR)??;
        self.changed.wake_all();
        Ok(value)
    }
}

impl FileOps for EventFd {
    fn read(&self, buf: &mut [u8], nonblocking: bool) -> Result<usize, Errno> {
        let Some(out) = buf.get_mut(..8) else { return Err(Errno::EINVAL) };
        let semaphore = self.semaphore;
        let value = self.wait_for(nonblocking, |count| match *count {
            0 => None,
            _ if semaphore => {
                *count -= 1;
                Some(1)
            }
            n => {
                *count = 0;
                Some(n)
            }
        })?;
        out.copy_from_slice(&value.to_le_bytes());
        Ok(8)
    }

    fn write(&self, data: &[u8], nonblocking: bool) -> Result<usize, Errno> {
        let bytes: [u8; 8] = data.get(..8).and_then(|b| b.try_into().ok()).ok_or(Errno::EINVAL)?;
        let add = u64::from_le_bytes(bytes);
        if add == u64::MAX {
            return Err(Errno::EINVAL);
        }
        self.wait_for(nonblocking, |count| {
            let sum = count.checked_add(add).filter(|&s| s <= MAX)?;
            *count = sum;
            Some(sum)
        })?;
        Ok(8)
    }

    fn poll(&self, events: i16) -> i16 {
        let count = self.with(|c| *c);
        let ready = (if count > 0 { POLLIN } else { 0 }) | if count < MAX { POLLOUT } else { 0 };
        ready & events
    }

    fn wait_queue(&self) -> Option<&WaitQueue> {
        Some(&self.changed)
    }

    /// An anonymous inode, as Linux's: mode 0600 with no file type.
    fn stat(&self) -> Stat {
        Stat { st_mode: 0o600, st_nlink: 1, st_blksize: 4096, ..Stat::default() }
    }

    fn bytes_ready(&self) -> usize {
        8
    }

    fn as_any(&self) -> &dyn core::any::Any {
        self
    }
}
