//! The builtins: POSIX's special builtins (which act on the shell itself, keep
//! the assignments before them and end a non-interactive shell on an error) and
//! the regular ones the shell must or should have, each theme in a file of its
//! own. Alone, or in a list, they run in the shell; in a pipeline or the
//! background, in a forked copy of it. Their output is written unbuffered.
mod dirs;
mod flow;
mod help;
mod jobs;
mod lookup;
mod output;
mod read;
pub mod test;
mod vars;

use ulib::diag::report_error;

use crate::shell::{PROGRAM, Shell};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    Alias,
    Bg,
    Bracket,
    Break,
    Cd,
    Colon,
    Command,
    Continue,
    Dot,
    Echo,
    Eval,
    Exec,
    Exit,
    Export,
    False,
    Fg,
    Getopts,
    Help,
    History,
    Jobs,
    Kill,
    Local,
    Printf,
    Pwd,
    Read,
    Readonly,
    Return,
    Set,
    Shift,
    Test,
    Times,
    Trap,
    True,
    Type,
    Umask,
    Unalias,
    Unset,
    Wait,
}

/// Every builtin by name, sorted (for the binary search).
const TABLE: [(&str, Builtin); 38] = [
    (".", Builtin::Dot),
    (":", Builtin::Colon),
    ("[", Builtin::Bracket),
    ("alias", Builtin::Alias),
    ("bg", Builtin::Bg),
    ("break", Builtin::Break),
    ("cd", Builtin::Cd),
    ("command", Builtin::Command),
    ("continue", Builtin::Continue),
    ("echo", Builtin::Echo),
    ("eval", Builtin::Eval),
    ("exec", Builtin::Exec),
    ("exit", Builtin::Exit),
    ("export", Builtin::Export),
    ("false", Builtin::False),
    ("fg", Builtin::Fg),
    ("getopts", Builtin::Getopts),
    ("help", Builtin::Help),
    ("history", Builtin::History),
    ("jobs", Builtin::Jobs),
    ("kill", Builtin::Kill),
    ("local", Builtin::Local),
    ("printf", Builtin::Printf),
    ("pwd", Builtin::Pwd),
    ("read", Builtin::Read),
    ("readonly", Builtin::Readonly),
    ("return", Builtin::Return),
    ("set", Builtin::Set),
    ("shift", Builtin::Shift),
    ("test", Builtin::Test),
    ("times", Builtin::Times),
    ("trap", Builtin::Trap),
    ("true", Builtin::True),
    ("type", Builtin::Type),
    ("umask", Builtin::Umask),
    ("unalias", Builtin::Unalias),
    ("unset", Builtin::Unset),
    ("wait", Builtin::Wait),
];

/// The builtins' names, for completion.
pub fn names() -> impl Iterator<Item = &'static str> {
    TABLE.iter().map(|&(name, _)| name)
}

impl Builtin {
    pub fn named(name: &str) -> Option<Self> {
        TABLE.binary_search_by(|&(known, _)| known.cmp(name)).ok().map(|index| TABLE[index].1)
    }

    /// POSIX's special builtins.
    pub fn is_special(self) -> bool {
        matches!(
            self,
            Builtin::Break
                | Builtin::Colon
                | Builtin::Continue
                | Builtin::Dot
                | Builtin::Eval
                | Builtin::Exec
                | Builtin::Exit
                | Builtin::Export
                | Builtin::Readonly
                | Builtin::Return
                | Builtin::Set
                | Builtin::Shift
                | Builtin::Times
                | Builtin::Trap
                | Builtin::Unset
        )
    }
}

impl Shell {
    /// Runs `builtin` with `argv` (its name first) and returns its status.
    pub fn run_builtin(&mut self, builtin: Builtin, argv: &[String]) -> i32 {
        let args = &argv[1..];
        let status = match builtin {
            Builtin::Alias => self.alias(args),
            Builtin::Bg => self.bg(args),
            Builtin::Bracket => self.test(args, true),
            Builtin::Break => self.break_or_continue("break", args),
            Builtin::Cd => self.cd(args),
            Builtin::Colon | Builtin::True => 0,
            Builtin::Command => self.command(args),
            Builtin::Continue => self.break_or_continue("continue", args),
            Builtin::Dot => self.dot(args),
            Builtin::Echo => self.echo(args),
            Builtin::Eval => self.eval(args),
            Builtin::Exec => self.exec(args),
            Builtin::Exit => self.exit(args),
            Builtin::Export => self.export(args, false),
            Builtin::False => 1,
            Builtin::Fg => self.fg(args),
            Builtin::Getopts => self.getopts(args),
            Builtin::Help => self.help(args),
            Builtin::History => self.history(),
            Builtin::Jobs => self.jobs_builtin(args),
            Builtin::Kill => self.kill(args),
            Builtin::Local => self.local(args),
            Builtin::Printf => self.printf(args),
            Builtin::Pwd => self.pwd(args),
            Builtin::Read => self.read(args),
            Builtin::Readonly => self.export(args, true),
            Builtin::Return => self.return_builtin(args),
            Builtin::Set => self.set(args),
            Builtin::Shift => self.shift(args),
            Builtin::Test => self.test(args, false),
            Builtin::Times => self.times(),
            Builtin::Trap => self.trap(args),
            Builtin::Type => self.type_builtin(args),
            Builtin::Umask => self.umask(args),
            Builtin::Unalias => self.unalias(args),
            Builtin::Unset => self.unset(args),
            Builtin::Wait => self.wait(args),
        };
        self.status = status;
        status
    }

    /// Writes `text` to standard output; 0, or 1 after reporting a write error.
    pub fn print(&mut self, name: &str, text: &str) -> i32 {
        self.print_bytes(name, text.as_bytes())
    }

    pub fn print_bytes(&mut self, name: &str, bytes: &[u8]) -> i32 {
        match ulib::fd::write_all(1, bytes) {
            Ok(()) => 0,
            Err(err) => {
                report_error(PROGRAM, format_args!("{name}: write error"), &err);
                1
            }
        }
    }

    /// Writes `lines`, each ended by a newline.
    pub fn print_lines(&mut self, name: &str, lines: impl IntoIterator<Item = String>) -> i32 {
        let text: String = lines.into_iter().map(|line| line + "\n").collect();
        self.print(name, &text)
    }

    fn history(&mut self) -> i32 {
        let lines: Vec<String> = match &self.input {
            crate::input::Input::Terminal { editor, .. } => {
                editor.history().iter().enumerate().map(|(n, line)| format!("{:5}  {line}", n + 1)).collect()
            }
            _ => Vec::new(),
        };
        self.print_lines("history", lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_by_name() {
        assert_eq!(Builtin::named("cd"), Some(Builtin::Cd));
        assert_eq!(Builtin::named("["), Some(Builtin::Bracket));
        assert_eq!(Builtin::named("ls"), None);
        assert_eq!(names().count(), TABLE.len());
        assert!(names().is_sorted());
        assert!(Builtin::Exec.is_special() && !Builtin::Cd.is_special());
    }
}
