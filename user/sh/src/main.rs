//! `sh`, Kestrel's first shell: reads command lines (from stdin with a prompt, or one
//! from `-c`), runs the builtins cd, pwd, exit and help, and starts other programs
//! with fork + execve + wait4, reporting a missing program, a failure status and
//! death by a signal.
//!
//! Standard input is read through std's buffered `Stdin`: on a terminal each read
//! returns one line, but input piped in may be read ahead of what a started program
//! would see on its own standard input.
use std::env;
use std::ffi::{CString, OsString};
use std::fs;
use std::io::{self, Write};
use std::os::unix::ffi::OsStringExt;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::ExitCode;

use sh::lookup::find_program;
use sh::split_words;
use ulib::diag::{report, report_error};
use ulib::process::{self, Fork};

const PROGRAM: &str = "sh";
/// `$?` when a program cannot be found, or is found but cannot be executed.
const STATUS_NOT_FOUND: i32 = 127;
const STATUS_NOT_EXECUTABLE: i32 = 126;
/// `$?` after a builtin's usage error or a syntax error.
const STATUS_USAGE: i32 = 2;

const HELP: &str = "\
Kestrel sh: type a command and its arguments, separated by blanks.
Quote with '...' or \"...\", escape with \\, and comment with #.
Builtins:
  cd [dir]    change the current directory (default $HOME, else /)
  pwd         print the current directory
  exit [n]    leave the shell with status n (default: the last status)
  help        show this text
Other commands are programs, looked for in $PATH (default /bin).";

/// How the shell was asked to run.
#[derive(Debug, PartialEq, Eq)]
enum Invocation {
    /// Read command lines from standard input, with a prompt.
    Interactive,
    /// `sh -c 'command line'`: run it and exit with its status.
    Command(String),
}

fn parse_invocation(args: &[OsString]) -> Result<Invocation, String> {
    match args {
        [] => Ok(Invocation::Interactive),
        [flag] if flag == "-c" => Err("-c: option requires an argument".into()),
        [flag, line, ..] if flag == "-c" => match line.to_str() {
            Some(line) => Ok(Invocation::Command(line.to_owned())),
            None => Err("-c: the command is not valid UTF-8".into()),
        },
        _ => Err("usage: sh [-c command]".into()),
    }
}

/// What comes after running one line.
#[derive(Debug, PartialEq, Eq)]
enum Next {
    Continue,
    Exit(i32),
}

/// `exit [n]`: the status to exit with, or why not to exit.
fn exit_status(args: &[String], last_status: i32) -> Result<i32, String> {
    match args {
        [] => Ok(last_status),
        [number] => number
            .parse::<i64>()
            .map(|number| number.rem_euclid(256) as i32)
            .map_err(|_| format!("exit: {number}: numeric argument required")),
        _ => Err("exit: too many arguments".into()),
    }
}

/// `cd [dir]`: the directory to change to.
fn cd_target(args: &[String], home: Option<OsString>) -> Result<OsString, String> {
    match args {
        [] => Ok(home.filter(|home| !home.is_empty()).unwrap_or_else(|| "/".into())),
        [directory] => Ok(directory.into()),
        _ => Err("cd: too many arguments".into()),
    }
}

/// The prompt: the current directory, then `# ` for root and `$ ` for anyone else.
fn prompt(current_directory: Option<&Path>, is_root: bool) -> String {
    let directory = current_directory.map_or("?".into(), |directory| directory.display().to_string());
    let sign = if is_root { '#' } else { '$' };
    format!("{directory} {sign} ")
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

fn is_executable_file(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|metadata| metadata.is_file() && metadata.permissions().mode() & 0o111 != 0)
}

/// The shell's state between lines: the last status (`$?`).
struct Shell {
    status: i32,
}

impl Shell {
    fn run_line(&mut self, line: &str) -> Next {
        let words = match split_words(line) {
            Ok(words) => words,
            Err(err) => {
                report(PROGRAM, err);
                self.status = STATUS_USAGE;
                return Next::Continue;
            }
        };
        let Some((name, args)) = words.split_first() else {
            return Next::Continue;
        };
        self.status = match name.as_str() {
            "exit" => match exit_status(args, self.status) {
                Ok(status) => return Next::Exit(status),
                Err(message) => {
                    report(PROGRAM, message);
                    STATUS_USAGE
                }
            },
            "cd" => change_directory(args),
            "pwd" => print_working_directory(),
            "help" => print_help(),
            _ => run_program(&words),
        };
        Next::Continue
    }

    /// Prompts, reads and runs lines until end of input or `exit`.
    fn interact(&mut self) -> i32 {
        let stdin = io::stdin();
        let mut line = String::new();
        loop {
            let current_directory = env::current_dir().ok();
            let _ = write!(io::stderr(), "{}", prompt(current_directory.as_deref(), is_root()));
            line.clear();
            match stdin.read_line(&mut line) {
                Ok(0) => return self.status,
                Ok(_) => {
                    if let Next::Exit(status) = self.run_line(&line) {
                        return status;
                    }
                }
                Err(err) if err.kind() == io::ErrorKind::InvalidData => {
                    report(PROGRAM, "the line is not valid UTF-8");
                    self.status = STATUS_USAGE;
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => {
                    report_error(PROGRAM, "standard input", &err);
                    return 1;
                }
            }
        }
    }
}

fn change_directory(args: &[String]) -> i32 {
    match cd_target(args, env::var_os("HOME")) {
        Ok(directory) => match env::set_current_dir(&directory) {
            Ok(()) => 0,
            Err(err) => {
                report_error(PROGRAM, format_args!("cd: {}", directory.display()), &err);
                1
            }
        },
        Err(message) => {
            report(PROGRAM, message);
            1
        }
    }
}

fn print_working_directory() -> i32 {
    let written = env::current_dir().and_then(|directory| {
        let mut stdout = io::stdout().lock();
        stdout.write_all(&directory.into_os_string().into_vec())?;
        stdout.write_all(b"\n")
    });
    match written {
        Ok(()) => 0,
        Err(err) => {
            report_error(PROGRAM, "pwd", &err);
            1
        }
    }
}

fn print_help() -> i32 {
    match writeln!(io::stdout(), "{HELP}") {
        Ok(()) => 0,
        Err(err) => {
            report_error(PROGRAM, "help", &err);
            1
        }
    }
}

/// Runs the program `words[0]` names with `words` as its argv and this shell's
/// environment, waits for it, and returns its status as `$?`.
fn run_program(words: &[String]) -> i32 {
    let name = &words[0];
    let Some(program) = find_program(name, env::var_os("PATH").as_deref(), is_executable_file) else {
        report(PROGRAM, format_args!("{name}: command not found"));
        return STATUS_NOT_FOUND;
    };
    // A path that is not there is reported here, not by a child whose execve failed.
    if let Err(err) = fs::metadata(&program) {
        report_error(PROGRAM, name, &err);
        return STATUS_NOT_FOUND;
    }
    let Ok(argv) = words.iter().map(|word| CString::new(word.as_bytes())).collect::<Result<Vec<_>, _>>() else {
        report(PROGRAM, format_args!("{name}: an argument holds a NUL character"));
        return STATUS_USAGE;
    };
    let Ok(program) = CString::new(program.into_os_string().into_vec()) else {
        report(PROGRAM, format_args!("{name}: the path holds a NUL character"));
        return STATUS_USAGE;
    };
    let envp = process::current_environment();
    let child = match process::fork() {
        Ok(Fork::Child) => {
            let err = process::execve(&program, &argv, &envp);
            report_error(PROGRAM, name, &err);
            process::exit_immediately(if err.kind() == io::ErrorKind::NotFound {
                STATUS_NOT_FOUND
            } else {
                STATUS_NOT_EXECUTABLE
            });
        }
        Ok(Fork::Parent { child }) => child,
        Err(err) => {
            report_error(PROGRAM, "fork", &err);
            return 1;
        }
    };
    match process::wait4(child, 0) {
        Ok(Some((_, status))) => {
            if status.exit_code() != Some(0) {
                report(PROGRAM, format_args!("{name}: {status}"));
            }
            status.shell_status()
        }
        Ok(None) => 1,
        Err(err) => {
            report_error(PROGRAM, "wait4", &err);
            1
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<OsString> = env::args_os().skip(1).collect();
    let mut shell = Shell { status: 0 };
    let status = match parse_invocation(&args) {
        Ok(Invocation::Interactive) => shell.interact(),
        Ok(Invocation::Command(line)) => match shell.run_line(&line) {
            Next::Exit(status) => status,
            Next::Continue => shell.status,
        },
        Err(message) => {
            report(PROGRAM, message);
            STATUS_USAGE
        }
    };
    ExitCode::from(status as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|word| word.to_string()).collect()
    }

    #[test]
    fn invocations() {
        let args = |words: &[&str]| words.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(parse_invocation(&args(&[])), Ok(Invocation::Interactive));
        assert_eq!(parse_invocation(&args(&["-c", "echo hi", "ignored"])), Ok(Invocation::Command("echo hi".into())));
        assert!(parse_invocation(&args(&["-c"])).is_err());
        assert!(parse_invocation(&args(&["script.sh"])).is_err());
    }

    #[test]
    fn exit_statuses() {
        assert_eq!(exit_status(&[], 7), Ok(7));
        assert_eq!(exit_status(&strings(&["3"]), 0), Ok(3));
        assert_eq!(exit_status(&strings(&["256"]), 0), Ok(0));
        assert_eq!(exit_status(&strings(&["-1"]), 0), Ok(255));
        assert_eq!(exit_status(&strings(&["x"]), 0), Err("exit: x: numeric argument required".into()));
        assert!(exit_status(&strings(&["1", "2"]), 0).is_err());
    }

    #[test]
    fn cd_targets() {
        assert_eq!(cd_target(&[], Some("/home/k".into())), Ok("/home/k".into()));
        assert_eq!(cd_target(&[], None), Ok("/".into()));
        assert_eq!(cd_target(&[], Some("".into())), Ok("/".into()));
        assert_eq!(cd_target(&strings(&["/tmp"]), None), Ok("/tmp".into()));
        assert!(cd_target(&strings(&["a", "b"]), None).is_err());
    }

    #[test]
    fn prompts() {
        assert_eq!(prompt(Some(Path::new("/")), true), "/ # ");
        assert_eq!(prompt(Some(Path::new("/home/k")), false), "/home/k $ ");
        assert_eq!(prompt(None, true), "? # ");
    }

    #[test]
    fn lines_run_builtins_and_report_syntax_errors() {
        let mut shell = Shell { status: 0 };
        assert_eq!(shell.run_line("   # nothing\n"), Next::Continue);
        assert_eq!(shell.run_line("echo 'open\n"), Next::Continue);
        assert_eq!(shell.status, STATUS_USAGE);
        assert_eq!(shell.run_line("exit 4 # bye"), Next::Exit(4));
        assert_eq!(shell.run_line("exit"), Next::Exit(STATUS_USAGE));
    }

    #[test]
    fn missing_program_is_127() {
        let mut shell = Shell { status: 0 };
        shell.run_line("kestrel-no-such-program");
        assert_eq!(shell.status, STATUS_NOT_FOUND);
        shell.run_line("/kestrel/no/such/program");
        assert_eq!(shell.status, STATUS_NOT_FOUND);
    }

    #[test]
    fn programs_run_and_give_their_status() {
        let mut shell = Shell { status: 0 };
        shell.run_line("/bin/sh -c 'exit 3'");
        assert_eq!(shell.status, 3);
        shell.run_line("/bin/sh -c 'kill -SEGV $$'");
        assert_eq!(shell.status, 128 + libc::SIGSEGV);
    }
}
