//! `date [-uR] [-d DATE] [-s DATE] [+FORMAT]`: prints the time (or DATE: `@SECONDS`
//! or `YYYY-MM-DD [HH:MM[:SS]]`), by default as `Sat Nov 21 23:55:28 UTC 2026`, or
//! sets the clock with `-s`. Every time is UTC: Kestrel has no time zones.
use std::ffi::OsString;
use std::io;

use ulib::args::Spec;
use ulib::diag::{quoted, report, report_error};
use ulib::sys::check;

use crate::cli;
use crate::clock::{self, Civil};

const PROGRAM: &str = "date";

pub const USAGE: &str = "Usage: date [OPTION]... [+FORMAT]
Display the date and time in the given FORMAT (all times are UTC).
  -d DATE   display the time described by DATE, not 'now': @SECONDS (since the epoch)
            or YYYY-MM-DD [HH:MM[:SS]]
  -I        output the date in ISO 8601 format (%Y-%m-%d)
  -R        output date and time in RFC 5322 format
  -s DATE   set time described by DATE
  -u        print Coordinated Universal Time (always the case)
FORMAT controls the output, as strftime: %a %A %b %B %c %C %d %D %e %F %H %I %j %k %l
%m %M %n %N %p %P %r %R %s %S %t %T %u %w %x %X %y %Y %z %Z %%, with the flags - _ 0.
The default is '+%a %b %e %H:%M:%S %Z %Y'.";

const SPEC: Spec = Spec { flags: "uIR", valued: "ds", ..Spec::NONE };

/// The moment `text` describes: `@SECONDS` or `YYYY-MM-DD[ HH:MM[:SS]]` (also with `T`).
fn parse_date(text: &str) -> Option<Civil> {
    if let Some(seconds) = text.strip_prefix('@') {
        return Some(clock::civil(seconds.trim().parse().ok()?, 0));
    }
    let text = text.trim();
    let (date, time) = match text.split_once([' ', 'T']) {
        Some((date, time)) => (date, time.trim()),
        None => (text, ""),
    };
    let mut date_parts = date.splitn(3, '-');
    let year: i64 = date_parts.next()?.parse().ok()?;
    let month: u32 = date_parts.next()?.parse().ok()?;
    let day: u32 = date_parts.next()?.parse().ok()?;
    let mut time_parts = time.split(':');
    let mut next = |limit: u32| -> Option<u32> {
        match time_parts.next() {
            None | Some("") => Some(0),
            Some(part) => part.parse().ok().filter(|&value| value < limit),
        }
    };
    let (hour, minute, second) = (next(24)?, next(60)?, next(61)?);
    if time_parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let seconds = clock::epoch_of(year, month, day, hour, minute, second);
    let civil = clock::civil(seconds, 0);
    (civil.month == month && civil.day == day).then_some(civil)
}

fn set_clock(time: &Civil) -> io::Result<()> {
    let spec = libc::timespec { tv_sec: time.epoch, tv_nsec: 0 };
    // SAFETY: clock_settime reads one timespec from the pointer, which points at a live one.
    check(unsafe { libc::clock_settime(libc::CLOCK_REALTIME, &spec) }).map(drop)
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let mut format = match command_line.last_of("IR") {
        Some('I') => "%Y-%m-%d".to_owned(),
        Some(_) => "%a, %d %b %Y %H:%M:%S %z".to_owned(),
        None => "%a %b %e %H:%M:%S %Z %Y".to_owned(),
    };
    match &command_line.operands[..] {
        [] => {}
        [given] if given.to_string_lossy().starts_with('+') => format = given.to_string_lossy()[1..].to_owned(),
        [given] => return cli::usage_error(PROGRAM, format_args!("invalid date {}", quoted(given.display()))),
        [_, extra, ..] => return cli::extra_operand(PROGRAM, extra.display()),
    }
    let described =
        command_line.last_of("ds").and_then(|flag| command_line.value(flag)).map(|text| text.to_string_lossy());
    let time = match described {
        None => clock::now(),
        Some(text) => match parse_date(&text) {
            Some(time) => time,
            None => {
                report(PROGRAM, format_args!("invalid date {}", quoted(&text)));
                return 1;
            }
        },
    };
    if command_line.has('s')
        && let Err(err) = set_clock(&time)
    {
        report_error(PROGRAM, "cannot set date", &err);
        return 1;
    }
    cli::print_line(PROGRAM, clock::format(&format, &time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("@1795305328").unwrap().epoch, 1_795_305_328);
        assert_eq!(parse_date("@-1").unwrap().year, 1969);
        assert_eq!(parse_date("2026-11-21 23:55:28").unwrap().epoch, 1_795_305_328);
        assert_eq!(parse_date("2026-11-21T23:55").unwrap().epoch, 1_795_305_328 - 28);
        assert_eq!(parse_date("2026-11-21").unwrap().hour, 0);
        for bad in ["", "x", "2026-13-01", "2026-02-30", "2026-11-21 24:00", "2026-11-21 1:2:3:4", "@x"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
