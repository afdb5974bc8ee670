//! The expressions of `test` and `[` (the shell's builtins and kbox's programs):
//! POSIX's rules by the number of arguments (up to four), and beyond them a parser
//! with `!`, `-a` (binding tighter than) `-o`, and parentheses. File tests go through
//! [`Files`], so the logic is tested without a file system.
use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};

use crate::process::can_access;

/// What file tests need to know.
pub trait Files {
    /// `-b -c -d -e -f -g -h -L -p -r -S -s -t -u -w -x` on `operand`.
    fn unary(&self, op: &str, operand: &str) -> bool;
    /// `-nt -ot -ef`.
    fn binary(&self, left: &str, op: &str, right: &str) -> bool;
}

/// The real file system.
pub struct RealFiles;

impl Files for RealFiles {
    fn unary(&self, op: &str, operand: &str) -> bool {
        if op == "-t" {
            return operand.parse().is_ok_and(|fd| crate::term::Termios::get(fd).is_ok());
        }
        if op == "-h" || op == "-L" {
            return fs::symlink_metadata(operand).is_ok_and(|metadata| metadata.file_type().is_symlink());
        }
        let Ok(metadata) = fs::metadata(operand) else {
            return false;
        };
        let kind = metadata.file_type();
        match op {
            "-b" => kind.is_block_device(),
            "-c" => kind.is_char_device(),
            "-d" => kind.is_dir(),
            "-e" => true,
            "-f" => kind.is_file(),
            "-g" => metadata.permissions().mode() & 0o2000 != 0,
            "-k" => metadata.permissions().mode() & 0o1000 != 0,
            "-p" => kind.is_fifo(),
            "-r" => can_access(operand, libc::R_OK),
            "-S" => kind.is_socket(),
            "-s" => metadata.len() > 0,
            "-u" => metadata.permissions().mode() & 0o4000 != 0,
            "-w" => can_access(operand, libc::W_OK),
            "-x" => can_access(operand, libc::X_OK),
            _ => false,
        }
    }

    fn binary(&self, left: &str, op: &str, right: &str) -> bool {
        let (Ok(left), Ok(right)) = (fs::metadata(left), fs::metadata(right)) else {
            return match op {
                "-nt" => fs::metadata(left).is_ok(),
                "-ot" => fs::metadata(right).is_ok(),
                _ => false,
            };
        };
        match op {
            "-nt" => {
                left.mtime() > right.mtime()
                    || (left.mtime() == right.mtime() && left.mtime_nsec() > right.mtime_nsec())
            }
            "-ot" => {
                left.mtime() < right.mtime()
                    || (left.mtime() == right.mtime() && left.mtime_nsec() < right.mtime_nsec())
            }
            _ => left.dev() == right.dev() && left.ino() == right.ino(),
        }
    }
}

const UNARY: [&str; 19] =
    ["-b", "-c", "-d", "-e", "-f", "-g", "-h", "-L", "-n", "-p", "-r", "-S", "-s", "-t", "-u", "-w", "-x", "-z", "-k"];
const BINARY: [&str; 14] = ["=", "!=", "<", ">", "-eq", "-ne", "-gt", "-ge", "-lt", "-le", "-nt", "-ot", "-ef", "=="];

fn integer(text: &str) -> Result<i64, String> {
    let trimmed = text.trim_start_matches([' ', '\t']);
    trimmed.parse::<i64>().map_err(|_| format!("Illegal number: {text}"))
}

struct Evaluator<'a> {
    args: &'a [String],
    pos: usize,
    files: &'a dyn Files,
}

impl Evaluator<'_> {
    fn peek(&self) -> Option<&str> {
        self.args.get(self.pos).map(String::as_str)
    }

    fn take(&mut self) -> Result<&str, String> {
        let arg = self.args.get(self.pos).ok_or("argument expected")?;
        self.pos += 1;
        Ok(arg)
    }

    fn unary(&self, op: &str, operand: &str) -> bool {
        match op {
            "-n" => !operand.is_empty(),
            "-z" => operand.is_empty(),
            op => self.files.unary(op, operand),
        }
    }

    fn binary(&self, left: &str, op: &str, right: &str) -> Result<bool, String> {
        Ok(match op {
            "=" | "==" => left == right,
            "!=" => left != right,
            "<" => left < right,
            ">" => left > right,
            "-nt" | "-ot" | "-ef" => self.files.binary(left, op, right),
            _ => {
                let (left, right) = (integer(left)?, integer(right)?);
                match op {
                    "-eq" => left == right,
                    "-ne" => left != right,
                    "-gt" => left > right,
                    "-ge" => left >= right,
                    "-lt" => left < right,
                    _ => left <= right,
                }
            }
        })
    }

    fn or(&mut self) -> Result<bool, String> {
        let mut value = self.and()?;
        while self.peek() == Some("-o") {
            self.pos += 1;
            value |= self.and()?;
        }
        Ok(value)
    }

    fn and(&mut self) -> Result<bool, String> {
        let mut value = self.not()?;
        while self.peek() == Some("-a") {
            self.pos += 1;
            value &= self.not()?;
        }
        Ok(value)
    }

    fn not(&mut self) -> Result<bool, String> {
        if self.peek() == Some("!") {
            self.pos += 1;
            return Ok(!self.not()?);
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<bool, String> {
        let first = self.take()?.to_string();
        if first == "(" {
            let value = self.or()?;
            if self.take()? != ")" {
                return Err("')' expected".into());
            }
            return Ok(value);
        }
        if let Some(op) = self.peek().filter(|op| BINARY.contains(op)).map(String::from) {
            self.pos += 1;
            let right = self.take()?.to_string();
            return self.binary(&first, &op, &right);
        }
        if UNARY.contains(&first.as_str()) && self.peek().is_some() {
            let operand = self.take()?.to_string();
            return Ok(self.unary(&first, &operand));
        }
        Ok(!first.is_empty())
    }
}

/// The arguments of `[`, without the closing `]` they must end with.
pub fn bracket_args(args: &[String]) -> Result<&[String], String> {
    match args.split_last() {
        Some((last, rest)) if last == "]" => Ok(rest),
        _ => Err("missing ]".into()),
    }
}

/// Evaluates `args` (without a closing `]`).
pub fn evaluate(args: &[String], files: &dyn Files) -> Result<bool, String> {
    let mut evaluator = Evaluator { args, pos: 0, files };
    let arg = |index: usize| args[index].as_str();
    let value = match args.len() {
        0 => return Ok(false),
        1 => !arg(0).is_empty(),
        2 if arg(0) == "!" => arg(1).is_empty(),
        2 if UNARY.contains(&arg(0)) => evaluator.unary(arg(0), arg(1)),
        2 => return Err(format!("{}: unexpected operator", arg(0))),
        3 if BINARY.contains(&arg(1)) => evaluator.binary(arg(0), arg(1), arg(2))?,
        3 if arg(0) == "!" => !evaluate(&args[1..], files)?,
        3 if arg(0) == "(" && arg(2) == ")" => !arg(1).is_empty(),
        4 if arg(0) == "!" => !evaluate(&args[1..], files)?,
        4 if arg(0) == "(" && arg(3) == ")" => evaluate(&args[1..3], files)?,
        _ => {
            let value = evaluator.or()?;
            if let Some(extra) = evaluator.peek() {
                return Err(format!("{extra}: unexpected operator"));
            }
            value
        }
    };
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files: `dir` is a directory, `file` a non-empty file, `old` older than `file`.
    struct Fake;

    impl Files for Fake {
        fn unary(&self, op: &str, operand: &str) -> bool {
            matches!((op, operand), ("-d" | "-e", "dir") | ("-f" | "-e" | "-s" | "-r", "file") | ("-e", "old"))
        }

        fn binary(&self, left: &str, op: &str, right: &str) -> bool {
            matches!((left, op, right), ("file", "-nt", "old") | ("old", "-ot", "file") | ("file", "-ef", "file"))
        }
    }

    fn test(words: &[&str]) -> Result<bool, String> {
        let args: Vec<String> = words.iter().map(|word| word.to_string()).collect();
        evaluate(&args, &Fake)
    }

    #[test]
    fn by_argument_count() {
        assert_eq!(test(&[]), Ok(false));
        assert_eq!(test(&["x"]), Ok(true));
        assert_eq!(test(&[""]), Ok(false));
        assert_eq!(test(&["-n"]), Ok(true));
        assert_eq!(test(&["!"]), Ok(true));
        assert_eq!(test(&["!", ""]), Ok(true));
        assert_eq!(test(&["-z", ""]), Ok(true));
        assert_eq!(test(&["-d", "dir"]), Ok(true));
        assert_eq!(test(&["-f", "dir"]), Ok(false));
        assert_eq!(test(&["a", "=", "a"]), Ok(true));
        assert_eq!(test(&["!", "=", "a"]), Ok(false));
        assert_eq!(test(&["(", "", ")"]), Ok(false));
        assert_eq!(test(&["!", "a", "=", "b"]), Ok(true));
        assert_eq!(test(&["(", "-n", "x", ")"]), Ok(true));
    }

    #[test]
    fn comparisons() {
        assert_eq!(test(&["10", "-gt", "9"]), Ok(true));
        assert_eq!(test(&[" 3", "-eq", "3"]), Ok(true));
        assert_eq!(test(&["-1", "-lt", "0"]), Ok(true));
        assert_eq!(test(&["abc", "<", "abd"]), Ok(true));
        assert_eq!(test(&["a", "!=", "a"]), Ok(false));
        assert_eq!(test(&["a", "-lt", "1"]), Err("Illegal number: a".into()));
        assert_eq!(test(&["file", "-nt", "old"]), Ok(true));
        assert_eq!(test(&["file", "-ef", "file"]), Ok(true));
    }

    #[test]
    fn brackets_need_their_close() {
        let words = |text: &str| text.split_whitespace().map(String::from).collect::<Vec<_>>();
        assert_eq!(bracket_args(&words("-n x ]")), Ok(&words("-n x")[..]));
        assert_eq!(bracket_args(&words("]")), Ok(&[][..]));
        assert_eq!(bracket_args(&words("-n x")), Err("missing ]".into()));
        assert_eq!(bracket_args(&[]), Err("missing ]".into()));
    }

    #[test]
    fn connectives() {
        assert_eq!(test(&["a", "=", "a", "-a", "b", "=", "c"]), Ok(false));
        assert_eq!(test(&["a", "=", "b", "-o", "-d", "dir"]), Ok(true));
        assert_eq!(test(&["", "-o", "x", "-a", ""]), Ok(false));
        assert_eq!(test(&["!", "-f", "dir", "-a", "(", "x", "=", "x", ")"]), Ok(true));
        assert_eq!(test(&["-z", "", "-o", "x"]), Ok(true));
        assert!(test(&["1", "-eq"]).is_err());
        assert!(test(&["(", "x"]).is_err());
        assert!(test(&["a", "b", "c", "d", "e"]).is_err());
    }
}
