//! The root file system: a tmpfs (the `ramfs` crate) unpacked from the initramfs (a
//! cpio archive GRUB loaded as a module) at boot, its file data in frames; and the
//! identity its calls act as (the caller's file-system ids).
use alloc::sync::Arc;
use alloc::vec::Vec;

use creds::Ids;
use kabi::Errno;
use ramfs::{Credentials, FileType, InodeRef, Timestamp, Tree};

use super::processes::processes;
use crate::mm::file_pages::FramePages;

static TREE: spin::Once<Arc<Tree>> = spin::Once::new();

/// Unpack the initramfs. Returns the number of bytes it held.
pub fn init(initramfs: &[u8]) -> Result<usize, ramfs::LoadError> {
    ramfs::seed_name_hashes(crate::arch::random::next_u64());
    let tree = Tree::from_cpio(initramfs, Arc::new(FramePages), super::vfs::TMPFS_DEV)?;
    TREE.call_once(|| Arc::new(tree));
    Ok(initramfs.len())
}

/// ENOSPC when a new name or inode would have to come out of the kernel's frame
/// reserve: a tmpfs's names and inodes live on the kernel heap, so creating files
/// stops where user memory does, as writing their data does (Linux's tmpfs
/// bounds its inodes likewise).
pub fn room_for_new_entry() -> Result<(), Errno> {
    let free = crate::mm::frames::stats().free;
    if free > crate::mm::frames::reserve() + NEW_ENTRY_SLACK_FRAMES { Ok(()) } else { Err(Errno::ENOSPC) }
}

/// Frames above the reserve a new entry needs free (a heap growth step's worth).
const NEW_ENTRY_SLACK_FRAMES: u64 = 64;

/// The root file system's tree.
pub fn tree() -> &'static Arc<Tree> {
    TREE.get().expect("root file system unpacked")
}

/// Whose rights a file-system call goes by: a user, a group and the
/// supplementary groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    uid: u32,
    gid: u32,
    groups: Vec<u32>,
}

impl Identity {
    /// The calling process by its file-system uid and gid, which Linux's
    /// permission checks go by.
    pub fn caller() -> Identity {
        Identity::of_caller(|ids| ids.fs)
    }

    /// The calling process by its real uid and gid (access(2) without AT_EACCESS).
    pub fn caller_real() -> Identity {
        Identity::of_caller(|ids| ids.real)
    }

    /// The calling process by `which` of its uids and of its gids.
    fn of_caller(which: fn(&Ids) -> u32) -> Identity {
        let creds = processes().credentials();
        Identity { uid: which(&creds.user), gid: which(&creds.group), groups: creds.groups }
    }

    /// As the tmpfs takes it.
    pub fn credentials(&self) -> Credentials<'_> {
        Credentials { uid: self.uid, gid: self.gid, groups: &self.groups }
    }
}

/// The real-time clock as file timestamps.
pub fn now() -> Timestamp {
    let ns = crate::time::realtime_ns();
    Timestamp { sec: (ns / 1_000_000_000) as i64, nsec: (ns % 1_000_000_000) as u32 }
}

/// The directory at absolute `path`, made (mode 0755, by root) if it is missing
/// (the mount points, at boot).
pub fn directory(path: &[u8]) -> Result<InodeRef, Errno> {
    let t = tree();
    let root = t.root();
    let kernel = Credentials::ROOT;
    match t.lookup(root, path, true) {
        Ok(dir) if dir.file_type() == FileType::Directory => Ok(dir),
        Ok(_) => Err(Errno::ENOTDIR),
        Err(Errno::ENOENT) => t.mkdir(&t.lookup_parent(root, path, &kernel)?, 0o755, &kernel, now()),
        Err(e) => Err(e),
    }
}
