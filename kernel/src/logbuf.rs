//! The kernel log buffer: one `logring::Log` of 128 KiB (Linux's default
//! log_buf_len) holding every record the kernel logs and every line written to
//! /dev/kmsg, a wait queue woken by each new record (syslog's READ, /dev/kmsg
//! readers, pollers), and the console log level syslog(2) sets: records whose
//! level is below it are also printed on the console.
use core::sync::atomic::{AtomicI32, Ordering};

use logring::Log;
use spin::Mutex;

use crate::arch::cpu::without_interrupts;
use crate::task::wait_queue::WaitQueue;

/// The buffer's size in bytes.
pub const SIZE: usize = 128 * 1024;
/// Linux's CONSOLE_LOGLEVEL_DEFAULT and CONSOLE_LOGLEVEL_MIN.
const DEFAULT_CONSOLE_LEVEL: i32 = 7;
const MINIMUM_CONSOLE_LEVEL: i32 = 1;
/// No console level saved by CONSOLE_OFF (Linux's LOGLEVEL_DEFAULT).
const NONE_SAVED: i32 = -1;

static LOG: Mutex<Log<SIZE>> = Mutex::new(Log::new());
static ADDED: WaitQueue = WaitQueue::new();
static CONSOLE_LEVEL: AtomicI32 = AtomicI32::new(DEFAULT_CONSOLE_LEVEL);
static SAVED_CONSOLE_LEVEL: AtomicI32 = AtomicI32::new(NONE_SAVED);

/// Add a record, stamped with the time since boot. A record made while the log
/// is locked (a fault while logging) is not kept.
pub fn add(level: u8, facility: u8, text: &[u8]) {
    let usec = crate::time::uptime_ns() / 1000;
    let added = without_interrupts(|| LOG.try_lock().map(|mut log| log.push(usec, level, facility, text)));
    if added.is_some() {
        ADDED.wake_all();
    }
}

/// Run `f` on the log, locked.
pub fn with<R>(f: impl FnOnce(&mut Log<SIZE>) -> R) -> R {
    without_interrupts(|| f(&mut LOG.lock()))
}

/// The queue woken by every new record.
pub fn added() -> &'static WaitQueue {
    &ADDED
}

/// Whether a record of `level` goes to the console too.
pub fn on_console(level: u8) -> bool {
    i32::from(level) < CONSOLE_LEVEL.load(Ordering::Relaxed)
}

/// syslog's CONSOLE_OFF: only emergencies reach the console until CONSOLE_ON.
pub fn console_off() {
    let level = CONSOLE_LEVEL.swap(MINIMUM_CONSOLE_LEVEL, Ordering::Relaxed);
    let _ = SAVED_CONSOLE_LEVEL.compare_exchange(NONE_SAVED, level, Ordering::Relaxed, Ordering::Relaxed);
}

/// syslog's CONSOLE_ON: the level before CONSOLE_OFF again.
pub fn console_on() {
    let saved = SAVED_CONSOLE_LEVEL.swap(NONE_SAVED, Ordering::Relaxed);
    if saved != NONE_SAVED {
        CONSOLE_LEVEL.store(saved, Ordering::Relaxed);
    }
}

/// syslog's CONSOLE_LEVEL: records below `level` (1 to 8) reach the console.
pub fn set_console_level(level: i32) {
    CONSOLE_LEVEL.store(level.max(MINIMUM_CONSOLE_LEVEL), Ordering::Relaxed);
    SAVED_CONSOLE_LEVEL.store(NONE_SAVED, Ordering::Relaxed);
}
