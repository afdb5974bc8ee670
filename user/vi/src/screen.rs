//! Bringing a terminal from one frame to the next with the fewest bytes: only the
//! rows that changed are written, each placed with CUP (`ESC [ r ; c H`), ended
//! with EL (`ESC [ K`) unless it fills the row, reverse video with SGR 7 and 0;
//! the whole screen is cleared (ED 2) only when there is no previous frame. These
//! are sequences both xterm-like serial terminals and the screen consoles
//! (`cellterm`) understand; hiding the cursor while drawing (DECTCEM) is only for
//! the former, the latter ignores it.
use std::fmt::Write;

use crate::render::Frame;

/// The bytes that turn the screen showing `old` (unknown: `None`) into `new`.
pub fn update(old: Option<&Frame>, new: &Frame) -> Vec<u8> {
    let old = old.filter(|old| old.rows.len() == new.rows.len() && old.width == new.width);
    let mut out = String::from("\x1b[?25l");
    if old.is_none() {
        out.push_str("\x1b[H\x1b[2J");
    }
    for (index, row) in new.rows.iter().enumerate() {
        if old.is_some_and(|old| old.rows[index] == *row) {
            continue;
        }
        if old.is_none() && row.text.is_empty() {
            continue;
        }
        let _ = write!(out, "\x1b[{};1H", index + 1);
        if row.reverse {
            out.push_str("\x1b[7m");
        }
        out.push_str(&row.text);
        if row.reverse {
            out.push_str("\x1b[0m");
        }
        if row.text.chars().count() < new.width && old.is_some() {
            out.push_str("\x1b[K");
        }
    }
    let _ = write!(out, "\x1b[{};{}H\x1b[?25h", new.cursor.0 + 1, new.cursor.1 + 1);
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Row;

    fn frame(rows: &[&str], cursor: (usize, usize)) -> Frame {
        let rows = rows.iter().map(|text| Row { text: text.to_string(), reverse: text.starts_with(' ') }).collect();
        Frame { rows, cursor, width: 10 }
    }

    #[test]
    fn a_first_frame_clears_and_draws_all() {
        let out = String::from_utf8(update(None, &frame(&["ab", " status", ""], (0, 1)))).unwrap();
        assert_eq!(out, "\x1b[?25l\x1b[H\x1b[2J\x1b[1;1Hab\x1b[2;1H\x1b[7m status\x1b[0m\x1b[1;2H\x1b[?25h");
    }

    #[test]
    fn later_frames_write_only_changed_rows() {
        let old = frame(&["ab", "cd", ""], (0, 0));
        let new = frame(&["ab", "c", "msg"], (2, 3));
        let out = String::from_utf8(update(Some(&old), &new)).unwrap();
        assert_eq!(out, "\x1b[?25l\x1b[2;1Hc\x1b[K\x1b[3;1Hmsg\x1b[K\x1b[3;4H\x1b[?25h");
        let same = String::from_utf8(update(Some(&new), &new)).unwrap();
        assert_eq!(same, "\x1b[?25l\x1b[3;4H\x1b[?25h");
    }

    #[test]
    fn a_full_row_is_not_erased_after() {
        let old = frame(&["", "", ""], (0, 0));
        let new = frame(&["0123456789", "", ""], (0, 0));
        let out = String::from_utf8(update(Some(&old), &new)).unwrap();
        assert!(!out.contains("\x1b[K"));
    }
}
