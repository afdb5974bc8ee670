//! `dmesg`: the kernel log, read with syslog(2) as util-linux's dmesg reads it
//! (READ_ALL, or READ_CLEAR with -c), each line `<PRI>[    1.234567] text`
//! shown as `[    1.234567] text`, filtered by level (-l) and facility (-k,
//! -u), decoded (-x), raw (-r) or without times (-t); also clears the log (-C)
//! and sets the console's level (-n, -D, -E).
use std::ffi::{OsStr, OsString};
use std::io::{self, Write};

use kabi::syslog::*;
use ulib::args::{CommandLine, Spec};
use ulib::diag::{report, report_error};

use crate::cli;

const PROGRAM: &str = "dmesg";

pub const USAGE: &str = "Usage: dmesg [options]
Display or control the kernel ring buffer.
  -C, --clear                 clear the kernel ring buffer
  -c, --read-clear            read and clear all messages
  -D, --console-off           disable printing messages to console
  -E, --console-on            enable printing messages to console
  -k, --kernel                display kernel messages
  -l, --level=LIST            restrict output to defined levels
  -n, --console-level=LEVEL   set level of messages printed to console
  -r, --raw                   print the raw message buffer
  -s, --buffer-size=SIZE      buffer size to query the kernel ring buffer
  -t, --notime                don't show any timestamp with messages
  -u, --userspace             display userspace messages
  -x, --decode                decode facility and level to readable string
  -h, --help                  display this help
Supported log levels (priorities):
  emerg, alert, crit, err, warn, notice, info, debug";

const SPEC: Spec = Spec {
    flags: "CcDEhkrtux",
    valued: "lns",
    long: &[
        "clear",
        "read-clear",
        "console-off",
        "console-on",
        "kernel",
        "level",
        "console-level",
        "raw",
        "buffer-size",
        "notime",
        "userspace",
        "decode",
    ],
    ..Spec::NONE
};

/// Long options and the short flags they stand for.
const LONG: [(&str, char); 12] = [
    ("clear", 'C'),
    ("read-clear", 'c'),
    ("console-off", 'D'),
    ("console-on", 'E'),
    ("kernel", 'k'),
    ("level", 'l'),
    ("console-level", 'n'),
    ("raw", 'r'),
    ("buffer-size", 's'),
    ("notime", 't'),
    ("userspace", 'u'),
    ("decode", 'x'),
];

/// The smallest buffer util-linux's dmesg reads with.
const MIN_BUFFER: usize = 4096;

/// One line of syslog(2)'s text.
#[derive(Debug, PartialEq, Eq)]
struct Line<'a> {
    /// `facility << 3 | level`, when the line has `<PRI>`.
    priority: Option<u32>,
    /// `[    1.234567]` as written, when the line has it.
    time: Option<&'a str>,
    text: &'a str,
}

impl Line<'_> {
    fn level(&self) -> Option<usize> {
        self.priority.map(|p| (p & 7) as usize)
    }

    fn facility(&self) -> Option<usize> {
        self.priority.map(|p| (p >> 3) as usize)
    }
}

/// Splits `<PRI>[ time] text` into its parts.
fn parse_line(line: &str) -> Line<'_> {
    let mut rest = line;
    let mut priority = None;
    if let Some((number, after)) = rest.strip_prefix('<').and_then(|r| r.split_once('>'))
        && let Ok(n) = number.parse()
    {
        priority = Some(n);
        rest = after;
    }
    let mut time = None;
    if rest.starts_with('[')
        && let Some(end) = rest.find(']')
    {
        time = Some(&rest[..=end]);
        rest = rest[end + 1..].strip_prefix(' ').unwrap_or(&rest[end + 1..]);
    }
    Line { priority, time, text: rest }
}

/// What to show and how.
#[derive(Debug, Default)]
struct Show {
    /// Levels to show (all when None).
    levels: Option<[bool; 8]>,
    kernel_only: bool,
    user_only: bool,
    raw: bool,
    no_time: bool,
    decode: bool,
}

impl Show {
    fn wants(&self, line: &Line) -> bool {
        let level_ok = match (&self.levels, line.level()) {
            (Some(levels), Some(level)) => levels[level],
            (Some(_), None) => false,
            (None, _) => true,
        };
        let facility = line.facility().unwrap_or(0);
        level_ok && (!self.kernel_only || facility == 0) && (!self.user_only || facility != 0)
    }

    /// The line as shown, or None when filtered out.
    fn format(&self, line: &Line) -> Option<String> {
        if !self.wants(line) {
            return None;
        }
        let mut out = String::new();
        if self.raw {
            if let Some(priority) = line.priority {
                out.push_str(&format!("<{priority}>"));
            }
        } else if self.decode
            && let (Some(facility), Some(level)) = (line.facility(), line.level())
        {
            let facility = FACILITY_NAMES.get(facility).copied().unwrap_or("unknown");
            out.push_str(&format!("{facility:<6}:{:<6}: ", LEVEL_NAMES[level]));
        }
        if !self.no_time
            && let Some(time) = line.time
        {
            out.push_str(time);
            out.push(' ');
        }
        out.push_str(line.text);
        Some(out)
    }
}

/// A level by name or number (0 to 7).
fn level_number(name: &str) -> Option<usize> {
    if let Ok(n) = name.parse::<usize>() {
        return (n < 8).then_some(n);
    }
    LEVEL_NAMES.iter().position(|n| n.eq_ignore_ascii_case(name))
}

/// -l's list: names or numbers, `NAME+` for it and the more urgent, `+NAME` for
/// it and the less urgent.
fn parse_levels(list: &str) -> Result<[bool; 8], String> {
    let mut levels = [false; 8];
    for item in list.split(',') {
        let level = |name| level_number(name).ok_or_else(|| format!("unknown level '{item}'"));
        let (from, to) = if let Some(name) = item.strip_suffix('+') {
            (0, level(name)?)
        } else if let Some(name) = item.strip_prefix('+') {
            (level(name)?, 7)
        } else {
            (level(item)?, level(item)?)
        };
        levels[from..=to].iter_mut().for_each(|l| *l = true);
    }
    Ok(levels)
}

/// -n's level: a number as given, a name as the level above it (`-n emerg`
/// being `-n 1`: emergencies only).
fn console_level(text: &str) -> Option<i32> {
    if let Ok(n) = text.parse() {
        return Some(n);
    }
    level_number(text).map(|n| n as i32 + 1)
}

/// The value of a flag given short or long (the last given).
fn value(command_line: &CommandLine, flag: char) -> Option<&OsStr> {
    let long = LONG.iter().find(|&&(_, f)| f == flag).map(|&(name, _)| name)?;
    command_line.long(long).flatten().or_else(|| command_line.value(flag))
}

fn has(command_line: &CommandLine, flag: char) -> bool {
    command_line.has(flag) || LONG.iter().any(|&(name, f)| f == flag && command_line.long(name).is_some())
}

fn klogctl(action: i32, buf: &mut [u8]) -> io::Result<usize> {
    let len = i32::try_from(buf.len()).unwrap_or(i32::MAX);
    let ptr = if buf.is_empty() { std::ptr::null_mut() } else { buf.as_mut_ptr().cast() };
    // SAFETY: the kernel writes at most `len` bytes, all within `buf`.
    let n = ulib::sys::check(unsafe { libc::klogctl(action, ptr, len) })?;
    Ok(n as usize)
}

/// An action without a buffer (CLEAR, CONSOLE_*), `arg` being its number.
fn control(action: i32, arg: i32) -> io::Result<()> {
    // SAFETY: these actions take no buffer.
    ulib::sys::check(unsafe { libc::klogctl(action, std::ptr::null_mut(), arg) }).map(drop)
}

fn print(show: &Show, size: Option<usize>, clear: bool) -> u8 {
    let size = size.unwrap_or_else(|| klogctl(SYSLOG_ACTION_SIZE_BUFFER, &mut []).unwrap_or(0)).max(MIN_BUFFER);
    let mut buf = vec![0; size];
    let action = if clear { SYSLOG_ACTION_READ_CLEAR } else { SYSLOG_ACTION_READ_ALL };
    let n = match klogctl(action, &mut buf) {
        Ok(n) => n,
        Err(err) => {
            report_error(PROGRAM, "read kernel buffer failed", &err);
            return 1;
        }
    };
    let text = String::from_utf8_lossy(&buf[..n]);
    let mut out = cli::stdout();
    let result = text
        .lines()
        .filter_map(|line| show.format(&parse_line(line)))
        .try_for_each(|line| writeln!(out, "{line}"))
        .map(|()| 0);
    cli::finish(PROGRAM, out, result)
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse_without_operands(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    if command_line.has('h') {
        return cli::print_line(PROGRAM, USAGE);
    }
    let actions: Vec<char> = "CcDEn".chars().filter(|&f| has(&command_line, f)).collect();
    if actions.len() > 1 {
        report(
            PROGRAM,
            "mutually exclusive arguments: --clear --read-clear --console-off --console-on --console-level",
        );
        return 1;
    }
    let mut show = Show {
        kernel_only: has(&command_line, 'k'),
        user_only: has(&command_line, 'u'),
        raw: has(&command_line, 'r'),
        no_time: has(&command_line, 't'),
        decode: has(&command_line, 'x'),
        ..Show::default()
    };
    if let Some(list) = value(&command_line, 'l') {
        match parse_levels(&list.to_string_lossy()) {
            Ok(levels) => show.levels = Some(levels),
            Err(message) => {
                report(PROGRAM, message);
                return 1;
            }
        }
    }
    let size = match value(&command_line, 's').map(|s| s.to_string_lossy()) {
        None => None,
        Some(text) => match text.parse::<u32>() {
            Ok(size) => Some(size as usize),
            Err(_) => {
                report(PROGRAM, format_args!("invalid buffer size argument: '{text}'"));
                return 1;
            }
        },
    };
    let controlled = match actions.first() {
        None => return print(&show, size, false),
        Some('c') => return print(&show, size, true),
        Some('C') => control(SYSLOG_ACTION_CLEAR, 0),
        Some('D') => control(SYSLOG_ACTION_CONSOLE_OFF, 0),
        Some('E') => control(SYSLOG_ACTION_CONSOLE_ON, 0),
        Some(_) => {
            let text = value(&command_line, 'n').map(|t| t.to_string_lossy().into_owned()).unwrap_or_default();
            let Some(level) = console_level(&text) else {
                report(PROGRAM, format_args!("unknown level '{text}'"));
                return 1;
            };
            control(SYSLOG_ACTION_CONSOLE_LEVEL, level)
        }
    };
    match controlled {
        Ok(()) => 0,
        Err(err) => {
            report_error(PROGRAM, "klogctl failed", &err);
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(show: &Show, line: &str) -> Option<String> {
        show.format(&parse_line(line))
    }

    #[test]
    fn lines_split_into_priority_time_and_text() {
        assert_eq!(
            parse_line("<6>[    1.234567] memory: 126 MiB"),
            Line { priority: Some(6), time: Some("[    1.234567]"), text: "memory: 126 MiB" }
        );
        let user = parse_line("<12>[   10.000001] hello");
        assert_eq!((user.level(), user.facility()), (Some(4), Some(1)));
        assert_eq!(parse_line("no prefix"), Line { priority: None, time: None, text: "no prefix" });
        assert_eq!(parse_line("<x>[1] y").priority, None);
    }

    #[test]
    fn formats() {
        let line = "<12>[    1.234567] hello";
        assert_eq!(shown(&Show::default(), line).unwrap(), "[    1.234567] hello");
        assert_eq!(shown(&Show { no_time: true, ..Show::default() }, line).unwrap(), "hello");
        assert_eq!(shown(&Show { raw: true, ..Show::default() }, line).unwrap(), line);
        assert_eq!(shown(&Show { raw: true, no_time: true, ..Show::default() }, line).unwrap(), "<12>hello");
        assert_eq!(
            shown(&Show { decode: true, ..Show::default() }, line).unwrap(),
            "user  :warn  : [    1.234567] hello"
        );
        let kernel = "<6>[    0.000100] boot";
        assert_eq!(
            shown(&Show { decode: true, ..Show::default() }, kernel).unwrap(),
            "kern  :info  : [    0.000100] boot"
        );
    }

    #[test]
    fn filters() {
        let kernel = "<3>[    0.000100] bad";
        let user = "<14>[    0.000200] note";
        let kernel_only = Show { kernel_only: true, ..Show::default() };
        assert!(shown(&kernel_only, kernel).is_some() && shown(&kernel_only, user).is_none());
        let user_only = Show { user_only: true, ..Show::default() };
        assert!(shown(&user_only, kernel).is_none() && shown(&user_only, user).is_some());
        let errors = Show { levels: Some(parse_levels("err").unwrap()), ..Show::default() };
        assert!(shown(&errors, kernel).is_some() && shown(&errors, user).is_none());
    }

    #[test]
    fn level_lists() {
        let set = |list| parse_levels(list).map(|l| (0..8).filter(|&i| l[i]).collect::<Vec<_>>());
        assert_eq!(set("err,warn"), Ok(vec![3, 4]));
        assert_eq!(set("ERR"), Ok(vec![3]));
        assert_eq!(set("err+"), Ok(vec![0, 1, 2, 3]));
        assert_eq!(set("+notice"), Ok(vec![5, 6, 7]));
        assert_eq!(set("7,0"), Ok(vec![0, 7]));
        assert_eq!(set("bogus"), Err("unknown level 'bogus'".to_owned()));
        assert_eq!(set("8"), Err("unknown level '8'".to_owned()));
    }

    #[test]
    fn console_levels() {
        assert_eq!(console_level("emerg"), Some(1));
        assert_eq!(console_level("debug"), Some(8));
        assert_eq!(console_level("5"), Some(5));
        assert_eq!(console_level("loud"), None);
    }
}
