//! Cursor motions over the text as vi moves: words (`w b e`, and `W B E` over
//! blank-separated words), the line's first non-blank, a character found on the
//! line (`f F t T`), and the bracket matching the one under the cursor (`%`).
use crate::buffer::{Buffer, Pos, last_char, next_char, prev_char};

/// What a character is for word motions.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Blank,
    Punctuation,
    Word,
}

fn class(buf: &Buffer, pos: Pos, big: bool) -> Class {
    match buf.line(pos.line).get(pos.col) {
        None | Some(b' ' | b'\t') => Class::Blank,
        Some(_) if big => Class::Word,
        Some(byte) if byte.is_ascii_alphanumeric() || *byte == b'_' || *byte >= 0x80 => Class::Word,
        Some(_) => Class::Punctuation,
    }
}

/// The next position, the end of a line (its newline) included; `None` at the end.
fn forward(buf: &Buffer, pos: Pos) -> Option<Pos> {
    let line = buf.line(pos.line);
    if pos.col < line.len() {
        Some(Pos::new(pos.line, next_char(line, pos.col)))
    } else if pos.line + 1 < buf.len() {
        Some(Pos::new(pos.line + 1, 0))
    } else {
        None
    }
}

/// The position before, a line's newline included; `None` at the start.
fn backward(buf: &Buffer, pos: Pos) -> Option<Pos> {
    if pos.col > 0 {
        Some(Pos::new(pos.line, prev_char(buf.line(pos.line), pos.col)))
    } else if pos.line > 0 {
        Some(Pos::new(pos.line - 1, buf.line(pos.line - 1).len()))
    } else {
        None
    }
}

fn empty_line(buf: &Buffer, pos: Pos) -> bool {
    buf.line(pos.line).is_empty()
}

/// `w` (`W` if `big`): the start of the next word, or of an empty line; the end of
/// the text if there is none.
pub fn word_forward(buf: &Buffer, from: Pos, big: bool) -> Pos {
    let mut pos = from;
    let start = class(buf, pos, big);
    if start != Class::Blank {
        while class(buf, pos, big) == start {
            match forward(buf, pos) {
                Some(next) => pos = next,
                None => return pos,
            }
        }
    }
    while class(buf, pos, big) == Class::Blank && !(pos.line != from.line && empty_line(buf, pos)) {
        match forward(buf, pos) {
            Some(next) => pos = next,
            None => return pos,
        }
    }
    pos
}

/// `e` (`E`): the end of this word, or of the next if already at an end.
pub fn word_end(buf: &Buffer, from: Pos, big: bool) -> Pos {
    let Some(mut pos) = forward(buf, from) else { return from };
    while class(buf, pos, big) == Class::Blank {
        match forward(buf, pos) {
            Some(next) => pos = next,
            None => return from,
        }
    }
    let word = class(buf, pos, big);
    while let Some(next) = forward(buf, pos).filter(|next| next.line == pos.line && class(buf, *next, big) == word) {
        pos = next;
    }
    pos
}

/// Whether the character at `pos` ends its word (`cw` on it changes only it).
pub fn at_word_end(buf: &Buffer, pos: Pos, big: bool) -> bool {
    let word = class(buf, pos, big);
    word != Class::Blank && class(buf, Pos::new(pos.line, next_char(buf.line(pos.line), pos.col)), big) != word
}

/// Whether the character at `pos` is a blank (or the line's end).
pub fn at_blank(buf: &Buffer, pos: Pos) -> bool {
    class(buf, pos, false) == Class::Blank
}

/// `b` (`B`): the start of this word, or of the one before if already at a start.
pub fn word_back(buf: &Buffer, from: Pos, big: bool) -> Pos {
    let Some(mut pos) = backward(buf, from) else { return from };
    while class(buf, pos, big) == Class::Blank && !empty_line(buf, pos) {
        match backward(buf, pos) {
            Some(previous) => pos = previous,
            None => return pos,
        }
    }
    let word = class(buf, pos, big);
    if word == Class::Blank {
        return pos;
    }
    while let Some(previous) = backward(buf, pos).filter(|p| p.line == pos.line && class(buf, *p, big) == word) {
        pos = previous;
    }
    pos
}

/// `^`: the line's first character that is not a blank (its last if all are).
pub fn first_non_blank(line: &[u8]) -> usize {
    line.iter().position(|byte| !matches!(byte, b' ' | b'\t')).unwrap_or_else(|| last_char(line))
}

/// A search for a character on the line: `f` (forward), `F`, `t` (`till`), `T`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Find {
    pub target: char,
    pub forward: bool,
    pub till: bool,
}

impl Find {
    /// Where the `count`th `target` from `col` is (just before or after it for
    /// `till`), if the line has so many.
    pub fn column(&self, line: &[u8], col: usize, count: usize) -> Option<usize> {
        let mut text = [0; 4];
        let target = self.target.encode_utf8(&mut text).as_bytes();
        let mut at = col;
        for _ in 0..count {
            at = if self.forward {
                let start = next_char(line, at);
                start + line.get(start..)?.windows(target.len()).position(|window| window == target)?
            } else {
                line.get(..at)?.windows(target.len()).rposition(|window| window == target)?
            };
        }
        Some(match (self.till, self.forward) {
            (false, _) => at,
            (true, true) => prev_char(line, at),
            (true, false) => next_char(line, at),
        })
    }
}

/// `%`: the bracket matching the first of `()[]{}` at or after the cursor on its
/// line.
pub fn matching(buf: &Buffer, from: Pos) -> Option<Pos> {
    const PAIRS: [(u8, u8); 3] = [(b'(', b')'), (b'[', b']'), (b'{', b'}')];
    let line = buf.line(from.line);
    let offset = line.get(from.col..)?.iter().position(|byte| b"()[]{}".contains(byte))?;
    let mut pos = Pos::new(from.line, from.col + offset);
    let bracket = line[pos.col];
    let (open, close, ahead) = PAIRS.iter().find_map(|&(open, close)| {
        (bracket == open).then_some((open, close, true)).or((bracket == close).then_some((open, close, false)))
    })?;
    let mut depth = 0usize;
    loop {
        match buf.line(pos.line).get(pos.col) {
            Some(&byte) if byte == open || byte == close => {
                if (byte == open) == ahead {
                    depth += 1;
                } else {
                    depth -= 1;
                    if depth == 0 {
                        return Some(pos);
                    }
                }
            }
            _ => {}
        }
        pos = if ahead { forward(buf, pos)? } else { backward(buf, pos)? };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::buffer;

    #[test]
    fn words_forward() {
        let buf = buffer("one two.three  four\n\nfive\n");
        let mut pos = Pos::new(0, 0);
        let mut stops = Vec::new();
        for _ in 0..7 {
            pos = word_forward(&buf, pos, false);
            stops.push((pos.line, pos.col));
        }
        assert_eq!(stops, [(0, 4), (0, 7), (0, 8), (0, 15), (1, 0), (2, 0), (2, 4)]);
        assert_eq!(word_forward(&buf, Pos::new(0, 4), true), Pos::new(0, 15));
    }

    #[test]
    fn words_back_and_ends() {
        let buf = buffer("one two.three\n\n  five\n");
        assert_eq!(word_back(&buf, Pos::new(2, 2), false), Pos::new(1, 0));
        assert_eq!(word_back(&buf, Pos::new(1, 0), false), Pos::new(0, 8));
        assert_eq!(word_back(&buf, Pos::new(0, 8), false), Pos::new(0, 7));
        assert_eq!(word_back(&buf, Pos::new(0, 8), true), Pos::new(0, 4));
        assert_eq!(word_back(&buf, Pos::new(0, 0), false), Pos::new(0, 0));
        assert_eq!(word_end(&buf, Pos::new(0, 0), false), Pos::new(0, 2));
        assert_eq!(word_end(&buf, Pos::new(0, 2), false), Pos::new(0, 6));
        assert_eq!(word_end(&buf, Pos::new(0, 2), true), Pos::new(0, 12));
        assert_eq!(word_end(&buf, Pos::new(0, 12), false), Pos::new(2, 5));
    }

    #[test]
    fn finding_characters() {
        let line = b"a,b,c,d";
        let find = |target, forward, till| Find { target, forward, till };
        assert_eq!(find(',', true, false).column(line, 0, 1), Some(1));
        assert_eq!(find(',', true, false).column(line, 0, 2), Some(3));
        assert_eq!(find(',', true, true).column(line, 0, 1), Some(0));
        assert_eq!(find(',', true, true).column(line, 2, 1), Some(2));
        assert_eq!(find(',', false, false).column(line, 6, 1), Some(5));
        assert_eq!(find(',', false, true).column(line, 6, 1), Some(6));
        assert_eq!(find('x', true, false).column(line, 0, 1), None);
        assert_eq!(find(',', true, false).column(line, 0, 4), None);
        assert_eq!(first_non_blank(b"  x"), 2);
        assert_eq!(first_non_blank(b"   "), 2);
    }

    #[test]
    fn matching_brackets() {
        let buf = buffer("f(a[1], {\n b })\n");
        assert_eq!(matching(&buf, Pos::new(0, 0)), Some(Pos::new(1, 4)));
        assert_eq!(matching(&buf, Pos::new(1, 4)), Some(Pos::new(0, 1)));
        assert_eq!(matching(&buf, Pos::new(0, 3)), Some(Pos::new(0, 5)));
        assert_eq!(matching(&buf, Pos::new(0, 8)), Some(Pos::new(1, 3)));
        assert_eq!(matching(&buf, Pos::new(1, 5)), None);
    }
}
