//! A cpio newc writer for the tests (the crate's own, and others' with the
//! `test-support` feature): archives with exactly the entries, order and defects a
//! test wants.

use alloc::format;
use alloc::vec::Vec;

use kabi::fs::{S_IFCHR, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG};

/// The fields of one newc header that the tests vary.
#[derive(Debug, Clone)]
pub struct Header {
    pub name: Vec<u8>,
    pub mode: u32,
    pub ino: u32,
    pub nlink: u32,
    pub uid: u32,
    pub gid: u32,
    pub mtime: u32,
    pub data: Vec<u8>,
}

/// The bytes of one newc entry: "070701", 13 fields of 8 hex digits, the name and its
/// NUL padded to 4 bytes, then the data padded to 4 bytes.
pub fn newc_entry(header: &Header) -> Vec<u8> {
    let namesize = header.name.len() as u32 + 1;
    let fields = [
        header.ino,
        header.mode,
        header.uid,
        header.gid,
        header.nlink,
        header.mtime,
        header.data.len() as u32,
        0, // devmajor
        0, // devminor
        0, // rdevmajor
        0, // rdevminor
        namesize,
        0, // check
    ];
    let mut bytes = b"070701".to_vec();
    for field in fields {
        bytes.extend_from_slice(format!("{field:08X}").as_bytes());
    }
    bytes.extend_from_slice(&header.name);
    bytes.push(0);
    bytes.resize(bytes.len().next_multiple_of(4), 0);
    bytes.extend_from_slice(&header.data);
    bytes.resize(bytes.len().next_multiple_of(4), 0);
    bytes
}

/// The length of a newc entry named `name` that holds `data`: where the entry after
/// it starts.
pub fn entry_len(name: &str, data: &[u8]) -> usize {
    newc_entry(&Header { name: name.into(), mode: 0, ino: 0, nlink: 0, uid: 0, gid: 0, mtime: 0, data: data.into() })
        .len()
}

/// Builds an archive entry by entry; `finish` adds the trailer.
pub struct Archive {
    bytes: Vec<u8>,
    next_ino: u32,
}

impl Default for Archive {
    fn default() -> Self {
        Self::new()
    }
}

impl Archive {
    /// No entries yet; the inode numbers of [`Archive::directory`] and the like start
    /// at 100.
    pub fn new() -> Self {
        Archive { bytes: Vec::new(), next_ino: 100 }
    }

    pub fn entry(mut self, header: &Header) -> Self {
        self.bytes.extend(newc_entry(header));
        self
    }

    fn simple(mut self, name: &str, mode: u32, data: &[u8]) -> Self {
        let ino = self.next_ino;
        self.next_ino += 1;
        let nlink = if mode & S_IFMT == S_IFDIR { 2 } else { 1 };
        self.entry(&Header { name: name.into(), mode, ino, nlink, uid: 0, gid: 0, mtime: 0, data: data.into() })
    }

    pub fn directory(self, name: &str, permissions: u32) -> Self {
        self.simple(name, S_IFDIR | permissions, b"")
    }

    pub fn file(self, name: &str, permissions: u32, data: &[u8]) -> Self {
        self.simple(name, S_IFREG | permissions, data)
    }

    pub fn symlink(self, name: &str, target: &str) -> Self {
        self.simple(name, S_IFLNK | 0o777, target.as_bytes())
    }

    pub fn char_device(self, name: &str) -> Self {
        self.simple(name, S_IFCHR | 0o600, b"")
    }

    /// The entries so far and the `TRAILER!!!` entry.
    pub fn finish(self) -> Vec<u8> {
        let mut bytes = self.bytes;
        bytes.extend(trailer());
        bytes
    }
}

/// The `TRAILER!!!` entry that ends an archive.
pub fn trailer() -> Vec<u8> {
    let header =
        Header { name: b"TRAILER!!!".into(), mode: 0, ino: 0, nlink: 1, uid: 0, gid: 0, mtime: 0, data: Vec::new() };
    newc_entry(&header)
}

/// Loads `archive` into a tree whose pages come from the heap, without limit.
pub fn load(archive: &[u8]) -> Result<crate::Tree, crate::LoadError> {
    crate::Tree::from_cpio(archive, crate::test_pages::HeapPages::unlimited(), 1)
}
