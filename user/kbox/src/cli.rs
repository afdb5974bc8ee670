//! What every applet does the same way: `--help`, GNU's messages for a bad command
//! line (`Try 'ls --help' for more information.`) with the applet's usage-error
//! status (also for a missing or an extra operand), and the "write error" on a
//! failing standard output.
use std::ffi::OsString;
use std::fmt::Display;
use std::io::{self, BufWriter, StdoutLock, Write};

use ulib::args::{ArgError, CommandLine, Spec};
use ulib::diag::{quoted, report, report_error};

use crate::applets::{self, Applet};

/// Runs `applet`, answering a first argument of `--help` for it.
pub fn run(applet: &Applet, args: Vec<OsString>) -> u8 {
    if args.first().is_some_and(|arg| arg == "--help") {
        return usage(applet);
    }
    (applet.run)(args)
}

fn usage(applet: &Applet) -> u8 {
    let mut stdout = io::stdout().lock();
    match writeln!(stdout, "{}", applet.usage).and_then(|()| stdout.flush()) {
        Ok(()) => 0,
        Err(err) => write_failed(applet.name, &err),
    }
}

/// The applet's options, or the status to exit with at once: 0 after `--help`, the
/// usage-error status after a complaint.
pub fn parse(program: &str, args: Vec<OsString>, spec: &Spec) -> Result<CommandLine, u8> {
    match ulib::args::parse_spec(args, spec) {
        Ok(command_line) => Ok(command_line),
        Err(ArgError::Help) => Err(help(program)),
        Err(err) => Err(usage_error(program, err)),
    }
}

/// Prints the usage of the applet `program` (`--help`); the status.
pub fn help(program: &str) -> u8 {
    applets::find(program).map_or(0, usage)
}

/// As `parse`, for an applet that needs at least one operand: none is a usage error.
pub fn parse_with_operands(program: &str, args: Vec<OsString>, spec: &Spec) -> Result<CommandLine, u8> {
    let command_line = parse(program, args, spec)?;
    if command_line.operands.is_empty() {
        return Err(missing_operand(program));
    }
    Ok(command_line)
}

/// As `parse`, for an applet that takes no operands: any is a usage error.
pub fn parse_without_operands(program: &str, args: Vec<OsString>, spec: &Spec) -> Result<CommandLine, u8> {
    let command_line = parse(program, args, spec)?;
    if let Some(extra) = command_line.operands.first() {
        return Err(extra_operand(program, extra.display()));
    }
    Ok(command_line)
}

/// Reports a bad command line and returns the applet's status for one.
pub fn usage_error(program: &str, message: impl Display) -> u8 {
    report(program, format_args!("{message}\nTry '{program} --help' for more information."));
    applets::find(program).map_or(1, |applet| applet.usage_status)
}

/// `program: missing operand`, as a usage error.
pub fn missing_operand(program: &str) -> u8 {
    usage_error(program, "missing operand")
}

/// `program: extra operand 'NAME'`, as a usage error.
pub fn extra_operand(program: &str, operand: impl Display) -> u8 {
    usage_error(program, format_args!("extra operand {}", quoted(operand)))
}

/// Reports that standard output failed; the status for it.
pub fn write_failed(program: &str, err: &io::Error) -> u8 {
    report_error(program, "write error", err);
    1
}

/// Arguments for a test: `text` split at white space.
#[cfg(test)]
pub fn words(text: &str) -> Vec<OsString> {
    text.split_whitespace().map(OsString::from).collect()
}

/// Standard output, buffered.
pub fn stdout() -> BufWriter<StdoutLock<'static>> {
    BufWriter::with_capacity(16 * 1024, io::stdout().lock())
}

/// Writes `line` and a newline to standard output: the applet's status.
pub fn print_line(program: &str, line: impl Display) -> u8 {
    let mut out = stdout();
    let result = writeln!(out, "{line}").map(|()| 0);
    finish(program, out, result)
}

/// The status of an applet whose work wrote to `out`: `status` once `out` is flushed,
/// or a write error when the work or the flush failed.
pub fn finish(program: &str, mut out: impl Write, status: io::Result<u8>) -> u8 {
    match status.and_then(|status| out.flush().map(|()| status)) {
        Ok(status) => status,
        Err(err) => write_failed(program, &err),
    }
}
