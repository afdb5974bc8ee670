//! `time [-p] [-f FORMAT] [-o FILE [-a]] COMMAND [ARG]...`: runs COMMAND and then
//! reports on stderr (or FILE) the time and resources it used, from wait4's rusage,
//! in GNU time's default format, POSIX's (`-p`: `real 1.00` `user 0.00` `sys
//! 0.00`), or FORMAT; exits with the command's status (127 or 126 when it cannot be
//! run, 128+N when signal N killed it).
use std::ffi::OsString;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::time::{Duration, Instant};

use ulib::args::Spec;
use ulib::diag::{report, report_error};
use ulib::jobctl::{Disposition, set_disposition};
use ulib::process::{Fork, Usage, WaitStatus, exit_immediately, fork, wait4_usage};

use crate::cli;
use crate::exec;

const PROGRAM: &str = "time";

pub const USAGE: &str = "Usage: time [OPTION...] COMMAND [ARG...]
Run COMMAND, then report the time and resources it used on standard error.
  -a, --append               with -o FILE, append instead of overwriting
  -f, --format=FORMAT        use FORMAT as the format string
  -o, --output=FILE          write to FILE instead of standard error
  -p, --portability          print POSIX standard 1003.2 conformant output
  -q, --quiet                do not print information about abnormal program
                             termination (non-zero exit codes or signals)
FORMAT codes: %e %E %U %S %P elapsed, user, system time and CPU share;
%M %X %D %K memory; %F %R faults; %W swaps; %I %O file system inputs and
outputs; %c %w context switches; %x exit status; %C the command; %% a %.";

const SPEC: Spec = Spec {
    flags: "apq",
    valued: "fo",
    long: &["append", "format", "output", "portability", "quiet"],
    stop_at_operand: true,
    ..Spec::NONE
};

const DEFAULT_FORMAT: &str = "%Uuser %Ssystem %Eelapsed %PCPU (%Xavgtext+%Davgdata %Mmaxresident)k\n%Iinputs+%Ooutputs (%Fmajor+%Rminor)pagefaults %Wswaps";
const POSIX_FORMAT: &str = "real %e\nuser %U\nsys %S";

/// Seconds as `1.23`.
fn seconds(micros: u64) -> String {
    let hundredths = micros / 10_000;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// Elapsed time as GNU's `%E`: `[hours:]minutes:seconds.hundredths`.
fn elapsed(micros: u64) -> String {
    let hundredths = micros / 10_000;
    let (total_seconds, fraction) = (hundredths / 100, hundredths % 100);
    let (hours, minutes, secs) = (total_seconds / 3600, total_seconds / 60 % 60, total_seconds % 60);
    if hours > 0 { format!("{hours}:{minutes:02}:{secs:02}") } else { format!("{minutes}:{secs:02}.{fraction:02}") }
}

/// What the report is about.
#[derive(Debug, Clone, Copy)]
struct Outcome {
    real: Duration,
    usage: Usage,
    /// The exit status, or the signal that killed the command.
    status: WaitStatus,
}

/// `format` filled in for `outcome` of `command`.
fn render(format: &str, outcome: &Outcome, command: &str) -> String {
    let usage = &outcome.usage;
    let real = outcome.real.as_micros() as u64;
    let mut text = String::new();
    let mut chars = format.chars();
    while let Some(char) = chars.next() {
        match char {
            '%' => match chars.next() {
                Some('%') => text.push('%'),
                Some('e') => text.push_str(&seconds(real)),
                Some('E') => text.push_str(&elapsed(real)),
                Some('U') => text.push_str(&seconds(usage.user)),
                Some('S') => text.push_str(&seconds(usage.system)),
                Some('P') => match (usage.user + usage.system) * 100 {
                    _ if real == 0 => text.push_str("?%"),
                    cpu => text.push_str(&format!("{}%", cpu / real)),
                },
                Some('M') => text.push_str(&usage.max_resident.to_string()),
                Some('X' | 'D' | 'K' | 'p' | 't' | 'Z') => text.push('0'),
                Some('F') => text.push_str(&usage.major_faults.to_string()),
                Some('R') => text.push_str(&usage.minor_faults.to_string()),
                Some('W') => text.push_str(&usage.swaps.to_string()),
                Some('I') => text.push_str(&usage.inputs.to_string()),
                Some('O') => text.push_str(&usage.outputs.to_string()),
                Some('c') => text.push_str(&usage.involuntary_switches.to_string()),
                Some('w') => text.push_str(&usage.voluntary_switches.to_string()),
                Some('x') => text.push_str(&outcome.status.exit_code().unwrap_or(0).to_string()),
                Some('C') => text.push_str(command),
                Some(other) => {
                    text.push('?');
                    text.push(other);
                }
                None => text.push('?'),
            },
            '\\' => match chars.next() {
                Some('n') => text.push('\n'),
                Some('t') => text.push('\t'),
                Some('\\') => text.push('\\'),
                Some(other) => {
                    text.push('?');
                    text.push('\\');
                    text.push(other);
                }
                None => text.push('?'),
            },
            other => text.push(other),
        }
    }
    text.push('\n');
    text
}

/// The line before the report about an abnormal end, when there is one.
fn abnormal(status: WaitStatus) -> Option<String> {
    match (status.exit_code(), status.killing_signal()) {
        (Some(0), _) => None,
        (Some(code), _) => Some(format!("Command exited with non-zero status {code}\n")),
        (None, Some(signal)) => Some(format!("Command terminated by signal {signal}\n")),
        (None, None) => None,
    }
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let command = command_line.operands.clone();
    if command.is_empty() {
        return cli::usage_error(PROGRAM, "missing program to run");
    }
    let text_of = |long: &str, short: char| {
        command_line.long(long).flatten().or_else(|| command_line.value(short)).map(|text| text.to_owned())
    };
    let posix = command_line.has('p') || command_line.long("portability").is_some();
    let format = match text_of("format", 'f') {
        Some(format) if !posix => format.to_string_lossy().into_owned(),
        _ if posix => POSIX_FORMAT.to_owned(),
        _ => DEFAULT_FORMAT.to_owned(),
    };
    let quiet = command_line.has('q') || command_line.long("quiet").is_some();
    let mut output: Box<dyn Write> = match text_of("output", 'o') {
        Some(path) => {
            let append = command_line.has('a') || command_line.long("append").is_some();
            match OpenOptions::new().write(true).create(true).append(append).truncate(!append).open(&path) {
                Ok(file) => Box::new(file),
                Err(err) => {
                    report_error(PROGRAM, format_args!("couldn't open '{}'", path.display()), &err);
                    return 1;
                }
            }
        }
        None => Box::new(io::stderr()),
    };
    let start = Instant::now();
    let child = match fork() {
        Ok(Fork::Child) => {
            let err = exec::exec(&command);
            report_error(PROGRAM, format_args!("cannot run {}", command[0].display()), &err);
            exit_immediately(exec::failed_status(&err).into());
        }
        Ok(Fork::Parent { child }) => child,
        Err(err) => {
            report_error(PROGRAM, "cannot fork", &err);
            return 1;
        }
    };
    // As GNU time: the keyboard's signals are for the command, not for time.
    let _ = set_disposition(libc::SIGINT, Disposition::Ignore);
    let _ = set_disposition(libc::SIGQUIT, Disposition::Ignore);
    let (status, usage) = match wait4_usage(child) {
        Ok(waited) => waited,
        Err(err) => {
            report_error(PROGRAM, "wait", &err);
            return 1;
        }
    };
    let outcome = Outcome { real: start.elapsed(), usage, status };
    let command_text = command.iter().map(|word| word.to_string_lossy()).collect::<Vec<_>>().join(" ");
    let mut report_text = String::new();
    if !posix
        && !quiet
        && let Some(line) = abnormal(status)
    {
        report_text.push_str(&line);
    }
    report_text.push_str(&render(&format, &outcome, &command_text));
    if output.write_all(report_text.as_bytes()).and_then(|()| output.flush()).is_err() {
        report(PROGRAM, "write error");
    }
    match (status.exit_code(), status.killing_signal()) {
        (Some(code), _) => code as u8,
        (None, Some(signal)) => (128 + signal) as u8,
        (None, None) => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(real_ms: u64, user_ms: u64, system_ms: u64, raw_status: i32) -> Outcome {
        let usage = Usage {
            user: user_ms * 1000,
            system: system_ms * 1000,
            max_resident: 1012,
            minor_faults: 73,
            major_faults: 1,
            inputs: 72,
            ..Usage::default()
        };
        Outcome { real: Duration::from_millis(real_ms), usage, status: WaitStatus::from_raw(raw_status) }
    }

    #[test]
    fn posix_format() {
        assert_eq!(render(POSIX_FORMAT, &outcome(1004, 20, 130, 0), "sleep 1"), "real 1.00\nuser 0.02\nsys 0.13\n");
    }

    #[test]
    fn default_format() {
        assert_eq!(
            render(DEFAULT_FORMAT, &outcome(2000, 500, 500, 0), "x"),
            "0.50user 0.50system 0:02.00elapsed 50%CPU (0avgtext+0avgdata 1012maxresident)k\n72inputs+0outputs (1major+73minor)pagefaults 0swaps\n"
        );
    }

    #[test]
    fn other_codes() {
        assert_eq!(
            render("%e %E %C %x %% %q\\t\\n", &outcome(3_725_500, 0, 0, 3 << 8), "a b"),
            "3725.50 1:02:05 a b 3 % ?q\t\n\n"
        );
        assert_eq!(render("%P", &outcome(0, 0, 0, 0), ""), "?%\n");
    }

    #[test]
    fn abnormal_ends() {
        assert_eq!(abnormal(WaitStatus::from_raw(0)), None);
        assert_eq!(abnormal(WaitStatus::from_raw(1 << 8)).as_deref(), Some("Command exited with non-zero status 1\n"));
        assert_eq!(abnormal(WaitStatus::from_raw(15)).as_deref(), Some("Command terminated by signal 15\n"));
    }
}
