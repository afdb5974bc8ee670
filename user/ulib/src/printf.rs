//! C's printf for the shell's `printf` and kbox's: formats arguments as FORMAT
//! says, reusing FORMAT while arguments remain: `%s %b %c %d %i %u %o %x %X %f %e
//! %g %%` with flags `-+ #0`, widths and precisions (`*` takes them from the
//! arguments), and backslash escapes in FORMAT. One conversion (`conversion`) also
//! serves awk's printf, whose arguments come through the `Arguments` trait.
use crate::diag::quoted;
use crate::escape::{self, Escape, Octal};

/// A conversion's flags, width and precision.
#[derive(Debug, Default, Clone, Copy)]
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    alternate: bool,
    zero: bool,
    width: usize,
    precision: Option<usize>,
}

impl Spec {
    /// `body` padded with spaces to the width.
    fn pad(&self, body: &[u8], out: &mut Vec<u8>) {
        let fill = self.width.saturating_sub(body.len());
        if !self.left {
            out.extend(std::iter::repeat_n(b' ', fill));
        }
        out.extend_from_slice(body);
        if self.left {
            out.extend(std::iter::repeat_n(b' ', fill));
        }
    }

    /// A number's digits with its sign and prefix, padded (with zeros for `0`).
    fn pad_number(&self, negative: bool, prefix: &str, digits: &str, zero_allowed: bool, out: &mut Vec<u8>) {
        let sign = match (negative, self.plus, self.space) {
            (true, _, _) => "-",
            (false, true, _) => "+",
            (false, false, true) => " ",
            _ => "",
        };
        let head = format!("{sign}{prefix}");
        if self.zero && !self.left && zero_allowed {
            let zeros = self.width.saturating_sub(head.len() + digits.len());
            out.extend_from_slice(head.as_bytes());
            out.extend(std::iter::repeat_n(b'0', zeros));
            out.extend_from_slice(digits.as_bytes());
        } else {
            self.pad(format!("{head}{digits}").as_bytes(), out);
        }
    }
}

/// Where conversions take their arguments from, in the types they need; a missing
/// argument is empty or zero.
pub trait Arguments {
    /// The next argument's text, for `%s`.
    fn text(&mut self) -> Vec<u8>;
    /// The next argument as an integer, for `%d`, `%x`, widths...
    fn integer(&mut self) -> i128;
    /// The next argument as a number, for `%f`, `%e`, `%g`.
    fn float(&mut self) -> f64;
    /// The bytes `%c` shows for the next argument.
    fn character(&mut self) -> Vec<u8>;
    /// `%b`: the next argument with its escapes decoded, and whether `\c` stopped it;
    /// `None` where `%b` is not a conversion.
    fn escaped(&mut self) -> Option<(Vec<u8>, bool)> {
        None
    }
}

/// Formatting with the shell's arguments (all text), collecting complaints about them.
struct Formatter<'a> {
    args: &'a [Vec<u8>],
    next: usize,
    complaints: Vec<String>,
}

impl Formatter<'_> {
    fn take(&mut self) -> Option<&[u8]> {
        let arg = self.args.get(self.next)?;
        self.next += 1;
        Some(arg)
    }
}

impl Arguments for Formatter<'_> {
    fn text(&mut self) -> Vec<u8> {
        self.take().unwrap_or_default().to_vec()
    }

    fn character(&mut self) -> Vec<u8> {
        vec![self.take().unwrap_or_default().first().copied().unwrap_or(0)]
    }

    fn escaped(&mut self) -> Option<(Vec<u8>, bool)> {
        Some(escape::unescape(self.take().unwrap_or_default(), Octal::ZeroPrefixed))
    }

    /// The next argument as an integer, as strtoimax reads it (also `'c` for the
    /// character's code); a bad one is complained about and counts as far as it goes.
    fn integer(&mut self) -> i128 {
        let Some(arg) = self.take() else { return 0 };
        let text = String::from_utf8_lossy(arg).into_owned();
        let (value, complete) = parse_integer(&text);
        if !complete {
            let problem = if value == 0 && !text.trim_start().starts_with(['0', '+', '-']) {
                "expected a numeric value"
            } else {
                "value not completely converted"
            };
            self.complaints.push(format!("{}: {problem}", quoted(&text)));
        }
        value
    }

    fn float(&mut self) -> f64 {
        let Some(arg) = self.take() else { return 0.0 };
        let text = String::from_utf8_lossy(arg).into_owned();
        if let Some(char) = text.strip_prefix(['\'', '"']).and_then(|rest| rest.chars().next()) {
            return f64::from(u32::from(char));
        }
        match text.trim().parse::<f64>() {
            Ok(value) => value,
            Err(_) if text.is_empty() => 0.0,
            Err(_) => {
                self.complaints.push(format!("{}: expected a numeric value", quoted(&text)));
                0.0
            }
        }
    }
}

impl Formatter<'_> {
    /// One pass over `format`; `Err` is a bad conversion's complaint. Returns whether
    /// a `\c` stopped the output.
    fn pass(&mut self, format: &[u8], out: &mut Vec<u8>) -> Result<bool, String> {
        let mut i = 0;
        while i < format.len() {
            match format[i] {
                b'\\' => {
                    let (escape, length) = escape::decode(&format[i + 1..], Octal::Plain);
                    match escape {
                        Escape::Bytes(bytes) => out.extend_from_slice(&bytes),
                        Escape::Stop => return Ok(true),
                    }
                    i += 1 + length;
                }
                b'%' => {
                    let (stopped, length) = conversion(&format[i..], self, out)?;
                    if stopped {
                        return Ok(true);
                    }
                    i += length;
                }
                byte => {
                    out.push(byte);
                    i += 1;
                }
            }
        }
        Ok(false)
    }
}

/// The conversion that `directive` (from its `%`) starts, with its arguments from
/// `args`: whether `%b` met `\c`, and the directive's length; `Err` for a bad one.
pub fn conversion(directive: &[u8], args: &mut impl Arguments, out: &mut Vec<u8>) -> Result<(bool, usize), String> {
    let mut spec = Spec::default();
    let mut i = 1;
    while let Some(&flag) = directive.get(i) {
        match flag {
            b'-' => spec.left = true,
            b'+' => spec.plus = true,
            b' ' => spec.space = true,
            b'#' => spec.alternate = true,
            b'0' => spec.zero = true,
            _ => break,
        }
        i += 1;
    }
    let mut number = |i: &mut usize| -> Option<i128> {
        if directive.get(*i) == Some(&b'*') {
            *i += 1;
            return Some(args.integer());
        }
        let digits = directive[*i..].iter().take_while(|byte| byte.is_ascii_digit()).count();
        let value = std::str::from_utf8(&directive[*i..*i + digits]).ok()?.parse().ok();
        *i += digits;
        value
    };
    // C's int limits both, so that a huge one is refused rather than padded out.
    let limit = |value: u128| usize::try_from(value).ok().filter(|&value| value <= i32::MAX as usize);
    if let Some(width) = number(&mut i) {
        spec.left |= width < 0;
        spec.width = limit(width.unsigned_abs()).ok_or_else(|| format!("invalid field width: {}", quoted(width)))?;
    }
    if directive.get(i) == Some(&b'.') {
        i += 1;
        let precision = number(&mut i).unwrap_or(0);
        // A negative precision (from `*`) counts as none, as in C.
        if precision >= 0 {
            let checked = limit(precision.unsigned_abs());
            spec.precision = Some(checked.ok_or_else(|| format!("invalid precision: {}", quoted(precision)))?);
        }
    }
    let Some(&conversion) = directive.get(i) else {
        return Err(format!("{}: invalid conversion specification", String::from_utf8_lossy(directive)));
    };
    let length = i + 1;
    match conversion {
        b'%' if length == 2 => out.push(b'%'),
        b's' => {
            let arg = args.text();
            let shown = spec.precision.map_or(&arg[..], |precision| &arg[..precision.min(arg.len())]);
            spec.pad(shown, out);
        }
        b'b' if let Some((text, stopped)) = args.escaped() => {
            let shown = spec.precision.map_or(&text[..], |precision| &text[..precision.min(text.len())]);
            spec.pad(shown, out);
            if stopped {
                return Ok((true, length));
            }
        }
        b'c' => {
            spec.pad(&args.character(), out);
        }
        b'd' | b'i' => {
            let value = args.integer().clamp(i64::MIN.into(), i64::MAX.into());
            let digits = with_precision(value.unsigned_abs().to_string(), spec.precision);
            spec.pad_number(value < 0, "", &digits, spec.precision.is_none(), out);
        }
        b'u' | b'o' | b'x' | b'X' => {
            // Negative values wrap around as C's unsigned conversion does.
            let value = args.integer().clamp(i64::MIN.into(), u64::MAX.into()) as u64;
            let digits = match conversion {
                b'u' => value.to_string(),
                b'o' => format!("{value:o}"),
                b'x' => format!("{value:x}"),
                _ => format!("{value:X}"),
            };
            let mut digits = with_precision(digits, spec.precision);
            let prefix = match conversion {
                b'o' if spec.alternate && !digits.starts_with('0') => {
                    digits.insert(0, '0');
                    ""
                }
                b'x' if spec.alternate && value != 0 => "0x",
                b'X' if spec.alternate && value != 0 => "0X",
                _ => "",
            };
            spec.pad_number(false, prefix, &digits, spec.precision.is_none(), out);
        }
        b'f' | b'F' | b'e' | b'E' | b'g' | b'G' => {
            let value = args.float();
            let digits = float_digits(value.abs(), conversion, spec.precision.unwrap_or(6), spec.alternate);
            spec.pad_number(value.is_sign_negative() && !value.is_nan(), "", &digits, value.is_finite(), out);
        }
        _ => {
            return Err(format!("{}: invalid conversion specification", String::from_utf8_lossy(&directive[..length])));
        }
    }
    Ok((false, length))
}

/// `digits` with leading zeros up to `precision` (C's minimum digit count); an empty
/// string for a zero with precision 0.
fn with_precision(digits: String, precision: Option<usize>) -> String {
    match precision {
        Some(0) if digits == "0" => String::new(),
        Some(precision) if precision > digits.len() => format!("{}{digits}", "0".repeat(precision - digits.len())),
        _ => digits,
    }
}

/// C's `e` form of a non-negative value: `1.234560e+04`.
fn exponent_form(value: f64, precision: usize) -> String {
    let text = format!("{value:.precision$e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    format!("{mantissa}e{}{:02}", if exponent < 0 { '-' } else { '+' }, exponent.unsigned_abs())
}

/// A non-negative value in C's `f`, `e` or `g` form (upper case for `F`, `E`, `G`).
fn float_digits(value: f64, conversion: u8, precision: usize, alternate: bool) -> String {
    let text = if !value.is_finite() {
        if value.is_nan() { "nan".to_owned() } else { "inf".to_owned() }
    } else {
        match conversion.to_ascii_lowercase() {
            b'f' => format!("{value:.precision$}"),
            b'e' => exponent_form(value, precision),
            _ => {
                let significant = precision.max(1);
                let exponent = if value == 0.0 {
                    0
                } else {
                    let rounded = exponent_form(value, significant - 1);
                    rounded.rsplit_once('e').and_then(|(_, exponent)| exponent.parse::<i64>().ok()).unwrap_or(0)
                };
                let mut text = if exponent < -4 || exponent >= significant as i64 {
                    exponent_form(value, significant - 1)
                } else {
                    format!("{value:.*}", (significant as i64 - 1 - exponent) as usize)
                };
                if !alternate && text.contains('.') {
                    let (number, exponent) = match text.find('e') {
                        Some(at) => text.split_at(at),
                        None => (&text[..], ""),
                    };
                    text = format!("{}{exponent}", number.trim_end_matches('0').trim_end_matches('.'));
                }
                text
            }
        }
    };
    if conversion.is_ascii_uppercase() { text.to_ascii_uppercase() } else { text }
}

/// An integer as strtoimax reads `text` (decimal, `0x` hex, `0` octal; `'c` is the
/// character's code): the value, and whether all of `text` was used.
fn parse_integer(text: &str) -> (i128, bool) {
    if let Some(char) = text.strip_prefix(['\'', '"']).and_then(|rest| rest.chars().next()) {
        return (u32::from(char).into(), true);
    }
    let trimmed = text.trim_start();
    let (negative, unsigned) = match trimmed.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, trimmed.strip_prefix('+').unwrap_or(trimmed)),
    };
    let (radix, digits) = match unsigned.strip_prefix("0x").or_else(|| unsigned.strip_prefix("0X")) {
        Some(hex) => (16, hex),
        None if unsigned.starts_with('0') => (8, unsigned),
        None => (10, unsigned),
    };
    let length = digits.find(|char: char| !char.is_digit(radix)).unwrap_or(digits.len());
    let value = i128::from_str_radix(&digits[..length], radix).unwrap_or(0);
    let complete = length == digits.len() && (length > 0 || text.is_empty());
    (if negative { -value } else { value }, complete)
}

/// The output for `format` and `args`, the complaints about arguments, and what
/// stopped it if a bad conversion did.
pub fn render(format: &[u8], args: &[Vec<u8>]) -> (Vec<u8>, Vec<String>, Option<String>) {
    let mut formatter = Formatter { args, next: 0, complaints: Vec::new() };
    let mut out = Vec::new();
    loop {
        let before = formatter.next;
        match formatter.pass(format, &mut out) {
            Ok(true) => break,
            Ok(false) => {}
            Err(problem) => return (out, formatter.complaints, Some(problem)),
        }
        if formatter.next >= args.len() || formatter.next == before {
            if formatter.next == 0 && !args.is_empty() {
                let extra = quoted(String::from_utf8_lossy(&args[0]));
                formatter.complaints.push(format!("warning: ignoring excess arguments, starting with {extra}"));
            }
            break;
        }
    }
    (out, formatter.complaints, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printf(format: &str, args: &[&str]) -> String {
        let args: Vec<Vec<u8>> = args.iter().map(|arg| arg.as_bytes().to_vec()).collect();
        let (out, complaints, stopped) = render(format.as_bytes(), &args);
        assert!(stopped.is_none(), "{stopped:?}");
        assert!(complaints.is_empty(), "{complaints:?}");
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_and_widths() {
        assert_eq!(printf("%s-%s\n", &["a", "b"]), "a-b\n");
        assert_eq!(printf("%5.2s|%-4s|%c", &["abc", "x", "yes"]), "   ab|x   |y");
        assert_eq!(printf("%*s|%-*s|", &["4", "a", "3", "b"]), "   a|b  |");
        assert_eq!(printf("%s", &[]), "");
        assert_eq!(printf("%c", &[""]), "\0");
    }

    #[test]
    fn integers() {
        assert_eq!(printf("%d %i %u", &["42", "-7", "-1"]), "42 -7 18446744073709551615");
        assert_eq!(printf("%4d|%-4d|%04d|%+d|% d", &["7", "7", "-7", "5", "5"]), "   7|7   |-007|+5| 5");
        assert_eq!(printf("%x %X %o %#x %#o %#x", &["255", "255", "8", "255", "8", "0"]), "ff FF 10 0xff 010 0");
        assert_eq!(printf("%.3d|%6.3d|%06.3d|%.0d|", &["5", "5", "5", "0"]), "005|   005|   005||");
        assert_eq!(printf("%d %d %d %d", &["'A", "0x1f", "017", ""]), "65 31 15 0");
        assert_eq!(printf("%d", &[" 12"]), "12");
    }

    #[test]
    fn floats() {
        assert_eq!(printf("%f|%.2f|%8.3f|%-8.1f|", &["3.5", "2.345", "-1.5", "2"]), "3.500000|2.35|  -1.500|2.0     |");
        assert_eq!(printf("%e|%.2E", &["12345.678", "0.000123"]), "1.234568e+04|1.23E-04");
        assert_eq!(
            printf("%g %g %g %g %G", &["0.0001", "123456789", "100", "2.5", "1e-10"]),
            "0.0001 1.23457e+08 100 2.5 1E-10"
        );
        assert_eq!(printf("%g %#g %g", &["0", "1", "0.00001234"]), "0 1.00000 1.234e-05");
        assert_eq!(printf("%f %f", &["inf", "-inf"]), "inf -inf");
        assert_eq!(printf("%05.1f|%+.1f", &["2.25", "1"]), "002.2|+1.0");
    }

    #[test]
    fn escapes_and_reuse() {
        assert_eq!(printf("\\101\\x42\\0103\\n", &[]), "AB\x083\n");
        assert_eq!(printf("%s\\n", &["a", "b", "c"]), "a\nb\nc\n");
        assert_eq!(printf("%s %s\\n", &["a", "b", "c"]), "a b\nc \n");
        assert_eq!(printf("%b|", &["a\\0101\\tb"]), "aA\tb|");
        assert_eq!(printf("%b%s", &["x\\cy", "z"]), "x");
        assert_eq!(printf("a\\cb", &[]), "a");
        assert_eq!(printf("100%%", &[]), "100%");
    }

    #[test]
    fn complaints() {
        let (out, complaints, stopped) = render(b"%d|", &[b"abc".to_vec(), b"12x".to_vec()]);
        assert_eq!(out, b"0|12|");
        assert_eq!(complaints, ["'abc': expected a numeric value", "'12x': value not completely converted"]);
        assert!(stopped.is_none());
        let (out, _, stopped) = render(b"a%zb", &[]);
        assert_eq!(out, b"a");
        assert_eq!(stopped.unwrap(), "%z: invalid conversion specification");
        let (_, _, stopped) = render(b"%5%", &[]);
        assert_eq!(stopped.unwrap(), "%5%: invalid conversion specification");
        let (out, complaints, _) = render(b"x", &[b"extra".to_vec()]);
        assert_eq!(out, b"x");
        assert_eq!(complaints, ["warning: ignoring excess arguments, starting with 'extra'"]);
    }

    #[test]
    fn huge_widths_and_precisions_are_refused() {
        let (out, _, stopped) = render(b"a%99999999999db", &[b"1".to_vec()]);
        assert_eq!(out, b"a");
        assert_eq!(stopped.unwrap(), "invalid field width: '99999999999'");
        let (_, _, stopped) = render(b"%-*d", &[b"-4294967296".to_vec(), b"1".to_vec()]);
        assert_eq!(stopped.unwrap(), "invalid field width: '-4294967296'");
        let (_, _, stopped) = render(b"%.*g", &[b"18446744073709551615".to_vec(), b"1".to_vec()]);
        assert_eq!(stopped.unwrap(), "invalid precision: '18446744073709551615'");
        assert_eq!(printf("%.*d|%*d", &["-1", "5", "-3", "7"]), "5|7  ");
    }

    #[test]
    fn integer_parsing() {
        assert_eq!(parse_integer("-12"), (-12, true));
        assert_eq!(parse_integer("+0x10"), (16, true));
        assert_eq!(parse_integer("09"), (0, false));
        assert_eq!(parse_integer("x"), (0, false));
        assert_eq!(parse_integer(""), (0, true));
        assert_eq!(parse_integer("'é"), (233, true));
    }
}
