//! timerfd: a timer on a clock as a file. It expires at a set time, then every
//! interval if it has one; a read returns the expirations since the last read
//! (a u64, blocking while there are none) and readiness is POLLIN while there
//! are some. Expirations are counted from the clock when the timer is looked
//! at; a reader or poller waits on the task layer's sleep queue, with the next
//! expiry registered as a wakeup.
use kabi::Errno;
use kabi::fs::POLLIN;
use spin::Mutex;

use crate::arch::cpu::without_interrupts;
use crate::task::sleep;
use crate::task::wait_queue::WaitQueue;
use crate::time;

use super::ops::FileOps;

/// The clock a timer counts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// CLOCK_MONOTONIC and CLOCK_BOOTTIME (the machine never suspends).
    Monotonic,
    /// CLOCK_REALTIME: absolute times follow changes of the wall clock.
    Realtime,
}

impl Clock {
    /// Nanoseconds on this clock now.
    pub fn now(self) -> u64 {
        match self {
            Clock::Monotonic => time::uptime_ns(),
            Clock::Realtime => time::realtime_ns(),
        }
    }
}

#[derive(Debug, Default)]
struct Setting {
    /// When it next expires (ns on its clock), if armed.
    next: Option<u64>,
    /// The period after each expiry (0: once).
    interval: u64,
    /// Expirations not read yet.
    expirations: u64,
}

impl Setting {
    /// Count the expirations up to `now`.
    fn advance(&mut self, now: u64) {
        let Some(next) = self.next.filter(|&next| now >= next) else { return };
        match (now - next).checked_div(self.interval) {
            None => {
                self.expirations = self.expirations.saturating_add(1);
                self.next = None;
            }
            Some(missed) => {
                self.expirations = self.expirations.saturating_add(missed + 1);
                self.next = Some(next.saturating_add((missed + 1).saturating_mul(self.interval)));
            }
        }
    }

    /// Time left until the next expiry at `now` (0 when disarmed).
    fn remaining(&self, now: u64) -> u64 {
        self.next.map_or(0, |next| next.saturating_sub(now))
    }
}

#[derive(Debug)]
pub struct TimerFd {
    clock: Clock,
    setting: Mutex<Setting>,
}

impl TimerFd {
    pub fn new(clock: Clock) -> Self {
        Self { clock, setting: Mutex::new(Setting::default()) }
    }

    /// Run `f` on the setting brought up to date with the clock; if it is still
    /// armed, the sleep queue is asked to wake at its next expiry.
    fn with<R>(&self, f: impl FnOnce(&mut Setting, u64) -> R) -> R {
        without_interrupts(|| {
            let mut setting = self.setting.lock();
            let now = self.clock.now();
            setting.advance(now);
            let result = f(&mut setting, now);
            setting.advance(now);
            if let Some(next) = setting.next {
                let left = next.saturating_sub(now);
                sleep::wake_at(time::uptime_ns().saturating_add(left).div_ceil(1_000_000));
            }
            result
        })
    }

    /// timerfd_settime: expire at `value` ns (absolute on the clock, or from
    /// now), then every `interval` ns; a zero `value` disarms it. Unread
    /// expirations are dropped. Returns the old setting as (time left, interval).
    pub fn set(&self, value: u64, interval: u64, absolute: bool) -> (u64, u64) {
        self.with(|setting, now| {
            let old = (setting.remaining(now), setting.interval);
            let next = match value {
                0 => None,
                _ if absolute => Some(value),
                _ => Some(now.saturating_add(value)),
            };
            *setting = Setting { next, interval, expirations: 0 };
            old
        })
    }

    /// timerfd_gettime: (time left, interval).
    pub fn get(&self) -> (u64, u64) {
        self.with(|setting, now| (setting.remaining(now), setting.interval))
    }
}

impl FileOps for TimerFd {
    fn link_target(&self) -> alloc::vec::Vec<u8> {
        b"anon_inode:[timerfd]".to_vec()
    }

    fn read(&self, buf: &mut [u8], nonblocking: bool) -> Result<usize, Errno> {
        let Some(out) = buf.get_mut(..8) else { return Err(Errno::EINVAL) };
        let count = sleep::queue()
            .wait_until(|| {
                self.with(|setting, _| match core::mem::take(&mut setting.expirations) {
                    0 if nonblocking => Some(Err(Errno::EAGAIN)),
                    0 => None,
                    n => Some(Ok(n)),
                })
            })
            .map_err(|_| Errno::EINTR)??;
        out.copy_from_slice(&count.to_le_bytes());
        Ok(8)
    }

    fn poll(&self, events: i16) -> i16 {
        if self.with(|setting, _| setting.expirations > 0) { POLLIN & events } else { 0 }
    }

    fn wait_queue(&self) -> Option<&WaitQueue> {
        Some(sleep::queue())
    }
}
