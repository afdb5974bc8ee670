//! `wc [-clmw] [FILE]...`: counts the lines, words and bytes (or the chosen counts)
//! of each input, with a total line for several, in GNU's column widths.
use std::ffi::{OsStr, OsString};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::os::fd::AsFd;

use ulib::args::Spec;
use ulib::diag::report_error;

use crate::cli;
use crate::input;

const PROGRAM: &str = "wc";

pub const USAGE: &str = "Usage: wc [OPTION]... [FILE]...
Print newline, word, and byte counts for each FILE, and a total line if more than one
FILE is specified. A word is a non-zero-length sequence of characters delimited by
white space. With no FILE, or when FILE is -, read standard input.
  -c   print the byte counts
  -m   print the character counts
  -l   print the newline counts
  -w   print the word counts";

const SPEC: Spec = Spec { flags: "clmw", ..Spec::NONE };

/// The counts of one input, in the order wc prints them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Counts {
    lines: u64,
    words: u64,
    chars: u64,
    bytes: u64,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.lines += other.lines;
        self.words += other.words;
        self.chars += other.chars;
        self.bytes += other.bytes;
    }

    fn values(&self) -> [u64; 4] {
        [self.lines, self.words, self.chars, self.bytes]
    }
}

/// Counts `reader` to its end (or to an error, with the counts so far).
fn count(reader: &mut dyn Read) -> (Counts, Option<io::Error>) {
    let mut counts = Counts::default();
    let mut in_word = false;
    let mut buffer = vec![0; 64 * 1024];
    loop {
        let length = match reader.read(&mut buffer) {
            Ok(0) => return (counts, None),
            Ok(length) => length,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return (counts, Some(err)),
        };
        for &byte in &buffer[..length] {
            counts.lines += u64::from(byte == b'\n');
            // A character starts at every byte that is not a UTF-8 continuation byte.
            counts.chars += u64::from(byte & 0xc0 != 0x80);
            let space = matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
            counts.words += u64::from(!space && !in_word);
            in_word = !space;
        }
        counts.bytes += length as u64;
    }
}

/// What is known of an input before counting it, for the column width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    Regular(u64),
    Other,
    Failed,
}

fn known(operand: &OsStr) -> Known {
    let metadata = if operand == "-" {
        io::stdin().as_fd().try_clone_to_owned().map(File::from).and_then(|file| file.metadata())
    } else {
        fs::metadata(operand)
    };
    match metadata {
        Ok(metadata) if metadata.is_file() => Known::Regular(metadata.len()),
        Ok(_) => Known::Other,
        Err(_) => Known::Failed,
    }
}

/// GNU's column width: the digits of the regular files' total size, at least 7 when
/// some input is not a regular file, and 1 for one count of one input.
fn number_width(inputs: &[Known], columns: usize) -> usize {
    if inputs.len() == 1 && columns == 1 || inputs.first() == Some(&Known::Failed) {
        return 1;
    }
    let minimum = if inputs.contains(&Known::Other) { 7 } else { 1 };
    let total: u64 = inputs.iter().map(|known| if let Known::Regular(size) = known { *size } else { 0 }).sum();
    total.to_string().len().max(minimum)
}

/// One output line: the chosen counts, right-aligned, then the name if there is one.
fn line(counts: &Counts, chosen: [bool; 4], width: usize, name: Option<&OsStr>) -> String {
    let columns: Vec<String> = counts
        .values()
        .into_iter()
        .zip(chosen)
        .filter(|&(_, chosen)| chosen)
        .map(|(value, _)| format!("{value:>width$}"))
        .collect();
    let mut line = columns.join(" ");
    if let Some(name) = name {
        line.push(' ');
        line.push_str(&name.to_string_lossy());
    }
    line.push('\n');
    line
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let mut chosen = ['l', 'w', 'm', 'c'].map(|flag| command_line.has(flag));
    if chosen == [false; 4] {
        chosen = [true, true, false, true];
    }
    let named = !command_line.operands.is_empty();
    let operands = input::operands_or_stdin(command_line.operands);
    let known: Vec<Known> = operands.iter().map(|operand| known(operand)).collect();
    let width = number_width(&known, chosen.iter().filter(|&&chosen| chosen).count());
    let mut out = cli::stdout();
    let mut total = Counts::default();
    let mut status = 0;
    let mut result = Ok(());
    for operand in &operands {
        let (counts, err) = match input::open(operand) {
            Ok(mut reader) => count(&mut reader),
            Err(err) => {
                report_error(PROGRAM, input::shown(operand), &err);
                status = 1;
                continue;
            }
        };
        if let Some(err) = err {
            report_error(PROGRAM, input::shown(operand), &err);
            status = 1;
        }
        total.add(&counts);
        result = result.and_then(|()| out.write_all(line(&counts, chosen, width, named.then_some(operand)).as_bytes()));
    }
    if operands.len() > 1 {
        result = result.and_then(|()| out.write_all(line(&total, chosen, width, Some(OsStr::new("total"))).as_bytes()));
    }
    cli::finish(PROGRAM, out, result.map(|()| status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting() {
        let (counts, err) = count(&mut "hello  wörld\nsecond line\n\tx".as_bytes());
        assert!(err.is_none());
        assert_eq!(counts, Counts { lines: 2, words: 5, chars: 27, bytes: 28 });
        assert_eq!(count(&mut "".as_bytes()).0, Counts::default());
    }

    #[test]
    fn words_across_reads() {
        let data = "ab ".repeat(50_000);
        assert_eq!(count(&mut data.as_bytes()).0.words, 50_000);
    }

    #[test]
    fn widths() {
        assert_eq!(number_width(&[Known::Other], 3), 7);
        assert_eq!(number_width(&[Known::Other], 1), 1);
        assert_eq!(number_width(&[Known::Regular(1629)], 3), 4);
        assert_eq!(number_width(&[Known::Regular(1629), Known::Regular(9000)], 1), 5);
        assert_eq!(number_width(&[Known::Regular(5), Known::Other], 3), 7);
        assert_eq!(number_width(&[Known::Failed, Known::Regular(50)], 3), 1);
        assert_eq!(number_width(&[Known::Regular(50), Known::Failed], 3), 2);
    }

    #[test]
    fn lines() {
        let counts = Counts { lines: 3, words: 5, chars: 20, bytes: 20 };
        assert_eq!(line(&counts, [true, true, false, true], 7, None), "      3       5      20\n");
        assert_eq!(line(&counts, [true, false, false, false], 1, Some(OsStr::new("f"))), "3 f\n");
    }
}
