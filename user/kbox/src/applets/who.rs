//! `who [-H] [-q] [-m] [FILE | am i]`: who is logged in, from the USER_PROCESS
//! records of /var/run/utmp (or FILE): GNU's columns NAME, LINE, TIME
//! (`YYYY-MM-DD HH:MM`, UTC) and (HOST); `-q` the names and a count, `-m` (or
//! `am i`) only the terminal on standard input.
use std::ffi::OsString;
use std::fs;
use std::io::Write;

use ulib::args::Spec;
use ulib::diag::report_error;
use ulib::utmp::{self, Record};

use crate::{cli, clock};

const PROGRAM: &str = "who";

pub const USAGE: &str = "Usage: who [OPTION]... [ FILE | ARG1 ARG2 ]
Print information about users who are currently logged in (from /var/run/utmp
or FILE).
  -H   print a line of column headings
  -m   only the terminal on standard input (as 'who am i')
  -q   all login names and the number of users logged on";

const SPEC: Spec = Spec { flags: "Hmq", ..Spec::NONE };

/// One record as GNU's who prints it.
pub fn line(record: &Record) -> String {
    let time = clock::format("%Y-%m-%d %H:%M", &clock::civil(i64::from(record.seconds), 0));
    let mut text = format!("{:<8} {:<12} {time}", record.user, record.line);
    if !record.host.is_empty() {
        text.push_str(&format!(" ({})", record.host));
    }
    text
}

/// The `-q` output: the names on one line, then the count.
pub fn names_and_count(records: &[Record]) -> String {
    let names: Vec<&str> = records.iter().map(|record| record.user.as_str()).collect();
    format!("{}\n# users={}\n", names.join(" "), names.len())
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let (file, am_i) = match &command_line.operands[..] {
        [] => (utmp::PATH.to_owned(), false),
        [file] => (file.to_string_lossy().into_owned(), false),
        [_, _] => (utmp::PATH.to_owned(), true),
        [_, _, extra, ..] => return cli::extra_operand(PROGRAM, extra.display()),
    };
    let records = match utmp::read(&file) {
        Ok(records) => records,
        Err(err) => {
            report_error(PROGRAM, &file, &err);
            return 1;
        }
    };
    let mut records: Vec<Record> = records.into_iter().filter(|record| record.kind == utmp::USER_PROCESS).collect();
    if am_i || command_line.has('m') {
        let own = fs::read_link("/proc/self/fd/0")
            .ok()
            .and_then(|path| path.to_str()?.strip_prefix("/dev/").map(str::to_owned));
        records.retain(|record| Some(&record.line) == own.as_ref());
    }
    let mut out = cli::stdout();
    let written = if command_line.has('q') {
        write!(out, "{}", names_and_count(&records))
    } else {
        let heading = command_line.has('H').then(|| "NAME     LINE         TIME             COMMENT".to_owned());
        heading.into_iter().chain(records.iter().map(line)).try_for_each(|text| writeln!(out, "{text}"))
    };
    cli::finish(PROGRAM, out, written.map(|()| 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(user: &str, line: &str, host: &str) -> Record {
        Record {
            kind: utmp::USER_PROCESS,
            user: user.into(),
            line: line.into(),
            host: host.into(),
            seconds: 1_796_562_300,
            ..Record::default()
        }
    }

    #[test]
    fn gnu_columns() {
        assert_eq!(line(&record("root", "ttyS0", "")), "root     ttyS0        2026-12-06 13:05");
        assert_eq!(line(&record("user", "pts/0", "10.0.2.2")), "user     pts/0        2026-12-06 13:05 (10.0.2.2)");
    }

    #[test]
    fn names_and_their_count() {
        let records = [record("root", "ttyS0", ""), record("user", "tty2", "")];
        assert_eq!(names_and_count(&records), "root user\n# users=2\n");
        assert_eq!(names_and_count(&[]), "\n# users=0\n");
    }
}
