//! The replacement of `s/RE/REPLACEMENT/`: text, `&` and `\1`..`\9` for what
//! matched, `\n` and an escaped newline for a newline, and GNU's case conversions
//! (`\U`, `\L` until `\E`; `\u`, `\l` for the next character only).
use regex_lite::Captures;

/// One piece of a replacement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// Group N of the match; 0 is the whole match (`&`).
    Group(usize),
    Case(Case),
}

/// A case conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Upper,
    Lower,
    /// `\E`: the end of `\U` or `\L`.
    End,
    NextUpper,
    NextLower,
}

/// Reads the replacement text (between the delimiters, escapes still in).
pub fn parse(text: &[char], delimiter: char) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut chars = text.iter().copied();
    let push = |pieces: &mut Vec<Piece>, literal: &mut String, piece: Piece| {
        if !literal.is_empty() {
            pieces.push(Piece::Text(std::mem::take(literal)));
        }
        pieces.push(piece);
    };
    while let Some(char) = chars.next() {
        match char {
            '&' => push(&mut pieces, &mut literal, Piece::Group(0)),
            '\\' => match chars.next() {
                Some(digit @ '0'..='9') => {
                    push(&mut pieces, &mut literal, Piece::Group(digit as usize - '0' as usize));
                }
                Some('n') => literal.push('\n'),
                Some('t') => literal.push('\t'),
                Some('r') => literal.push('\r'),
                Some('f') => literal.push('\x0c'),
                Some('v') => literal.push('\x0b'),
                Some('a') => literal.push('\x07'),
                Some('U') => push(&mut pieces, &mut literal, Piece::Case(Case::Upper)),
                Some('L') => push(&mut pieces, &mut literal, Piece::Case(Case::Lower)),
                Some('E') => push(&mut pieces, &mut literal, Piece::Case(Case::End)),
                Some('u') => push(&mut pieces, &mut literal, Piece::Case(Case::NextUpper)),
                Some('l') => push(&mut pieces, &mut literal, Piece::Case(Case::NextLower)),
                Some(other) if other == delimiter => literal.push(other),
                Some(other) => literal.push(other),
                None => literal.push('\\'),
            },
            _ => literal.push(char),
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Text(literal));
    }
    pieces
}

/// The highest group the replacement refers to.
pub fn highest_group(pieces: &[Piece]) -> usize {
    pieces
        .iter()
        .filter_map(|piece| if let Piece::Group(group) = piece { Some(*group) } else { None })
        .max()
        .unwrap_or(0)
}

/// Text written under the case conversions in force.
#[derive(Debug, Default)]
struct Writer {
    out: String,
    lasting: Option<Case>,
    next: Option<Case>,
}

impl Writer {
    fn write(&mut self, text: &str) {
        for char in text.chars() {
            let case = self.next.take().or(self.lasting);
            match case {
                Some(Case::Upper | Case::NextUpper) => self.out.extend(char.to_uppercase()),
                Some(Case::Lower | Case::NextLower) => self.out.extend(char.to_lowercase()),
                _ => self.out.push(char),
            }
        }
    }

    fn convert(&mut self, case: Case) {
        match case {
            Case::Upper | Case::Lower => {
                self.lasting = Some(case);
                self.next = None;
            }
            Case::End => {
                self.lasting = None;
                self.next = None;
            }
            Case::NextUpper | Case::NextLower => self.next = Some(case),
        }
    }
}

/// The replacement for one match.
pub fn expand(pieces: &[Piece], captures: &Captures) -> String {
    let mut writer = Writer::default();
    for piece in pieces {
        match piece {
            Piece::Text(text) => writer.write(text),
            Piece::Group(group) => writer.write(captures.get(*group).map_or("", |found| found.as_str())),
            Piece::Case(case) => writer.convert(*case),
        }
    }
    writer.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_lite::Regex;

    fn replace(pattern: &str, replacement: &str, text: &str) -> String {
        let chars: Vec<char> = replacement.chars().collect();
        let captures = Regex::new(pattern).unwrap().captures(text).unwrap();
        expand(&parse(&chars, '/'), &captures)
    }

    #[test]
    fn groups_and_escapes() {
        assert_eq!(replace("(b+)(c)", r"[&|\2\1]\n\/", "abbcd"), "[bbc|cbb]\n/");
        assert_eq!(replace("(x)?b", r"<\1>", "b"), "<>");
        assert_eq!(highest_group(&parse(&['\\', '3', '&'], '/')), 3);
    }

    #[test]
    fn case_conversions() {
        assert_eq!(replace("a", r"\U&x\E-\u&-\lAB", "a"), "AX-A-aB");
        assert_eq!(replace("(.)(.)", r"\U\1\l\2\2", "ab"), "AbB");
        assert_eq!(replace("(.+)", r"\L\u\1", "HELLO"), "Hello");
    }
}
