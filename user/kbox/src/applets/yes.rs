//! `yes [STRING]...`: writes the strings (or `y`) on a line, over and over, until
//! the reader goes away.
use std::ffi::OsString;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;

use ulib::args::Spec;

use crate::cli;

const PROGRAM: &str = "yes";

pub const USAGE: &str = "Usage: yes [STRING]...
Repeatedly output a line with all specified STRING(s), or 'y'.";

/// Many copies of the line, so that each write carries several kilobytes.
fn chunk(operands: &[OsString]) -> Vec<u8> {
    let mut line = if operands.is_empty() {
        b"y".to_vec()
    } else {
        operands.iter().map(|operand| operand.as_bytes()).collect::<Vec<_>>().join(&b' ')
    };
    line.push(b'\n');
    line.repeat((8192 / line.len()).max(1))
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &Spec::NONE) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let chunk = chunk(&command_line.operands);
    let mut stdout = io::stdout().lock();
    loop {
        if let Err(err) = stdout.write_all(&chunk) {
            return cli::write_failed(PROGRAM, &err);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_y_or_the_words() {
        let default = chunk(&[]);
        assert!(default.len() >= 4096 && default.chunks(2).all(|line| line == b"y\n"));
        let words = chunk(&["a".into(), "b c".into()]);
        assert!(words.starts_with(b"a b c\na b c\n") && words.len().is_multiple_of(6));
        let long = chunk(&["x".repeat(10_000).into()]);
        assert_eq!(long.len(), 10_001);
    }
}
