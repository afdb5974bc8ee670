//! Inodes: the objects of the file tree (directories, regular files, symbolic links),
//! their attributes and link counts, reading them, and linking names into directories.
//!
//! Locking: an inode's number and type never change and need no lock; its attributes
//! and its content (file data, directory entries) each have their own `spin::Mutex`.
//! Code here holds at most one of these locks at a time, so no lock order can invert.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::fmt;
use core::sync::atomic::{AtomicU32, Ordering};

use kabi::Errno;
use kabi::fs::{DT_DIR, DT_LNK, DT_REG, S_IFDIR, S_IFLNK, S_IFREG};
use spin::Mutex;

/// A shared reference to an inode; an open file holds one, which keeps the inode and
/// its data alive after its last name is unlinked.
pub type InodeRef = Arc<Inode>;

/// The permission bits of a mode: set-user-id, set-group-id, sticky and rwxrwxrwx.
pub(crate) const PERMISSION_BITS: u32 = 0o7777;

/// The size Linux's tmpfs counts for each entry of a directory, `.` and `..` included
/// (`BOGO_DIRENT_SIZE`), so that `st_size` of a directory grows with its entries.
const DIR_ENTRY_SIZE: u64 = 20;

/// The `st_blocks` unit, and the page size that file data is counted in.
const BLOCK_SIZE: u64 = 512;
const PAGE_SIZE: u64 = 4096;

/// The offset `dir_entry_at` gives `.`; `..` follows, then the named entries.
const DOT_OFFSET: u64 = 0;
const DOT_DOT_OFFSET: u64 = 1;
const FIRST_NAMED_OFFSET: u64 = 2;

/// What kind of object an inode is; fixed when the inode is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Directory,
    Regular,
    Symlink,
}

impl FileType {
    /// The type bits of `st_mode` (`S_IFDIR`, `S_IFREG`, `S_IFLNK`).
    pub const fn mode_bits(self) -> u32 {
        match self {
            FileType::Directory => S_IFDIR,
            FileType::Regular => S_IFREG,
            FileType::Symlink => S_IFLNK,
        }
    }

    /// The `d_type` of a `linux_dirent64` record (`DT_DIR`, `DT_REG`, `DT_LNK`).
    pub const fn dirent_type(self) -> u8 {
        match self {
            FileType::Directory => DT_DIR,
            FileType::Regular => DT_REG,
            FileType::Symlink => DT_LNK,
        }
    }
}

/// The attributes an inode's creator chooses and `chmod`, `chown` and writes change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Attributes {
    /// The mode without its type bits (`PERMISSION_BITS`).
    pub(crate) permissions: u32,
    pub(crate) uid: u32,
    pub(crate) gid: u32,
    /// Last modification, in seconds since the epoch.
    pub(crate) mtime: i64,
}

/// What `stat` reports about an inode; the kernel adds the device and block size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metadata {
    pub ino: u64,
    /// File type bits and permission bits, as `st_mode`.
    pub mode: u32,
    pub nlink: u32,
    pub uid: u32,
    pub gid: u32,
    /// Bytes of data; a symlink's target length; for a directory, as tmpfs counts it.
    pub size: u64,
    /// Seconds since the epoch.
    pub mtime: i64,
    /// 512-byte blocks in use: whole pages of file data, as on tmpfs.
    pub blocks: u64,
}

/// One entry of a directory listing (`getdents64`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    pub name: Vec<u8>,
    pub ino: u64,
    pub file_type: FileType,
    /// The offset of the entry after this one: `d_off`, where a later listing resumes.
    pub next_offset: u64,
}

/// A file-system object.
pub struct Inode {
    ino: u64,
    /// Names linking to this inode; a directory also counts its own `.` and the `..`
    /// of each subdirectory.
    nlink: AtomicU32,
    attributes: Mutex<Attributes>,
    content: Content,
}

enum Content {
    Directory(Mutex<Directory>),
    Regular(Mutex<Vec<u8>>),
    /// A symlink's target never changes (Linux has no call that changes it).
    Symlink(Box<[u8]>),
}

/// The entries of a directory. Each name gets an offset when it is linked, in
/// increasing order, and keeps it: a listing resumed at an offset neither repeats nor
/// skips entries that stayed while others came and went.
pub(crate) struct Directory {
    /// The directory holding this one (the root's is itself); `..` resolves to it.
    parent: Weak<Inode>,
    entries: BTreeMap<u64, NamedEntry>,
    offsets_by_name: BTreeMap<Box<[u8]>, u64>,
    next_offset: u64,
}

struct NamedEntry {
    name: Box<[u8]>,
    inode: InodeRef,
}

impl fmt::Debug for Inode {
    /// The number and type only: printing entries would print the whole subtree.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inode").field("ino", &self.ino).field("type", &self.file_type()).finish()
    }
}

impl Inode {
    /// A directory with no entries, not linked anywhere yet ([`Inode::put_child`]
    /// links it and sets its `..`).
    pub(crate) fn new_directory(ino: u64, attributes: Attributes) -> InodeRef {
        Self::new(ino, attributes, Content::Directory(Mutex::new(Directory::new(Weak::new()))), 1)
    }

    /// The root directory, whose `..` is itself.
    pub(crate) fn new_root(ino: u64, attributes: Attributes) -> InodeRef {
        Arc::new_cyclic(|root| Inode {
            ino,
            nlink: AtomicU32::new(2),
            attributes: Mutex::new(attributes),
            content: Content::Directory(Mutex::new(Directory::new(root.clone()))),
        })
    }

    pub(crate) fn new_regular(ino: u64, attributes: Attributes, data: Vec<u8>) -> InodeRef {
        Self::new(ino, attributes, Content::Regular(Mutex::new(data)), 0)
    }

    pub(crate) fn new_symlink(ino: u64, attributes: Attributes, target: &[u8]) -> InodeRef {
        Self::new(ino, attributes, Content::Symlink(target.into()), 0)
    }

    fn new(ino: u64, attributes: Attributes, content: Content, nlink: u32) -> InodeRef {
        Arc::new(Inode { ino, nlink: AtomicU32::new(nlink), attributes: Mutex::new(attributes), content })
    }

    pub fn ino(&self) -> u64 {
        self.ino
    }

    pub fn file_type(&self) -> FileType {
        match self.content {
            Content::Directory(_) => FileType::Directory,
            Content::Regular(_) => FileType::Regular,
            Content::Symlink(_) => FileType::Symlink,
        }
    }

    /// The `stat` fields.
    pub fn metadata(&self) -> Metadata {
        let (size, blocks) = match &self.content {
            Content::Directory(directory) => {
                ((directory.lock().entries.len() as u64 + FIRST_NAMED_OFFSET) * DIR_ENTRY_SIZE, 0)
            }
            Content::Regular(data) => {
                let size = data.lock().len() as u64;
                (size, size.div_ceil(PAGE_SIZE) * (PAGE_SIZE / BLOCK_SIZE))
            }
            Content::Symlink(target) => (target.len() as u64, 0),
        };
        let attributes = *self.attributes.lock();
        Metadata {
            ino: self.ino,
            mode: self.file_type().mode_bits() | attributes.permissions,
            nlink: self.nlink.load(Ordering::Relaxed),
            uid: attributes.uid,
            gid: attributes.gid,
            size,
            mtime: attributes.mtime,
            blocks,
        }
    }

    /// Copies file data from `offset` into `buffer`; returns the bytes copied, 0 at or
    /// past the end. `EISDIR` for a directory, `EINVAL` for a symlink.
    pub fn read(&self, offset: u64, buffer: &mut [u8]) -> Result<usize, Errno> {
        let data = match &self.content {
            Content::Regular(data) => data.lock(),
            Content::Directory(_) => return Err(Errno::EISDIR),
            Content::Symlink(_) => return Err(Errno::EINVAL),
        };
        let start = usize::try_from(offset).map_or(data.len(), |offset| offset.min(data.len()));
        let count = buffer.len().min(data.len() - start);
        buffer[..count].copy_from_slice(&data[start..start + count]);
        Ok(count)
    }

    /// A symlink's target (`readlink`); `EINVAL` for anything else, as on Linux.
    pub fn read_link(&self) -> Result<&[u8], Errno> {
        match &self.content {
            Content::Symlink(target) => Ok(target),
            _ => Err(Errno::EINVAL),
        }
    }

    /// The first directory entry at `offset` or after it, or `None` past the last one.
    /// Listings start at offset 0 with `.` and `..`, then the names in the order they
    /// were linked; resume at the entry's `next_offset`. `ENOTDIR` for a non-directory.
    pub fn dir_entry_at(&self, offset: u64) -> Result<Option<DirEntry>, Errno> {
        let directory = self.directory().ok_or(Errno::ENOTDIR)?;
        let (name, ino, file_type, next_offset) = match offset {
            DOT_OFFSET => (&b"."[..], self.ino, FileType::Directory, DOT_DOT_OFFSET),
            DOT_DOT_OFFSET => {
                let parent = directory.lock().parent.upgrade();
                let ino = parent.map_or(self.ino, |parent| parent.ino);
                (&b".."[..], ino, FileType::Directory, FIRST_NAMED_OFFSET)
            }
            _ => {
                let directory = directory.lock();
                let Some((&offset, entry)) = directory.entries.range(offset..).next() else {
                    return Ok(None);
                };
                let file_type = entry.inode.file_type();
                let name = entry.name.to_vec();
                return Ok(Some(DirEntry { name, ino: entry.inode.ino, file_type, next_offset: offset + 1 }));
            }
        };
        Ok(Some(DirEntry { name: name.to_vec(), ino, file_type, next_offset }))
    }

    pub(crate) fn directory(&self) -> Option<&Mutex<Directory>> {
        match &self.content {
            Content::Directory(directory) => Some(directory),
            _ => None,
        }
    }

    /// The inode `name` names in this directory; `ENOTDIR` if this is not one,
    /// `ENOENT` if it has no such entry.
    pub(crate) fn child(&self, name: &[u8]) -> Result<InodeRef, Errno> {
        let directory = self.directory().ok_or(Errno::ENOTDIR)?.lock();
        directory.child(name).ok_or(Errno::ENOENT)
    }

    /// The directory `..` leads to; `ENOENT` once that directory is gone.
    pub(crate) fn parent(&self) -> Result<InodeRef, Errno> {
        let directory = self.directory().ok_or(Errno::ENOTDIR)?.lock();
        directory.parent.upgrade().ok_or(Errno::ENOENT)
    }

    /// The name `child` has in this directory, if it is linked here.
    pub(crate) fn name_of(&self, child: &InodeRef) -> Option<Box<[u8]>> {
        let directory = self.directory()?.lock();
        directory.entries.values().find(|entry| Arc::ptr_eq(&entry.inode, child)).map(|entry| entry.name.clone())
    }

    pub(crate) fn set_attributes(&self, attributes: Attributes) {
        *self.attributes.lock() = attributes;
    }

    /// Replaces a regular file's data; other inodes have none (`EINVAL`).
    pub(crate) fn set_data(&self, data: Vec<u8>) -> Result<(), Errno> {
        match &self.content {
            Content::Regular(current) => {
                *current.lock() = data;
                Ok(())
            }
            _ => Err(Errno::EINVAL),
        }
    }

    /// Links `child` into this directory as `name`, first unlinking whatever `name`
    /// named, and keeps the link counts: the child gains a link, and a directory child
    /// adds its `..` to this directory's count (and `..` leads here). `ENOTDIR` if this
    /// is not a directory.
    pub(crate) fn put_child(self: &Arc<Self>, name: &[u8], child: InodeRef) -> Result<(), Errno> {
        let directory = self.directory().ok_or(Errno::ENOTDIR)?;
        if directory.lock().child(name).is_some_and(|current| Arc::ptr_eq(&current, &child)) {
            return Ok(());
        }
        if let Some(child_directory) = child.directory() {
            child_directory.lock().parent = Arc::downgrade(self);
            self.nlink.fetch_add(1, Ordering::Relaxed);
        }
        child.nlink.fetch_add(1, Ordering::Relaxed);
        let replaced = directory.lock().put(name, child);
        if let Some(replaced) = replaced {
            replaced.nlink.fetch_sub(1, Ordering::Relaxed);
            if replaced.file_type() == FileType::Directory {
                // Its `.` goes with its name, as its `..` goes from this directory.
                replaced.nlink.fetch_sub(1, Ordering::Relaxed);
                self.nlink.fetch_sub(1, Ordering::Relaxed);
            }
        }
        Ok(())
    }
}

impl Directory {
    fn new(parent: Weak<Inode>) -> Self {
        Directory {
            parent,
            entries: BTreeMap::new(),
            offsets_by_name: BTreeMap::new(),
            next_offset: FIRST_NAMED_OFFSET,
        }
    }

    fn child(&self, name: &[u8]) -> Option<InodeRef> {
        let offset = self.offsets_by_name.get(name)?;
        self.entries.get(offset).map(|entry| entry.inode.clone())
    }

    /// Links `inode` as `name` at a new offset; returns the inode `name` named before.
    fn put(&mut self, name: &[u8], inode: InodeRef) -> Option<InodeRef> {
        let replaced = self.offsets_by_name.remove(name).and_then(|offset| self.entries.remove(&offset));
        let offset = self.next_offset;
        self.next_offset += 1;
        self.offsets_by_name.insert(name.into(), offset);
        self.entries.insert(offset, NamedEntry { name: name.into(), inode });
        replaced.map(|entry| entry.inode)
    }
}
