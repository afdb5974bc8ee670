//! `tr [-cds] SET1 [SET2]`: translates, deletes (`-d`) or squeezes (`-s`) bytes of
//! standard input. Sets take ranges (`a-z`), classes (`[:upper:]`), repeats in SET2
//! (`[x*]`, `[x*5]`) and backslash escapes; `-c` complements SET1.
use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::os::unix::ffi::OsStrExt;

use ulib::args::Spec;
use ulib::diag::{quoted, report_error};

use crate::cli;
use ulib::escape::{self, Escape, Octal};

const PROGRAM: &str = "tr";

pub const USAGE: &str = "Usage: tr [OPTION]... SET1 [SET2]
Translate, squeeze, and/or delete characters from standard input, writing to
standard output.
  -c   use the complement of SET1
  -d   delete characters in SET1, do not translate
  -s   replace each sequence of a repeated character that is listed in the last
       specified SET, with a single occurrence of that character
SETs are strings of characters; also CHAR1-CHAR2 (a range), [CHAR*] and [CHAR*REPEAT]
(in SET2), [:alnum:] [:alpha:] [:blank:] [:cntrl:] [:digit:] [:graph:] [:lower:]
[:print:] [:punct:] [:space:] [:upper:] [:xdigit:], and the escapes \\NNN \\\\ \\a \\b
\\f \\n \\r \\t \\v.";

const SPEC: Spec = Spec { flags: "cds", ..Spec::NONE };

/// One element of a set before expansion.
#[derive(Debug, PartialEq, Eq)]
enum Element {
    Byte(u8),
    /// `[x*n]`; `None` for `[x*]`, which fills SET2 out to SET1's length.
    Repeat(u8, Option<usize>),
}

/// The next byte of a set's text, decoding an escape.
fn next_byte(text: &[u8], i: &mut usize) -> u8 {
    if text[*i] == b'\\' && *i + 1 < text.len() {
        let (escape, length) = escape::decode(&text[*i + 1..], Octal::Plain);
        *i += 1 + length;
        match escape {
            Escape::Bytes(bytes) if bytes.len() == 1 => bytes[0],
            // `\c` and unknown escapes stand for the character after the backslash.
            _ => text[*i - 1],
        }
    } else {
        *i += 1;
        text[*i - 1]
    }
}

/// A set's elements: ranges and classes expanded; `Err` is the complaint.
fn parse_set(text: &[u8]) -> Result<Vec<Element>, String> {
    let mut elements = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if text[i..].starts_with(b"[:")
            && let Some(end) = text[i + 2..].windows(2).position(|pair| pair == b":]")
        {
            let class = &text[i + 2..i + 2 + end];
            if !(0..=255).any(|byte| ulib::glob::in_class(class, byte)) {
                return Err(format!("invalid character class {}", quoted(String::from_utf8_lossy(class))));
            }
            elements.extend((0..=255u8).filter(|&byte| ulib::glob::in_class(class, byte)).map(Element::Byte));
            i += end + 4;
            continue;
        }
        if text[i] == b'[' && i + 2 < text.len() {
            let mut j = i + 1;
            let byte = next_byte(text, &mut j);
            if text.get(j) == Some(&b'*')
                && let Some(close) = text[j..].iter().position(|&byte| byte == b']')
            {
                let count = &text[j + 1..j + close];
                let count = if count.is_empty() {
                    None
                } else {
                    let radix = if count.starts_with(b"0") { 8 } else { 10 };
                    let digits = String::from_utf8_lossy(count);
                    Some(
                        usize::from_str_radix(&digits, radix)
                            .map_err(|_| format!("invalid repeat count {} in [c*n] construct", quoted(&digits)))?,
                    )
                };
                elements.push(Element::Repeat(byte, count));
                i = j + close + 1;
                continue;
            }
        }
        let low = next_byte(text, &mut i);
        if text.get(i) == Some(&b'-') && i + 1 < text.len() {
            let mut j = i + 1;
            let high = next_byte(text, &mut j);
            if high < low {
                let range = format!("{}-{}", char::from(low), char::from(high));
                return Err(format!("range-endpoints of {} are in reverse collating sequence order", quoted(range)));
            }
            elements.extend((low..=high).map(Element::Byte));
            i = j;
        } else {
            elements.push(Element::Byte(low));
        }
    }
    Ok(elements)
}

/// SET1's bytes (complemented with `-c`); repeats are not allowed in it.
fn first_set(elements: &[Element], complement: bool) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    for element in elements {
        match element {
            Element::Byte(byte) => bytes.push(*byte),
            Element::Repeat(..) => return Err("the [c*] repeat construct may not appear in string1".into()),
        }
    }
    if complement {
        bytes = (0..=255u8).filter(|byte| !bytes.contains(byte)).collect();
    }
    Ok(bytes)
}

/// SET2's bytes, as long as SET1's: `[x*]` fills, and the last byte repeats.
fn second_set(elements: &[Element], length: usize) -> Vec<u8> {
    let fixed: usize = elements
        .iter()
        .map(|element| if let Element::Repeat(_, Some(count)) = element { *count } else { 1 })
        .sum::<usize>()
        - elements.iter().filter(|element| matches!(element, Element::Repeat(_, None))).count();
    let mut bytes = Vec::new();
    for element in elements {
        match element {
            Element::Byte(byte) => bytes.push(*byte),
            Element::Repeat(byte, Some(count)) => bytes.extend(std::iter::repeat_n(*byte, *count)),
            Element::Repeat(byte, None) => bytes.extend(std::iter::repeat_n(*byte, length.saturating_sub(fixed))),
        }
    }
    if let Some(&last) = bytes.last() {
        bytes.resize(bytes.len().max(length), last);
    }
    bytes
}

/// What tr does to each byte.
#[derive(Debug)]
struct Plan {
    map: [u8; 256],
    delete: [bool; 256],
    squeeze: [bool; 256],
}

impl Plan {
    fn new() -> Self {
        Self { map: std::array::from_fn(|byte| byte as u8), delete: [false; 256], squeeze: [false; 256] }
    }

    /// Applies the plan to `data`; `last` is the last byte written (for squeezing
    /// across reads).
    fn apply(&self, data: &[u8], last: &mut Option<u8>) -> Vec<u8> {
        let mut out = Vec::with_capacity(data.len());
        for &byte in data {
            if self.delete[byte as usize] {
                continue;
            }
            let mapped = self.map[byte as usize];
            if self.squeeze[mapped as usize] && *last == Some(mapped) {
                continue;
            }
            out.push(mapped);
            *last = Some(mapped);
        }
        out
    }
}

/// The plan for the options and sets; `Err` is the complaint.
fn plan(complement: bool, delete: bool, squeeze: bool, sets: &[Vec<u8>]) -> Result<Plan, String> {
    let set1 = first_set(&parse_set(&sets[0])?, complement)?;
    let set2 = sets.get(1).map(|text| parse_set(text)).transpose()?;
    let mut plan = Plan::new();
    let mark = |flags: &mut [bool; 256], bytes: &[u8]| bytes.iter().for_each(|&byte| flags[byte as usize] = true);
    if delete {
        mark(&mut plan.delete, &set1);
        if let Some(set2) = set2 {
            mark(&mut plan.squeeze, &first_set(&set2, false)?);
        }
        return Ok(plan);
    }
    match set2 {
        Some(set2) => {
            let set2 = second_set(&set2, set1.len());
            if set2.is_empty() && !set1.is_empty() {
                return Err("when not truncating set1, string2 must be non-empty".into());
            }
            for (&from, &to) in set1.iter().zip(&set2) {
                plan.map[from as usize] = to;
            }
            if squeeze {
                mark(&mut plan.squeeze, &set2);
            }
        }
        None => mark(&mut plan.squeeze, &set1),
    }
    Ok(plan)
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let (complement, delete, squeeze) = (command_line.has('c'), command_line.has('d'), command_line.has('s'));
    let sets: Vec<Vec<u8>> = command_line.operands.iter().map(|operand| operand.as_bytes().to_vec()).collect();
    let wanted = if delete == squeeze && (delete || !sets.is_empty()) { 2 } else { 1 };
    if sets.is_empty() {
        return cli::missing_operand(PROGRAM);
    }
    if sets.len() < wanted {
        let after = quoted(String::from_utf8_lossy(&sets[0]));
        let why = if delete {
            "Two strings must be given when both deleting and squeezing repeats."
        } else {
            "Two strings must be given when translating."
        };
        return cli::usage_error(PROGRAM, format_args!("missing operand after {after}\n{why}"));
    }
    if sets.len() > wanted {
        return cli::extra_operand(PROGRAM, String::from_utf8_lossy(&sets[wanted]));
    }
    let plan = match plan(complement, delete, squeeze, &sets) {
        Ok(plan) => plan,
        Err(problem) => {
            ulib::diag::report(PROGRAM, problem);
            return 1;
        }
    };
    let mut out = io::stdout().lock();
    let mut stdin = io::stdin().lock();
    let mut buffer = vec![0; 64 * 1024];
    let mut last = None;
    loop {
        let length = match stdin.read(&mut buffer) {
            Ok(0) => return cli::finish(PROGRAM, out, Ok(0)),
            Ok(length) => length,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => {
                report_error(PROGRAM, "read error", &err);
                return 1;
            }
        };
        if let Err(err) = out.write_all(&plan.apply(&buffer[..length], &mut last)) {
            return cli::write_failed(PROGRAM, &err);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tr(flags: &str, sets: &[&str], input: &str) -> String {
        let sets: Vec<Vec<u8>> = sets.iter().map(|set| set.as_bytes().to_vec()).collect();
        let plan = plan(flags.contains('c'), flags.contains('d'), flags.contains('s'), &sets).unwrap();
        String::from_utf8(plan.apply(input.as_bytes(), &mut None)).unwrap()
    }

    #[test]
    fn translating() {
        assert_eq!(tr("", &["a-z", "A-Z"], "hello, world"), "HELLO, WORLD");
        assert_eq!(tr("", &["[:lower:]", "[:upper:]"], "abc"), "ABC");
        assert_eq!(tr("", &["abc", "x"], "aabbcc"), "xxxxxx");
        assert_eq!(tr("", &["a-c", "[x*]"], "abcd"), "xxxd");
        assert_eq!(tr("", &["a-d", "[x*2]y"], "abcd"), "xxyy");
        assert_eq!(tr("", &["\\n", " "], "a\nb\n"), "a b ");
        assert_eq!(tr("c", &["a-z\\n", "_"], "ab1c\n"), "ab_c\n");
    }

    #[test]
    fn deleting_and_squeezing() {
        assert_eq!(tr("d", &["0-9"], "a1b22c"), "abc");
        assert_eq!(tr("cd", &["a-z"], "a1b22c!"), "abc");
        assert_eq!(tr("s", &[" "], "a   b  c"), "a b c");
        assert_eq!(tr("s", &["a-z", "A-Z"], "aabbc dd"), "ABC D");
        assert_eq!(tr("ds", &["0-9", "a"], "a1a2aab"), "ab");
        assert_eq!(tr("s", &["[:space:]"], "a\n\n\nb"), "a\nb");
    }

    #[test]
    fn bad_sets() {
        assert!(parse_set(b"z-a").unwrap_err().contains("reverse collating"));
        assert!(parse_set(b"[:nosuch:]").unwrap_err().contains("invalid character class"));
        assert!(first_set(&parse_set(b"[a*]").unwrap(), false).is_err());
        assert_eq!(parse_set(b"[a*3]").unwrap(), [Element::Repeat(b'a', Some(3))]);
        assert_eq!(parse_set(b"[").unwrap(), [Element::Byte(b'[')]);
    }

    #[test]
    fn squeezing_across_reads() {
        let plan = plan(false, false, true, &[b" ".to_vec()]).unwrap();
        let mut last = None;
        let first = plan.apply(b"a  ", &mut last);
        let second = plan.apply(b"  b", &mut last);
        assert_eq!([first, second].concat(), b"a b");
    }
}
