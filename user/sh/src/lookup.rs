//! Finding the program a command names: a name holding `/` is a path as it stands;
//! any other is looked for in each directory of PATH (default
//! /bin:/sbin:/usr/bin:/usr/sbin: Kestrel's programs before Debian's), in order,
//! through `ulib::process::path_candidates`.
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use ulib::process::path_candidates;

/// The search path when PATH is unset.
pub const DEFAULT_PATH: &str = "/bin:/sbin:/usr/bin:/usr/sbin";

/// The program `name` runs, given PATH's value and a test for "is an executable
/// file"; `None` means "command not found". An empty PATH entry is the current
/// directory, as POSIX says.
pub fn find_program(name: &str, path: Option<&str>, is_executable: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    if name.contains('/') {
        return Some(PathBuf::from(name));
    }
    if name.is_empty() {
        return None;
    }
    let path = OsStr::new(path.unwrap_or(DEFAULT_PATH));
    path_candidates(OsStr::new(name), Some(path)).into_iter().find(|candidate| is_executable(candidate))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(name: &str, path: Option<&str>, executables: &[&str]) -> Option<PathBuf> {
        find_program(name, path, |candidate| executables.iter().any(|executable| candidate == Path::new(executable)))
    }

    #[test]
    fn default_path_is_kestrels_folders_then_debians() {
        assert_eq!(find("ls", None, &["/bin/ls"]), Some("/bin/ls".into()));
        assert_eq!(find("init", None, &["/sbin/init"]), Some("/sbin/init".into()));
        assert_eq!(find("ls", None, &["/usr/bin/ls", "/bin/ls"]), Some("/bin/ls".into()));
        assert_eq!(find("gawk", None, &["/usr/bin/gawk"]), Some("/usr/bin/gawk".into()));
        assert_eq!(find("ls", None, &["/usr/local/bin/ls"]), None);
    }

    #[test]
    fn first_match_in_path_order() {
        let path = Some("/usr/bin:/bin");
        assert_eq!(find("ls", path, &["/bin/ls", "/usr/bin/ls"]), Some("/usr/bin/ls".into()));
        assert_eq!(find("sh", path, &["/bin/sh"]), Some("/bin/sh".into()));
    }

    #[test]
    fn empty_entry_is_the_current_directory() {
        assert_eq!(find("tool", Some("/bin::"), &["./tool"]), Some("./tool".into()));
    }

    #[test]
    fn names_with_a_slash_are_paths() {
        assert_eq!(find("./prog", None, &[]), Some("./prog".into()));
        assert_eq!(find("/sbin/init", None, &[]), Some("/sbin/init".into()));
    }

    #[test]
    fn not_found() {
        assert_eq!(find("nosuch", Some("/bin:/sbin"), &["/bin/ls"]), None);
        assert_eq!(find("", None, &["/bin/"]), None);
    }
}
