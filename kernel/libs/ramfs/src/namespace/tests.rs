//! Tests of the namespace calls against Linux's tmpfs behaviour: creation, links and
//! link counts, unlink and rmdir, rename and its flags, open, permissions, directory
//! offsets, pages (ENOSPC, freeing), and sharing the tree across threads.

use super::*;
use crate::data::PAGE_SIZE;
use crate::test_pages::HeapPages;
use alloc::vec::Vec;
use kabi::fs::{O_RDWR, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK};
use pathwalk::PATH_MAX;

const ROOT: Credentials<'static> = Credentials::ROOT;
const ALICE: Credentials<'static> = Credentials { uid: 1000, gid: 1000, groups: &[] };
const BOB: Credentials<'static> = Credentials { uid: 2000, gid: 2000, groups: &[] };

fn now(sec: i64) -> Timestamp {
    Timestamp { sec, nsec: 7 }
}

fn new_tree(page_limit: usize) -> (Arc<HeapPages>, Tree) {
    let pages = HeapPages::with_limit(page_limit);
    (pages.clone(), Tree::new(pages, 1))
}

fn tree() -> Tree {
    new_tree(usize::MAX).1
}

/// A tree whose root anyone may write, like /tmp without the sticky bit.
fn open_tree() -> Tree {
    let tree = tree();
    tree.root().chmod(0o777, &ROOT, now(0)).unwrap();
    tree
}

fn at(tree: &Tree, path: &str) -> ParentPath {
    tree.lookup_parent(tree.root(), path.as_bytes(), &ROOT).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn get(tree: &Tree, path: &str) -> Result<InodeRef, Errno> {
    tree.lookup(tree.root(), path.as_bytes(), false)
}

fn mkdir(tree: &Tree, path: &str) -> Result<InodeRef, Errno> {
    tree.mkdir(&at(tree, path), 0o755, &ROOT, now(1))
}

fn touch(tree: &Tree, path: &str) -> Result<InodeRef, Errno> {
    tree.create(&at(tree, path), FileType::Regular, 0o644, &ROOT, now(1))
}

fn symlink(tree: &Tree, target: &str, path: &str) -> Result<InodeRef, Errno> {
    tree.symlink(target.as_bytes(), &at(tree, path), &ROOT, now(1))
}

fn link(tree: &Tree, existing: &str, path: &str) -> Result<(), Errno> {
    tree.link(&get(tree, existing).unwrap(), &at(tree, path), &ROOT, now(1))
}

fn unlink(tree: &Tree, path: &str) -> Result<(), Errno> {
    tree.unlink(&at(tree, path), &ROOT, now(1))
}

fn rmdir(tree: &Tree, path: &str) -> Result<(), Errno> {
    tree.rmdir(&at(tree, path), &ROOT, now(1))
}

fn rename(tree: &Tree, from: &str, to: &str) -> Result<(), Errno> {
    rename_with(tree, from, to, RenameFlags::default())
}

const NOREPLACE: RenameFlags = RenameFlags { no_replace: true, exchange: false };
const EXCHANGE: RenameFlags = RenameFlags { no_replace: false, exchange: true };

fn rename_with(tree: &Tree, from: &str, to: &str, flags: RenameFlags) -> Result<(), Errno> {
    tree.rename(&at(tree, from), &at(tree, to), flags, &ROOT, now(1))
}

fn open(tree: &Tree, path: &str, flags: u32) -> Result<InodeRef, Errno> {
    tree.open(tree.root(), path.as_bytes(), flags, 0o644, &ROOT, now(1))
}

fn write_file(tree: &Tree, path: &str, data: &[u8]) -> InodeRef {
    let file = open(tree, path, O_CREAT | O_WRONLY | O_TRUNC).unwrap();
    assert_eq!(file.write(0, data, now(1)), Ok(data.len()));
    file
}

fn read_all(inode: &InodeRef) -> Vec<u8> {
    let mut buffer = vec![0; inode.metadata().size as usize];
    let count = inode.read(0, &mut buffer).unwrap();
    buffer.truncate(count);
    buffer
}

fn nlink(tree: &Tree, path: &str) -> u32 {
    get(tree, path).unwrap().metadata().nlink
}

/// The names of a directory's entries, read one at a time from offset 0.
fn names(directory: &InodeRef) -> Vec<String> {
    let mut names = Vec::new();
    let mut offset = 0;
    while let Some(entry) = directory.dir_entry_at(offset).unwrap() {
        names.push(String::from_utf8(entry.name).unwrap());
        offset = entry.next_offset;
    }
    names
}

fn same(a: &InodeRef, b: &InodeRef) -> bool {
    Arc::ptr_eq(a, b)
}

#[test]
fn creating_files_directories_and_symlinks() {
    let tree = open_tree();
    let file = tree.create(&at(&tree, "/f"), FileType::Regular, 0o640, &ALICE, now(5)).unwrap();
    let metadata = file.metadata();
    assert_eq!((metadata.mode, metadata.uid, metadata.gid, metadata.nlink), (S_IFREG | 0o640, 1000, 1000, 1));
    assert_eq!((metadata.atime, metadata.mtime, metadata.ctime), (now(5), now(5), now(5)));
    assert_eq!((metadata.size, metadata.blocks), (0, 0));
    let root = tree.root().metadata();
    assert_eq!((root.mtime, root.ctime, root.size, root.nlink), (now(5), now(5), 3 * 20, 2));
    let directory = tree.mkdir(&at(&tree, "/d"), 0o6777, &ROOT, now(6)).unwrap();
    assert_eq!(directory.metadata().mode, S_IFDIR | 0o777, "mkdir drops set-id bits");
    assert_eq!((directory.metadata().nlink, tree.root().metadata().nlink), (2, 3));
    let link = tree.symlink(b"../f", &at(&tree, "/d/l"), &ROOT, now(7)).unwrap();
    assert_eq!((link.metadata().mode, link.metadata().size), (S_IFLNK | 0o777, 4));
    assert_eq!(link.read_link(), Ok(&b"../f"[..]));
    assert_eq!((directory.metadata().mtime, directory.metadata().ctime), (now(7), now(7)));
    assert!(same(&get(&tree, "/d/l").unwrap(), &link));
    assert!(same(&tree.lookup(tree.root(), b"/d/l", true).unwrap(), &file));
    assert_eq!(names(tree.root()), [".", "..", "f", "d"]);
    assert_ne!(file.ino(), directory.ino());
    assert_ne!(directory.ino(), link.ino());
}

#[test]
fn creating_over_existing_names_dots_and_the_root_is_eexist() {
    let tree = tree();
    touch(&tree, "/f").unwrap();
    mkdir(&tree, "/d").unwrap();
    symlink(&tree, "nowhere", "/dangling").unwrap();
    for path in ["/f", "/d", "/dangling", "/d/.", "/d/..", ".", "/", "//", "/d/./"] {
        assert_eq!(mkdir(&tree, path).unwrap_err(), Errno::EEXIST, "mkdir {path}");
        assert_eq!(touch(&tree, path).unwrap_err(), Errno::EEXIST, "mknod {path}");
        assert_eq!(symlink(&tree, "x", path).unwrap_err(), Errno::EEXIST, "symlink {path}");
        assert_eq!(link(&tree, "/f", path).unwrap_err(), Errno::EEXIST, "link {path}");
    }
    // A trailing slash: fine for mkdir, ENOENT for anything else unless the name exists.
    mkdir(&tree, "/e/").unwrap();
    mkdir(&tree, "/e2//").unwrap();
    assert_eq!(touch(&tree, "/g/").unwrap_err(), Errno::ENOENT);
    assert_eq!(symlink(&tree, "x", "/g/").unwrap_err(), Errno::ENOENT);
    assert_eq!(link(&tree, "/f", "/g/").unwrap_err(), Errno::ENOENT);
    assert_eq!(touch(&tree, "/f/").unwrap_err(), Errno::EEXIST);
    assert_eq!(get(&tree, "/g").unwrap_err(), Errno::ENOENT);
}

#[test]
fn names_and_parents_are_checked() {
    let tree = tree();
    let longest = format!("/{}", "n".repeat(255));
    let too_long = format!("/{}", "n".repeat(256));
    touch(&tree, &longest).unwrap();
    assert_eq!(touch(&tree, &too_long).unwrap_err(), Errno::ENAMETOOLONG);
    assert_eq!(mkdir(&tree, &too_long).unwrap_err(), Errno::ENAMETOOLONG);
    assert_eq!(unlink(&tree, &too_long).unwrap_err(), Errno::ENAMETOOLONG);
    unlink(&tree, &longest).unwrap();
    touch(&tree, "/f").unwrap();
    let parent = |path: &str| tree.lookup_parent(tree.root(), path.as_bytes(), &ROOT).unwrap_err();
    assert_eq!(parent("/missing/x"), Errno::ENOENT);
    assert_eq!(parent("/f/x"), Errno::ENOTDIR);
    assert_eq!(parent(""), Errno::ENOENT);
    // Symlink targets: not empty, shorter than PATH_MAX.
    assert_eq!(symlink(&tree, "", "/l").unwrap_err(), Errno::ENOENT);
    assert_eq!(symlink(&tree, &"t".repeat(PATH_MAX), "/l").unwrap_err(), Errno::ENAMETOOLONG);
    symlink(&tree, &"t".repeat(PATH_MAX - 1), "/l").unwrap();
}

#[test]
fn hard_links_count_and_share_data() {
    let tree = tree();
    let file = write_file(&tree, "/a", b"data");
    mkdir(&tree, "/d").unwrap();
    tree.link(&file, &at(&tree, "/d/b"), &ROOT, now(9)).unwrap();
    assert_eq!((nlink(&tree, "/a"), file.metadata().ctime), (2, now(9)));
    assert_eq!(get(&tree, "/d").unwrap().metadata().mtime, now(9));
    assert!(same(&get(&tree, "/d/b").unwrap(), &file));
    get(&tree, "/d/b").unwrap().write(4, b"!", now(10)).unwrap();
    assert_eq!(read_all(&file), b"data!");
    assert_eq!(link(&tree, "/d", "/d2").unwrap_err(), Errno::EPERM, "no links to directories");
    assert_eq!(link(&tree, "/a", "/d/b").unwrap_err(), Errno::EEXIST);
    unlink(&tree, "/a").unwrap();
    assert_eq!(file.metadata().nlink, 1);
    unlink(&tree, "/d/b").unwrap();
    assert_eq!(file.metadata().nlink, 0);
    assert_eq!(tree.link(&file, &at(&tree, "/c"), &ROOT, now(11)).unwrap_err(), Errno::ENOENT, "no names left");
    // Links to symlinks link the symlink itself.
    symlink(&tree, "d", "/s").unwrap();
    link(&tree, "/s", "/s2").unwrap();
    assert_eq!(get(&tree, "/s2").unwrap().file_type(), FileType::Symlink);
}

#[test]
fn directory_link_counts_are_two_plus_subdirectories() {
    let tree = tree();
    mkdir(&tree, "/a").unwrap();
    mkdir(&tree, "/a/b").unwrap();
    mkdir(&tree, "/a/c").unwrap();
    touch(&tree, "/a/f").unwrap();
    symlink(&tree, "b", "/a/l").unwrap();
    assert_eq!((nlink(&tree, "/"), nlink(&tree, "/a"), nlink(&tree, "/a/b")), (3, 4, 2));
    rmdir(&tree, "/a/c").unwrap();
    assert_eq!(nlink(&tree, "/a"), 3);
    rename(&tree, "/a/b", "/b").unwrap();
    assert_eq!((nlink(&tree, "/"), nlink(&tree, "/a"), nlink(&tree, "/b")), (4, 2, 2));
}

#[test]
fn unlink_rules() {
    let tree = tree();
    mkdir(&tree, "/d").unwrap();
    touch(&tree, "/f").unwrap();
    symlink(&tree, "d", "/l").unwrap();
    assert_eq!(unlink(&tree, "/d").unwrap_err(), Errno::EISDIR);
    for path in ["/", "/d/.", "/d/.."] {
        assert_eq!(unlink(&tree, path).unwrap_err(), Errno::EISDIR, "{path}");
    }
    assert_eq!(unlink(&tree, "/missing").unwrap_err(), Errno::ENOENT);
    assert_eq!(unlink(&tree, "/missing/").unwrap_err(), Errno::ENOENT);
    assert_eq!(unlink(&tree, "/f/").unwrap_err(), Errno::ENOTDIR);
    assert_eq!(unlink(&tree, "/d/").unwrap_err(), Errno::EISDIR);
    assert_eq!(unlink(&tree, "/l/").unwrap_err(), Errno::ENOTDIR, "the link itself, not followed");
    tree.unlink(&at(&tree, "/l"), &ROOT, now(20)).unwrap();
    assert_eq!(get(&tree, "/d").unwrap().file_type(), FileType::Directory, "the link's target stays");
    let file = get(&tree, "/f").unwrap();
    tree.unlink(&at(&tree, "/f"), &ROOT, now(21)).unwrap();
    assert_eq!((file.metadata().nlink, file.metadata().ctime), (0, now(21)));
    assert_eq!(tree.root().metadata().mtime, now(21));
    assert_eq!(names(tree.root()), [".", "..", "d"]);
}

#[test]
fn an_unlinked_file_lives_while_referenced() {
    let (pages, tree) = new_tree(usize::MAX);
    let file = write_file(&tree, "/f", &[3; 3 * PAGE_SIZE]);
    assert_eq!((pages.live(), tree.pages_in_use()), (3, 3));
    unlink(&tree, "/f").unwrap();
    assert_eq!(pages.live(), 3, "still open");
    assert_eq!(read_all(&file), vec![3; 3 * PAGE_SIZE]);
    assert_eq!(file.write(3 * PAGE_SIZE as u64, b"more", now(2)), Ok(4));
    assert_eq!((pages.live(), tree.pages_in_use()), (4, 4));
    drop(file);
    assert_eq!((pages.live(), tree.pages_in_use()), (0, 0), "the last reference frees the pages");
}

#[test]
fn rmdir_rules() {
    let tree = tree();
    mkdir(&tree, "/d").unwrap();
    mkdir(&tree, "/full").unwrap();
    touch(&tree, "/full/f").unwrap();
    touch(&tree, "/f").unwrap();
    symlink(&tree, "d", "/l").unwrap();
    assert_eq!(rmdir(&tree, "/").unwrap_err(), Errno::EBUSY);
    assert_eq!(rmdir(&tree, "/d/.").unwrap_err(), Errno::EINVAL);
    assert_eq!(rmdir(&tree, ".").unwrap_err(), Errno::EINVAL);
    assert_eq!(rmdir(&tree, "/d/..").unwrap_err(), Errno::ENOTEMPTY);
    assert_eq!(rmdir(&tree, "/missing").unwrap_err(), Errno::ENOENT);
    assert_eq!(rmdir(&tree, "/f").unwrap_err(), Errno::ENOTDIR);
    assert_eq!(rmdir(&tree, "/l").unwrap_err(), Errno::ENOTDIR);
    assert_eq!(rmdir(&tree, "/l/").unwrap_err(), Errno::ENOTDIR, "the link is not followed");
    assert_eq!(rmdir(&tree, "/full").unwrap_err(), Errno::ENOTEMPTY);
    let directory = get(&tree, "/d").unwrap();
    tree.rmdir(&at(&tree, "/d/"), &ROOT, now(30)).unwrap();
    assert_eq!((directory.metadata().nlink, tree.root().metadata().nlink), (0, 3));
    assert_eq!((directory.metadata().ctime, tree.root().metadata().mtime), (now(30), now(30)));
    // A removed directory held as a cwd: no listing, no new entries, `..` still works.
    assert_eq!(directory.dir_entry_at(0), Err(Errno::ENOENT));
    let inside = tree.lookup_parent(&directory, b"new", &ROOT).unwrap();
    assert_eq!(tree.create(&inside, FileType::Regular, 0o644, &ROOT, now(31)).unwrap_err(), Errno::ENOENT);
    assert_eq!(tree.mkdir(&inside, 0o755, &ROOT, now(31)).unwrap_err(), Errno::ENOENT);
    let created = tree.open(&directory, b"new", O_CREAT | O_RDWR, 0o644, &ROOT, now(31));
    assert_eq!(created.unwrap_err(), Errno::ENOENT);
    assert!(same(&tree.lookup(&directory, b"..", true).unwrap(), tree.root()));
    assert!(same(&tree.lookup(&directory, b".", true).unwrap(), &directory));
    assert_eq!(tree.path_of(&directory).unwrap_err(), Errno::ENOENT);
    // Emptied, a directory goes.
    unlink(&tree, "/full/f").unwrap();
    rmdir(&tree, "/full").unwrap();
    assert_eq!(names(tree.root()), [".", "..", "f", "l"]);
}

#[test]
fn rename_moves_and_replaces_files() {
    let tree = tree();
    let a = write_file(&tree, "/a", b"A");
    let b = write_file(&tree, "/b", b"B");
    mkdir(&tree, "/d").unwrap();
    tree.rename(&at(&tree, "/a"), &at(&tree, "/d/a2"), RenameFlags::default(), &ROOT, now(40)).unwrap();
    assert_eq!(get(&tree, "/a").unwrap_err(), Errno::ENOENT);
    assert!(same(&get(&tree, "/d/a2").unwrap(), &a));
    assert_eq!((a.metadata().nlink, a.metadata().ctime, a.metadata().mtime), (1, now(40), now(1)));
    assert_eq!((tree.root().metadata().mtime, get(&tree, "/d").unwrap().metadata().mtime), (now(40), now(40)));
    // Replacing: the old file loses its name and lives on while held.
    rename(&tree, "/d/a2", "/b").unwrap();
    assert!(same(&get(&tree, "/b").unwrap(), &a));
    assert_eq!((b.metadata().nlink, read_all(&b)), (0, b"B".to_vec()));
    assert_eq!(names(tree.root()), [".", "..", "d", "b"], "the new name takes a new offset");
    // Onto itself or another name of the same inode: nothing happens.
    rename(&tree, "/b", "/b").unwrap();
    link(&tree, "/b", "/d/same").unwrap();
    rename(&tree, "/b", "/d/same").unwrap();
    assert_eq!((nlink(&tree, "/b"), nlink(&tree, "/d/same")), (2, 2));
    assert_eq!(rename_with(&tree, "/b", "/b", NOREPLACE).unwrap_err(), Errno::EEXIST);
    assert_eq!(rename(&tree, "/missing", "/x").unwrap_err(), Errno::ENOENT);
}

#[test]
fn rename_directories() {
    let tree = tree();
    for path in ["/a", "/a/sub", "/a/sub/deep", "/empty", "/full", "/full/x", "/other"] {
        mkdir(&tree, path).unwrap();
    }
    touch(&tree, "/file").unwrap();
    assert_eq!(rename(&tree, "/a", "/full").unwrap_err(), Errno::ENOTEMPTY);
    assert_eq!(rename(&tree, "/a", "/file").unwrap_err(), Errno::ENOTDIR);
    assert_eq!(rename(&tree, "/file", "/empty").unwrap_err(), Errno::EISDIR);
    assert_eq!(rename(&tree, "/a", "/a/sub/x").unwrap_err(), Errno::EINVAL, "into its own subtree");
    assert_eq!(rename(&tree, "/a", "/a/x").unwrap_err(), Errno::EINVAL);
    assert_eq!(rename(&tree, "/a/sub", "/a/sub/deep/x").unwrap_err(), Errno::EINVAL);
    assert_eq!(rename(&tree, "/a/sub/deep", "/a").unwrap_err(), Errno::ENOTEMPTY, "onto an ancestor");
    assert_eq!(rename(&tree, "/a/sub", "/a").unwrap_err(), Errno::ENOTEMPTY);
    assert_eq!(rename(&tree, "/file", "/file/").unwrap_err(), Errno::ENOTDIR);
    assert_eq!(rename(&tree, "/file/", "/x").unwrap_err(), Errno::ENOTDIR);
    for path in ["/", ".", "/a/.", "/a/.."] {
        assert_eq!(rename(&tree, path, "/x").unwrap_err(), Errno::EBUSY, "from {path}");
        assert_eq!(rename(&tree, "/a", path).unwrap_err(), Errno::EBUSY, "to {path}");
        assert_eq!(rename_with(&tree, "/a", path, NOREPLACE).unwrap_err(), Errno::EEXIST, "to {path}");
    }
    // A directory over an empty one, to another parent: counts and `..` follow.
    let sub = get(&tree, "/a/sub").unwrap();
    let empty = get(&tree, "/empty").unwrap();
    rename(&tree, "/a/sub/", "/other/../empty/").unwrap();
    assert!(same(&get(&tree, "/empty").unwrap(), &sub));
    assert_eq!(empty.metadata().nlink, 0);
    assert!(same(&tree.lookup(&sub, b"..", true).unwrap(), tree.root()));
    assert_eq!(sub.dir_entry_at(1).unwrap().unwrap().ino, crate::ROOT_INO);
    assert_eq!((nlink(&tree, "/"), nlink(&tree, "/a"), nlink(&tree, "/empty")), (6, 2, 3));
    assert_eq!(tree.path_of(&get(&tree, "/empty/deep").unwrap()).unwrap(), b"/empty/deep");
    // Within one directory, over nothing.
    rename(&tree, "/empty", "/renamed").unwrap();
    assert_eq!(nlink(&tree, "/"), 6);
    assert_eq!(names(tree.root()), [".", "..", "a", "full", "other", "file", "renamed"]);
}

#[test]
fn rename_flags() {
    assert_eq!(RenameFlags::from_raw(0), Ok(RenameFlags::default()));
    assert_eq!(RenameFlags::from_raw(RENAME_NOREPLACE), Ok(NOREPLACE));
    assert_eq!(RenameFlags::from_raw(RENAME_EXCHANGE), Ok(EXCHANGE));
    assert_eq!(RenameFlags::from_raw(RENAME_NOREPLACE | RENAME_EXCHANGE), Err(Errno::EINVAL));
    assert_eq!(RenameFlags::from_raw(4), Err(Errno::EINVAL), "RENAME_WHITEOUT");
    assert_eq!(RenameFlags::from_raw(8), Err(Errno::EINVAL));
    let tree = tree();
    let f = write_file(&tree, "/f", b"f");
    let g = write_file(&tree, "/g", b"g");
    assert_eq!(rename_with(&tree, "/f", "/g", NOREPLACE).unwrap_err(), Errno::EEXIST);
    rename_with(&tree, "/f", "/h", NOREPLACE).unwrap();
    assert_eq!(rename_with(&tree, "/h", "/missing", EXCHANGE).unwrap_err(), Errno::ENOENT);
    assert_eq!(rename_with(&tree, "/h", "/g/", EXCHANGE).unwrap_err(), Errno::ENOTDIR);
    rename_with(&tree, "/h", "/g", EXCHANGE).unwrap();
    assert!(same(&get(&tree, "/h").unwrap(), &g) && same(&get(&tree, "/g").unwrap(), &f));
    assert_eq!(names(tree.root()), [".", "..", "g", "h"], "the names keep their offsets");
    // A directory and a file in different parents swap; link counts and `..` follow.
    mkdir(&tree, "/p").unwrap();
    mkdir(&tree, "/p/dir").unwrap();
    mkdir(&tree, "/q").unwrap();
    touch(&tree, "/q/file").unwrap();
    let directory = get(&tree, "/p/dir").unwrap();
    rename_with(&tree, "/p/dir", "/q/file", EXCHANGE).unwrap();
    assert!(same(&get(&tree, "/q/file").unwrap(), &directory));
    assert_eq!(get(&tree, "/p/dir").unwrap().file_type(), FileType::Regular);
    assert_eq!((nlink(&tree, "/p"), nlink(&tree, "/q"), directory.metadata().nlink), (2, 3, 2));
    assert!(same(&tree.lookup(&directory, b"..", true).unwrap(), &get(&tree, "/q").unwrap()));
    // Exchanging with an ancestor is EINVAL.
    mkdir(&tree, "/q/file/inner").unwrap();
    assert_eq!(rename_with(&tree, "/q/file/inner", "/q", EXCHANGE).unwrap_err(), Errno::EINVAL);
    assert_eq!(rename_with(&tree, "/q", "/q/file/inner", EXCHANGE).unwrap_err(), Errno::EINVAL);
}

#[test]
fn directory_offsets_are_stable_across_creates_and_unlinks() {
    let tree = tree();
    let directory = mkdir(&tree, "/d").unwrap();
    for name in ["a", "b", "c", "d"] {
        touch(&tree, &format!("/d/{name}")).unwrap();
    }
    // List up to "b", then change the directory, then resume.
    let mut offset = 0;
    let mut seen = Vec::new();
    while seen.last().map(String::as_str) != Some("b") {
        let entry = directory.dir_entry_at(offset).unwrap().unwrap();
        seen.push(String::from_utf8(entry.name).unwrap());
        offset = entry.next_offset;
    }
    unlink(&tree, "/d/a").unwrap();
    unlink(&tree, "/d/c").unwrap();
    touch(&tree, "/d/e").unwrap();
    rename(&tree, "/d/b", "/d/b2").unwrap();
    while let Some(entry) = directory.dir_entry_at(offset).unwrap() {
        seen.push(String::from_utf8(entry.name).unwrap());
        offset = entry.next_offset;
    }
    assert_eq!(seen, [".", "..", "a", "b", "d", "e", "b2"], "no repeats, survivors not skipped");
    assert_eq!(names(&directory), [".", "..", "d", "e", "b2"]);
    assert_eq!(directory.metadata().size, 5 * 20);
}

#[test]
fn running_out_of_pages_and_getting_them_back() {
    let (pages, tree) = new_tree(4);
    let a = write_file(&tree, "/a", &[1; 3 * PAGE_SIZE]);
    let b = open(&tree, "/b", O_CREAT | O_WRONLY).unwrap();
    assert_eq!(b.write(0, &[2; 2 * PAGE_SIZE], now(2)), Ok(PAGE_SIZE), "a short write");
    assert_eq!(b.write(PAGE_SIZE as u64, b"x", now(3)), Err(Errno::ENOSPC));
    assert_eq!(b.metadata().mtime, now(3), "Linux updates the times before it writes");
    assert_eq!((b.metadata().size, b.metadata().blocks), (PAGE_SIZE as u64, 8));
    assert_eq!((pages.live(), tree.pages_in_use()), (4, 4));
    assert_eq!(b.write(10, b"in place", now(4)), Ok(8), "no new page needed");
    b.truncate(100 * PAGE_SIZE as u64, now(5)).unwrap();
    assert_eq!(tree.pages_in_use(), 4, "holes take no pages");
    unlink(&tree, "/a").unwrap();
    assert_eq!(pages.live(), 4, "/a is still open");
    drop(a);
    assert_eq!((pages.live(), tree.pages_in_use()), (1, 1));
    assert_eq!(b.write(PAGE_SIZE as u64, &[2; PAGE_SIZE], now(6)), Ok(PAGE_SIZE));
    assert_eq!(read_all(&b)[..2 * PAGE_SIZE].iter().filter(|&&byte| byte == 2).count(), 2 * PAGE_SIZE - 8);
    // A file that no longer fits.
    pages.set_limit(2);
    let c = open(&tree, "/c", O_CREAT | O_WRONLY).unwrap();
    assert_eq!(c.write(0, b"c", now(7)), Err(Errno::ENOSPC));
    assert_eq!(c.metadata().size, 0);
    open(&tree, "/b", O_WRONLY | O_TRUNC).unwrap();
    assert_eq!(c.write(0, b"c", now(8)), Ok(1));
    assert_eq!((pages.live(), tree.pages_in_use()), (1, 1));
}

#[test]
fn ten_thousand_files_come_and_go() {
    let (pages, tree) = new_tree(usize::MAX);
    mkdir(&tree, "/many").unwrap();
    let baseline = pages.live();
    for n in 0..10_000 {
        let file = write_file(&tree, &format!("/many/{n}"), format!("file {n}").as_bytes());
        if n % 100 == 0 {
            file.write(PAGE_SIZE as u64, b"second page", now(2)).unwrap();
        }
    }
    assert_eq!(pages.live(), baseline + 10_000 + 100);
    assert_eq!(tree.pages_in_use() as usize, pages.live());
    assert_eq!(read_all(&get(&tree, "/many/1234").unwrap()), b"file 1234");
    assert_eq!(nlink(&tree, "/many"), 2);
    for n in 0..10_000 {
        unlink(&tree, &format!("/many/{n}")).unwrap();
    }
    assert_eq!((pages.live(), tree.pages_in_use()), (baseline, 0));
    assert_eq!(names(&get(&tree, "/many").unwrap()), [".", ".."]);
    rmdir(&tree, "/many").unwrap();
}

#[test]
fn open_without_create() {
    let tree = tree();
    let file = write_file(&tree, "/f", b"contents");
    mkdir(&tree, "/d").unwrap();
    symlink(&tree, "f", "/l").unwrap();
    symlink(&tree, "d", "/dl").unwrap();
    assert!(same(&open(&tree, "/l", O_RDONLY).unwrap(), &file));
    assert_eq!(open(&tree, "/l", O_RDONLY | O_NOFOLLOW).unwrap_err(), Errno::ELOOP);
    assert_eq!(open(&tree, "/l", O_RDONLY | O_NOFOLLOW | O_DIRECTORY).unwrap_err(), Errno::ENOTDIR);
    assert_eq!(open(&tree, "/missing", O_RDONLY).unwrap_err(), Errno::ENOENT);
    assert_eq!(open(&tree, "/f/", O_RDONLY).unwrap_err(), Errno::ENOTDIR);
    assert_eq!(open(&tree, "/f", O_DIRECTORY).unwrap_err(), Errno::ENOTDIR);
    assert!(same(&open(&tree, "/dl/", O_RDONLY | O_NOFOLLOW).unwrap(), &get(&tree, "/d").unwrap()));
    open(&tree, "/d", O_RDONLY | O_DIRECTORY).unwrap();
    assert_eq!(open(&tree, "/d", O_WRONLY).unwrap_err(), Errno::EISDIR);
    assert_eq!(open(&tree, "/d", O_RDWR).unwrap_err(), Errno::EISDIR);
    assert_eq!(open(&tree, "/", O_RDONLY | O_TRUNC).unwrap_err(), Errno::EISDIR);
    // O_TRUNC empties the file and always sets mtime and ctime.
    let truncated = tree.open(tree.root(), b"/f", O_WRONLY | O_TRUNC, 0, &ROOT, now(50)).unwrap();
    assert_eq!((truncated.metadata().size, truncated.metadata().mtime), (0, now(50)));
    tree.open(tree.root(), b"/f", O_RDONLY | O_TRUNC, 0, &ROOT, now(51)).unwrap();
    assert_eq!(file.metadata().ctime, now(51), "even at size 0, even with O_RDONLY");
    // O_PATH only looks up.
    assert_eq!(open(&tree, "/l", O_PATH | O_NOFOLLOW).unwrap().file_type(), FileType::Symlink);
    assert_eq!(open(&tree, "/l", O_PATH | O_DIRECTORY).unwrap_err(), Errno::ENOTDIR);
    assert_eq!(open(&tree, "/d", O_TMPFILE | O_RDWR).unwrap_err(), Errno::EOPNOTSUPP);
}

#[test]
fn open_with_create() {
    let tree = open_tree();
    tree.mkdir(&at(&tree, "/d"), 0o777, &ROOT, now(1)).unwrap();
    let made = tree.open(tree.root(), b"/d/new", O_CREAT | O_RDWR, 0o600, &ALICE, now(60)).unwrap();
    let metadata = made.metadata();
    assert_eq!((metadata.mode, metadata.uid, metadata.ctime), (S_IFREG | 0o600, 1000, now(60)));
    let d = get(&tree, "/d").unwrap().metadata();
    assert_eq!((d.mtime, d.ctime), (now(60), now(60)));
    // An existing file is opened, even with O_CREAT, and not changed.
    assert!(same(&open(&tree, "/d/new", O_CREAT | O_RDONLY).unwrap(), &made));
    assert_eq!(made.metadata().ctime, now(60));
    assert_eq!(open(&tree, "/d/new", O_CREAT | O_EXCL).unwrap_err(), Errno::EEXIST);
    assert_eq!(open(&tree, "/d", O_CREAT).unwrap_err(), Errno::EISDIR);
    assert_eq!(open(&tree, "/d", O_CREAT | O_EXCL).unwrap_err(), Errno::EEXIST);
    assert_eq!(open(&tree, ".", O_CREAT).unwrap_err(), Errno::EISDIR);
    assert_eq!(open(&tree, "/d/new/", O_CREAT).unwrap_err(), Errno::EISDIR);
    assert_eq!(open(&tree, "/d/other/", O_CREAT).unwrap_err(), Errno::EISDIR);
    assert_eq!(open(&tree, "/d/x", O_CREAT | O_DIRECTORY).unwrap_err(), Errno::EINVAL);
    assert_eq!(open(&tree, "/nope/x", O_CREAT).unwrap_err(), Errno::ENOENT);
    assert_eq!(open(&tree, &format!("/{}", "n".repeat(256)), O_CREAT).unwrap_err(), Errno::ENAMETOOLONG);
    // A dangling symlink: its target is made, unless O_EXCL (EEXIST) or O_NOFOLLOW.
    symlink(&tree, "d/target", "/dangling").unwrap();
    assert_eq!(open(&tree, "/dangling", O_CREAT | O_EXCL).unwrap_err(), Errno::EEXIST);
    assert_eq!(open(&tree, "/dangling", O_CREAT | O_NOFOLLOW).unwrap_err(), Errno::ELOOP);
    let target = open(&tree, "/dangling", O_CREAT | O_WRONLY).unwrap();
    assert!(same(&get(&tree, "/d/target").unwrap(), &target));
    symlink(&tree, "/d/dir/", "/to_dir").unwrap();
    assert_eq!(open(&tree, "/to_dir", O_CREAT).unwrap_err(), Errno::EISDIR, "the target's trailing slash");
    // A file made with no permissions at all may still be opened by its maker.
    let locked = tree.open(tree.root(), b"/locked", O_CREAT | O_RDWR, 0, &ALICE, now(61));
    assert_eq!(locked.unwrap().metadata().mode & !S_IFMT, 0);
    let reopened = tree.open(tree.root(), b"/locked", O_CREAT | O_RDWR, 0, &ALICE, now(62));
    assert_eq!(reopened.unwrap_err(), Errno::EACCES);
}

#[test]
fn open_checks_permissions() {
    let tree = open_tree();
    let file = tree.create(&at(&tree, "/f"), FileType::Regular, 0o640, &ALICE, now(1)).unwrap();
    let open_as =
        |credentials: &Credentials<'_>, flags: u32| tree.open(tree.root(), b"/f", flags, 0, credentials, now(2));
    open_as(&ALICE, O_RDWR).unwrap();
    assert_eq!(open_as(&BOB, O_RDONLY).unwrap_err(), Errno::EACCES);
    let in_group = Credentials { uid: 3000, gid: 3000, groups: &[1000] };
    open_as(&in_group, O_RDONLY).unwrap();
    assert_eq!(open_as(&in_group, O_WRONLY).unwrap_err(), Errno::EACCES);
    assert_eq!(open_as(&in_group, O_RDONLY | O_TRUNC).unwrap_err(), Errno::EACCES, "O_TRUNC needs write");
    assert_eq!(open_as(&in_group, O_RDONLY | O_NOATIME).unwrap_err(), Errno::EPERM);
    open_as(&ALICE, O_RDONLY | O_NOATIME).unwrap();
    file.chmod(0, &ALICE, now(3)).unwrap();
    open_as(&ROOT, O_RDWR).unwrap();
    // Creating needs write and search permission on the directory.
    tree.root().chmod(0o755, &ROOT, now(4)).unwrap();
    let made = tree.open(tree.root(), b"/g", O_CREAT | O_WRONLY, 0o644, &BOB, now(4));
    assert_eq!(made.unwrap_err(), Errno::EACCES);
}

#[test]
fn search_and_write_permission_on_directories() {
    let tree = open_tree();
    let private = tree.mkdir(&at(&tree, "/private"), 0o700, &ALICE, now(1)).unwrap();
    tree.create(&at(&tree, "/private/f"), FileType::Regular, 0o666, &ALICE, now(1)).unwrap();
    let lookup = |credentials: &Credentials<'_>, path: &[u8]| tree.lookup_as(tree.root(), path, true, credentials);
    lookup(&ALICE, b"/private/f").unwrap();
    lookup(&ROOT, b"/private/f").unwrap();
    assert_eq!(lookup(&BOB, b"/private/f").unwrap_err(), Errno::EACCES);
    assert_eq!(lookup(&BOB, b"/private/missing").unwrap_err(), Errno::EACCES, "before ENOENT");
    assert_eq!(lookup(&BOB, b"/private/.").unwrap_err(), Errno::EACCES);
    assert!(same(&lookup(&BOB, b"/private").unwrap(), &private), "the last component needs no search");
    assert_eq!(tree.lookup_parent(tree.root(), b"/private/x", &BOB).unwrap_err(), Errno::EACCES);
    // Readable and searchable but not writable: no new names, no removals.
    private.chmod(0o755, &ALICE, now(2)).unwrap();
    let inside = tree.lookup_parent(tree.root(), b"/private/new", &BOB).unwrap();
    assert_eq!(tree.create(&inside, FileType::Regular, 0o644, &BOB, now(3)).unwrap_err(), Errno::EACCES);
    assert_eq!(tree.mkdir(&inside, 0o755, &BOB, now(3)).unwrap_err(), Errno::EACCES);
    let existing = tree.lookup_parent(tree.root(), b"/private/f", &BOB).unwrap();
    assert_eq!(tree.mkdir(&existing, 0o755, &BOB, now(3)).unwrap_err(), Errno::EEXIST, "EEXIST comes first");
    assert_eq!(tree.unlink(&existing, &BOB, now(3)).unwrap_err(), Errno::EACCES);
    let to = tree.lookup_parent(tree.root(), b"/mine", &BOB).unwrap();
    assert_eq!(tree.rename(&existing, &to, RenameFlags::default(), &BOB, now(3)).unwrap_err(), Errno::EACCES);
    // Root may do it all.
    tree.unlink(&existing, &ROOT, now(4)).unwrap();
}

#[test]
fn sticky_directories_protect_other_users_files() {
    let tree = tree();
    let tmp = mkdir(&tree, "/tmp").unwrap();
    tmp.chmod(0o1777, &ROOT, now(1)).unwrap();
    for (user, name) in [(&ALICE, "/tmp/alice"), (&BOB, "/tmp/bob")] {
        tree.create(
            &tree.lookup_parent(tree.root(), name.as_bytes(), user).unwrap(),
            FileType::Regular,
            0o666,
            user,
            now(1),
        )
        .unwrap();
    }
    let bob_file = tree.lookup_parent(tree.root(), b"/tmp/bob", &ALICE).unwrap();
    assert_eq!(tree.unlink(&bob_file, &ALICE, now(2)).unwrap_err(), Errno::EPERM);
    let alice_file = tree.lookup_parent(tree.root(), b"/tmp/alice", &ALICE).unwrap();
    assert_eq!(tree.rename(&alice_file, &bob_file, RenameFlags::default(), &ALICE, now(2)).unwrap_err(), Errno::EPERM);
    assert_eq!(tree.rename(&bob_file, &alice_file, RenameFlags::default(), &ALICE, now(2)).unwrap_err(), Errno::EPERM);
    tree.unlink(&alice_file, &ALICE, now(2)).unwrap();
    tree.unlink(&bob_file, &ROOT, now(2)).unwrap();
    // The directory's owner may remove anything in it.
    tmp.chown(Some(1000), None, &ROOT, now(3)).unwrap();
    tree.create(&tree.lookup_parent(tree.root(), b"/tmp/bob", &BOB).unwrap(), FileType::Regular, 0o666, &BOB, now(3))
        .unwrap();
    tree.unlink(&tree.lookup_parent(tree.root(), b"/tmp/bob", &ALICE).unwrap(), &ALICE, now(4)).unwrap();
}

#[test]
fn moving_a_directory_to_another_parent_needs_write_permission_on_it() {
    let tree = tree();
    let home = tree.mkdir(&at(&tree, "/home"), 0o777, &ROOT, now(1)).unwrap();
    tree.mkdir(&at(&tree, "/home/a"), 0o777, &ROOT, now(1)).unwrap();
    tree.mkdir(&at(&tree, "/home/b"), 0o777, &ROOT, now(1)).unwrap();
    tree.mkdir(&at(&tree, "/home/a/ro"), 0o555, &ROOT, now(1)).unwrap();
    let from = tree.lookup_parent(tree.root(), b"/home/a/ro", &BOB).unwrap();
    let elsewhere = tree.lookup_parent(tree.root(), b"/home/b/ro", &BOB).unwrap();
    assert_eq!(tree.rename(&from, &elsewhere, RenameFlags::default(), &BOB, now(2)).unwrap_err(), Errno::EACCES);
    let same_parent = tree.lookup_parent(tree.root(), b"/home/a/ro2", &BOB).unwrap();
    tree.rename(&from, &same_parent, RenameFlags::default(), &BOB, now(2)).unwrap();
    assert_eq!(home.metadata().nlink, 4);
}

#[test]
fn set_group_id_directories_pass_on_their_group() {
    let tree = open_tree();
    let shared = tree.mkdir(&at(&tree, "/shared"), 0o2777, &ROOT, now(1)).unwrap();
    shared.chown(None, Some(50), &ROOT, now(1)).unwrap();
    shared.chmod(0o2777, &ROOT, now(1)).unwrap();
    let sub = tree.mkdir(&at(&tree, "/shared/sub"), 0o755, &ALICE, now(2)).unwrap();
    assert_eq!((sub.metadata().mode, sub.metadata().gid), (S_IFDIR | 0o2755, 50));
    let file = tree.create(&at(&tree, "/shared/f"), FileType::Regular, 0o2755, &ALICE, now(2)).unwrap();
    assert_eq!((file.metadata().mode & !S_IFMT, file.metadata().gid), (0o755, 50), "an outsider's setgid goes");
    let member = Credentials { uid: 1000, gid: 1000, groups: &[50] };
    let kept = tree.create(&at(&tree, "/shared/g"), FileType::Regular, 0o2755, &member, now(2)).unwrap();
    assert_eq!(kept.metadata().mode & !S_IFMT, 0o2755);
    let plain = tree.create(&at(&tree, "/h"), FileType::Regular, 0o644, &ALICE, now(2)).unwrap();
    assert_eq!(plain.metadata().gid, 1000);
}

#[test]
fn many_threads_share_one_tree() {
    let (pages, tree) = new_tree(usize::MAX);
    let tree = Arc::new(tree);
    mkdir(&tree, "/shared").unwrap();
    let threads: Vec<_> = (0..4)
        .map(|thread| {
            let tree = tree.clone();
            std::thread::spawn(move || {
                for n in 0..200 {
                    let path = format!("/shared/{thread}-{n}");
                    let file = write_file(&tree, &path, &[thread as u8; 5000]);
                    assert_eq!(read_all(&file), vec![thread as u8; 5000]);
                    if n % 2 == 0 {
                        rename(&tree, &path, &format!("/shared/{thread}-{n}-kept")).unwrap();
                    } else {
                        unlink(&tree, &path).unwrap();
                    }
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let shared = get(&tree, "/shared").unwrap();
    assert_eq!(names(&shared).len(), 2 + 4 * 100);
    assert_eq!((pages.live(), tree.pages_in_use()), (4 * 100 * 2, 4 * 100 * 2));
}

#[test]
fn socket_names_are_inodes_that_cannot_be_opened() {
    let tree = open_tree();
    let socket = tree.create(&at(&tree, "/sock"), FileType::Socket, 0o755, &ALICE, now(1)).unwrap();
    let metadata = socket.metadata();
    assert_eq!((metadata.mode, metadata.size, metadata.nlink), (S_IFSOCK | 0o755, 0, 1));
    assert_eq!(socket.file_type().dirent_type(), kabi::fs::DT_SOCK);
    assert_eq!(tree.create(&at(&tree, "/sock"), FileType::Socket, 0o755, &ALICE, now(2)).unwrap_err(), Errno::EEXIST);
    assert_eq!(tree.open(tree.root(), b"/sock", O_RDWR, 0, &ROOT, now(2)).unwrap_err(), Errno::ENXIO);
    assert_eq!(socket.read(0, &mut [0; 4]).unwrap_err(), Errno::EINVAL);
    unlink(&tree, "/sock").unwrap();
    assert_eq!(socket.metadata().nlink, 0);
}

#[test]
fn child_is_one_step_of_a_lookup_without_following() {
    let tree = tree();
    let dir = mkdir(&tree, "/d").unwrap();
    let file = touch(&tree, "/d/f").unwrap();
    let link = symlink(&tree, "f", "/d/l").unwrap();
    assert!(Arc::ptr_eq(&tree.child(tree.root(), b"d").unwrap(), &dir));
    assert!(Arc::ptr_eq(&tree.child(&dir, b"f").unwrap(), &file));
    assert!(Arc::ptr_eq(&tree.child(&dir, b"l").unwrap(), &link));
    assert_eq!(tree.child(&dir, b"missing").err(), Some(Errno::ENOENT));
    assert_eq!(tree.child(&file, b"x").err(), Some(Errno::ENOTDIR));
}
