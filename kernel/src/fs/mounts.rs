//! The mount table: the tmpfs root, and each file system mounted on a tmpfs
//! directory since (devfs on /dev and procfs on /proc at boot, then what mount(2)
//! adds: tmpfs, proc, devtmpfs). devpts shows at devfs's /dev/pts, so it is listed
//! after each devtmpfs mount. The VFS asks the table when a walk enters a mount
//! point (`mounted_on`) or leaves a mounted file system through `..`
//! (`mount_point`), and which tree a tmpfs inode belongs to (`tree_of`).
//!
//! A mount is known by its mount point (the tmpfs directory it covers) and its
//! root node, not by the path that led there, so two mounts of the same file
//! system (proc twice) share one tree, as Linux's single proc superblock does, and
//! `..` at its root leads out through the first of them.
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};

use kabi::Errno;
use mountopt::{MNT_DETACH, MNT_EXPIRE, MountFlags, Request, TmpfsOptions};
use ramfs::{Credentials, FileType, InodeRef, Tree};
use spin::Mutex;

use super::devfs::DevNode;
use super::processes::processes;
use super::procfs::ProcNode;
use super::vfs::{self, DEVFS_DEV, DEVPTS_DEV, Node, PROCFS_DEV};
use crate::mm::file_pages::{self, FramePages};

/// The file systems mount(2) makes, and devpts, which devfs shows: /proc/filesystems.
pub const FILESYSTEMS: [&str; 4] = ["tmpfs", "devtmpfs", "proc", "devpts"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FsType {
    Tmpfs,
    Devtmpfs,
    Proc,
}

impl FsType {
    fn from_name(name: &[u8]) -> Option<FsType> {
        match name {
            b"tmpfs" => Some(FsType::Tmpfs),
            b"devtmpfs" => Some(FsType::Devtmpfs),
            b"proc" => Some(FsType::Proc),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            FsType::Tmpfs => "tmpfs",
            FsType::Devtmpfs => "devtmpfs",
            FsType::Proc => "proc",
        }
    }
}

struct Mount {
    /// Its number in /proc/PID/mountinfo.
    id: u64,
    parent: u64,
    /// The tmpfs directory it covers; None for the root file system.
    point: Option<InodeRef>,
    fs_type: FsType,
    source: String,
    flags: MountFlags,
    /// A tmpfs's tree; devfs and procfs have none.
    tree: Option<Arc<Tree>>,
    /// umount2(MNT_EXPIRE) marked it: a second such call unmounts it.
    expiry_marked: bool,
    /// For devtmpfs, the number of the devpts line listed after it.
    devpts_id: u64,
}

impl Mount {
    fn root(&self) -> Node {
        match (&self.tree, self.fs_type) {
            (Some(tree), _) => Node::Tmpfs(tree.root().clone()),
            (None, FsType::Devtmpfs) => Node::Dev(DevNode::Root),
            (None, _) => Node::Proc(ProcNode::Root),
        }
    }

    /// Whether `root` is this mount's root node.
    fn has_root(&self, root: &Node) -> bool {
        match (root, &self.tree) {
            (Node::Tmpfs(inode), Some(tree)) => Arc::ptr_eq(inode, tree.root()),
            (Node::Dev(DevNode::Root), None) => self.fs_type == FsType::Devtmpfs,
            (Node::Proc(ProcNode::Root), None) => self.fs_type == FsType::Proc,
            _ => false,
        }
    }

    /// The device numbers (st_dev) of the files it holds.
    fn holds_device(&self, device: u64) -> bool {
        match (&self.tree, self.fs_type) {
            (Some(tree), _) => tree.device() == device,
            (None, FsType::Devtmpfs) => device == DEVFS_DEV || device == DEVPTS_DEV,
            (None, _) => device == PROCFS_DEV,
        }
    }
}

static MOUNTS: Mutex<Vec<Mount>> = Mutex::new(Vec::new());
/// A bit per mount point (`point_bit`), kept with MOUNTS: a directory whose bit is
/// clear is no mount point, which a path walk learns at each step without the
/// lock. (Bits are shared, so a set bit only means "look in MOUNTS".)
static POINT_BITS: AtomicU64 = AtomicU64::new(0);

fn point_bit(inode: &InodeRef) -> u64 {
    1 << (inode.ino() % 64)
}

/// Brings POINT_BITS up to date after mounts went away.
fn remark_points(mounts: &[Mount]) {
    let bits = mounts.iter().filter_map(|m| m.point.as_ref()).fold(0, |bits, point| bits | point_bit(point));
    POINT_BITS.store(bits, Ordering::Relaxed);
}
static NEXT_ID: AtomicU64 = AtomicU64::new(1);
/// Device numbers of the tmpfs mounts (after the built-in ones).
static NEXT_DEVICE: AtomicU64 = AtomicU64::new(16);

fn add(
    point: Option<InodeRef>,
    parent: u64,
    fs_type: FsType,
    source: &str,
    flags: MountFlags,
    tree: Option<Arc<Tree>>,
) {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let devpts_id = if fs_type == FsType::Devtmpfs { NEXT_ID.fetch_add(1, Ordering::Relaxed) } else { 0 };
    let parent = if point.is_none() { id } else { parent };
    let source = String::from(source);
    let bit = point.as_ref().map_or(0, point_bit);
    MOUNTS.lock().push(Mount { id, parent, point, fs_type, source, flags, tree, expiry_marked: false, devpts_id });
    POINT_BITS.fetch_or(bit, Ordering::Relaxed);
}

/// Put the root file system in the table and mount devfs and procfs on the root's
/// /dev and /proc (made if missing).
pub fn init() -> Result<(), Errno> {
    let (dev, proc) = (super::root::directory(b"/dev")?, super::root::directory(b"/proc")?);
    let flags = MountFlags::DEFAULT;
    add(None, 0, FsType::Tmpfs, "rootfs", flags, Some(super::root::tree().clone()));
    add(Some(dev), 1, FsType::Devtmpfs, "devtmpfs", MountFlags { nosuid: true, ..flags }, None);
    add(Some(proc), 1, FsType::Proc, "proc", MountFlags { nosuid: true, nodev: true, noexec: true, ..flags }, None);
    Ok(())
}

/// The root of the file system mounted on `inode`, if it is a mount point: the
/// last one mounted there, and if that one's root is covered too, the last one
/// mounted on it, and so on.
pub fn mounted_on(inode: &InodeRef) -> Option<Node> {
    // Only directories are mount points (`mount` refuses others).
    if POINT_BITS.load(Ordering::Relaxed) & point_bit(inode) == 0 || inode.file_type() != FileType::Directory {
        return None;
    }
    let mounts = MOUNTS.lock();
    let covering = |inode: &InodeRef| {
        mounts.iter().rev().find(|m| m.point.as_ref().is_some_and(|p| Arc::ptr_eq(p, inode))).map(Mount::root)
    };
    let mut top = covering(inode)?;
    while let Node::Tmpfs(root) = &top
        && let Some(above) = covering(root)
    {
        top = above;
    }
    Some(top)
}

/// The directory the file system whose root is `root` is mounted on: None for the
/// root file system, a node that is no mount's root, or a detached one.
pub fn mount_point(root: &Node) -> Option<InodeRef> {
    MOUNTS.lock().iter().find(|m| m.has_root(root)).and_then(|m| m.point.clone())
}

/// The tree a tmpfs inode belongs to: ENOENT once its file system is unmounted.
pub fn tree_of(inode: &InodeRef) -> Result<Arc<Tree>, Errno> {
    let device = inode.device();
    if device == vfs::TMPFS_DEV {
        return Ok(super::root::tree().clone());
    }
    MOUNTS.lock().iter().find_map(|m| m.tree.as_ref().filter(|t| t.device() == device).cloned()).ok_or(Errno::ENOENT)
}

/// The flags of the mount `node` is on (the first mount of its file system).
pub fn flags_of(node: &Node) -> MountFlags {
    let device = vfs::stat(node).st_dev;
    MOUNTS.lock().iter().find(|m| m.holds_device(device)).map_or(MountFlags::DEFAULT, |m| m.flags)
}

/// EROFS if `node` is on a file system mounted read-only.
pub fn writable(node: &Node) -> Result<(), Errno> {
    if flags_of(node).read_only { Err(Errno::EROFS) } else { Ok(()) }
}

/// Usage of the tmpfs on `device`, for statfs: (its size in pages, pages in use).
pub fn tmpfs_usage(device: u64) -> Option<(u64, u64)> {
    let mounts = MOUNTS.lock();
    let tree = mounts.iter().find_map(|m| m.tree.as_ref().filter(|t| t.device() == device))?;
    Some((tree.page_limit().min(file_pages::limit()), tree.pages_in_use()))
}

/// One line of /proc/mounts and /proc/PID/mountinfo.
#[derive(Debug, Clone)]
pub struct MountInfo {
    pub id: u64,
    pub parent: u64,
    pub source: String,
    pub path: Vec<u8>,
    pub fs_type: &'static str,
    /// st_dev's minor (the major is 0, as Linux's in-memory file systems).
    pub device: u64,
    /// The mount's own options (`rw,nosuid,relatime`).
    pub mount_options: String,
    /// The file system's options, each after a comma (`,size=1024k,inode64`).
    pub fs_options: String,
}

/// The mounts, in the order they were made (devpts after each devtmpfs); those
/// whose mount point has no path any more (under a detached mount) are left out.
pub fn list() -> Vec<MountInfo> {
    let entries: Vec<_> = MOUNTS
        .lock()
        .iter()
        .map(|m| {
            let device =
                m.tree.as_ref().map_or(if m.fs_type == FsType::Proc { PROCFS_DEV } else { DEVFS_DEV }, |t| t.device());
            let fs_options = match &m.tree {
                Some(tree) => {
                    let root = tree.root().metadata();
                    let default = default_size_pages();
                    let size = if tree.page_limit() == u64::MAX { default } else { tree.page_limit() };
                    TmpfsOptions::text(size, default, root.mode & 0o7777, root.uid, root.gid)
                }
                None if m.fs_type == FsType::Devtmpfs => String::from(",mode=755"),
                None => String::new(),
            };
            let ids = (m.id, m.parent, m.devpts_id);
            (ids, m.point.clone(), m.fs_type, m.source.clone(), device, m.flags.text(), fs_options)
        })
        .collect();
    let mut list = Vec::new();
    for ((id, parent, devpts_id), point, fs_type, source, device, mount_options, fs_options) in entries {
        let path = match point {
            None => b"/".to_vec(),
            Some(point) => match vfs::path_of(&Node::Tmpfs(point)) {
                Ok(path) => path,
                Err(_) => continue,
            },
        };
        if fs_type == FsType::Devtmpfs {
            let mut pts = path.clone();
            pts.extend_from_slice(if pts == b"/" { b"pts" } else { b"/pts" });
            list.push(MountInfo {
                id,
                parent,
                source: source.clone(),
                path,
                fs_type: fs_type.name(),
                device,
                mount_options: mount_options.clone(),
                fs_options,
            });
            list.push(MountInfo {
                id: devpts_id,
                parent: id,
                source: String::from("devpts"),
                path: pts,
                fs_type: "devpts",
                device: DEVPTS_DEV,
                mount_options: String::from("rw,nosuid,noexec,relatime"),
                fs_options: String::from(",gid=5,mode=620,ptmxmode=000"),
            });
        } else {
            list.push(MountInfo {
                id,
                parent,
                source,
                path,
                fs_type: fs_type.name(),
                device,
                mount_options,
                fs_options,
            });
        }
    }
    list
}

/// A tmpfs's size when mount(2) says none: half of memory, as Linux's.
fn default_size_pages() -> u64 {
    crate::mm::frames::stats().total / 2
}

/// mount(2) with the target resolved: `target` the node it names (the root of
/// what is mounted there already, if anything is). Only root may mount (EPERM).
/// New mounts go on tmpfs directories (EINVAL elsewhere; EBUSY for proc on proc
/// and devtmpfs on devtmpfs, as Linux refuses a file system on its own root);
/// unknown types are ENODEV. MS_REMOUNT changes a mount's flags and a tmpfs's
/// options; propagation changes need a mount's root and change nothing (there is
/// one namespace); bind mounts and moves are not supported (EINVAL).
pub fn mount(source: &[u8], target: &Node, fs_type: Option<&[u8]>, flags: u64, data: &[u8]) -> Result<(), Errno> {
    let request = mountopt::parse_request(flags)?;
    if !processes().credentials().is_privileged() {
        return Err(Errno::EPERM);
    }
    let data = core::str::from_utf8(data).map_err(|_| Errno::EINVAL)?;
    match request {
        Request::New(flags) => {
            let fs_type = FsType::from_name(fs_type.ok_or(Errno::EINVAL)?).ok_or(Errno::ENODEV)?;
            mount_new(source, target, fs_type, flags, data)
        }
        Request::Remount(flags) => remount(target, Some(flags), Some(data)),
        Request::RemountFlags(flags) => remount(target, Some(flags), None),
        Request::Propagation => remount(target, None, None),
        Request::Bind | Request::Move => Err(Errno::EINVAL),
    }
}

fn mount_new(source: &[u8], target: &Node, fs_type: FsType, flags: MountFlags, data: &str) -> Result<(), Errno> {
    let point = match target {
        Node::Tmpfs(inode) if inode.file_type() == FileType::Directory => inode.clone(),
        Node::Tmpfs(_) => return Err(Errno::ENOTDIR),
        Node::Proc(ProcNode::Root) if fs_type == FsType::Proc => return Err(Errno::EBUSY),
        Node::Dev(DevNode::Root) if fs_type == FsType::Devtmpfs => return Err(Errno::EBUSY),
        _ => return Err(Errno::EINVAL),
    };
    let tree = match fs_type {
        FsType::Tmpfs => Some(new_tmpfs(data)?),
        FsType::Devtmpfs | FsType::Proc if !data.is_empty() => return Err(Errno::EINVAL),
        FsType::Devtmpfs | FsType::Proc => None,
    };
    let parent = MOUNTS.lock().iter().rev().find(|m| m.holds_device(point.device())).map_or(1, |m| m.id);
    let source = core::str::from_utf8(source).map_err(|_| Errno::EINVAL)?;
    add(Some(point), parent, fs_type, source, flags, tree);
    Ok(())
}

/// A new tmpfs with the options in `data`; its root directory is `drwxrwxrwt
/// root root` unless they say otherwise.
fn new_tmpfs(data: &str) -> Result<Arc<Tree>, Errno> {
    let options = TmpfsOptions::parse(data, crate::mm::frames::stats().total)?;
    let tree = Tree::new(Arc::new(FramePages), NEXT_DEVICE.fetch_add(1, Ordering::Relaxed));
    apply_size(&tree, options.size_pages.unwrap_or_else(default_size_pages));
    let root = tree.root();
    root.chmod(options.mode.unwrap_or(0o1777), &Credentials::ROOT, super::root::now())?;
    root.chown(options.uid, options.gid, &Credentials::ROOT, super::root::now())?;
    Ok(Arc::new(tree))
}

/// A tmpfs's size in pages (0: no limit of its own).
fn apply_size(tree: &Tree, pages: u64) {
    tree.set_page_limit(if pages == 0 { u64::MAX } else { pages });
}

/// MS_REMOUNT (new `flags`, and for a tmpfs the options in `data` if given) or a
/// propagation change (neither) of the mount whose root is `target`: EINVAL if
/// it is no mount's root.
fn remount(target: &Node, flags: Option<MountFlags>, data: Option<&str>) -> Result<(), Errno> {
    let mut mounts = MOUNTS.lock();
    let mount = mounts.iter_mut().rev().find(|m| m.has_root(target)).ok_or(Errno::EINVAL)?;
    if let (Some(data), Some(tree)) = (data, &mount.tree) {
        let options = TmpfsOptions::parse(data, crate::mm::frames::stats().total)?;
        if let Some(pages) = options.size_pages {
            apply_size(tree, pages);
        }
    } else if data.is_some_and(|d| !d.is_empty()) {
        return Err(Errno::EINVAL);
    }
    if let Some(flags) = flags {
        mount.flags = flags;
    }
    Ok(())
}

/// umount2 with its flags checked and the target resolved to `target` (the root
/// of the mount to remove;
/// `covered`, the tmpfs directory the path's final name is, picks among mounts of
/// one file system). Only root (EPERM); EINVAL for what is not a mount's root
/// and for the root file system; EBUSY while a process works in it or has a file
/// of it open, or another mount sits in it, unless MNT_DETACH, which removes it
/// from the namespace at once with the mounts in it (its files stay usable to
/// whoever has them). MNT_EXPIRE marks an unused mount and returns EAGAIN; a
/// second such call removes it.
pub fn umount(target: &Node, covered: Option<&InodeRef>, flags: u32) -> Result<(), Errno> {
    if !processes().credentials().is_privileged() {
        return Err(Errno::EPERM);
    }
    let (id, devices) = {
        let mounts = MOUNTS.lock();
        let mut candidates = mounts.iter().filter(|m| m.point.is_some() && m.has_root(target));
        let chosen = match covered {
            Some(covered) => mounts
                .iter()
                .rev()
                .find(|m| m.has_root(target) && m.point.as_ref().is_some_and(|p| Arc::ptr_eq(p, covered))),
            None => None,
        };
        let mount = chosen.or_else(|| candidates.next_back()).ok_or(Errno::EINVAL)?;
        let devices: Vec<u64> = [DEVFS_DEV, DEVPTS_DEV, PROCFS_DEV]
            .into_iter()
            .chain(mount.tree.as_ref().map(|t| t.device()))
            .filter(|&d| mount.holds_device(d))
            .collect();
        (mount.id, devices)
    };
    if flags & MNT_DETACH == 0 && (has_submounts(id, &devices) || in_use(&devices)) {
        return Err(Errno::EBUSY);
    }
    let mut mounts = MOUNTS.lock();
    if flags & MNT_EXPIRE != 0 {
        let mount = mounts.iter_mut().find(|m| m.id == id).ok_or(Errno::EINVAL)?;
        if !mount.expiry_marked {
            mount.expiry_marked = true;
            return Err(Errno::EAGAIN);
        }
    }
    let mut gone = alloc::vec![id];
    while let Some(index) = mounts.iter().position(|m| gone.contains(&m.parent) && !gone.contains(&m.id)) {
        gone.push(mounts[index].id);
    }
    let removed: Vec<Mount> = mounts.extract_if(.., |m| gone.contains(&m.id)).collect();
    remark_points(&mounts);
    drop(mounts);
    drop(removed); // trees freed with no table lock held
    Ok(())
}

/// Whether a mount sits on a directory of the mount `id` (on a device of `devices`).
fn has_submounts(id: u64, devices: &[u64]) -> bool {
    MOUNTS.lock().iter().any(|m| m.id != id && m.point.as_ref().is_some_and(|p| devices.contains(&p.device())))
}

/// Whether a process works in a directory on one of `devices` or has a file of
/// them open.
fn in_use(devices: &[u64]) -> bool {
    let p = processes();
    p.pids().into_iter().any(|pid| {
        p.cwd(pid).is_some_and(|cwd| devices.contains(&vfs::stat(&cwd).st_dev))
            || p.open_files(pid).unwrap_or_default().iter().any(|(_, file)| devices.contains(&file.stat().st_dev))
    })
}
