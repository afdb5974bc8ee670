//! Prompts: how wide one is on the screen, and the backslash escapes and `!` of a
//! prompt string such as PS1 (bash's and busybox ash's common escapes, and POSIX's
//! `!`).
//!
//! [`decode`] understands `\u` (user name), `\h` (host name up to the first dot), `\H`
//! (host name), `\w` (the working directory, `~` for $HOME and below it), `\W` (its
//! last component), `\$` (`#` for root, else `$`), `\!` and `!` (the history number
//! of the next line), `!!` (a `!`), `\n`, `\r`, `\a`, `\e` (ESC), `\\`, and `\[` `\]`
//! (which mark escape sequences in bash; they are dropped, as escape sequences are
//! taken as zero wide anyway). Any other backslash stays as written.
use std::fmt::Write as _;

/// What a prompt's escapes stand for, asked only when a prompt uses them.
pub trait PromptFacts {
    fn user(&self) -> String;
    fn host(&self) -> String;
    /// The working directory, as `$PWD` says.
    fn directory(&self) -> String;
    fn home(&self) -> Option<String>;
    fn is_root(&self) -> bool;
    /// The number the next history line gets.
    fn history_number(&self) -> usize;
}

/// `text` quoted for double quotes: `$`, `` ` ``, `"` and `\` get a backslash.
fn quote_into(decoded: &mut String, text: &str) {
    for char in text.chars() {
        if matches!(char, '$' | '`' | '"' | '\\') {
            decoded.push('\\');
        }
        decoded.push(char);
    }
}

/// The directory for `\w`: `~` for `home` and `~/...` below it.
fn tilde_directory(directory: &str, home: Option<&str>) -> String {
    match home.map(|home| home.trim_end_matches('/')).filter(|home| !home.is_empty()) {
        Some(home) if directory == home => "~".into(),
        Some(home) if directory.strip_prefix(home).is_some_and(|rest| rest.starts_with('/')) => {
            format!("~{}", &directory[home.len()..])
        }
        _ => directory.into(),
    }
}

/// The last component for `\W`: `/` for the root, `~` for `home`.
fn last_component(directory: &str, home: Option<&str>) -> String {
    let trimmed = directory.trim_end_matches('/');
    if trimmed.is_empty() && directory.starts_with('/') {
        return "/".into();
    }
    if home.is_some_and(|home| home.trim_end_matches('/') == trimmed) {
        return "~".into();
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).into()
}

/// `prompt` with its escapes and `!` replaced, ready to be expanded as the inside of
/// a double-quoted word (for PS1's parameter expansion): the text an escape stands
/// for is quoted with backslashes, and so is every `"` of `prompt`, while `$`,
/// `` ` `` and `\` written in it (other than in an escape) are left to act.
pub fn decode(prompt: &str, facts: &impl PromptFacts) -> String {
    let mut decoded = String::with_capacity(prompt.len());
    let mut chars = prompt.chars().peekable();
    while let Some(char) = chars.next() {
        match char {
            '!' if chars.peek() == Some(&'!') => {
                chars.next();
                decoded.push('!');
            }
            '!' => {
                let _ = write!(decoded, "{}", facts.history_number());
            }
            '"' => decoded.push_str("\\\""),
            '\\' => {
                let Some(escape) = chars.next() else {
                    decoded.push('\\');
                    break;
                };
                match escape {
                    'u' => quote_into(&mut decoded, &facts.user()),
                    'h' => quote_into(&mut decoded, facts.host().split('.').next().unwrap_or_default()),
                    'H' => quote_into(&mut decoded, &facts.host()),
                    'w' => quote_into(&mut decoded, &tilde_directory(&facts.directory(), facts.home().as_deref())),
                    'W' => quote_into(&mut decoded, &last_component(&facts.directory(), facts.home().as_deref())),
                    '$' => decoded.push_str(if facts.is_root() { "#" } else { "\\$" }),
                    '!' => {
                        let _ = write!(decoded, "{}", facts.history_number());
                    }
                    'n' => decoded.push('\n'),
                    'r' => decoded.push('\r'),
                    'a' => decoded.push('\x07'),
                    'e' => decoded.push('\x1b'),
                    '\\' => decoded.push_str("\\\\"),
                    '[' | ']' => {}
                    other => {
                        decoded.push_str("\\\\");
                        quote_into(&mut decoded, other.encode_utf8(&mut [0; 4]));
                    }
                }
            }
            other => decoded.push(other),
        }
    }
    decoded
}

/// How many columns `text` takes: one per character, none for escape sequences
/// (`ESC [ ... final`, `ESC ] ... BEL` or `ESC ] ... ESC \`, `ESC` and one more
/// character) and other control characters.
pub fn display_width(text: &str) -> usize {
    let mut width = 0;
    let mut chars = text.chars();
    while let Some(char) = chars.next() {
        match char {
            '\x1b' => match chars.next() {
                Some('[') => {
                    chars.by_ref().find(|char| ('\x40'..='\x7e').contains(char));
                }
                Some(']') => {
                    let mut previous = '\0';
                    chars.by_ref().find(|&char| {
                        let end = char == '\x07' || (previous == '\x1b' && char == '\\');
                        previous = char;
                        end
                    });
                }
                _ => {}
            },
            char if char.is_control() => {}
            _ => width += 1,
        }
    }
    width
}

/// A prompt as the editor draws it: the lines before its last (written once, with
/// CR LF line ends, as the terminal may not be translating), and the last line,
/// which redraws repeat.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Prompt {
    pub before: String,
    pub last: String,
    pub width: usize,
}

impl Prompt {
    pub fn new(text: &str) -> Self {
        let (before, last) = match text.rfind('\n') {
            Some(newline) => text.split_at(newline + 1),
            None => ("", text),
        };
        let before = before.replace("\r\n", "\n").replace('\n', "\r\n");
        Self { before, last: last.into(), width: display_width(last) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Facts {
        directory: &'static str,
        root: bool,
    }

    impl PromptFacts for Facts {
        fn user(&self) -> String {
            "k".into()
        }
        fn host(&self) -> String {
            "kestrel.example".into()
        }
        fn directory(&self) -> String {
            self.directory.into()
        }
        fn home(&self) -> Option<String> {
            Some("/home/k/".into())
        }
        fn is_root(&self) -> bool {
            self.root
        }
        fn history_number(&self) -> usize {
            42
        }
    }

    fn decoded(prompt: &str, directory: &'static str) -> String {
        decode(prompt, &Facts { directory, root: false })
    }

    #[test]
    fn escapes() {
        assert_eq!(decoded("\\u@\\h:\\w\\$ ", "/home/k/src"), "k@kestrel:~/src\\$ ");
        assert_eq!(decode("\\$ ", &Facts { directory: "/", root: true }), "# ");
        assert_eq!(decoded("\\H", "/"), "kestrel.example");
        assert_eq!(decoded("\\w \\W", "/home/k"), "~ ~");
        assert_eq!(decoded("\\w \\W", "/home/kx"), "/home/kx kx");
        assert_eq!(decoded("\\w \\W", "/"), "/ /");
        assert_eq!(decoded("\\W", "/usr/bin/"), "bin");
        assert_eq!(decoded("a\\nb\\r\\a\\e[1m\\[\\e[0m\\]", "/"), "a\nb\r\x07\x1b[1m\x1b[0m");
    }

    #[test]
    fn history_numbers() {
        assert_eq!(decoded("! \\! !!", "/"), "42 42 !");
        assert_eq!(decoded("!!!", "/"), "!42");
    }

    #[test]
    fn the_result_is_ready_for_double_quotes() {
        assert_eq!(decoded("$PWD \"q\" \\\\ `x`", "/"), "$PWD \\\"q\\\" \\\\ `x`");
        assert_eq!(decoded("\\w", "/tmp/$x \"`\\"), "/tmp/\\$x \\\"\\`\\\\");
        assert_eq!(decoded("\\q\\\"", "/"), "\\\\q\\\\\\\"", "other escapes stay as written");
        assert_eq!(decoded("end\\", "/"), "end\\");
    }

    #[test]
    fn widths_leave_out_escape_sequences() {
        assert_eq!(display_width("$ "), 2);
        assert_eq!(display_width("\x1b[1;32m$\x1b[0m "), 2);
        assert_eq!(display_width("\x1b]0;title\x07$ "), 2);
        assert_eq!(display_width("\x1b]0;title\x1b\\$ "), 2);
        assert_eq!(display_width("é✓\x07"), 2);
        assert_eq!(display_width("\x1b"), 0);
    }

    #[test]
    fn prompts_split_at_their_last_line() {
        let prompt = Prompt::new("a\nb\r\n\x1b[1mc\x1b[0m> ");
        assert_eq!(prompt.before, "a\r\nb\r\n");
        assert_eq!(prompt.last, "\x1b[1mc\x1b[0m> ");
        assert_eq!(prompt.width, 3);
        assert_eq!(Prompt::new("$ "), Prompt { before: String::new(), last: "$ ".into(), width: 2 });
    }
}
