//! POSIX regular expressions (basic and extended, as grep, sed and awk take them)
//! translated into the syntax of the `regex-lite` crate, which then matches them;
//! with GNU's `\`` and `\'` (the start and end of the text).

/// POSIX regular expression syntax as Rust's: a basic (`extended == false`) or
/// extended expression becomes the `regex-lite` pattern that matches the same.
/// Back-references (`\1`) have no equivalent there: `Err`.
pub fn translate(pattern: &str, extended: bool) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    // Whether the next character starts an expression (where `*` is literal and, in
    // a basic expression, `^` is an anchor).
    let mut at_start = true;
    while i < chars.len() {
        let char = chars[i];
        let starting = std::mem::replace(&mut at_start, false);
        match char {
            '\\' if i + 1 < chars.len() => {
                let next = chars[i + 1];
                i += 2;
                match next {
                    '(' | ')' | '|' | '{' | '}' | '+' | '?' if !extended => {
                        out.push(next);
                        at_start = matches!(next, '(' | '|');
                    }
                    '<' | '>' | 'b' | 'B' | 'w' | 'W' | 's' | 'S' => {
                        out.push('\\');
                        out.push(next);
                    }
                    '`' => out.push_str("\\A"),
                    '\'' => out.push_str("\\z"),
                    '1'..='9' => return Err("back-references are not supported".into()),
                    _ if next.is_ascii_alphanumeric() => out.push(next),
                    _ => {
                        out.push('\\');
                        out.push(next);
                    }
                }
                continue;
            }
            '[' => {
                i = bracket(&chars, i, &mut out).ok_or("Unmatched [, [^, [:, [., or [=")?;
                continue;
            }
            '(' | ')' | '|' | '{' | '}' | '+' | '?' if !extended => {
                out.push('\\');
                out.push(char);
            }
            '{' if !chars.get(i + 1).is_some_and(char::is_ascii_digit) => out.push_str("\\{"),
            '(' | '|' => {
                out.push(char);
                at_start = true;
            }
            '*' if starting => out.push_str("\\*"),
            '^' if starting || extended => {
                out.push('^');
                at_start = true;
            }
            '^' => out.push_str("\\^"),
            '$' if !extended => {
                let rest: String = chars[i + 1..].iter().collect();
                let at_end = rest.is_empty() || rest.starts_with("\\)") || rest.starts_with("\\|");
                out.push_str(if at_end { "$" } else { "\\$" });
            }
            _ => out.push(char),
        }
        i += 1;
    }
    Ok(out)
}

/// Copies the bracket expression that starts at `chars[start]` to `out` in Rust's
/// syntax (where `\`, `[`, `&`, `~` are special); returns the index after it, or
/// `None` when it has no end.
fn bracket(chars: &[char], start: usize, out: &mut String) -> Option<usize> {
    let mut i = start + 1;
    let mut body = String::from("[");
    if chars.get(i) == Some(&'^') {
        body.push('^');
        i += 1;
    }
    let mut first = true;
    while i < chars.len() {
        let char = chars[i];
        if char == ']' && !first {
            body.push(']');
            out.push_str(&body);
            return Some(i + 1);
        }
        first = false;
        if char == '[' && matches!(chars.get(i + 1), Some(':' | '.' | '=')) {
            let delimiter = chars[i + 1];
            if let Some(end) =
                (i + 2..chars.len().saturating_sub(1)).find(|&j| chars[j] == delimiter && chars[j + 1] == ']')
            {
                let name: String = chars[i + 2..end].iter().collect();
                match delimiter {
                    ':' => body.push_str(&format!("[:{name}:]")),
                    _ => name.chars().for_each(|char| body.push_str(&regex_lite::escape(&char.to_string()))),
                }
                i = end + 2;
                continue;
            }
        }
        if matches!(char, '\\' | '[' | ']' | '&' | '~') {
            body.push('\\');
        }
        body.push(char);
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, extended: bool, text: &str) -> bool {
        regex_lite::Regex::new(&translate(pattern, extended).unwrap()).unwrap().is_match(text)
    }

    #[test]
    fn basic_expressions() {
        assert_eq!(translate(r"a\(b\)*c", false).unwrap(), "a(b)*c");
        assert_eq!(translate("a(b)+?{", false).unwrap(), r"a\(b\)\+\?\{");
        assert_eq!(translate("*x", false).unwrap(), r"\*x");
        assert_eq!(translate("a^b$c$", false).unwrap(), r"a\^b\$c$");
        assert!(matches(r"ab\+", false, "abbb"));
        assert!(matches("b+", false, "ab+"));
        assert!(!matches("b+", false, "abb"));
        assert!(matches(r"^\(ab\|cd\)$", false, "cd"));
        assert!(matches(r"x\{2\}", false, "axxb"));
        assert!(translate(r"\(a\)\1", false).is_err());
        assert!(matches(r"\`ab", false, "abc") && !matches(r"\`b", false, "ab"));
        assert!(matches(r"c\'", false, "abc") && !matches(r"a\'", false, "ab"));
    }

    #[test]
    fn extended_expressions() {
        assert!(matches("ab+", true, "abbb"));
        assert!(matches("^(ab|cd)$", true, "ab"));
        assert!(matches("{x", true, "{x"));
        assert!(matches(r"\<word\>", true, "a word here"));
        assert!(!matches(r"\<word\>", true, "swordfish"));
        assert!(matches(r"a\.b", true, "a.b") && !matches(r"a\.b", true, "axb"));
    }

    #[test]
    fn brackets() {
        assert_eq!(translate(r"[\]", false).unwrap(), r"[\\]");
        assert_eq!(translate("[]a]", false).unwrap(), r"[\]a]");
        assert_eq!(translate("[^]a]", false).unwrap(), r"[^\]a]");
        assert_eq!(translate("[[:digit:]x]", false).unwrap(), "[[:digit:]x]");
        assert_eq!(translate("[a&&b]", false).unwrap(), r"[a\&\&b]");
        assert!(translate("a[", false).is_err());
        assert!(matches("[[:upper:]][0-9]", false, "xA7"));
        assert!(matches("[.]", false, "a.b") && !matches("[.]", false, "ab"));
    }
}
