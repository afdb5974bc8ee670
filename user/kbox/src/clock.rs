//! Calendar time for `date`, `ls -l`, `stat`, `uptime` and `ps`: seconds since the
//! epoch as a UTC date (Kestrel has no time zones, so every time is UTC), and a
//! strftime-like formatter with GNU's common `%` codes.
use std::time::{SystemTime, UNIX_EPOCH};

pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
pub const WEEKDAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/// A moment as a UTC calendar date and time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub epoch: i64,
    pub year: i64,
    /// 1..=12
    pub month: u32,
    /// 1..=31
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub nanos: u32,
    /// 0 = Sunday
    pub weekday: u32,
    /// 0 = January 1st
    pub yday: u32,
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The UTC date and time `seconds` (plus `nanos`) after the epoch.
pub fn civil(seconds: i64, nanos: u32) -> Civil {
    let days = seconds.div_euclid(86_400);
    let in_day = seconds.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil: eras of 400 years starting on March 1st.
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    const DAYS_BEFORE: [u32; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let month = month as u32;
    let yday = DAYS_BEFORE[month as usize - 1] + day as u32 - 1 + u32::from(month > 2 && is_leap(year));
    Civil {
        epoch: seconds,
        year,
        month,
        day: day as u32,
        hour: (in_day / 3600) as u32,
        minute: (in_day / 60 % 60) as u32,
        second: (in_day % 60) as u32,
        nanos,
        weekday: (days + 4).rem_euclid(7) as u32,
        yday,
    }
}

/// The seconds since the epoch of a UTC date and time (Hinnant's days-from-civil).
pub fn epoch_of(year: i64, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month = i64::from(month);
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second)
}

/// Seconds and nanoseconds since the epoch (negative before it).
pub fn timestamp(time: SystemTime) -> (i64, u32) {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => (after.as_secs() as i64, after.subsec_nanos()),
        Err(before) => {
            let before = before.duration();
            match before.subsec_nanos() {
                0 => (-(before.as_secs() as i64), 0),
                nanos => (-(before.as_secs() as i64) - 1, 1_000_000_000 - nanos),
            }
        }
    }
}

/// The current time.
pub fn now() -> Civil {
    let (seconds, nanos) = timestamp(SystemTime::now());
    civil(seconds, nanos)
}

/// How a number is padded: GNU's `%-d` (none), `%_d` (spaces) and `%0d` (zeros).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pad {
    Zero,
    Space,
    None,
}

fn number(out: &mut String, value: i64, width: usize, default: Pad, flag: Option<Pad>) {
    let text = match flag.unwrap_or(default) {
        Pad::Zero => format!("{value:0width$}"),
        Pad::Space => format!("{value:width$}"),
        Pad::None => value.to_string(),
    };
    out.push_str(&text);
}

/// `time` formatted as strftime does `format` in the C locale and UTC.
pub fn format(format: &str, time: &Civil) -> String {
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(char) = chars.next() {
        if char != '%' {
            out.push(char);
            continue;
        }
        let mut spec = chars.clone();
        let flag = match spec.clone().next() {
            Some('-') => Some(Pad::None),
            Some('_') => Some(Pad::Space),
            Some('0') => Some(Pad::Zero),
            _ => None,
        };
        if flag.is_some() {
            spec.next();
        }
        let hour12 = match time.hour % 12 {
            0 => 12,
            hour => hour,
        };
        let code = spec.next();
        match code {
            Some('a') => out.push_str(&WEEKDAYS[time.weekday as usize][..3]),
            Some('A') => out.push_str(WEEKDAYS[time.weekday as usize]),
            Some('b' | 'h') => out.push_str(&MONTHS[time.month as usize - 1][..3]),
            Some('B') => out.push_str(MONTHS[time.month as usize - 1]),
            Some('c') => out.push_str(&self::format("%a %b %e %H:%M:%S %Y", time)),
            Some('C') => number(&mut out, time.year.div_euclid(100), 2, Pad::Zero, flag),
            Some('d') => number(&mut out, time.day.into(), 2, Pad::Zero, flag),
            Some('D') => out.push_str(&self::format("%m/%d/%y", time)),
            Some('e') => number(&mut out, time.day.into(), 2, Pad::Space, flag),
            Some('F') => out.push_str(&self::format("%Y-%m-%d", time)),
            Some('H') => number(&mut out, time.hour.into(), 2, Pad::Zero, flag),
            Some('I') => number(&mut out, hour12.into(), 2, Pad::Zero, flag),
            Some('j') => number(&mut out, i64::from(time.yday) + 1, 3, Pad::Zero, flag),
            Some('k') => number(&mut out, time.hour.into(), 2, Pad::Space, flag),
            Some('l') => number(&mut out, hour12.into(), 2, Pad::Space, flag),
            Some('m') => number(&mut out, time.month.into(), 2, Pad::Zero, flag),
            Some('M') => number(&mut out, time.minute.into(), 2, Pad::Zero, flag),
            Some('n') => out.push('\n'),
            Some('N') => number(&mut out, time.nanos.into(), 9, Pad::Zero, flag),
            Some('p') => out.push_str(if time.hour < 12 { "AM" } else { "PM" }),
            Some('P') => out.push_str(if time.hour < 12 { "am" } else { "pm" }),
            Some('r') => out.push_str(&self::format("%I:%M:%S %p", time)),
            Some('R') => out.push_str(&self::format("%H:%M", time)),
            Some('s') => out.push_str(&time.epoch.to_string()),
            Some('S') => number(&mut out, time.second.into(), 2, Pad::Zero, flag),
            Some('t') => out.push('\t'),
            Some('T' | 'X') => out.push_str(&self::format("%H:%M:%S", time)),
            Some('u') => out.push_str(&(if time.weekday == 0 { 7 } else { time.weekday }).to_string()),
            Some('w') => out.push_str(&time.weekday.to_string()),
            Some('x') => out.push_str(&self::format("%m/%d/%y", time)),
            Some('y') => number(&mut out, time.year.rem_euclid(100), 2, Pad::Zero, flag),
            Some('Y') => number(&mut out, time.year, 1, Pad::None, flag),
            Some('z') => out.push_str("+0000"),
            Some('Z') => out.push_str("UTC"),
            Some('%') => out.push('%'),
            // Unknown codes are copied as they stand, as GNU date does.
            _ => {
                out.push('%');
                continue;
            }
        }
        chars = spec;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_epoch_and_later_days() {
        let epoch = civil(0, 0);
        assert_eq!((epoch.year, epoch.month, epoch.day, epoch.weekday, epoch.yday), (1970, 1, 1, 4, 0));
        // 2026-11-21 23:55:28 UTC, a Saturday.
        let time = civil(1_795_305_328, 0);
        assert_eq!((time.year, time.month, time.day), (2026, 11, 21));
        assert_eq!((time.hour, time.minute, time.second, time.weekday), (23, 55, 28, 6));
        assert_eq!(time.yday, 324);
        let leap = civil(951_782_400, 0); // 2000-02-29
        assert_eq!((leap.year, leap.month, leap.day, leap.yday), (2000, 2, 29, 59));
        let new_years_eve = civil(978_307_200 - 1, 0); // 2000-12-31 23:59:59
        assert_eq!((new_years_eve.month, new_years_eve.day, new_years_eve.yday), (12, 31, 365));
    }

    #[test]
    fn dates_to_seconds() {
        assert_eq!(epoch_of(1970, 1, 1, 0, 0, 0), 0);
        assert_eq!(epoch_of(2026, 11, 21, 23, 55, 28), 1_795_305_328);
        assert_eq!(epoch_of(2000, 2, 29, 0, 0, 0), 951_782_400);
        assert_eq!(epoch_of(1969, 12, 31, 23, 59, 59), -1);
        for seconds in [-86_401, 0, 951_782_399, 4_102_444_800] {
            let time = civil(seconds, 0);
            assert_eq!(epoch_of(time.year, time.month, time.day, time.hour, time.minute, time.second), seconds);
        }
    }

    #[test]
    fn before_the_epoch() {
        let time = civil(-1, 0);
        assert_eq!((time.year, time.month, time.day, time.hour, time.weekday), (1969, 12, 31, 23, 3));
        let before = UNIX_EPOCH - std::time::Duration::from_millis(1500);
        assert_eq!(timestamp(before), (-2, 500_000_000));
    }

    #[test]
    fn date_formats() {
        let time = civil(1_795_305_328, 123_456_789);
        assert_eq!(format("%a %b %e %H:%M:%S %Z %Y", &time), "Sat Nov 21 23:55:28 UTC 2026");
        assert_eq!(format("%F %T.%N %z", &time), "2026-11-21 23:55:28.123456789 +0000");
        assert_eq!(format("%A %B %d %j %u %w %y %C %s", &time), "Saturday November 21 325 6 6 26 20 1795305328");
        assert_eq!(format("%I %l %p %P %D %R %%", &time), "11 11 PM pm 11/21/26 23:55 %");
        let early = civil(1_796_634_061, 0); // 2026-12-07 09:01:01
        assert_eq!(format("%e|%-d|%_m|%k|%0e|%H", &early), " 7|7|12| 9|07|09");
    }

    #[test]
    fn unknown_codes_stay() {
        let time = civil(0, 0);
        assert_eq!(format("%Q %", &time), "%Q %");
        assert_eq!(format("%-Q", &time), "%-Q");
    }
}
