//! Inodes: the objects of the file tree (directories, regular files, symbolic links,
//! socket names),
//! their attributes, times and link counts, reading and writing them, and the entries
//! of directories.
//!
//! Locking: an inode's number and type never change and need no lock; its link count is
//! atomic; its attributes and its content (file data, directory entries) each have their
//! own `spin::Mutex`. Code here holds at most one of these locks at a time, so no lock
//! order can invert; operations on several inodes at once (`Tree`'s namespace
//! operations) are serialized by the tree's namespace lock.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::fmt;
use core::sync::atomic::{AtomicU32, Ordering};

use kabi::Errno;
use kabi::fs::{
    DT_DIR, DT_FIFO, DT_LNK, DT_REG, DT_SOCK, S_IFDIR, S_IFIFO, S_IFLNK, S_IFREG, S_IFSOCK, S_ISGID, S_ISUID, S_IXGRP,
};
use spin::Mutex;

use crate::access::{self, Access, Credentials};
use crate::data::{FileData, PAGE_SIZE, PageStore, Source};
use crate::name_index::{NameIndex, new_name_index};
use crate::time::{SetTime, Timestamp};

/// A shared reference to an inode; an open file holds one, which keeps the inode and
/// its data alive after its last name is unlinked.
pub type InodeRef = Arc<Inode>;

/// The permission bits of a mode: set-user-id, set-group-id, sticky and rwxrwxrwx.
pub(crate) const PERMISSION_BITS: u32 = 0o7777;

/// The size Linux's tmpfs counts for each entry of a directory, `.` and `..` included
/// (`BOGO_DIRENT_SIZE`), so that `st_size` of a directory grows with its entries.
const DIR_ENTRY_SIZE: u64 = 20;

/// The `st_blocks` unit.
const BLOCK_SIZE: u64 = 512;

/// How long relatime lets an atime lag behind reads: a day.
const RELATIME_INTERVAL: i64 = 24 * 60 * 60;

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
    /// The name a Unix-domain socket was bound to (`bind`); the kernel finds the
    /// socket by the inode. It holds no data and cannot be opened.
    Socket,
    /// A named pipe (`mkfifo`): the kernel attaches a pipe to the inode while it
    /// is open; the inode holds no data.
    Fifo,
}

impl FileType {
    /// The type bits of `st_mode` (`S_IFDIR`, `S_IFREG`, `S_IFLNK`, `S_IFSOCK`,
    /// `S_IFIFO`).
    pub const fn mode_bits(self) -> u32 {
        match self {
            FileType::Directory => S_IFDIR,
            FileType::Regular => S_IFREG,
            FileType::Symlink => S_IFLNK,
            FileType::Socket => S_IFSOCK,
            FileType::Fifo => S_IFIFO,
        }
    }

    /// The `d_type` of a `linux_dirent64` record (`DT_DIR`, `DT_REG`, `DT_LNK`,
    /// `DT_SOCK`, `DT_FIFO`).
    pub const fn dirent_type(self) -> u8 {
        match self {
            FileType::Directory => DT_DIR,
            FileType::Regular => DT_REG,
            FileType::Symlink => DT_LNK,
            FileType::Socket => DT_SOCK,
            FileType::Fifo => DT_FIFO,
        }
    }
}

/// The attributes an inode's creator chooses and `chmod`, `chown`, writes and
/// `utimensat` change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Attributes {
    /// The mode without its type bits (`PERMISSION_BITS`).
    pub(crate) permissions: u32,
    pub(crate) uid: u32,
    pub(crate) gid: u32,
    /// Last access (as relatime keeps it), data change, and inode change.
    pub(crate) atime: Timestamp,
    pub(crate) mtime: Timestamp,
    pub(crate) ctime: Timestamp,
}

impl Attributes {
    /// Attributes with all three times `time`.
    pub(crate) const fn new(permissions: u32, uid: u32, gid: u32, time: Timestamp) -> Attributes {
        Attributes { permissions, uid, gid, atime: time, mtime: time, ctime: time }
    }
}

/// What `stat` reports about an inode; the kernel adds the block size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metadata {
    /// The device number of the inode's tree (each tmpfs has its own).
    pub device: u64,
    pub ino: u64,
    /// File type bits and permission bits, as `st_mode`.
    pub mode: u32,
    pub nlink: u32,
    pub uid: u32,
    pub gid: u32,
    /// Bytes of data; a symlink's target length; for a directory, as tmpfs counts it.
    pub size: u64,
    pub atime: Timestamp,
    pub mtime: Timestamp,
    pub ctime: Timestamp,
    /// 512-byte blocks in use: the pages holding file data (holes take none), as on
    /// tmpfs.
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

/// Which inode: the device number of its tree and its number there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct InodeId {
    pub(crate) device: u64,
    pub(crate) ino: u64,
}

/// A file-system object.
pub struct Inode {
    id: InodeId,
    /// Names linking to this inode; a directory also counts its own `.` and the `..`
    /// of each subdirectory. A removed directory has none (it is "dead").
    nlink: AtomicU32,
    attributes: Mutex<Attributes>,
    content: Content,
}

enum Content {
    Directory(Mutex<Directory>),
    Regular(Mutex<FileData>),
    /// A symlink's target never changes (Linux has no call that changes it).
    Symlink(Box<[u8]>),
    Socket,
    Fifo,
}

/// The entries of a directory. Each name gets an offset when it is linked, in
/// increasing order, and keeps it: a listing resumed at an offset neither repeats nor
/// skips entries that stayed while others came and went.
pub(crate) struct Directory {
    /// The directory holding this one (the root's is itself); `..` resolves to it.
    parent: Weak<Inode>,
    entries: BTreeMap<u64, NamedEntry>,
    offsets_by_name: NameIndex,
    next_offset: u64,
}

struct NamedEntry {
    name: Box<[u8]>,
    inode: InodeRef,
}

impl fmt::Debug for Inode {
    /// The number and type only: printing entries would print the whole subtree.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inode").field("ino", &self.id.ino).field("type", &self.file_type()).finish()
    }
}

impl Inode {
    /// A directory with no entries, not linked anywhere yet (linking it sets its `..`).
    /// Its `.` is its first link.
    pub(crate) fn new_directory(id: InodeId, attributes: Attributes) -> InodeRef {
        Self::new(id, attributes, Content::Directory(Mutex::new(Directory::new(Weak::new()))), 1)
    }

    /// The root directory, whose `..` is itself.
    pub(crate) fn new_root(id: InodeId, attributes: Attributes) -> InodeRef {
        Arc::new_cyclic(|root| Inode {
            id,
            nlink: AtomicU32::new(2),
            attributes: Mutex::new(attributes),
            content: Content::Directory(Mutex::new(Directory::new(root.clone()))),
        })
    }

    /// An empty regular file whose pages will come from `store`.
    pub(crate) fn new_regular(id: InodeId, attributes: Attributes, store: Arc<PageStore>) -> InodeRef {
        Self::new(id, attributes, Content::Regular(Mutex::new(FileData::new(store))), 0)
    }

    pub(crate) fn new_symlink(id: InodeId, attributes: Attributes, target: &[u8]) -> InodeRef {
        Self::new(id, attributes, Content::Symlink(target.into()), 0)
    }

    pub(crate) fn new_socket(id: InodeId, attributes: Attributes) -> InodeRef {
        Self::new(id, attributes, Content::Socket, 0)
    }

    pub(crate) fn new_fifo(id: InodeId, attributes: Attributes) -> InodeRef {
        Self::new(id, attributes, Content::Fifo, 0)
    }

    fn new(id: InodeId, attributes: Attributes, content: Content, nlink: u32) -> InodeRef {
        Arc::new(Inode { id, nlink: AtomicU32::new(nlink), attributes: Mutex::new(attributes), content })
    }

    pub fn ino(&self) -> u64 {
        self.id.ino
    }

    /// The device number of the tree the inode belongs to.
    pub fn device(&self) -> u64 {
        self.id.device
    }

    pub fn file_type(&self) -> FileType {
        match self.content {
            Content::Directory(_) => FileType::Directory,
            Content::Regular(_) => FileType::Regular,
            Content::Symlink(_) => FileType::Symlink,
            Content::Socket => FileType::Socket,
            Content::Fifo => FileType::Fifo,
        }
    }

    /// The `stat` fields.
    pub fn metadata(&self) -> Metadata {
        let (size, blocks) = match &self.content {
            Content::Directory(directory) => {
                ((directory.lock().entries.len() as u64 + FIRST_NAMED_OFFSET) * DIR_ENTRY_SIZE, 0)
            }
            Content::Regular(data) => {
                let data = data.lock();
                (data.size(), data.pages() * (PAGE_SIZE as u64 / BLOCK_SIZE))
            }
            Content::Symlink(target) => (target.len() as u64, 0),
            Content::Socket | Content::Fifo => (0, 0),
        };
        let attributes = *self.attributes.lock();
        Metadata {
            device: self.id.device,
            ino: self.id.ino,
            mode: self.file_type().mode_bits() | attributes.permissions,
            nlink: self.nlink(),
            uid: attributes.uid,
            gid: attributes.gid,
            size,
            atime: attributes.atime,
            mtime: attributes.mtime,
            ctime: attributes.ctime,
            blocks,
        }
    }

    /// Whether `credentials` may have `want` on this inode: the owner's, the group's
    /// or the others' permission bits; root may read and write anything, and execute a
    /// directory (search it) or anything with an execute bit.
    pub fn may_access(&self, credentials: &Credentials<'_>, want: Access) -> bool {
        let attributes = *self.attributes.lock();
        let is_directory = self.file_type() == FileType::Directory;
        access::permitted(credentials, want, attributes.permissions, attributes.uid, attributes.gid, is_directory)
    }

    /// Copies file data from `offset` into `buffer`; returns the bytes copied, 0 at or
    /// past the end. Holes read as zeros. `EISDIR` for a directory, `EINVAL` for a
    /// symlink or a socket. Times are left alone: see [`Inode::accessed`].
    pub fn read(&self, offset: u64, buffer: &mut [u8]) -> Result<usize, Errno> {
        Ok(self.file_data()?.lock().read(offset, buffer))
    }

    /// Writes `data` at `offset` (the caller passes the size for `O_APPEND`), extending
    /// the file; a gap before `offset` reads as zeros. Returns the bytes written: when
    /// pages run out part way, what fit; `ENOSPC` if nothing did. `EFBIG` at or past
    /// the largest file size. A non-empty write that passes that check updates mtime
    /// and ctime, as Linux does before it writes. `EISDIR` for a directory, `EINVAL` for
    /// a symlink.
    pub fn write(&self, offset: u64, data: &[u8], now: Timestamp) -> Result<usize, Errno> {
        let file = self.file_data()?;
        if data.is_empty() {
            return Ok(0);
        }
        let written = file.lock().write(offset, data);
        if written != Err(Errno::EFBIG) {
            self.modified(now);
        }
        written
    }

    /// [`Inode::write`] of `count` bytes that `source` fills in place, a page's
    /// piece at a time: a short fill ends the write there, with the count so far
    /// (0 is then no error).
    pub fn write_from(
        &self,
        offset: u64,
        count: usize,
        source: &mut Source<'_>,
        now: Timestamp,
    ) -> Result<usize, Errno> {
        let file = self.file_data()?;
        if count == 0 {
            return Ok(0);
        }
        let written = file.lock().write_from(offset, count, source);
        if written != Err(Errno::EFBIG) {
            self.modified(now);
        }
        written
    }

    /// Sets a regular file's size (`truncate`, `ftruncate`, `O_TRUNC`): shrinking drops
    /// the data past `size`, growing adds zeros (a hole, no pages). mtime and ctime
    /// change even when the size stays, as on Linux's tmpfs. `EISDIR` for a directory,
    /// `EINVAL` for a symlink, `EFBIG` past the largest file size. Write permission is
    /// the caller's to check.
    pub fn truncate(&self, size: u64, now: Timestamp) -> Result<(), Errno> {
        self.file_data()?.lock().set_size(size)?;
        self.modified(now);
        Ok(())
    }

    pub(crate) fn file_data(&self) -> Result<&Mutex<FileData>, Errno> {
        match &self.content {
            Content::Regular(data) => Ok(data),
            Content::Directory(_) => Err(Errno::EISDIR),
            Content::Symlink(_) | Content::Socket | Content::Fifo => Err(Errno::EINVAL),
        }
    }

    /// `chmod`: sets the permission bits of `mode` (the type bits stay) and ctime.
    /// `EPERM` unless the caller owns the inode or is root; the set-group-id bit is
    /// dropped unless the caller is in the file's group or root. `EOPNOTSUPP` for a
    /// symlink, whose mode Linux does not let change.
    pub fn chmod(&self, mode: u32, credentials: &Credentials<'_>, now: Timestamp) -> Result<(), Errno> {
        if self.file_type() == FileType::Symlink {
            return Err(Errno::EOPNOTSUPP);
        }
        let mut attributes = self.attributes.lock();
        if !credentials.owns(attributes.uid) {
            return Err(Errno::EPERM);
        }
        let mut permissions = mode & PERMISSION_BITS;
        if !credentials.in_group_or_root(attributes.gid) {
            permissions &= !S_ISGID;
        }
        attributes.permissions = permissions;
        attributes.ctime = now;
        Ok(())
    }

    /// `chown`/`lchown`: sets the owner and group given (`None` keeps one, as -1 does)
    /// and ctime. Only root may change the owner (`EPERM`); the owner may change the
    /// group to one of its groups. On anything but a directory, set-user-id is cleared,
    /// and set-group-id if group-execute is set or the caller is neither in the file's
    /// group nor root, as Linux does even for root.
    pub fn chown(
        &self,
        uid: Option<u32>,
        gid: Option<u32>,
        credentials: &Credentials<'_>,
        now: Timestamp,
    ) -> Result<(), Errno> {
        let mut attributes = self.attributes.lock();
        let is_owner = credentials.uid == attributes.uid;
        let uid_ok = |uid: u32| credentials.is_root() || (is_owner && uid == attributes.uid);
        let gid_ok =
            |gid: u32| credentials.is_root() || (is_owner && (gid == attributes.gid || credentials.in_group(gid)));
        if !uid.is_none_or(uid_ok) || !gid.is_none_or(gid_ok) {
            return Err(Errno::EPERM);
        }
        if self.file_type() != FileType::Directory {
            let setgid = attributes.permissions & S_ISGID != 0;
            let drop_setgid =
                setgid && (attributes.permissions & S_IXGRP != 0 || !credentials.in_group_or_root(attributes.gid));
            attributes.permissions &= !S_ISUID;
            if drop_setgid {
                attributes.permissions &= !S_ISGID;
            }
        }
        attributes.uid = uid.unwrap_or(attributes.uid);
        attributes.gid = gid.unwrap_or(attributes.gid);
        attributes.ctime = now;
        Ok(())
    }

    /// `utimensat`: sets atime and mtime as asked and ctime to `now`. Setting both to
    /// now takes ownership, root or write permission (`EACCES`); any other change takes
    /// ownership or root (`EPERM`). Omitting both changes nothing.
    pub fn set_times(
        &self,
        atime: SetTime,
        mtime: SetTime,
        credentials: &Credentials<'_>,
        now: Timestamp,
    ) -> Result<(), Errno> {
        if (atime, mtime) == (SetTime::Omit, SetTime::Omit) {
            return Ok(());
        }
        let is_directory = self.file_type() == FileType::Directory;
        let mut attributes = self.attributes.lock();
        if !credentials.owns(attributes.uid) {
            if (atime, mtime) != (SetTime::Now, SetTime::Now) {
                return Err(Errno::EPERM);
            }
            let a = *attributes;
            if !access::permitted(credentials, Access::WRITE, a.permissions, a.uid, a.gid, is_directory) {
                return Err(Errno::EACCES);
            }
        }
        let resolve = |time: SetTime, current: Timestamp| match time {
            SetTime::Now => now,
            SetTime::Omit => current,
            SetTime::To(time) => time,
        };
        attributes.atime = resolve(atime, attributes.atime);
        attributes.mtime = resolve(mtime, attributes.mtime);
        attributes.ctime = now;
        Ok(())
    }

    /// Records a read (of data, or of a directory's entries) at `now` the way Linux's
    /// default `relatime` does: atime moves only if it is not after mtime or ctime, or
    /// is a day old.
    pub fn accessed(&self, now: Timestamp) {
        let mut attributes = self.attributes.lock();
        let stale = attributes.atime <= attributes.mtime
            || attributes.atime <= attributes.ctime
            || now.sec.saturating_sub(attributes.atime.sec) >= RELATIME_INTERVAL;
        if stale && attributes.atime != now {
            attributes.atime = now;
        }
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
    /// were linked; resume at the entry's `next_offset`. `ENOTDIR` for a non-directory,
    /// `ENOENT` for a removed one (as Linux's `getdents` gives).
    pub fn dir_entry_at(&self, offset: u64) -> Result<Option<DirEntry>, Errno> {
        let directory = self.directory().ok_or(Errno::ENOTDIR)?;
        if self.is_dead() {
            return Err(Errno::ENOENT);
        }
        let (name, ino, file_type, next_offset) = match offset {
            DOT_OFFSET => (&b"."[..], self.id.ino, FileType::Directory, DOT_DOT_OFFSET),
            DOT_DOT_OFFSET => {
                let parent = directory.lock().parent.upgrade();
                let ino = parent.map_or(self.id.ino, |parent| parent.id.ino);
                (&b".."[..], ino, FileType::Directory, FIRST_NAMED_OFFSET)
            }
            _ => {
                let directory = directory.lock();
                let Some((&offset, entry)) = directory.entries.range(offset..).next() else {
                    return Ok(None);
                };
                let file_type = entry.inode.file_type();
                let name = entry.name.to_vec();
                return Ok(Some(DirEntry { name, ino: entry.inode.id.ino, file_type, next_offset: offset + 1 }));
            }
        };
        Ok(Some(DirEntry { name: name.to_vec(), ino, file_type, next_offset }))
    }

    pub(crate) fn nlink(&self) -> u32 {
        self.nlink.load(Ordering::Relaxed)
    }

    /// Whether this is a directory that was removed: nothing may be created in it.
    pub(crate) fn is_dead(&self) -> bool {
        self.file_type() == FileType::Directory && self.nlink() == 0
    }

    pub(crate) fn attributes(&self) -> Attributes {
        *self.attributes.lock()
    }

    pub(crate) fn set_attributes(&self, attributes: Attributes) {
        *self.attributes.lock() = attributes;
    }

    /// Sets mtime and ctime: the data (or a directory's entries) changed.
    pub(crate) fn modified(&self, now: Timestamp) {
        let mut attributes = self.attributes.lock();
        attributes.mtime = now;
        attributes.ctime = now;
    }

    /// Sets ctime: the inode changed (a link came or went, it moved).
    pub(crate) fn changed(&self, now: Timestamp) {
        self.attributes.lock().ctime = now;
    }

    /// Replaces a regular file's data (the initramfs loader). `ENOSPC` if it does not
    /// all fit; `EISDIR`/`EINVAL` for other inodes.
    pub(crate) fn replace_data(&self, bytes: &[u8]) -> Result<(), Errno> {
        let mut data = self.file_data()?.lock();
        data.set_size(0)?;
        if data.write(0, bytes)? < bytes.len() {
            return Err(Errno::ENOSPC);
        }
        Ok(())
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

    /// Whether this directory has no entries besides `.` and `..`.
    pub(crate) fn is_empty_directory(&self) -> bool {
        self.directory().is_some_and(|directory| directory.lock().entries.is_empty())
    }

    /// Links `child` into this directory as `name`, first unlinking whatever `name`
    /// named (the initramfs loader: later entries replace earlier ones), and keeps the
    /// link counts. `ENOTDIR` if this is not a directory.
    pub(crate) fn put_child(self: &Arc<Self>, name: &[u8], child: InodeRef) -> Result<(), Errno> {
        let directory = self.directory().ok_or(Errno::ENOTDIR)?;
        if directory.lock().child(name).is_some_and(|current| Arc::ptr_eq(&current, &child)) {
            return Ok(());
        }
        let replaced = directory.lock().put(name, child.clone());
        self.gained_name(&child);
        if let Some(replaced) = replaced {
            self.lost_name(&replaced);
        }
        Ok(())
    }

    /// Keeps the link counts after an entry naming `child` was added to this directory:
    /// the child gains a link, and a directory child's `..` adds one here (and leads
    /// here).
    pub(crate) fn gained_name(self: &Arc<Self>, child: &InodeRef) {
        child.nlink.fetch_add(1, Ordering::Relaxed);
        if let Some(child_directory) = child.directory() {
            child_directory.lock().parent = Arc::downgrade(self);
            self.nlink.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Keeps the link counts after an entry naming `child` was removed from this
    /// directory: the child loses a link, and a directory child also its `.` (it is
    /// dead now) and the link its `..` gave this directory.
    pub(crate) fn lost_name(&self, child: &InodeRef) {
        child.nlink.fetch_sub(1, Ordering::Relaxed);
        if child.file_type() == FileType::Directory {
            child.nlink.fetch_sub(1, Ordering::Relaxed);
            self.nlink.fetch_sub(1, Ordering::Relaxed);
        }
    }

    /// Keeps the link counts after `child` moved from `old_parent` to this directory
    /// (`rename`): a directory's `..` now counts here and leads here.
    pub(crate) fn adopted(self: &Arc<Self>, old_parent: &InodeRef, child: &InodeRef) {
        if let Some(child_directory) = child.directory() {
            child_directory.lock().parent = Arc::downgrade(self);
            old_parent.nlink.fetch_sub(1, Ordering::Relaxed);
            self.nlink.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl Directory {
    fn new(parent: Weak<Inode>) -> Self {
        Directory {
            parent,
            entries: BTreeMap::new(),
            offsets_by_name: new_name_index(),
            next_offset: FIRST_NAMED_OFFSET,
        }
    }

    pub(crate) fn child(&self, name: &[u8]) -> Option<InodeRef> {
        let offset = self.offsets_by_name.get(name)?;
        self.entries.get(offset).map(|entry| entry.inode.clone())
    }

    /// Links `inode` as `name` at a new offset; returns the inode `name` named before.
    /// The name is never missing in between.
    pub(crate) fn put(&mut self, name: &[u8], inode: InodeRef) -> Option<InodeRef> {
        let replaced = self.remove(name);
        let offset = self.next_offset;
        self.next_offset += 1;
        self.offsets_by_name.insert(name.into(), offset);
        self.entries.insert(offset, NamedEntry { name: name.into(), inode });
        replaced
    }

    /// Unlinks `name`; returns the inode it named.
    pub(crate) fn remove(&mut self, name: &[u8]) -> Option<InodeRef> {
        let offset = self.offsets_by_name.remove(name)?;
        self.entries.remove(&offset).map(|entry| entry.inode)
    }

    /// Makes the existing entry `name` name `inode` instead, at the same offset
    /// (`RENAME_EXCHANGE`).
    pub(crate) fn swap(&mut self, name: &[u8], inode: InodeRef) {
        if let Some(entry) = self.offsets_by_name.get(name).and_then(|offset| self.entries.get_mut(offset)) {
            entry.inode = inode;
        }
    }
}

impl Drop for Directory {
    /// Frees the subtree below with a work list, not by recursion: dropping a deep tree
    /// at once (the partial tree of a failed initramfs load, or a directory an archive
    /// entry replaces) would take stack frames per level, and a few hundred levels are
    /// more than a kernel stack holds.
    fn drop(&mut self) {
        let mut orphans: Vec<InodeRef> =
            core::mem::take(&mut self.entries).into_values().map(|entry| entry.inode).collect();
        while let Some(inode) = orphans.pop() {
            // For the last reference to a directory, its entries come out before it is
            // dropped, so that its own drop finds nothing below it.
            if let Some(mut inode) = Arc::into_inner(inode)
                && let Content::Directory(directory) = &mut inode.content
            {
                orphans
                    .extend(core::mem::take(&mut directory.get_mut().entries).into_values().map(|entry| entry.inode));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_pages::HeapPages;
    use kabi::fs::S_IFMT;

    const OWNER: Credentials<'static> = Credentials { uid: 1000, gid: 100, groups: &[] };
    const STRANGER: Credentials<'static> = Credentials { uid: 2000, gid: 200, groups: &[] };
    const MEMBER: Credentials<'static> = Credentials { uid: 3000, gid: 300, groups: &[100] };

    fn at(sec: i64) -> Timestamp {
        Timestamp { sec, nsec: 500 }
    }

    fn regular(permissions: u32) -> (Arc<HeapPages>, InodeRef) {
        let pages = HeapPages::unlimited();
        let file = Inode::new_regular(
            InodeId { device: 1, ino: 5 },
            Attributes::new(permissions, 1000, 100, at(1)),
            PageStore::new(pages.clone()),
        );
        (pages, file)
    }

    fn times(inode: &Inode) -> (i64, i64, i64) {
        let metadata = inode.metadata();
        (metadata.atime.sec, metadata.mtime.sec, metadata.ctime.sec)
    }

    #[test]
    fn writes_update_size_blocks_and_times() {
        let (pages, file) = regular(0o644);
        assert_eq!(file.write(0, b"hello", at(10)), Ok(5));
        assert_eq!(times(&file), (1, 10, 10));
        assert_eq!(file.metadata().mtime, at(10), "nanoseconds kept");
        assert_eq!(file.write(8192, b"!", at(11)), Ok(1));
        let metadata = file.metadata();
        assert_eq!((metadata.size, metadata.blocks), (8193, 16), "two pages, one hole");
        assert_eq!(pages.live(), 2);
        let mut buffer = [9; 9];
        assert_eq!(file.read(0, &mut buffer), Ok(9));
        assert_eq!(&buffer, b"hello\0\0\0\0");
        assert_eq!(file.write(3, b"", at(12)), Ok(0));
        assert_eq!(times(&file), (1, 11, 11), "an empty write changes nothing");
        assert_eq!(file.write(u64::MAX, b"x", at(13)), Err(Errno::EFBIG));
        assert_eq!(times(&file), (1, 11, 11));
    }

    #[test]
    fn truncate_sets_the_size_and_times() {
        let (pages, file) = regular(0o644);
        file.write(0, &[1; 5000], at(10)).unwrap();
        file.truncate(5000, at(21)).unwrap();
        assert_eq!(times(&file), (1, 21, 21), "even when the size stays");
        file.truncate(100, at(22)).unwrap();
        assert_eq!((file.metadata().size, pages.live(), times(&file)), (100, 1, (1, 22, 22)));
        file.truncate(10_000, at(23)).unwrap();
        let mut buffer = [7; 200];
        assert_eq!(file.read(0, &mut buffer), Ok(200));
        assert!(buffer[..100].iter().all(|&byte| byte == 1) && buffer[100..].iter().all(|&byte| byte == 0));
        assert_eq!(file.truncate(u64::MAX, at(24)), Err(Errno::EFBIG));
    }

    #[test]
    fn data_calls_on_directories_and_symlinks_fail_as_on_linux() {
        let directory = Inode::new_directory(InodeId { device: 1, ino: 6 }, Attributes::new(0o755, 0, 0, at(1)));
        let link = Inode::new_symlink(InodeId { device: 1, ino: 7 }, Attributes::new(0o777, 0, 0, at(1)), b"target");
        assert_eq!(directory.write(0, b"x", at(2)), Err(Errno::EISDIR));
        assert_eq!(directory.truncate(0, at(2)), Err(Errno::EISDIR));
        assert_eq!(link.write(0, b"x", at(2)), Err(Errno::EINVAL));
        assert_eq!(link.truncate(0, at(2)), Err(Errno::EINVAL));
        assert_eq!(link.read(0, &mut [0; 4]), Err(Errno::EINVAL));
        assert_eq!(link.chmod(0o700, &Credentials::ROOT, at(2)), Err(Errno::EOPNOTSUPP));
    }

    #[test]
    fn chmod_keeps_the_type_and_needs_ownership() {
        let (_pages, file) = regular(0o644);
        file.chmod(0o170_755, &OWNER, at(5)).unwrap();
        assert_eq!(file.metadata().mode, S_IFREG | 0o755, "type bits in the argument are ignored");
        assert_eq!(times(&file), (1, 1, 5), "chmod changes ctime only");
        assert_eq!(file.chmod(0o777, &STRANGER, at(6)), Err(Errno::EPERM));
        assert_eq!(file.chmod(0o777, &MEMBER, at(6)), Err(Errno::EPERM));
        file.chmod(0o4777, &Credentials::ROOT, at(6)).unwrap();
        assert_eq!(file.metadata().mode & !S_IFMT, 0o4777);
        let outsider_owner = Credentials { uid: 1000, gid: 7, groups: &[] };
        file.chmod(0o2755, &outsider_owner, at(7)).unwrap();
        assert_eq!(file.metadata().mode & !S_IFMT, 0o755, "setgid needs the file's group");
        file.chmod(0o2755, &OWNER, at(7)).unwrap();
        assert_eq!(file.metadata().mode & !S_IFMT, 0o2755);
    }

    #[test]
    fn chown_rules() {
        let (_pages, file) = regular(0o644);
        assert_eq!(file.chown(Some(2000), None, &OWNER, at(5)), Err(Errno::EPERM), "only root gives files away");
        file.chown(Some(1000), None, &OWNER, at(5)).unwrap();
        let owner_in_300 = Credentials { uid: 1000, gid: 100, groups: &[300] };
        file.chown(None, Some(300), &owner_in_300, at(6)).unwrap();
        assert_eq!((file.metadata().gid, times(&file)), (300, (1, 1, 6)));
        assert_eq!(file.chown(None, Some(400), &owner_in_300, at(7)), Err(Errno::EPERM));
        assert_eq!(file.chown(None, Some(300), &MEMBER, at(7)), Err(Errno::EPERM), "not the owner");
        file.chown(Some(0), Some(0), &Credentials::ROOT, at(8)).unwrap();
        let metadata = file.metadata();
        assert_eq!((metadata.uid, metadata.gid, metadata.ctime.sec), (0, 0, 8));
    }

    #[test]
    fn chown_clears_set_id_bits_of_non_directories() {
        let (_pages, file) = regular(0o6755);
        file.chown(None, None, &Credentials::ROOT, at(2)).unwrap();
        assert_eq!(file.metadata().mode & !S_IFMT, 0o755, "even root's chown, even to nobody new");
        let (_pages, file) = regular(0o6745);
        file.chown(None, None, &Credentials::ROOT, at(2)).unwrap();
        assert_eq!(file.metadata().mode & !S_IFMT, 0o2745, "setgid without group-exec is mandatory locking");
        let directory = Inode::new_directory(InodeId { device: 1, ino: 6 }, Attributes::new(0o6755, 0, 0, at(1)));
        directory.chown(Some(5), None, &Credentials::ROOT, at(2)).unwrap();
        assert_eq!(directory.metadata().mode & !S_IFMT, 0o6755);
    }

    #[test]
    fn set_times_permissions_and_omit() {
        let (_pages, file) = regular(0o646);
        file.set_times(SetTime::To(at(100)), SetTime::Omit, &OWNER, at(50)).unwrap();
        assert_eq!(times(&file), (100, 1, 50));
        file.set_times(SetTime::Omit, SetTime::Now, &OWNER, at(60)).unwrap();
        assert_eq!(times(&file), (100, 60, 60));
        file.set_times(SetTime::Omit, SetTime::Omit, &OWNER, at(70)).unwrap();
        assert_eq!(times(&file), (100, 60, 60), "both omitted: nothing, not even ctime");
        // Others may write it (0o646), so they may set both to now, but nothing else.
        file.set_times(SetTime::Now, SetTime::Now, &STRANGER, at(80)).unwrap();
        assert_eq!(times(&file), (80, 80, 80));
        let explicit = file.set_times(SetTime::To(at(1)), SetTime::Now, &STRANGER, at(81));
        assert_eq!(explicit, Err(Errno::EPERM));
        assert_eq!(file.set_times(SetTime::Now, SetTime::Omit, &STRANGER, at(81)), Err(Errno::EPERM));
        // The group (MEMBER is in group 100) may not write: 0o646.
        assert_eq!(file.set_times(SetTime::Now, SetTime::Now, &MEMBER, at(82)), Err(Errno::EACCES));
        file.set_times(SetTime::To(at(-5)), SetTime::To(at(3)), &Credentials::ROOT, at(90)).unwrap();
        assert_eq!(times(&file), (-5, 3, 90));
    }

    #[test]
    fn relatime() {
        let (_pages, file) = regular(0o644);
        file.write(0, b"x", at(10)).unwrap();
        file.accessed(at(20));
        assert_eq!(times(&file), (20, 10, 10), "atime was before mtime");
        file.accessed(at(30));
        assert_eq!(times(&file), (20, 10, 10), "atime is after mtime and ctime, and recent");
        file.accessed(at(20 + RELATIME_INTERVAL));
        assert_eq!(times(&file).0, 20 + RELATIME_INTERVAL, "a day old");
        file.write(0, b"y", at(RELATIME_INTERVAL + 50)).unwrap();
        file.accessed(at(RELATIME_INTERVAL + 60));
        assert_eq!(times(&file).0, RELATIME_INTERVAL + 60);
    }

    #[test]
    fn may_access_uses_the_inode_s_owner_and_mode() {
        let (_pages, file) = regular(0o640);
        assert!(file.may_access(&OWNER, Access { read: true, write: true, execute: false }));
        assert!(file.may_access(&MEMBER, Access::READ) && !file.may_access(&MEMBER, Access::WRITE));
        assert!(!file.may_access(&STRANGER, Access::READ));
        assert!(file.may_access(&Credentials::ROOT, Access::WRITE));
        assert!(!file.may_access(&Credentials::ROOT, Access::EXECUTE));
    }
}
