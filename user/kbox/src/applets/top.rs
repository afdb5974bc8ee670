//! `top [-b] [-n N] [-d SECS]`: a live view of the system from /proc, as procps's
//! top lays it out: the time, uptime and load; tasks by state; CPU use from
//! /proc/stat's deltas; memory from /proc/meminfo; then the processes by %CPU
//! (`PID USER PR NI VIRT RES SHR S %CPU %MEM TIME+ COMMAND`). It refreshes every
//! 3 s (`-d`) until `q` (the terminal in raw mode meanwhile, put back on exit,
//! Ctrl-C or SIGTERM), fitting the terminal; `-b` writes plain frames, `-n` stops
//! after N.
use std::collections::HashMap;
use std::ffi::OsString;
use std::fs;
use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::os::unix::fs::MetadataExt;
use std::time::{Duration, Instant};

use ulib::args::Spec;
use ulib::diag::{quoted, report_error};
use ulib::jobctl::{Disposition, set_disposition, take_caught};

use crate::applets::free::meminfo;
use crate::applets::ps::{Stat, read_stat};
use crate::applets::uptime::{load_averages, parse_uptime, up_text};
use crate::cli;
use crate::clock;
use crate::tty::RawMode;
use crate::users::Accounts;

const PROGRAM: &str = "top";

pub const USAGE: &str = "Usage: top [-b] [-n N] [-d SECS]
Display the processes, busiest first, refreshed every few seconds.
  -b        batch mode: plain frames, no keyboard (for logs and pipes)
  -d SECS   the delay between frames (default 3)
  -n N      stop after N frames
Keys: q (or Ctrl-C) quits.";

const SPEC: Spec = Spec { flags: "b", valued: "dn", ..Spec::NONE };

/// Ticks of /proc's times per second (USER_HZ).
const TICKS_PER_SECOND: f64 = 100.0;

/// What one look at /proc found.
#[derive(Debug, Default)]
struct Snapshot {
    processes: Vec<(Stat, u32)>,
    /// /proc/stat's `cpu` line: user, nice, system, idle, iowait, irq, softirq, steal.
    cpu: [u64; 8],
    taken: Option<Instant>,
}

/// /proc/stat's first line's eight counters.
fn parse_cpu(text: &str) -> [u64; 8] {
    let mut counters = [0; 8];
    if let Some(line) = text.lines().find(|line| line.starts_with("cpu ")) {
        for (slot, field) in counters.iter_mut().zip(line.split_whitespace().skip(1)) {
            *slot = field.parse().unwrap_or(0);
        }
    }
    counters
}

/// The owner of process `pid`: /proc/PID/status's real uid, else the directory's.
fn owner(pid: u32) -> u32 {
    let from_status = fs::read_to_string(format!("/proc/{pid}/status")).ok().and_then(|text| {
        let line = text.lines().find(|line| line.starts_with("Uid:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    });
    from_status.or_else(|| fs::metadata(format!("/proc/{pid}")).ok().map(|metadata| metadata.uid())).unwrap_or(0)
}

fn snapshot() -> Snapshot {
    let mut processes: Vec<(Stat, u32)> = fs::read_dir("/proc")
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
                .filter_map(|pid| Some((read_stat(&format!("/proc/{pid}/stat"))?, owner(pid))))
                .collect()
        })
        .unwrap_or_default();
    processes.sort_by_key(|(stat, _)| stat.pid);
    let cpu = fs::read_to_string("/proc/stat").map(|text| parse_cpu(&text)).unwrap_or_default();
    Snapshot { processes, cpu, taken: Some(Instant::now()) }
}

/// `%Cpu(s)` from two readings of /proc/stat.
fn cpu_line(before: &[u64; 8], after: &[u64; 8]) -> String {
    let deltas: Vec<u64> = after.iter().zip(before).map(|(now, then)| now.saturating_sub(*then)).collect();
    let total: u64 = deltas.iter().sum();
    let share = |index: usize| {
        if total == 0 { if index == 3 { 100.0 } else { 0.0 } } else { deltas[index] as f64 * 100.0 / total as f64 }
    };
    format!(
        "%Cpu(s): {:4.1} us, {:4.1} sy, {:4.1} ni,{:5.1} id, {:4.1} wa, {:4.1} hi, {:4.1} si, {:4.1} st",
        share(0),
        share(2),
        share(1),
        share(3),
        share(4),
        share(5),
        share(6),
        share(7)
    )
}

/// The memory lines, from /proc/meminfo's text.
fn memory_lines(text: &str) -> (String, u64) {
    let info = meminfo(text);
    let get = |name: &str| info.get(name).copied().unwrap_or(0);
    let total = get("MemTotal");
    let cache = get("Buffers") + get("Cached") + get("SReclaimable");
    let free = get("MemFree");
    let available = info.get("MemAvailable").copied().unwrap_or(free + cache).min(total);
    let used = total.saturating_sub(free + cache);
    let mib = |kib: u64| kib as f64 / 1024.0;
    let (swap_total, swap_free) = (get("SwapTotal"), get("SwapFree"));
    let lines = format!(
        "MiB Mem : {:8.1} total, {:8.1} free, {:8.1} used, {:8.1} buff/cache\nMiB Swap: {:8.1} total, {:8.1} free, {:8.1} used. {:8.1} avail Mem",
        mib(total),
        mib(free),
        mib(used),
        mib(cache),
        mib(swap_total),
        mib(swap_free),
        mib(swap_total.saturating_sub(swap_free)),
        mib(available)
    );
    (lines, total)
}

/// `TIME+`: minutes:seconds.hundredths of `ticks`.
fn time_plus(ticks: u64) -> String {
    format!("{}:{:02}.{:02}", ticks / 6000, ticks / 100 % 60, ticks % 100)
}

/// One process line; `cpu` in percent.
fn process_line(stat: &Stat, user: &str, cpu: f64, memory_total: u64) -> String {
    let resident = stat.resident * 4;
    let memory = if memory_total == 0 { 0.0 } else { resident as f64 * 100.0 / memory_total as f64 };
    let priority = if stat.priority < -99 { "rt".to_owned() } else { stat.priority.to_string() };
    format!(
        "{:>7} {:<8.8} {:>3} {:>3} {:>7} {:>6} {:>6} {} {:>5.1} {:>5.1} {:>9} {}",
        stat.pid,
        user,
        priority,
        stat.nice,
        stat.virtual_size / 1024,
        resident,
        0,
        stat.state,
        cpu,
        memory,
        time_plus(stat.ticks),
        stat.command
    )
}

/// A whole frame: the header and as many processes as `rows` allows (all without
/// a limit), each line cut to `columns`.
fn frame(before: &Snapshot, after: &Snapshot, accounts: &Accounts, size: Option<(usize, usize)>) -> String {
    let now = clock::now();
    let up = fs::read_to_string("/proc/uptime").ok().and_then(|text| parse_uptime(&text)).unwrap_or(0.0);
    let mut first = format!("top - {} up {}", clock::format("%H:%M:%S", &now), up_text(up as u64));
    if let Some(loads) = fs::read_to_string("/proc/loadavg").ok().and_then(|text| load_averages(&text)) {
        first.push_str(&format!(",  {loads}"));
    }
    let count = |states: &str| after.processes.iter().filter(|(stat, _)| states.contains(stat.state)).count();
    let tasks = format!(
        "Tasks: {:>3} total, {:>3} running, {:>3} sleeping, {:>3} stopped, {:>3} zombie",
        after.processes.len(),
        count("R"),
        count("SDI"),
        count("Tt"),
        count("Z")
    );
    let (memory, memory_total) = memory_lines(&fs::read_to_string("/proc/meminfo").unwrap_or_default());
    let elapsed = match (before.taken, after.taken) {
        (Some(then), Some(now)) => now.duration_since(then).as_secs_f64(),
        _ => 0.0,
    };
    let earlier: HashMap<u32, u64> = before.processes.iter().map(|(stat, _)| (stat.pid, stat.ticks)).collect();
    let mut rows: Vec<(f64, &Stat, u32)> = after
        .processes
        .iter()
        .map(|(stat, uid)| {
            let ticks = stat.ticks.saturating_sub(earlier.get(&stat.pid).copied().unwrap_or(stat.ticks));
            let cpu = if elapsed > 0.0 { ticks as f64 / TICKS_PER_SECOND / elapsed * 100.0 } else { 0.0 };
            (cpu, stat, *uid)
        })
        .collect();
    rows.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.pid.cmp(&b.1.pid)));
    let mut lines = vec![first, tasks, cpu_line(&before.cpu, &after.cpu)];
    lines.extend(memory.lines().map(str::to_owned));
    lines.extend([
        String::new(),
        "    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND".to_owned(),
    ]);
    let room = size.map_or(usize::MAX, |(height, _)| height.saturating_sub(lines.len() + 1));
    lines.extend(
        rows.iter()
            .take(room)
            .map(|(cpu, stat, uid)| process_line(stat, &accounts.user_or_number(*uid), *cpu, memory_total)),
    );
    let lines = lines.join("\n");
    let mut text = String::new();
    for line in lines.split('\n') {
        match size {
            Some((_, width)) => text.extend(line.chars().take(width)),
            None => text.push_str(line),
        }
        text.push('\n');
    }
    text
}

/// Waits up to `delay` for a key on the terminal: whether to quit.
fn quit_within(delay: Duration) -> bool {
    let deadline = Instant::now() + delay;
    loop {
        if take_caught(libc::SIGTERM) || take_caught(libc::SIGINT) || take_caught(libc::SIGHUP) {
            return true;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        if ulib::term::input_within(io::stdin().as_fd(), left.min(Duration::from_millis(250))) {
            let mut key = [0u8; 1];
            if io::stdin().lock().read(&mut key).is_ok_and(|read| read == 1) && matches!(key[0], b'q' | 3 | 4) {
                return true;
            }
        }
    }
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse_without_operands(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let delay =
        match command_line.value('d').map(|text| (text, text.to_str().and_then(|text| text.parse::<f64>().ok()))) {
            None => 3.0,
            Some((_, Some(seconds))) if seconds >= 0.0 && seconds.is_finite() => seconds,
            Some((text, _)) => {
                return cli::usage_error(PROGRAM, format_args!("bad delay interval {}", quoted(text.display())));
            }
        };
    let frames =
        match command_line.value('n').map(|text| (text, text.to_str().and_then(|text| text.parse::<u64>().ok()))) {
            None => u64::MAX,
            Some((_, Some(frames))) => frames.max(1),
            Some((text, None)) => {
                return cli::usage_error(PROGRAM, format_args!("bad iterations argument {}", quoted(text.display())));
            }
        };
    let batch = command_line.has('b');
    let stdin = io::stdin();
    let raw = if batch {
        None
    } else {
        match RawMode::enter(stdin.as_fd()) {
            Ok(raw) => Some(raw),
            Err(err) => {
                report_error(PROGRAM, "failed tty get", &err);
                return 1;
            }
        }
    };
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        let _ = set_disposition(signal, Disposition::Catch);
    }
    let accounts = Accounts::load();
    let mut before = snapshot();
    // The first frame's %CPU comes from a short look, as procps's does.
    std::thread::sleep(Duration::from_millis(200));
    let mut out = io::stdout().lock();
    let mut status = 0;
    for shown in 0..frames {
        let after = snapshot();
        let size = if batch { None } else { ulib::term::window_size(io::stdout()) };
        let mut text = frame(&before, &after, &accounts, size);
        if batch {
            text.push('\n');
        } else {
            text.insert_str(0, "\x1b[H\x1b[2J");
        }
        if let Err(err) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            status = cli::write_failed(PROGRAM, &err);
            break;
        }
        before = after;
        if shown + 1 == frames {
            break;
        }
        let pause = Duration::from_secs_f64(delay);
        if batch {
            std::thread::sleep(pause);
            if take_caught(libc::SIGTERM) || take_caught(libc::SIGINT) || take_caught(libc::SIGHUP) {
                break;
            }
        } else if quit_within(pause) {
            break;
        }
    }
    drop(raw);
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_shares() {
        let before = [100, 0, 50, 800, 0, 0, 0, 0];
        let after = [130, 0, 60, 860, 0, 0, 0, 0];
        assert_eq!(
            cpu_line(&before, &after),
            "%Cpu(s): 30.0 us, 10.0 sy,  0.0 ni, 60.0 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st"
        );
        assert!(cpu_line(&before, &before).contains("100.0 id"));
        assert_eq!(parse_cpu("cpu  1 2 3 4 5 6 7 8 9 10\ncpu0 1 2 3 4\n"), [1, 2, 3, 4, 5, 6, 7, 8]);
    }

    #[test]
    fn memory() {
        let (lines, total) = memory_lines("MemTotal: 2048 kB\nMemFree: 1024 kB\nCached: 512 kB\n");
        assert_eq!(total, 2048);
        assert_eq!(
            lines,
            "MiB Mem :      2.0 total,      1.0 free,      0.5 used,      0.5 buff/cache\nMiB Swap:      0.0 total,      0.0 free,      0.0 used.      1.5 avail Mem"
        );
    }

    #[test]
    fn process_lines() {
        let stat = Stat {
            pid: 42,
            command: "sh".into(),
            state: 'S',
            ticks: 12_345,
            priority: 20,
            virtual_size: 4 << 20,
            resident: 256,
            ..Stat::default()
        };
        assert_eq!(
            process_line(&stat, "root", 12.5, 2048),
            "     42 root      20   0    4096   1024      0 S  12.5  50.0   2:03.45 sh"
        );
        assert_eq!(time_plus(0), "0:00.00");
    }
}
