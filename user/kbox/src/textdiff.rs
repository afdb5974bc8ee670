//! The differences between two texts as `diff` prints them: lines compared
//! (optionally ignoring case or white space) by the `similar` crate's Myers
//! algorithm, grouped into changes, and written in GNU diff's normal, unified or
//! context format.
use std::io::{self, Write};
use std::ops::Range;

use similar::{Algorithm, DiffTag, capture_diff_slices};

/// How lines compare.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Compare {
    /// -i: case does not matter.
    pub ignore_case: bool,
    /// -b: the amount of white space does not matter, trailing white space none.
    pub ignore_space_change: bool,
    /// -w: white space does not matter at all.
    pub ignore_all_space: bool,
}

impl Compare {
    /// The part of `line` that counts.
    fn key(self, line: &[u8]) -> Vec<u8> {
        let mut key = Vec::with_capacity(line.len());
        let (body, newline) = match line.strip_suffix(b"\n") {
            Some(body) => (body, true),
            None => (line, false),
        };
        let mut pending_space = false;
        for &byte in body {
            if byte.is_ascii_whitespace() {
                pending_space = self.ignore_space_change;
                if self.ignore_space_change || self.ignore_all_space {
                    continue;
                }
            } else if pending_space && !self.ignore_all_space {
                key.push(b' ');
                pending_space = false;
            }
            key.push(if self.ignore_case { byte.to_ascii_lowercase() } else { byte });
        }
        if newline || self.ignore_space_change || self.ignore_all_space {
            key.push(b'\n');
        }
        key
    }
}

/// A text split into lines, each with its newline (the last one may have none).
pub fn lines(text: &[u8]) -> Vec<&[u8]> {
    text.split_inclusive(|&byte| byte == b'\n').collect()
}

/// One change: these old lines become these new lines (either may be empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub old: Range<usize>,
    pub new: Range<usize>,
}

/// The changes from `old` to `new`, in order, adjacent edits joined.
pub fn changes(old: &[&[u8]], new: &[&[u8]], compare: Compare) -> Vec<Change> {
    let old_keys: Vec<Vec<u8>> = old.iter().map(|line| compare.key(line)).collect();
    let new_keys: Vec<Vec<u8>> = new.iter().map(|line| compare.key(line)).collect();
    let mut changes: Vec<Change> = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
        if op.tag() == DiffTag::Equal {
            continue;
        }
        let (old_range, new_range) = (op.old_range(), op.new_range());
        match changes.last_mut() {
            Some(last) if last.old.end == old_range.start && last.new.end == new_range.start => {
                last.old.end = old_range.end;
                last.new.end = new_range.end;
            }
            _ => changes.push(Change { old: old_range, new: new_range }),
        }
    }
    changes
}

/// Writes `prefix` and `line`, with GNU's marker when the line has no newline.
fn write_line(out: &mut dyn Write, prefix: &str, line: &[u8]) -> io::Result<()> {
    out.write_all(prefix.as_bytes())?;
    out.write_all(line)?;
    if !line.ends_with(b"\n") {
        out.write_all(b"\n\\ No newline at end of file\n")?;
    }
    Ok(())
}

/// A range of lines as normal and context output number them: `a,b`, or `a` for one
/// line, or the line before an empty range.
fn line_numbers(range: &Range<usize>) -> String {
    match range.len() {
        0 => range.start.to_string(),
        1 => range.end.to_string(),
        _ => format!("{},{}", range.start + 1, range.end),
    }
}

/// The normal format: `2,3c2`, the old lines with `< `, `---`, the new with `> `.
pub fn write_normal(out: &mut dyn Write, old: &[&[u8]], new: &[&[u8]], changes: &[Change]) -> io::Result<()> {
    for change in changes {
        let letter = match (change.old.is_empty(), change.new.is_empty()) {
            (true, _) => 'a',
            (_, true) => 'd',
            _ => 'c',
        };
        writeln!(out, "{}{letter}{}", line_numbers(&change.old), line_numbers(&change.new))?;
        for line in &old[change.old.clone()] {
            write_line(out, "< ", line)?;
        }
        if letter == 'c' {
            out.write_all(b"---\n")?;
        }
        for line in &new[change.new.clone()] {
            write_line(out, "> ", line)?;
        }
    }
    Ok(())
}

/// Changes close enough to share their context lines, with the lines the hunk spans.
struct Hunk<'a> {
    changes: &'a [Change],
    old: Range<usize>,
    new: Range<usize>,
}

/// The hunks of unified and context output: changes at most `2 * context` lines
/// apart go together, each hunk with up to `context` lines around.
fn hunks(changes: &[Change], context: usize, old_len: usize, new_len: usize) -> Vec<Hunk<'_>> {
    let mut hunks = Vec::new();
    let mut start = 0;
    while start < changes.len() {
        let mut end = start + 1;
        while end < changes.len() && changes[end].old.start - changes[end - 1].old.end <= 2 * context {
            end += 1;
        }
        let (first, last) = (&changes[start], &changes[end - 1]);
        let before = context.min(first.old.start).min(first.new.start);
        let after = context.min(old_len - last.old.end).min(new_len - last.new.end);
        hunks.push(Hunk {
            changes: &changes[start..end],
            old: first.old.start - before..last.old.end + after,
            new: first.new.start - before..last.new.end + after,
        });
        start = end;
    }
    hunks
}

/// A range as unified output numbers it: `start,count`, `start` for one line.
fn unified_numbers(range: &Range<usize>) -> String {
    match range.len() {
        0 => format!("{},0", range.start),
        1 => (range.start + 1).to_string(),
        count => format!("{},{count}", range.start + 1),
    }
}

/// The formats that show changes in hunks with context lines around.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HunkStyle {
    /// `@@ -1,3 +1,4 @@`, then ` `, `-` and `+` lines.
    Unified,
    /// `***************`, the old lines, then the new, marked `  `, `-`, `+`, `!`.
    Context,
}

/// The hunks of `changes` with `context` lines (after the header the caller writes).
pub fn write_hunks(
    out: &mut dyn Write,
    old: &[&[u8]],
    new: &[&[u8]],
    changes: &[Change],
    context: usize,
    style: HunkStyle,
) -> io::Result<()> {
    for hunk in hunks(changes, context, old.len(), new.len()) {
        match style {
            HunkStyle::Unified => write_unified_hunk(out, old, new, &hunk)?,
            HunkStyle::Context => write_context_hunk(out, old, new, &hunk)?,
        }
    }
    Ok(())
}

fn write_unified_hunk(out: &mut dyn Write, old: &[&[u8]], new: &[&[u8]], hunk: &Hunk) -> io::Result<()> {
    writeln!(out, "@@ -{} +{} @@", unified_numbers(&hunk.old), unified_numbers(&hunk.new))?;
    let mut at = hunk.old.start;
    for change in hunk.changes {
        for line in &old[at..change.old.start] {
            write_line(out, " ", line)?;
        }
        for line in &old[change.old.clone()] {
            write_line(out, "-", line)?;
        }
        for line in &new[change.new.clone()] {
            write_line(out, "+", line)?;
        }
        at = change.old.end;
    }
    for line in &old[at..hunk.old.end] {
        write_line(out, " ", line)?;
    }
    Ok(())
}

/// One side of a context hunk: its lines marked `  `, `- `/`+ ` or `! `, written
/// only when the side has changes.
fn write_context_side(
    out: &mut dyn Write,
    lines: &[&[u8]],
    span: &Range<usize>,
    sides: &[(Range<usize>, bool)],
    marker: &str,
) -> io::Result<()> {
    if sides.iter().all(|(range, _)| range.is_empty()) {
        return Ok(());
    }
    let mut at = span.start;
    for (range, both) in sides {
        for line in &lines[at..range.start] {
            write_line(out, "  ", line)?;
        }
        for line in &lines[range.clone()] {
            write_line(out, if *both { "! " } else { marker }, line)?;
        }
        at = range.end;
    }
    for line in &lines[at..span.end] {
        write_line(out, "  ", line)?;
    }
    Ok(())
}

fn write_context_hunk(out: &mut dyn Write, old: &[&[u8]], new: &[&[u8]], hunk: &Hunk) -> io::Result<()> {
    let both = |change: &Change| !change.old.is_empty() && !change.new.is_empty();
    writeln!(out, "***************\n*** {} ****", line_numbers(&hunk.old))?;
    let old_sides: Vec<_> = hunk.changes.iter().map(|change| (change.old.clone(), both(change))).collect();
    write_context_side(out, old, &hunk.old, &old_sides, "- ")?;
    writeln!(out, "--- {} ----", line_numbers(&hunk.new))?;
    let new_sides: Vec<_> = hunk.changes.iter().map(|change| (change.new.clone(), both(change))).collect();
    write_context_side(out, new, &hunk.new, &new_sides, "+ ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(old: &str, new: &str, format: &str) -> String {
        let (old, new) = (lines(old.as_bytes()), lines(new.as_bytes()));
        let changes = changes(&old, &new, Compare::default());
        let mut out = Vec::new();
        match format {
            "normal" => write_normal(&mut out, &old, &new, &changes),
            "unified" => write_hunks(&mut out, &old, &new, &changes, 3, HunkStyle::Unified),
            _ => write_hunks(&mut out, &old, &new, &changes, 1, HunkStyle::Context),
        }
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn normal_format() {
        assert_eq!(render("a\nb\nc\n", "a\nB\nc\n", "normal"), "2c2\n< b\n---\n> B\n");
        assert_eq!(render("a\nb\n", "a\n", "normal"), "2d1\n< b\n");
        assert_eq!(render("a\n", "x\na\ny\nz\n", "normal"), "0a1\n> x\n1a3,4\n> y\n> z\n");
        assert_eq!(render("a", "a\n", "normal"), "1c1\n< a\n\\ No newline at end of file\n---\n> a\n");
        assert_eq!(render("same\n", "same\n", "normal"), "");
    }

    #[test]
    fn unified_format() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
        let new = "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n";
        assert_eq!(
            render(old, new, "unified"),
            "@@ -1,6 +1,6 @@\n 1\n 2\n-3\n+three\n 4\n 5\n 6\n@@ -10,3 +10,4 @@\n 10\n 11\n 12\n+13\n"
        );
        assert_eq!(render("", "a\n", "unified"), "@@ -0,0 +1 @@\n+a\n");
        assert_eq!(render("a\nb\n", "b\n", "unified"), "@@ -1,2 +1 @@\n-a\n b\n");
    }

    #[test]
    fn context_format() {
        assert_eq!(
            render("a\nb\nc\nd\n", "a\nB\nc\nd\ne\n", "context"),
            "***************\n*** 1,4 ****\n  a\n! b\n  c\n  d\n--- 1,5 ----\n  a\n! B\n  c\n  d\n+ e\n"
        );
        assert_eq!(render("a\nb\n", "a\n", "context"), "***************\n*** 1,2 ****\n  a\n- b\n--- 1 ----\n");
    }

    #[test]
    fn white_space_and_case() {
        let compare = |compare: Compare, a: &str, b: &str| compare.key(a.as_bytes()) == compare.key(b.as_bytes());
        let case = Compare { ignore_case: true, ..Compare::default() };
        let change = Compare { ignore_space_change: true, ..Compare::default() };
        let all = Compare { ignore_all_space: true, ..Compare::default() };
        assert!(compare(case, "Hello\n", "hELLO\n"));
        assert!(!compare(Compare::default(), "Hello\n", "hello\n"));
        assert!(compare(change, "a  b \n", "a b\n"));
        assert!(!compare(change, "ab\n", "a b\n"));
        assert!(compare(all, "ab\n", " a\tb \n"));
        assert!(!compare(Compare::default(), "a\n", "a"));
    }
}
