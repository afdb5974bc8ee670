//! `test EXPRESSION` and `[ EXPRESSION ]` as programs (for `find -exec test`, `env
//! [`, or a shell without the builtins): `ulib::testexpr` evaluates, as the shell's
//! builtins do. Status 0 for true, 1 for false, 2 for an error.
use std::ffi::OsString;

use ulib::diag::report;
use ulib::testexpr::{RealFiles, bracket_args, evaluate};

/// The expressions, for both names' `--help`.
macro_rules! expressions {
    () => {
        "Exit with the status determined by EXPRESSION: 0 if true, 1 if false, 2 on error.
  ( EXPRESSION )        EXPRESSION is true
  ! EXPRESSION          EXPRESSION is false
  EXPR1 -a EXPR2        both are true
  EXPR1 -o EXPR2        either is true
  -n STRING, STRING     the length of STRING is nonzero
  -z STRING             the length of STRING is zero
  S1 = S2, S1 != S2     the strings are equal, not equal (also <, >)
  N1 -eq N2             the integers are equal (also -ne -lt -le -gt -ge)
  F1 -nt F2, F1 -ot F2  F1 is newer, older than F2 (modification time)
  F1 -ef F2             F1 and F2 are the same file
  -b -c -d -e -f -g -h -k -L -p -r -s -S -t -u -w -x FILE
                        FILE is a block, character device, directory, exists,
                        regular, set-group-ID, symbolic link, sticky, symbolic
                        link, FIFO, readable, not empty, socket, terminal (FD),
                        set-user-ID, writable, executable"
    };
}
pub(super) use expressions;

pub const USAGE: &str = concat!("Usage: test EXPRESSION\n  or:  [ EXPRESSION ]\n", expressions!());

/// The status of `test` (`bracket`: of `[`, whose last argument must be `]`).
pub(super) fn status(program: &str, args: &[String], bracket: bool) -> u8 {
    let args = if bracket { bracket_args(args) } else { Ok(args) };
    match args.and_then(|args| evaluate(args, &RealFiles)) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(message) => {
            report(program, message);
            2
        }
    }
}

pub(super) fn strings(args: Vec<OsString>) -> Vec<String> {
    args.into_iter().map(|arg| arg.to_string_lossy().into_owned()).collect()
}

pub fn run(args: Vec<OsString>) -> u8 {
    status("test", &strings(args), false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::applets::bracket;
    use crate::cli::words;

    #[test]
    fn statuses() {
        assert_eq!(run(words("a = a")), 0);
        assert_eq!(run(words("a = b")), 1);
        assert_eq!(run(words("1 -lt x")), 2);
        assert_eq!(run(words("-d /")), 0);
        assert_eq!(run(Vec::new()), 1);
        assert_eq!(bracket::run(words("-n x ]")), 0);
        assert_eq!(bracket::run(words("-z x ]")), 1);
        assert_eq!(bracket::run(words("-n x")), 2);
    }
}
