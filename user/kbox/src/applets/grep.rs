//! `grep [-EFGHLRchilnoqrsvwx] [-e PATTERN]... [PATTERN] [FILE]...`: prints the lines
//! that match. Patterns are POSIX basic regular expressions (extended with `-E`,
//! fixed strings with `-F`), translated for the `regex-lite` crate. Exit status: 0 when
//! a line was selected, 1 when none was, 2 on an error.
use std::ffi::{OsStr, OsString};
use std::io::{self, BufRead, Write};
use std::path::Path;

use regex_lite::{Regex, RegexBuilder};
use ulib::args::Spec;
use ulib::diag::{report, report_error};

use crate::cli;
use crate::input;
use crate::walk;

const PROGRAM: &str = "grep";

pub const USAGE: &str = "Usage: grep [OPTION]... PATTERNS [FILE]...
Search for PATTERNS in each FILE (standard input when there is none, or the current
directory with -r). PATTERNS can contain multiple patterns separated by newlines.
  -E          PATTERNS are extended regular expressions
  -F          PATTERNS are strings
  -G          PATTERNS are basic regular expressions (the default)
  -e PATTERNS use PATTERNS for matching
  -i          ignore case distinctions in patterns and data
  -v          select non-matching lines
  -w          match only whole words
  -x          match only whole lines
  -c          print only a count of selected lines per FILE
  -l          print only names of FILEs with selected lines
  -L          print only names of FILEs with no selected lines
  -n          print line number with output lines
  -o          show only nonempty parts of lines that match
  -q          suppress all normal output
  -s          suppress error messages about nonexistent or unreadable files
  -h          suppress the file name prefix on output
  -H          print the file name for each match
  -r, -R      search directories recursively
Exit status is 0 if any line is selected, 1 otherwise; if any error occurs and -q
is not given, the exit status is 2.";

const SPEC: Spec = Spec { flags: "EFGHLRchilnoqrsvwx", valued: "e", ..Spec::NONE };

/// The one expression for all the patterns.
fn build(
    patterns: &[String],
    fixed: bool,
    extended: bool,
    word: bool,
    line: bool,
    ignore_case: bool,
) -> Result<Regex, String> {
    let translated: Vec<String> = patterns
        .iter()
        .map(|pattern| if fixed { Ok(regex_lite::escape(pattern)) } else { posixre::translate(pattern, extended) })
        .collect::<Result<_, _>>()?;
    let alternatives: Vec<String> = translated
        .into_iter()
        .map(|pattern| match (line, word) {
            (true, _) => format!("^(?:{pattern})$"),
            (false, true) => format!("\\b(?:{pattern})\\b"),
            (false, false) => format!("(?:{pattern})"),
        })
        .collect();
    RegexBuilder::new(&alternatives.join("|")).case_insensitive(ignore_case).build().map_err(|err| err.to_string())
}

/// What grep was asked to do.
struct Search {
    regex: Regex,
    invert: bool,
    count: bool,
    files_with_matches: bool,
    files_without_match: bool,
    line_numbers: bool,
    only_matching: bool,
    quiet: bool,
    silent: bool,
    with_names: bool,
}

/// Read and write failures, apart.
enum Failure {
    Read(io::Error),
    Write(io::Error),
}

impl Search {
    fn selects(&self, line: &[u8]) -> bool {
        let text = String::from_utf8_lossy(line);
        self.regex.is_match(&text) != self.invert
    }

    /// Searches one input; returns whether a line was selected.
    fn search(&self, reader: &mut dyn BufRead, name: &str, out: &mut impl Write) -> Result<bool, Failure> {
        let binary = reader.fill_buf().map_err(Failure::Read)?.contains(&0);
        let prefix = if self.with_names { format!("{name}:") } else { String::new() };
        let mut selected = 0u64;
        let mut line = Vec::new();
        let mut number = 0u64;
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line).map_err(Failure::Read)? == 0 {
                break;
            }
            number += 1;
            let text = line.strip_suffix(b"\n").unwrap_or(&line);
            if !self.selects(text) {
                continue;
            }
            selected += 1;
            if self.quiet || self.files_with_matches || self.files_without_match {
                break;
            }
            if self.count {
                continue;
            }
            if binary {
                report(PROGRAM, format_args!("{name}: binary file matches"));
                break;
            }
            let number = if self.line_numbers { format!("{number}:") } else { String::new() };
            if self.only_matching && !self.invert {
                let text = String::from_utf8_lossy(text);
                for found in self.regex.find_iter(&text).filter(|found| !found.is_empty()) {
                    writeln!(out, "{prefix}{number}{}", found.as_str()).map_err(Failure::Write)?;
                }
            } else if !self.only_matching {
                let mut output = format!("{prefix}{number}").into_bytes();
                output.extend_from_slice(text);
                output.push(b'\n');
                out.write_all(&output).map_err(Failure::Write)?;
            }
        }
        let written = if self.count {
            writeln!(out, "{prefix}{selected}")
        } else if (self.files_with_matches && selected > 0) || (self.files_without_match && selected == 0) {
            writeln!(out, "{name}")
        } else {
            Ok(())
        };
        written.map_err(Failure::Write)?;
        Ok(selected > 0)
    }
}

/// The search's running result: whether a line was selected, whether there was an
/// error.
#[derive(Debug, Default)]
struct Outcome {
    selected: bool,
    error: bool,
}

fn search_file(
    search: &Search,
    operand: &OsStr,
    name: &str,
    out: &mut impl Write,
    outcome: &mut Outcome,
) -> io::Result<()> {
    let result = match input::open(operand) {
        Ok(mut reader) => search.search(&mut *reader, name, out),
        Err(err) => Err(Failure::Read(err)),
    };
    match result {
        Ok(selected) => outcome.selected |= selected,
        Err(Failure::Read(err)) => {
            if !search.silent {
                report_error(PROGRAM, name, &err);
            }
            outcome.error = true;
        }
        Err(Failure::Write(err)) => return Err(err),
    }
    Ok(())
}

/// Every file under `root`, as `grep -r` searches them (named without a leading `./`
/// when grep chose the current directory itself).
fn search_tree(
    search: &Search,
    root: &Path,
    implicit: bool,
    out: &mut impl Write,
    outcome: &mut Outcome,
) -> io::Result<()> {
    let mut result = Ok(());
    walk::walk(root, true, usize::MAX, &mut |visit| {
        let shown = match visit.path.strip_prefix("./") {
            Ok(stripped) if implicit => stripped.display().to_string(),
            _ => visit.path.display().to_string(),
        };
        if let Some(err) = visit.unreadable.or(visit.metadata.err()) {
            if !search.silent {
                report_error(PROGRAM, &shown, err);
            }
            outcome.error = true;
        } else if visit.metadata.is_ok_and(|metadata| !metadata.is_dir() && !metadata.is_symlink()) && result.is_ok() {
            result = search_file(search, visit.path.as_os_str(), &shown, out, outcome);
        }
        result.is_ok() && !(search.quiet && outcome.selected)
    });
    result
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let mut operands = command_line.operands.clone();
    let mut patterns: Vec<String> =
        command_line.values('e').map(|pattern| pattern.to_string_lossy().into_owned()).collect();
    if patterns.is_empty() {
        if operands.is_empty() {
            return cli::usage_error(PROGRAM, "no pattern given");
        }
        patterns.push(operands.remove(0).to_string_lossy().into_owned());
    }
    let patterns: Vec<String> = patterns.iter().flat_map(|pattern| pattern.split('\n').map(str::to_owned)).collect();
    let recursive = command_line.has('r') || command_line.has('R');
    let regex = match build(
        &patterns,
        command_line.last_of("EFG") == Some('F'),
        command_line.last_of("EFG") == Some('E'),
        command_line.has('w'),
        command_line.has('x'),
        command_line.has('i'),
    ) {
        Ok(regex) => regex,
        Err(problem) => {
            report(PROGRAM, problem);
            return 2;
        }
    };
    let implicit = recursive && operands.is_empty();
    if implicit {
        operands.push(".".into());
    }
    let several = operands.len() > 1 || recursive;
    let search = Search {
        regex,
        invert: command_line.has('v'),
        count: command_line.has('c'),
        files_with_matches: command_line.has('l'),
        files_without_match: command_line.has('L'),
        line_numbers: command_line.has('n'),
        only_matching: command_line.has('o'),
        quiet: command_line.has('q'),
        silent: command_line.has('s'),
        with_names: match command_line.last_of("hH") {
            Some(flag) => flag == 'H',
            None => several,
        },
    };
    let mut out = cli::stdout();
    let mut outcome = Outcome::default();
    let mut result = Ok(());
    for operand in input::operands_or_stdin(operands) {
        let name =
            if operand == "-" { "(standard input)".to_owned() } else { Path::new(&operand).display().to_string() };
        result = if recursive && operand != "-" {
            search_tree(&search, Path::new(&operand), implicit, &mut out, &mut outcome)
        } else {
            search_file(&search, &operand, &name, &mut out, &mut outcome)
        };
        if result.is_err() || (search.quiet && outcome.selected) {
            break;
        }
    }
    let status = match outcome {
        Outcome { selected: true, .. } if search.quiet => 0,
        Outcome { error: true, .. } => 2,
        Outcome { selected, .. } => u8::from(!selected),
    };
    cli::finish(PROGRAM, out, result.map(|()| status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options() {
        let regex = |patterns: &[&str], fixed, word, line, ignore_case| {
            let patterns: Vec<String> = patterns.iter().map(|pattern| pattern.to_string()).collect();
            build(&patterns, fixed, false, word, line, ignore_case).unwrap()
        };
        assert!(regex(&["a.b"], true, false, false, false).is_match("xa.by"));
        assert!(!regex(&["a.b"], true, false, false, false).is_match("axb"));
        assert!(regex(&["cat"], false, true, false, false).is_match("a cat."));
        assert!(!regex(&["cat"], false, true, false, false).is_match("concat"));
        assert!(!regex(&["cat"], false, false, true, false).is_match("cats"));
        assert!(regex(&["CAT"], false, false, false, true).is_match("cat"));
        assert!(regex(&["x", "y"], false, false, false, false).is_match("y"));
        assert!(regex(&[""], false, false, false, false).is_match("anything"));
    }

    fn search(text: &str, configure: impl FnOnce(&mut Search)) -> (String, bool) {
        let mut search = Search {
            regex: build(&["a".into()], false, false, false, false, false).unwrap(),
            invert: false,
            count: false,
            files_with_matches: false,
            files_without_match: false,
            line_numbers: false,
            only_matching: false,
            quiet: false,
            silent: false,
            with_names: false,
        };
        configure(&mut search);
        let mut out = Vec::new();
        let selected = search.search(&mut text.as_bytes(), "f", &mut out).ok().unwrap();
        (String::from_utf8(out).unwrap(), selected)
    }

    #[test]
    fn outputs() {
        let text = "abc\nxyz\nbanana\n";
        assert_eq!(search(text, |_| {}), ("abc\nbanana\n".into(), true));
        assert_eq!(search(text, |s| s.invert = true), ("xyz\n".into(), true));
        assert_eq!(search(text, |s| s.line_numbers = true), ("1:abc\n3:banana\n".into(), true));
        assert_eq!(search(text, |s| s.with_names = true), ("f:abc\nf:banana\n".into(), true));
        assert_eq!(search(text, |s| s.count = true), ("2\n".into(), true));
        assert_eq!(search(text, |s| s.files_with_matches = true), ("f\n".into(), true));
        assert_eq!(search(text, |s| s.only_matching = true), ("a\na\na\na\n".into(), true));
        assert_eq!(search("xyz", |s| s.files_without_match = true), ("f\n".into(), false));
        assert_eq!(search("xyz", |_| {}), (String::new(), false));
        assert_eq!(search("a\0b\n", |_| {}), (String::new(), true));
    }
}
