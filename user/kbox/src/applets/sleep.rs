//! `sleep NUMBER[SUFFIX]...`: waits for the sum of the intervals, each a number of
//! seconds (fractions allowed) or of minutes, hours or days with `m`, `h`, `d`.
use std::ffi::OsString;
use std::thread;
use std::time::Duration;

use ulib::args::Spec;
use ulib::diag::quoted;

use crate::cli;

const PROGRAM: &str = "sleep";

pub const USAGE: &str = "Usage: sleep NUMBER[SUFFIX]...
Pause for NUMBER seconds. SUFFIX may be 's' for seconds (the default), 'm' for minutes,
'h' for hours or 'd' for days. NUMBER may be a fraction. Given several, pause for
their sum.";

const SPEC: Spec = Spec { negative_numbers: true, ..Spec::NONE };

/// One interval in seconds, if `text` is one.
fn seconds(text: &str) -> Option<f64> {
    let (number, unit) = match text.char_indices().last()? {
        (index, 's') => (&text[..index], 1.0),
        (index, 'm') => (&text[..index], 60.0),
        (index, 'h') => (&text[..index], 3600.0),
        (index, 'd') => (&text[..index], 86_400.0),
        _ => (text, 1.0),
    };
    let valid = !number.is_empty() && number.bytes().all(|byte| byte.is_ascii_digit() || byte == b'.');
    let value: f64 = if valid { number.parse().ok()? } else { return None };
    Some(value * unit)
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse_with_operands(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let mut total = 0.0;
    for operand in &command_line.operands {
        match seconds(&operand.to_string_lossy()) {
            Some(interval) => total += interval,
            None => {
                let shown = quoted(operand.display());
                return cli::usage_error(PROGRAM, format_args!("invalid time interval {shown}"));
            }
        }
    }
    thread::sleep(Duration::try_from_secs_f64(total).unwrap_or(Duration::MAX));
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals() {
        assert_eq!(seconds("3"), Some(3.0));
        assert_eq!(seconds("0.5"), Some(0.5));
        assert_eq!(seconds(".25s"), Some(0.25));
        assert_eq!(seconds("2m"), Some(120.0));
        assert_eq!(seconds("1.5h"), Some(5400.0));
        assert_eq!(seconds("1d"), Some(86_400.0));
    }

    #[test]
    fn bad_intervals() {
        for text in ["", "x", "-1", "1x", "s", "1e3", "1.2.3"] {
            assert_eq!(seconds(text), None, "{text}");
        }
    }
}
