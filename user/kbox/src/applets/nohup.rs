//! `nohup COMMAND [ARG]...`: runs COMMAND immune to hangups (SIGHUP ignored), as
//! GNU's nohup: input from a terminal is replaced by /dev/null, output to a
//! terminal is appended to `nohup.out` (or `$HOME/nohup.out`), errors to a
//! terminal follow the output; 125 when nohup fails, 126/127 when COMMAND cannot
//! be run.
use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;

use ulib::args::Spec;
use ulib::diag::{quoted, report, report_error};
use ulib::jobctl::{Disposition, set_disposition};
use ulib::term::Termios;

use crate::cli;
use crate::exec;

const PROGRAM: &str = "nohup";

pub const USAGE: &str = "Usage: nohup COMMAND [ARG]...
Run COMMAND, ignoring hangup signals.
If standard input is a terminal, redirect it from an unreadable file.
If standard output is a terminal, append output to 'nohup.out' if possible,
'$HOME/nohup.out' otherwise.
If standard error is a terminal, redirect it to standard output.";

const SPEC: Spec = Spec { stop_at_operand: true, ..Spec::NONE };

/// nohup's own failures.
const FAILED: u8 = 125;

/// What to tell the user, from which of standard input, output and error are
/// terminals (`file` being where the output goes).
fn notice(input: bool, output: bool, error: bool, file: &str) -> Option<String> {
    let ignoring = if input { "ignoring input and " } else { "" };
    match (input, output, error) {
        (_, true, _) => Some(format!("{ignoring}appending output to {}", quoted(file))),
        (_, false, true) => Some(format!("{ignoring}redirecting stderr to stdout")),
        (true, false, false) => Some("ignoring input".to_owned()),
        (false, false, false) => None,
    }
}

/// Opens nohup.out for appending, in the current directory or else in $HOME.
fn open_output() -> Result<(File, String), (String, io::Error)> {
    let open = |path: &PathBuf| OpenOptions::new().append(true).create(true).mode(0o600).open(path);
    let local = PathBuf::from("nohup.out");
    let first_error = match open(&local) {
        Ok(file) => return Ok((file, "nohup.out".to_owned())),
        Err(err) => err,
    };
    match std::env::var_os("HOME").map(|home| PathBuf::from(home).join("nohup.out")) {
        Some(path) => match open(&path) {
            Ok(file) => Ok((file, path.display().to_string())),
            Err(err) => Err((path.display().to_string(), err)),
        },
        None => Err(("nohup.out".to_owned(), first_error)),
    }
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(_) => return FAILED,
    };
    let command = command_line.operands;
    if command.is_empty() {
        report(PROGRAM, "missing operand\nTry 'nohup --help' for more information.");
        return FAILED;
    }
    let [input, output, error] = [0, 1, 2].map(|fd| Termios::get(fd).is_ok());
    if input {
        let null = OpenOptions::new().write(true).open("/dev/null");
        if let Err(err) = null.and_then(|file| ulib::fd::install(OwnedFd::from(file), 0)) {
            report_error(PROGRAM, "failed to replace standard input", &err);
            return FAILED;
        }
    }
    let mut file_name = String::new();
    let mut output_file = None;
    if output {
        match open_output() {
            Ok((file, name)) => {
                output_file = Some(file);
                file_name = name;
            }
            Err((name, err)) => {
                report_error(PROGRAM, format_args!("failed to open {}", quoted(name)), &err);
                return FAILED;
            }
        }
    }
    if let Some(text) = notice(input, output, error, &file_name) {
        report(PROGRAM, text);
    }
    if let Some(file) = output_file
        && let Err(err) = ulib::fd::install(OwnedFd::from(file), 1)
    {
        report_error(PROGRAM, "failed to redirect standard output", &err);
        return FAILED;
    }
    if error && let Err(err) = ulib::fd::dup2(1, 2) {
        report_error(PROGRAM, "failed to redirect standard error", &err);
        return FAILED;
    }
    if let Err(err) = set_disposition(libc::SIGHUP, Disposition::Ignore) {
        report_error(PROGRAM, "failed to ignore SIGHUP", &err);
        return FAILED;
    }
    let err = exec::exec(&command);
    report_error(PROGRAM, format_args!("failed to run command {}", quoted(command[0].display())), &err);
    exec::failed_status(&err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices() {
        let notice = |input, output, error| notice(input, output, error, "nohup.out");
        assert_eq!(notice(true, true, true).unwrap(), "ignoring input and appending output to 'nohup.out'");
        assert_eq!(notice(false, true, true).unwrap(), "appending output to 'nohup.out'");
        assert_eq!(notice(true, false, false).unwrap(), "ignoring input");
        assert_eq!(notice(true, false, true).unwrap(), "ignoring input and redirecting stderr to stdout");
        assert_eq!(notice(false, false, true).unwrap(), "redirecting stderr to stdout");
        assert_eq!(notice(false, false, false), None);
    }
}
