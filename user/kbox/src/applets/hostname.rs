//! `hostname [-s] [NAME]`: prints the host name (`-s`: up to its first dot), or sets
//! it to NAME with sethostname(2).
use std::ffi::OsString;
use std::io;
use std::os::unix::ffi::OsStrExt;

use ulib::args::Spec;
use ulib::diag::{quoted, report, report_error};
use ulib::sys::check;

use crate::applets::uname;
use crate::cli;

const PROGRAM: &str = "hostname";

pub const USAGE: &str = "Usage: hostname [-s] [NAME]
Print the system's host name, or set it to NAME.
  -s   print the short name: the host name up to its first dot";

const SPEC: Spec = Spec { flags: "s", ..Spec::NONE };

fn short(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

fn set(name: &[u8]) -> io::Result<()> {
    // SAFETY: sethostname reads `name.len()` bytes from the pointer, all of `name`.
    check(unsafe { libc::sethostname(name.as_ptr().cast(), name.len()) }).map(drop)
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    match &command_line.operands[..] {
        [] => {}
        [name] => {
            return match set(name.as_bytes()) {
                Ok(()) => 0,
                Err(err) if err.raw_os_error() == Some(libc::EPERM) => {
                    report(PROGRAM, "you must be root to change the host name");
                    1
                }
                Err(err) => {
                    report_error(PROGRAM, quoted(name.display()), &err);
                    1
                }
            };
        }
        [_, extra, ..] => return cli::extra_operand(PROGRAM, extra.display()),
    }
    let name = match uname::node_name() {
        Ok(name) => name,
        Err(err) => {
            report_error(PROGRAM, "cannot get the host name", &err);
            return 1;
        }
    };
    let shown = if command_line.has('s') { short(&name) } else { &name };
    cli::print_line(PROGRAM, shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names() {
        assert_eq!(short("kestrel.example.org"), "kestrel");
        assert_eq!(short("kestrel"), "kestrel");
    }
}
