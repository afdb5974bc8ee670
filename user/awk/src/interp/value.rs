//! awk's values: numbers, strings, strings from input that look numeric (strnums),
//! and the uninitialized value; conversions between numbers and strings, and the
//! comparison rules.
use std::cmp::Ordering;
use std::rc::Rc;

#[derive(Debug, Clone, Default)]
pub enum Value {
    #[default]
    Uninit,
    Num(f64),
    Str(Rc<str>),
    /// Input text that looks like a number: it compares as one.
    StrNum(Rc<str>, f64),
}

/// The number at the start of `text`, as strtod reads it (leading blanks, sign,
/// digits, fraction, exponent; `inf`/`nan` words are not numbers in awk).
pub fn leading_number(text: &str) -> f64 {
    let (value, _) = scan_number(text);
    value
}

/// The number at the start of `text` and where it ends (0 when there is none).
fn scan_number(text: &str) -> (f64, usize) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c') {
        i += 1;
    }
    let start = i;
    if i < bytes.len() && matches!(bytes[i], b'+' | b'-') {
        i += 1;
    }
    let digits_start = i;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - digits_start;
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        let fraction_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        digits += i - fraction_start;
    }
    if digits == 0 {
        return (0.0, 0);
    }
    if i < bytes.len() && matches!(bytes[i], b'e' | b'E') {
        let mut j = i + 1;
        if j < bytes.len() && matches!(bytes[j], b'+' | b'-') {
            j += 1;
        }
        if j < bytes.len() && bytes[j].is_ascii_digit() {
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    (text[start..i].parse().unwrap_or(0.0), i)
}

/// Whether input text looks numeric: a number with only blanks around it.
pub fn looks_numeric(text: &str) -> Option<f64> {
    let (value, end) = scan_number(text);
    (end > 0 && text[end..].trim_matches([' ', '\t', '\n', '\r']).is_empty()).then_some(value)
}

/// A number as text: integers as integers, others by `format` (CONVFMT or OFMT).
pub fn number_to_string(value: f64, format: &str) -> String {
    if value == value.trunc() && value.abs() < 9.2e18 {
        let sign = if value == 0.0 && value.is_sign_negative() { "-" } else { "" };
        return format!("{sign}{}", value as i64);
    }
    if value.is_nan() {
        return if value.is_sign_negative() { "-nan" } else { "nan" }.to_owned();
    }
    if value.is_infinite() {
        return if value < 0.0 { "-inf" } else { "inf" }.to_owned();
    }
    super::format::sprintf(format, &[Value::Num(value)], format).unwrap_or_default()
}

impl Value {
    /// A value read from input: a strnum when it looks numeric.
    pub fn input(text: impl Into<Rc<str>>) -> Self {
        let text = text.into();
        match looks_numeric(&text) {
            Some(value) => Value::StrNum(text, value),
            None => Value::Str(text),
        }
    }

    pub fn str(text: impl Into<Rc<str>>) -> Self {
        Value::Str(text.into())
    }

    pub fn number(&self) -> f64 {
        match self {
            Value::Uninit => 0.0,
            Value::Num(value) | Value::StrNum(_, value) => *value,
            Value::Str(text) => leading_number(text),
        }
    }

    /// The value as a string, numbers converted by `format`.
    pub fn string(&self, format: &str) -> Rc<str> {
        match self {
            Value::Uninit => Rc::from(""),
            Value::Num(value) => Rc::from(number_to_string(*value, format)),
            Value::Str(text) | Value::StrNum(text, _) => text.clone(),
        }
    }

    pub fn truthy(&self) -> bool {
        match self {
            Value::Uninit => false,
            Value::Num(value) => *value != 0.0,
            Value::Str(text) => !text.is_empty(),
            Value::StrNum(_, value) => *value != 0.0,
        }
    }

    fn is_numeric(&self) -> bool {
        matches!(self, Value::Uninit | Value::Num(_) | Value::StrNum(..))
    }

    /// POSIX's comparison: numeric when both are numbers or strnums, else as strings.
    pub fn compare(&self, other: &Value, convfmt: &str) -> Ordering {
        if self.is_numeric() && other.is_numeric() {
            return self.number().partial_cmp(&other.number()).unwrap_or(Ordering::Less);
        }
        self.string(convfmt).cmp(&other.string(convfmt))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_from_text() {
        assert_eq!(leading_number(" 12abc"), 12.0);
        assert_eq!(leading_number("-1.5e2x"), -150.0);
        assert_eq!(leading_number(".5"), 0.5);
        assert_eq!(leading_number("e5"), 0.0);
        assert_eq!(leading_number("1e"), 1.0);
        assert_eq!(looks_numeric(" 3.0 "), Some(3.0));
        assert_eq!(looks_numeric("3x"), None);
        assert_eq!(looks_numeric(""), None);
        assert_eq!(looks_numeric("+"), None);
    }

    #[test]
    fn numbers_to_text() {
        assert_eq!(number_to_string(3.0, "%.6g"), "3");
        assert_eq!(number_to_string(-42.0, "%.6g"), "-42");
        assert_eq!(number_to_string(0.1 + 0.2, "%.6g"), "0.3");
        assert_eq!(number_to_string(1e20, "%.6g"), "1e+20");
        assert_eq!(number_to_string(2f64.powi(60), "%.6g"), "1152921504606846976");
        assert_eq!(number_to_string(-0.0, "%.6g"), "-0");
        assert_eq!(number_to_string(1.23456, "%.2f"), "1.23");
    }

    #[test]
    fn comparisons() {
        let convfmt = "%.6g";
        assert_eq!(Value::input("10").compare(&Value::input("9"), convfmt), Ordering::Greater);
        assert_eq!(Value::str("10").compare(&Value::str("9"), convfmt), Ordering::Less);
        assert_eq!(Value::Uninit.compare(&Value::Num(0.0), convfmt), Ordering::Equal);
        assert_eq!(Value::Uninit.compare(&Value::str(""), convfmt), Ordering::Equal);
        assert_eq!(Value::Num(2.0).compare(&Value::str("10"), convfmt), Ordering::Greater);
    }
}
