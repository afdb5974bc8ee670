//! `cat [-u] [file...]`: copies the files, or standard input for `-` or no operand,
//! to standard output, reporting each file that cannot be read and going on.
use std::ffi::OsString;
use std::io;

use ulib::args::Spec;

use crate::cli;
use crate::input;

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
    let status =
        input::each_operand(PROGRAM, command_line.operands, |reader| input::copy(reader, &mut stdout).map(drop));
    cli::finish(PROGRAM, stdout, status)
}
