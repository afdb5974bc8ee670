//! `ps [-efAT]` (also BSD-style `ps aux`): lists every process from /proc, as procps
//! lays it out: `PID TTY TIME CMD`, or with `-f` (`u`) `UID PID PPID C STIME TTY TIME
//! CMD` and the whole command line; with `-T`, one line per thread (from
//! /proc/PID/task/TID/stat and comm) with its thread id in an `SPID` column after
//! `PID`, its own times (the leader's line has the whole process's, as procps's
//! does), and its name as the short format's CMD. Works on Kestrel's /proc and on
//! Linux's.
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

pub const USAGE: &str = "Usage: ps [-efAT] | ps [aux]
Report a snapshot of the processes (all of them: there is no selection).
  -e, -A, a, x   every process (the default here)
  -f, u          full format: user, parent, start time and the command line
  -T             every thread: one line each, its thread id under SPID and
                 (without -f) its name under CMD";

/// Linux reports process times in clock ticks of 1/100 s (USER_HZ) on x86-64.
const TICKS_PER_SECOND: u64 = 100;

/// What /proc/PID/stat says about a process (or /proc/PID/task/TID/stat about a
/// thread: then `pid` is the thread id and `command` the thread's name).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Stat {
    pub pid: u32,
    pub command: String,
    /// Its state letter: `R`, `S`, `D`, `T`, `Z`, ...
    pub state: char,
    pub parent: u32,
    pub tty: u64,
    /// User plus system time, in ticks.
    pub ticks: u64,
    pub priority: i64,
    pub nice: i64,
    /// When it started, in ticks after boot.
    pub start: u64,
    /// Its virtual size in bytes and resident set in pages.
    pub virtual_size: u64,
    pub resident: u64,
}

/// Parses /proc/PID/stat: `pid (comm) state ppid pgrp session tty_nr ...` (the name
/// may hold spaces and parentheses: it ends at the last `)`).
pub(crate) fn parse_stat(text: &str) -> Option<Stat> {
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let fields: Vec<&str> = text.get(close + 1..)?.split_whitespace().collect();
    let number = |index: usize| -> Option<u64> { fields.get(index)?.parse().ok() };
    let signed = |index: usize| -> i64 { fields.get(index).and_then(|field| field.parse().ok()).unwrap_or(0) };
    Some(Stat {
        pid: text[..open].trim().parse().ok()?,
        command: text[open + 1..close].to_owned(),
        state: fields.first()?.chars().next()?,
        parent: number(1)? as u32,
        tty: number(4)?,
        ticks: number(11)? + number(12)?,
        priority: signed(15),
        nice: signed(16),
        start: number(19).unwrap_or(0),
        virtual_size: number(20).unwrap_or(0),
        resident: number(21).unwrap_or(0),
    })
}

/// The stat file at `path`, parsed; None when it cannot be read (the process or
/// thread has ended) or parsed.
pub(crate) fn read_stat(path: &str) -> Option<Stat> {
    parse_stat(&fs::read_to_string(path).ok()?)
}

/// A thread's name from its comm file (which ends in a newline); None when empty.
fn thread_name(comm: &str) -> Option<String> {
    let name = comm.strip_suffix('\n').unwrap_or(comm);
    (!name.is_empty()).then(|| name.to_owned())
}

/// The threads of process `pid` (whose stat is `process`), by thread id: each one's
/// /proc/PID/task/TID/stat, named as its comm file says; the leader's (TID = PID)
/// is the process's own stat, as procps shows it, so its times are the whole
/// process's. Threads that end meanwhile are left out; without a readable task
/// directory the process is its only thread.
fn threads(pid: u32, process: &Stat) -> Vec<Stat> {
    let Ok(entries) = fs::read_dir(format!("/proc/{pid}/task")) else {
        return vec![process.clone()];
    };
    let mut tids: Vec<u32> = entries.filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok()).collect();
    tids.sort_unstable();
    tids.into_iter()
        .filter_map(|tid| {
            let mut stat =
                if tid == pid { process.clone() } else { read_stat(&format!("/proc/{pid}/task/{tid}/stat"))? };
            if let Some(name) =
                fs::read_to_string(format!("/proc/{pid}/task/{tid}/comm")).ok().and_then(|comm| thread_name(&comm))
            {
                stat.command = name;
            }
            Some(stat)
        })
        .collect()
}

/// What the command line asks for.
#[derive(Debug, Default, PartialEq, Eq)]
struct Options {
    /// `-f` or `u`: the full format.
    full: bool,
    /// `-T`: a line per thread.
    threads: bool,
}

/// The options in `args`: dash letters from `efAT`, or BSD letters from `aux`
/// (without a dash); the first letter of neither is the error.
fn parse_options<'a>(args: impl IntoIterator<Item = &'a str>) -> Result<Options, char> {
    let mut options = Options::default();
    for arg in args {
        let (letters, allowed) = match arg.strip_prefix('-') {
            Some(letters) => (letters, "efAT"),
            None => (arg, "aux"),
        };
        if let Some(bad) = letters.chars().find(|letter| !allowed.contains(*letter)) {
            return Err(bad);
        }
        options.full |= letters.contains(['f', 'u']);
        options.threads |= letters.contains('T');
    }
    Ok(options)
}

/// The heading line: procps's columns, with SPID after PID for threads.
fn heading(options: &Options) -> &'static str {
    match (options.full, options.threads) {
        (false, false) => "  PID TTY          TIME CMD\n",
        (false, true) => "  PID  SPID TTY          TIME CMD\n",
        (true, false) => "UID        PID  PPID  C STIME TTY          TIME CMD\n",
        (true, true) => "UID        PID  SPID  PPID  C STIME TTY          TIME CMD\n",
    }
}

/// The PID column, and the SPID column when the line is a thread's.
fn ids(pid: u32, thread: Option<u32>) -> String {
    match thread {
        Some(tid) => format!("{pid:>5} {tid:>5}"),
        None => format!("{pid:>5}"),
    }
}

/// A line of the short format: `PID [SPID] TTY TIME CMD`.
fn short_line(pid: u32, thread: Option<u32>, tty: &str, time: &str, command: &str) -> String {
    format!("{} {tty:<8} {time:>8} {command}\n", ids(pid, thread))
}

/// The full format's own columns: UID before the IDs, PPID, C and STIME after them
/// (TTY, TIME and CMD it shares with the short format).
#[derive(Debug)]
struct Full<'a> {
    user: &'a str,
    parent: u32,
    /// CPU use in percent.
    cpu: u32,
    started: &'a str,
}

/// A line of the full format: `UID PID [SPID] PPID C STIME TTY TIME CMD`.
fn full_line(pid: u32, thread: Option<u32>, full: &Full<'_>, tty: &str, time: &str, command: &str) -> String {
    let Full { user, parent, cpu, started } = full;
    format!("{user:<8} {} {parent:>5} {cpu:>2} {started:>5} {tty:<8} {time:>8} {command}\n", ids(pid, thread))
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
    let texts: Vec<_> = args.iter().map(|arg| arg.to_string_lossy()).collect();
    let options = match parse_options(texts.iter().map(|text| &text[..])) {
        Ok(options) => options,
        Err(bad) => return cli::usage_error(PROGRAM, format_args!("unsupported option (BSD syntax): {bad}")),
    };
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
    let accounts = if options.full { Accounts::load() } else { Accounts::default() };
    let mut text = heading(&options).to_owned();
    for pid in pids {
        // A process may end while ps looks at it: then it is left out.
        let Some(process) = read_stat(&format!("/proc/{pid}/stat")) else {
            continue;
        };
        let lines = if options.threads { threads(pid, &process) } else { vec![process.clone()] };
        let full = options.full.then(|| {
            let command = command_line(&fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default(), &process.command);
            (accounts.user_or_number(owner(pid)), command)
        });
        for stat in lines {
            let thread = options.threads.then_some(stat.pid);
            let (tty, time) = (tty_name(stat.tty), cpu_time(stat.ticks));
            let Some((user, command)) = &full else {
                text.push_str(&short_line(process.pid, thread, &tty, &time, &stat.command));
                continue;
            };
            let elapsed = up.map_or(0.0, |up| up - stat.start as f64 / TICKS_PER_SECOND as f64);
            let cpu = if elapsed > 0.0 {
                (stat.ticks as f64 / TICKS_PER_SECOND as f64 * 100.0 / elapsed).min(99.0) as u32
            } else {
                0
            };
            let started =
                boot.map_or_else(|| "?".into(), |boot| start_time(boot + (stat.start / TICKS_PER_SECOND) as i64, &now));
            let columns = Full { user, parent: process.parent, cpu, started: &started };
            text.push_str(&full_line(process.pid, thread, &columns, &tty, &time, command));
        }
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
            Stat {
                pid: 13668,
                command: "cat".into(),
                state: 'R',
                parent: 13657,
                tty: 34817,
                ticks: 10,
                priority: 20,
                nice: 0,
                start: 368_639,
                virtual_size: 3_133_440,
                resident: 0,
            }
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
    fn options() {
        let parse = |args: &[&str]| parse_options(args.iter().copied());
        assert_eq!(parse(&[]), Ok(Options::default()));
        assert_eq!(parse(&["-e"]), Ok(Options::default()));
        assert_eq!(parse(&["aux"]), Ok(Options { full: true, threads: false }));
        assert_eq!(parse(&["-T"]), Ok(Options { full: false, threads: true }));
        assert_eq!(parse(&["-efT"]), Ok(Options { full: true, threads: true }));
        assert_eq!(parse(&["-T", "-f"]), Ok(Options { full: true, threads: true }));
        assert_eq!(parse(&["-x"]), Err('x'));
        assert_eq!(parse(&["T"]), Err('T'));
    }

    #[test]
    fn headings_and_lines() {
        let short = Options::default();
        let threads = Options { full: false, threads: true };
        assert_eq!(heading(&short), "  PID TTY          TIME CMD\n");
        assert_eq!(heading(&threads), "  PID  SPID TTY          TIME CMD\n");
        assert_eq!(
            heading(&Options { full: true, threads: false }),
            "UID        PID  PPID  C STIME TTY          TIME CMD\n"
        );
        assert_eq!(
            heading(&Options { full: true, threads: true }),
            "UID        PID  SPID  PPID  C STIME TTY          TIME CMD\n"
        );
        assert_eq!(short_line(42, None, "ttyS0", "00:00:01", "sh"), "   42 ttyS0    00:00:01 sh\n");
        assert_eq!(short_line(42, Some(43), "?", "00:00:00", "worker"), "   42    43 ?        00:00:00 worker\n");
        let full = Full { user: "root", parent: 1, cpu: 3, started: "10:05" };
        assert_eq!(
            full_line(42, None, &full, "ttyS0", "00:00:01", "/bin/sh -i"),
            "root        42     1  3 10:05 ttyS0    00:00:01 /bin/sh -i\n"
        );
        assert_eq!(
            full_line(42, Some(1234), &full, "ttyS0", "00:00:01", "/bin/sh -i"),
            "root        42  1234     1  3 10:05 ttyS0    00:00:01 /bin/sh -i\n"
        );
    }

    #[test]
    fn thread_names() {
        assert_eq!(thread_name("tokio-runtime-w\n"), Some("tokio-runtime-w".into()));
        assert_eq!(thread_name("no newline"), Some("no newline".into()));
        assert_eq!(thread_name("\n"), None);
        assert_eq!(thread_name(""), None);
    }

    #[test]
    fn this_process_threads_are_listed() {
        let pid = std::process::id();
        let process = read_stat(&format!("/proc/{pid}/stat")).unwrap();
        let (started, finish) = (std::sync::Barrier::new(2), std::sync::Barrier::new(2));
        std::thread::scope(|scope| {
            let worker = std::thread::Builder::new()
                .name("ps-test-thread".into())
                .spawn_scoped(scope, || {
                    started.wait();
                    finish.wait();
                })
                .unwrap();
            started.wait();
            let listed = threads(pid, &process);
            finish.wait();
            worker.join().unwrap();
            assert!(listed.is_sorted_by_key(|stat| stat.pid), "{listed:?}");
            assert_eq!(listed.iter().find(|stat| stat.pid == pid), Some(&process), "{listed:?}");
            let named = listed.iter().find(|stat| stat.command == "ps-test-thread").unwrap();
            assert_ne!(named.pid, pid);
            assert_eq!(named.parent, process.parent);
        });
        let gone = Stat { pid: u32::MAX, command: "gone".into(), ..Stat::default() };
        assert_eq!(threads(u32::MAX, &gone), std::slice::from_ref(&gone));
    }

    #[test]
    fn this_process_is_listed() {
        let stat = parse_stat(&fs::read_to_string("/proc/self/stat").unwrap()).unwrap();
        assert_eq!(stat.pid, std::process::id());
        assert!(boot_time(clock::now().epoch).is_some());
    }
}
