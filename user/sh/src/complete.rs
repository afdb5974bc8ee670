//! Tab completion for the line editor: a word in command position completes to
//! builtins and programs on PATH, any other word (or one holding `/`) to paths, with
//! directories ending in `/`. The word is the one the cursor ends, found by reading
//! the line up to the cursor as the shell would (quotes, backslashes, operators); a
//! leading `~/` means $HOME; special characters in completed names get a backslash.
use std::fs;
use std::path::Path;

use lineedit::Complete;
use ulib::process::is_executable_file;

use crate::builtins;
use crate::lookup::DEFAULT_PATH;

/// What completion needs from the shell's variables.
#[derive(Debug)]
pub struct Completer<'a> {
    pub path: Option<&'a str>,
    pub home: Option<&'a str>,
}

/// The word the cursor ends, as completion sees it.
#[derive(Debug, PartialEq, Eq)]
struct Word {
    /// Where it starts in the line (its opening quote, if it has one).
    start: usize,
    /// Its text with the quoting taken off.
    text: String,
    /// Whether it is in command position.
    command: bool,
}

/// Reserved words after which a command comes.
const BEFORE_COMMAND: [&str; 9] = ["{", "!", "if", "then", "else", "elif", "while", "until", "do"];

fn is_operator(char: char) -> bool {
    matches!(char, '|' | '&' | ';' | '<' | '>' | '(' | ')' | '\n')
}

/// Whether a word right before `<` or `>` is the descriptor it redirects.
fn is_descriptor(word: &str, quoted: bool) -> bool {
    !quoted && !word.is_empty() && word.bytes().all(|byte| byte.is_ascii_digit())
}

/// Whether `word` (unquoted) is an assignment, `NAME=value`.
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| shparse::is_name(name))
}

/// Reading a line up to the cursor: where the words stand, and the word being read.
struct Reader {
    /// Whether the next word is in command position.
    command: bool,
    /// The next word is a redirection's target.
    redirect_target: bool,
    /// The word being read: where it starts, its unquoted text, and whether any of
    /// it was quoted (which makes it no reserved word or assignment).
    word: Option<(usize, String, bool)>,
}

impl Reader {
    fn word(&mut self, index: usize, quoted: bool) -> &mut String {
        let word = self.word.get_or_insert_with(|| (index, String::new(), false));
        word.2 |= quoted;
        &mut word.1
    }

    /// A blank or an operator ends the word being read.
    fn end_word(&mut self) {
        let Some((_, text, quoted)) = self.word.take() else {
            return;
        };
        if self.redirect_target {
            self.redirect_target = false;
        } else if self.command {
            self.command = !quoted && (BEFORE_COMMAND.contains(&text.as_str()) || is_assignment(&text));
        }
    }
}

/// Reads `line` up to `cursor` into words and operators, following whether the
/// next word is in command position: at the start, after `;`, `&`, `|`, `&&`, `||`,
/// `(` or a newline, and after a reserved word that a command follows or an
/// assignment that stands there; a redirection's target leaves it as it was.
fn word_at(line: &str, cursor: usize) -> Word {
    let mut reader = Reader { command: true, redirect_target: false, word: None };
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut previous: Option<char> = None;
    for (index, char) in line[..cursor].char_indices() {
        if escaped {
            escaped = false;
            if quote == Some('"') && !matches!(char, '$' | '`' | '"' | '\\' | '\n') {
                reader.word(index, true).push('\\');
            }
            reader.word(index, true).push(char);
            continue;
        }
        match (quote, char) {
            (Some('\''), '\'') | (Some('"'), '"') => quote = None,
            (Some('"'), '\\') => escaped = true,
            (Some(_), char) => reader.word(index, true).push(char),
            (None, '\\') => {
                reader.word(index, true);
                escaped = true;
            }
            (None, '\'' | '"') => {
                reader.word(index, true);
                quote = Some(char);
            }
            (None, ' ' | '\t') => reader.end_word(),
            (None, '<' | '>') if reader.word.as_ref().is_some_and(|(_, text, quoted)| is_descriptor(text, *quoted)) => {
                reader.word = None;
                reader.redirect_target = true;
            }
            (None, char) if is_operator(char) => {
                reader.end_word();
                let redirect_part = matches!(previous, Some('<' | '>')) && matches!(char, '&' | '|' | '>' | '<');
                match char {
                    _ if redirect_part => {}
                    '<' | '>' => reader.redirect_target = true,
                    ')' => reader.command = false,
                    _ => reader.command = true,
                }
            }
            (None, char) => reader.word(index, false).push(char),
        }
        previous = Some(char).filter(|&char| quote.is_none() && is_operator(char));
    }
    let command = reader.command && !reader.redirect_target;
    match reader.word {
        Some((start, text, _)) => Word { start, text, command },
        None => Word { start: cursor, text: String::new(), command },
    }
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
        let word = word_at(line, cursor);
        let mut candidates =
            if word.command && !word.text.contains('/') { self.commands(&word.text) } else { self.paths(&word.text) };
        candidates.sort();
        candidates.dedup();
        (word.start, candidates.iter().map(|candidate| escape(candidate)).collect())
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

    fn word(line: &str) -> (usize, String, bool) {
        let word = word_at(line, line.len());
        (word.start, word.text, word.command)
    }

    fn at(start: usize, text: &str, command: bool) -> (usize, String, bool) {
        (start, text.into(), command)
    }

    #[test]
    fn words_start_after_blanks_and_operators() {
        assert_eq!(word("echo abc"), at(5, "abc", false));
        assert_eq!(word("echo"), at(0, "echo", true));
        assert_eq!(word("a|b"), at(2, "b", true));
        assert_eq!(word("cat <in"), at(5, "in", false));
        assert_eq!(word("echo "), at(5, "", false));
        assert_eq!(word(""), at(0, "", true));
        assert_eq!(
            word_at("echo abc def", 7),
            Word { start: 5, text: "ab".into(), command: false },
            "up to the cursor"
        );
    }

    #[test]
    fn quoting_is_taken_off() {
        assert_eq!(word("ls my\\ fi"), at(3, "my fi", false));
        assert_eq!(word("cat 'my f"), at(4, "my f", false));
        assert_eq!(word("cat \"a;b\"c"), at(4, "a;bc", false));
        assert_eq!(word("cat \"a\\b\\$"), at(4, "a\\b$", false));
        assert_eq!(word("echo 'a|b' ec"), at(11, "ec", false), "a quoted | is no pipe");
    }

    #[test]
    fn command_positions() {
        for line in [
            "ech",
            "ls | gr",
            "a && b",
            "a || b",
            "a; b",
            "a & b",
            "(ec",
            "{ ec",
            "if ec",
            "if true; then ec",
            "while ec",
            "until ec",
            "for i in 1; do ec",
            "if a; then b; else ec",
            "if a; then b; elif ec",
            "! ec",
            "X=1 ec",
            "> out ec",
            "2>/dev/null ec",
            "echo $(ec",
            "a\nb",
            "if ! ec",
            "a;ec",
        ] {
            assert!(word(line).2, "{line:?}");
        }
        for line in [
            "echo x",
            "cat > f",
            "echo if ec",
            "for i in ec",
            "ls 2>&1 ec",
            "ls >&2 x",
            "(a) ec",
            "'if' ec",
            "\\! ec",
            "case x in ec",
            "a=1=b ec c",
        ] {
            assert!(!word(line).2, "{line:?}");
        }
    }

    #[test]
    fn commands_come_from_builtins_and_path() {
        let root = tree("commands");
        assert_eq!(complete(&root, "ech"), (0, vec!["echo".to_string()]));
        assert_eq!(complete(&root, "ex"), (0, vec!["exec".into(), "exit".into(), "exit-code".into(), "export".into()]));
        assert_eq!(complete(&root, "no"), (0, vec![]), "not executable");
        assert_eq!(complete(&root, "ls | ec"), (5, vec!["echo".into()]));
        assert_eq!(complete(&root, "for x in a; do ec"), (15, vec!["echo".into()]));
        assert_eq!(complete(&root, "if true; then ech"), (14, vec!["echo".into()]));
        assert_eq!(complete(&root, "echo if ech"), (8, vec![]), "an argument, not a command");
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
        let line = format!("cat \"{home}/my f");
        assert_eq!(complete(&root, &line), (4, vec![format!("{home}/my\\ file")]), "the quote is replaced");
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
    }
}
