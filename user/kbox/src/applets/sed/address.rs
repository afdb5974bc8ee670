//! Which lines a command applies to: no address (every line), one address, or a
//! range `A1,A2` (GNU's `0,/RE/`, `A1,+N`, `A1,~N` and `FIRST~STEP` included), and
//! `!` for the others. A range remembers whether it is open; its end address is
//! looked for from the line after the one that opened it (from line 1 for `0,`).
use regex_lite::Regex;

use super::regex::Pattern;

/// A first (or only) address.
#[derive(Debug, Clone)]
pub enum Start {
    Line(u64),
    /// `0`, only as `0,/RE/`.
    Zero,
    Last,
    Match(Pattern),
    /// `FIRST~STEP`.
    Step(u64, u64),
}

/// The second address of a range.
#[derive(Debug, Clone)]
pub enum End {
    Line(u64),
    Last,
    Match(Pattern),
    /// `+N`: N more lines.
    Plus(u64),
    /// `~N`: up to the next line whose number is a multiple of N.
    Multiple(u64),
}

/// What an address is matched against.
pub struct Line<'a> {
    pub number: u64,
    pub last: bool,
    pub text: &'a str,
}

/// `//` when no regular expression was used yet.
#[derive(Debug)]
pub struct NoPreviousRegex;

/// Matches `pattern` (the last expression used when it is `None`), which becomes
/// the last used.
pub fn matches(pattern: &Pattern, last_used: &mut Option<Regex>, text: &str) -> Result<bool, NoPreviousRegex> {
    if let Some(regex) = pattern {
        *last_used = Some(regex.clone());
    }
    match last_used {
        Some(regex) => Ok(regex.is_match(text)),
        None => Err(NoPreviousRegex),
    }
}

/// A command's addresses, with the state of its range.
#[derive(Debug, Clone, Default)]
pub struct Selector {
    pub start: Option<Start>,
    pub end: Option<End>,
    pub negated: bool,
    /// The range is open; with the line it ends on when that is known.
    open: Option<Option<u64>>,
}

impl Selector {
    pub fn new(start: Option<Start>, end: Option<End>, negated: bool) -> Self {
        let open = matches!(start, Some(Start::Zero)).then_some(None);
        Self { start, end, negated, open }
    }

    /// How many addresses there are.
    pub fn count(&self) -> usize {
        usize::from(self.start.is_some()) + usize::from(self.end.is_some())
    }

    /// Whether an address is `$` (which needs the input read ahead).
    pub fn uses_last(&self) -> bool {
        matches!(self.start, Some(Start::Last)) || matches!(self.end, Some(End::Last))
    }

    /// Whether the range is open: `c` prints its text only at a range's end.
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// Whether the command applies to `line` (`!` taken into account).
    pub fn selects(&mut self, line: &Line, last_used: &mut Option<Regex>) -> Result<bool, NoPreviousRegex> {
        Ok(self.matched(line, last_used)? != self.negated)
    }

    fn matched(&mut self, line: &Line, last_used: &mut Option<Regex>) -> Result<bool, NoPreviousRegex> {
        let Some(start) = &self.start else { return Ok(true) };
        let Some(end) = &self.end else { return start_matches(start, line, last_used) };
        if let Some(end_line) = self.open {
            let closes = match (end, end_line) {
                (_, Some(end_line)) if line.number > end_line => {
                    self.open = None;
                    return self.matched(line, last_used);
                }
                (_, Some(end_line)) => line.number == end_line,
                (End::Multiple(step), None) => *step == 0 || line.number.is_multiple_of(*step),
                (End::Last, None) => line.last,
                (End::Match(pattern), None) => matches(pattern, last_used, line.text)?,
                (End::Line(_) | End::Plus(_), None) => true,
            };
            if closes {
                self.open = None;
            }
            return Ok(true);
        }
        if !start_matches(start, line, last_used)? {
            return Ok(false);
        }
        self.open = match end {
            End::Line(end_line) if *end_line <= line.number => None,
            End::Line(end_line) => Some(Some(*end_line)),
            End::Plus(0) | End::Multiple(0) => None,
            End::Plus(count) => Some(Some(line.number + count)),
            End::Multiple(_) => Some(None),
            End::Last if line.last => None,
            End::Last | End::Match(_) => Some(None),
        };
        Ok(true)
    }
}

fn start_matches(start: &Start, line: &Line, last_used: &mut Option<Regex>) -> Result<bool, NoPreviousRegex> {
    Ok(match start {
        Start::Line(number) => line.number == *number,
        Start::Zero => false,
        Start::Last => line.last,
        Start::Match(pattern) => matches(pattern, last_used, line.text)?,
        Start::Step(first, 0) => line.number == *first,
        Start::Step(first, step) => line.number >= *first && (line.number - first).is_multiple_of(*step),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selected(mut selector: Selector, lines: &[&str]) -> Vec<u64> {
        let mut last_used = None;
        let mut chosen = Vec::new();
        for (index, text) in lines.iter().enumerate() {
            let number = index as u64 + 1;
            let line = Line { number, last: index + 1 == lines.len(), text };
            if selector.selects(&line, &mut last_used).unwrap() {
                chosen.push(number);
            }
        }
        chosen
    }

    fn regex(text: &str) -> Pattern {
        Some(Regex::new(text).unwrap())
    }

    const TEN: [&str; 10] = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];

    #[test]
    fn ranges() {
        let range = |start, end| Selector::new(Some(start), Some(end), false);
        assert_eq!(selected(range(Start::Line(2), End::Line(4)), &TEN), [2, 3, 4]);
        assert_eq!(selected(range(Start::Line(7), End::Line(5)), &TEN), [7]);
        assert_eq!(selected(range(Start::Match(regex("1")), End::Match(regex("[0-9]"))), &TEN), [1, 2, 10]);
        assert_eq!(selected(range(Start::Zero, End::Match(regex("[0-9]"))), &TEN), [1]);
        assert_eq!(selected(range(Start::Line(5), End::Plus(2)), &TEN), [5, 6, 7]);
        assert_eq!(selected(range(Start::Line(4), End::Multiple(4)), &TEN), [4, 5, 6, 7, 8]);
        assert_eq!(selected(range(Start::Line(2), End::Multiple(4)), &TEN), [2, 3, 4]);
        assert_eq!(selected(range(Start::Line(9), End::Last), &TEN), [9, 10]);
    }

    #[test]
    fn single_addresses() {
        let one = |start| Selector::new(Some(start), None, false);
        assert_eq!(selected(one(Start::Step(0, 3)), &TEN), [3, 6, 9]);
        assert_eq!(selected(one(Start::Step(2, 4)), &TEN), [2, 6, 10]);
        assert_eq!(selected(one(Start::Last), &TEN), [10]);
        assert_eq!(selected(Selector::new(Some(Start::Line(3)), None, true), &TEN[..4]), [1, 2, 4]);
        assert_eq!(selected(Selector::default(), &TEN[..2]), [1, 2]);
    }

    #[test]
    fn the_empty_expression_is_the_last_used() {
        let mut last_used = None;
        assert!(matches(&None, &mut last_used, "x").is_err());
        assert!(matches(&regex("a"), &mut last_used, "b").is_ok_and(|matched| !matched));
        assert!(matches(&None, &mut last_used, "a").unwrap());
    }
}
