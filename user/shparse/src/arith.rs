//! Arithmetic expansion's evaluator (XCU 2.6.4): signed 64-bit integers that wrap,
//! decimal, octal (`0` prefix) and hexadecimal (`0x`) constants, variables (whose
//! values must be integer constants; unset or empty is 0), and C's operators with
//! C's precedence: unary `+ - ! ~`, `* / %`, `+ -`, `<< >>`, `< <= > >=`, `== !=`,
//! `&`, `^`, `|`, `&&`, `||`, `?:` and the assignments `= *= /= %= += -= <<= >>=
//! &= ^= |=`. Branches not taken (by `&&`, `||`, `?:`) are parsed but have no
//! effect and cannot fail. `++`, `--` and `,` are not part of it, as in dash.

/// The variables an expression reads and assigns.
pub trait ArithVars {
    fn get(&self, name: &str) -> Option<String>;
    fn set(&mut self, name: &str, value: i64) -> Result<(), String>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Number(i64),
    Name(&'a str),
    /// An operator: its text.
    Op(&'static str),
    End,
}

/// Operators, longest first so that a prefix never shadows a longer one.
const OPERATORS: [&str; 34] = [
    "<<=", ">>=", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "+",
    "-", "*", "/", "%", "<", ">", "&", "^", "|", "!", "~", "?", ":", "=", "(",
];

/// An integer constant as C reads it: the whole of `text` (blanks around allowed).
pub fn parse_number(text: &str) -> Option<i64> {
    let text = text.trim_matches([' ', '\t', '\n']);
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (radix, digits) = if let Some(hex) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        (16, hex)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    if digits.is_empty() || !digits.chars().all(|char| char.is_digit(radix)) {
        return None;
    }
    let value = digits.chars().fold(0i64, |value, char| {
        value.wrapping_mul(i64::from(radix)).wrapping_add(i64::from(char.to_digit(radix).unwrap_or(0)))
    });
    Some(if negative { value.wrapping_neg() } else { value })
}

struct Evaluator<'a, 'v> {
    text: &'a str,
    pos: usize,
    token: Token<'a>,
    vars: &'v mut dyn ArithVars,
}

/// Evaluates `text`, reading and assigning `vars`.
pub fn eval(text: &str, vars: &mut dyn ArithVars) -> Result<i64, String> {
    let mut evaluator = Evaluator { text, pos: 0, token: Token::End, vars };
    evaluator.advance()?;
    let value = evaluator.assignment(true)?;
    if evaluator.token != Token::End {
        return Err(format!("arithmetic expression: expecting EOF: \"{text}\""));
    }
    Ok(value)
}

/// The binary operators by precedence level, loosest first (from `||` down to
/// `* / %`).
const LEVELS: [&[&str]; 10] = [
    &["||"],
    &["&&"],
    &["|"],
    &["^"],
    &["&"],
    &["==", "!="],
    &["<", "<=", ">", ">="],
    &["<<", ">>"],
    &["+", "-"],
    &["*", "/", "%"],
];

impl<'a> Evaluator<'a, '_> {
    fn error(&self, what: &str) -> String {
        format!("arithmetic expression: {what}: \"{}\"", self.text)
    }

    fn advance(&mut self) -> Result<(), String> {
        let rest = &self.text[self.pos..];
        let trimmed = rest.trim_start_matches([' ', '\t', '\n']);
        self.pos += rest.len() - trimmed.len();
        let Some(first) = trimmed.chars().next() else {
            self.token = Token::End;
            return Ok(());
        };
        if first.is_ascii_digit() {
            let length = trimmed.find(|char: char| !char.is_ascii_alphanumeric()).unwrap_or(trimmed.len());
            let number = parse_number(&trimmed[..length]).ok_or_else(|| self.error("expecting EOF"))?;
            self.pos += length;
            self.token = Token::Number(number);
        } else if first.is_ascii_alphabetic() || first == '_' {
            let length =
                trimmed.find(|char: char| !char.is_ascii_alphanumeric() && char != '_').unwrap_or(trimmed.len());
            self.token = Token::Name(&trimmed[..length]);
            self.pos += length;
        } else if first == ')' {
            self.pos += 1;
            self.token = Token::Op(")");
        } else {
            let op =
                OPERATORS.iter().find(|op| trimmed.starts_with(**op)).ok_or_else(|| self.error("expecting primary"))?;
            self.pos += op.len();
            self.token = Token::Op(op);
        }
        Ok(())
    }

    fn variable(&self, name: &str) -> Result<i64, String> {
        match self.vars.get(name) {
            None => Ok(0),
            Some(value) if value.trim_matches([' ', '\t', '\n']).is_empty() => Ok(0),
            Some(value) => parse_number(&value).ok_or_else(|| format!("Illegal number: {value}")),
        }
    }

    /// `name op= expr`, or a conditional expression.
    fn assignment(&mut self, live: bool) -> Result<i64, String> {
        if let Token::Name(name) = self.token {
            let rest = self.text[self.pos..].trim_start_matches([' ', '\t', '\n']);
            let op = ["=", "*=", "/=", "%=", "+=", "-=", "<<=", ">>=", "&=", "^=", "|="]
                .into_iter()
                .filter(|op| rest.starts_with(op) && !rest.starts_with("=="))
                .max_by_key(|op| op.len());
            if let Some(op) = op {
                self.advance()?;
                self.advance()?;
                let right = self.assignment(live)?;
                if !live {
                    return Ok(0);
                }
                let value = match op {
                    "=" => right,
                    op => self.apply(&op[..op.len() - 1], self.variable(name)?, right)?,
                };
                self.vars.set(name, value)?;
                return Ok(value);
            }
        }
        self.conditional(live)
    }

    fn conditional(&mut self, live: bool) -> Result<i64, String> {
        let condition = self.binary(0, live)?;
        if self.token != Token::Op("?") {
            return Ok(condition);
        }
        self.advance()?;
        let yes = self.assignment(live && condition != 0)?;
        if self.token != Token::Op(":") {
            return Err(self.error("expecting ':'"));
        }
        self.advance()?;
        let no = self.assignment(live && condition == 0)?;
        Ok(if condition != 0 { yes } else { no })
    }

    fn binary(&mut self, level: usize, live: bool) -> Result<i64, String> {
        let Some(operators) = LEVELS.get(level) else {
            return self.unary(live);
        };
        let mut left = self.binary(level + 1, live)?;
        while let Token::Op(op) = self.token {
            if !operators.contains(&op) {
                break;
            }
            self.advance()?;
            let right_live = match op {
                "&&" => live && left != 0,
                "||" => live && left == 0,
                _ => live,
            };
            let right = self.binary(level + 1, right_live)?;
            left = if live { self.apply(op, left, right)? } else { 0 };
        }
        Ok(left)
    }

    fn apply(&self, op: &str, left: i64, right: i64) -> Result<i64, String> {
        Ok(match op {
            "||" => i64::from(left != 0 || right != 0),
            "&&" => i64::from(left != 0 && right != 0),
            "|" => left | right,
            "^" => left ^ right,
            "&" => left & right,
            "==" => i64::from(left == right),
            "!=" => i64::from(left != right),
            "<" => i64::from(left < right),
            "<=" => i64::from(left <= right),
            ">" => i64::from(left > right),
            ">=" => i64::from(left >= right),
            "<<" => left.wrapping_shl(right as u32),
            ">>" => left.wrapping_shr(right as u32),
            "+" => left.wrapping_add(right),
            "-" => left.wrapping_sub(right),
            "*" => left.wrapping_mul(right),
            "/" | "%" if right == 0 => return Err(self.error("division by zero")),
            "/" => left.wrapping_div(right),
            _ => left.wrapping_rem(right),
        })
    }

    fn unary(&mut self, live: bool) -> Result<i64, String> {
        match self.token {
            Token::Op(op @ ("+" | "-" | "!" | "~")) => {
                self.advance()?;
                let value = self.unary(live)?;
                Ok(match op {
                    "+" => value,
                    "-" => value.wrapping_neg(),
                    "!" => i64::from(value == 0),
                    _ => !value,
                })
            }
            Token::Op("(") => {
                self.advance()?;
                let value = self.assignment(live)?;
                if self.token != Token::Op(")") {
                    return Err(self.error("expecting ')'"));
                }
                self.advance()?;
                Ok(value)
            }
            Token::Number(value) => {
                self.advance()?;
                Ok(value)
            }
            Token::Name(name) => {
                self.advance()?;
                if live { self.variable(name) } else { Ok(0) }
            }
            _ => Err(self.error("expecting primary")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Default)]
    struct Vars(BTreeMap<String, String>);

    impl ArithVars for Vars {
        fn get(&self, name: &str) -> Option<String> {
            self.0.get(name).cloned()
        }

        fn set(&mut self, name: &str, value: i64) -> Result<(), String> {
            if name == "RO" {
                return Err("RO: is read only".into());
            }
            self.0.insert(name.into(), value.to_string());
            Ok(())
        }
    }

    fn eval_with(text: &str, vars: &mut Vars) -> Result<i64, String> {
        eval(text, vars)
    }

    fn value(text: &str) -> i64 {
        eval_with(text, &mut Vars::default()).unwrap_or_else(|err| panic!("{text}: {err}"))
    }

    #[test]
    fn constants() {
        assert_eq!(value("42"), 42);
        assert_eq!(value(" 010 "), 8);
        assert_eq!(value("0x1f + 0XA"), 41);
        assert_eq!(value("0"), 0);
        assert!(eval_with("08", &mut Vars::default()).is_err());
        assert!(eval_with("12abc", &mut Vars::default()).is_err());
    }

    #[test]
    fn precedence_and_associativity() {
        assert_eq!(value("1 + 2 * 3"), 7);
        assert_eq!(value("(1 + 2) * 3"), 9);
        assert_eq!(value("10 - 4 - 3"), 3);
        assert_eq!(value("2 + 3 << 1"), 10);
        assert_eq!(value("1 < 2 == 1"), 1);
        assert_eq!(value("3 > 2 > 1"), 0);
        assert_eq!(value("6 & 3 | 8 ^ 1"), 11);
        assert_eq!(value("1 || 0 && 0"), 1);
        assert_eq!(value("0 ? 1 : 0 ? 2 : 3"), 3);
        assert_eq!(value("-3 / 2"), -1);
        assert_eq!(value("-3 % 2"), -1);
        assert_eq!(value("!0 + ~0 + -(-2) + +1"), 3);
        assert_eq!(value("1 << 63"), i64::MIN);
        assert_eq!(value("9223372036854775807 + 1"), i64::MIN);
    }

    #[test]
    fn variables_and_assignments() {
        let mut vars = Vars::default();
        vars.0.insert("a".into(), "3".into());
        vars.0.insert("e".into(), "".into());
        vars.0.insert("s".into(), " 12 ".into());
        vars.0.insert("bad".into(), "1+2".into());
        assert_eq!(eval_with("a * 2 + e + unset + s", &mut vars), Ok(18));
        assert_eq!(eval_with("a *= 2", &mut vars), Ok(6));
        assert_eq!(eval_with("b = c = a + 1", &mut vars), Ok(7));
        assert_eq!(vars.get("b").as_deref(), Some("7"));
        assert_eq!(vars.get("c").as_deref(), Some("7"));
        assert_eq!(eval_with("a <<= 1", &mut vars), Ok(12));
        assert_eq!(eval_with("a == 12", &mut vars), Ok(1));
        assert_eq!(eval_with("bad", &mut vars), Err("Illegal number: 1+2".into()));
        assert_eq!(eval_with("RO = 1", &mut vars), Err("RO: is read only".into()));
    }

    #[test]
    fn branches_not_taken_have_no_effect() {
        let mut vars = Vars::default();
        assert_eq!(eval_with("0 && (x = 1 / 0)", &mut vars), Ok(0));
        assert_eq!(eval_with("1 || (x = 1)", &mut vars), Ok(1));
        assert_eq!(eval_with("1 ? 2 : (x = 1 / 0)", &mut vars), Ok(2));
        assert_eq!(eval_with("0 ? x = 5 : 6", &mut vars), Ok(6));
        assert_eq!(vars.get("x"), None);
        assert_eq!(eval_with("1 ? y = 5 : 6", &mut vars), Ok(5));
        assert_eq!(vars.get("y").as_deref(), Some("5"));
    }

    #[test]
    fn errors() {
        let error = |text: &str| eval_with(text, &mut Vars::default()).unwrap_err();
        assert_eq!(error("1 / 0"), "arithmetic expression: division by zero: \"1 / 0\"");
        assert_eq!(error("1 % 0"), "arithmetic expression: division by zero: \"1 % 0\"");
        assert_eq!(error("1 +"), "arithmetic expression: expecting primary: \"1 +\"");
        assert_eq!(error("1 = 2"), "arithmetic expression: expecting EOF: \"1 = 2\"");
        assert_eq!(error("(1"), "arithmetic expression: expecting ')': \"(1\"");
        assert_eq!(error("1 ? 2"), "arithmetic expression: expecting ':': \"1 ? 2\"");
        assert_eq!(error("2 ** 2"), "arithmetic expression: expecting primary: \"2 ** 2\"");
        assert_eq!(error("1 , 2"), "arithmetic expression: expecting primary: \"1 , 2\"");
        assert_eq!(error(""), "arithmetic expression: expecting primary: \"\"");
    }
}
