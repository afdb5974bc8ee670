//! `test expression` and `[ expression ]` as builtins: the evaluator is
//! `ulib::testexpr`, shared with kbox's programs. Status 0 for true, 1 for false, 2
//! for an error.
use ulib::testexpr::{RealFiles, bracket_args, evaluate};

use crate::shell::Shell;

impl Shell {
    /// `test`, or `[` (`bracket`: the last argument must be `]`).
    pub(super) fn test(&mut self, args: &[String], bracket: bool) -> i32 {
        let name = if bracket { "[" } else { "test" };
        let args = if bracket { bracket_args(args) } else { Ok(args) };
        match args.and_then(|args| evaluate(args, &RealFiles)) {
            Ok(true) => 0,
            Ok(false) => 1,
            Err(message) => self.fail(format_args!("{name}: {message}"), 2),
        }
    }
}
