//! Pattern matching notation (XCU 2.13) as `case` and `${x%pattern}` use it: the
//! whole pattern against a whole string (`*` matches `/` and leading dots here), and
//! the smallest or largest prefix or suffix of a value that a pattern matches. A
//! pattern's quoted characters are escaped with a backslash ([`escape`]).

/// Whether `text` matches `pattern`.
pub fn matches(pattern: &str, text: &str) -> bool {
    ulib::glob::matches(pattern.as_bytes(), text.as_bytes(), false)
}

/// `text` as a pattern that matches only itself.
pub fn escape(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len());
    for char in text.chars() {
        if matches!(char, '*' | '?' | '[' | ']' | '\\') {
            pattern.push('\\');
        }
        pattern.push(char);
    }
    pattern
}

/// The char boundaries of `text`, from the start.
fn boundaries(text: &str) -> impl DoubleEndedIterator<Item = usize> + '_ {
    text.char_indices().map(|(index, _)| index).chain(std::iter::once(text.len()))
}

/// `${value#pattern}` (smallest) or `${value##pattern}` (largest): `value` without
/// the prefix `pattern` matches, if any.
pub fn remove_prefix<'a>(value: &'a str, pattern: &str, largest: bool) -> &'a str {
    let matching = |&end: &usize| matches(pattern, &value[..end]);
    let end = if largest { boundaries(value).rev().find(matching) } else { boundaries(value).find(matching) };
    end.map_or(value, |end| &value[end..])
}

/// `${value%pattern}` (smallest) or `${value%%pattern}` (largest).
pub fn remove_suffix<'a>(value: &'a str, pattern: &str, largest: bool) -> &'a str {
    let matching = |&start: &usize| matches(pattern, &value[start..]);
    let start = if largest { boundaries(value).find(matching) } else { boundaries(value).rev().find(matching) };
    start.map_or(value, |start| &value[..start])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_matches() {
        assert!(matches("a*", "abc") && matches("*", "") && matches("*", "/a/.b"));
        assert!(matches("[a-c]?", "bz") && matches("[!a]", "b") && !matches("[!a]", "a"));
        assert!(matches(&escape("a*[b]?\\"), "a*[b]?\\") && !matches(&escape("a*"), "ab"));
    }

    #[test]
    fn prefixes_and_suffixes() {
        let path = "/usr/lib/file.tar.gz";
        assert_eq!(remove_prefix(path, "*/", false), "usr/lib/file.tar.gz");
        assert_eq!(remove_prefix(path, "*/", true), "file.tar.gz");
        assert_eq!(remove_suffix(path, ".*", false), "/usr/lib/file.tar");
        assert_eq!(remove_suffix(path, ".*", true), "/usr/lib/file");
        assert_eq!(remove_prefix("abc", "x", false), "abc");
        assert_eq!(remove_prefix("abc", "*", false), "abc");
        assert_eq!(remove_prefix("abc", "*", true), "");
        assert_eq!(remove_suffix("abc", "", false), "abc");
        assert_eq!(remove_suffix("héé", "é", false), "hé");
    }
}
