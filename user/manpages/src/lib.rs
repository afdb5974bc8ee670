//! The manual pages: plain-text files, one per command, kept in the repository's
//! docs/man/ and installed at /usr/share/man/NAME. A page's first line is
//! `NAME - one-line summary`; then sections (SYNOPSIS, DESCRIPTION, ...) with their
//! headings in capitals at the left margin and their text indented. `man` shows
//! pages, the shell's `help` lists every command with its summary.
use std::io;
use std::path::{Path, PathBuf};

/// Where the image keeps the pages.
pub const DIR: &str = "/usr/share/man";

/// The folders to look in: $MANPATH's (separated by `:`) when it is set, as man-db
/// does, else `DIR`.
pub fn folders() -> Vec<PathBuf> {
    match std::env::var_os("MANPATH") {
        Some(path) if !path.is_empty() => std::env::split_paths(&path).collect(),
        _ => vec![PathBuf::from(DIR)],
    }
}

/// The page for `name` in the first of `dirs` that has one.
pub fn find(dirs: &[PathBuf], name: &str) -> io::Result<String> {
    let mut last = io::Error::from(io::ErrorKind::NotFound);
    for dir in dirs {
        match read(dir, name) {
            Ok(page) => return Ok(page),
            Err(err) => last = err,
        }
    }
    Err(last)
}

/// The pages of all `dirs` (an earlier folder's page hides a later one's), sorted;
/// folders that cannot be read are left out.
pub fn index_all(dirs: &[PathBuf]) -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = Vec::new();
    for dir in dirs {
        for page in index(dir).unwrap_or_default() {
            if !pages.iter().any(|(name, _)| *name == page.0) {
                pages.push(page);
            }
        }
    }
    pages.sort();
    pages
}

/// The summary on `page`'s first line, if it is `name - summary`.
pub fn summary<'a>(name: &str, page: &'a str) -> Option<&'a str> {
    let first = page.lines().next()?;
    let rest = first.strip_prefix(name)?.strip_prefix(" - ")?;
    (!rest.trim().is_empty()).then_some(rest.trim())
}

/// Whether `name` can name a page: not empty, no `/`, not `.` or `..` (so that
/// `man ../../etc/shadow` reads nothing outside the folder).
pub fn valid_name(name: &str) -> bool {
    !name.is_empty() && !name.contains('/') && name != "." && name != ".."
}

/// The file that holds `name`'s page: the name itself, but `dot` for the builtin
/// `.` (no file can be called that).
pub fn file_name(name: &str) -> &str {
    if name == "." { "dot" } else { name }
}

/// The command a page's file is for: `file_name` reversed.
pub fn command_name(file: &str) -> &str {
    if file == "dot" { "." } else { file }
}

/// The page for `name` in `dir`.
pub fn read(dir: &Path, name: &str) -> io::Result<String> {
    if name != "." && !valid_name(name) {
        return Err(io::Error::from(io::ErrorKind::NotFound));
    }
    let bytes = std::fs::read(dir.join(file_name(name)))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Every page in `dir` as (name, summary), sorted by name; a page without a proper
/// first line has an empty summary.
pub fn index(dir: &Path) -> io::Result<Vec<(String, String)>> {
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let file = entry.file_name().to_string_lossy().into_owned();
        let name = command_name(&file).to_string();
        let text = read(dir, &name).unwrap_or_default();
        let summary = summary(&name, &text).unwrap_or_default().to_string();
        pages.push((name, summary));
    }
    pages.sort();
    Ok(pages)
}

/// The pages whose name or summary contains `keyword`, ignoring case (`man -k`).
pub fn search<'a>(pages: &'a [(String, String)], keyword: &str) -> Vec<&'a (String, String)> {
    let keyword = keyword.to_lowercase();
    pages
        .iter()
        .filter(|(name, summary)| name.to_lowercase().contains(&keyword) || summary.to_lowercase().contains(&keyword))
        .collect()
}

/// One line per command, `name` padded to a column, then its summary:
/// `ls         - list directory contents`.
pub fn listing<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let entries: Vec<(&str, &str)> = entries.into_iter().collect();
    let width = entries.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
    entries
        .iter()
        .map(
            |(name, summary)| {
                if summary.is_empty() { format!("{name}\n") } else { format!("{name:width$} - {summary}\n") }
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_come_from_the_first_line() {
        assert_eq!(summary("ls", "ls - list directory contents\n\nSYNOPSIS\n"), Some("list directory contents"));
        assert_eq!(summary("ls", "lsblk - list block devices\n"), None);
        assert_eq!(summary("ls", "ls -\n"), None);
        assert_eq!(summary("ls", ""), None);
        assert_eq!(summary("[", "[ - check file types\n"), Some("check file types"));
    }

    #[test]
    fn names_cannot_leave_the_folder() {
        assert!(valid_name("ls") && valid_name("[") && valid_name("md5sum"));
        for name in ["", ".", "..", "../etc/shadow", "a/b", "/etc/passwd"] {
            assert!(!valid_name(name), "{name}");
        }
    }

    #[test]
    fn pages_are_read_indexed_and_searched() {
        let dir = std::env::temp_dir().join(format!("manpages-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("ls"), "ls - list directory contents\n\nSYNOPSIS\n    ls\n").unwrap();
        std::fs::write(dir.join("cat"), "cat - concatenate files\n").unwrap();
        std::fs::write(dir.join("odd"), "no summary here\n").unwrap();
        assert!(read(&dir, "ls").unwrap().contains("SYNOPSIS"));
        assert!(read(&dir, "../ls").is_err() && read(&dir, "nothing").is_err());
        let pages = index(&dir).unwrap();
        let names: Vec<&str> = pages.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["cat", "ls", "odd"]);
        assert_eq!(pages[2].1, "");
        std::fs::write(dir.join("dot"), ". - run a file's commands in this shell\n").unwrap();
        assert_eq!(index(&dir).unwrap()[0], (".".to_string(), "run a file's commands in this shell".to_string()));
        assert!(read(&dir, ".").unwrap().starts_with(". - "));
        let found: Vec<&str> = search(&pages, "DIRECTORY").iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(found, ["ls"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn listings_line_up() {
        assert_eq!(
            listing([("ls", "list"), ("mkdir", "make directories"), ("x", "")]),
            "ls    - list\nmkdir - make directories\nx\n"
        );
    }
}
