//! `uptime [-ps]`: the time, how long the system has been up (/proc/uptime) and the
//! load averages (/proc/loadavg, when there is one), as procps prints them (without
//! its user count: Kestrel keeps no utmp).
use std::ffi::OsString;
use std::fs;

use ulib::args::Spec;
use ulib::diag::report_error;

use crate::cli;
use crate::clock;

const PROGRAM: &str = "uptime";

pub const USAGE: &str = "Usage: uptime [-ps]
Tell how long the system has been running.
  -p   show uptime in pretty format
  -s   system up since, in yyyy-mm-dd HH:MM:SS format";

const SPEC: Spec = Spec { flags: "ps", ..Spec::NONE };

/// The seconds since boot, from /proc/uptime's text.
pub fn parse_uptime(text: &str) -> Option<f64> {
    text.split_whitespace().next()?.parse().ok()
}

/// procps's `up` text: `5 min`, ` 1:05`, `2 days,  1:05`.
pub(crate) fn up_text(seconds: u64) -> String {
    let (days, hours, minutes) = (seconds / 86_400, seconds / 3600 % 24, seconds / 60 % 60);
    let days = match days {
        0 => String::new(),
        1 => "1 day, ".into(),
        days => format!("{days} days, "),
    };
    if hours > 0 { format!("{days}{hours:2}:{minutes:02}") } else { format!("{days}{minutes} min") }
}

/// `uptime -p`: `up 2 days, 1 hour, 5 minutes`.
fn pretty(seconds: u64) -> String {
    let parts = [
        (seconds / 604_800, "week"),
        (seconds / 86_400 % 7, "day"),
        (seconds / 3600 % 24, "hour"),
        (seconds / 60 % 60, "minute"),
    ];
    let shown: Vec<String> = parts
        .iter()
        .filter(|&&(count, _)| count > 0)
        .map(|&(count, unit)| format!("{count} {unit}{}", if count == 1 { "" } else { "s" }))
        .collect();
    if shown.is_empty() { "up 0 minutes".into() } else { format!("up {}", shown.join(", ")) }
}

/// The three load averages from /proc/loadavg's text.
pub(crate) fn load_averages(text: &str) -> Option<String> {
    let values: Vec<f64> = text.split_whitespace().take(3).map(str::parse).collect::<Result<_, _>>().ok()?;
    (values.len() == 3).then(|| format!("load average: {:.2}, {:.2}, {:.2}", values[0], values[1], values[2]))
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let up = match fs::read_to_string("/proc/uptime") {
        Ok(text) => parse_uptime(&text).unwrap_or(0.0),
        Err(err) => {
            report_error(PROGRAM, "/proc/uptime", &err);
            return 1;
        }
    };
    let seconds = up as u64;
    let now = clock::now();
    let line = if command_line.has('p') {
        pretty(seconds)
    } else if command_line.has('s') {
        clock::format("%Y-%m-%d %H:%M:%S", &clock::civil(now.epoch - seconds as i64, 0))
    } else {
        let mut line = format!(" {} up {},  ", clock::format("%H:%M:%S", &now), up_text(seconds));
        match fs::read_to_string("/proc/loadavg").ok().and_then(|text| load_averages(&text)) {
            Some(loads) => line.push_str(&loads),
            None => line.truncate(line.trim_end_matches([' ', ',']).len()),
        }
        line
    };
    cli::print_line(PROGRAM, line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_texts() {
        assert_eq!(up_text(300), "5 min");
        assert_eq!(up_text(3900), " 1:05");
        assert_eq!(up_text(86_400 + 300), "1 day, 5 min");
        assert_eq!(up_text(2 * 86_400 + 3900), "2 days,  1:05");
    }

    #[test]
    fn pretty_texts() {
        assert_eq!(pretty(30), "up 0 minutes");
        assert_eq!(pretty(3660), "up 1 hour, 1 minute");
        assert_eq!(pretty(8 * 86_400 + 120), "up 1 week, 1 day, 2 minutes");
    }

    #[test]
    fn proc_files() {
        assert_eq!(parse_uptime("3686.40 3355.44\n"), Some(3686.4));
        assert_eq!(parse_uptime(""), None);
        assert_eq!(load_averages("2.75 1.91 1.68 5/118 13669\n").unwrap(), "load average: 2.75, 1.91, 1.68");
        assert_eq!(load_averages("1 2"), None);
    }
}
