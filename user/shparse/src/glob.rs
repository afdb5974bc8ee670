//! Pathname expansion: a pattern's `/`-separated components matched (by
//! `ulib::glob`'s fnmatch: `*`, `?`, `[...]`, `\` escapes) against the names a
//! [`Dirs`] lists, so the file system stays outside.

/// Directory listings for [`glob`].
pub trait Dirs {
    /// The names in `dir` (a path ending in `/`, or `""` for the current
    /// directory), with `.` and `..` as readdir gives them; none when it cannot
    /// be read.
    fn entries(&self, dir: &str) -> Vec<String>;
    /// Whether `path` names something (a trailing `/` asks for a directory).
    fn exists(&self, path: &str) -> bool;
}

/// Whether `pattern` has an unescaped `*`, `?` or `[` opening a bracket
/// expression (a `]` follows), so that it is a pattern.
pub fn has_meta(pattern: &str) -> bool {
    let bytes = pattern.as_bytes();
    let mut escaped = false;
    for (index, &byte) in bytes.iter().enumerate() {
        match byte {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b'*' | b'?' => return true,
            b'[' => {
                let first = if matches!(bytes.get(index + 1), Some(b'!' | b'^')) { index + 2 } else { index + 1 };
                if bytes.get(first + 1..).is_some_and(|rest| rest.contains(&b']')) {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// `text` with its backslash escapes removed (a backslash ending it stays).
pub fn unescape(escaped: &str) -> String {
    let mut text = String::with_capacity(escaped.len());
    let mut chars = escaped.chars();
    while let Some(char) = chars.next() {
        text.push(if char == '\\' { chars.next().unwrap_or('\\') } else { char });
    }
    text
}

/// The paths `pattern` matches, sorted; none when nothing matches. Each `/`-separated
/// component with meta characters matches names in its directory; a name starting
/// with `.` matches only a component starting with `.`.
pub fn glob(pattern: &str, dirs: &impl Dirs) -> Vec<String> {
    let components: Vec<&str> = pattern.split('/').collect();
    let mut paths = vec![String::new()];
    let mut last_was_literal = true;
    for (index, component) in components.iter().enumerate() {
        let slash = if index + 1 < components.len() { "/" } else { "" };
        last_was_literal = !has_meta(component);
        if last_was_literal {
            let literal = unescape(component);
            for path in &mut paths {
                path.push_str(&literal);
                path.push_str(slash);
            }
            continue;
        }
        let dot_ok = component.starts_with('.');
        let mut next = Vec::new();
        for path in &paths {
            let mut names: Vec<String> = dirs
                .entries(path)
                .into_iter()
                .filter(|name| {
                    (dot_ok || !name.starts_with('.'))
                        && ulib::glob::matches(component.as_bytes(), name.as_bytes(), false)
                })
                .collect();
            names.sort();
            next.extend(names.into_iter().map(|name| format!("{path}{name}{slash}")));
        }
        paths = next;
    }
    if last_was_literal {
        paths.retain(|path| dirs.exists(path));
    }
    paths
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// A file system of the given paths (directories end in `/`), rooted at `/` and
    /// with `/home/` as the current directory.
    pub struct FakeDirs(pub BTreeSet<String>);

    impl FakeDirs {
        pub fn new(paths: &[&str]) -> Self {
            Self(paths.iter().map(|path| path.to_string()).collect())
        }

        fn absolute(path: &str) -> String {
            if path.starts_with('/') { path.into() } else { format!("/home/{path}") }
        }
    }

    impl Dirs for FakeDirs {
        fn entries(&self, dir: &str) -> Vec<String> {
            let dir = Self::absolute(dir);
            let names = self.0.iter().filter_map(|path| path.strip_prefix(&dir));
            names
                .filter(|rest| !rest.is_empty())
                .map(|rest| rest.trim_end_matches('/'))
                .filter(|rest| !rest.contains('/'))
                .map(String::from)
                .collect()
        }

        fn exists(&self, path: &str) -> bool {
            let path = Self::absolute(path);
            self.0.contains(&path) || self.0.contains(&format!("{path}/"))
        }
    }

    #[test]
    fn meta_detection_and_unescaping() {
        assert!(has_meta("*.rs"));
        assert!(has_meta("a?"));
        assert!(has_meta("[ab]"));
        assert!(!has_meta("plain"));
        assert!(!has_meta("\\*"));
        assert!(!has_meta("a\\?\\["));
        assert!(!has_meta("[") && !has_meta("[]") && !has_meta("a[!]") && has_meta("[]]") && has_meta("[!a]"));
        assert_eq!(unescape("a\\*b\\\\"), "a*b\\");
        assert_eq!(unescape("a\\"), "a\\");
    }

    fn fake() -> FakeDirs {
        FakeDirs::new(&[
            "/bin/",
            "/bin/ls",
            "/bin/sh",
            "/bin/sleep",
            "/home/",
            "/home/a.rs",
            "/home/b.rs",
            "/home/c.txt",
            "/home/.hidden.rs",
            "/home/src/",
            "/home/src/main.rs",
            "/home/src/lib.rs",
            "/home/tests/",
            "/home/tests/main.rs",
            "/home/*star",
        ])
    }

    #[test]
    fn glob_in_the_current_directory() {
        assert_eq!(glob("*.rs", &fake()), ["a.rs", "b.rs"]);
        assert_eq!(glob("?.*", &fake()), ["a.rs", "b.rs", "c.txt"]);
        assert_eq!(glob("*.none", &fake()), Vec::<String>::new());
    }

    #[test]
    fn glob_hides_dot_files_unless_asked() {
        assert_eq!(glob(".*.rs", &fake()), [".hidden.rs"]);
        assert!(!glob("*", &fake()).contains(&".hidden.rs".to_string()));
    }

    #[test]
    fn glob_absolute_paths() {
        assert_eq!(glob("/bin/s*", &fake()), ["/bin/sh", "/bin/sleep"]);
        assert_eq!(glob("/b?n/ls", &fake()), ["/bin/ls"]);
    }

    #[test]
    fn glob_several_levels() {
        assert_eq!(glob("*/main.rs", &fake()), ["src/main.rs", "tests/main.rs"]);
        assert_eq!(glob("*/*.rs", &fake()), ["src/lib.rs", "src/main.rs", "tests/main.rs"]);
        assert_eq!(glob("src/*", &fake()), ["src/lib.rs", "src/main.rs"]);
        assert_eq!(glob("*/", &fake()), ["src/", "tests/"]);
        assert_eq!(glob("*/lib.rs", &fake()), ["src/lib.rs"]);
    }

    #[test]
    fn glob_escaped_meta_is_literal() {
        assert_eq!(glob("\\**", &fake()), ["*star"]);
    }
}
