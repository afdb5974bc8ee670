//! Normal mode's command language: the keys typed so far either form a command
//! (`[count] command`, `[count] operator [count] motion`, a doubled operator for
//! whole lines), need more keys, or are not a command.
use lineedit::keys::{Key, ctrl};

use crate::motion::Find;

/// Where a motion goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Motion {
    Left,
    Right,
    Up,
    Down,
    /// `+` and Enter, `-`: a line down or up, to its first non-blank.
    NextLine,
    PreviousLine,
    WordForward(bool),
    WordBack(bool),
    WordEnd(bool),
    LineStart,
    FirstNonBlank,
    LineEnd,
    /// `G`: the line counted, the last without a count.
    Line,
    /// `gg`: the line counted, the first without a count.
    FirstLine,
    Find(Find),
    RepeatFind {
        reverse: bool,
    },
    Match,
    ScreenTop,
    ScreenMiddle,
    ScreenBottom,
    HalfPageDown,
    HalfPageUp,
    PageDown,
    PageUp,
    SearchNext {
        reverse: bool,
    },
}

/// What the text a motion covers is to an operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extent {
    /// From the cursor up to, not including, where the motion goes.
    Exclusive,
    /// Up to and including it.
    Inclusive,
    /// Whole lines.
    Lines,
}

impl Motion {
    /// How an operator takes this motion (`last_find` for `;` and `,`).
    pub fn extent(self, last_find: Option<Find>) -> Extent {
        match self {
            Self::Up
            | Self::Down
            | Self::NextLine
            | Self::PreviousLine
            | Self::Line
            | Self::FirstLine
            | Self::ScreenTop
            | Self::ScreenMiddle
            | Self::ScreenBottom
            | Self::HalfPageDown
            | Self::HalfPageUp
            | Self::PageDown
            | Self::PageUp => Extent::Lines,
            Self::WordEnd(_) | Self::LineEnd | Self::Match => Extent::Inclusive,
            Self::Find(find) if find.forward => Extent::Inclusive,
            Self::RepeatFind { reverse } if last_find.is_some_and(|find| find.forward != reverse) => Extent::Inclusive,
            _ => Extent::Exclusive,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    Delete,
    Change,
    Yank,
}

/// Where `i I a A o O` start inserting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsertAt {
    Cursor,
    LineStart,
    After,
    LineEnd,
    Below,
    Above,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Move(Motion),
    /// An operator over a motion, or over whole lines (`dd`, `cc`, `yy`).
    Operate(Operator, Option<Motion>),
    Insert(InsertAt),
    /// `R`.
    Replace,
    /// `r` and the character (`\n` for Enter).
    ReplaceChar(char),
    Join,
    ToggleCase,
    Put {
        before: bool,
    },
    Repeat,
    Undo,
    Redo,
    /// `:`, `/` or `?`.
    CommandLine(char),
    /// `ZZ`.
    WriteQuit,
    /// `ZQ`.
    Quit,
    /// Ctrl-L.
    Redraw,
    /// Ctrl-G.
    FileInfo,
    /// Ctrl-Z: stop vi (job control), back in the editor on `fg`.
    Suspend,
}

impl Command {
    /// Whether `.` repeats the command.
    pub fn repeatable(self) -> bool {
        matches!(
            self,
            Self::Operate(Operator::Delete | Operator::Change, _)
                | Self::Insert(_)
                | Self::Replace
                | Self::ReplaceChar(_)
                | Self::Join
                | Self::ToggleCase
                | Self::Put { .. }
        )
    }
}

/// A command and its count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Action {
    pub count: Option<usize>,
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parse {
    More,
    Done(Action),
    Invalid,
}

/// Reads a count (which cannot start with `0`) at `keys[*at..]`.
fn count(keys: &[Key], at: &mut usize) -> Option<usize> {
    let mut count: Option<usize> = None;
    while let Some(Key::Char(digit @ '0'..='9')) = keys.get(*at) {
        if *digit == '0' && count.is_none() {
            break;
        }
        let value = digit.to_digit(10).map_or(0, |value| value as usize);
        count = Some(count.unwrap_or(0).saturating_mul(10).saturating_add(value).min(999_999));
        *at += 1;
    }
    count
}

/// The product of two counts, either of which may be missing.
fn times(first: Option<usize>, second: Option<usize>) -> Option<usize> {
    match (first, second) {
        (Some(first), Some(second)) => Some(first.saturating_mul(second)),
        (first, second) => first.or(second),
    }
}

enum Step<T> {
    More,
    Invalid,
    Done(T),
}

/// The character typed after `f`, `r`, ...
fn character(key: Option<&Key>) -> Step<char> {
    match key {
        None => Step::More,
        Some(Key::Char(char)) => Step::Done(*char),
        Some(Key::Control(b'\t')) => Step::Done('\t'),
        Some(Key::Control(b'\r' | b'\n')) => Step::Done('\n'),
        Some(_) => Step::Invalid,
    }
}

/// A motion at the start of `keys`.
fn motion(keys: &[Key]) -> Step<Motion> {
    let Some(key) = keys.first() else { return Step::More };
    let motion = match key {
        Key::Char('h') | Key::Left | Key::Control(0x7f | 0x08) => Motion::Left,
        Key::Char('l' | ' ') | Key::Right => Motion::Right,
        Key::Char('j') | Key::Down | Key::Control(0x0a | 0x0e) => Motion::Down,
        Key::Char('k') | Key::Up | Key::Control(0x10) => Motion::Up,
        Key::Char('+') | Key::Control(b'\r') => Motion::NextLine,
        Key::Char('-') => Motion::PreviousLine,
        Key::Char('w') => Motion::WordForward(false),
        Key::Char('W') => Motion::WordForward(true),
        Key::Char('b') => Motion::WordBack(false),
        Key::Char('B') => Motion::WordBack(true),
        Key::Char('e') => Motion::WordEnd(false),
        Key::Char('E') => Motion::WordEnd(true),
        Key::Char('0') | Key::Home => Motion::LineStart,
        Key::Char('^') => Motion::FirstNonBlank,
        Key::Char('$') | Key::End => Motion::LineEnd,
        Key::Char('G') => Motion::Line,
        Key::Char('g') => match keys.get(1) {
            None => return Step::More,
            Some(Key::Char('g')) => Motion::FirstLine,
            Some(_) => return Step::Invalid,
        },
        Key::Char(kind @ ('f' | 'F' | 't' | 'T')) => match character(keys.get(1)) {
            Step::Done(target) => {
                Motion::Find(Find { target, forward: kind.is_lowercase(), till: matches!(kind, 't' | 'T') })
            }
            Step::More => return Step::More,
            Step::Invalid => return Step::Invalid,
        },
        Key::Char(';') => Motion::RepeatFind { reverse: false },
        Key::Char(',') => Motion::RepeatFind { reverse: true },
        Key::Char('%') => Motion::Match,
        Key::Char('H') => Motion::ScreenTop,
        Key::Char('M') => Motion::ScreenMiddle,
        Key::Char('L') => Motion::ScreenBottom,
        Key::Char('n') => Motion::SearchNext { reverse: false },
        Key::Char('N') => Motion::SearchNext { reverse: true },
        Key::Control(byte) if *byte == ctrl(b'D') => Motion::HalfPageDown,
        Key::Control(byte) if *byte == ctrl(b'U') => Motion::HalfPageUp,
        Key::Control(byte) if *byte == ctrl(b'F') => Motion::PageDown,
        Key::Control(byte) if *byte == ctrl(b'B') => Motion::PageUp,
        Key::PageDown => Motion::PageDown,
        Key::PageUp => Motion::PageUp,
        _ => return Step::Invalid,
    };
    Step::Done(motion)
}

/// Parses the keys typed so far in normal mode.
pub fn parse(keys: &[Key]) -> Parse {
    let mut at = 0;
    let first_count = count(keys, &mut at);
    let done = |command| Parse::Done(Action { count: first_count, command });
    let Some(key) = keys.get(at) else { return Parse::More };
    let rest = &keys[at + 1..];
    let operate = |operator, motion| done(Command::Operate(operator, Some(motion)));
    match key {
        Key::Char(letter @ ('d' | 'c' | 'y')) => {
            let operator = match letter {
                'd' => Operator::Delete,
                'c' => Operator::Change,
                _ => Operator::Yank,
            };
            let mut after = at + 1;
            let second_count = count(keys, &mut after);
            let count = times(first_count, second_count);
            let command = match keys.get(after) {
                None => return Parse::More,
                Some(Key::Char(again)) if again == letter => Command::Operate(operator, None),
                Some(_) => match motion(&keys[after..]) {
                    Step::Done(motion) => Command::Operate(operator, Some(motion)),
                    Step::More => return Parse::More,
                    Step::Invalid => return Parse::Invalid,
                },
            };
            Parse::Done(Action { count, command })
        }
        Key::Char('x') | Key::Delete => operate(Operator::Delete, Motion::Right),
        Key::Char('X') => operate(Operator::Delete, Motion::Left),
        Key::Char('D') => operate(Operator::Delete, Motion::LineEnd),
        Key::Char('C') => operate(Operator::Change, Motion::LineEnd),
        Key::Char('s') => operate(Operator::Change, Motion::Right),
        Key::Char('S') => done(Command::Operate(Operator::Change, None)),
        Key::Char('Y') => done(Command::Operate(Operator::Yank, None)),
        Key::Char('i') => done(Command::Insert(InsertAt::Cursor)),
        Key::Char('I') => done(Command::Insert(InsertAt::LineStart)),
        Key::Char('a') => done(Command::Insert(InsertAt::After)),
        Key::Char('A') => done(Command::Insert(InsertAt::LineEnd)),
        Key::Char('o') => done(Command::Insert(InsertAt::Below)),
        Key::Char('O') => done(Command::Insert(InsertAt::Above)),
        Key::Char('R') => done(Command::Replace),
        Key::Char('r') => match character(rest.first()) {
            Step::Done(char) => done(Command::ReplaceChar(char)),
            Step::More => Parse::More,
            Step::Invalid => Parse::Invalid,
        },
        Key::Char('J') => done(Command::Join),
        Key::Char('~') => done(Command::ToggleCase),
        Key::Char('p') => done(Command::Put { before: false }),
        Key::Char('P') => done(Command::Put { before: true }),
        Key::Char('.') => done(Command::Repeat),
        Key::Char('u') => done(Command::Undo),
        Key::Control(byte) if *byte == ctrl(b'R') => done(Command::Redo),
        Key::Control(byte) if *byte == ctrl(b'L') => done(Command::Redraw),
        Key::Control(byte) if *byte == ctrl(b'G') => done(Command::FileInfo),
        Key::Control(byte) if *byte == ctrl(b'Z') => done(Command::Suspend),
        Key::Char(kind @ (':' | '/' | '?')) => done(Command::CommandLine(*kind)),
        Key::Char('Z') => match rest.first() {
            None => Parse::More,
            Some(Key::Char('Z')) => done(Command::WriteQuit),
            Some(Key::Char('Q')) => done(Command::Quit),
            Some(_) => Parse::Invalid,
        },
        _ => match motion(&keys[at..]) {
            Step::Done(motion) => done(Command::Move(motion)),
            Step::More => Parse::More,
            Step::Invalid => Parse::Invalid,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<Key> {
        text.chars().map(Key::Char).collect()
    }

    fn action(count: Option<usize>, command: Command) -> Parse {
        Parse::Done(Action { count, command })
    }

    #[test]
    fn counts_operators_and_motions() {
        assert_eq!(parse(&keys("")), Parse::More);
        assert_eq!(parse(&keys("2")), Parse::More);
        assert_eq!(parse(&keys("j")), action(None, Command::Move(Motion::Down)));
        assert_eq!(parse(&keys("0")), action(None, Command::Move(Motion::LineStart)));
        assert_eq!(parse(&keys("10j")), action(Some(10), Command::Move(Motion::Down)));
        assert_eq!(parse(&keys("d")), Parse::More);
        assert_eq!(parse(&keys("dd")), action(None, Command::Operate(Operator::Delete, None)));
        assert_eq!(
            parse(&keys("2d3w")),
            action(Some(6), Command::Operate(Operator::Delete, Some(Motion::WordForward(false))))
        );
        assert_eq!(
            parse(&keys("cw")),
            action(None, Command::Operate(Operator::Change, Some(Motion::WordForward(false))))
        );
        assert_eq!(parse(&keys("dy")), Parse::Invalid);
        assert_eq!(parse(&keys("yy")), action(None, Command::Operate(Operator::Yank, None)));
        assert_eq!(parse(&keys("x")), action(None, Command::Operate(Operator::Delete, Some(Motion::Right))));
    }

    #[test]
    fn commands_that_take_a_character() {
        assert_eq!(parse(&keys("f")), Parse::More);
        let find = Find { target: 'x', forward: false, till: true };
        assert_eq!(parse(&keys("Tx")), action(None, Command::Move(Motion::Find(find))));
        assert_eq!(
            parse(&keys("dfx")),
            action(
                None,
                Command::Operate(Operator::Delete, Some(Motion::Find(Find { forward: true, till: false, ..find })))
            )
        );
        assert_eq!(parse(&keys("3ra")), action(Some(3), Command::ReplaceChar('a')));
        assert_eq!(parse(&[Key::Char('r'), Key::Escape]), Parse::Invalid);
        assert_eq!(parse(&keys("g")), Parse::More);
        assert_eq!(parse(&keys("gg")), action(None, Command::Move(Motion::FirstLine)));
        assert_eq!(parse(&keys("ZZ")), action(None, Command::WriteQuit));
        assert_eq!(parse(&keys("Zx")), Parse::Invalid);
        assert_eq!(parse(&keys("q")), Parse::Invalid);
    }

    #[test]
    fn extents() {
        assert_eq!(Motion::Down.extent(None), Extent::Lines);
        assert_eq!(Motion::WordForward(false).extent(None), Extent::Exclusive);
        assert_eq!(Motion::WordEnd(false).extent(None), Extent::Inclusive);
        let find = Find { target: 'a', forward: true, till: false };
        assert_eq!(Motion::RepeatFind { reverse: false }.extent(Some(find)), Extent::Inclusive);
        assert_eq!(Motion::RepeatFind { reverse: true }.extent(Some(find)), Extent::Exclusive);
    }
}
