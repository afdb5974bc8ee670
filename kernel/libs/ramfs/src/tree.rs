//! The file tree: its root, inode numbering and page store, path resolution (`lookup`,
//! `lookup_parent`: the `pathwalk` crate's, with Linux's rules and errors, over the
//! tree with the caller's search permission) and the way back from a directory to its
//! path (`path_of`, for `getcwd`).

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use core::sync::atomic::{AtomicU64, Ordering};

use kabi::Errno;
use pathwalk::{FinalName, FinalWalk, Kind, Namespace, Parent};
use spin::Mutex;

use crate::access::{Access, Credentials};
use crate::data::{PageAllocator, PageStore};
use crate::inode::{Attributes, FileType, Inode, InodeId, InodeRef};
use crate::time::Timestamp;

/// The inode number of the root directory.
pub const ROOT_INO: u64 = 1;

/// The root's attributes until the archive says otherwise: `drwxr-xr-x root root`.
pub(crate) const DEFAULT_DIRECTORY_ATTRIBUTES: Attributes = Attributes::new(0o755, 0, 0, Timestamp::from_secs(0));

/// An in-memory file tree: a tmpfs.
pub struct Tree {
    pub(crate) root: InodeRef,
    /// The device number every inode of the tree reports (`st_dev`).
    device: u64,
    next_ino: AtomicU64,
    /// Where file data comes from; counts the pages in use.
    pub(crate) store: Arc<PageStore>,
    /// Held by every operation that changes names (create, link, unlink, rename), so
    /// that each sees and changes the namespace as one step: Linux's directory locks
    /// and `s_vfs_rename_mutex` in one. Lookups do not take it.
    pub(crate) namespace: Mutex<()>,
}

impl fmt::Debug for Tree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tree").field("root", &self.root).field("pages_in_use", &self.pages_in_use()).finish()
    }
}

/// The final component of a path, as [`Tree::lookup_parent`] finds it (Linux's
/// `LAST_NORM`, `LAST_DOT`, `LAST_DOTDOT`, `LAST_ROOT`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LastComponent {
    Name(Vec<u8>),
    Dot,
    DotDot,
    /// The path was only slashes: the root itself.
    Root,
}

/// Where a path leads for creating, removing or renaming: the directory holding its
/// final component, and that component. Made by [`Tree::lookup_parent`].
#[derive(Debug, Clone)]
pub struct ParentPath {
    pub(crate) directory: InodeRef,
    pub(crate) last: LastComponent,
    pub(crate) trailing_slash: bool,
}

impl ParentPath {
    /// The owned form of where [`FinalWalk::parent`] stopped: `ENOENT` if its
    /// directory is gone.
    pub(crate) fn new(parent: Parent<'_, Node>) -> Result<ParentPath, Errno> {
        let last = match parent.last {
            FinalName::Name(name) => LastComponent::Name(name.to_vec()),
            FinalName::Dot => LastComponent::Dot,
            FinalName::DotDot => LastComponent::DotDot,
            FinalName::Root => LastComponent::Root,
        };
        Ok(ParentPath { directory: existing(parent.dir)?, last, trailing_slash: parent.trailing_slash })
    }

    /// The directory holding the final component.
    pub fn directory(&self) -> &InodeRef {
        &self.directory
    }

    pub fn last(&self) -> &LastComponent {
        &self.last
    }

    /// Whether slashes followed the final component (`a/b/`): it must then be, or
    /// become, a directory.
    pub fn has_trailing_slash(&self) -> bool {
        self.trailing_slash
    }
}

impl Tree {
    /// A tree holding only an empty root directory (`drwxr-xr-x root root`), whose
    /// files take their pages from `pages` and whose inodes are on `device`.
    pub fn new(pages: Arc<dyn PageAllocator>, device: u64) -> Tree {
        Tree {
            root: Inode::new_root(InodeId { device, ino: ROOT_INO }, DEFAULT_DIRECTORY_ATTRIBUTES),
            device,
            next_ino: AtomicU64::new(ROOT_INO + 1),
            store: PageStore::new(pages),
            namespace: Mutex::new(()),
        }
    }

    pub fn root(&self) -> &InodeRef {
        &self.root
    }

    pub fn device(&self) -> u64 {
        self.device
    }

    /// Pages of file data in use, by files with names and by unlinked files still open
    /// (for `statfs`).
    pub fn pages_in_use(&self) -> u64 {
        self.store.in_use()
    }

    /// At most `limit` pages of file data (a tmpfs's `size=`): a write that would
    /// need more fails with `ENOSPC`. Pages in use above a lowered limit stay.
    pub fn set_page_limit(&self, limit: u64) {
        self.store.set_limit(limit);
    }

    /// The most pages of file data the tree may hold (`u64::MAX` for no limit of
    /// its own).
    pub fn page_limit(&self) -> u64 {
        self.store.limit()
    }

    /// A number no other inode of this tree has had.
    pub(crate) fn allocate_ino(&self) -> InodeId {
        InodeId { device: self.device, ino: self.next_ino.fetch_add(1, Ordering::Relaxed) }
    }

    /// [`Tree::lookup_as`] for root, who may search every directory.
    pub fn lookup(&self, cwd: &InodeRef, path: &[u8], follow_final_symlink: bool) -> Result<InodeRef, Errno> {
        self.lookup_as(cwd, path, follow_final_symlink, &Credentials::ROOT)
    }

    /// Resolves `path` as Linux does, relative to `cwd` unless it is absolute, for a
    /// caller with `credentials` ([`pathwalk::resolve`]).
    ///
    /// `.` and `..` are resolved physically (after following a link to `/a/b`, `..` is
    /// `/a`; the root's `..` is the root); repeated slashes count as one. Symbolic links
    /// are followed in the middle of a path, and at its end when `follow_final_symlink`
    /// is set or the path ends in a slash; a relative target is resolved from the
    /// directory holding the link. A trailing slash requires a directory.
    ///
    /// Errors: `ENOENT` (an empty path, a missing name, a dangling or empty link, a
    /// name in a removed directory), `ENOTDIR` (a non-directory followed by more path
    /// or a trailing slash), `EACCES` (a directory on the way the caller may not
    /// search), `ENAMETOOLONG` (a component over `NAME_MAX` bytes, a path of `PATH_MAX`
    /// or more), `ELOOP` (more than [`MAX_SYMLINKS`](crate::MAX_SYMLINKS) links followed).
    pub fn lookup_as(
        &self,
        cwd: &InodeRef,
        path: &[u8],
        follow_final_symlink: bool,
        credentials: &Credentials<'_>,
    ) -> Result<InodeRef, Errno> {
        let names = Names { tree: self, credentials };
        existing(pathwalk::resolve(&names, &Some(cwd.clone()), path, follow_final_symlink)?)
    }

    /// The entry `name` of `directory`, not followed: one step of a walk whose
    /// caller has made the walk's checks (that `directory` is a directory it may
    /// search, not removed, and that `name` is a valid name other than `.` and
    /// `..`). `ENOTDIR` for a non-directory, `ENOENT` for a missing name.
    pub fn child(&self, directory: &InodeRef, name: &[u8]) -> Result<InodeRef, Errno> {
        debug_assert_eq!(directory.device(), self.device);
        directory.child(name)
    }

    /// Resolves all of `path` but its final component, which is not looked up (Linux's
    /// `filename_parentat`), for the calls that create, remove or rename it. Symbolic
    /// links on the way are followed; the final component may be anything, even
    /// missing. The caller must be able to search every directory on the way, the last
    /// one included (`EACCES`). Errors as [`Tree::lookup_as`]; a final name's length is
    /// checked by the call that uses it, as Linux does.
    pub fn lookup_parent(
        &self,
        cwd: &InodeRef,
        path: &[u8],
        credentials: &Credentials<'_>,
    ) -> Result<ParentPath, Errno> {
        let names = Names { tree: self, credentials };
        let mut walk = FinalWalk::new(&names, &Some(cwd.clone()), path)?;
        ParentPath::new(walk.parent()?)
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

/// The entry `name` of `directory`, if there is one: `ENOENT` in a removed directory,
/// `ENAMETOOLONG` for a name over `NAME_MAX` bytes (in that order, as Linux checks).
pub(crate) fn find_entry(directory: &InodeRef, name: &[u8]) -> Result<Option<InodeRef>, Errno> {
    if directory.is_dead() {
        return Err(Errno::ENOENT);
    }
    pathwalk::check_name(name)?;
    match directory.child(name) {
        Ok(child) => Ok(Some(child)),
        Err(Errno::ENOENT) => Ok(None),
        Err(error) => Err(error),
    }
}

/// The inode a node the walk ended at is: `ENOENT` for a directory that is gone.
pub(crate) fn existing(node: Node) -> Result<InodeRef, Errno> {
    node.ok_or(Errno::ENOENT)
}

/// A node of the tree as [`Names`] walks it: an inode, or `None` for the parent of a
/// removed directory that is itself gone (its `..` led nowhere), in which every lookup
/// is `ENOENT` and whose `..` is itself.
pub(crate) type Node = Option<InodeRef>;

/// The tree as [`pathwalk`] walks it, for a caller with `credentials`: search
/// permission is theirs (root may search any directory).
pub(crate) struct Names<'t, 'c> {
    pub(crate) tree: &'t Tree,
    pub(crate) credentials: &'t Credentials<'c>,
}

impl Namespace for Names<'_, '_> {
    type Node = Node;

    fn root(&self) -> Node {
        Some(self.tree.root.clone())
    }

    fn kind(&self, node: &Node) -> Kind {
        match node.as_ref().map(|inode| inode.file_type()) {
            None | Some(FileType::Directory) => Kind::Directory,
            Some(FileType::Symlink) => Kind::Symlink,
            Some(FileType::Regular | FileType::Socket | FileType::Fifo) => Kind::Other,
        }
    }

    fn child(&self, dir: &Node, name: &[u8]) -> Result<Node, Errno> {
        existing(dir.clone())?.child(name).map(Some)
    }

    fn parent(&self, dir: &Node) -> Node {
        dir.as_ref()?.parent().ok()
    }

    fn read_link(&self, link: &Node) -> Result<Vec<u8>, Errno> {
        Ok(existing(link.clone())?.read_link()?.to_vec())
    }

    fn may_search(&self, dir: &Node) -> bool {
        dir.as_ref().is_none_or(|inode| inode.may_access(self.credentials, Access::EXECUTE))
    }

    fn is_removed(&self, dir: &Node) -> bool {
        dir.as_ref().is_none_or(|inode| inode.is_dead())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_archive::{Archive, load};
    use pathwalk::{MAX_SYMLINKS, NAME_MAX, PATH_MAX};

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
        load(&archive).expect("valid archive")
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
        let tree = load(&archive.finish()).unwrap();
        let target = find(&tree, "/chain/target").unwrap();
        let forty = format!("/chain/{}", MAX_SYMLINKS - 1);
        assert!(same(&find(&tree, &forty).unwrap(), &target));
        let forty_one = format!("/chain/{MAX_SYMLINKS}");
        assert_eq!(find(&tree, &forty_one).unwrap_err(), Errno::ELOOP);
    }

    #[test]
    fn empty_symlink_targets_are_enoent() {
        let archive = Archive::new().symlink("empty", "").finish();
        let tree = load(&archive).unwrap();
        assert_eq!(find(&tree, "/empty").unwrap_err(), Errno::ENOENT);
        assert_eq!(tree.lookup(tree.root(), b"/empty", false).unwrap().read_link().unwrap(), b"");
    }

    #[test]
    fn lookup_parent_stops_before_the_final_component() {
        let tree = sample_tree();
        let parent = |path: &str| tree.lookup_parent(tree.root(), path.as_bytes(), &Credentials::ROOT);
        let usr = find(&tree, "/usr").unwrap();
        let lib = find(&tree, "/usr/lib").unwrap();
        let name = |name: &str| LastComponent::Name(name.as_bytes().to_vec());
        let check = |path: &str, directory: &InodeRef, last: LastComponent, trailing_slash: bool| {
            let at = parent(path).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert!(same(at.directory(), directory), "{path}");
            assert_eq!((at.last(), at.has_trailing_slash()), (&last, trailing_slash), "{path}");
        };
        check("/usr/lib", &usr, name("lib"), false);
        check("/usr//lib//", &usr, name("lib"), true);
        check("/lib/new", &lib, name("new"), false);
        check("/lib", tree.root(), name("lib"), false);
        check("/dangling", tree.root(), name("dangling"), false);
        check("usr/missing", &usr, name("missing"), false);
        check("/usr/.", &usr, LastComponent::Dot, false);
        check("/usr/../", &usr, LastComponent::DotDot, true);
        check("/", tree.root(), LastComponent::Root, false);
        check("///", tree.root(), LastComponent::Root, false);
        check("/abs/", tree.root(), name("abs"), true);
        assert_eq!(parent("/nope/x").unwrap_err(), Errno::ENOENT);
        assert_eq!(parent("/etc/motd/x").unwrap_err(), Errno::ENOTDIR);
        assert_eq!(parent("/loop1/x").unwrap_err(), Errno::ELOOP);
        assert_eq!(parent("/dangling/x").unwrap_err(), Errno::ENOENT);
        assert_eq!(parent("").unwrap_err(), Errno::ENOENT);
        let motd = find(&tree, "/etc/motd").unwrap();
        assert_eq!(tree.lookup_parent(&motd, b"x", &Credentials::ROOT).unwrap_err(), Errno::ENOTDIR);
    }

    #[test]
    fn every_directory_on_the_way_must_be_searchable() {
        let tree = sample_tree();
        let user = Credentials { uid: 1000, gid: 1000, groups: &[] };
        let lookup = |path: &str, follow| tree.lookup_as(tree.root(), path.as_bytes(), follow, &user);
        assert!(lookup("/usr/lib/libc", true).is_ok());
        find(&tree, "/usr/lib").unwrap().chmod(0o716, &Credentials::ROOT, Timestamp::from_secs(1)).unwrap();
        assert_eq!(lookup("/usr/lib/libc", true).unwrap_err(), Errno::EACCES);
        assert_eq!(lookup("/lib/libc", true).unwrap_err(), Errno::EACCES, "through a symlink too");
        assert_eq!(lookup("/usr/lib/..", true).unwrap_err(), Errno::EACCES);
        assert!(lookup("/usr/lib", true).is_ok(), "the directory itself may be reached");
        assert!(lookup("/lib", true).is_ok());
        assert!(tree.lookup(tree.root(), b"/usr/lib/libc", true).is_ok(), "root searches anything");
        let in_group = Credentials { uid: 1000, gid: 0, groups: &[] };
        assert!(tree.lookup_as(tree.root(), b"/usr/lib/libc", true, &in_group).is_ok(), "the group may search");
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
        let file = Inode::new_regular(tree.allocate_ino(), DEFAULT_DIRECTORY_ATTRIBUTES, tree.store.clone());
        lib.put_child(b"libc", file).unwrap();
        assert_eq!(lib.metadata().nlink, 2, "the old directory's `..` is gone");
        assert_eq!(libc.metadata().nlink, 0);
        assert_eq!(find(&tree, "/usr/lib/libc/").unwrap_err(), Errno::ENOTDIR);
        assert_eq!(libc.dir_entry_at(0), Err(Errno::ENOENT), "a removed directory lists nothing");
        assert!(same(&tree.lookup(&libc, b"..", true).unwrap(), &lib));
        assert_eq!(tree.path_of(&libc).unwrap_err(), Errno::ENOENT);
    }

    #[test]
    fn a_tree_has_its_device_and_page_limit() {
        let tree = Tree::new(crate::test_pages::HeapPages::unlimited(), 7);
        assert_eq!((tree.device(), tree.root().device(), tree.page_limit()), (7, 7, u64::MAX));
        let now = Timestamp::from_secs(1);
        let at = tree.lookup_parent(tree.root(), b"f", &Credentials::ROOT).unwrap();
        let file = tree.create(&at, FileType::Regular, 0o644, &Credentials::ROOT, now).unwrap();
        assert_eq!((file.device(), file.metadata().device), (7, 7));
        tree.set_page_limit(1);
        assert_eq!(file.write(0, &[1; 4096], now), Ok(4096));
        assert_eq!(file.write(4096, &[1], now), Err(Errno::ENOSPC), "a second page is over the limit");
        assert_eq!(tree.pages_in_use(), 1);
        file.truncate(0, now).unwrap();
        assert_eq!(file.write(0, &[1], now), Ok(1), "room again after a truncate");
    }
}
