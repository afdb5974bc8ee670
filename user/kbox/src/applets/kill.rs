//! `kill [-s SIGNAL | -SIGNAL] PID...`, `kill -l [SIGNAL]...`: sends a signal
//! (TERM by default) to processes (negative PIDs are process groups), or lists the
//! signal names.
use std::ffi::OsString;
use std::io::Write;

use ulib::diag::{report, report_error};
use ulib::process::{SIGNAL_NAMES, signal_name, signal_number};

use crate::cli;

const PROGRAM: &str = "kill";

pub const USAGE: &str = "Usage: kill [-s SIGNAL | -SIGNAL] PID...
  or:  kill -l [SIGNAL]...
Send a signal (TERM by default) to processes; a negative PID is a process group.
  -s SIGNAL, -n SIGNAL, -SIGNAL   the signal, by name (KILL, SIGKILL) or number
  -l [SIGNAL]...                  list the signal names, or translate names and numbers";

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
enum Request {
    List(Vec<String>),
    Send { signal: i32, pids: Vec<String> },
}

/// Reads the command line; `Err` is the complaint.
fn parse(args: Vec<OsString>) -> Result<Request, String> {
    let args: Vec<String> = args.into_iter().map(|arg| arg.to_string_lossy().into_owned()).collect();
    let unknown = |name: &str| format!("{name}: invalid signal specification");
    let mut signal = libc::SIGTERM;
    let mut rest = &args[..];
    match rest.first().map(String::as_str) {
        Some("-l" | "-L") => return Ok(Request::List(rest[1..].to_vec())),
        Some("-s" | "-n") => {
            let name = rest.get(1).ok_or_else(|| format!("option requires an argument -- '{}'", &rest[0][1..]))?;
            signal = signal_number(name).ok_or_else(|| unknown(name))?;
            rest = &rest[2..];
        }
        Some(first) if first.starts_with('-') && first != "--" && first.len() > 1 => {
            signal = signal_number(&first[1..]).ok_or_else(|| unknown(&first[1..]))?;
            rest = &rest[1..];
        }
        _ => {}
    }
    if rest.first().is_some_and(|arg| arg == "--") {
        rest = &rest[1..];
    }
    if rest.is_empty() {
        return Err("not enough arguments".into());
    }
    Ok(Request::Send { signal, pids: rest.to_vec() })
}

/// `kill -l`'s answer: all the names, 16 to a line, or each name's number and each
/// number's name (a number above 128 is an exit status: that minus 128).
fn list(names: &[String]) -> Result<String, String> {
    if names.is_empty() {
        return Ok(SIGNAL_NAMES.chunks(16).map(|line| format!("{}\n", line.join(" "))).collect());
    }
    let mut out = String::new();
    for name in names {
        let answer = match name.parse::<i32>() {
            Ok(number) => signal_name(if number > 128 { number - 128 } else { number }).map(str::to_owned),
            Err(_) => signal_number(name).filter(|&number| number > 0).map(|number| number.to_string()),
        };
        out.push_str(&answer.ok_or_else(|| format!("unknown signal name {name}"))?);
        out.push('\n');
    }
    Ok(out)
}

pub fn run(args: Vec<OsString>) -> u8 {
    let (signal, pids) = match parse(args) {
        Ok(Request::Send { signal, pids }) => (signal, pids),
        Ok(Request::List(names)) => {
            return match list(&names) {
                Ok(text) => {
                    let mut out = cli::stdout();
                    let result = out.write_all(text.as_bytes()).map(|()| 0);
                    cli::finish(PROGRAM, out, result)
                }
                Err(problem) => {
                    report(PROGRAM, problem);
                    1
                }
            };
        }
        Err(problem) => return cli::usage_error(PROGRAM, problem),
    };
    let mut status = 0;
    for pid in pids {
        let Ok(number) = pid.parse::<libc::pid_t>() else {
            report(PROGRAM, format_args!("failed to parse argument: '{pid}'"));
            status = 1;
            continue;
        };
        if let Err(err) = ulib::jobctl::kill(number, signal) {
            report_error(PROGRAM, format_args!("({pid})"), &err);
            status = 1;
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::words;

    fn send(signal: i32, pids: &str) -> Result<Request, String> {
        Ok(Request::Send { signal, pids: pids.split_whitespace().map(str::to_owned).collect() })
    }

    #[test]
    fn command_lines() {
        assert_eq!(parse(words("12 13")), send(libc::SIGTERM, "12 13"));
        assert_eq!(parse(words("-9 12")), send(9, "12"));
        assert_eq!(parse(words("-KILL 12")), send(9, "12"));
        assert_eq!(parse(words("-s hup 12")), send(libc::SIGHUP, "12"));
        assert_eq!(parse(words("-SIGUSR1 -- -12")), send(libc::SIGUSR1, "-12"));
        assert_eq!(parse(words("-- -12")), send(libc::SIGTERM, "-12"));
        assert_eq!(parse(words("-l 9")), Ok(Request::List(vec!["9".into()])));
        assert_eq!(parse(words("-FOO 1")).unwrap_err(), "FOO: invalid signal specification");
        assert_eq!(parse(words("-9")).unwrap_err(), "not enough arguments");
    }

    #[test]
    fn listing() {
        let all = list(&[]).unwrap();
        assert!(all.starts_with("HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT\nCHLD "));
        assert!(all.ends_with("POLL PWR SYS\n"));
        assert_eq!(list(&["9".into(), "term".into(), "137".into()]).unwrap(), "KILL\n15\nKILL\n");
        assert!(list(&["nosuch".into()]).is_err());
    }
}
