//! An open /dev/kmsg (Documentation/ABI/testing/dev-kmsg): each reader has its
//! own cursor, from the oldest record; a read returns one record as
//! `PRI,SEQ,USEC,-;text\n` (EINVAL when the buffer is too small for it, EAGAIN
//! with O_NONBLOCK at the end, else it waits), and EPIPE once when records under
//! the cursor were dropped (then it goes on from the oldest). lseek moves the
//! cursor: SEEK_SET to the oldest, SEEK_DATA to where syslog's READ_ALL starts,
//! SEEK_END past the newest. A write logs a record (at most 1024 bytes, a
//! leading `<N>` sets the level and facility; level 4 for user programs by
//! default), at most 10 per 5 seconds per open file as Linux's default
//! ratelimit: more are dropped and counted on the last close.
use alloc::vec::Vec;

use kabi::fs::{POLLERR, POLLIN, POLLPRI, POLLRDNORM, SEEK_DATA, SEEK_END, SEEK_SET};
use kabi::{Errno, Stat};
use logring::{Cursor, KmsgRead, TEXT_MAX};
use spin::Mutex;

use super::devfs::DevNode;
use super::ops::FileOps;
use super::vfs::{self, Node};
use crate::logbuf;
use crate::task::wait_queue::WaitQueue;

/// A user program's record without `<N>`: default_message_loglevel, LOG_USER.
const USER_DEFAULT: (u8, u8) = (4, 1);
/// Linux's DEFAULT_RATELIMIT_BURST in DEFAULT_RATELIMIT_INTERVAL.
const BURST: u32 = 10;
const INTERVAL_MS: u64 = 5000;

#[derive(Debug, Default)]
struct RateLimit {
    window_start: Option<u64>,
    written: u32,
    missed: u32,
}

#[derive(Debug)]
pub struct Kmsg {
    cursor: Mutex<Cursor>,
    limit: Mutex<RateLimit>,
}

impl Kmsg {
    pub fn open() -> Self {
        Self { cursor: Mutex::new(logbuf::with(|log| log.ring().first())), limit: Mutex::default() }
    }

    /// Whether a write now may log (Linux's ___ratelimit).
    fn admit(&self) -> bool {
        let now = crate::time::uptime_ms();
        let mut limit = self.limit.lock();
        if limit.window_start.is_none_or(|start| now.saturating_sub(start) >= INTERVAL_MS) {
            limit.window_start = Some(now);
            limit.written = 0;
        }
        if limit.written < BURST {
            limit.written += 1;
            true
        } else {
            limit.missed += 1;
            false
        }
    }
}

impl FileOps for Kmsg {
    fn read(&self, buf: &mut [u8], nonblocking: bool) -> Result<usize, Errno> {
        logbuf::added()
            .wait_until(|| {
                logbuf::with(|log| {
                    let mut cursor = self.cursor.lock();
                    let mut next = *cursor;
                    match log.kmsg_read(&mut next) {
                        KmsgRead::Record(text) if text.len() > buf.len() => Some(Err(Errno::EINVAL)),
                        KmsgRead::Record(text) => {
                            *cursor = next;
                            buf[..text.len()].copy_from_slice(&text);
                            Some(Ok(text.len()))
                        }
                        KmsgRead::Lost => {
                            *cursor = next;
                            Some(Err(Errno::EPIPE))
                        }
                        KmsgRead::Empty if nonblocking => Some(Err(Errno::EAGAIN)),
                        KmsgRead::Empty => None,
                    }
                })
            })
            .map_err(|_| Errno::EINTR)?
    }

    fn write(&self, data: &[u8], _nonblocking: bool) -> Result<usize, Errno> {
        if data.len() > TEXT_MAX {
            return Err(Errno::EINVAL);
        }
        if self.admit() {
            let (level, facility, text) = logring::text::parse_written(data, USER_DEFAULT);
            crate::klog::emit(level, facility, text);
        }
        Ok(data.len())
    }

    fn seek(&self, offset: i64, whence: u32) -> Result<u64, Errno> {
        if offset != 0 {
            return Err(Errno::ESPIPE);
        }
        let to = logbuf::with(|log| match whence {
            SEEK_SET => Ok(log.ring().first()),
            SEEK_DATA => Ok(log.clear_cursor()),
            SEEK_END => Ok(log.ring().end()),
            _ => Err(Errno::EINVAL),
        })?;
        *self.cursor.lock() = to;
        Ok(0)
    }

    fn poll(&self, events: i16) -> i16 {
        let cursor = *self.cursor.lock();
        let ready = logbuf::with(|log| match log.ring().get(cursor) {
            Ok(Some(_)) => POLLIN | POLLRDNORM,
            Ok(None) => 0,
            Err(_) => POLLIN | POLLRDNORM | POLLERR | POLLPRI,
        });
        ready & (events | POLLERR)
    }

    fn wait_queue(&self) -> Option<&WaitQueue> {
        Some(logbuf::added())
    }

    fn stat(&self) -> Stat {
        vfs::stat(&Node::Dev(DevNode::Kmsg))
    }

    fn release(&self) {
        let missed = self.limit.lock().missed;
        if missed > 0 {
            let processes = super::processes::processes();
            let name = processes.snapshot(processes.caller().pid).map(|p| p.name).unwrap_or_default();
            log::warn!("{name}: {missed} output lines suppressed due to ratelimiting");
        }
    }

    fn link_target(&self) -> Vec<u8> {
        b"/dev/kmsg".to_vec()
    }
}
