//! /etc/inittab, the list of what init starts (a busybox-like format). One entry a
//! line, `ID:ACTION:COMMAND` (or busybox's `ID:RUNLEVELS:ACTION:COMMAND`, the
//! run levels ignored); `#` starts a comment line, blank lines are skipped.
//!
//! - ID names the terminal under /dev the entry is for (`ttyS0`, `tty2`); init
//!   starts the entry only once that device exists. Empty: no terminal.
//! - ACTION: `respawn` (start it, and again whenever it ends), `once` (start it
//!   once, without waiting), `wait` (run it and wait for it before going on),
//!   `shutdown` (run it and wait for it when the system goes down).
//! - COMMAND: a program's absolute path and its arguments, split at blanks (no
//!   quoting).

/// What init does with an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Respawn,
    Once,
    Wait,
    Shutdown,
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub action: Action,
    /// The program (an absolute path) and its arguments.
    pub argv: Vec<String>,
}

/// A line init cannot use, with its number (from 1) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub reason: String,
}

fn action(word: &str) -> Option<Action> {
    Some(match word {
        "respawn" => Action::Respawn,
        "once" => Action::Once,
        "wait" => Action::Wait,
        "shutdown" => Action::Shutdown,
        _ => return None,
    })
}

fn entry(line: &str) -> Result<Entry, String> {
    let fields: Vec<&str> = line.splitn(4, ':').collect();
    let (id, action_word, command) = match fields[..] {
        [id, _, action_word, command] if action(action_word).is_some() => (id, action_word, command),
        [id, action_word, _, ..] => (id, action_word, &line[id.len() + action_word.len() + 2..]),
        _ => return Err("expected ID:ACTION:COMMAND".to_owned()),
    };
    let action = action(action_word).ok_or_else(|| format!("unknown action '{action_word}'"))?;
    let argv: Vec<String> = command.split_whitespace().map(str::to_owned).collect();
    match argv.first() {
        None => return Err("no command".to_owned()),
        Some(program) if !program.starts_with('/') => {
            return Err(format!("'{program}' is not an absolute path"));
        }
        Some(_) => {}
    }
    if id.contains('/') && !id.starts_with("pts/") {
        return Err(format!("bad terminal name '{id}'"));
    }
    Ok(Entry { id: id.trim().to_owned(), action, argv })
}

/// The entries of an inittab's text, and the lines that are not entries.
pub fn parse(text: &str) -> (Vec<Entry>, Vec<Problem>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match entry(line) {
            Ok(entry) => entries.push(entry),
            Err(reason) => problems.push(Problem { line: index + 1, reason }),
        }
    }
    (entries, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|&word| word.to_owned()).collect()
    }

    #[test]
    fn three_and_four_field_entries() {
        let text = "# consoles\n\nttyS0:respawn:/sbin/getty -a root 115200 ttyS0\n\
                    tty2::respawn:/sbin/getty 38400 tty2\n  ::wait:/bin/sh /etc/start  \n:shutdown:/bin/umount -a\n";
        let (entries, problems) = parse(text);
        assert_eq!(problems, []);
        assert_eq!(
            entries,
            [
                Entry {
                    id: "ttyS0".into(),
                    action: Action::Respawn,
                    argv: argv(&["/sbin/getty", "-a", "root", "115200", "ttyS0"])
                },
                Entry { id: "tty2".into(), action: Action::Respawn, argv: argv(&["/sbin/getty", "38400", "tty2"]) },
                Entry { id: String::new(), action: Action::Wait, argv: argv(&["/bin/sh", "/etc/start"]) },
                Entry { id: String::new(), action: Action::Shutdown, argv: argv(&["/bin/umount", "-a"]) },
            ]
        );
    }

    #[test]
    fn commands_may_hold_colons() {
        let (entries, problems) = parse("tty3:once:/bin/echo a:b c\ntty4:2345:respawn:/bin/x y:z\n");
        assert_eq!(problems, []);
        assert_eq!(entries[0].argv, argv(&["/bin/echo", "a:b", "c"]));
        assert_eq!((entries[1].action, entries[1].argv.clone()), (Action::Respawn, argv(&["/bin/x", "y:z"])));
    }

    #[test]
    fn bad_lines_are_reported_with_their_numbers() {
        let text = "tty1:respawn:/sbin/getty tty1\njunk\ntty2:sometimes:/bin/sh\ntty3:once:   \ntty4:once:sh\n../x:once:/bin/sh\n";
        let (entries, problems) = parse(text);
        assert_eq!(entries.len(), 1);
        let lines: Vec<usize> = problems.iter().map(|problem| problem.line).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6]);
        assert_eq!(problems[1].reason, "unknown action 'sometimes'");
        assert_eq!(problems[3].reason, "'sh' is not an absolute path");
    }

    proptest::proptest! {
        /// Any text parses (nothing panics), every non-comment line is an entry or
        /// a problem, and every entry runs an absolute path.
        #[test]
        fn any_text_parses(text in "[a-z0-9/: #\n\t-]{0,200}") {
            let (entries, problems) = parse(&text);
            let lines = text.lines().filter(|line| !line.trim().is_empty() && !line.trim().starts_with('#')).count();
            proptest::prop_assert_eq!(entries.len() + problems.len(), lines);
            proptest::prop_assert!(entries.iter().all(|entry| entry.argv[0].starts_with('/')));
        }
    }
}
