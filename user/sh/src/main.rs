//! `sh`, Kestrel's shell: `sh [options] [file [args...]]` runs a script,
//! `sh [options] -c 'commands' [name [args...]]` a command string, and `sh [-s]
//! [args...]` reads commands from standard input (interactively, with the line
//! editor, history and job control, when it is a terminal). A login shell (`-l`,
//! or a name starting with `-`) first runs /etc/profile and $HOME/.profile; an
//! interactive one, the file ENV names.
use std::env;
use std::fs::File;
use std::io;
use std::os::fd::AsFd;
use std::process::ExitCode;

use lineedit::Editor;
use sh::input::Input;
use sh::options::Options;
use sh::shell::{PROGRAM, STATUS_USAGE, Shell};
use sh::{history, prompt};
use ulib::diag::{report, report_error};
use ulib::term::Termios;

/// How the shell was asked to run.
#[derive(Debug, Default, PartialEq, Eq)]
struct Invocation {
    /// `$0`.
    name: String,
    /// Options to set (`-e`, `+x`, `-o errexit`...).
    options: Vec<(char, bool)>,
    /// `-c`: the command string.
    command: Option<String>,
    /// A script to run.
    script: Option<String>,
    /// The positional parameters.
    args: Vec<String>,
    login: bool,
    /// `-i`: interactive even when standard input is not a terminal.
    interactive: bool,
}

const USAGE: &str = "Usage: sh [-abCefilmnuvx] [-o option] [-c command [name [arg...]] | -s [arg...] | file [arg...]]";

fn parse_invocation(argv: &[String]) -> Result<Invocation, String> {
    let name = argv.first().cloned().unwrap_or_else(|| PROGRAM.into());
    let mut invocation = Invocation { login: name.starts_with('-'), name, ..Invocation::default() };
    let mut command_mode = false;
    let mut stdin_mode = false;
    let mut rest = argv.get(1..).unwrap_or_default();
    while let Some(arg) = rest.first() {
        let on = match arg.chars().next() {
            Some('-') => true,
            Some('+') => false,
            _ => break,
        };
        rest = &rest[1..];
        if arg == "--" || arg == "-" {
            break;
        }
        for letter in arg.chars().skip(1) {
            match letter {
                'c' => command_mode = true,
                's' => stdin_mode = true,
                'l' => invocation.login = true,
                'i' => invocation.interactive = true,
                'o' => {
                    let option = rest.first().ok_or("-o: option requires an argument")?;
                    rest = &rest[1..];
                    invocation.options.push((Options::letter(option)?, on));
                }
                letter => {
                    Options::default().set(letter, on)?;
                    invocation.options.push((letter, on));
                }
            }
        }
    }
    if command_mode {
        let (command, rest) = rest.split_first().ok_or("-c: option requires an argument")?;
        invocation.command = Some(command.clone());
        if let Some((name, args)) = rest.split_first() {
            invocation.name = name.clone();
            invocation.args = args.to_vec();
        }
    } else if stdin_mode || rest.is_empty() {
        invocation.args = rest.to_vec();
    } else {
        invocation.script = Some(rest[0].clone());
        invocation.name = rest[0].clone();
        invocation.args = rest[1..].to_vec();
    }
    Ok(invocation)
}

/// The shell for standard input: interactive on a terminal (or with `-i`), else
/// reading plainly.
fn stdin_shell(args: Vec<String>, force_interactive: bool) -> io::Result<Shell> {
    let stdin = File::from(io::stdin().as_fd().try_clone_to_owned()?);
    let modes = Termios::get(0);
    if modes.is_err() && !force_interactive {
        let mut shell = Shell::new(args, Input::Stream(stdin));
        let _ = shell.options.set('s', true);
        return Ok(shell);
    }
    let history_file = history::file(env::var("HOME").ok().as_deref());
    let editor = Editor::new(history_file.as_deref().map(history::load).unwrap_or_default());
    let mut shell = Shell::new(args, Input::Terminal { editor: Box::new(editor), stdin });
    prompt::set_defaults(&mut shell.vars);
    let _ = shell.options.set('s', true);
    shell.interactive = true;
    let _ = shell.options.set('i', true);
    shell.terminal_modes = modes.ok();
    shell.history_file = history_file;
    if shell.terminal_modes.is_some() {
        shell.start_job_control();
    }
    Ok(shell)
}

fn main() -> ExitCode {
    let argv: Vec<String> = env::args_os().map(|arg| arg.to_string_lossy().into_owned()).collect();
    let invocation = match parse_invocation(&argv) {
        Ok(invocation) => invocation,
        Err(message) => {
            report(PROGRAM, format_args!("{message}\n{USAGE}"));
            return ExitCode::from(STATUS_USAGE as u8);
        }
    };
    let args: Vec<String> = std::iter::once(invocation.name.clone()).chain(invocation.args.clone()).collect();
    let mut shell = match (&invocation.command, &invocation.script) {
        (Some(command), _) => Shell::new(args, Input::text(None, command)),
        (None, Some(_)) => Shell::new(args, Input::text(None, "")),
        (None, None) => match stdin_shell(args, invocation.interactive) {
            Ok(shell) => shell,
            Err(err) => {
                report_error(PROGRAM, "standard input", &err);
                return ExitCode::from(1);
            }
        },
    };
    for &(letter, on) in &invocation.options {
        let _ = shell.options.set(letter, on);
        if letter == 'a' {
            shell.vars.allexport = on;
        }
    }
    if invocation.login {
        shell.source_if_present("/etc/profile");
        if let Some(home) = shell.vars.get("HOME").map(String::from) {
            shell.source_if_present(&format!("{}/.profile", home.trim_end_matches('/')));
        }
    }
    if shell.interactive
        && let Some(file) = shell.vars.get("ENV").map(String::from)
    {
        let file = shell.expand_text(&file);
        shell.source_if_present(&file);
    }
    let status = match &invocation.script {
        Some(path) if shell.flow.is_none() => shell.run_script(path, invocation.args.clone()),
        Some(_) => shell.exit_status(),
        None => shell.run(),
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
        assert_eq!(invocation(&["sh"]), Ok(Invocation { name: "sh".into(), ..Invocation::default() }));
        let command = invocation(&["sh", "-c", "echo $0 $1", "name", "a"]).unwrap();
        assert_eq!(command.command.as_deref(), Some("echo $0 $1"));
        assert_eq!((command.name.as_str(), command.args.clone()), ("name", strings(&["a"])));
        let command = invocation(&["/bin/sh", "-ec", "x"]).unwrap();
        assert_eq!((command.name.as_str(), command.options.clone()), ("/bin/sh", vec![('e', true)]));
        let script = invocation(&["sh", "-x", "script", "a", "-e"]).unwrap();
        assert_eq!(script.script.as_deref(), Some("script"));
        assert_eq!((script.name.as_str(), script.args.clone()), ("script", strings(&["a", "-e"])));
        let stdin = invocation(&["-sh", "-s", "a", "b"]).unwrap();
        assert!(stdin.login && stdin.script.is_none());
        assert_eq!(stdin.args, strings(&["a", "b"]));
        assert_eq!(
            invocation(&["sh", "-o", "nounset", "+o", "xtrace"]).unwrap().options,
            vec![('u', true), ('x', false)]
        );
        assert!(invocation(&["sh", "-c"]).is_err());
        assert!(invocation(&["sh", "-z"]).is_err());
        assert!(invocation(&["sh", "-o", "nope"]).is_err());
    }
}
