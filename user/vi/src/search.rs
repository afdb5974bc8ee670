//! Searching with vi's patterns (POSIX basic regular expressions, through
//! `posixre`): the next match forward or backward with wrapping around the ends,
//! and `:s` substitution with `&` and `\1`..`\9` in the replacement.
use std::borrow::Cow;

use regex_lite::{Captures, Regex};

use crate::buffer::{Buffer, Pos};

/// A compiled search pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    regex: Regex,
}

/// A line as text for the regex (invalid UTF-8 replaced, offsets then approximate).
fn text(line: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(line)
}

impl Pattern {
    /// Compiles a basic regular expression; the error is vim's message.
    pub fn new(pattern: &str) -> Result<Self, String> {
        let translated =
            posixre::translate(pattern, false).map_err(|err| format!("E383: Invalid search string: {err}"))?;
        let regex = Regex::new(&translated).map_err(|_| format!("E383: Invalid search string: {pattern}"))?;
        Ok(Self { regex })
    }

    /// The first match in `line` starting at or after `from`: its start and end.
    fn find_from(&self, line: &[u8], from: usize) -> Option<(usize, usize)> {
        let text = text(line);
        if from > text.len() || !text.is_char_boundary(from) {
            return None;
        }
        self.regex.find_at(&text, from).map(|found| (found.start(), found.end()))
    }

    /// The start of the last match in `line` that starts before `before`.
    fn find_before(&self, line: &[u8], before: usize) -> Option<usize> {
        let text = text(line);
        let mut last = None;
        let mut from = 0;
        while let Some(found) = self.regex.find_at(&text, from) {
            if found.start() >= before {
                break;
            }
            last = Some(found.start());
            from = text[found.start()..].chars().next().map_or(text.len() + 1, |c| found.start() + c.len_utf8());
            if from > text.len() {
                break;
            }
        }
        last
    }

    /// The next match after `from` (before it, backwards), wrapping around the
    /// ends of the text: where it starts, and whether the search wrapped.
    pub fn search(&self, buf: &Buffer, from: Pos, forward: bool) -> Option<(Pos, bool)> {
        let lines = buf.len();
        if forward {
            let after = crate::buffer::next_char(buf.line(from.line), from.col);
            let start = if after > from.col { after } else { from.col + 1 };
            if let Some((col, _)) = self.find_from(buf.line(from.line), start) {
                return Some((Pos::new(from.line, col), false));
            }
            for step in 1..=lines {
                let line = (from.line + step) % lines;
                if let Some((col, _)) = self.find_from(buf.line(line), 0) {
                    return Some((Pos::new(line, col), line <= from.line));
                }
            }
        } else {
            if let Some(col) = self.find_before(buf.line(from.line), from.col) {
                return Some((Pos::new(from.line, col), false));
            }
            for step in 1..=lines {
                let line = (from.line + lines - step) % lines;
                if let Some(col) = self.find_before(buf.line(line), usize::MAX) {
                    return Some((Pos::new(line, col), line >= from.line));
                }
            }
        }
        None
    }

    /// `line` with the first match (every match if `global`) replaced by
    /// `replacement`, or `None` if nothing matches.
    pub fn substitute(&self, line: &[u8], replacement: &str, global: bool) -> Option<Vec<u8>> {
        let text = text(line);
        let mut out = String::new();
        let mut copied = 0;
        let mut from = 0;
        let mut any = false;
        while from <= text.len() {
            let Some(captures) = self.regex.captures_at(&text, from) else { break };
            let found = captures.get(0).expect("group 0 is the match");
            any = true;
            out.push_str(&text[copied..found.start()]);
            expand(&captures, replacement, &mut out);
            copied = found.end();
            from = if found.is_empty() {
                text[found.end()..].chars().next().map_or(text.len() + 1, |c| found.end() + c.len_utf8())
            } else {
                found.end()
            };
            if !global {
                break;
            }
        }
        any.then(|| {
            out.push_str(&text[copied.min(text.len())..]);
            out.into_bytes()
        })
    }
}

/// Appends vi's replacement text: `&` and `\0` the match, `\1`..`\9` its groups,
/// `\&` and `\\` themselves.
fn expand(captures: &Captures, replacement: &str, out: &mut String) {
    let mut chars = replacement.chars();
    while let Some(char) = chars.next() {
        match char {
            '&' => out.push_str(&captures[0]),
            '\\' => match chars.next() {
                Some(digit @ '0'..='9') => {
                    let group = digit.to_digit(10).map_or(0, |digit| digit as usize);
                    out.push_str(captures.get(group).map_or("", |found| found.as_str()));
                }
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            _ => out.push(char),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::buffer;

    #[test]
    fn searching_forward_wraps() {
        let buf = buffer("foo bar\nbaz foo\nqux\n");
        let pattern = Pattern::new("foo").unwrap();
        assert_eq!(pattern.search(&buf, Pos::new(0, 0), true), Some((Pos::new(1, 4), false)));
        assert_eq!(pattern.search(&buf, Pos::new(1, 4), true), Some((Pos::new(0, 0), true)));
        assert_eq!(pattern.search(&buf, Pos::new(2, 0), true), Some((Pos::new(0, 0), true)));
        assert!(Pattern::new("nothing").unwrap().search(&buf, Pos::new(0, 0), true).is_none());
    }

    #[test]
    fn searching_backward_wraps() {
        let buf = buffer("foo foo\nbar\n");
        let pattern = Pattern::new("fo*").unwrap();
        assert_eq!(pattern.search(&buf, Pos::new(0, 4), false), Some((Pos::new(0, 0), false)));
        assert_eq!(pattern.search(&buf, Pos::new(0, 0), false), Some((Pos::new(0, 4), true)));
        assert_eq!(pattern.search(&buf, Pos::new(1, 0), false), Some((Pos::new(0, 4), false)));
    }

    #[test]
    fn patterns_are_basic_regular_expressions() {
        let buf = buffer("a+b\naab\n");
        let pattern = Pattern::new("a+b").unwrap();
        assert_eq!(pattern.search(&buf, Pos::new(1, 0), true), Some((Pos::new(0, 0), true)));
        let anchored = Pattern::new("^b").unwrap();
        assert!(anchored.search(&buf, Pos::new(0, 0), true).is_none());
        assert!(Pattern::new("[").is_err());
    }

    #[test]
    fn substituting() {
        let pattern = Pattern::new("o").unwrap();
        assert_eq!(pattern.substitute(b"foo", "0", false), Some(b"f0o".to_vec()));
        assert_eq!(pattern.substitute(b"foo", "0", true), Some(b"f00".to_vec()));
        assert_eq!(pattern.substitute(b"bar", "0", true), None);
        let groups = Pattern::new("\\(w\\)\\(o\\)").unwrap();
        assert_eq!(groups.substitute(b"world", "[&\\2\\1]", false), Some(b"[woow]rld".to_vec()));
        let empty = Pattern::new("x*").unwrap();
        assert_eq!(empty.substitute(b"ab", "-", true), Some(b"-a-b-".to_vec()));
    }
}
