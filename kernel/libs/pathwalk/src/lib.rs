//! `pathwalk`: Linux's path resolution over any file-system namespace, so the VFS can
//! walk across mount points (a tmpfs root, devfs at `/dev`, procfs at `/proc`) with one
//! implementation of the rules.
//!
//! - [`Namespace`] is what a namespace provides: its root, each node's [`Kind`], the
//!   entries of directories, physical parents (where mount points are handled), link
//!   targets and search permission.
//! - [`resolve`] turns a path into a node, as `stat`, `open` or `chdir` need.
//! - [`resolve_parent`] stops before the final component and returns it unresolved
//!   ([`Parent`], [`FinalName`]), as `mkdir`, `unlink`, `rmdir`, `rename`, `symlink`
//!   and `link` need.
//! - [`FinalWalk`] stops there too but lets the caller look up (or create) the final
//!   component and then follow a link found there, as `open` needs.
//! - [`check_path`] and [`check_name`] are the limits on path texts and names.
//!
//! Both follow Linux (`fs/namei.c`): an empty path is `ENOENT`; a path starts at the
//! root when it begins with `/` and at `cwd` otherwise; repeated slashes count as one;
//! `.` stays and `..` goes to the physical parent (after following a link to `/a/b`,
//! `..` is `/a`; the root's `..` is the root); symbolic links are followed in the middle
//! of a path, and at its end when asked or when the path ends in a slash; a relative
//! link target is resolved from the directory holding the link, an absolute one from the
//! root. Errors:
//!
//! - `ENOENT`: an empty path, a missing entry, a dangling link, an empty link target,
//!   a name looked up in a removed directory ([`Namespace::is_removed`]);
//! - `ENOTDIR`: a non-directory followed by more components or by a trailing slash;
//! - `ENAMETOOLONG`: a component longer than [`NAME_MAX`] bytes, a path of [`PATH_MAX`]
//!   bytes or more;
//! - `ELOOP`: more than [`MAX_SYMLINKS`] links followed in one resolution (all links
//!   count, nested or one after another, as Linux's `MAXSYMLINKS`);
//! - `EACCES`: a directory without search permission that a component is looked up in.
//!
//! Links are followed iteratively (an explicit stack of pending path texts, at most
//! [`MAX_SYMLINKS`] deep), never by recursion on the Rust stack.
#![cfg_attr(not(test), no_std)]

extern crate alloc;

mod walk;

#[cfg(any(test, feature = "test-support"))]
pub mod testing;
#[cfg(test)]
mod tests;

use alloc::vec::Vec;

use kabi::Errno;

use walk::{Last, Walker};

/// The longest name of one directory entry, in bytes (Linux's `NAME_MAX`).
pub const NAME_MAX: usize = 255;

/// Linux's `PATH_MAX`: the size of the longest path including its terminating NUL, so
/// a path must be shorter than this.
pub const PATH_MAX: usize = 4096;

/// How many symbolic links one resolution follows before failing with `ELOOP`
/// (Linux's `MAXSYMLINKS`).
pub const MAX_SYMLINKS: usize = 40;

/// What a node is, as far as path resolution cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A directory: components can be looked up in it.
    Directory,
    /// A symbolic link: resolution may follow its target.
    Symlink,
    /// Anything else (regular file, device, FIFO, socket...).
    Other,
}

/// A file-system namespace that paths can be resolved in: one tree of nodes, which may
/// span several file systems.
///
/// Mount points are the implementor's business: [`child`](Namespace::child) of a
/// mount point's parent returns the mounted root, and [`parent`](Namespace::parent) of
/// a mounted root returns the mount point's parent, so the walk crosses mounts without
/// knowing about them.
///
/// The resolver keeps to this contract, which implementations may rely on:
/// `child`, `parent` and `may_search` are only called on nodes whose `kind` is
/// [`Kind::Directory`], and `read_link` only on [`Kind::Symlink`] nodes.
pub trait Namespace {
    /// A handle to a node (an inode reference, an index...). Cloned freely while
    /// walking, so it should be cheap to clone.
    type Node: Clone;

    /// The root directory, where absolute paths and absolute link targets start (the
    /// process's root; a `chroot` would give its own).
    fn root(&self) -> Self::Node;

    /// What `node` is.
    fn kind(&self, node: &Self::Node) -> Kind;

    /// The entry `name` of the directory `dir`, or `ENOENT` when it has none (or
    /// another errno the file system reports).
    ///
    /// `name` is never empty, `.` or `..`, never holds a `/` and is at most
    /// [`NAME_MAX`] bytes long.
    fn child(&self, dir: &Self::Node, name: &[u8]) -> Result<Self::Node, Errno>;

    /// The physical parent of the directory `dir`: the target of its `..`. The root's
    /// parent must be the root itself.
    fn parent(&self, dir: &Self::Node) -> Self::Node;

    /// The target of the symbolic link `link`, as stored (not resolved).
    fn read_link(&self, link: &Self::Node) -> Result<Vec<u8>, Errno>;

    /// Whether the caller may search the directory `dir` (its `x` permission): look up
    /// entries in it or go to its parent. When false, the walk fails with `EACCES`.
    fn may_search(&self, dir: &Self::Node) -> bool;

    /// Whether the directory `dir` was removed (Linux's `IS_DEADDIR`): a name looked up
    /// in it is then `ENOENT`, before its length is checked (Linux checks for a removed
    /// directory before it asks the file system, whose lookup checks the length). `.`
    /// and `..` still resolve. None by default.
    fn is_removed(&self, dir: &Self::Node) -> bool {
        let _ = dir;
        false
    }
}

/// Resolves `path` as Linux does and returns the node it names.
///
/// A relative path starts at `cwd`; an absolute one at [`Namespace::root`]. A final
/// symbolic link is followed when `follow_final` is set (`stat`, `open` without
/// `O_NOFOLLOW`) and returned itself otherwise (`lstat`), except that a trailing slash
/// always follows it and requires the result to be a directory (`ENOTDIR` otherwise),
/// as Linux's `LOOKUP_FOLLOW | LOOKUP_DIRECTORY`.
///
/// Errors: see the [crate] documentation.
pub fn resolve<N: Namespace>(ns: &N, cwd: &N::Node, path: &[u8], follow_final: bool) -> Result<N::Node, Errno> {
    check_path(path)?;
    let mut walker = Walker::new(ns, cwd, path);
    let mut follow = follow_final;
    let mut must_be_directory = false;
    // Each turn handles a final component; a followed final link starts another.
    while let Last::Component { name, trailing_slash } = walker.walk_to_last()? {
        if trailing_slash {
            // Sticky, as in Linux: `link/` with `link -> other` and `other -> file`
            // follows both links and then fails.
            follow = true;
            must_be_directory = true;
        }
        let next = walk::step(ns, walker.current(), walker.final_text(name))?;
        if follow && ns.kind(&next) == Kind::Symlink {
            walker.follow_final_link(&next)?;
        } else {
            walker.set_current(next);
            break;
        }
    }
    let node = walker.into_current();
    if must_be_directory && ns.kind(&node) != Kind::Directory {
        return Err(Errno::ENOTDIR);
    }
    Ok(node)
}

/// The final component of a path given to [`resolve_parent`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinalName<'p> {
    /// An ordinary name (a slice of the path): at most [`NAME_MAX`] bytes, without `/`,
    /// neither `.` nor `..`. It may or may not exist in the parent.
    Name(&'p [u8]),
    /// `.`: the path names the parent directory itself (`rmdir(".")` is `EINVAL`,
    /// `unlink(".")` is `EISDIR`, `mkdir(".")` is `EEXIST`, `rename` is `EBUSY`).
    Dot,
    /// `..`: the path names the parent's parent (`rmdir("..")` is `ENOTEMPTY`,
    /// `rename` is `EBUSY`).
    DotDot,
    /// The path is all slashes: it names the root (`mkdir("/")` is `EEXIST`,
    /// `rmdir("/")` is `EBUSY`).
    Root,
}

/// Where the final component of a path lives: what [`resolve_parent`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parent<'p, Node> {
    /// The directory the final component is (or would be) an entry of. For
    /// [`FinalName::Root`] it is the root, for [`FinalName::Dot`] and
    /// [`FinalName::DotDot`] the directory holding that `.` or `..`.
    pub dir: Node,
    /// The final component, unresolved.
    pub last: FinalName<'p>,
    /// Whether slashes follow the final component (`"a/"`, `"a//"`): Linux then wants a
    /// directory there (`mkdir("a/")` is fine; `open("file/", O_CREAT)` is `EISDIR`;
    /// `unlink("a/")` of a non-directory is `ENOTDIR`). Always false for
    /// [`FinalName::Root`].
    pub trailing_slash: bool,
}

/// Resolves every component of `path` but the last, as Linux does for calls that
/// create, remove or rename the final name (`mkdir`, `unlink`, `rmdir`, `rename`,
/// `symlink`, `link`, `open` with `O_CREAT`).
///
/// Symbolic links in the middle are followed; the final component is not looked up
/// at all, so a link there (even a dangling one) is left to the caller, as is whether
/// the name exists. The parent must be a directory the caller may search (`ENOTDIR`,
/// `EACCES`), and a final [`FinalName::Name`] longer than [`NAME_MAX`] bytes is
/// `ENAMETOOLONG` (`ENOENT` in a removed directory, as looking it up would be; a
/// shorter name there is left to the caller). Other errors: as [`resolve`].
pub fn resolve_parent<'p, N: Namespace>(ns: &N, cwd: &N::Node, path: &'p [u8]) -> Result<Parent<'p, N::Node>, Errno> {
    check_path(path)?;
    let mut walker = Walker::new(ns, cwd, path);
    let Last::Component { name, trailing_slash } = walker.walk_to_parent()? else {
        return Ok(Parent { dir: walker.into_current(), last: FinalName::Root, trailing_slash: false });
    };
    // Without a followed final link, the walk's final text is `path` itself.
    let last = FinalName::of(&path[name]);
    if let FinalName::Name(name) = last
        && let Err(too_long) = check_name(name)
    {
        // A name that cannot exist fails as looking it up would.
        return Err(if ns.is_removed(walker.current()) { Errno::ENOENT } else { too_long });
    }
    Ok(Parent { dir: walker.into_current(), last, trailing_slash })
}

/// A resolution that stops before the final component, lets the caller look it up
/// (or create it) and may then follow a symbolic link found there: Linux's
/// `path_openat`, whose final component `open` handles itself.
///
/// [`parent`](FinalWalk::parent) walks to the final component and returns it;
/// [`follow_link`](FinalWalk::follow_link) follows a link the caller found there, and
/// the next `parent` returns the final component of its target. Every link followed
/// counts towards [`MAX_SYMLINKS`], in the middle or at the end.
pub struct FinalWalk<'n, 'p, N: Namespace> {
    walker: Walker<'n, 'p, N>,
}

impl<'n, 'p, N: Namespace> FinalWalk<'n, 'p, N> {
    /// A walk of `path` from `cwd` (from the root when absolute). Errors: see
    /// [`check_path`].
    pub fn new(ns: &'n N, cwd: &N::Node, path: &'p [u8]) -> Result<Self, Errno> {
        check_path(path)?;
        Ok(FinalWalk { walker: Walker::new(ns, cwd, path) })
    }

    /// Walks to the final component, following the links on the way, and returns it
    /// as [`resolve_parent`] does, except that a final [`FinalName::Name`] may be of
    /// any length: the caller looks it up, which checks it ([`check_name`]). Returns
    /// the same again until [`follow_link`](Self::follow_link) is called.
    pub fn parent(&mut self) -> Result<Parent<'_, N::Node>, Errno> {
        let Last::Component { name, trailing_slash } = self.walker.walk_to_parent()? else {
            return Ok(Parent { dir: self.walker.current().clone(), last: FinalName::Root, trailing_slash: false });
        };
        let dir = self.walker.current().clone();
        Ok(Parent { dir, last: FinalName::of(self.walker.final_text(name)), trailing_slash })
    }

    /// Follows `link`, the symbolic link the final [`FinalName::Name`] of the last
    /// [`parent`](Self::parent) names: its target is walked next, from that parent
    /// (from the root when absolute). `ELOOP` past [`MAX_SYMLINKS`] links, `ENOENT` for
    /// an empty target.
    pub fn follow_link(&mut self, link: &N::Node) -> Result<(), Errno> {
        self.walker.follow_final_link(link)
    }
}

impl<'p> FinalName<'p> {
    /// What the final component `name` (never empty, no `/`) is.
    fn of(name: &'p [u8]) -> Self {
        match name {
            b"." => FinalName::Dot,
            b".." => FinalName::DotDot,
            name => FinalName::Name(name),
        }
    }
}

/// Checks a path as Linux does before resolving it: empty is `ENOENT`, [`PATH_MAX`]
/// bytes or more is `ENAMETOOLONG` (as for a symbolic link's target).
pub fn check_path(path: &[u8]) -> Result<(), Errno> {
    if path.is_empty() {
        Err(Errno::ENOENT)
    } else if path.len() >= PATH_MAX {
        Err(Errno::ENAMETOOLONG)
    } else {
        Ok(())
    }
}

/// Checks one component about to be looked up: longer than [`NAME_MAX`] is
/// `ENAMETOOLONG`.
pub fn check_name(name: &[u8]) -> Result<(), Errno> {
    if name.len() > NAME_MAX { Err(Errno::ENAMETOOLONG) } else { Ok(()) }
}
