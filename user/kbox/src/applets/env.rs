//! `env [-0i] [-u NAME]... [-] [NAME=VALUE]... [COMMAND [ARG]...]`: prints the
//! environment, or runs COMMAND (looked for in PATH) in a changed one.
use std::ffi::{CString, OsStr, OsString};
use std::io::Write;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use ulib::args::Spec;
use ulib::diag::{quoted, report_error};

use crate::cli;

const PROGRAM: &str = "env";

pub const USAGE: &str = "Usage: env [OPTION]... [-] [NAME=VALUE]... [COMMAND [ARG]...]
Set each NAME to VALUE in the environment and run COMMAND, or print the environment.
  -i, -        start with an empty environment
  -0           end each output line with NUL, not newline
  -u NAME      remove variable from the environment";

const SPEC: Spec = Spec { flags: "0i", valued: "u", stop_at_operand: true, ..Spec::NONE };

/// The new environment (`NAME=VALUE` entries) and the command with its arguments.
fn plan(current: Vec<Vec<u8>>, clear: bool, unset: &[&[u8]], operands: &[OsString]) -> (Vec<Vec<u8>>, Vec<OsString>) {
    let name_of = |entry: &[u8]| entry.split(|&byte| byte == b'=').next().unwrap_or_default().to_vec();
    let mut environment: Vec<Vec<u8>> = if clear { Vec::new() } else { current };
    environment.retain(|entry| !unset.contains(&&name_of(entry)[..]));
    let mut rest = operands;
    if rest.first().is_some_and(|operand| operand == "-") {
        environment.clear();
        rest = &rest[1..];
    }
    let assignments = rest.iter().take_while(|operand| operand.as_bytes().contains(&b'=')).count();
    for assignment in &rest[..assignments] {
        let name = name_of(assignment.as_bytes());
        environment.retain(|entry| name_of(entry) != name);
        environment.push(assignment.as_bytes().to_vec());
    }
    (environment, rest[assignments..].to_vec())
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let current: Vec<Vec<u8>> = ulib::process::current_environment().into_iter().map(CString::into_bytes).collect();
    let unset: Vec<&[u8]> = command_line.values('u').map(OsStr::as_bytes).collect();
    let clear = command_line.has('i');
    let (environment, command) = plan(current, clear, &unset, &command_line.operands);
    let Some(program) = command.first() else {
        let end = if command_line.has('0') { b'\0' } else { b'\n' };
        let mut out = cli::stdout();
        let result = environment.iter().try_for_each(|entry| out.write_all(entry).and_then(|()| out.write_all(&[end])));
        return cli::finish(PROGRAM, out, result.map(|()| 0));
    };
    let to_c = |bytes: Vec<u8>| CString::new(bytes).ok();
    let argv: Option<Vec<CString>> = command.iter().map(|arg| to_c(arg.clone().into_vec())).collect();
    let envp: Option<Vec<CString>> = environment.iter().map(|entry| to_c(entry.clone())).collect();
    let path = environment.iter().find_map(|entry| entry.strip_prefix(b"PATH=")).map(OsStr::from_bytes);
    let err = match (argv, envp) {
        (Some(argv), Some(envp)) => ulib::process::execvp(program, path, &argv, &envp),
        _ => std::io::Error::from_raw_os_error(libc::EINVAL),
    };
    report_error(PROGRAM, quoted(program.display()), &err);
    crate::exec::failed_status(&err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::words;

    fn entries(text: &str) -> Vec<Vec<u8>> {
        text.split_whitespace().map(|entry| entry.as_bytes().to_vec()).collect()
    }

    #[test]
    fn changes_to_the_environment() {
        let current = || entries("A=1 B=2 PATH=/bin");
        assert_eq!(plan(current(), false, &[], &words("B=3 C=4")), (entries("A=1 PATH=/bin B=3 C=4"), Vec::new()));
        assert_eq!(plan(current(), true, &[], &words("X=1 ls -l")), (entries("X=1"), words("ls -l")));
        assert_eq!(plan(current(), false, &[b"A"], &words("- Y=2")), (entries("Y=2"), Vec::new()));
        assert_eq!(plan(current(), false, &[b"A", b"PATH"], &words("cmd a=b")), (entries("B=2"), words("cmd a=b")));
    }
}
