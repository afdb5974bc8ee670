//! `sh`, Kestrel's shell: `sh` reads commands from standard input (interactively,
//! with the line editor, history and job control, when it is a terminal),
//! `sh -c 'commands' [name [args...]]` runs a command line, and `sh file [args...]`
//! runs a script.
use std::env;
use std::fs::File;
use std::io;
use std::os::fd::AsFd;
use std::process::ExitCode;

use lineedit::Editor;
use sh::shell::{Input, PROGRAM, STATUS_USAGE, Shell};
use sh::{history, prompt};
use ulib::diag::{report, report_error};
use ulib::term::Termios;

/// How the shell was asked to run.
#[derive(Debug, PartialEq, Eq)]
enum Invocation {
    /// Commands from standard input; `$0` is the shell's name.
    Stdin { name: String },
    /// `-c`: the command line, then `$0` and the positional parameters.
    Command { line: String, args: Vec<String> },
    /// A script and its positional parameters.
    Script { path: String, args: Vec<String> },
}

fn parse_invocation(argv: &[String]) -> Result<Invocation, String> {
    let name = argv.first().cloned().unwrap_or_else(|| PROGRAM.into());
    match &argv[1.min(argv.len())..] {
        [] => Ok(Invocation::Stdin { name }),
        [flag] if flag == "-c" => Err("-c: option requires an argument".into()),
        [flag, line, rest @ ..] if flag == "-c" => {
            let args = if rest.is_empty() { vec![name] } else { rest.to_vec() };
            Ok(Invocation::Command { line: line.clone(), args })
        }
        [option, ..] if option.starts_with('-') && option != "-" => {
            Err(format!("{option}: invalid option\nUsage: sh [-c command [name [arg...]]] [file [arg...]]"))
        }
        [path, args @ ..] => Ok(Invocation::Script { path: path.clone(), args: args.to_vec() }),
    }
}

/// The shell for standard input: interactive on a terminal, else reading plainly.
fn stdin_shell(name: String) -> io::Result<Shell> {
    let stdin = File::from(io::stdin().as_fd().try_clone_to_owned()?);
    let Ok(modes) = Termios::get(0) else {
        return Ok(Shell::new(vec![name], Input::Stream(stdin)));
    };
    let history_file = history::file(env::var("HOME").ok().as_deref());
    let editor = Editor::new(history_file.as_deref().map(history::load).unwrap_or_default());
    let mut shell = Shell::new(vec![name], Input::Terminal { editor: Box::new(editor), stdin });
    shell.interactive = true;
    prompt::set_defaults(&mut shell.vars);
    shell.terminal_modes = Some(modes);
    shell.history_file = history_file;
    shell.start_job_control();
    Ok(shell)
}

fn main() -> ExitCode {
    let argv: Vec<String> = env::args_os().map(|arg| arg.to_string_lossy().into_owned()).collect();
    let status = match parse_invocation(&argv) {
        Ok(Invocation::Stdin { name }) => match stdin_shell(name) {
            Ok(mut shell) => shell.run(),
            Err(err) => {
                report_error(PROGRAM, "standard input", &err);
                1
            }
        },
        Ok(Invocation::Command { line, args }) => Shell::new(args, Input::text(&line)).run(),
        Ok(Invocation::Script { path, args }) => Shell::new(Vec::new(), Input::text("")).run_script(&path, args),
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

    fn invocation(words: &[&str]) -> Result<Invocation, String> {
        parse_invocation(&words.iter().map(|word| word.to_string()).collect::<Vec<_>>())
    }

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|word| word.to_string()).collect()
    }

    #[test]
    fn invocations() {
        assert_eq!(invocation(&["sh"]), Ok(Invocation::Stdin { name: "sh".into() }));
        assert_eq!(invocation(&[]), Ok(Invocation::Stdin { name: "sh".into() }));
        assert_eq!(
            invocation(&["sh", "-c", "echo $0 $1", "name", "a"]),
            Ok(Invocation::Command { line: "echo $0 $1".into(), args: strings(&["name", "a"]) })
        );
        assert_eq!(
            invocation(&["/bin/sh", "-c", "x"]),
            Ok(Invocation::Command { line: "x".into(), args: strings(&["/bin/sh"]) })
        );
        assert_eq!(
            invocation(&["sh", "script", "a"]),
            Ok(Invocation::Script { path: "script".into(), args: strings(&["a"]) })
        );
        assert!(invocation(&["sh", "-c"]).is_err());
        assert_eq!(invocation(&["sh", "-x"]).unwrap_err().lines().next(), Some("-x: invalid option"));
    }
}
