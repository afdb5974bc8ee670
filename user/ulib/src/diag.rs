//! Linux-style diagnostics on stderr, such as `cat: nosuch: No such file or directory`.
use std::fmt::Display;
use std::io::{self, Write};

/// The C library's text for an error ("No such file or directory"), without the
/// " (os error 2)" that std's `Display` appends.
pub fn error_text(err: &io::Error) -> String {
    let text = err.to_string();
    match err.raw_os_error() {
        Some(code) => match text.strip_suffix(&format!(" (os error {code})")) {
            Some(stripped) => stripped.to_owned(),
            None => text,
        },
        None => text,
    }
}

/// A file name as GNU's messages show it in quotes: `'a b'`; a name holding a single
/// quote is in double quotes when that is enough (`"it's"`), else `'it'\''s'`.
pub fn quoted(name: impl Display) -> String {
    let name = name.to_string();
    if !name.contains('\'') {
        return format!("'{name}'");
    }
    if !name.contains(['"', '$', '`', '\\']) {
        return format!("\"{name}\"");
    }
    format!("'{}'", name.replace('\'', "'\\''"))
}

/// A file name as GNU's messages show it where quotes are optional (`cat: nosuch: ...`):
/// bare when the shell would read it as one plain word, else `quoted`.
pub fn quoted_if_needed(name: impl Display) -> String {
    let name = name.to_string();
    let plain = |char: char| char.is_alphanumeric() || "%+,-./:=@_^".contains(char);
    if !name.is_empty() && name.chars().all(plain) { name } else { quoted(name) }
}

/// Prints `program: subject: error text` to stderr.
pub fn report_error(program: &str, subject: impl Display, err: &io::Error) {
    report(program, format_args!("{subject}: {}", error_text(err)));
}

/// Prints `program: message` to stderr. A failing stderr is ignored: there is nowhere
/// left to say so.
pub fn report(program: &str, message: impl Display) {
    let _ = writeln!(io::stderr(), "{program}: {message}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_errors_lose_the_code_suffix() {
        let err = io::Error::from_raw_os_error(libc::ENOENT);
        assert_eq!(error_text(&err), "No such file or directory");
        let err = io::Error::from_raw_os_error(libc::EISDIR);
        assert_eq!(error_text(&err), "Is a directory");
    }

    #[test]
    fn quoting_names() {
        assert_eq!(quoted("nosuch"), "'nosuch'");
        assert_eq!(quoted("it's"), "\"it's\"");
        assert_eq!(quoted("it's \"x\""), "'it'\\''s \"x\"'");
        assert_eq!(quoted_if_needed("dir/file-1.txt"), "dir/file-1.txt");
        assert_eq!(quoted_if_needed("a b"), "'a b'");
        assert_eq!(quoted_if_needed(""), "''");
        assert_eq!(quoted_if_needed("héllo"), "héllo");
    }

    #[test]
    fn other_errors_keep_their_text() {
        let err = io::Error::other("bad things");
        assert_eq!(error_text(&err), "bad things");
    }
}
