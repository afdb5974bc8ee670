//! Ctrl-R, reverse incremental history search as readline has it: typed text is
//! looked for from the newest line back, starting with the line being edited;
//! Ctrl-R again goes on to older matches (an empty search takes up the last one),
//! skipping lines equal to the current match; Backspace shortens the text. The
//! prompt shows ``(reverse-i-search)`text': `` (``(failed reverse-i-search)...`` when
//! nothing older matches), the line shows the match with the cursor where it was
//! found.

/// Where a match is: an entry (`start` being the line that was edited) and the byte
/// offset of the text in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub entry: usize,
    pub offset: usize,
}

#[derive(Debug)]
pub(crate) struct Search {
    pub text: String,
    /// The line being edited when the search began, its cursor, and its position
    /// in the history.
    pub original: String,
    pub original_cursor: usize,
    pub start: usize,
    pub found: Option<Found>,
    pub failed: bool,
}

impl Search {
    pub fn new(original: &str, original_cursor: usize, start: usize) -> Self {
        Self { text: String::new(), original: original.into(), original_cursor, start, found: None, failed: false }
    }

    /// The entries searched: the history up to `start`, then the original line.
    fn entry<'a>(&'a self, history: &'a [String], entry: usize) -> &'a str {
        if entry == self.start { &self.original } else { &history[entry] }
    }

    /// The prompt shown while searching.
    pub fn prompt(&self) -> String {
        let failed = if self.failed { "failed " } else { "" };
        format!("({failed}reverse-i-search)`{}': ", self.text)
    }

    /// The line shown and the cursor in it: the match, or the original line.
    pub fn line<'a>(&'a self, history: &'a [String]) -> (&'a str, usize) {
        match self.found {
            Some(found) => (self.entry(history, found.entry), found.offset),
            None => (&self.original, self.original_cursor),
        }
    }

    /// The newest match of the text at or before `from`: in its entry starting at or
    /// before the offset `limit` (anywhere if None), then in older entries that differ
    /// from the current match.
    fn find(&self, history: &[String], from: usize, limit: Option<usize>) -> Option<Found> {
        let current = self.found.map(|found| self.entry(history, found.entry));
        (0..=from).rev().find_map(|entry| {
            let line = self.entry(history, entry);
            let offset = match limit.filter(|_| entry == from) {
                Some(limit) => last_match(line, &self.text, limit),
                None if current == Some(line) => None,
                None => last_match(line, &self.text, line.len()),
            };
            offset.map(|offset| Found { entry, offset })
        })
    }

    /// Looks again from the current match (or the end of the original line), taking
    /// it if it still matches; says whether anything matched.
    fn research(&mut self, history: &[String]) -> bool {
        let (from, limit) = match self.found {
            Some(found) => (found.entry, found.offset),
            None => (self.start, self.original.len()),
        };
        let found = self.find(history, from, Some(limit));
        self.failed = found.is_none();
        self.found = found.or(self.found);
        !self.failed
    }

    /// Adds `char` to the text; says whether it still matches.
    pub fn push(&mut self, char: char, history: &[String]) -> bool {
        self.text.push(char);
        self.research(history)
    }

    /// Takes the last character off the text.
    pub fn pop(&mut self, history: &[String]) {
        self.text.pop();
        self.research(history);
    }

    /// Ctrl-R: the next older match, with `last` as the text if there is none yet;
    /// says whether there was one.
    pub fn older(&mut self, history: &[String], last: &str) -> bool {
        if self.text.is_empty() {
            if last.is_empty() {
                return true;
            }
            last.clone_into(&mut self.text);
            return self.research(history);
        }
        let found = match self.found {
            Some(Found { entry, offset: 0 }) if entry > 0 => self.find(history, entry - 1, None),
            Some(Found { offset: 0, .. }) => None,
            Some(Found { entry, offset }) => self.find(history, entry, Some(offset - 1)),
            None => None,
        };
        self.failed = found.is_none();
        self.found = found.or(self.found);
        !self.failed
    }
}

/// Where the last occurrence of `text` in `line` that starts at or before byte
/// `limit` starts.
fn last_match(line: &str, text: &str, limit: usize) -> Option<usize> {
    (0..=limit.min(line.len())).rev().find(|&start| line.is_char_boundary(start) && line[start..].starts_with(text))
}
