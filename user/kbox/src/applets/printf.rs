//! `printf FORMAT [ARGUMENT]...`: formats the arguments (by `ulib::printf`) as C's printf would, reusing
//! FORMAT while arguments remain: `%s %b %c %d %i %u %o %x %X %f %e %g %%` with
//! flags `-+ #0`, widths and precisions (`*` takes them from the arguments), and
//! backslash escapes in FORMAT.
use std::ffi::OsString;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;

use ulib::diag::report;
use ulib::printf::render;

use crate::cli;

const PROGRAM: &str = "printf";

pub const USAGE: &str = "Usage: printf FORMAT [ARGUMENT]...
Print ARGUMENT(s) according to FORMAT. FORMAT controls the output as in C printf and
is reused as needed to consume all ARGUMENTs. Interpreted sequences:
  \\\\ \\a \\b \\c (produce no further output) \\e \\f \\n \\r \\t \\v, \\NNN (octal byte,
  1 to 3 digits), \\xHH (hexadecimal byte, 1 or 2 digits), %% (a single %),
  %b (ARGUMENT with escapes interpreted, octal as \\0NNN), and the conversions
  %s %c %d %i %u %o %x %X %f %F %e %E %g %G with flags, width and precision.";

pub fn run(args: Vec<OsString>) -> u8 {
    let args: Vec<Vec<u8>> = args.into_iter().map(|arg| arg.as_bytes().to_vec()).collect();
    let args = if args.first().is_some_and(|arg| arg == b"--") { &args[1..] } else { &args[..] };
    let Some((format, args)) = args.split_first() else {
        return cli::missing_operand(PROGRAM);
    };
    let (output, complaints, stopped_by) = render(format, args);
    let mut status = 0;
    for complaint in &complaints {
        report(PROGRAM, complaint);
        status = u8::from(!complaint.starts_with("warning"));
    }
    if let Some(problem) = stopped_by {
        report(PROGRAM, problem);
        status = 1;
    }
    let mut out = cli::stdout();
    let result = out.write_all(&output).map(|()| status);
    cli::finish(PROGRAM, out, result)
}
