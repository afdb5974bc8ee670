//! The root file system: a tmpfs (the `ramfs` crate) unpacked from the initramfs (a
//! cpio archive GRUB loaded as a module) at boot, its file data in frames.
use alloc::sync::Arc;

use kabi::Errno;
use ramfs::{Credentials, FileType, InodeRef, Timestamp, Tree};

use crate::mm::file_pages::FramePages;

static TREE: spin::Once<Tree> = spin::Once::new();

/// Unpack the initramfs. Returns the number of bytes it held.
pub fn init(initramfs: &[u8]) -> Result<usize, ramfs::LoadError> {
    let tree = Tree::from_cpio(initramfs, Arc::new(FramePages))?;
    TREE.call_once(|| tree);
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

pub fn tree() -> &'static Tree {
    TREE.get().expect("root file system unpacked")
}

/// Everyone is root: the credentials of every file-system call.
pub fn credentials() -> Credentials<'static> {
    Credentials::ROOT
}

/// The real-time clock as file timestamps.
pub fn now() -> Timestamp {
    let ns = crate::time::realtime_ns();
    Timestamp { sec: (ns / 1_000_000_000) as i64, nsec: (ns % 1_000_000_000) as u32 }
}

/// The directory at absolute `path`, made (mode 0755) if it is missing.
pub fn directory(path: &[u8]) -> Result<InodeRef, Errno> {
    let t = tree();
    let root = t.root();
    match t.lookup(root, path, true) {
        Ok(dir) if dir.file_type() == FileType::Directory => Ok(dir),
        Ok(_) => Err(Errno::ENOTDIR),
        Err(Errno::ENOENT) => t.mkdir(&t.lookup_parent(root, path, &credentials())?, 0o755, &credentials(), now()),
        Err(e) => Err(e),
    }
}
