//! Walking a directory tree for `find` and `grep -r`: depth first, each directory
//! before its contents, in the order the directory lists them, never following
//! symbolic links below the starting point.
use std::ffi::OsString;
use std::fs::{self, Metadata};
use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

/// What the walk found at one path.
pub struct Visit<'a> {
    pub path: &'a Path,
    /// How far below the starting point (0 for it).
    pub depth: usize,
    /// The file's metadata (lstat; stat for the starting point when following it), or
    /// why there is none.
    pub metadata: Result<&'a Metadata, &'a io::Error>,
    /// For a directory that could not be listed: why.
    pub unreadable: Option<&'a io::Error>,
}

/// `directory/name`, with one slash even when `directory` ends in one (`a/` gives
/// `a/x`, as find prints it).
pub fn child(directory: &Path, name: &OsString) -> PathBuf {
    let mut bytes = directory.as_os_str().as_bytes().to_vec();
    if !bytes.ends_with(b"/") {
        bytes.push(b'/');
    }
    bytes.extend_from_slice(name.as_bytes());
    PathBuf::from(OsString::from_vec(bytes))
}

/// Walks from `root`, at most `max_depth` levels down, calling `visit` for each
/// path; `visit` returns whether to go into a directory.
pub fn walk(root: &Path, follow_root: bool, max_depth: usize, visit: &mut dyn FnMut(&Visit) -> bool) {
    let metadata = if follow_root { fs::metadata(root) } else { fs::symlink_metadata(root) };
    walk_at(root, metadata, 0, max_depth, visit);
}

fn walk_at(
    path: &Path,
    metadata: io::Result<Metadata>,
    depth: usize,
    max_depth: usize,
    visit: &mut dyn FnMut(&Visit) -> bool,
) {
    let is_directory = metadata.as_ref().is_ok_and(Metadata::is_dir);
    let listing = if is_directory && depth < max_depth {
        Some(fs::read_dir(path).and_then(|entries| {
            entries.map(|entry| entry.map(|entry| entry.file_name())).collect::<io::Result<Vec<_>>>()
        }))
    } else {
        None
    };
    let unreadable = listing.as_ref().and_then(|listing| listing.as_ref().err());
    let descend = visit(&Visit { path, depth, metadata: metadata.as_ref(), unreadable });
    if let (true, Some(Ok(names))) = (descend, listing) {
        for name in names {
            let child = child(path, &name);
            let metadata = fs::symlink_metadata(&child);
            walk_at(&child, metadata, depth + 1, max_depth, visit);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn children_have_one_slash() {
        assert_eq!(child(Path::new("a"), &"x".into()), Path::new("a/x"));
        assert_eq!(child(Path::new("a/"), &"x".into()), PathBuf::from("a/x"));
        assert_eq!(child(Path::new("/"), &"x".into()), Path::new("/x"));
    }

    #[test]
    fn visits_parents_first_within_the_depth() {
        let base = std::env::temp_dir().join(format!("kbox-walk-{}", std::process::id()));
        fs::create_dir_all(base.join("a/b/c")).unwrap();
        fs::write(base.join("a/file"), b"").unwrap();
        symlink("/", base.join("a/root")).unwrap();
        let mut seen = Vec::new();
        walk(&base, false, usize::MAX, &mut |visit| {
            seen.push((visit.path.strip_prefix(&base).unwrap().to_path_buf(), visit.depth));
            true
        });
        let mut shallow = Vec::new();
        walk(&base, false, 1, &mut |visit| {
            shallow.push(visit.depth);
            true
        });
        fs::remove_dir_all(&base).unwrap();
        seen.sort();
        let expected = [("", 0), ("a", 1), ("a/b", 2), ("a/b/c", 3), ("a/file", 2), ("a/root", 2)];
        assert_eq!(seen, expected.map(|(path, depth)| (PathBuf::from(path), depth)));
        assert_eq!(shallow, [0, 1]);
    }
}
