//! Filling a [`Tree`] from a cpio newc archive (the initramfs), as Linux unpacks one
//! (`init/initramfs.c`): entries in any order, missing parent directories made on the
//! way, later entries replacing earlier ones, hard links, and concatenated archives.

use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;

use cpio_reader::Entry;
use kabi::Errno;
use kabi::fs::{S_IFDIR, S_IFLNK, S_IFMT, S_IFREG};

use crate::data::PageAllocator;
use crate::inode::{Attributes, FileType, Inode, InodeRef, PERMISSION_BITS};
use crate::time::Timestamp;
use crate::tree::{DEFAULT_DIRECTORY_ATTRIBUTES, Tree};

/// Why an archive could not be loaded; `offset` is where the offending entry starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadError {
    /// No valid newc header here: the archive is corrupt or truncated, or it ends
    /// without its `TRAILER!!!` entry.
    Corrupt { offset: usize },
    /// An entry in an older cpio format (binary or odc) instead of newc.
    NotNewc { offset: usize },
    /// An entry whose name is empty, contains a NUL, has a `..` component or a
    /// component longer than `NAME_MAX`.
    BadName { offset: usize },
    /// An entry below a name that is not a directory, or a `.` entry that is not one.
    NotADirectory { offset: usize },
    /// The page allocator ran out of pages for this entry's data.
    NoSpace { offset: usize },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Corrupt { offset } => write!(f, "corrupt or truncated cpio archive at byte {offset}"),
            LoadError::NotNewc { offset } => write!(f, "cpio entry at byte {offset} is not in newc format"),
            LoadError::BadName { offset } => write!(f, "cpio entry at byte {offset} has an invalid name"),
            LoadError::NotADirectory { offset } => {
                write!(f, "cpio entry at byte {offset} lies below a name that is not a directory")
            }
            LoadError::NoSpace { offset } => write!(f, "no memory for the data of the cpio entry at byte {offset}"),
        }
    }
}

/// The size of a newc header: the magic and 13 fields of 8 hex digits.
const NEWC_HEADER_LEN: usize = 110;
const NEWC_MAGICS: [&[u8]; 2] = [b"070701", b"070702"];
const NEWC_FILESIZE_FIELD: usize = 6;
const NEWC_NAMESIZE_FIELD: usize = 11;
const TRAILER_NAME: &[u8] = b"TRAILER!!!";
/// The permission bits every symlink has, whatever its entry's mode says.
const SYMLINK_PERMISSIONS: u32 = 0o777;

impl Tree {
    /// Builds a tree from a cpio archive in newc format (`070701`, or `070702` with
    /// checksums), such as `cpio -o -H newc` writes.
    ///
    /// Names may start with `./` or `/`; `.` describes the root. Missing parent
    /// directories are made (`drwxr-xr-x root root`); an entry naming an existing
    /// directory updates its attributes, any other entry replaces what had its name.
    /// Regular files with several links become one inode. Device nodes, FIFOs and
    /// sockets are left out: the kernel's devfs provides devices. After a trailer, zero
    /// padding and then another archive may follow. Inode numbers are the tree's own.
    /// All three times of an entry are its mtime. Symlinks are `rwxrwxrwx` whatever
    /// their entry's permission bits, as Linux makes them.
    ///
    /// The files are ordinary writable tmpfs files: their data is copied into pages from
    /// `pages`, which serves the tree from then on.
    pub fn from_cpio(archive: &[u8], pages: Arc<dyn PageAllocator>, device: u64) -> Result<Tree, LoadError> {
        let mut loader = Loader { tree: Tree::new(pages, device), hard_links: BTreeMap::new() };
        let mut offset = 0;
        loop {
            // `iter_files` stops at the trailer and at anything it cannot parse;
            // `trailer_len` tells the two apart.
            for entry in cpio_reader::iter_files(rest_of(archive, offset)) {
                if entry.devmajor().is_none() {
                    return Err(LoadError::NotNewc { offset });
                }
                loader.add(&entry, offset)?;
                offset += newc_entry_len(entry.name().len(), entry.file().len());
            }
            offset += trailer_len(rest_of(archive, offset)).ok_or(LoadError::Corrupt { offset })?;
            loader.hard_links.clear();
            offset += rest_of(archive, offset).iter().take_while(|&&byte| byte == 0).count();
            if offset >= archive.len() {
                return Ok(loader.tree);
            }
        }
    }
}

fn rest_of(archive: &[u8], offset: usize) -> &[u8] {
    archive.get(offset..).unwrap_or_default()
}

/// The bytes a newc entry takes: the header, the name and its NUL padded to 4 bytes,
/// and the data padded to 4 bytes.
fn newc_entry_len(name_len: usize, data_len: usize) -> usize {
    (NEWC_HEADER_LEN + name_len + 1).next_multiple_of(4) + data_len.next_multiple_of(4)
}

/// The length of the `TRAILER!!!` entry at the start of `bytes`, if one is there.
fn trailer_len(bytes: &[u8]) -> Option<usize> {
    if !NEWC_MAGICS.contains(&bytes.get(..6)?) {
        return None;
    }
    let namesize = newc_field(bytes, NEWC_NAMESIZE_FIELD)?;
    let filesize = newc_field(bytes, NEWC_FILESIZE_FIELD)?;
    let name = bytes.get(NEWC_HEADER_LEN..NEWC_HEADER_LEN.checked_add(namesize)?)?;
    (name.strip_suffix(b"\0")? == TRAILER_NAME).then(|| newc_entry_len(TRAILER_NAME.len(), filesize))
}

/// Header field `index` (0 is the inode number) of the newc entry at `bytes`.
fn newc_field(bytes: &[u8], index: usize) -> Option<usize> {
    let start = 6 + 8 * index;
    let digits = bytes.get(start..start + 8)?;
    if !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    usize::from_str_radix(core::str::from_utf8(digits).ok()?, 16).ok()
}

struct Loader {
    tree: Tree,
    /// Regular files with more than one link, by (devmajor, devminor, ino) in the
    /// current archive: each further entry for one adds a name to the same inode.
    hard_links: BTreeMap<(u32, u32, u32), InodeRef>,
}

impl Loader {
    fn add(&mut self, entry: &Entry<'_>, offset: usize) -> Result<(), LoadError> {
        let full_name = entry.name().as_bytes();
        if full_name.is_empty() || full_name.contains(&0) {
            return Err(LoadError::BadName { offset });
        }
        let mut components = Vec::new();
        for component in full_name.split(|&byte| byte == b'/').filter(|component| !component.is_empty()) {
            match component {
                b"." => {}
                b".." => return Err(LoadError::BadName { offset }),
                _ if pathwalk::check_name(component).is_err() => return Err(LoadError::BadName { offset }),
                _ => components.push(component),
            }
        }
        let mode = entry.mode().bits();
        let mtime = Timestamp::from_secs(i64::try_from(entry.mtime()).unwrap_or(i64::MAX));
        let attributes = Attributes::new(mode & PERMISSION_BITS, entry.uid(), entry.gid(), mtime);
        let Some((&name, parents)) = components.split_last() else {
            if mode & S_IFMT != S_IFDIR {
                return Err(LoadError::NotADirectory { offset });
            }
            self.tree.root().set_attributes(attributes);
            return Ok(());
        };
        let parent = self.directory_at(parents).ok_or(LoadError::NotADirectory { offset })?;
        let inode = match mode & S_IFMT {
            S_IFDIR => match parent.child(name) {
                Ok(existing) if existing.file_type() == FileType::Directory => {
                    existing.set_attributes(attributes);
                    return Ok(());
                }
                _ => Inode::new_directory(self.tree.allocate_ino(), attributes),
            },
            S_IFREG => self.regular_file(entry, attributes).map_err(|_| LoadError::NoSpace { offset })?,
            // Linux's initramfs makes symlinks with `symlink()`, so always rwxrwxrwx.
            S_IFLNK => {
                let attributes = Attributes { permissions: SYMLINK_PERMISSIONS, ..attributes };
                Inode::new_symlink(self.tree.allocate_ino(), attributes, entry.file())
            }
            _ => return Ok(()),
        };
        parent.put_child(name, inode).map_err(|_| LoadError::NotADirectory { offset })
    }

    /// The inode for a regular-file entry: a new one, or for a further link to a file
    /// already seen, that file (GNU cpio stores the data with the last link only).
    /// `ENOSPC` when the data does not fit in the pages left.
    fn regular_file(&mut self, entry: &Entry<'_>, attributes: Attributes) -> Result<InodeRef, Errno> {
        let data = entry.file();
        let key = (entry.devmajor().unwrap_or_default(), entry.devminor().unwrap_or_default(), entry.ino());
        if entry.nlink() > 1
            && let Some(existing) = self.hard_links.get(&key)
        {
            if !data.is_empty() {
                existing.replace_data(data)?;
            }
            existing.set_attributes(attributes);
            return Ok(existing.clone());
        }
        let file = Inode::new_regular(self.tree.allocate_ino(), attributes, self.tree.store.clone());
        file.replace_data(data)?;
        if entry.nlink() > 1 {
            self.hard_links.insert(key, file.clone());
        }
        Ok(file)
    }

    /// The directory the path `names` leads to from the root, made where missing;
    /// existing symlinks on the way are followed. `None` when a name on the way is not
    /// a directory.
    fn directory_at(&mut self, names: &[&[u8]]) -> Option<InodeRef> {
        let mut directory = self.tree.root().clone();
        for &name in names {
            directory = match directory.child(name) {
                Ok(child) => match child.file_type() {
                    FileType::Directory => child,
                    FileType::Symlink => self.tree.lookup(&directory, name, true).ok()?,
                    FileType::Regular | FileType::Socket | FileType::Fifo => return None,
                },
                Err(_) => {
                    let made = Inode::new_directory(self.tree.allocate_ino(), DEFAULT_DIRECTORY_ATTRIBUTES);
                    directory.put_child(name, made.clone()).ok()?;
                    made
                }
            };
            if directory.file_type() != FileType::Directory {
                return None;
            }
        }
        Some(directory)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_archive::{Archive, Header, entry_len, load};
    use crate::test_pages::HeapPages;
    use alloc::sync::Arc;
    use kabi::Errno;
    use kabi::fs::{DT_DIR, DT_LNK, DT_REG};
    use pathwalk::NAME_MAX;
    use std::process::{Command, Stdio};

    fn find(tree: &Tree, path: &str) -> InodeRef {
        tree.lookup(tree.root(), path.as_bytes(), false).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn read_all(inode: &InodeRef) -> Vec<u8> {
        let mut buffer = vec![0; 1 << 16];
        let count = inode.read(0, &mut buffer).unwrap();
        buffer.truncate(count);
        buffer
    }

    /// Every entry of a directory listing, read one at a time from offset 0.
    fn list(directory: &InodeRef) -> Vec<(String, u64, FileType)> {
        let mut entries = Vec::new();
        let mut offset = 0;
        while let Some(entry) = directory.dir_entry_at(offset).unwrap() {
            entries.push((String::from_utf8(entry.name).unwrap(), entry.ino, entry.file_type));
            offset = entry.next_offset;
        }
        entries
    }

    fn names(directory: &InodeRef) -> Vec<String> {
        list(directory).into_iter().map(|(name, _, _)| name).collect()
    }

    #[test]
    fn entries_in_any_order_make_their_parents() {
        let archive = Archive::new()
            .file("./a/b/c/file", 0o640, b"deep")
            .directory("a/b", 0o700)
            .file("/top", 0o644, b"top")
            .directory(".", 0o711)
            .finish();
        let tree = load(&archive).unwrap();
        assert_eq!(read_all(&find(&tree, "/a/b/c/file")), b"deep");
        assert_eq!(read_all(&find(&tree, "/top")), b"top");
        assert_eq!(find(&tree, "/a").metadata().mode, S_IFDIR | 0o755, "made implicitly");
        assert_eq!(find(&tree, "/a/b").metadata().mode, S_IFDIR | 0o700, "updated by its entry");
        assert_eq!(names(&find(&tree, "/a/b")), [".", "..", "c"], "kept its entries");
        assert_eq!(tree.root().metadata().mode, S_IFDIR | 0o711, "`.` is the root");
        assert_eq!(tree.root().metadata().nlink, 3, "`.`, `..` and a's `..`");
    }

    #[test]
    fn metadata_comes_from_the_archive() {
        let archive = Archive::new()
            .entry(&Header {
                name: "bin/prog".into(),
                mode: S_IFREG | 0o4755,
                ino: 7,
                nlink: 1,
                uid: 1000,
                gid: 100,
                mtime: 1_700_000_000,
                data: vec![1; 5000],
            })
            .symlink("link", "bin/prog")
            .finish();
        let tree = load(&archive).unwrap();
        let prog = find(&tree, "/bin/prog");
        let metadata = prog.metadata();
        assert_eq!(metadata.ino, prog.ino());
        assert_eq!(metadata.mode, S_IFREG | 0o4755);
        assert_eq!((metadata.uid, metadata.gid, metadata.nlink), (1000, 100, 1));
        assert_eq!(metadata.size, 5000);
        let mtime = crate::Timestamp::from_secs(1_700_000_000);
        assert_eq!((metadata.atime, metadata.mtime, metadata.ctime), (mtime, mtime, mtime));
        assert_eq!(metadata.blocks, 16, "two pages");
        let link = find(&tree, "/link").metadata();
        assert_eq!((link.mode, link.size, link.blocks), (S_IFLNK | 0o777, 8, 0));
        let root = tree.root().metadata();
        assert_eq!((root.ino, root.size), (crate::ROOT_INO, 4 * 20), "tmpfs counts 20 per entry");
    }

    #[test]
    fn symlinks_are_rwxrwxrwx_whatever_their_mode() {
        let link = Header {
            name: "link".into(),
            mode: S_IFLNK | 0o640,
            ino: 5,
            nlink: 1,
            uid: 0,
            gid: 0,
            mtime: 0,
            data: b"x".into(),
        };
        let tree = load(&Archive::new().entry(&link).finish()).unwrap();
        assert_eq!(find(&tree, "/link").metadata().mode, S_IFLNK | 0o777);
    }

    #[test]
    fn loaded_files_live_in_pages_and_are_writable() {
        let pages = HeapPages::unlimited();
        let archive = Archive::new().file("small", 0o644, b"abc").file("big", 0o644, &[5; 9000]).finish();
        let tree = Tree::from_cpio(&archive, pages.clone(), 1).unwrap();
        assert_eq!((pages.live(), tree.pages_in_use()), (4, 4));
        let small = find(&tree, "/small");
        let later = Timestamp::from_secs(99);
        assert_eq!(small.write(3, b"def", later), Ok(3));
        assert_eq!(read_all(&small), b"abcdef");
        assert_eq!(small.metadata().mtime, later);
        find(&tree, "/big").truncate(10, later).unwrap();
        assert_eq!(pages.live(), 2);
        drop(small);
        drop(tree);
        assert_eq!(pages.live(), 0, "dropping the tree frees every page");
    }

    #[test]
    fn archives_too_big_for_the_pages_are_errors() {
        let archive = Archive::new().file("fits", 0o644, b"x").file("too big", 0o644, &[1; 5000]).finish();
        let offset = entry_len("fits", b"x");
        let pages = HeapPages::with_limit(2);
        assert_eq!(Tree::from_cpio(&archive, pages.clone(), 1).unwrap_err(), LoadError::NoSpace { offset });
        assert_eq!(pages.live(), 0, "the partial tree is gone");
        assert!(Tree::from_cpio(&archive, HeapPages::with_limit(3), 1).is_ok());
    }

    #[test]
    fn reads_at_offsets() {
        let tree = load(&Archive::new().file("f", 0o644, b"0123456789").finish()).unwrap();
        let file = find(&tree, "/f");
        let mut buffer = [0; 4];
        assert_eq!(file.read(3, &mut buffer), Ok(4));
        assert_eq!(&buffer, b"3456");
        assert_eq!(file.read(8, &mut buffer), Ok(2));
        assert_eq!(&buffer[..2], b"89");
        assert_eq!(file.read(10, &mut buffer), Ok(0));
        assert_eq!(file.read(u64::MAX, &mut buffer), Ok(0));
        assert_eq!(file.read(0, &mut []), Ok(0));
        assert_eq!(tree.root().read(0, &mut buffer), Err(Errno::EISDIR));
        assert_eq!(file.read_link(), Err(Errno::EINVAL));
        assert_eq!(tree.root().read_link(), Err(Errno::EINVAL));
        assert_eq!(file.dir_entry_at(0), Err(Errno::ENOTDIR));
    }

    #[test]
    fn directory_listings_include_dot_entries_and_resume() {
        let archive = Archive::new()
            .directory("d", 0o755)
            .file("d/one", 0o644, b"")
            .directory("d/two", 0o755)
            .symlink("d/three", "one")
            .finish();
        let tree = load(&archive).unwrap();
        let directory = find(&tree, "/d");
        let listing = list(&directory);
        let expected = [
            (".", directory.ino(), FileType::Directory),
            ("..", crate::ROOT_INO, FileType::Directory),
            ("one", find(&tree, "/d/one").ino(), FileType::Regular),
            ("two", find(&tree, "/d/two").ino(), FileType::Directory),
            ("three", find(&tree, "/d/three").ino(), FileType::Symlink),
        ];
        let expected: Vec<_> = expected.into_iter().map(|(name, ino, kind)| (name.to_string(), ino, kind)).collect();
        assert_eq!(listing, expected);
        assert_eq!(list(tree.root())[1].1, crate::ROOT_INO, "the root's `..` is itself");
        // Resuming at a returned offset continues after that entry.
        let third = directory.dir_entry_at(2).unwrap().unwrap();
        let fourth = directory.dir_entry_at(third.next_offset).unwrap().unwrap();
        assert_eq!(fourth.name, b"two");
        assert_eq!(directory.dir_entry_at(fourth.next_offset + 1).unwrap(), None);
        assert_eq!(directory.dir_entry_at(u64::MAX).unwrap(), None);
        let types: Vec<u8> = listing.iter().map(|(_, _, kind)| kind.dirent_type()).collect();
        assert_eq!(types, [DT_DIR, DT_DIR, DT_REG, DT_DIR, DT_LNK]);
    }

    #[test]
    fn later_entries_replace_earlier_ones() {
        let archive = Archive::new()
            .file("x", 0o644, b"old")
            .file("x", 0o600, b"new")
            .directory("y", 0o755)
            .symlink("y", "x")
            .finish();
        let tree = load(&archive).unwrap();
        assert_eq!(read_all(&find(&tree, "/x")), b"new");
        assert_eq!(find(&tree, "/y").read_link(), Ok(&b"x"[..]));
        assert_eq!(names(tree.root()), [".", "..", "x", "y"]);
        assert_eq!(tree.root().metadata().nlink, 2);
    }

    #[test]
    fn entries_below_symlinked_directories_land_in_the_target() {
        let archive = Archive::new().directory("usr/lib", 0o755).symlink("lib", "usr/lib").file("lib/x", 0o644, b"x");
        let tree = load(&archive.finish()).unwrap();
        assert_eq!(read_all(&find(&tree, "/usr/lib/x")), b"x");
    }

    #[test]
    fn device_nodes_are_left_out() {
        let archive = Archive::new().directory("dev", 0o755).char_device("dev/console").finish();
        let tree = load(&archive).unwrap();
        assert_eq!(names(&find(&tree, "/dev")), [".", ".."]);
    }

    #[test]
    fn hard_links_share_one_inode() {
        let link = |name: &str, data: &[u8]| Header {
            name: name.into(),
            mode: S_IFREG | 0o755,
            ino: 9,
            nlink: 2,
            uid: 0,
            gid: 0,
            mtime: 0,
            data: data.into(),
        };
        let archive = Archive::new().entry(&link("a", b"")).entry(&link("b", b"shared")).finish();
        let tree = load(&archive).unwrap();
        let (a, b) = (find(&tree, "/a"), find(&tree, "/b"));
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(read_all(&a), b"shared");
        assert_eq!(a.metadata().nlink, 2);
    }

    #[test]
    fn concatenated_archives_are_all_loaded() {
        let mut bytes = Archive::new().file("first", 0o644, b"1").file("both", 0o644, b"1").finish();
        bytes.resize(bytes.len().next_multiple_of(512), 0);
        bytes.extend(Archive::new().file("second", 0o644, b"2").file("both", 0o644, b"2").finish());
        bytes.extend([0; 100]);
        let tree = load(&bytes).unwrap();
        assert_eq!(read_all(&find(&tree, "/first")), b"1");
        assert_eq!(read_all(&find(&tree, "/second")), b"2");
        assert_eq!(read_all(&find(&tree, "/both")), b"2");
    }

    #[test]
    fn malformed_archives_are_errors() {
        let valid = Archive::new().directory("d", 0o755).file("d/f", 0o644, b"data").finish();
        assert!(load(&valid).is_ok());
        // Every truncation short of the trailer's final padding, and garbage.
        for len in 0..valid.len() - 3 {
            assert!(load(&valid[..len]).is_err(), "truncated to {len}");
        }
        assert_eq!(load(b"").unwrap_err(), LoadError::Corrupt { offset: 0 });
        assert_eq!(load(&[0xff; 300]).unwrap_err(), LoadError::Corrupt { offset: 0 });
        assert!(load(b"070701 this is not hex at all and goes on for a while....").is_err());
        // Garbage after the trailer that is not another archive.
        let mut trailing = valid.clone();
        trailing.extend_from_slice(b"junk");
        assert_eq!(load(&trailing).unwrap_err(), LoadError::Corrupt { offset: valid.len() });
        // A corrupted byte anywhere never panics.
        for at in 0..valid.len() {
            let mut bytes = valid.clone();
            bytes[at] ^= 0x5a;
            let _ = load(&bytes);
        }
    }

    #[test]
    fn bad_names_and_parents_are_errors() {
        let dot_dot = Archive::new().file("a/../../etc", 0o644, b"").finish();
        assert_eq!(load(&dot_dot).unwrap_err(), LoadError::BadName { offset: 0 });
        let empty = Archive::new().file("", 0o644, b"").finish();
        assert_eq!(load(&empty).unwrap_err(), LoadError::BadName { offset: 0 });
        let long = Archive::new().file(&"n".repeat(NAME_MAX + 1), 0o644, b"").finish();
        assert_eq!(load(&long).unwrap_err(), LoadError::BadName { offset: 0 });
        let below_file = Archive::new().file("f", 0o644, b"").file("f/g", 0o644, b"");
        let offset = entry_len("f", b"");
        assert_eq!(load(&below_file.finish()).unwrap_err(), LoadError::NotADirectory { offset });
        let root_file = Archive::new().file(".", 0o644, b"").finish();
        assert_eq!(load(&root_file).unwrap_err(), LoadError::NotADirectory { offset: 0 });
    }

    #[test]
    fn deep_trees_are_dropped_without_recursion() {
        // 5000 levels; in a thread with a kernel-sized stack, which one stack frame
        // per level would overflow.
        let deep = format!("{}f", "d/".repeat(5000));
        let run = move || {
            // A later entry replaces the deep directory: its subtree goes at once.
            let replaced = Archive::new().file(&deep, 0o644, b"x").file("d", 0o644, b"file").finish();
            let tree = load(&replaced).unwrap();
            assert_eq!(find(&tree, "/d").file_type(), FileType::Regular);
            // A bad entry after it: the partial tree goes.
            let failing = Archive::new().file(&deep, 0o644, b"x").file("..", 0o644, b"").finish();
            assert!(matches!(load(&failing), Err(LoadError::BadName { .. })));
            // The whole tree goes.
            drop(load(&Archive::new().file(&deep, 0o644, b"x").finish()).unwrap());
        };
        std::thread::Builder::new().stack_size(64 * 1024).spawn(run).unwrap().join().unwrap();
    }

    #[test]
    fn odc_archives_are_rejected() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), b"x").unwrap();
        let odc = cpio(dir.path(), "odc");
        assert_eq!(load(&odc).unwrap_err(), LoadError::NotNewc { offset: 0 });
    }

    /// The archive `cpio -o -H format` makes of everything below `root`, as
    /// scripts/mkinitramfs.sh makes the initramfs.
    fn cpio(root: &std::path::Path, format: &str) -> Vec<u8> {
        let script = format!("find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H {format} -R 0:0");
        let output = Command::new("sh")
            .args(["-c", &script])
            .current_dir(root)
            .stderr(Stdio::inherit())
            .output()
            .expect("sh runs (tests need cpio installed)");
        assert!(output.status.success(), "cpio failed");
        output.stdout
    }

    #[test]
    fn archives_made_by_gnu_cpio_load() {
        use std::os::unix::fs::{PermissionsExt, symlink};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("usr/bin")).unwrap();
        std::fs::create_dir(root.join("empty")).unwrap();
        std::fs::write(root.join("usr/bin/tool"), b"#!/bin/tool\n").unwrap();
        std::fs::set_permissions(root.join("usr/bin/tool"), std::fs::Permissions::from_mode(0o750)).unwrap();
        std::fs::hard_link(root.join("usr/bin/tool"), root.join("usr/bin/alias")).unwrap();
        std::fs::write(root.join("big"), vec![7; 10_001]).unwrap();
        symlink("usr/bin", root.join("bin")).unwrap();
        let tree = load(&cpio(root, "newc")).unwrap();
        let tool = tree.lookup(tree.root(), b"/bin/tool", true).unwrap();
        assert_eq!(read_all(&tool), b"#!/bin/tool\n");
        assert_eq!(tool.metadata().mode, S_IFREG | 0o750);
        assert_eq!(tool.metadata().nlink, 2);
        assert!(Arc::ptr_eq(&tool, &find(&tree, "/usr/bin/alias")));
        assert_eq!(read_all(&find(&tree, "/big")), vec![7; 10_001]);
        assert_eq!(find(&tree, "/bin").read_link(), Ok(&b"usr/bin"[..]));
        assert_eq!(names(&find(&tree, "/empty")), [".", ".."]);
        assert_eq!(names(tree.root()), [".", "..", "big", "bin", "empty", "usr"]);
    }
}
