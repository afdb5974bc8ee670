//! The kernel log: `log` records (and lines written to /dev/kmsg) go to the log
//! buffer (`logbuf`: Error is level 3, Warn 4, Info 6, Debug and Trace 7) and,
//! when their level is below the console level, to the console with the time
//! since boot and the level, e.g. `[    1.042] INFO  memory: 126 MiB usable`.
//!
//! Warnings (what programs can make the kernel say: unknown system calls, faults,
//! bad signal frames) are rate-limited per call site, as Linux's printk_ratelimit:
//! at most `BURST` in a `WINDOW_MS` window, then a line says how many were
//! suppressed.
use core::fmt::{self, Write};

use log::{Level, LevelFilter, Log, Metadata, Record};
use logring::TEXT_MAX;
use spin::Mutex;

use crate::arch::cpu::without_interrupts;

/// Warnings a call site may print per window.
const BURST: u32 = 10;
const WINDOW_MS: u64 = 5000;
/// Call sites tracked at once (a site whose slot another takes starts afresh).
const SITES: usize = 64;

#[derive(Clone, Copy)]
struct Site {
    /// Which call site: file and line, hashed.
    key: u64,
    window_start: u64,
    printed: u32,
    suppressed: u32,
}

static RATE: Mutex<[Site; SITES]> = Mutex::new([Site { key: 0, window_start: 0, printed: 0, suppressed: 0 }; SITES]);

/// What to do with a warning from `key` at `now`: print it (after a note of how
/// many from the site were suppressed in the last window, if any) or drop it.
fn admit(key: u64, now: u64) -> Option<u32> {
    without_interrupts(|| {
        // A log line from inside a log line (a fault while printing) is not limited.
        let Some(mut sites) = RATE.try_lock() else { return Some(0) };
        let site = &mut sites[(key % SITES as u64) as usize];
        if site.key != key || now.saturating_sub(site.window_start) >= WINDOW_MS {
            let suppressed = if site.key == key { site.suppressed } else { 0 };
            *site = Site { key, window_start: now, printed: 1, suppressed: 0 };
            return Some(suppressed);
        }
        if site.printed < BURST {
            site.printed += 1;
            Some(0)
        } else {
            site.suppressed += 1;
            None
        }
    })
}

/// The call site of a record, as a number.
fn site_key(record: &Record) -> u64 {
    let file = record
        .file()
        .unwrap_or("")
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    (file ^ u64::from(record.line().unwrap_or(0))).max(1)
}

/// Linux's level of a `log` level.
fn level_number(level: Level) -> u8 {
    match level {
        Level::Error => 3,
        Level::Warn => 4,
        Level::Info => 6,
        Level::Debug | Level::Trace => 7,
    }
}

/// A level's name on the console.
const CONSOLE_NAMES: [&str; 8] = ["EMERG", "ALERT", "CRIT", "ERROR", "WARN", "NOTICE", "INFO", "DEBUG"];

/// A record's text made without the heap (a record may come from anywhere),
/// cut at the longest a record keeps.
struct Text {
    bytes: [u8; TEXT_MAX],
    len: usize,
}

impl Write for Text {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let take = s.len().min(TEXT_MAX - self.len);
        self.bytes[self.len..self.len + take].copy_from_slice(&s.as_bytes()[..take]);
        self.len += take;
        Ok(())
    }
}

/// Log a record: into the buffer, and on the console if its level is shown there.
pub fn emit(level: u8, facility: u8, text: &[u8]) {
    crate::logbuf::add(level, facility, text);
    if crate::logbuf::on_console(level) {
        let ms = crate::time::uptime_ms();
        let name = CONSOLE_NAMES[usize::from(level & 7)];
        crate::console::write_fmt(format_args!("[{:>5}.{:03}] {name:<5} {}\n", ms / 1000, ms % 1000, Shown(text)));
    }
}

/// A record's text on the console: UTF-8, with U+FFFD for bytes that are not.
struct Shown<'a>(&'a [u8]);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.0.utf8_chunks() {
            f.write_str(chunk.valid())?;
            if !chunk.invalid().is_empty() {
                f.write_char(char::REPLACEMENT_CHARACTER)?;
            }
        }
        Ok(())
    }
}

/// A kernel record of `level` with the text `args`.
fn emit_kernel(level: Level, args: fmt::Arguments) {
    let mut text = Text { bytes: [0; TEXT_MAX], len: 0 };
    let _ = text.write_fmt(args);
    emit(level_number(level), 0, &text.bytes[..text.len]);
}

struct KernelLog;

static LOGGER: KernelLog = KernelLog;

impl Log for KernelLog {
    fn enabled(&self, metadata: &Metadata) -> bool {
        metadata.level() <= Level::Debug
    }

    fn log(&self, record: &Record) {
        if self.enabled(record.metadata()) {
            if record.level() == Level::Warn {
                match admit(site_key(record), crate::time::uptime_ms()) {
                    None => return,
                    Some(0) => {}
                    Some(suppressed) => {
                        emit_kernel(Level::Warn, format_args!("{suppressed} messages like the next one suppressed"))
                    }
                }
            }
            emit_kernel(record.level(), *record.args());
        }
    }

    fn flush(&self) {}
}

pub fn init() {
    // set_logger fails only if a logger is already set: then that one stays.
    let _ = log::set_logger(&LOGGER);
    // Debug records go to the buffer (dmesg) but not, at the default console level,
    // to the console.
    log::set_max_level(LevelFilter::Debug);
}
