//! `cat [-u] [file...]`: copies the files, or standard input for `-` or no operand,
//! to standard output, reporting each file that cannot be read and going on.
use std::ffi::OsString;
use std::io;

use ulib::args::Spec;
use ulib::diag::report_error;

use crate::cli;
use crate::input::{self, CopyError};

const PROGRAM: &str = "cat";

pub const USAGE: &str = "Usage: cat [OPTION]... [FILE]...
Concatenate FILE(s) to standard output.
With no FILE, or when FILE is -, read standard input.
  -u   (ignored: output is never buffered)";

const SPEC: Spec = Spec { flags: "u", ..Spec::NONE };

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let mut stdout = io::stdout().lock();
    let mut status = 0;
    for operand in input::operands_or_stdin(command_line.operands) {
        let copied = match input::open(&operand) {
            Ok(mut reader) => input::copy(&mut reader, &mut stdout),
            Err(err) => Err(CopyError::Read(err)),
        };
        match copied {
            Ok(_) => {}
            Err(CopyError::Read(err)) => {
                report_error(PROGRAM, input::shown(&operand), &err);
                status = 1;
            }
            Err(CopyError::Write(err)) => return cli::write_failed(PROGRAM, &err),
        }
    }
    cli::finish(PROGRAM, stdout, Ok(status))
}
