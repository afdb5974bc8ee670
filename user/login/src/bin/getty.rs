//! `getty [-a USER] [BAUD] TTY [TERM]`: opens a terminal for logging in, as init's
//! inittab starts it on each console: a session of its own (setsid), /dev/TTY as
//! its controlling terminal (TIOCSCTTY, taking it from another session if need be)
//! and its standard input, output and error, sane modes at BAUD, TERM set, then
//! /etc/issue and `HOST login: `, and `login NAME` with the name typed; with `-a`
//! (autologin) `login -f USER` at once.
use std::ffi::{CStr, CString, OsString};
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::os::fd::{AsRawFd, IntoRawFd};
use std::os::unix::fs::OpenOptionsExt;
use std::process::ExitCode;

use login::issue::{self, System};
use login::{cli, password};
use ulib::args::Spec;
use ulib::diag::{report, report_error};
use ulib::process;
use ulib::sys::check;
use ulib::term::Termios;

const PROGRAM: &str = "getty";
const LOGIN: &CStr = c"/bin/login";
const ISSUE: &str = "/etc/issue";

const USAGE: &str = "Usage: getty [-a USER] [BAUD_RATE] TTY [TERMTYPE]
Open a terminal, ask for a user name and run login(1) for it.
  -a USER   log USER in automatically, without asking (login -f USER)
TTY is a name under /dev (ttyS0, tty2, console); BAUD_RATE may come before or
after it; TERMTYPE sets TERM (default: linux for ttyN, vt102 for ttySN, else
the TERM getty was given).";

/// Whether an operand is a baud rate (`115200`, or busybox's list `38400,9600`).
fn is_baud(text: &str) -> bool {
    !text.is_empty() && text.split(',').all(|rate| !rate.is_empty() && rate.bytes().all(|byte| byte.is_ascii_digit()))
}

/// The termios speed for a rate, if it is one of Linux's.
fn speed(rate: &str) -> Option<libc::speed_t> {
    Some(match rate.split(',').next()?.parse::<u32>().ok()? {
        9600 => libc::B9600,
        19200 => libc::B19200,
        38400 => libc::B38400,
        57600 => libc::B57600,
        115200 => libc::B115200,
        _ => return None,
    })
}

/// The TERM a terminal gets when the command line names none.
fn default_term(tty: &str) -> Option<&'static str> {
    let rest = tty.strip_prefix("tty")?;
    if rest.starts_with('S') {
        Some("vt102")
    } else if !rest.is_empty() && rest.bytes().all(|byte| byte.is_ascii_digit()) {
        Some("linux")
    } else {
        None
    }
}

/// The terminal operands: (tty, baud, term).
fn terminal_operands(operands: &[String]) -> Result<(String, Option<String>, Option<String>), u8> {
    let (tty, baud, term) = match operands {
        [tty] => (tty, None, None),
        [first, second, rest @ ..] if rest.len() <= 1 => {
            let (tty, baud) = if is_baud(first) { (second, first) } else { (first, second) };
            (tty, Some(baud.clone()), rest.first().cloned())
        }
        [] => return Err(cli::usage_error(PROGRAM, "missing operand")),
        _ => return Err(cli::usage_error(PROGRAM, format_args!("extra operand '{}'", operands[3]))),
    };
    let tty = tty.strip_prefix("/dev/").unwrap_or(tty).to_owned();
    Ok((tty, baud, term))
}

/// Makes /dev/`tty` this new session's controlling terminal and standard input,
/// output and error, in sane modes.
fn take_terminal(tty: &str, baud: Option<&str>) -> io::Result<()> {
    // SAFETY: setsid takes no arguments; it fails only for a group leader, which
    // keeps its session (a getty run by hand from a shell).
    unsafe { libc::setsid() };
    let path = format!("/dev/{tty}");
    let file = OpenOptions::new().read(true).write(true).custom_flags(libc::O_NOCTTY).open(&path)?;
    // SAFETY: TIOCSCTTY takes an int argument (1: take it from another session).
    if let Err(err) = check(unsafe { libc::ioctl(file.as_raw_fd(), libc::TIOCSCTTY, 1) }) {
        report_error(PROGRAM, format_args!("{path}: cannot make it the controlling terminal"), &err);
    }
    let fd = file.into_raw_fd();
    for target in 0..3 {
        // SAFETY: dup2 takes descriptor numbers; `fd` is open.
        check(unsafe { libc::dup2(fd, target) })?;
    }
    if fd > 2 {
        // SAFETY: `fd` is ours, duplicated onto 0..2 and used no more.
        unsafe { libc::close(fd) };
    }
    let mut modes = Termios::get(0)?.sane();
    if let Some(speed) = baud.and_then(speed) {
        modes = modes.with_speed(speed);
    }
    modes.set(0)
}

fn run(args: Vec<OsString>) -> u8 {
    let spec = Spec { valued: "a", ..Spec::NONE };
    let command_line = match cli::parse(PROGRAM, USAGE, args, &spec) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let operands: Vec<String> =
        command_line.operands.iter().map(|operand| operand.to_string_lossy().into_owned()).collect();
    let (tty, baud, term) = match terminal_operands(&operands) {
        Ok(terminal) => terminal,
        Err(status) => return status,
    };
    if let Err(err) = take_terminal(&tty, baud.as_deref()) {
        report_error(PROGRAM, format_args!("/dev/{tty}"), &err);
        return 1;
    }
    let mut environment: Vec<CString> =
        process::current_environment().into_iter().filter(|entry| !entry.as_bytes().starts_with(b"TERM=")).collect();
    let term = term.or_else(|| default_term(&tty).map(str::to_owned)).or_else(|| std::env::var("TERM").ok());
    if let Some(term) = term.and_then(|term| CString::new(format!("TERM={term}")).ok()) {
        environment.push(term);
    }
    let system = System::current(&tty);
    let mut out = io::stdout();
    if let Ok(text) = std::fs::read_to_string(ISSUE) {
        let _ = write!(out, "{}", issue::expand(&text, &system));
    }
    let argv: Vec<CString> = if let Some(user) = command_line.value('a') {
        let user = user.to_string_lossy();
        let _ = writeln!(out, "{} login: {user} (automatic login)\n", system.hostname);
        [c"login", c"-f", c"--"].map(CString::from).into_iter().chain(CString::new(user.as_bytes()).ok()).collect()
    } else {
        let name = loop {
            let _ = write!(out, "{} login: ", system.hostname);
            let _ = out.flush();
            match password::read_line() {
                Ok(Some(name)) if name.is_empty() || name.starts_with('-') => {}
                Ok(Some(name)) => break name,
                Ok(None) => return 0,
                Err(err) => {
                    report_error(PROGRAM, format_args!("/dev/{tty}"), &err);
                    return 1;
                }
            }
        };
        [c"login", c"--"].map(CString::from).into_iter().chain(CString::new(name).ok()).collect()
    };
    let _ = out.flush();
    let err = process::execve(LOGIN, &argv, &environment);
    report(PROGRAM, format_args!("{}: {}", LOGIN.to_string_lossy(), ulib::diag::error_text(&err)));
    1
}

fn main() -> ExitCode {
    ExitCode::from(run(std::env::args_os().skip(1).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|&word| word.to_owned()).collect()
    }

    #[test]
    fn operands_in_either_order() {
        let ttys = |words| terminal_operands(&strings(words)).unwrap();
        assert_eq!(ttys(&["ttyS0"]), ("ttyS0".into(), None, None));
        assert_eq!(ttys(&["115200", "ttyS0"]), ("ttyS0".into(), Some("115200".into()), None));
        assert_eq!(ttys(&["/dev/tty2", "38400", "vt220"]), ("tty2".into(), Some("38400".into()), Some("vt220".into())));
        assert_eq!(ttys(&["38400,9600", "tty3"]).1.as_deref(), Some("38400,9600"));
        assert!(terminal_operands(&[]).is_err());
        assert!(terminal_operands(&strings(&["1", "2", "3", "4"])).is_err());
    }

    #[test]
    fn rates_and_terminal_types() {
        assert_eq!(speed("115200"), Some(libc::B115200));
        assert_eq!(speed("38400,9600"), Some(libc::B38400));
        assert_eq!(speed("12345"), None);
        assert!(!is_baud("tty1") && !is_baud("") && !is_baud("1,,2"));
        assert_eq!(default_term("ttyS0"), Some("vt102"));
        assert_eq!(default_term("tty2"), Some("linux"));
        assert_eq!(default_term("console"), None);
        assert_eq!(default_term("tty"), None);
    }
}
