//! The command lines of getty, login, passwd and su: `--help` prints the program's
//! usage, a bad option is reported in GNU's words with a pointer to `--help`.
use std::ffi::OsString;

use ulib::args::{ArgError, CommandLine, Spec};
use ulib::diag::report;

/// The program's options and operands, or the status to exit with at once: 0 after
/// `--help`, 1 after a complaint.
pub fn parse(
    program: &str,
    usage: &str,
    args: impl IntoIterator<Item = OsString>,
    spec: &Spec,
) -> Result<CommandLine, u8> {
    match ulib::args::parse_spec(args, spec) {
        Ok(command_line) => Ok(command_line),
        Err(ArgError::Help) => {
            println!("{usage}");
            Err(0)
        }
        Err(err) => Err(usage_error(program, err)),
    }
}

/// Reports a bad command line; the status for one.
pub fn usage_error(program: &str, message: impl std::fmt::Display) -> u8 {
    report(program, format_args!("{message}\nTry '{program} --help' for more information."));
    1
}
