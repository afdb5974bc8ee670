//! `dirname NAME...`: prints each NAME without its last component (`.` when there
//! is no directory part).
use std::ffi::OsString;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;

use ulib::args::Spec;

use crate::cli;

const PROGRAM: &str = "dirname";

pub const USAGE: &str = "Usage: dirname [OPTION] NAME...
Output each NAME with its last non-slash component and trailing slashes removed;
if NAME contains no /'s, output '.' (meaning the current directory).
  -z   end each output line with NUL, not newline";

const SPEC: Spec = Spec { flags: "z", ..Spec::NONE };

/// `name` without its last component and the slashes around it.
pub fn dirname(name: &[u8]) -> Vec<u8> {
    let without_trailing = |text: &[u8]| -> Option<usize> { text.iter().rposition(|&byte| byte != b'/') };
    let Some(last) = without_trailing(name) else {
        return if name.is_empty() { b".".to_vec() } else { b"/".to_vec() };
    };
    let Some(slash) = name[..=last].iter().rposition(|&byte| byte == b'/') else {
        return b".".to_vec();
    };
    match without_trailing(&name[..slash]) {
        Some(end) => name[..=end].to_vec(),
        None => b"/".to_vec(),
    }
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse_with_operands(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let end = if command_line.has('z') { b'\0' } else { b'\n' };
    let mut out = cli::stdout();
    let result = command_line.operands.iter().try_for_each(|name| {
        let mut line = dirname(name.as_bytes());
        line.push(end);
        out.write_all(&line)
    });
    cli::finish(PROGRAM, out, result.map(|()| 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> String {
        String::from_utf8(dirname(name.as_bytes())).unwrap()
    }

    #[test]
    fn parents() {
        assert_eq!(dir("/usr/bin/"), "/usr");
        assert_eq!(dir("dir1/str"), "dir1");
        assert_eq!(dir("a//b//"), "a");
        assert_eq!(dir("stdio.h"), ".");
        assert_eq!(dir("/usr"), "/");
        assert_eq!(dir("//usr"), "/");
        assert_eq!(dir("/"), "/");
        assert_eq!(dir(""), ".");
    }
}
