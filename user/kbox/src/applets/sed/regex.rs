//! sed's regular expressions: the text between the delimiters (with `\n`, `\t` and
//! an escaped newline and the escaped delimiter made plain) translated by posixre, compiled by regex-lite
//! with the `I` and `M` flags; `.` matches the newlines that `N` and `G` put in the
//! pattern space. An empty expression stands for the last one used.
use regex_lite::{Regex, RegexBuilder};

/// A compiled expression, or `None` for `//` (the last one used).
pub type Pattern = Option<Regex>;

/// The expression's text with sed's own escapes resolved: `\n` a newline, `\t` a
/// tab, `\DELIM` the delimiter itself; other escapes are left for posixre.
pub fn unescape(text: &[char], delimiter: char) -> String {
    let mut out = String::new();
    let mut chars = text.iter().copied();
    while let Some(char) = chars.next() {
        if char != '\\' {
            out.push(char);
            continue;
        }
        match chars.next() {
            Some('n' | '\n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(next) if next == delimiter && next != '\n' => out.push(next),
            Some(next) => {
                out.push('\\');
                out.push(next);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Compiles `text` (already unescaped); `Ok(None)` when it is empty.
pub fn compile(text: &str, extended: bool, ignore_case: bool, multi_line: bool) -> Result<Pattern, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let translated = posixre::translate(text, extended).map_err(|problem| {
        if problem.contains("back-references") {
            "back-references (\\1 in a regular expression) are not supported".to_owned()
        } else {
            problem
        }
    })?;
    RegexBuilder::new(&translated)
        .case_insensitive(ignore_case)
        .multi_line(multi_line)
        .dot_matches_new_line(!multi_line)
        .build()
        .map(Some)
        .map_err(|err| err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(text: &str) -> Vec<char> {
        text.chars().collect()
    }

    #[test]
    fn sed_escapes() {
        assert_eq!(unescape(&chars(r"a\nb\tc\/d\.e\\n"), '/'), "a\nb\tc/d\\.e\\\\n");
        assert_eq!(unescape(&chars(r"a\|b"), '|'), "a|b");
    }

    #[test]
    fn compiling() {
        assert!(compile("", false, false, false).unwrap().is_none());
        let regex = compile("a.b", false, false, false).unwrap().unwrap();
        assert!(regex.is_match("a\nb"));
        let regex = compile("^b$", false, false, true).unwrap().unwrap();
        assert!(regex.is_match("a\nb\nc"));
        assert!(compile("AB", false, true, false).unwrap().unwrap().is_match("xaby"));
        assert!(compile(r"\(a\)\1", false, false, false).unwrap_err().contains("not supported"));
        assert!(compile("a[", false, false, false).is_err());
    }
}
