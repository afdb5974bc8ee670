//! The VFS: one namespace made of the tmpfs root and what is mounted on its
//! directories (devfs at /dev and procfs at /proc from boot, more tmpfs, proc and
//! devtmpfs mounts with mount(2): `mounts.rs`). Paths are resolved by the
//! `pathwalk` crate over this namespace (mounts are crossed in `child` and
//! `parent`); the operations here dispatch on the node's file system, a tmpfs
//! node's on the tree it belongs to, and changes are EROFS on a read-only mount. Each acts as the calling process's
//! file-system identity (`root::Identity`): the tmpfs checks its own nodes, and
//! devfs and procfs nodes are checked here by the same rules (`ramfs::permitted`).
use alloc::vec::Vec;

use alloc::sync::Arc;
use kabi::fs::{
    DT_DIR, DT_LNK, DT_REG, O_ACCMODE, O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_PATH, O_RDONLY,
    O_TMPFILE, O_TRUNC, O_WRONLY, R_OK, S_IFDIR, S_IFLNK, S_IFREG, W_OK, X_OK, write_dirent64,
};
use kabi::{Errno, Stat};
use pathwalk::{FinalName, Kind, Namespace};
use ramfs::{Access, Credentials, FileType, InodeRef, LastComponent, ParentPath, RenameFlags, SetTime, Tree};

use super::devfs::{self, DevNode};
use super::file::{FileKind, OpenFile, Origin};
use super::pipe::End;
use super::procfs::{NodeKind, ProcNode};
use super::root::Identity;
use super::{mapping, mounts, root};
use crate::mm::shared::SharedPages;

/// Anything a path can name.
#[derive(Debug, Clone)]
pub enum Node {
    Tmpfs(InodeRef),
    Dev(DevNode),
    Proc(ProcNode),
}

/// Device numbers (st_dev) of the file systems (tmpfs mounts get theirs from 16 on).
pub const TMPFS_DEV: u64 = 1;
pub const DEVFS_DEV: u64 = 5;
pub const PROCFS_DEV: u64 = 4;
pub const DEVPTS_DEV: u64 = 6;

/// The namespace the path walker walks, for a caller with `credentials`, who
/// must be able to search every directory on the way.
struct Vfs<'c> {
    credentials: &'c Credentials<'c>,
}

impl Namespace for Vfs<'_> {
    type Node = Node;

    fn root(&self) -> Node {
        root()
    }

    fn kind(&self, node: &Node) -> Kind {
        kind(node)
    }

    fn child(&self, dir: &Node, name: &[u8]) -> Result<Node, Errno> {
        match dir {
            Node::Tmpfs(inode) => {
                let child = mounts::tree_of(inode)?.child(inode, name)?;
                Ok(mounts::mounted_on(&child).unwrap_or(Node::Tmpfs(child)))
            }
            Node::Dev(d) => devfs::child(d, name).map(Node::Dev),
            Node::Proc(p) => p.child(name).map(Node::Proc),
        }
    }

    fn parent(&self, dir: &Node) -> Node {
        parent(dir)
    }

    fn read_link(&self, link: &Node) -> Result<Vec<u8>, Errno> {
        read_link(link)
    }

    fn may_search(&self, dir: &Node) -> bool {
        may(dir, Access::EXECUTE, self.credentials)
    }
}

/// What a node is, for the path walker.
fn kind(node: &Node) -> Kind {
    match node {
        Node::Tmpfs(inode) => match inode.file_type() {
            FileType::Directory => Kind::Directory,
            FileType::Symlink => Kind::Symlink,
            FileType::Regular | FileType::Socket | FileType::Fifo => Kind::Other,
        },
        Node::Dev(d) if devfs::is_directory(d) => Kind::Directory,
        Node::Dev(_) => Kind::Other,
        Node::Proc(p) => match p.kind() {
            NodeKind::Directory => Kind::Directory,
            NodeKind::Symlink => Kind::Symlink,
            NodeKind::File => Kind::Other,
        },
    }
}

/// The directory holding `dir` (across mounts: at a mounted file system's root,
/// the directory holding its mount point; the root's, and a detached file
/// system's root's, is itself).
fn parent(dir: &Node) -> Node {
    let out_of_mount = || mounts::mount_point(dir).map_or_else(|| dir.clone(), |point| parent(&Node::Tmpfs(point)));
    match dir {
        Node::Tmpfs(inode) => match mounts::tree_of(inode) {
            Ok(tree) if Arc::ptr_eq(inode, tree.root()) => out_of_mount(),
            Ok(tree) => Node::Tmpfs(tree.lookup(inode, b"..", false).unwrap_or_else(|_| inode.clone())),
            Err(_) => dir.clone(),
        },
        Node::Dev(d) => devfs::parent(d).map_or_else(out_of_mount, Node::Dev),
        Node::Proc(p) => p.parent().map_or_else(out_of_mount, Node::Proc),
    }
}

/// Run `f` as the calling process's file-system identity.
fn as_caller<R>(f: impl FnOnce(&Credentials<'_>) -> R) -> R {
    f(&Identity::caller().credentials())
}

/// Whether `credentials` may have `want` on `node`: the tmpfs's rules for its
/// inodes, the same rules on the owner and mode devfs and procfs nodes show;
/// nothing in /proc is writable.
fn may(node: &Node, want: Access, credentials: &Credentials<'_>) -> bool {
    match node {
        Node::Tmpfs(inode) => inode.may_access(credentials, want),
        Node::Proc(_) if want.write => false,
        other => {
            let s = stat(other);
            ramfs::permitted(credentials, want, s.st_mode & 0o7777, s.st_uid, s.st_gid, is_directory(other))
        }
    }
}

/// [`may`], or EACCES.
fn check(node: &Node, want: Access, credentials: &Credentials<'_>) -> Result<(), Errno> {
    if may(node, want, credentials) { Ok(()) } else { Err(Errno::EACCES) }
}

pub fn root() -> Node {
    Node::Tmpfs(root::tree().root().clone())
}

/// Resolve `path` from `cwd` (following a final symlink when `follow`) as the
/// calling process.
pub fn resolve(cwd: &Node, path: &[u8], follow: bool) -> Result<Node, Errno> {
    as_caller(|me| resolve_as(cwd, path, follow, me))
}

fn resolve_as(cwd: &Node, path: &[u8], follow: bool, credentials: &Credentials<'_>) -> Result<Node, Errno> {
    pathwalk::resolve(&Vfs { credentials }, cwd, path, follow)
}

/// What `path` names for mount(2) and umount2(2): the node (the root of what is
/// mounted there, if anything is), and the tmpfs directory its final name is, if
/// that is a mount point (which of several mounts of one file system it is).
pub fn resolve_mount_target(cwd: &Node, path: &[u8], follow: bool) -> Result<(Node, Option<InodeRef>), Errno> {
    as_caller(|me| {
        let node = resolve_as(cwd, path, follow, me)?;
        let parent = resolve_parent(cwd, path, me)?;
        let covered = match (&parent.dir, parent.last) {
            (Node::Tmpfs(dir), FinalName::Name(name)) => {
                mounts::tree_of(dir).ok().and_then(|tree| tree.lookup(dir, name, false).ok())
            }
            _ => None,
        };
        Ok((node, covered.filter(|inode| mounts::mounted_on(inode).is_some())))
    })
}

/// The directory holding `path`'s final component, and that component.
fn resolve_parent<'p>(
    cwd: &Node,
    path: &'p [u8],
    credentials: &Credentials<'_>,
) -> Result<pathwalk::Parent<'p, Node>, Errno> {
    pathwalk::resolve_parent(&Vfs { credentials }, cwd, path)
}

pub fn is_directory(node: &Node) -> bool {
    kind(node) == Kind::Directory
}

pub fn is_symlink(node: &Node) -> bool {
    kind(node) == Kind::Symlink
}

/// readlink(2).
pub fn read_link(node: &Node) -> Result<Vec<u8>, Errno> {
    match node {
        Node::Tmpfs(inode) => inode.read_link().map(<[u8]>::to_vec),
        Node::Proc(p) => p.read_link(),
        Node::Dev(_) => Err(Errno::EINVAL),
    }
}

/// The absolute path of a directory (getcwd); ENOENT for one that is unlinked or
/// in a detached file system.
pub fn path_of(dir: &Node) -> Result<Vec<u8>, Errno> {
    match dir {
        Node::Tmpfs(inode) => {
            let tree = mounts::tree_of(inode)?;
            let within = tree.path_of(inode)?;
            if Arc::ptr_eq(&tree, root::tree()) {
                return Ok(within);
            }
            let point = mounts::mount_point(&Node::Tmpfs(tree.root().clone())).ok_or(Errno::ENOENT)?;
            let mut path = path_of(&Node::Tmpfs(point))?;
            if within != b"/" {
                if path == b"/" {
                    path.clear();
                }
                path.extend_from_slice(&within);
            }
            Ok(path)
        }
        other => {
            let mut names = Vec::new();
            let mut at = other.clone();
            loop {
                match &at {
                    Node::Proc(ProcNode::Process(pid)) => names.push(alloc::format!("{pid}").into_bytes()),
                    Node::Dev(DevNode::PtsRoot) => names.push(b"pts".to_vec()),
                    _ => break,
                }
                at = parent(&at);
            }
            let mount = mounts::mount_point(&at).ok_or(Errno::ENOENT)?;
            let mut path = path_of(&Node::Tmpfs(mount))?;
            if path == b"/" {
                path.clear();
            }
            for name in names.iter().rev() {
                path.push(b'/');
                path.extend_from_slice(name);
            }
            Ok(path)
        }
    }
}

/// stat(2) of any node.
pub fn stat(node: &Node) -> Stat {
    match node {
        Node::Tmpfs(inode) => {
            let m = inode.metadata();
            Stat {
                st_dev: m.device,
                st_ino: m.ino,
                st_nlink: u64::from(m.nlink),
                st_mode: m.mode,
                st_uid: m.uid,
                st_gid: m.gid,
                st_size: m.size as i64,
                st_blksize: 4096,
                st_blocks: m.blocks as i64,
                st_atime: m.atime.sec,
                st_atime_nsec: i64::from(m.atime.nsec),
                st_mtime: m.mtime.sec,
                st_mtime_nsec: i64::from(m.mtime.nsec),
                st_ctime: m.ctime.sec,
                st_ctime_nsec: i64::from(m.ctime.nsec),
                ..Stat::default()
            }
        }
        Node::Dev(d) => devfs::stat(d),
        Node::Proc(p) => {
            let type_bits = match p.kind() {
                NodeKind::Directory => S_IFDIR,
                NodeKind::File => S_IFREG,
                NodeKind::Symlink => S_IFLNK,
            };
            Stat {
                st_dev: PROCFS_DEV,
                st_ino: p.ino(),
                st_nlink: if p.kind() == NodeKind::Directory { 2 } else { 1 },
                st_mode: type_bits | p.permissions(),
                st_blksize: 1024,
                ..boot_times()
            }
        }
    }
}

/// Timestamps of the synthetic file systems: the boot time.
pub fn boot_times() -> Stat {
    let boot = (crate::time::realtime_ns() - crate::time::uptime_ns()) / 1_000_000_000;
    Stat { st_atime: boot as i64, st_mtime: boot as i64, st_ctime: boot as i64, ..Stat::default() }
}

/// Read file bytes at `offset` (tmpfs files; other nodes are opened as devices or
/// generated text).
pub fn read(node: &Node, offset: u64, buf: &mut [u8]) -> Result<usize, Errno> {
    match node {
        Node::Tmpfs(inode) => inode.read(offset, buf),
        _ => Err(Errno::EISDIR),
    }
}

/// getdents64 from directory offset `offset`: the records that fit in `max_len`
/// bytes and the offset to resume at. Offsets 0 and 1 are `.` and `..`.
pub fn read_dir(node: &Node, offset: u64, max_len: usize) -> Result<(Vec<u8>, u64), Errno> {
    let mut out = alloc::vec![0u8; max_len];
    let mut used = 0;
    let mut next = offset;
    let mut emit = |ino: u64, next_offset: u64, d_type: u8, name: &[u8], used: &mut usize| -> Result<bool, Errno> {
        match write_dirent64(&mut out[*used..], ino, next_offset as i64, d_type, name) {
            Some(len) => {
                *used += len;
                Ok(true)
            }
            None if *used == 0 => Err(Errno::EINVAL), // not even one record fits
            None => Ok(false),
        }
    };
    match node {
        Node::Tmpfs(inode) => {
            while let Some(entry) = inode.dir_entry_at(next)? {
                if !emit(entry.ino, entry.next_offset, entry.file_type.dirent_type(), &entry.name, &mut used)? {
                    break;
                }
                next = entry.next_offset;
            }
        }
        other => {
            let parent_ino = stat(&parent(other)).st_ino;
            let mut entries: Vec<(Vec<u8>, u64, u8)> =
                alloc::vec![(b".".to_vec(), stat(other).st_ino, DT_DIR), (b"..".to_vec(), parent_ino, DT_DIR)];
            match other {
                Node::Dev(d) => entries.extend(devfs::entries(d)?),
                Node::Proc(p) => {
                    for (name, child) in p.entries()? {
                        let d_type = match child.kind() {
                            NodeKind::Directory => DT_DIR,
                            NodeKind::File => DT_REG,
                            NodeKind::Symlink => DT_LNK,
                        };
                        entries.push((name.into_bytes(), child.ino(), d_type));
                    }
                }
                _ => return Err(Errno::ENOTDIR),
            }
            for (index, (name, ino, d_type)) in entries.iter().enumerate().skip(offset as usize) {
                if !emit(*ino, index as u64 + 1, *d_type, name, &mut used)? {
                    break;
                }
                next = index as u64 + 1;
            }
        }
    }
    out.truncate(used);
    Ok((out, next))
}

/// The text of a resolved final component, for handing it to the tmpfs as a
/// one-component path relative to its directory.
fn final_text(parent: &pathwalk::Parent<'_, Node>) -> Vec<u8> {
    let mut text = match parent.last {
        FinalName::Name(name) => name.to_vec(),
        FinalName::Dot => b".".to_vec(),
        FinalName::DotDot => b"..".to_vec(),
        FinalName::Root => b"/".to_vec(),
    };
    if parent.trailing_slash {
        text.push(b'/');
    }
    text
}

/// The tmpfs directory `path`'s final component belongs to, as its tree's own
/// ParentPath, for a change there: devfs and procfs take no new names (EACCES);
/// EROFS on a read-only mount.
fn tmpfs_parent(base: &Node, path: &[u8], credentials: &Credentials<'_>) -> Result<(Arc<Tree>, ParentPath), Errno> {
    let parent = resolve_parent(base, path, credentials)?;
    let Node::Tmpfs(dir) = &parent.dir else { return Err(Errno::EACCES) };
    let tree = mounts::tree_of(dir)?;
    let at = tree.lookup_parent(dir, &final_text(&parent), credentials)?;
    mounts::writable(&parent.dir)?;
    Ok((tree, at))
}

/// EBUSY if the final component of `at` is a mount point (it cannot be removed or
/// renamed while something is mounted on it).
fn not_a_mount_point(tree: &Tree, at: &ParentPath) -> Result<(), Errno> {
    if let LastComponent::Name(name) = at.last()
        && let Ok(inode) = tree.lookup(at.directory(), name, false)
        && mounts::mounted_on(&inode).is_some()
    {
        return Err(Errno::EBUSY);
    }
    Ok(())
}

/// open(2) of `path` from `base`: the node, with O_CREAT, O_EXCL, O_TRUNC,
/// O_DIRECTORY and O_NOFOLLOW as Linux has them; a /proc file's text is generated
/// now; devices open as devices.
pub fn open(base: &Node, path: &[u8], flags: u32, mode: u32) -> Result<OpenFile, Errno> {
    as_caller(|me| open_as(base, path, flags, mode, me))
}

/// The entry a plain final name (no trailing slash) names in `dir`, when it is
/// not a link and `open` with `flags` may take it as it is (no O_PATH or
/// O_TMPFILE): `resolve_parent` made the walk's checks, and a name that is too
/// long or in a removed directory names nothing.
fn existing_entry(tree: &Tree, dir: &InodeRef, parent: &pathwalk::Parent<'_, Node>, flags: u32) -> Option<InodeRef> {
    let FinalName::Name(name) = parent.last else { return None };
    if parent.trailing_slash || flags & O_PATH != 0 || flags & O_TMPFILE & !O_DIRECTORY != 0 {
        return None;
    }
    tree.child(dir, name).ok().filter(|inode| inode.file_type() != FileType::Symlink)
}

/// Whether an open with `flags` may change the file (written, or emptied).
fn opens_for_writing(flags: u32) -> bool {
    flags & O_ACCMODE != O_RDONLY || flags & O_TRUNC != 0
}

/// The node a tmpfs open gives for `inode`: the root of what is mounted on it, if
/// anything; pages cut off by O_TRUNC are unmapped and freed first.
fn opened_tmpfs(inode: InodeRef, flags: u32) -> Node {
    if flags & O_TRUNC != 0 {
        mapping::release_cut_pages(&inode);
    }
    mounts::mounted_on(&inode).unwrap_or(Node::Tmpfs(inode))
}

fn open_as(base: &Node, path: &[u8], flags: u32, mode: u32, credentials: &Credentials<'_>) -> Result<OpenFile, Errno> {
    let follow = flags & O_NOFOLLOW == 0;
    let parent = resolve_parent(base, path, credentials)?;
    let mut via_link = false;
    let node = match &parent.dir {
        Node::Tmpfs(dir)
            if let Ok(tree) = mounts::tree_of(dir)
                && let Some(found) = existing_entry(&tree, dir, &parent, flags) =>
        {
            // The common case (an existing file that is not a link): one lookup.
            if opens_for_writing(flags) && !matches!(found.file_type(), FileType::Fifo | FileType::Socket) {
                mounts::writable(&parent.dir)?;
            }
            opened_tmpfs(tree.open_found(found, flags, credentials, root::now())?, flags)
        }
        Node::Tmpfs(dir) => {
            let tree = mounts::tree_of(dir)?;
            let final_is_link = matches!(parent.last, FinalName::Name(name)
                if tree.lookup(dir, name, false).is_ok_and(|i| i.file_type() == FileType::Symlink));
            let via_link_to = if final_is_link && follow {
                match resolve_as(base, path, true, credentials) {
                    Ok(_) if flags & O_CREAT != 0 && flags & O_EXCL != 0 => return Err(Errno::EEXIST),
                    Ok(node) => Some(node),
                    Err(Errno::ENOENT) if flags & O_CREAT != 0 => None, // dangling: create its target
                    Err(e) => return Err(e),
                }
            } else {
                None
            };
            match via_link_to {
                Some(node) => {
                    check_open(&node, flags, credentials)?;
                    via_link = true;
                    node
                }
                None => {
                    let name = final_text(&parent);
                    match tree.lookup(dir, &name, false) {
                        Err(_) if flags & O_CREAT != 0 => {
                            mounts::writable(&parent.dir)?;
                            root::room_for_new_entry()?;
                        }
                        Ok(inode)
                            if opens_for_writing(flags)
                                && !matches!(inode.file_type(), FileType::Fifo | FileType::Socket) =>
                        {
                            mounts::writable(&parent.dir)?;
                        }
                        _ => {}
                    }
                    opened_tmpfs(tree.open(dir, &name, flags, mode, credentials, root::now())?, flags)
                }
            }
        }
        _ => {
            let node = resolve_as(base, path, follow, credentials)?;
            if flags & O_CREAT != 0 && flags & O_EXCL != 0 {
                return Err(Errno::EEXIST);
            }
            via_link = follow && resolve_as(base, path, false, credentials).is_ok_and(|n| is_symlink(&n));
            check_open(&node, flags, credentials)?;
            node
        }
    };
    let origin = if is_directory(&node) {
        None // its own path is known
    } else if via_link {
        Some(Origin::Path(real_path(base, path, credentials)?))
    } else {
        Some(Origin::Entry(parent.dir.clone(), final_text(&parent)))
    };
    let kind = match node {
        Node::Tmpfs(ref inode) if inode.file_type() == FileType::Fifo && flags & O_PATH == 0 => {
            let end = match flags & O_ACCMODE {
                O_RDONLY => End::Read,
                O_WRONLY => End::Write,
                _ => End::Both,
            };
            let pipe = super::fifo::open(inode, end, flags & O_NONBLOCK != 0)?;
            FileKind::Fifo(node, pipe, end)
        }
        Node::Dev(dev) => devfs::open(dev, flags)?,
        Node::Proc(p) if p.kind() == NodeKind::File => FileKind::Generated(node.clone(), p.contents()?),
        node => FileKind::Node(node),
    };
    let file = OpenFile::new(kind, flags);
    Ok(match origin {
        Some(origin) => file.with_origin(origin),
        None => file,
    })
}

/// Whether the entry `name` of `dir` is still `node` (an open file's name has not
/// been unlinked or replaced).
pub fn entry_is(dir: &Node, name: &[u8], node: &Node) -> bool {
    match (resolve(dir, name, false), node) {
        (Ok(Node::Tmpfs(found)), Node::Tmpfs(inode)) => alloc::sync::Arc::ptr_eq(&found, inode),
        (Ok(found), _) => stat(&found).st_ino == stat(node).st_ino,
        (Err(_), _) => false,
    }
}

/// Linux's checks on an existing node being opened (the tmpfs makes them itself for
/// its own names): O_NOFOLLOW on a link, O_DIRECTORY, writing a directory, read
/// and write permission (none for O_PATH), O_TRUNC.
fn check_open(node: &Node, flags: u32, credentials: &Credentials<'_>) -> Result<(), Errno> {
    if is_symlink(node) {
        return Err(Errno::ELOOP);
    }
    let access_mode = flags & O_ACCMODE;
    let truncate = flags & O_TRUNC != 0;
    if is_directory(node) {
        if access_mode != O_RDONLY || flags & O_CREAT != 0 {
            return Err(Errno::EISDIR);
        }
    } else if flags & O_DIRECTORY != 0 {
        return Err(Errno::ENOTDIR);
    }
    if flags & O_PATH != 0 {
        return Ok(());
    }
    let want = Access { read: access_mode != O_WRONLY, write: access_mode != O_RDONLY || truncate, execute: false };
    check(node, want, credentials)?;
    if want.write && !matches!(node, Node::Dev(_)) && !is_fifo_or_socket(node) {
        mounts::writable(node)?;
    }
    match node {
        Node::Tmpfs(inode) if truncate && inode.file_type() == FileType::Regular => truncate_regular(inode, 0),
        _ => Ok(()),
    }
}

pub fn mkdir(base: &Node, path: &[u8], mode: u32) -> Result<(), Errno> {
    as_caller(|me| {
        let (tree, at) = tmpfs_parent(base, path, me)?;
        root::room_for_new_entry()?;
        tree.mkdir(&at, mode, me, root::now()).map(drop)
    })
}

/// mknod(2) of a regular file, a named pipe or a socket inode with permission
/// bits `mode` (umask applied); EEXIST if the name exists.
pub fn mknod(base: &Node, path: &[u8], kind: FileType, mode: u32) -> Result<(), Errno> {
    as_caller(|me| {
        let (tree, at) = tmpfs_parent(base, path, me)?;
        root::room_for_new_entry()?;
        tree.create(&at, kind, mode, me, root::now()).map(drop)
    })
}

/// bind(2) of a Unix-domain socket to `path`: a socket inode with permission bits
/// `mode` (umask applied); EEXIST if the name exists.
pub fn make_socket(base: &Node, path: &[u8], mode: u32) -> Result<InodeRef, Errno> {
    as_caller(|me| {
        let (tree, at) = tmpfs_parent(base, path, me)?;
        root::room_for_new_entry()?;
        tree.create(&at, FileType::Socket, mode, me, root::now())
    })
}

pub fn unlink(base: &Node, path: &[u8]) -> Result<(), Errno> {
    as_caller(|me| {
        let (tree, at) = tmpfs_parent(base, path, me)?;
        not_a_mount_point(&tree, &at)?;
        tree.unlink(&at, me, root::now())
    })
}

pub fn rmdir(base: &Node, path: &[u8]) -> Result<(), Errno> {
    as_caller(|me| {
        let (tree, at) = tmpfs_parent(base, path, me)?;
        not_a_mount_point(&tree, &at)?;
        tree.rmdir(&at, me, root::now())
    })
}

/// rename/renameat2; across file systems is EXDEV.
pub fn rename(from_base: &Node, from: &[u8], to_base: &Node, to: &[u8], flags: u32) -> Result<(), Errno> {
    let flags = RenameFlags::from_raw(flags)?;
    as_caller(|me| {
        let (Node::Tmpfs(_), Node::Tmpfs(_)) =
            (&resolve_parent(from_base, from, me)?.dir, &resolve_parent(to_base, to, me)?.dir)
        else {
            return Err(Errno::EXDEV);
        };
        let ((tree, source), (target_tree, target)) =
            (tmpfs_parent(from_base, from, me)?, tmpfs_parent(to_base, to, me)?);
        if !Arc::ptr_eq(&tree, &target_tree) {
            return Err(Errno::EXDEV);
        }
        not_a_mount_point(&tree, &source)?;
        not_a_mount_point(&tree, &target)?;
        tree.rename(&source, &target, flags, me, root::now())
    })
}

/// link(2): a new name for `existing` (a tmpfs node; else EXDEV).
pub fn link(existing: &Node, base: &Node, path: &[u8]) -> Result<(), Errno> {
    let Node::Tmpfs(inode) = existing else { return Err(Errno::EXDEV) };
    as_caller(|me| {
        let (tree, at) = tmpfs_parent(base, path, me)?;
        if inode.device() != tree.device() {
            return Err(Errno::EXDEV);
        }
        root::room_for_new_entry()?;
        tree.link(inode, &at, me, root::now())
    })
}

pub fn symlink(target: &[u8], base: &Node, path: &[u8]) -> Result<(), Errno> {
    as_caller(|me| {
        let (tree, at) = tmpfs_parent(base, path, me)?;
        root::room_for_new_entry()?;
        tree.symlink(target, &at, me, root::now()).map(drop)
    })
}

/// The inode behind a node that attribute changes apply to; devfs and procfs
/// nodes cannot be changed (EPERM).
fn tmpfs_inode(node: &Node) -> Result<&InodeRef, Errno> {
    match node {
        Node::Tmpfs(inode) => Ok(inode),
        _ => Err(Errno::EPERM),
    }
}

/// [`tmpfs_inode`] for a change of attributes: EROFS on a read-only mount.
fn changeable_inode(node: &Node) -> Result<&InodeRef, Errno> {
    let inode = tmpfs_inode(node)?;
    mounts::writable(node)?;
    Ok(inode)
}

/// Whether `node` is a named pipe or a socket, which stay usable on a read-only
/// mount.
fn is_fifo_or_socket(node: &Node) -> bool {
    matches!(node, Node::Tmpfs(inode) if matches!(inode.file_type(), FileType::Fifo | FileType::Socket))
}

/// chmod: only the owner or root (EPERM), as the tmpfs checks.
pub fn chmod(node: &Node, mode: u32) -> Result<(), Errno> {
    as_caller(|me| changeable_inode(node)?.chmod(mode, me, root::now()))
}

/// chown: only root gives a file away; its owner may change its group to one of
/// their own (EPERM otherwise), as the tmpfs checks.
pub fn chown(node: &Node, uid: Option<u32>, gid: Option<u32>) -> Result<(), Errno> {
    as_caller(|me| changeable_inode(node)?.chown(uid, gid, me, root::now()))
}

/// utimensat: the tmpfs's rules (the owner or root; "now" with write permission).
pub fn set_times(node: &Node, atime: SetTime, mtime: SetTime) -> Result<(), Errno> {
    as_caller(|me| changeable_inode(node)?.set_times(atime, mtime, me, root::now()))
}

/// The regular tmpfs file truncate and ftruncate may change (EISDIR for a
/// directory, EINVAL for anything else).
fn truncatable(node: &Node) -> Result<&InodeRef, Errno> {
    let inode = tmpfs_inode(node).map_err(|_| Errno::EINVAL)?;
    match inode.file_type() {
        FileType::Regular => Ok(inode),
        FileType::Directory => Err(Errno::EISDIR),
        FileType::Symlink | FileType::Socket | FileType::Fifo => Err(Errno::EINVAL),
    }
}

/// ftruncate of a file open for writing.
pub fn truncate(node: &Node, len: u64) -> Result<(), Errno> {
    truncate_regular(truncatable(node)?, len)
}

/// truncate(2) by path: the caller needs write permission (EACCES).
pub fn truncate_path(node: &Node, len: u64) -> Result<(), Errno> {
    let inode = truncatable(node)?;
    as_caller(|me| check(node, Access::WRITE, me))?;
    mounts::writable(node)?;
    truncate_regular(inode, len)
}

/// Set the size of a regular tmpfs file; the pages cut off are freed once no
/// process maps them (fs/mapping.rs).
fn truncate_regular(inode: &InodeRef, len: u64) -> Result<(), Errno> {
    let result = inode.truncate(len, root::now());
    mapping::release_cut_pages(inode);
    result
}

/// Write file bytes at `offset`.
pub fn write(node: &Node, offset: u64, data: &[u8]) -> Result<usize, Errno> {
    match node {
        Node::Tmpfs(inode) => inode.write(offset, data, root::now()),
        _ => Err(Errno::EINVAL),
    }
}

/// [`write`] of `count` bytes that `source` fills in place (ramfs's
/// `Inode::write_from`): a short fill ends the write there.
pub fn write_from(node: &Node, offset: u64, count: usize, source: &mut ramfs::Source<'_>) -> Result<usize, Errno> {
    match node {
        Node::Tmpfs(inode) => inode.write_from(offset, count, source, root::now()),
        _ => Err(Errno::EINVAL),
    }
}

/// A file's size (O_APPEND, SEEK_END).
pub fn size(node: &Node) -> u64 {
    stat(node).st_size as u64
}

/// The access(2) bits R_OK, W_OK and X_OK as the access they ask for (F_OK is 0:
/// existence only).
fn wanted(mode: u32) -> Access {
    Access { read: mode & R_OK != 0, write: mode & W_OK != 0, execute: mode & X_OK != 0 }
}

/// access/faccessat: whether the caller may have `mode` (R_OK, W_OK, X_OK) on
/// what `path` names, looked up and checked as its real uid and gid, or as its
/// file-system ones with `effective` (AT_EACCESS), as Linux's do_faccessat.
pub fn access(base: &Node, path: &[u8], follow: bool, mode: u32, effective: bool) -> Result<(), Errno> {
    let identity = if effective { Identity::caller() } else { Identity::caller_real() };
    let me = identity.credentials();
    check(&resolve_as(base, path, follow, &me)?, wanted(mode), &me)
}

/// chdir's check: search permission on `dir` (EACCES).
pub fn check_search(dir: &Node) -> Result<(), Errno> {
    as_caller(|me| check(dir, Access::EXECUTE, me))
}

/// What execve reads: the file's first bytes (its headers; more on demand) and
/// its pages, its absolute path, and its attributes (whose set-user-ID and
/// set-group-ID bits and owner may change the caller's credentials, unless it is
/// on a `nosuid` mount).
#[derive(Debug)]
pub struct Executable {
    /// The first `EXECUTABLE_HEAD` bytes (fewer in a shorter file).
    pub head: Vec<u8>,
    inode: InodeRef,
    /// The file's own pages, which its segments map (copied when written).
    pub pages: Arc<dyn SharedPages>,
    pub path: Vec<u8>,
    pub metadata: ramfs::Metadata,
    pub nosuid: bool,
}

/// The executable `path` names, for execve: EACCES for anything but a regular
/// file, one on a `noexec` mount, or one the caller may not execute (root too
/// needs an execute bit).
pub fn read_executable(cwd: &Node, path: &[u8]) -> Result<Executable, Errno> {
    as_caller(|me| {
        let node = resolve_as(cwd, path, true, me)?;
        let Node::Tmpfs(inode) = &node else { return Err(Errno::EACCES) };
        if inode.file_type() != FileType::Regular {
            return Err(Errno::EACCES);
        }
        check(&node, Access::EXECUTE, me)?;
        let flags = mounts::flags_of(&node);
        if flags.noexec {
            return Err(Errno::EACCES);
        }
        let metadata = inode.metadata();
        let head = read_from(inode, 0, EXECUTABLE_HEAD.min(metadata.size as usize))?;
        let path = real_path(cwd, path, me)?;
        let pages = mapping::map_file(inode, false, path.clone())?;
        Ok(Executable { head, inode: inode.clone(), pages, path, metadata, nosuid: flags.nosuid })
    })
}

/// How much of an executable execve reads first: a page, where the ELF header,
/// the program headers and the interpreter's path usually lie (and a `#!` line).
pub const EXECUTABLE_HEAD: usize = 4096;

impl Executable {
    /// Its size when it was opened.
    pub fn size(&self) -> u64 {
        self.metadata.size
    }

    /// Up to `len` of its bytes from `offset` (fewer at its end).
    pub fn read(&self, offset: u64, len: usize) -> Result<Vec<u8>, Errno> {
        read_from(&self.inode, offset, len)
    }
}

/// Up to `len` bytes of `inode` from `offset`: fewer at the end of the file.
fn read_from(inode: &InodeRef, offset: u64, len: usize) -> Result<Vec<u8>, Errno> {
    let mut data = crate::mm::heap::try_zeroed_bytes(len)?;
    let mut done = 0;
    while done < data.len() {
        match inode.read(offset + done as u64, &mut data[done..])? {
            0 => break,
            n => done += n,
        }
    }
    data.truncate(done);
    Ok(data)
}

/// The absolute path of the file `path` names, with every symbolic link on the
/// way followed, the last included (what /proc/PID/exe shows, as Linux's
/// d_path of the opened file).
fn real_path(cwd: &Node, path: &[u8], credentials: &Credentials<'_>) -> Result<Vec<u8>, Errno> {
    let mut path = path.to_vec();
    for _ in 0..=pathwalk::MAX_SYMLINKS {
        let parent = resolve_parent(cwd, &path, credentials)?;
        let mut dir = path_of(&parent.dir)?;
        if dir != b"/" {
            dir.push(b'/');
        }
        let name = final_text(&parent);
        let target = resolve_as(&parent.dir, &name, false, credentials)?;
        if !is_symlink(&target) {
            dir.extend_from_slice(&name);
            return Ok(dir);
        }
        let link = read_link(&target)?;
        path = if link.first() == Some(&b'/') { link } else { [dir, link].concat() };
    }
    Err(Errno::ELOOP)
}
