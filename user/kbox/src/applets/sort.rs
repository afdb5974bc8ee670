//! `sort [-bfnrsu] [-k KEY]... [-t SEP] [-o FILE] [FILE]...`: sorts lines in byte
//! order (the C locale), by keys (`-k 2`, `-k 2,3n`, `-k 1.3`) and numerically
//! (`-n`), reversed, folded or unique; equal keys fall back to the whole line.
use std::cmp::Ordering;
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufWriter, Write};

use ulib::args::Spec;
use ulib::diag::{quoted, report, report_error};

use crate::cli;
use crate::input;

const PROGRAM: &str = "sort";

pub const USAGE: &str = "Usage: sort [OPTION]... [FILE]...
Write sorted concatenation of all FILE(s) to standard output.
With no FILE, or when FILE is -, read standard input.
  -b          ignore leading blanks
  -f          fold lower case to upper case characters
  -n          compare according to string numerical value
  -r          reverse the result of comparisons
  -k KEYDEF   sort via a key; KEYDEF gives location and type
  -o FILE     write result to FILE instead of standard output
  -s          stabilize sort by disabling last-resort comparison
  -t SEP      use SEP instead of non-blank to blank transition
  -u          output only the first of an equal run
KEYDEF is F[.C][OPTS][,F[.C][OPTS]] for start and stop position, where F is a field
number and C a character position in the field, both counted from 1; OPTS are one or
more of b, f, n, r, which override the global ordering options for that key.";

const SPEC: Spec = Spec { flags: "bfnrsu", valued: "kot", ..Spec::NONE };

/// How two keys compare.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Order {
    blanks: bool,
    fold: bool,
    numeric: bool,
    reverse: bool,
}

impl Order {
    /// Reads `b f n r` letters; `None` for another letter.
    fn with_letters(mut self, letters: &str) -> Option<Self> {
        for letter in letters.chars() {
            match letter {
                'b' => self.blanks = true,
                'f' => self.fold = true,
                'n' => self.numeric = true,
                'r' => self.reverse = true,
                _ => return None,
            }
        }
        Some(self)
    }

    fn compare(&self, a: &[u8], b: &[u8]) -> Ordering {
        let order = if self.numeric {
            compare_numbers(a, b)
        } else if self.fold {
            a.iter().map(u8::to_ascii_uppercase).cmp(b.iter().map(u8::to_ascii_uppercase))
        } else {
            a.cmp(b)
        };
        if self.reverse { order.reverse() } else { order }
    }
}

/// A `-k` key: from field `start.0`, character `start.1`, to field `end.0`,
/// character `end.1` (0: the field's end), or to the line's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key {
    start: (usize, usize),
    end: Option<(usize, usize)>,
    order: Order,
    /// Whether the key had ordering letters of its own.
    own_order: bool,
}

impl Key {
    /// `F[.C]` at the start of `part`: the field and character (`default_char`
    /// without `.C`), and the letters after them.
    fn position(part: &str, default_char: usize) -> Option<((usize, usize), &str)> {
        let digits = part.find(|char: char| !char.is_ascii_digit()).unwrap_or(part.len());
        let field = part[..digits].parse().ok().filter(|&field| field > 0)?;
        let rest = &part[digits..];
        match rest.strip_prefix('.') {
            Some(rest) => {
                let digits = rest.find(|char: char| !char.is_ascii_digit()).unwrap_or(rest.len());
                Some(((field, rest[..digits].parse().ok()?), &rest[digits..]))
            }
            None => Some(((field, default_char), rest)),
        }
    }

    fn parse(text: &str) -> Option<Self> {
        let position = Self::position;
        let (start_text, end_text) = match text.split_once(',') {
            Some((start, end)) => (start, Some(end)),
            None => (text, None),
        };
        let (start, start_letters) = position(start_text, 1)?;
        if start.1 == 0 {
            return None;
        }
        let (end, end_letters) = match end_text {
            Some(end_text) => {
                let (end, letters) = position(end_text, 0)?;
                (Some(end), letters)
            }
            None => (None, ""),
        };
        let letters = format!("{start_letters}{end_letters}");
        let order = Order::default().with_letters(&letters)?;
        Some(Self { start, end, order, own_order: !letters.is_empty() })
    }
}

fn is_blank(byte: u8) -> bool {
    byte == b' ' || byte == b'\t'
}

/// Where each field of `line` starts and ends: split at `separator`, or else at each
/// blank-after-non-blank (a field keeps its leading blanks).
fn fields(line: &[u8], separator: Option<u8>) -> Vec<(usize, usize)> {
    let mut fields = Vec::new();
    let mut start = 0;
    match separator {
        Some(separator) => {
            for (index, &byte) in line.iter().enumerate() {
                if byte == separator {
                    fields.push((start, index));
                    start = index + 1;
                }
            }
        }
        None => {
            let mut index = 0;
            while index < line.len() {
                while index < line.len() && is_blank(line[index]) {
                    index += 1;
                }
                while index < line.len() && !is_blank(line[index]) {
                    index += 1;
                }
                fields.push((start, index));
                start = index;
            }
            if fields.is_empty() {
                fields.push((0, 0));
            }
            return fields;
        }
    }
    fields.push((start, line.len()));
    fields
}

/// The part of `line` that `key` selects.
fn key_text<'a>(line: &'a [u8], key: &Key, separator: Option<u8>) -> &'a [u8] {
    let fields = fields(line, separator);
    let skip_blanks = |from: usize, to: usize| from + line[from..to].iter().take_while(|&&byte| is_blank(byte)).count();
    let start = match fields.get(key.start.0 - 1) {
        Some(&(from, to)) => {
            let from = if key.order.blanks { skip_blanks(from, to) } else { from };
            (from + key.start.1 - 1).min(to)
        }
        None => line.len(),
    };
    let end = match key.end {
        None => line.len(),
        Some((field, char)) => match fields.get(field - 1) {
            Some(&(_, to)) if char == 0 => to,
            Some(&(from, to)) => {
                let from = if key.order.blanks { skip_blanks(from, to) } else { from };
                (from + char).min(to)
            }
            None => line.len(),
        },
    };
    &line[start..end.max(start)]
}

/// Compares the numbers that `a` and `b` start with (after blanks): an optional `-`,
/// digits and a fraction; anything else counts as zero.
fn compare_numbers(a: &[u8], b: &[u8]) -> Ordering {
    fn parts(text: &[u8]) -> (bool, &[u8], &[u8]) {
        let text = &text[text.iter().take_while(|&&byte| is_blank(byte)).count()..];
        let (negative, text) = match text.strip_prefix(b"-") {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let whole_length = text.iter().take_while(|byte| byte.is_ascii_digit()).count();
        let whole = &text[..whole_length];
        let whole = &whole[whole.iter().take_while(|&&byte| byte == b'0').count()..];
        let fraction = match text[whole_length..].strip_prefix(b".") {
            Some(rest) => &rest[..rest.iter().take_while(|byte| byte.is_ascii_digit()).count()],
            None => &[],
        };
        let fraction = &fraction[..fraction.len() - fraction.iter().rev().take_while(|&&byte| byte == b'0').count()];
        let zero = whole.is_empty() && fraction.is_empty();
        (negative && !zero, whole, fraction)
    }
    let (a_negative, a_whole, a_fraction) = parts(a);
    let (b_negative, b_whole, b_fraction) = parts(b);
    let magnitude =
        a_whole.len().cmp(&b_whole.len()).then_with(|| a_whole.cmp(b_whole)).then_with(|| a_fraction.cmp(b_fraction));
    match (a_negative, b_negative) {
        (false, false) => magnitude,
        (true, true) => magnitude.reverse(),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
    }
}

/// How lines are ordered.
#[derive(Debug)]
struct Sorting {
    keys: Vec<Key>,
    global: Order,
    separator: Option<u8>,
    stable: bool,
    unique: bool,
}

impl Sorting {
    /// Compares by the keys (the whole line when there are none).
    fn compare_keys(&self, a: &[u8], b: &[u8]) -> Ordering {
        if self.keys.is_empty() {
            let strip = |line: &'_ [u8]| -> usize {
                if self.global.blanks { line.iter().take_while(|&&byte| is_blank(byte)).count() } else { 0 }
            };
            return self.global.compare(&a[strip(a)..], &b[strip(b)..]);
        }
        self.keys
            .iter()
            .map(|key| {
                let key = if key.own_order { *key } else { Key { order: self.global, ..*key } };
                key.order.compare(key_text(a, &key, self.separator), key_text(b, &key, self.separator))
            })
            .find(|order| order.is_ne())
            .unwrap_or(Ordering::Equal)
    }

    fn compare(&self, a: &[u8], b: &[u8]) -> Ordering {
        let order = self.compare_keys(a, b);
        if order.is_ne() || self.stable || self.unique {
            return order;
        }
        if self.global.reverse { b.cmp(a) } else { a.cmp(b) }
    }

    fn sort(&self, lines: &mut Vec<&[u8]>) {
        lines.sort_by(|a, b| self.compare(a, b));
        if self.unique {
            lines.dedup_by(|later, earlier| self.compare_keys(earlier, later).is_eq());
        }
    }
}

/// The lines of `data`, without their newlines.
fn lines(data: &[u8]) -> Vec<&[u8]> {
    if data.is_empty() {
        return Vec::new();
    }
    data.strip_suffix(b"\n").unwrap_or(data).split(|&byte| byte == b'\n').collect()
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let global = Order {
        blanks: command_line.has('b'),
        fold: command_line.has('f'),
        numeric: command_line.has('n'),
        reverse: command_line.has('r'),
    };
    let mut keys = Vec::new();
    for text in command_line.values('k') {
        let text = text.to_string_lossy();
        match Key::parse(&text) {
            Some(key) => keys.push(key),
            None => return cli::usage_error(PROGRAM, format_args!("invalid key specification {}", quoted(&text))),
        }
    }
    let separator = match command_line.value('t').map(|separator| separator.as_encoded_bytes()) {
        None => None,
        Some([byte]) => Some(*byte),
        Some(_) => return cli::usage_error(PROGRAM, "multi-character tab"),
    };
    let sorting = Sorting { keys, global, separator, stable: command_line.has('s'), unique: command_line.has('u') };
    let output = command_line.value('o').map(OsString::from);
    let mut data = Vec::new();
    for operand in input::operands_or_stdin(command_line.operands) {
        let read = |data: &mut Vec<u8>| -> io::Result<()> {
            let mut reader = input::open(&operand)?;
            reader.read_to_end(data)?;
            if !data.is_empty() && !data.ends_with(b"\n") {
                data.push(b'\n');
            }
            Ok(())
        };
        if let Err(err) = read(&mut data) {
            report_error(PROGRAM, format_args!("cannot read: {}", input::shown(&operand)), &err);
            return 2;
        }
    }
    let mut lines = lines(&data);
    sorting.sort(&mut lines);
    let mut out: Box<dyn Write> = match output {
        None => Box::new(cli::stdout()),
        Some(path) => match File::create(&path) {
            Ok(file) => Box::new(BufWriter::new(file)),
            Err(err) => {
                report(PROGRAM, format_args!("open failed: {}: {}", input::shown(&path), ulib::diag::error_text(&err)));
                return 2;
            }
        },
    };
    let result = lines.iter().try_for_each(|line| out.write_all(line).and_then(|()| out.write_all(b"\n")));
    cli::finish(PROGRAM, out, result.map(|()| 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sort(text: &str, sorting: Sorting) -> String {
        let mut lines = lines(text.as_bytes());
        sorting.sort(&mut lines);
        lines.iter().map(|line| format!("{}\n", String::from_utf8_lossy(line))).collect()
    }

    fn plain(order: Order) -> Sorting {
        Sorting { keys: Vec::new(), global: order, separator: None, stable: false, unique: false }
    }

    fn with_keys(keys: &[&str], separator: Option<u8>) -> Sorting {
        Sorting {
            keys: keys.iter().map(|key| Key::parse(key).unwrap()).collect(),
            separator,
            ..plain(Order::default())
        }
    }

    #[test]
    fn bytes_numbers_reverse_and_fold() {
        assert_eq!(sort("b\na\nB\n", plain(Order::default())), "B\na\nb\n");
        assert_eq!(
            sort("10\n9\n-1\n1e2\nabc\n0.5\n", plain(Order { numeric: true, ..Order::default() })),
            "-1\nabc\n0.5\n1e2\n9\n10\n"
        );
        assert_eq!(sort("a\nc\nb\n", plain(Order { reverse: true, ..Order::default() })), "c\nb\na\n");
        assert_eq!(sort("B\na\nb\nA\n", plain(Order { fold: true, ..Order::default() })), "A\na\nB\nb\n");
    }

    #[test]
    fn unique() {
        let unique = Sorting { unique: true, ..plain(Order::default()) };
        assert_eq!(sort("a\nb\na\n", unique), "a\nb\n");
        let numeric = Sorting { unique: true, ..plain(Order { numeric: true, ..Order::default() }) };
        assert_eq!(sort("1\n01\n2\n", numeric), "1\n2\n");
    }

    #[test]
    fn keys() {
        assert_eq!(sort("b 2\na 10\nc 1\n", with_keys(&["2n"], None)), "c 1\nb 2\na 10\n");
        assert_eq!(sort("x:3\ny:1\nz:2\n", with_keys(&["2,2"], Some(b':'))), "y:1\nz:2\nx:3\n");
        assert_eq!(sort("a b\na a\n", with_keys(&["1,1"], None)), "a a\na b\n");
        assert_eq!(sort("xb\nya\n", with_keys(&["1.2"], None)), "ya\nxb\n");
    }

    #[test]
    fn key_texts() {
        let key = |text| Key::parse(text).unwrap();
        assert_eq!(key_text(b"  a  bc d", &key("2"), None), b"  bc d");
        assert_eq!(key_text(b"  a  bc d", &key("2,2"), None), b"  bc");
        assert_eq!(key_text(b"  a  bc d", &key("2b,2"), None), b"bc");
        assert_eq!(key_text(b"a:b:c", &key("2,3"), Some(b':')), b"b:c");
        assert_eq!(key_text(b"a:b", &key("5"), Some(b':')), b"");
        assert_eq!(key_text(b"hello world", &key("1.2,1.3"), None), b"el");
    }

    #[test]
    fn key_definitions() {
        assert_eq!(Key::parse("2"), Some(Key { start: (2, 1), end: None, order: Order::default(), own_order: false }));
        let key = Key::parse("1.3n,2r").unwrap();
        assert_eq!((key.start, key.end, key.order.numeric, key.order.reverse), ((1, 3), Some((2, 0)), true, true));
        for bad in ["0", "x", "1.0", "1z", ""] {
            assert_eq!(Key::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(compare_numbers(b"-0", b"0"), Ordering::Equal);
        assert_eq!(compare_numbers(b"1.50", b"1.5"), Ordering::Equal);
        assert_eq!(compare_numbers(b"-2", b"-10"), Ordering::Greater);
        assert_eq!(compare_numbers(b" 007", b"8"), Ordering::Less);
        assert_eq!(compare_numbers(b".5", b"0.4"), Ordering::Greater);
    }
}
