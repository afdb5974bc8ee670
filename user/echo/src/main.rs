//! `echo [-n] [word...]`: prints the words separated by spaces, then a newline unless
//! `-n` (GNU echo's rule: leading words made only of `-n`, such as `-nn`, are flags).
use std::ffi::OsString;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::process::ExitCode;

/// The bytes echo writes for `args` (without argv[0]).
fn render(args: &[OsString]) -> Vec<u8> {
    let is_no_newline_flag = |arg: &OsString| {
        let bytes = arg.as_bytes();
        bytes.len() >= 2 && bytes[0] == b'-' && bytes[1..].iter().all(|&byte| byte == b'n')
    };
    let flags = args.iter().take_while(|arg| is_no_newline_flag(arg)).count();
    let mut output = Vec::new();
    for (index, word) in args[flags..].iter().enumerate() {
        if index > 0 {
            output.push(b' ');
        }
        output.extend_from_slice(word.as_bytes());
    }
    if flags == 0 {
        output.push(b'\n');
    }
    output
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let mut stdout = io::stdout().lock();
    match stdout.write_all(&render(&args)).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            ulib::diag::report_error("echo", "write error", &err);
            ExitCode::FAILURE
        }
    }
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
}
