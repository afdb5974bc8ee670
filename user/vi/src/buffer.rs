//! The text being edited: lines of bytes without their newlines, never fewer than
//! one, changed only through [`Buffer::replace`], which returns what it replaced so
//! that undo can put it back; and the positions in it.

/// A position: a line (from 0) and a byte offset in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    pub const fn new(line: usize, col: usize) -> Self {
        Self { line, col }
    }
}

/// One change: the lines from `at` that were `old` are now `new`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub at: usize,
    pub old: Vec<Vec<u8>>,
    pub new: Vec<Vec<u8>>,
}

/// The lines of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buffer {
    lines: Vec<Vec<u8>>,
}

impl Default for Buffer {
    fn default() -> Self {
        Self { lines: vec![Vec::new()] }
    }
}

impl Buffer {
    /// The lines of a file's contents, and whether its last line lacked a newline.
    pub fn from_bytes(bytes: &[u8]) -> (Self, bool) {
        if bytes.is_empty() {
            return (Self::default(), false);
        }
        let body = bytes.strip_suffix(b"\n");
        let lines = body.unwrap_or(bytes).split(|&byte| byte == b'\n').map(<[u8]>::to_vec).collect();
        (Self { lines }, body.is_none())
    }

    /// The file's contents: every line with a newline (none for one empty line).
    pub fn to_bytes(&self) -> Vec<u8> {
        if self.is_empty() {
            return Vec::new();
        }
        let mut bytes = Vec::new();
        for line in &self.lines {
            bytes.extend_from_slice(line);
            bytes.push(b'\n');
        }
        bytes
    }

    /// Whether the buffer is one empty line.
    pub fn is_empty(&self) -> bool {
        self.lines.len() == 1 && self.lines[0].is_empty()
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn line(&self, index: usize) -> &[u8] {
        &self.lines[index]
    }

    pub fn lines(&self) -> &[Vec<u8>] {
        &self.lines
    }

    /// Replaces `count` lines from `at` with `new` (one empty line if the buffer
    /// would be left with none).
    pub fn replace(&mut self, at: usize, count: usize, mut new: Vec<Vec<u8>>) -> Change {
        if self.lines.len() - count + new.len() == 0 {
            new.push(Vec::new());
        }
        let old = self.lines.splice(at..at + count, new.iter().cloned()).collect();
        Change { at, old, new }
    }

    /// The text from `from` to `to` (exclusive), as lines: the first and last
    /// partial.
    pub fn text(&self, from: Pos, to: Pos) -> Vec<Vec<u8>> {
        if from.line == to.line {
            return vec![self.lines[from.line][from.col..to.col].to_vec()];
        }
        let mut text = vec![self.lines[from.line][from.col..].to_vec()];
        text.extend(self.lines[from.line + 1..to.line].iter().cloned());
        text.push(self.lines[to.line][..to.col].to_vec());
        text
    }

    /// Replaces the text from `from` to `to` (exclusive) with `text` (lines, the
    /// first and last joined to what is around them); returns the change and the
    /// position just after the new text.
    pub fn splice(&mut self, from: Pos, to: Pos, text: &[Vec<u8>]) -> (Change, Pos) {
        let head = &self.lines[from.line][..from.col];
        let tail = &self.lines[to.line][to.col..];
        let mut new: Vec<Vec<u8>> = Vec::with_capacity(text.len().max(1));
        let mut first = head.to_vec();
        first.extend_from_slice(text.first().map_or(&[][..], Vec::as_slice));
        new.push(first);
        new.extend(text.iter().skip(1).cloned());
        let last = new.len() - 1;
        let end = Pos::new(from.line + last, new[last].len());
        new[last].extend_from_slice(tail);
        (self.replace(from.line, to.line - from.line + 1, new), end)
    }
}

/// Whether `byte` continues a UTF-8 character.
const fn continues(byte: u8) -> bool {
    byte & 0xc0 == 0x80
}

/// The offset of the character after the one at `col` (at most the line's length).
pub fn next_char(line: &[u8], col: usize) -> usize {
    let mut next = (col + 1).min(line.len());
    while next < line.len() && continues(line[next]) {
        next += 1;
    }
    next
}

/// The offset of the character before `col` (0 at the start).
pub fn prev_char(line: &[u8], col: usize) -> usize {
    let mut prev = col.saturating_sub(1);
    while prev > 0 && continues(line[prev]) {
        prev -= 1;
    }
    prev
}

/// The offset of the last character (0 for an empty line): where normal mode's
/// cursor may go furthest.
pub fn last_char(line: &[u8]) -> usize {
    prev_char(line, line.len())
}

/// The buffer of `text`, for tests.
#[cfg(test)]
pub fn buffer(text: &str) -> Buffer {
    Buffer::from_bytes(text.as_bytes()).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_split_into_lines_and_back() {
        assert_eq!(Buffer::from_bytes(b"a\nb\n"), (buffer("a\nb\n"), false));
        assert_eq!(buffer("a\nb\n").len(), 2);
        assert!(Buffer::from_bytes(b"a\nb").1);
        assert_eq!(buffer("a\nb").to_bytes(), b"a\nb\n");
        assert_eq!(buffer("").to_bytes(), b"");
        assert_eq!(buffer("\n\n").len(), 2);
        assert_eq!(buffer("\n\n").to_bytes(), b"\n\n");
    }

    #[test]
    fn replacing_returns_what_it_replaced() {
        let mut buf = buffer("a\nb\nc\n");
        let change = buf.replace(1, 1, vec![b"x".to_vec(), b"y".to_vec()]);
        assert_eq!(buf.to_bytes(), b"a\nx\ny\nc\n");
        assert_eq!(change, Change { at: 1, old: vec![b"b".to_vec()], new: vec![b"x".to_vec(), b"y".to_vec()] });
        buf.replace(0, 4, Vec::new());
        assert_eq!(buf.len(), 1);
        assert!(buf.is_empty());
    }

    #[test]
    fn text_and_splice_across_lines() {
        let mut buf = buffer("hello\nworld\n");
        assert_eq!(buf.text(Pos::new(0, 3), Pos::new(1, 2)), vec![b"lo".to_vec(), b"wo".to_vec()]);
        let (_, end) = buf.splice(Pos::new(0, 3), Pos::new(1, 2), &[b"P".to_vec()]);
        assert_eq!(buf.to_bytes(), b"helPrld\n");
        assert_eq!(end, Pos::new(0, 4));
        let (_, end) = buf.splice(Pos::new(0, 1), Pos::new(0, 1), &[b"1".to_vec(), b"2".to_vec()]);
        assert_eq!(buf.to_bytes(), b"h1\n2elPrld\n");
        assert_eq!(end, Pos::new(1, 1));
    }

    #[test]
    fn characters_are_utf8() {
        let line = "aé€b".as_bytes();
        assert_eq!(next_char(line, 1), 3);
        assert_eq!(next_char(line, 3), 6);
        assert_eq!(prev_char(line, 6), 3);
        assert_eq!(last_char(line), 6);
        assert_eq!(last_char(b""), 0);
    }
}
