//! The mount table: devfs on /dev and procfs on /proc, each covering a directory of
//! the tmpfs root, and devpts on /dev/pts (a directory devfs shows, listed here for
//! /proc/mounts). The VFS asks it when a walk enters a mount point or leaves a
//! mounted file system through `..`.
use alloc::sync::Arc;

use kabi::Errno;
use ramfs::InodeRef;

use super::devfs::DevNode;
use super::procfs::ProcNode;
use super::vfs::Node;

struct Table {
    dev: InodeRef,
    proc: InodeRef,
}

static TABLE: spin::Once<Table> = spin::Once::new();

/// One line of /proc/mounts.
#[derive(Debug, Clone, Copy)]
pub struct MountInfo {
    pub source: &'static str,
    pub path: &'static str,
    pub fs_type: &'static str,
    /// The minor of its st_dev (the major is 0, as Linux's in-memory file systems).
    pub device: u64,
    /// Its options as /proc/mounts shows them.
    pub options: &'static str,
    /// The index of the mount it is on (itself for the root).
    pub parent: usize,
}

const MOUNTS: [MountInfo; 4] = [
    MountInfo {
        source: "rootfs",
        path: "/",
        fs_type: "tmpfs",
        device: super::vfs::TMPFS_DEV,
        options: "rw",
        parent: 0,
    },
    MountInfo {
        source: "devtmpfs",
        path: "/dev",
        fs_type: "devtmpfs",
        device: super::vfs::DEVFS_DEV,
        options: "rw",
        parent: 0,
    },
    MountInfo {
        source: "proc",
        path: "/proc",
        fs_type: "proc",
        device: super::vfs::PROCFS_DEV,
        options: "rw",
        parent: 0,
    },
    MountInfo {
        source: "devpts",
        path: "/dev/pts",
        fs_type: "devpts",
        device: super::vfs::DEVPTS_DEV,
        options: "rw,gid=5,mode=620,ptmxmode=000",
        parent: 1,
    },
];

/// Mount devfs and procfs on the root's /dev and /proc (made if missing).
pub fn init() -> Result<(), Errno> {
    let dev = super::root::directory(b"/dev")?;
    let proc = super::root::directory(b"/proc")?;
    TABLE.call_once(|| Table { dev, proc });
    Ok(())
}

fn table() -> &'static Table {
    TABLE.get().expect("file systems mounted")
}

/// The root of the file system mounted on `inode`, if it is a mount point.
pub fn mounted_on(inode: &InodeRef) -> Option<Node> {
    let t = TABLE.get()?;
    if Arc::ptr_eq(inode, &t.dev) {
        Some(Node::Dev(DevNode::Root))
    } else if Arc::ptr_eq(inode, &t.proc) {
        Some(Node::Proc(ProcNode::Root))
    } else {
        None
    }
}

/// The tmpfs directory a node's file system is mounted on (a tmpfs node is its own).
pub fn mount_point(node: &Node) -> InodeRef {
    match node {
        Node::Tmpfs(inode) => inode.clone(),
        Node::Dev(_) => table().dev.clone(),
        Node::Proc(_) => table().proc.clone(),
    }
}

pub fn list() -> &'static [MountInfo] {
    &MOUNTS
}
