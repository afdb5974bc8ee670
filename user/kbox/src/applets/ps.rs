//! `ps [-efA]` (also BSD-style `ps aux`): lists every process from /proc, as procps
//! lays it out: `PID TTY TIME CMD`, or with `-f` (`u`) `UID PID PPID C STIME TTY TIME
//! CMD` and the whole command line. Works on Kestrel's /proc and on Linux's.
use std::ffi::OsString;
use std::fs;
use std::io::Write;
use std::os::unix::fs::MetadataExt;

use ulib::diag::report_error;

use crate::applets::uptime::parse_uptime;
use crate::cli;
use crate::clock;
use crate::fileinfo::major_minor;
use crate::users::Accounts;

const PROGRAM: &str = "ps";

pub const USAGE: &str = "Usage: ps [-efA] | ps [aux]
Report a snapshot of the processes (all of them: there is no selection).
  -e, -A, a, x   every process (the default here)
  -f, u          full format: user, parent, start time and the command line";

/// Linux reports process times in clock ticks of 1/100 s (USER_HZ) on x86-64.
const TICKS_PER_SECOND: u64 = 100;

/// What /proc/PID/stat says about a process.
#[derive(Debug, Default, PartialEq, Eq)]
struct Stat {
    pid: u32,
    command: String,
    parent: u32,
    tty: u64,
    /// User plus system time, in ticks.
    ticks: u64,
    /// When it started, in ticks after boot.
    start: u64,
}

/// Parses /proc/PID/stat: `pid (comm) state ppid pgrp session tty_nr ...` (the name
/// may hold spaces and parentheses: it ends at the last `)`).
fn parse_stat(text: &str) -> Option<Stat> {
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let fields: Vec<&str> = text.get(close + 1..)?.split_whitespace().collect();
    let number = |index: usize| -> Option<u64> { fields.get(index)?.parse().ok() };
    Some(Stat {
        pid: text[..open].trim().parse().ok()?,
        command: text[open + 1..close].to_owned(),
        parent: number(1)? as u32,
        tty: number(4)?,
        ticks: number(11)? + number(12)?,
        start: number(19).unwrap_or(0),
    })
}

/// The terminal's name for a tty_nr, as procps shows it (`?` for none).
fn tty_name(tty: u64) -> String {
    let (major, minor) = major_minor(tty);
    match (major, minor) {
        (0, _) => "?".into(),
        (4, 0..64) => format!("tty{minor}"),
        (4, _) => format!("ttyS{}", minor - 64),
        (5, 1) => "console".into(),
        (136..=143, _) => format!("pts/{}", (major - 136) * 256 + minor),
        _ => "?".into(),
    }
}

/// CPU time as procps's TIME: `HH:MM:SS`, with `D-` days in front when there are some.
fn cpu_time(ticks: u64) -> String {
    let seconds = ticks / TICKS_PER_SECOND;
    let (days, hours, minutes, seconds) = (seconds / 86_400, seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
    let clock = format!("{hours:02}:{minutes:02}:{seconds:02}");
    if days > 0 { format!("{days}-{clock}") } else { clock }
}

/// procps's STIME: the time if it started today, else the month and day, else the year.
fn start_time(started: i64, now: &clock::Civil) -> String {
    let start = clock::civil(started, 0);
    let format = match (start.year == now.year, start.yday == now.yday) {
        (true, true) => "%H:%M",
        (true, false) => "%b%d",
        (false, _) => "%Y",
    };
    clock::format(format, &start)
}

/// The command line from /proc/PID/cmdline (NUL-separated), or `[name]` without one.
fn command_line(raw: &[u8], name: &str) -> String {
    let words: Vec<String> = raw
        .split(|&byte| byte == 0)
        .filter(|word| !word.is_empty())
        .map(|word| String::from_utf8_lossy(word).into_owned())
        .collect();
    if words.is_empty() { format!("[{name}]") } else { words.join(" ") }
}

/// The effective uid from /proc/PID/status, else the owner of /proc/PID.
fn owner(pid: u32) -> u32 {
    let from_status = fs::read_to_string(format!("/proc/{pid}/status")).ok().and_then(|status| {
        let line = status.lines().find(|line| line.starts_with("Uid:"))?;
        line.split_whitespace().nth(2)?.parse().ok()
    });
    from_status.or_else(|| fs::metadata(format!("/proc/{pid}")).ok().map(|metadata| metadata.uid())).unwrap_or(0)
}

/// When the system booted (seconds since the epoch): /proc/stat's btime, else now
/// less /proc/uptime.
fn boot_time(now: i64) -> Option<i64> {
    let btime = fs::read_to_string("/proc/stat").ok().and_then(|stat| {
        stat.lines().find_map(|line| line.strip_prefix("btime ")).and_then(|value| value.trim().parse().ok())
    });
    btime.or_else(|| {
        let up = parse_uptime(&fs::read_to_string("/proc/uptime").ok()?)?;
        Some(now - up as i64)
    })
}

pub fn run(args: Vec<OsString>) -> u8 {
    let mut full = false;
    for arg in &args {
        let text = arg.to_string_lossy();
        let (letters, allowed) = match text.strip_prefix('-') {
            Some(letters) => (letters, "efA"),
            None => (&text[..], "aux"),
        };
        if let Some(bad) = letters.chars().find(|letter| !allowed.contains(*letter)) {
            return cli::usage_error(PROGRAM, format_args!("unsupported option (BSD syntax): {bad}"));
        }
        full |= letters.contains(['f', 'u']);
    }
    let entries = match fs::read_dir("/proc") {
        Ok(entries) => entries,
        Err(err) => {
            report_error(PROGRAM, "/proc", &err);
            return 1;
        }
    };
    let mut pids: Vec<u32> = entries.filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok()).collect();
    pids.sort_unstable();
    let now = clock::now();
    let boot = boot_time(now.epoch);
    let up = fs::read_to_string("/proc/uptime").ok().and_then(|text| parse_uptime(&text));
    let accounts = if full { Accounts::load() } else { Accounts::default() };
    let mut text =
        if full { "UID        PID  PPID  C STIME TTY          TIME CMD\n" } else { "  PID TTY          TIME CMD\n" }
            .to_owned();
    for pid in pids {
        // A process may end while ps looks at it: then it is left out.
        let Some(stat) = fs::read_to_string(format!("/proc/{pid}/stat")).ok().and_then(|text| parse_stat(&text)) else {
            continue;
        };
        let (tty, time) = (tty_name(stat.tty), cpu_time(stat.ticks));
        if !full {
            text.push_str(&format!("{:>5} {tty:<8} {time:>8} {}\n", stat.pid, stat.command));
            continue;
        }
        let user = accounts.user_or_number(owner(pid));
        let elapsed = up.map_or(0.0, |up| up - stat.start as f64 / TICKS_PER_SECOND as f64);
        let cpu = if elapsed > 0.0 {
            (stat.ticks as f64 / TICKS_PER_SECOND as f64 * 100.0 / elapsed).min(99.0) as u32
        } else {
            0
        };
        let started =
            boot.map_or_else(|| "?".into(), |boot| start_time(boot + (stat.start / TICKS_PER_SECOND) as i64, &now));
        let command = command_line(&fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default(), &stat.command);
        text.push_str(&format!(
            "{user:<8} {:>5} {:>5} {cpu:>2} {started:>5} {tty:<8} {time:>8} {command}\n",
            stat.pid, stat.parent
        ));
    }
    let mut out = cli::stdout();
    let result = out.write_all(text.as_bytes()).map(|()| 0);
    cli::finish(PROGRAM, out, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_lines() {
        let line = "13668 (cat) R 13657 13657 5051 34817 -1 4194304 101 0 0 0 7 3 0 0 20 0 1 0 368639 3133440";
        let stat = parse_stat(line).unwrap();
        assert_eq!(
            stat,
            Stat { pid: 13668, command: "cat".into(), parent: 13657, tty: 34817, ticks: 10, start: 368_639 }
        );
        let odd = parse_stat("7 (a (b) c) S 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5").unwrap();
        assert_eq!(odd.command, "a (b) c");
        assert_eq!(parse_stat("garbage"), None);
    }

    #[test]
    fn terminals_and_times() {
        assert_eq!(tty_name(0), "?");
        assert_eq!(tty_name(34817), "pts/1");
        assert_eq!(tty_name(0x0401), "tty1");
        assert_eq!(tty_name(0x0440), "ttyS0");
        assert_eq!(tty_name(0x0501), "console");
        assert_eq!(cpu_time(1000), "00:00:10");
        assert_eq!(cpu_time(100 * (86_400 + 3661)), "1-01:01:01");
    }

    #[test]
    fn start_times() {
        let now = clock::civil(1_795_305_328, 0); // Sat Nov 21 23:55:28 2026
        assert_eq!(start_time(1_795_305_328 - 3600, &now), "22:55");
        assert_eq!(start_time(1_795_305_328 - 86_400, &now), "Nov20");
        assert_eq!(start_time(0, &now), "1970");
    }

    #[test]
    fn command_lines() {
        assert_eq!(command_line(b"/bin/sh\0-c\0echo hi\0", "sh"), "/bin/sh -c echo hi");
        assert_eq!(command_line(b"", "kthreadd"), "[kthreadd]");
    }

    #[test]
    fn this_process_is_listed() {
        let stat = parse_stat(&fs::read_to_string("/proc/self/stat").unwrap()).unwrap();
        assert_eq!(stat.pid, std::process::id());
        assert!(boot_time(clock::now().epoch).is_some());
    }
}
