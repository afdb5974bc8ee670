//! Tab completion for the line editor: the first word of a command completes to
//! builtins and programs on PATH, any other word (or one holding `/`) to paths, with
//! directories ending in `/`. A word is what follows the last unescaped blank or
//! `|&;<>()` before the cursor; a leading `~/` means $HOME; special characters in
//! completed names get a backslash.
use std::fs;
use std::path::Path;

use lineedit::Complete;
use shparse::glob::unescape;
use ulib::process::is_executable_file;

use crate::builtins;
use crate::lookup::DEFAULT_PATH;

/// What completion needs from the shell's variables.
#[derive(Debug)]
pub struct Completer<'a> {
    pub path: Option<&'a str>,
    pub home: Option<&'a str>,
}

fn is_separator(char: char) -> bool {
    matches!(char, ' ' | '\t' | '|' | '&' | ';' | '<' | '>' | '(' | ')')
}

/// Where the word ending at `cursor` starts.
fn word_start(line: &str, cursor: usize) -> usize {
    let mut start = 0;
    let mut escaped = false;
    for (index, char) in line[..cursor].char_indices() {
        if escaped {
            escaped = false;
        } else if char == '\\' {
            escaped = true;
        } else if is_separator(char) {
            start = index + 1;
        }
    }
    start
}

/// Whether a word starting at `start` is in command position: first in the line,
/// after `|`, `&`, `;` or `(`, or after a reserved word that a command follows.
fn is_command_position(line: &str, start: usize) -> bool {
    let before = line[..start].trim_end();
    let last_word = before.rsplit([' ', '\t']).next().unwrap_or_default();
    before.is_empty()
        || before.ends_with(['|', '&', ';', '('])
        || ["then", "do", "else", "elif", "if", "while", "until", "{", "!"].contains(&last_word)
}

fn escape(name: &str) -> String {
    let mut text = String::with_capacity(name.len());
    for char in name.chars() {
        if " \t\\'\"$&|;<>()*?[#`".contains(char) {
            text.push('\\');
        }
        text.push(char);
    }
    text
}

/// The names in `directory` that start with `prefix` (dot files only when it starts
/// with a dot).
fn names_in(directory: &Path, prefix: &str) -> Vec<String> {
    let Ok(entries) = fs::read_dir(directory) else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with(prefix) && (prefix.starts_with('.') || !name.starts_with('.')))
        .collect()
}

impl Completer<'_> {
    fn commands(&self, prefix: &str) -> Vec<String> {
        let mut names: Vec<String> =
            builtins::names().filter(|builtin| builtin.starts_with(prefix)).map(String::from).collect();
        for directory in self.path.unwrap_or(DEFAULT_PATH).split(':') {
            let directory = Path::new(if directory.is_empty() { "." } else { directory });
            names.extend(
                names_in(directory, prefix).into_iter().filter(|name| is_executable_file(&directory.join(name))),
            );
        }
        names
    }

    fn paths(&self, word: &str) -> Vec<String> {
        let (directory, prefix) = match word.rfind('/') {
            Some(slash) => word.split_at(slash + 1),
            None => ("", word),
        };
        let listed = match (directory.strip_prefix("~/"), self.home) {
            (Some(rest), Some(home)) => format!("{}/{rest}", home.trim_end_matches('/')),
            _ if directory.is_empty() => ".".into(),
            _ => directory.into(),
        };
        let listed = Path::new(&listed);
        names_in(listed, prefix)
            .into_iter()
            .map(|name| {
                let slash = if listed.join(&name).is_dir() { "/" } else { "" };
                format!("{directory}{name}{slash}")
            })
            .collect()
    }
}

impl Complete for Completer<'_> {
    fn complete(&mut self, line: &str, cursor: usize) -> (usize, Vec<String>) {
        let start = word_start(line, cursor);
        let word = unescape(&line[start..cursor]);
        let mut candidates = if is_command_position(line, start) && !word.contains('/') {
            self.commands(&word)
        } else {
            self.paths(&word)
        };
        candidates.sort();
        candidates.dedup();
        (start, candidates.iter().map(|candidate| escape(candidate)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;
    use std::path::PathBuf;

    /// A directory holding `bin/` with programs `echo`, `exit-code` and a
    /// non-executable `notes`, and `home/` with `my file`, `src/`, `.hidden`.
    fn tree(name: &str) -> PathBuf {
        let root = std::env::temp_dir().join(format!("sh-complete-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("bin")).unwrap();
        fs::create_dir_all(root.join("home/src")).unwrap();
        for (file, mode) in [("bin/echo", 0o755), ("bin/exit-code", 0o755), ("bin/notes", 0o644)] {
            fs::write(root.join(file), "").unwrap();
            fs::set_permissions(root.join(file), fs::Permissions::from_mode(mode)).unwrap();
        }
        fs::write(root.join("home/my file"), "").unwrap();
        fs::write(root.join("home/.hidden"), "").unwrap();
        root
    }

    fn complete(root: &Path, line: &str) -> (usize, Vec<String>) {
        let path = root.join("bin");
        let home = root.join("home");
        let mut completer = Completer { path: path.to_str(), home: home.to_str() };
        completer.complete(line, line.len())
    }

    #[test]
    fn words_start_after_blanks_and_operators() {
        assert_eq!(word_start("echo abc", 8), 5);
        assert_eq!(word_start("echo", 4), 0);
        assert_eq!(word_start("a|b", 3), 2);
        assert_eq!(word_start("cat <in", 7), 5);
        assert_eq!(word_start("ls my\\ fi", 9), 3);
        assert_eq!(word_start("echo ", 5), 5);
    }

    #[test]
    fn command_positions() {
        assert!(is_command_position("ech", 0));
        assert!(is_command_position("ls | gr", 5));
        assert!(is_command_position("a && b", 5));
        assert!(is_command_position("a; b", 3));
        assert!(!is_command_position("echo x", 5));
        assert!(!is_command_position("cat > f", 6));
        assert!(is_command_position("if true; then ec", 14));
        assert!(is_command_position("while ", 6));
        assert!(!is_command_position("for i in ", 9));
    }

    #[test]
    fn commands_come_from_builtins_and_path() {
        let root = tree("commands");
        assert_eq!(complete(&root, "ech"), (0, vec!["echo".to_string()]));
        assert_eq!(complete(&root, "ex"), (0, vec!["exec".into(), "exit".into(), "exit-code".into(), "export".into()]));
        assert_eq!(complete(&root, "no"), (0, vec![]), "not executable");
        assert_eq!(complete(&root, "ls | ec"), (5, vec!["echo".into()]));
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn other_words_are_paths() {
        let root = tree("paths");
        let home = root.join("home");
        let home = home.to_str().unwrap();
        let line = format!("cat {home}/m");
        assert_eq!(complete(&root, &line), (4, vec![format!("{home}/my\\ file")]));
        let line = format!("ls {home}/");
        assert_eq!(complete(&root, &line).1, [format!("{home}/my\\ file"), format!("{home}/src/")]);
        let line = format!("ls {home}/.h");
        assert_eq!(complete(&root, &line).1, [format!("{home}/.hidden")]);
        let line = format!("{home}/s");
        assert_eq!(complete(&root, &line).1, [format!("{home}/src/")], "a path in command position");
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn tilde_means_home() {
        let root = tree("tilde");
        assert_eq!(complete(&root, "ls ~/s"), (3, vec!["~/src/".to_string()]));
        assert_eq!(complete(&root, "ls ~/my\\ f"), (3, vec!["~/my\\ file".to_string()]));
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn escaping() {
        assert_eq!(escape("a b&c"), "a\\ b\\&c");
        assert_eq!(escape("plain-name.txt"), "plain-name.txt");
        assert_eq!(unescape("my\\ file\\"), "my file\\");
    }
}
