//! printf and sprintf: awk's format strings over its values, each conversion done
//! by the shared C-style formatter in `ulib::printf`.
use ulib::printf::{Arguments, conversion};

use super::value::Value;

/// Hands awk values to the formatter in the types its conversions need.
struct Values<'a> {
    values: &'a [Value],
    next: usize,
    convfmt: &'a str,
}

impl Values<'_> {
    /// The next value; past the last, an empty one (and `next` counts on, so that
    /// the shortage shows).
    fn take(&mut self) -> Value {
        let value = self.values.get(self.next).cloned().unwrap_or_default();
        self.next += 1;
        value
    }
}

impl Arguments for Values<'_> {
    fn text(&mut self) -> Vec<u8> {
        let convfmt = self.convfmt;
        self.take().string(convfmt).as_bytes().to_vec()
    }

    fn integer(&mut self) -> i128 {
        let value = self.take().number();
        if value.is_nan() { 0 } else { value as i128 }
    }

    fn float(&mut self) -> f64 {
        self.take().number()
    }

    /// A number (a strnum too) is the character with that code; a string, its
    /// first character.
    fn character(&mut self) -> Vec<u8> {
        match self.take() {
            Value::Num(code) | Value::StrNum(_, code) => match char::from_u32(code as u32) {
                Some(char) if code >= 128.0 => char.to_string().into_bytes(),
                _ => vec![code as u8],
            },
            other => {
                let text = other.string(self.convfmt);
                text.chars().next().map(|char| char.to_string().into_bytes()).unwrap_or_default()
            }
        }
    }
}

/// `format` applied to `values`; `Err` for a bad conversion.
pub fn sprintf(format: &str, values: &[Value], convfmt: &str) -> Result<String, String> {
    let mut args = Values { values, next: 0, convfmt };
    let bytes = format.as_bytes();
    let mut out = Vec::with_capacity(format.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            let next = bytes[i..].iter().position(|&byte| byte == b'%').map_or(bytes.len(), |at| i + at);
            out.extend_from_slice(&bytes[i..next]);
            i = next;
            continue;
        }
        if bytes.get(i + 1).is_none() {
            out.push(b'%');
            break;
        }
        let (_, length) = conversion(&bytes[i..], &mut args, &mut out)?;
        i += length;
    }
    if args.next > values.len() {
        return Err(format!("not enough arguments passed to printf(\"{format}\")"));
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(text: &str, values: &[Value]) -> String {
        sprintf(text, values, "%.6g").unwrap()
    }

    #[test]
    fn conversions_take_awk_values() {
        assert_eq!(format("%d|%5.2f|%s", &[Value::str("42abc"), Value::Num(1.23456), Value::Num(7.0)]), "42| 1.23|7");
        assert_eq!(format("%c%c%c", &[Value::Num(65.0), Value::str("hello"), Value::input("66")]), "AhB");
        assert_eq!(format("%-4s|%x|%%", &[Value::str("ab"), Value::Num(255.0)]), "ab  |ff|%");
        assert_eq!(format("%*d", &[Value::Num(4.0), Value::Num(1.0)]), "   1");
        assert_eq!(format("%.3e", &[Value::Num(12345.0)]), "1.234e+04");
        assert_eq!(format("%i %u", &[Value::Num(-3.9), Value::Num(5.0)]), "-3 5");
        assert!(sprintf("%z", &[], "%.6g").is_err());
        assert!(sprintf("%s %s", &[Value::str("only")], "%.6g").is_err());
    }
}
