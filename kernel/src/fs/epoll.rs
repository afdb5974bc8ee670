//! epoll instances: an interest list of (descriptor, open file) entries, each
//! with the events it asks for and the data it returns, and what epoll_wait
//! reports from it: level-triggered by default, edge-triggered (EPOLLET) or
//! once (EPOLLONESHOT). An entry holds its file weakly: when the last
//! descriptor of the file closes, the entry is gone (as on Linux, a file still
//! open through another descriptor stays in the set).
//!
//! Readiness is asked of each file when the instance is waited on or polled
//! (Linux keeps a ready list filled by callbacks on the files' wait queues).
//! EPOLLET approximates Linux's "a wakeup since the last report": an entry is
//! reported when a ready bit has appeared since it was last looked at, or when
//! its file's wait queue has been woken since, and the file is ready. A wakeup
//! of the queue for another reason (a pipe's reader draining it wakes the
//! writers' side too) may thus report an entry again that Linux would not.
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;

use kabi::Errno;
use kabi::events::{EPOLLERR, EPOLLET, EPOLLEXCLUSIVE, EPOLLHUP, EPOLLONESHOT};
use kabi::fs::POLLIN;
use spin::Mutex;

use crate::arch::cpu::without_interrupts;
use crate::task::mutex::SleepMutex;
use crate::task::wait_queue::WaitQueue;

use super::file::OpenFile;
use super::ops::FileOps;

/// How deep epoll instances may watch each other (Linux's EP_MAX_NESTS).
const MAX_NESTING: usize = 4;

/// Serializes adding an epoll instance to another, so that two such additions
/// cannot make a cycle between them (Linux's epnested_mutex).
static NESTING: SleepMutex<()> = SleepMutex::new(());

#[derive(Debug)]
struct Interest {
    fd: i32,
    file: Weak<OpenFile>,
    /// The events asked for, with EPOLLET, EPOLLONESHOT and EPOLLEXCLUSIVE.
    events: u32,
    data: u64,
    /// EPOLLONESHOT: reported, quiet until EPOLL_CTL_MOD.
    disarmed: bool,
    /// EPOLLET: the bits ready and the wake count of the file's queue when the
    /// entry was last looked at.
    seen: Option<(u32, u64)>,
}

impl Interest {
    fn is(&self, fd: i32, file: &Arc<OpenFile>) -> bool {
        self.fd == fd && Weak::as_ptr(&self.file) == Arc::as_ptr(file)
    }

    /// The events to report for this entry now, if any. `consume` updates the
    /// edge-triggered and one-shot state as a report does (epoll_wait); without
    /// it nothing changes (a poll of the instance).
    fn check(&mut self, file: &OpenFile, consume: bool) -> Option<u32> {
        if self.disarmed {
            return None;
        }
        let wakes = file.wait_queue().map_or(0, WaitQueue::wakes);
        let asked = self.events | EPOLLERR | EPOLLHUP;
        let ready = u32::from(file.poll_ready(asked as u16 as i16) as u16) & asked;
        if self.events & EPOLLET != 0 {
            let new = match self.seen {
                None => true,
                Some((bits, seen_wakes)) => ready & !bits != 0 || wakes != seen_wakes,
            };
            if consume {
                self.seen = Some((ready, wakes));
            }
            if !new {
                return None;
            }
        }
        if ready == 0 {
            return None;
        }
        if consume && self.events & EPOLLONESHOT != 0 {
            self.disarmed = true;
        }
        Some(ready)
    }
}

/// One epoll instance (what epoll_create makes).
#[derive(Debug)]
pub struct Epoll {
    interest: Mutex<Vec<Interest>>,
    /// Woken when the interest list changes, so that waiters look again.
    changed: WaitQueue,
}

impl Default for Epoll {
    fn default() -> Self {
        Self { interest: Mutex::new(Vec::new()), changed: WaitQueue::new() }
    }
}

impl Epoll {
    fn with<R>(&self, f: impl FnOnce(&mut Vec<Interest>) -> R) -> R {
        without_interrupts(|| {
            let mut interest = self.interest.lock();
            interest.retain(|i| i.file.strong_count() > 0);
            f(&mut interest)
        })
    }

    /// EPOLL_CTL_ADD: watch `file` (open as `fd`) for `events`. EEXIST if it is
    /// watched already; ELOOP if it is an epoll instance that watches this one,
    /// or watches a chain of them deeper than Linux allows.
    pub fn add(&self, fd: i32, file: &Arc<OpenFile>, events: u32, data: u64) -> Result<(), Errno> {
        let nesting = file.downcast::<Epoll>().map(|inner| (inner, NESTING.lock()));
        if let Some((inner, _)) = &nesting
            && (inner.reaches(self, MAX_NESTING) || inner.depth() >= MAX_NESTING)
        {
            return Err(Errno::ELOOP);
        }
        self.with(|interest| {
            if interest.iter().any(|i| i.is(fd, file)) {
                return Err(Errno::EEXIST);
            }
            let entry = Interest { fd, file: Arc::downgrade(file), events, data, disarmed: false, seen: None };
            interest.push(entry);
            Ok(())
        })?;
        drop(nesting);
        self.changed.wake_all();
        Ok(())
    }

    /// EPOLL_CTL_MOD: new events and data for a watched file (re-arming a
    /// one-shot entry); EINVAL for an entry added with EPOLLEXCLUSIVE. ENOENT
    /// if it is not watched.
    pub fn modify(&self, fd: i32, file: &Arc<OpenFile>, events: u32, data: u64) -> Result<(), Errno> {
        self.with(|interest| {
            let entry = interest.iter_mut().find(|i| i.is(fd, file)).ok_or(Errno::ENOENT)?;
            if entry.events & EPOLLEXCLUSIVE != 0 {
                return Err(Errno::EINVAL);
            }
            *entry = Interest { events, data, disarmed: false, seen: None, fd, file: entry.file.clone() };
            Ok(())
        })?;
        self.changed.wake_all();
        Ok(())
    }

    /// EPOLL_CTL_DEL: stop watching; ENOENT if it was not watched.
    pub fn remove(&self, fd: i32, file: &Arc<OpenFile>) -> Result<(), Errno> {
        self.with(|interest| {
            let at = interest.iter().position(|i| i.is(fd, file)).ok_or(Errno::ENOENT)?;
            interest.remove(at);
            Ok(())
        })?;
        self.changed.wake_all();
        Ok(())
    }

    /// epoll_wait's look: up to `max` (events, data) pairs ready now, each entry
    /// once. Level-triggered entries reported go to the end of the list, so a
    /// small `max` serves every entry in turn.
    pub fn collect(&self, max: usize) -> Vec<(u32, u64)> {
        self.with(|interest| {
            let mut found = Vec::new();
            let mut again = Vec::new();
            for (at, entry) in interest.iter_mut().enumerate() {
                if found.len() == max {
                    break;
                }
                let Some(file) = entry.file.upgrade() else { continue };
                if let Some(events) = entry.check(&file, true) {
                    found.push((events, entry.data));
                    if entry.events & (EPOLLET | EPOLLONESHOT) == 0 {
                        again.push(at);
                    }
                }
            }
            for at in again.into_iter().rev() {
                let entry = interest.remove(at);
                interest.push(entry);
            }
            found
        })
    }

    /// Whether an epoll_wait would report something now.
    fn any_ready(&self) -> bool {
        self.with(|interest| {
            interest
                .iter_mut()
                .any(|entry| entry.file.upgrade().is_some_and(|file| entry.check(&file, false).is_some()))
        })
    }

    /// The epoll instances this one watches.
    fn inner(&self) -> Vec<Arc<OpenFile>> {
        self.with(|interest| {
            interest.iter().filter_map(|i| i.file.upgrade()).filter(|f| f.downcast::<Epoll>().is_some()).collect()
        })
    }

    /// Whether `target` is this instance or one it watches, within `depth` levels.
    fn reaches(&self, target: &Epoll, depth: usize) -> bool {
        core::ptr::eq(self, target)
            || depth > 0
                && self.inner().iter().any(|f| f.downcast::<Epoll>().is_some_and(|e| e.reaches(target, depth - 1)))
    }

    /// How many levels of instances this one watches (0 for none), counted up
    /// to just past the limit.
    fn depth(&self) -> usize {
        self.depth_from(0)
    }

    fn depth_from(&self, level: usize) -> usize {
        if level > MAX_NESTING {
            return level;
        }
        let inner = self.inner();
        inner.iter().filter_map(|f| f.downcast::<Epoll>()).map(|e| e.depth_from(level + 1)).max().unwrap_or(level)
    }
}

impl FileOps for Epoll {
    fn link_target(&self) -> alloc::vec::Vec<u8> {
        b"anon_inode:[eventpoll]".to_vec()
    }

    /// Readable while an epoll_wait would report something.
    fn poll(&self, events: i16) -> i16 {
        if self.any_ready() { POLLIN & events } else { 0 }
    }

    fn wait_queue(&self) -> Option<&WaitQueue> {
        Some(&self.changed)
    }

    fn watched(&self) -> Vec<Arc<OpenFile>> {
        self.with(|interest| interest.iter().filter(|i| !i.disarmed).filter_map(|i| i.file.upgrade()).collect())
    }
}
