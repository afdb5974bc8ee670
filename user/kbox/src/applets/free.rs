//! `free [-bkmgh]`: memory and swap use from /proc/meminfo, as procps-ng 4 shows it
//! (used = total - available), in KiB by default.
use std::collections::HashMap;
use std::ffi::OsString;
use std::fs;
use std::io::Write;

use ulib::args::Spec;
use ulib::diag::report_error;

use crate::cli;

const PROGRAM: &str = "free";

pub const USAGE: &str = "Usage: free [options]
Display the amount of free and used memory in the system.
  -b   show output in bytes
  -k   show output in kibibytes (the default)
  -m   show output in mebibytes
  -g   show output in gibibytes
  -h   show human-readable output";

const SPEC: Spec = Spec { flags: "bkmgh", ..Spec::NONE };

/// /proc/meminfo's values, in KiB.
pub(crate) fn meminfo(text: &str) -> HashMap<&str, u64> {
    text.lines()
        .filter_map(|line| {
            let (name, rest) = line.split_once(':')?;
            Some((name, rest.split_whitespace().next()?.parse().ok()?))
        })
        .collect()
}

/// How values are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Bytes,
    Shift(u32),
    Human,
}

/// A value in KiB, in `unit`.
fn show(kib: u64, unit: Unit) -> String {
    match unit {
        Unit::Bytes => (kib * 1024).to_string(),
        Unit::Shift(shift) => (kib >> shift).to_string(),
        Unit::Human => {
            let bytes = kib * 1024;
            if bytes < 1024 {
                return format!("{bytes}B");
            }
            let mut value = bytes as f64;
            for unit in ["Ki", "Mi", "Gi", "Ti", "Pi"] {
                value /= 1024.0;
                if value < 1024.0 {
                    return if value < 10.0 { format!("{value:.1}{unit}") } else { format!("{}{unit}", value.floor()) };
                }
            }
            format!("{}Ei", (value / 1024.0).floor())
        }
    }
}

/// The table free prints.
fn table(info: &HashMap<&str, u64>, unit: Unit) -> String {
    let get = |name: &str| info.get(name).copied().unwrap_or(0);
    let total = get("MemTotal");
    let cache = get("Buffers") + get("Cached") + get("SReclaimable");
    let available = info.get("MemAvailable").copied().unwrap_or_else(|| get("MemFree") + cache).min(total);
    let row = |label: &str, values: &[u64]| {
        let mut line = format!("{label:<8}");
        for value in values {
            line.push_str(&format!(" {:>11}", show(*value, unit)));
        }
        line.push('\n');
        line
    };
    let (swap_total, swap_free) = (get("SwapTotal"), get("SwapFree"));
    format!(
        "{:<8} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11}\n{}{}",
        "",
        "total",
        "used",
        "free",
        "shared",
        "buff/cache",
        "available",
        row("Mem:", &[total, total - available, get("MemFree"), get("Shmem"), cache, available]),
        row("Swap:", &[swap_total, swap_total.saturating_sub(swap_free), swap_free]),
    )
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let unit = match command_line.last_of("bkmgh") {
        Some('b') => Unit::Bytes,
        Some('m') => Unit::Shift(10),
        Some('g') => Unit::Shift(20),
        Some('h') => Unit::Human,
        _ => Unit::Shift(0),
    };
    let text = match fs::read_to_string("/proc/meminfo") {
        Ok(text) => text,
        Err(err) => {
            report_error(PROGRAM, "/proc/meminfo", &err);
            return 1;
        }
    };
    let mut out = cli::stdout();
    let result = out.write_all(table(&meminfo(&text), unit).as_bytes()).map(|()| 0);
    cli::finish(PROGRAM, out, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEMINFO: &str = "MemTotal:       24684084 kB\nMemFree:        18399884 kB\nMemAvailable:   23523660 kB\n\
Buffers:           79204 kB\nCached:          5084192 kB\nSwapTotal:             0 kB\nSwapFree:              0 kB\n\
Shmem:              8872 kB\nSReclaimable:     280092 kB\n";

    #[test]
    fn the_table() {
        let info = meminfo(MEMINFO);
        assert_eq!(
            table(&info, Unit::Shift(0)),
            "               total        used        free      shared  buff/cache   available\n\
Mem:        24684084     1160424    18399884        8872     5443488    23523660\n\
Swap:              0           0           0\n"
        );
    }

    #[test]
    fn units() {
        assert_eq!(show(24_684_084, Unit::Human), "23Gi");
        assert_eq!(show(647_928, Unit::Human), "632Mi");
        assert_eq!(show(8872, Unit::Human), "8.7Mi");
        assert_eq!(show(0, Unit::Human), "0B");
        assert_eq!(show(24_684_084, Unit::Shift(10)), "24105");
        assert_eq!(show(2, Unit::Bytes), "2048");
    }
}
