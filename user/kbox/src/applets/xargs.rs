//! `xargs [-0rtx] [-n N] [-L N] [-s N] [-P N] [-I R] [COMMAND [ARG]...]`: runs
//! COMMAND (echo by default) with arguments read from standard input (blank-separated
//! with quotes and backslashes, or NUL-separated with -0, or a line each with -I),
//! as many per command line as the limits allow. GNU's statuses: 123 when a command
//! failed, 124 when one exited 255, 125 when one was killed, 126 and 127 when it
//! could not be run or found, 1 for xargs's own trouble.
use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::process::{Child, Command, Stdio};

use ulib::args::Spec;
use ulib::diag::{quoted_if_needed, report, report_error};
use ulib::process::{WaitStatus, wait4};

use crate::cli;

const PROGRAM: &str = "xargs";

pub const USAGE: &str = "Usage: xargs [OPTION]... COMMAND [INITIAL-ARGS]...
Run COMMAND with arguments INITIAL-ARGS and more arguments read from input.
  -0         input items are terminated by a null, not whitespace; quotes and
             backslash are not special
  -I R       replace R in INITIAL-ARGS with names read from standard input,
             one line each; unquoted blanks do not terminate input items
  -L N       use at most N nonblank input lines per command line
  -n N       use at most N arguments per command line
  -P N       run at most N processes at a time (0: as many as possible)
  -r         if there are no arguments, then do not run COMMAND
  -s N       limit length of command line to N characters
  -t         print commands before executing them
  -x         exit if the size (see -s) is exceeded";

const SPEC: Spec = Spec {
    flags: "0rtx",
    valued: "ILnPs",
    long: &["null", "no-run-if-empty", "verbose", "exit"],
    stop_at_operand: true,
    ..Spec::NONE
};

/// GNU's default limit on a command line's length.
const DEFAULT_SIZE: usize = 131_072;

/// How input splits into items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Split {
    /// Blanks and newlines, with quotes and backslashes.
    Blanks,
    /// Newlines only (for -I), with quotes and backslashes, leading blanks dropped.
    Lines,
    /// NUL bytes, nothing special.
    Nul,
}

/// One input item, and whether a (logical, for -L) input line ends after it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Item {
    text: Vec<u8>,
    ends_line: bool,
}

/// The items of `input`, or GNU's complaint about an unmatched quote.
fn items(input: &[u8], split: Split) -> Result<Vec<Item>, String> {
    if split == Split::Nul {
        let mut parts: Vec<&[u8]> = input.split(|&byte| byte == 0).collect();
        if parts.last().is_some_and(|last| last.is_empty()) {
            parts.pop();
        }
        return Ok(parts.into_iter().map(|part| Item { text: part.to_vec(), ends_line: true }).collect());
    }
    let mut items = Vec::new();
    let mut current: Option<Vec<u8>> = None;
    let mut bytes = input.iter().copied().peekable();
    let mut blank_before_newline = false;
    while let Some(byte) = bytes.next() {
        match byte {
            b'\n' => {
                if let Some(text) = current.take() {
                    items.push(Item { text, ends_line: !blank_before_newline });
                } else if let Some(last) = items.last_mut() {
                    last.ends_line |= !blank_before_newline;
                }
                blank_before_newline = false;
            }
            b' ' | b'\t' if split == Split::Blanks || current.is_none() => {
                if let Some(text) = current.take() {
                    items.push(Item { text, ends_line: false });
                }
                blank_before_newline = true;
            }
            b'\'' | b'"' => {
                let text = current.get_or_insert_with(Vec::new);
                loop {
                    match bytes.next() {
                        Some(close) if close == byte => break,
                        Some(b'\n') | None => {
                            let which = if byte == b'\'' { "single" } else { "double" };
                            return Err(format!(
                                "unmatched {which} quote; by default quotes are special to xargs unless you use the -0 option"
                            ));
                        }
                        Some(other) => text.push(other),
                    }
                }
                blank_before_newline = false;
            }
            b'\\' => {
                let text = current.get_or_insert_with(Vec::new);
                if let Some(next) = bytes.next() {
                    text.push(next);
                }
                blank_before_newline = false;
            }
            other => {
                current.get_or_insert_with(Vec::new).push(other);
                blank_before_newline = false;
            }
        }
    }
    if let Some(text) = current {
        items.push(Item { text, ends_line: true });
    }
    Ok(items)
}

/// The limits on one command line.
#[derive(Debug, Clone, Copy)]
struct Limits {
    max_args: Option<usize>,
    max_lines: Option<usize>,
    max_size: usize,
}

/// How many of `items` the next command line takes after `base` (the command and its
/// initial arguments): `Err` when even one does not fit.
fn batch_len(base: &[Vec<u8>], items: &[Item], limits: Limits) -> Result<usize, ()> {
    let mut size: usize = base.iter().map(|arg| arg.len() + 1).sum();
    let mut lines = 0;
    let mut taken = 0;
    for item in items {
        if limits.max_args.is_some_and(|max| taken >= max) || limits.max_lines.is_some_and(|max| lines >= max) {
            break;
        }
        if size + item.text.len() + 1 > limits.max_size {
            if taken == 0 {
                return Err(());
            }
            break;
        }
        size += item.text.len() + 1;
        taken += 1;
        if item.ends_line {
            lines += 1;
        }
    }
    Ok(taken)
}

/// `args` with each `replace` in them replaced by `item` (-I).
fn replaced(args: &[Vec<u8>], replace: &[u8], item: &[u8]) -> Vec<Vec<u8>> {
    args.iter()
        .map(|arg| {
            let mut out = Vec::with_capacity(arg.len());
            let mut rest = &arg[..];
            while let Some(at) = rest.windows(replace.len()).position(|window| window == replace) {
                out.extend_from_slice(&rest[..at]);
                out.extend_from_slice(item);
                rest = &rest[at + replace.len()..];
            }
            out.extend_from_slice(rest);
            out
        })
        .collect()
}

/// Runs the command lines, at most `parallel` at a time.
struct Runner {
    trace: bool,
    parallel: usize,
    running: Vec<(Child, String)>,
    status: u8,
    stop: bool,
}

impl Runner {
    fn start(&mut self, argv: Vec<Vec<u8>>) {
        let name = String::from_utf8_lossy(&argv[0]).into_owned();
        if self.trace {
            let line: Vec<String> = argv.iter().map(|arg| quoted_if_needed(String::from_utf8_lossy(arg))).collect();
            let _ = writeln!(io::stderr(), "{}", line.join(" "));
        }
        while self.parallel > 0 && self.running.len() >= self.parallel && !self.stop {
            self.wait_one();
        }
        if self.stop {
            return;
        }
        let mut args = argv.into_iter().map(OsString::from_vec);
        let program = args.next().unwrap_or_default();
        match Command::new(&program).args(args).stdin(Stdio::null()).spawn() {
            Ok(child) => self.running.push((child, name)),
            Err(err) => {
                report_error(PROGRAM, &name, &err);
                self.status = if err.kind() == io::ErrorKind::NotFound { 127 } else { 126 };
                self.stop = true;
            }
        }
    }

    /// Waits for one command to end and takes in its status.
    fn wait_one(&mut self) {
        let Ok(Some((pid, status))) = wait4(-1, 0) else {
            self.running.clear();
            return;
        };
        let Some(index) = self.running.iter().position(|(child, _)| i64::from(child.id()) == i64::from(pid)) else {
            return;
        };
        let (_, name) = self.running.swap_remove(index);
        self.judge(&name, status);
    }

    fn judge(&mut self, name: &str, status: WaitStatus) {
        match (status.exit_code(), status.killing_signal()) {
            (Some(0), _) => {}
            (Some(255), _) => {
                report(PROGRAM, format_args!("{name}: exited with status 255; aborting"));
                self.status = 124;
                self.stop = true;
            }
            (Some(_), _) => self.status = self.status.max(123),
            (None, signal) => {
                report(PROGRAM, format_args!("{name}: terminated by signal {}", signal.unwrap_or(0)));
                self.status = 125;
                self.stop = true;
            }
        }
    }

    fn finish(mut self) -> u8 {
        while !self.running.is_empty() {
            self.wait_one();
        }
        self.status
    }
}

/// A count option's value: a positive number (or 0 where `zero` allows it).
fn count(flag: char, text: &std::ffi::OsStr, zero: bool) -> Result<usize, u8> {
    match text.to_str().and_then(|text| text.parse::<usize>().ok()) {
        Some(value) if value > 0 || zero => Ok(value),
        Some(value) => Err(cli::usage_error(PROGRAM, format_args!("value {value} for -{flag} option should be >= 1"))),
        None => {
            Err(cli::usage_error(PROGRAM, format_args!("invalid number \"{}\" for -{flag} option", text.display())))
        }
    }
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let number = |flag: char, zero: bool| command_line.value(flag).map(|text| count(flag, text, zero)).transpose();
    let (max_args, max_lines, max_size, parallel) =
        match (number('n', false), number('L', false), number('s', false), number('P', true)) {
            (Ok(args), Ok(lines), Ok(size), Ok(parallel)) => (args, lines, size, parallel),
            (Err(status), ..) | (_, Err(status), ..) | (_, _, Err(status), _) | (.., Err(status)) => return status,
        };
    let replace = command_line.value('I').map(|text| text.as_bytes().to_vec());
    let split = match (command_line.has('0') || command_line.long("null").is_some(), &replace) {
        (true, _) => Split::Nul,
        (false, Some(_)) => Split::Lines,
        (false, None) => Split::Blanks,
    };
    let mut base: Vec<Vec<u8>> = command_line.operands.iter().map(|arg| arg.as_bytes().to_vec()).collect();
    if base.is_empty() {
        base.push(b"echo".to_vec());
    }
    let mut input = Vec::new();
    if let Err(err) = io::stdin().lock().read_to_end(&mut input) {
        report_error(PROGRAM, "standard input", &err);
        return 1;
    }
    let items = match items(&input, split) {
        Ok(items) => items,
        Err(message) => {
            report(PROGRAM, message);
            return 1;
        }
    };
    let limits = Limits {
        max_args: if replace.is_some() { Some(1) } else { max_args },
        max_lines: if max_args.is_some() { None } else { max_lines },
        max_size: max_size.unwrap_or(DEFAULT_SIZE),
    };
    let mut runner = Runner {
        trace: command_line.has('t') || command_line.long("verbose").is_some(),
        parallel: parallel.unwrap_or(1),
        running: Vec::new(),
        status: 0,
        stop: false,
    };
    let exit_on_size = (command_line.has('x') || command_line.long("exit").is_some())
        && (limits.max_args.is_some() || limits.max_lines.is_some());
    let no_run_if_empty = command_line.has('r') || command_line.long("no-run-if-empty").is_some();
    if items.is_empty() && !no_run_if_empty && replace.is_none() {
        runner.start(base.clone());
    }
    let mut rest = &items[..];
    while !rest.is_empty() && !runner.stop {
        let unlimited = Limits { max_size: usize::MAX, ..limits };
        let taken = match batch_len(&base, rest, limits) {
            // -x: what -n or -L asks for must fit in -s.
            Ok(taken) if exit_on_size && taken < batch_len(&base, rest, unlimited).unwrap_or(0) => {
                Err("argument list too long")
            }
            Ok(taken) => Ok(taken),
            Err(()) => Err("argument line too long"),
        };
        let Ok(taken) = taken.map_err(|message| report(PROGRAM, message)) else {
            runner.stop = true;
            runner.status = 1;
            break;
        };
        let argv = match &replace {
            Some(replace) => replaced(&base, replace, &rest[0].text),
            None => base.iter().cloned().chain(rest[..taken].iter().map(|item| item.text.clone())).collect(),
        };
        runner.start(argv);
        rest = &rest[taken..];
    }
    runner.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(input: &str, split: Split) -> Vec<String> {
        items(input.as_bytes(), split).unwrap().into_iter().map(|item| String::from_utf8(item.text).unwrap()).collect()
    }

    #[test]
    fn blanks_quotes_and_backslashes() {
        assert_eq!(texts("a b\n c\t\td\n", Split::Blanks), ["a", "b", "c", "d"]);
        assert_eq!(texts("'a b' \"c 'd\" e\\ f g''h", Split::Blanks), ["a b", "c 'd", "e f", "gh"]);
        assert_eq!(texts("''", Split::Blanks), [""]);
        assert!(items(b"'open", Split::Blanks).unwrap_err().starts_with("unmatched single quote;"));
        assert!(items(b"\"a\nb\"", Split::Blanks).unwrap_err().starts_with("unmatched double quote;"));
        assert_eq!(texts("  one two \nthree\n", Split::Lines), ["one two ", "three"]);
        assert_eq!(texts("a b\0c\n\0", Split::Nul), ["a b", "c\n"]);
    }

    #[test]
    fn lines_continue_after_a_trailing_blank() {
        let ends: Vec<bool> =
            items(b"a b\nc \nd\n\ne", Split::Blanks).unwrap().iter().map(|item| item.ends_line).collect();
        assert_eq!(ends, [false, true, false, true, true]);
    }

    #[test]
    fn batches_by_count_lines_and_size() {
        let items = items(b"a b c\nd e\nf", Split::Blanks).unwrap();
        let base = vec![b"echo".to_vec()];
        let limits = Limits { max_args: None, max_lines: None, max_size: DEFAULT_SIZE };
        assert_eq!(batch_len(&base, &items, limits), Ok(6));
        assert_eq!(batch_len(&base, &items, Limits { max_args: Some(2), ..limits }), Ok(2));
        assert_eq!(batch_len(&base, &items, Limits { max_lines: Some(2), ..limits }), Ok(5));
        assert_eq!(batch_len(&base, &items, Limits { max_size: 9, ..limits }), Ok(2));
        assert_eq!(batch_len(&base, &items, Limits { max_size: 6, ..limits }), Err(()));
    }

    #[test]
    fn replacement() {
        let args = vec![b"cp".to_vec(), b"{}".to_vec(), b"{}.bak/{}x".to_vec()];
        assert_eq!(replaced(&args, b"{}", b"f"), [b"cp".to_vec(), b"f".to_vec(), b"f.bak/fx".to_vec()]);
    }
}
