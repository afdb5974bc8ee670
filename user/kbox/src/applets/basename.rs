//! `basename NAME [SUFFIX]`, `basename -a [-s SUFFIX] NAME...`: prints NAME without
//! its leading directories (and the SUFFIX, if it ends so).
use std::ffi::OsString;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;

use ulib::args::Spec;

use crate::cli;

const PROGRAM: &str = "basename";

pub const USAGE: &str = "Usage: basename NAME [SUFFIX]
  or:  basename OPTION... NAME...
Print NAME with any leading directory components removed.
If specified, also remove a trailing SUFFIX.
  -a         support multiple arguments and treat each as a NAME
  -s SUFFIX  remove a trailing SUFFIX; implies -a
  -z         end each output line with NUL, not newline";

const SPEC: Spec = Spec { flags: "az", valued: "s", ..Spec::NONE };

/// The last component of `name` (`/` for a name of slashes), without `suffix` unless
/// that is all of it.
pub fn basename(name: &[u8], suffix: &[u8]) -> Vec<u8> {
    let trimmed = match name.iter().rposition(|&byte| byte != b'/') {
        Some(last) => &name[..=last],
        None if name.is_empty() => return Vec::new(),
        None => return b"/".to_vec(),
    };
    let base = match trimmed.iter().rposition(|&byte| byte == b'/') {
        Some(slash) => &trimmed[slash + 1..],
        None => trimmed,
    };
    match base.strip_suffix(suffix) {
        Some(stripped) if !stripped.is_empty() => stripped.to_vec(),
        _ => base.to_vec(),
    }
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let operands = &command_line.operands;
    let multiple = command_line.has('a') || command_line.has('s');
    let (names, suffix) = match (operands.len(), multiple) {
        (0, _) => return cli::missing_operand(PROGRAM),
        (_, true) => (&operands[..], command_line.value('s').map_or(&b""[..], |suffix| suffix.as_bytes())),
        (1, false) => (&operands[..], &b""[..]),
        (2, false) => (&operands[..1], operands[1].as_bytes()),
        (_, false) => return cli::extra_operand(PROGRAM, operands[2].display()),
    };
    let end = if command_line.has('z') { b'\0' } else { b'\n' };
    let mut out = cli::stdout();
    let result = names.iter().try_for_each(|name| {
        let mut line = basename(name.as_bytes(), suffix);
        line.push(end);
        out.write_all(&line)
    });
    cli::finish(PROGRAM, out, result.map(|()| 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(name: &str, suffix: &str) -> String {
        String::from_utf8(basename(name.as_bytes(), suffix.as_bytes())).unwrap()
    }

    #[test]
    fn last_components() {
        assert_eq!(base("/usr/bin/sort", ""), "sort");
        assert_eq!(base("include/", ""), "include");
        assert_eq!(base("a//b//", ""), "b");
        assert_eq!(base("plain", ""), "plain");
        assert_eq!(base("/", ""), "/");
        assert_eq!(base("///", ""), "/");
        assert_eq!(base("", ""), "");
    }

    #[test]
    fn suffixes() {
        assert_eq!(base("include/stdio.h", ".h"), "stdio");
        assert_eq!(base(".h", ".h"), ".h");
        assert_eq!(base("dir/x.h/", ".h"), "x");
        assert_eq!(base("a.c", ".h"), "a.c");
    }
}
