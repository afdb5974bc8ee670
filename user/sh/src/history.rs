//! The history file, `$HOME/.sh_history`: one line per command, read at start and
//! appended to as commands are entered (so it survives a killed shell). It is kept
//! only when $HOME is a writable directory; a file grown past twice the editor's
//! limit is cut back to the limit when read.
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use lineedit::HISTORY_LIMIT;

/// Where the history is kept for `home`, if it is a directory.
pub fn file(home: Option<&str>) -> Option<PathBuf> {
    let home = Path::new(home.filter(|home| !home.is_empty())?);
    home.is_dir().then(|| home.join(".sh_history"))
}

/// The lines in the history file (none if it cannot be read).
pub fn load(file: &Path) -> Vec<String> {
    let Ok(text) = fs::read_to_string(file) else {
        return Vec::new();
    };
    let lines: Vec<String> = text.lines().map(String::from).collect();
    if lines.len() <= 2 * HISTORY_LIMIT {
        return lines;
    }
    let kept = lines[lines.len() - HISTORY_LIMIT..].to_vec();
    let _ = fs::write(file, kept.iter().map(|line| format!("{line}\n")).collect::<String>());
    kept
}

/// Appends `line`; a directory that cannot be written to is left alone.
pub fn append(file: &Path, line: &str) {
    if let Ok(mut history) = OpenOptions::new().append(true).create(true).open(file) {
        let _ = writeln!(history, "{line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temporary_directory(name: &str) -> PathBuf {
        let directory = std::env::temp_dir().join(format!("sh-history-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&directory);
        fs::create_dir_all(&directory).unwrap();
        directory
    }

    #[test]
    fn only_a_home_directory_keeps_history() {
        let directory = temporary_directory("home");
        let home = directory.to_str().unwrap();
        assert_eq!(file(Some(home)), Some(directory.join(".sh_history")));
        assert_eq!(file(Some("")), None);
        assert_eq!(file(None), None);
        assert_eq!(file(Some("/nonexistent/home")), None);
        fs::remove_dir_all(directory).unwrap();
    }

    #[test]
    fn appended_lines_load_back() {
        let directory = temporary_directory("append");
        let history = directory.join(".sh_history");
        assert!(load(&history).is_empty());
        append(&history, "ls");
        append(&history, "echo 'a b'");
        assert_eq!(load(&history), ["ls", "echo 'a b'"]);
        fs::remove_dir_all(directory).unwrap();
    }

    #[test]
    fn long_files_are_cut_back() {
        let directory = temporary_directory("long");
        let history = directory.join(".sh_history");
        let text: String = (0..2 * HISTORY_LIMIT + 1).map(|n| format!("{n}\n")).collect();
        fs::write(&history, text).unwrap();
        let lines = load(&history);
        assert_eq!(lines.len(), HISTORY_LIMIT);
        assert_eq!(lines[0], (HISTORY_LIMIT + 1).to_string());
        assert_eq!(load(&history), lines);
        fs::remove_dir_all(directory).unwrap();
    }

    #[test]
    fn an_unwritable_place_is_left_alone() {
        append(Path::new("/nonexistent/dir/.sh_history"), "ls");
    }
}
