//! Finding the program a command names: a name holding `/` is a path as it stands;
//! any other is looked for in each directory of PATH (default /bin), in order.
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// The search path when PATH is unset.
pub const DEFAULT_PATH: &str = "/bin";

/// The program `name` runs, given PATH's value and a test for "is an executable
/// file"; `None` means "command not found". An empty PATH entry is the current
/// directory, as POSIX says.
pub fn find_program(name: &str, path: Option<&OsStr>, is_executable: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    if name.contains('/') {
        return Some(PathBuf::from(name));
    }
    if name.is_empty() {
        return None;
    }
    let path = path.unwrap_or(OsStr::new(DEFAULT_PATH));
    path.as_bytes()
        .split(|&byte| byte == b':')
        .map(|directory| match directory {
            b"" => Path::new("."),
            directory => Path::new(OsStr::from_bytes(directory)),
        })
        .map(|directory| directory.join(name))
        .find(|candidate| is_executable(candidate))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(name: &str, path: Option<&str>, executables: &[&str]) -> Option<PathBuf> {
        find_program(name, path.map(OsStr::new), |candidate| {
            executables.iter().any(|executable| candidate == Path::new(executable))
        })
    }

    #[test]
    fn default_path_is_bin() {
        assert_eq!(find("ls", None, &["/bin/ls"]), Some("/bin/ls".into()));
        assert_eq!(find("ls", None, &["/usr/bin/ls"]), None);
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
