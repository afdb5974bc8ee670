//! The file tree: its root, inode numbering, path resolution (`lookup`, with Linux's
//! rules and errors) and the way back from a directory to its path (`path_of`, for
//! `getcwd`).

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;

use kabi::Errno;

use crate::inode::{Attributes, FileType, Inode, InodeRef};
use crate::path;

/// The inode number of the root directory.
pub const ROOT_INO: u64 = 1;

/// How many symbolic links one lookup follows before it fails with `ELOOP`
/// (Linux's `MAXSYMLINKS`).
pub const MAX_SYMLINKS: usize = 40;

/// The root's attributes until the archive says otherwise: `drwxr-xr-x root root`.
pub(crate) const DEFAULT_DIRECTORY_ATTRIBUTES: Attributes = Attributes { permissions: 0o755, uid: 0, gid: 0, mtime: 0 };

/// An in-memory file tree.
#[derive(Debug)]
pub struct Tree {
    root: InodeRef,
    next_ino: u64,
}

impl Tree {
    /// A tree holding only an empty root directory.
    pub(crate) fn new() -> Tree {
        Tree { root: Inode::new_root(ROOT_INO, DEFAULT_DIRECTORY_ATTRIBUTES), next_ino: ROOT_INO + 1 }
    }

    pub fn root(&self) -> &InodeRef {
        &self.root
    }

    /// A number no other inode of this tree has had.
    pub(crate) fn allocate_ino(&mut self) -> u64 {
        let ino = self.next_ino;
        self.next_ino += 1;
        ino
    }

    /// Resolves `path` as Linux does, relative to `cwd` unless it is absolute.
    ///
    /// `.` and `..` are resolved physically (after following a link to `/a/b`, `..` is
    /// `/a`; the root's `..` is the root); repeated slashes count as one. Symbolic links
    /// are followed in the middle of a path, and at its end when `follow_final_symlink`
    /// is set or the path ends in a slash; a relative target is resolved from the
    /// directory holding the link. A trailing slash requires a directory.
    ///
    /// Errors: `ENOENT` (an empty path, a missing name, a dangling or empty link),
    /// `ENOTDIR` (a non-directory followed by more path or a trailing slash),
    /// `ENAMETOOLONG` (a component over `NAME_MAX` bytes, a path of `PATH_MAX` or
    /// more), `ELOOP` (more than [`MAX_SYMLINKS`] links followed).
    pub fn lookup(&self, cwd: &InodeRef, path: &[u8], follow_final_symlink: bool) -> Result<InodeRef, Errno> {
        path::check_path(path)?;
        let mut current = if path::is_absolute(path) { self.root.clone() } else { cwd.clone() };
        // The path left to resolve: `remaining[position..]`. A followed link replaces it
        // with the link's target followed by what was left after the link.
        let mut remaining: Vec<u8> = path.to_vec();
        let mut position = 0;
        let mut symlinks_followed = 0;
        while let Some((name, rest)) = path::split_first_component(&remaining[position..]) {
            if current.file_type() != FileType::Directory {
                return Err(Errno::ENOTDIR);
            }
            let next = match name {
                b"." => current.clone(),
                b".." => current.parent()?,
                _ => {
                    path::check_name(name)?;
                    current.child(name)?
                }
            };
            let is_final = path::is_final(rest);
            let must_follow = !is_final || follow_final_symlink || !rest.is_empty();
            match next.read_link() {
                Ok(target) if must_follow => {
                    if symlinks_followed == MAX_SYMLINKS {
                        return Err(Errno::ELOOP);
                    }
                    symlinks_followed += 1;
                    if target.is_empty() {
                        return Err(Errno::ENOENT);
                    }
                    if path::is_absolute(target) {
                        current = self.root.clone();
                    }
                    let mut expanded = target.to_vec();
                    expanded.extend_from_slice(rest);
                    remaining = expanded;
                    position = 0;
                }
                _ => {
                    position = remaining.len() - rest.len();
                    current = next;
                }
            }
        }
        // Only slashes are left: after a name they ask for a directory.
        if position < remaining.len() && current.file_type() != FileType::Directory {
            return Err(Errno::ENOTDIR);
        }
        Ok(current)
    }

    /// The absolute path of `directory` in this tree, such as `/usr/bin` (for
    /// `getcwd`): the names linking it back to the root, as Linux's `getcwd` gives
    /// them whatever links led there. `ENOENT` once the directory is unlinked,
    /// `ENOTDIR` for a non-directory.
    pub fn path_of(&self, directory: &InodeRef) -> Result<Vec<u8>, Errno> {
        let mut names: Vec<Box<[u8]>> = Vec::new();
        let mut current = directory.clone();
        while !Arc::ptr_eq(&current, &self.root) {
            let parent = current.parent()?;
            names.push(parent.name_of(&current).ok_or(Errno::ENOENT)?);
            current = parent;
        }
        if names.is_empty() {
            return Ok(b"/".to_vec());
        }
        let mut path = Vec::new();
        for name in names.iter().rev() {
            path.push(b'/');
            path.extend_from_slice(name);
        }
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::path::{NAME_MAX, PATH_MAX};
    use crate::test_archive::Archive;

    /// /bin/sh, /etc/motd ("hello"), /usr/lib/libc (dir), /lib -> usr/lib,
    /// /abs -> /etc, /motd -> etc/motd, /dangling -> nowhere, /loop1 <-> /loop2.
    fn sample_tree() -> Tree {
        let archive = Archive::new()
            .directory("bin", 0o755)
            .file("bin/sh", 0o755, b"#!")
            .directory("etc", 0o755)
            .file("etc/motd", 0o644, b"hello")
            .directory("usr", 0o755)
            .directory("usr/lib", 0o755)
            .directory("usr/lib/libc", 0o755)
            .symlink("lib", "usr/lib")
            .symlink("abs", "/etc")
            .symlink("motd", "etc/motd")
            .symlink("dangling", "nowhere")
            .symlink("loop1", "loop2")
            .symlink("loop2", "loop1")
            .symlink("self", "./self/x")
            .finish();
        Tree::from_cpio(&archive).expect("valid archive")
    }

    fn find(tree: &Tree, path: &str) -> Result<InodeRef, Errno> {
        tree.lookup(tree.root(), path.as_bytes(), true)
    }

    fn path_of(tree: &Tree, path: &str) -> String {
        String::from_utf8(tree.path_of(&find(tree, path).unwrap()).unwrap()).unwrap()
    }

    fn same(a: &InodeRef, b: &InodeRef) -> bool {
        Arc::ptr_eq(a, b)
    }

    #[test]
    fn absolute_and_relative_paths() {
        let tree = sample_tree();
        let usr = find(&tree, "/usr").unwrap();
        let lib = find(&tree, "/usr/lib").unwrap();
        assert!(same(&tree.lookup(&usr, b"lib", true).unwrap(), &lib));
        assert!(same(&tree.lookup(&lib, b"/usr", true).unwrap(), &usr));
        assert!(same(&find(&tree, "/").unwrap(), tree.root()));
        assert!(same(&find(&tree, "///usr//lib/").unwrap(), &lib));
        assert!(same(&find(&tree, "usr/./lib/.").unwrap(), &lib));
    }

    #[test]
    fn dot_dot_goes_up_and_stops_at_the_root() {
        let tree = sample_tree();
        let usr = find(&tree, "/usr").unwrap();
        let lib = find(&tree, "/usr/lib").unwrap();
        assert!(same(&tree.lookup(&lib, b"..", true).unwrap(), &usr));
        assert!(same(&find(&tree, "/..").unwrap(), tree.root()));
        assert!(same(&find(&tree, "/../../etc/..").unwrap(), tree.root()));
        assert!(same(&tree.lookup(&lib, b"../../..", true).unwrap(), tree.root()));
    }

    #[test]
    fn missing_names_are_enoent() {
        let tree = sample_tree();
        assert_eq!(find(&tree, "/nope").unwrap_err(), Errno::ENOENT);
        assert_eq!(find(&tree, "/usr/nope/x").unwrap_err(), Errno::ENOENT);
        assert_eq!(find(&tree, "").unwrap_err(), Errno::ENOENT);
        assert_eq!(find(&tree, "nope/").unwrap_err(), Errno::ENOENT);
    }

    #[test]
    fn a_file_in_the_middle_or_before_a_trailing_slash_is_enotdir() {
        let tree = sample_tree();
        assert_eq!(find(&tree, "/etc/motd/x").unwrap_err(), Errno::ENOTDIR);
        assert_eq!(find(&tree, "/etc/motd/").unwrap_err(), Errno::ENOTDIR);
        assert_eq!(find(&tree, "/etc/motd/.").unwrap_err(), Errno::ENOTDIR);
        assert_eq!(find(&tree, "/etc/motd/..").unwrap_err(), Errno::ENOTDIR);
        assert_eq!(find(&tree, "/motd/").unwrap_err(), Errno::ENOTDIR, "through a link too");
        assert_eq!(tree.lookup(tree.root(), b"motd/", false).unwrap_err(), Errno::ENOTDIR);
        let motd = find(&tree, "/etc/motd").unwrap();
        assert_eq!(tree.lookup(&motd, b"x", true).unwrap_err(), Errno::ENOTDIR, "cwd not a directory");
        assert!(find(&tree, "/usr/lib//").is_ok());
    }

    #[test]
    fn overlong_names_and_paths_are_enametoolong() {
        let tree = sample_tree();
        let long_name = format!("/{}", "a".repeat(NAME_MAX + 1));
        assert_eq!(find(&tree, &long_name).unwrap_err(), Errno::ENAMETOOLONG);
        let longest_name = format!("/{}", "a".repeat(NAME_MAX));
        assert_eq!(find(&tree, &longest_name).unwrap_err(), Errno::ENOENT);
        let long_path = "/".repeat(PATH_MAX);
        assert_eq!(find(&tree, &long_path).unwrap_err(), Errno::ENAMETOOLONG);
        let longest_path = "/".repeat(PATH_MAX - 1);
        assert!(same(&find(&tree, &longest_path).unwrap(), tree.root()));
    }

    #[test]
    fn symlinks_are_followed() {
        let tree = sample_tree();
        let libc = find(&tree, "/usr/lib/libc").unwrap();
        let motd = find(&tree, "/etc/motd").unwrap();
        assert!(same(&find(&tree, "/lib/libc").unwrap(), &libc), "relative target");
        assert!(same(&find(&tree, "/abs/motd").unwrap(), &motd), "absolute target");
        assert!(same(&find(&tree, "/motd").unwrap(), &motd), "final link followed");
        let usr = find(&tree, "/usr").unwrap();
        assert!(same(&tree.lookup(&usr, b"../lib/libc", true).unwrap(), &libc));
    }

    #[test]
    fn final_symlinks_are_followed_only_when_asked_or_before_a_slash() {
        let tree = sample_tree();
        let link = tree.lookup(tree.root(), b"/lib", false).unwrap();
        assert_eq!(link.file_type(), FileType::Symlink);
        assert_eq!(link.read_link().unwrap(), b"usr/lib");
        let lib = find(&tree, "/usr/lib").unwrap();
        assert!(same(&tree.lookup(tree.root(), b"/lib/", false).unwrap(), &lib));
        assert!(same(&tree.lookup(tree.root(), b"/lib//", false).unwrap(), &lib));
        let dangling = tree.lookup(tree.root(), b"dangling", false).unwrap();
        assert_eq!(dangling.file_type(), FileType::Symlink);
        assert_eq!(find(&tree, "dangling").unwrap_err(), Errno::ENOENT);
    }

    #[test]
    fn dot_dot_after_a_symlink_is_physical() {
        let tree = sample_tree();
        // /lib -> usr/lib, so /lib/.. is /usr, not /.
        let usr = find(&tree, "/usr").unwrap();
        assert!(same(&find(&tree, "/lib/..").unwrap(), &usr));
        assert!(same(&find(&tree, "/lib/libc/../..").unwrap(), &usr));
        let lib = find(&tree, "/lib").unwrap();
        assert!(same(&tree.lookup(&lib, b"..", true).unwrap(), &usr));
    }

    #[test]
    fn symlink_loops_are_eloop() {
        let tree = sample_tree();
        assert_eq!(find(&tree, "/loop1").unwrap_err(), Errno::ELOOP);
        assert_eq!(find(&tree, "/loop1/x").unwrap_err(), Errno::ELOOP);
        assert_eq!(find(&tree, "/self").unwrap_err(), Errno::ELOOP);
        let link = tree.lookup(tree.root(), b"/loop1", false).unwrap();
        assert_eq!(link.read_link().unwrap(), b"loop2", "not followed, no loop");
    }

    #[test]
    fn forty_links_resolve_and_forty_one_are_eloop() {
        // chain/n -> n-1 ... -> 0 -> target.
        let mut archive = Archive::new().directory("chain", 0o755).file("chain/target", 0o644, b"end");
        archive = archive.symlink("chain/0", "target");
        for n in 1..=MAX_SYMLINKS {
            archive = archive.symlink(&format!("chain/{n}"), &format!("{}", n - 1));
        }
        let tree = Tree::from_cpio(&archive.finish()).unwrap();
        let target = find(&tree, "/chain/target").unwrap();
        let forty = format!("/chain/{}", MAX_SYMLINKS - 1);
        assert!(same(&find(&tree, &forty).unwrap(), &target));
        let forty_one = format!("/chain/{MAX_SYMLINKS}");
        assert_eq!(find(&tree, &forty_one).unwrap_err(), Errno::ELOOP);
    }

    #[test]
    fn empty_symlink_targets_are_enoent() {
        let archive = Archive::new().symlink("empty", "").finish();
        let tree = Tree::from_cpio(&archive).unwrap();
        assert_eq!(find(&tree, "/empty").unwrap_err(), Errno::ENOENT);
        assert_eq!(tree.lookup(tree.root(), b"/empty", false).unwrap().read_link().unwrap(), b"");
    }

    #[test]
    fn path_of_gives_the_physical_path() {
        let tree = sample_tree();
        assert_eq!(path_of(&tree, "/"), "/");
        assert_eq!(path_of(&tree, "/usr/lib/libc"), "/usr/lib/libc");
        assert_eq!(path_of(&tree, "/lib/libc"), "/usr/lib/libc");
        assert_eq!(path_of(&tree, "/abs"), "/etc");
        let motd = find(&tree, "/etc/motd").unwrap();
        assert_eq!(tree.path_of(&motd).unwrap_err(), Errno::ENOTDIR);
    }

    #[test]
    fn an_unlinked_directory_stays_usable_by_its_holder_but_has_no_path() {
        let tree = sample_tree();
        let lib = find(&tree, "/usr/lib").unwrap();
        let libc = find(&tree, "/usr/lib/libc").unwrap();
        assert_eq!((lib.metadata().nlink, libc.metadata().nlink), (3, 2));
        let file = Inode::new_regular(1000, DEFAULT_DIRECTORY_ATTRIBUTES, b"now a file".to_vec());
        lib.put_child(b"libc", file).unwrap();
        assert_eq!(lib.metadata().nlink, 2, "the old directory's `..` is gone");
        assert_eq!(libc.metadata().nlink, 0);
        assert_eq!(find(&tree, "/usr/lib/libc/").unwrap_err(), Errno::ENOTDIR);
        assert_eq!(libc.dir_entry_at(0).unwrap().unwrap().name, b".", "still lists");
        assert!(same(&tree.lookup(&libc, b"..", true).unwrap(), &lib));
        assert_eq!(tree.path_of(&libc).unwrap_err(), Errno::ENOENT);
    }
}
