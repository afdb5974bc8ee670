//! The prompts of an interactive shell: PS1 before a command and PS2 before each
//! line that continues one. lineedit decodes their backslash escapes (`\u`, `\h`,
//! `\w`, `\W`, `\$`, `\n`, `\\`, ... as bash and busybox ash have them) and POSIX's
//! `!` (the history number); then the shell expands what is left as a
//! double-quoted word ([`Shell::expand_inside_quotes`]). A prompt that does not expand is
//! shown as written.
use std::ffi::CStr;
use std::fs;

use lineedit::prompt::{PromptFacts, decode};

use crate::shell::Shell;
use crate::vars::Vars;

/// PS1 unless set: the working directory, then `# ` for root and `$ ` for others.
pub const DEFAULT_PS1: &str = "$PWD \\$ ";
/// PS2 unless set.
pub const DEFAULT_PS2: &str = "> ";

/// Gives PS1 and PS2 their defaults where they are unset.
pub fn set_defaults(vars: &mut Vars) {
    for (name, value) in [("PS1", DEFAULT_PS1), ("PS2", DEFAULT_PS2)] {
        if vars.get(name).is_none() {
            let _ = vars.set(name, value);
        }
    }
}

/// What the escapes of `shell`'s prompts stand for.
struct Facts<'a> {
    shell: &'a Shell,
    history_number: usize,
}

impl PromptFacts for Facts<'_> {
    fn user(&self) -> String {
        // SAFETY: geteuid cannot fail; getpwuid returns null or a record that stays
        // valid until the next getpw* call, and its name is copied out at once.
        let name = unsafe {
            let record = libc::getpwuid(libc::geteuid());
            (!record.is_null()).then(|| CStr::from_ptr((*record).pw_name).to_string_lossy().into_owned())
        };
        // SAFETY: geteuid has no preconditions and cannot fail.
        name.unwrap_or_else(|| unsafe { libc::geteuid() }.to_string())
    }

    fn host(&self) -> String {
        fs::read_to_string("/proc/sys/kernel/hostname").map_or_else(|_| "?".into(), |name| name.trim_end().into())
    }

    fn directory(&self) -> String {
        self.shell.vars.get("PWD").unwrap_or_default().into()
    }

    fn home(&self) -> Option<String> {
        self.shell.vars.get("HOME").map(String::from)
    }

    fn is_root(&self) -> bool {
        // SAFETY: geteuid has no preconditions and cannot fail.
        unsafe { libc::geteuid() == 0 }
    }

    fn history_number(&self) -> usize {
        self.history_number
    }
}

/// The prompt to show: PS2 for a `continuation` line, else PS1; `history_number`
/// is the number the line will have in the history.
pub fn prompt(shell: &mut Shell, continuation: bool, history_number: usize) -> String {
    let value = shell.vars.get(if continuation { "PS2" } else { "PS1" }).unwrap_or_default().to_string();
    let decoded = decode(&value, &Facts { shell, history_number });
    shell.expand_inside_quotes(&decoded).unwrap_or(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Input;

    fn shell() -> Shell {
        let mut shell = Shell::new(vec!["sh".into()], Input::text(None, ""));
        shell.vars.set("PWD", "/home/k/src").unwrap();
        shell.vars.set("HOME", "/home/k").unwrap();
        shell.status = 3;
        shell
    }

    fn ps1(shell: &mut Shell, value: &str) -> String {
        shell.vars.set("PS1", value).unwrap();
        prompt(shell, false, 7)
    }

    #[test]
    fn the_default_is_the_directory_and_the_users_sign() {
        let mut shell = shell();
        shell.vars.unset("PS1").unwrap();
        shell.vars.unset("PS2").unwrap();
        set_defaults(&mut shell.vars);
        // SAFETY: geteuid has no preconditions and cannot fail.
        let sign = if unsafe { libc::geteuid() } == 0 { '#' } else { '$' };
        assert_eq!(prompt(&mut shell, false, 1), format!("/home/k/src {sign} "));
        shell.vars.set("PWD", "/").unwrap();
        assert_eq!(prompt(&mut shell, false, 1), format!("/ {sign} "));
        assert_eq!(prompt(&mut shell, true, 1), "> ");
        shell.vars.set("PS1", "mine").unwrap();
        set_defaults(&mut shell.vars);
        assert_eq!(shell.vars.get("PS1"), Some("mine"), "a value set stays");
    }

    #[test]
    fn parameters_and_escapes_expand() {
        let mut shell = shell();
        assert_eq!(ps1(&mut shell, "[$?] \\w ${HOME}> "), "[3] ~/src /home/k> ");
        assert_eq!(ps1(&mut shell, "!:\\W\\n\"$1\" "), "7:src\n\"\" ");
        shell.vars.set("X", "$HOME `x` \\w").unwrap();
        assert_eq!(ps1(&mut shell, "$X"), "$HOME `x` \\w", "values are not expanded again");
        shell.vars.set("PWD", "/tmp/$HOME").unwrap();
        assert_eq!(ps1(&mut shell, "\\w '\\\\'"), "/tmp/$HOME '\\'");
        let facts = Facts { shell: &shell, history_number: 0 };
        let (user, host) = (facts.user(), facts.host());
        assert_eq!(ps1(&mut shell, "\\u@\\h"), format!("{user}@{}", host.split('.').next().unwrap()));
    }

    #[test]
    fn a_prompt_that_does_not_expand_shows_as_written() {
        let mut shell = shell();
        assert_eq!(ps1(&mut shell, "${bad name} $ "), "${bad name} $ ");
        shell.vars.unset("PS1").unwrap();
        assert_eq!(prompt(&mut shell, false, 1), "");
    }
}
