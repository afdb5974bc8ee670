//! `echo [-neE] [word...]`: prints the words separated by spaces, then a newline
//! unless `-n`; `-e` decodes backslash escapes. As GNU echo, leading words made only
//! of those flag letters (`-n`, `-ne`) are flags and any other word is printed.
use std::ffi::OsString;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;

use crate::cli;
use ulib::escape::{self, Octal};

const PROGRAM: &str = "echo";

pub const USAGE: &str = "Usage: echo [SHORT-OPTION]... [STRING]...
Echo the STRING(s) to standard output.
  -n   do not output the trailing newline
  -e   enable interpretation of backslash escapes
  -E   disable interpretation of backslash escapes (default)
With -e: \\\\ \\a \\b \\c (produce no further output) \\e \\f \\n \\r \\t \\v,
\\0NNN (octal byte, 1 to 3 digits), \\xHH (hexadecimal byte, 1 or 2 digits).";

/// The bytes echo writes for `args` (without argv[0]).
fn render(args: &[OsString]) -> Vec<u8> {
    let is_flag_word = |arg: &OsString| {
        let bytes = arg.as_bytes();
        bytes.len() >= 2 && bytes[0] == b'-' && bytes[1..].iter().all(|byte| b"neE".contains(byte))
    };
    let flags = args.iter().take_while(|arg| is_flag_word(arg)).count();
    let (mut newline, mut escapes) = (true, false);
    for flag in args[..flags].iter().flat_map(|arg| arg.as_bytes()[1..].iter()) {
        match flag {
            b'n' => newline = false,
            b'e' => escapes = true,
            _ => escapes = false,
        }
    }
    let mut output = Vec::new();
    for (index, word) in args[flags..].iter().enumerate() {
        if index > 0 {
            output.push(b' ');
        }
        if !escapes {
            output.extend_from_slice(word.as_bytes());
            continue;
        }
        let (text, stopped) = escape::unescape(word.as_bytes(), Octal::ZeroPrefixed);
        output.extend_from_slice(&text);
        if stopped {
            return output;
        }
    }
    if newline {
        output.push(b'\n');
    }
    output
}

pub fn run(args: Vec<OsString>) -> u8 {
    let mut out = cli::stdout();
    let result = out.write_all(&render(&args)).map(|()| 0);
    cli::finish(PROGRAM, out, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echo(line: &str) -> String {
        let args: Vec<OsString> = line.split_whitespace().map(OsString::from).collect();
        String::from_utf8(render(&args)).unwrap()
    }

    #[test]
    fn words_joined_with_spaces() {
        assert_eq!(echo("hello   kestrel world"), "hello kestrel world\n");
    }

    #[test]
    fn no_words_is_an_empty_line() {
        assert_eq!(echo(""), "\n");
    }

    #[test]
    fn dash_n_drops_the_newline() {
        assert_eq!(echo("-n hi there"), "hi there");
        assert_eq!(echo("-n -nnn hi"), "hi");
        assert_eq!(echo("-n"), "");
    }

    #[test]
    fn other_dashes_are_words() {
        assert_eq!(echo("-x -n"), "-x -n\n");
        assert_eq!(echo("hi -n"), "hi -n\n");
        assert_eq!(echo("-"), "-\n");
        assert_eq!(echo("-nx"), "-nx\n");
    }

    #[test]
    fn escapes_only_with_dash_e() {
        assert_eq!(echo(r"a\tb"), "a\\tb\n");
        assert_eq!(echo(r"-e a\tb\n"), "a\tb\n\n");
        assert_eq!(echo(r"-ne a\x41\0102"), "aAB");
        assert_eq!(echo(r"-e -E a\tb"), "a\\tb\n");
        assert_eq!(echo(r"-e one\c two"), "one");
    }
}
