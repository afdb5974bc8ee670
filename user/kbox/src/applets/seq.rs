//! `seq [-w] [-s SEP] [FIRST [INCREMENT]] LAST`: prints numbers from FIRST (1) to
//! LAST by INCREMENT (1), decimals exactly, with as many decimals as FIRST and
//! INCREMENT have.
use std::ffi::OsString;
use std::io::Write;

use ulib::args::Spec;
use ulib::diag::{quoted, report};

use crate::cli;

const PROGRAM: &str = "seq";

pub const USAGE: &str = "Usage: seq [OPTION]... LAST
  or:  seq [OPTION]... FIRST LAST
  or:  seq [OPTION]... FIRST INCREMENT LAST
Print numbers from FIRST to LAST, in steps of INCREMENT (both 1 by default).
  -s STRING   use STRING to separate numbers (default: \\n)
  -w          equalize width by padding with leading zeroes";

const SPEC: Spec = Spec { flags: "w", valued: "s", negative_numbers: true, ..Spec::NONE };

/// A decimal number: `units / 10^decimals`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Decimal {
    units: i128,
    decimals: u32,
}

impl Decimal {
    fn parse(text: &str) -> Option<Self> {
        let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
        let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
        if whole.is_empty() && fraction.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 18 {
            return None;
        }
        let units: i128 = format!("{whole}{fraction}").parse().ok()?;
        Some(Self { units: if text.starts_with('-') { -units } else { units }, decimals: fraction.len() as u32 })
    }

    /// The same number with `decimals` decimals (at least as many as it has), if that
    /// fits.
    fn scaled(self, decimals: u32) -> Option<i128> {
        self.units.checked_mul(10i128.pow(decimals - self.decimals))
    }
}

/// `units / 10^decimals` written with exactly `decimals` decimals.
fn show(units: i128, decimals: u32) -> String {
    let digits = format!("{:0width$}", units.unsigned_abs(), width = decimals as usize + 1);
    let (whole, fraction) = digits.split_at(digits.len() - decimals as usize);
    let sign = if units < 0 { "-" } else { "" };
    if decimals == 0 { format!("{sign}{whole}") } else { format!("{sign}{whole}.{fraction}") }
}

/// `text` padded with zeros after its sign to `width`.
fn zero_padded(text: &str, width: usize) -> String {
    let (sign, digits) = if let Some(digits) = text.strip_prefix('-') { ("-", digits) } else { ("", text) };
    format!("{sign}{digits:0>0$}", width - sign.len())
}

/// The numbers, as text; `None` if they have too many digits to be added exactly.
fn sequence(first: Decimal, increment: Decimal, last: Decimal, equal_width: bool) -> Option<Vec<String>> {
    let decimals = first.decimals.max(increment.decimals);
    let exact = decimals.max(last.decimals);
    let (step, end) = (increment.scaled(exact)?, last.scaled(exact)?);
    let scale_down = 10i128.pow(exact - decimals);
    let mut numbers = Vec::new();
    let mut next = Some(first.scaled(exact)?);
    while let Some(current) = next.filter(|&current| (step > 0 && current <= end) || (step < 0 && current >= end)) {
        numbers.push(show(current / scale_down, decimals));
        // Past the largest i128 is past `end` too.
        next = current.checked_add(step);
    }
    if equal_width {
        let width = numbers.iter().map(String::len).max().unwrap_or(0).max(show(end / scale_down, decimals).len());
        numbers = numbers.iter().map(|number| zero_padded(number, width)).collect();
    }
    Some(numbers)
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let mut numbers = Vec::new();
    for operand in &command_line.operands {
        match Decimal::parse(&operand.to_string_lossy()) {
            Some(number) => numbers.push(number),
            None => {
                let shown = quoted(operand.display());
                return cli::usage_error(PROGRAM, format_args!("invalid floating point argument: {shown}"));
            }
        }
    }
    let one = Decimal { units: 1, decimals: 0 };
    let (first, increment, last) = match numbers[..] {
        [] => return cli::missing_operand(PROGRAM),
        [last] => (one, one, last),
        [first, last] => (first, one, last),
        [first, increment, last] => (first, increment, last),
        [.., extra] => {
            return cli::extra_operand(PROGRAM, show(extra.units, extra.decimals));
        }
    };
    if increment.units == 0 {
        let shown = quoted(command_line.operands[1].display());
        return cli::usage_error(PROGRAM, format_args!("invalid Zero increment value: {shown}"));
    }
    let separator =
        command_line.value('s').map_or_else(|| "\n".into(), |separator| separator.to_string_lossy().into_owned());
    let Some(numbers) = sequence(first, increment, last, command_line.has('w')) else {
        report(PROGRAM, "the numbers have too many digits");
        return 1;
    };
    let mut out = cli::stdout();
    let text = if numbers.is_empty() { String::new() } else { format!("{}\n", numbers.join(&separator)) };
    let result = out.write_all(text.as_bytes()).map(|()| 0);
    cli::finish(PROGRAM, out, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seq(first: &str, increment: &str, last: &str, equal_width: bool) -> String {
        let parse = |text| Decimal::parse(text).unwrap();
        sequence(parse(first), parse(increment), parse(last), equal_width).unwrap().join(" ")
    }

    #[test]
    fn integers() {
        assert_eq!(seq("1", "1", "5", false), "1 2 3 4 5");
        assert_eq!(seq("5", "-2", "0", false), "5 3 1");
        assert_eq!(seq("5", "1", "1", false), "");
        assert_eq!(seq("-1", "1", "1", true), "-1 00 01");
        assert_eq!(seq("9", "1", "11", true), "09 10 11");
    }

    #[test]
    fn decimals() {
        assert_eq!(seq("1", "0.5", "3", false), "1.0 1.5 2.0 2.5 3.0");
        assert_eq!(seq("1", "1", "3.5", false), "1 2 3");
        assert_eq!(seq("0.1", "0.1", "0.35", false), "0.1 0.2 0.3");
        assert_eq!(seq("1.5", "1", "10", true), "01.5 02.5 03.5 04.5 05.5 06.5 07.5 08.5 09.5");
        assert_eq!(seq("-0.5", "0.25", "0", false), "-0.50 -0.25 0.00");
    }

    #[test]
    fn parsing() {
        assert_eq!(Decimal::parse("-1.25"), Some(Decimal { units: -125, decimals: 2 }));
        assert_eq!(Decimal::parse(".5"), Some(Decimal { units: 5, decimals: 1 }));
        assert_eq!(Decimal::parse("+3"), Some(Decimal { units: 3, decimals: 0 }));
        for bad in ["", ".", "x", "1e3", "1.2.3", "--1"] {
            assert_eq!(Decimal::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers_that_overflow_end_the_sequence_or_are_refused() {
        let parse = |text| Decimal::parse(text).unwrap();
        let max = i128::MAX.to_string();
        let below = (i128::MAX - 1).to_string();
        assert_eq!(seq(&below, "1", &max, false), format!("{below} {max}"));
        assert_eq!(seq(&max, "1", &max, false), max);
        let huge = parse("99999999999999999999999999999999999999");
        assert_eq!(sequence(parse("0.5"), parse("1"), huge, false), None);
    }
}
