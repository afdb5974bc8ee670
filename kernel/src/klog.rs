//! The kernel log: `log` records printed on the console with the time since boot
//! and the level, e.g. `[    1.042] INFO  memory: 126 MiB usable`.
use log::{Level, LevelFilter, Log, Metadata, Record};

struct KernelLog;

static LOGGER: KernelLog = KernelLog;

impl Log for KernelLog {
    fn enabled(&self, metadata: &Metadata) -> bool {
        metadata.level() <= Level::Info
    }

    fn log(&self, record: &Record) {
        if self.enabled(record.metadata()) {
            let ms = crate::time::uptime_ms();
            crate::console::write_fmt(format_args!(
                "[{:>5}.{:03}] {:<5} {}\n",
                ms / 1000,
                ms % 1000,
                record.level(),
                record.args()
            ));
        }
    }

    fn flush(&self) {}
}

pub fn init() {
    // set_logger fails only if a logger is already set: then that one stays.
    let _ = log::set_logger(&LOGGER);
    log::set_max_level(LevelFilter::Info);
}
