//! Property tests of the ramfs: cpio newc archives built here from generated entries
//! unpack to the same names, contents, modes and owners; damaged and arbitrary
//! archives give an error or a consistent tree, never a panic or a leaked page; and
//! random sequences of namespace calls (mkdir, create, symlink, link, unlink, rmdir,
//! rename, open) keep the tree's invariants (link counts, `..`, paths).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use kabi::Errno;
use kabi::fs::{O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_RDWR, O_TRUNC, S_IFDIR, S_IFLNK, S_IFREG};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm};
use ramfs::test_archive::{Header, newc_entry, trailer};
use ramfs::test_pages::HeapPages;
use ramfs::{Credentials, FileType, InodeRef, PAGE_SIZE, RenameFlags, Timestamp, Tree};

/// `cases` cases (`PROPTEST_CASES` sets another number, for a longer run), drawn
/// with the XorShift generator (ChaCha dominates the run time in debug builds),
/// without regression files in the source tree (a failure prints its input; it
/// becomes a plain `#[test]`).
fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|value| value.parse().ok()).unwrap_or(cases);
    Config { cases, failure_persistence: None, rng_algorithm: RngAlgorithm::XorShift, ..Config::default() }
}

// ---------------------------------------------------------------------------------
// Writing archives.

/// An archive of `headers` and a trailer; also where each entry starts.
fn archive(headers: &[Header]) -> (Vec<u8>, Vec<usize>) {
    let mut bytes = Vec::new();
    let mut starts = Vec::new();
    for header in headers {
        starts.push(bytes.len());
        bytes.extend(newc_entry(header));
    }
    starts.push(bytes.len());
    bytes.extend(trailer());
    (bytes, starts)
}

// ---------------------------------------------------------------------------------
// Generated trees.

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Directory,
    File(Vec<u8>),
    Symlink(Vec<u8>),
}

/// One entry of a generated tree, at its path below the root.
#[derive(Debug, Clone)]
struct Entry {
    path: String,
    kind: Kind,
    permissions: u32,
    uid: u32,
    gid: u32,
    mtime: u32,
}

/// One name: letters, digits and `._-`, never `.` or `..`.
fn name() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9_.-]{1,12}".prop_filter("not . or ..", |name| name != "." && name != "..")
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        2 => Just(Kind::Directory),
        3 => prop_oneof![
            4 => prop::collection::vec(any::<u8>(), 0..64),
            1 => prop::collection::vec(any::<u8>(), 0..9000),
        ]
        .prop_map(Kind::File),
        1 => prop::collection::vec(1u8.., 1..40).prop_map(Kind::Symlink),
    ]
}

/// A tree of up to `max` entries: each goes in a directory made before it, with a
/// name its directory does not have yet.
fn tree_entries(max: usize) -> impl Strategy<Value = Vec<Entry>> {
    prop::collection::vec(
        (any::<prop::sample::Index>(), name(), kind(), 0u32..0o10000, any::<u32>(), any::<u32>(), any::<u32>()),
        0..max,
    )
    .prop_map(|specs| {
        let mut directories = vec![String::new()];
        let mut taken = BTreeSet::new();
        let mut entries = Vec::new();
        for (parent, name, kind, permissions, uid, gid, mtime) in specs {
            let parent = parent.get(&directories);
            let path = format!("{parent}/{name}");
            if !taken.insert(path.clone()) {
                continue;
            }
            if kind == Kind::Directory {
                directories.push(path.clone());
            }
            entries.push(Entry { path, kind, permissions, uid, gid, mtime });
        }
        entries
    })
}

/// How an entry's name is written: `a/b`, `./a/b` or `/a/b`.
fn spelled(path: &str, style: u8) -> Vec<u8> {
    let relative = &path[1..];
    match style % 3 {
        0 => relative.as_bytes().to_vec(),
        1 => format!("./{relative}").into_bytes(),
        _ => path.as_bytes().to_vec(),
    }
}

fn header_of(entry: &Entry, ino: u32, style: u8) -> Header {
    let (type_bits, data, nlink) = match &entry.kind {
        Kind::Directory => (S_IFDIR, Vec::new(), 2),
        Kind::File(data) => (S_IFREG, data.clone(), 1),
        Kind::Symlink(target) => (S_IFLNK, target.clone(), 1),
    };
    Header {
        name: spelled(&entry.path, style),
        mode: type_bits | entry.permissions,
        ino,
        nlink,
        uid: entry.uid,
        gid: entry.gid,
        mtime: entry.mtime,
        data,
    }
}

/// Files with several names, as GNU cpio writes them: each name an entry with the
/// file's inode number and link count, the data with the last name only (or, when
/// `data_everywhere`, with every name). Names are `hN_M` in the root.
fn hard_link_headers(files: &[(Vec<u8>, usize)], data_everywhere: bool) -> Vec<Header> {
    let mut headers = Vec::new();
    for (file, (data, names)) in files.iter().enumerate() {
        for name in 0..*names {
            let last = name + 1 == *names;
            headers.push(Header {
                name: format!("h{file}_{name}").into_bytes(),
                mode: S_IFREG | 0o644,
                ino: 500 + file as u32,
                nlink: *names as u32,
                uid: 0,
                gid: 0,
                mtime: 0,
                data: if last || data_everywhere { data.clone() } else { Vec::new() },
            });
        }
    }
    headers
}

fn hard_linked_files() -> impl Strategy<Value = Vec<(Vec<u8>, usize)>> {
    prop::collection::vec((prop::collection::vec(any::<u8>(), 0..100), 1usize..4), 1..5)
}

fn read_all(inode: &InodeRef) -> Vec<u8> {
    let mut data = vec![0; inode.metadata().size as usize + 1];
    let count = inode.read(0, &mut data).unwrap();
    data.truncate(count);
    data
}

/// The entries of a directory, without `.` and `..`, with their inodes (each
/// listed inode number is the inode its name leads to).
fn listing(tree: &Tree, directory: &InodeRef) -> Result<Vec<(Vec<u8>, InodeRef)>, TestCaseError> {
    let mut entries = Vec::new();
    let mut offset = 0;
    let failed = |error: Errno| TestCaseError::fail(format!("listing directory {}: {error}", directory.ino()));
    while let Some(entry) = directory.dir_entry_at(offset).map_err(failed)? {
        offset = entry.next_offset;
        if entry.name != b"." && entry.name != b".." {
            let mut path = b"./".to_vec();
            path.extend_from_slice(&entry.name);
            let inode = tree.lookup(directory, &path, false).map_err(failed)?;
            prop_assert_eq!(inode.ino(), entry.ino);
            entries.push((entry.name, inode));
        }
    }
    Ok(entries)
}

/// The longest name (Linux's `NAME_MAX`).
const NAME_MAX: usize = 255;

/// Checks the tree's structure: every directory is reachable by one name only, its
/// link count is 2 plus its subdirectories, its `..` is its parent, its size counts
/// its entries, and `path_of` gives a clean path that leads back to it; every other
/// inode's link count is its number of names; the pages in use are the files' pages.
fn check_tree(tree: &Tree) -> Result<(), TestCaseError> {
    let mut names_of: BTreeMap<u64, (InodeRef, u32)> = BTreeMap::new();
    let mut directories_seen = BTreeSet::new();
    let mut pending = vec![(tree.root().clone(), b"/".to_vec())];
    while let Some((directory, path)) = pending.pop() {
        prop_assert!(directories_seen.insert(directory.ino()), "directory {} reachable twice", directory.ino());
        let entries = listing(tree, &directory)?;
        let mut subdirectories = 0;
        for (name, inode) in &entries {
            prop_assert!(!name.is_empty() && !name.contains(&b'/') && name.len() <= NAME_MAX);
            let mut child_path = path.clone();
            if child_path.len() > 1 {
                child_path.push(b'/');
            }
            child_path.extend_from_slice(name);
            if inode.file_type() == FileType::Directory {
                subdirectories += 1;
                let parent = tree.lookup(inode, b"..", false).unwrap();
                prop_assert!(Arc::ptr_eq(&parent, &directory), "`..` of {child_path:?} is not its parent");
                pending.push((inode.clone(), child_path));
            } else {
                names_of.entry(inode.ino()).or_insert_with(|| (inode.clone(), 0)).1 += 1;
            }
        }
        let metadata = directory.metadata();
        prop_assert_eq!(metadata.nlink, 2 + subdirectories, "link count of {:?}", String::from_utf8_lossy(&path));
        prop_assert_eq!(metadata.size, (entries.len() as u64 + 2) * 20);
        let found = tree.path_of(&directory).unwrap();
        prop_assert_eq!(&found, &path, "path_of");
        check_clean_path(&found)?;
        prop_assert!(Arc::ptr_eq(&tree.lookup(tree.root(), &found, true).unwrap(), &directory));
    }
    let mut pages = 0;
    for (inode, names) in names_of.values() {
        prop_assert_eq!(inode.metadata().nlink, *names, "link count of inode {}", inode.ino());
        if inode.file_type() == FileType::Regular {
            pages += inode.metadata().blocks / (PAGE_SIZE as u64 / 512);
        }
    }
    prop_assert_eq!(tree.pages_in_use(), pages, "pages in use and pages the named files hold");
    Ok(())
}

/// An absolute path without empty, `.` or `..` components.
fn check_clean_path(path: &[u8]) -> Result<(), TestCaseError> {
    prop_assert!(path.starts_with(b"/"), "{path:?} is not absolute");
    if path != b"/" {
        for component in path[1..].split(|&byte| byte == b'/') {
            prop_assert!(!component.is_empty() && component != b"." && component != b"..", "{path:?}");
        }
    }
    Ok(())
}

/// Loads `bytes` with a heap allocator of `limit` pages; checks the tree when it
/// loads and that every page comes back when it is dropped. Returns whether it
/// loaded.
fn load_and_check(bytes: &[u8], limit: usize) -> Result<bool, TestCaseError> {
    let pages = HeapPages::with_limit(limit);
    let loaded = match Tree::from_cpio(bytes, pages.clone(), 1) {
        Ok(tree) => {
            check_tree(&tree)?;
            prop_assert_eq!(tree.pages_in_use() as usize, pages.live());
            true
        }
        Err(error) => {
            prop_assert!(!error.to_string().is_empty());
            false
        }
    };
    prop_assert_eq!(pages.live(), 0, "pages leaked");
    Ok(loaded)
}

// ---------------------------------------------------------------------------------
// Damage.

/// One way to damage an archive.
#[derive(Debug, Clone)]
enum Damage {
    /// Set header field `field` (0 is the magic) of entry `entry` to `text`.
    Field { entry: prop::sample::Index, field: usize, text: Vec<u8> },
    /// XOR a byte anywhere.
    Flip(prop::sample::Index, u8),
    /// Cut the archive short.
    Truncate(prop::sample::Index),
    /// Insert bytes.
    Insert(prop::sample::Index, Vec<u8>),
    /// Remove a few bytes.
    Remove(prop::sample::Index, usize),
    /// Append garbage, zeros or another archive.
    Append(Vec<u8>),
}

/// Texts for a header field: edge hex values, non-hex digits, a sign, another magic.
fn field_text() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"FFFFFFFF".to_vec()),
        Just(b"00000000".to_vec()),
        Just(b"00000001".to_vec()),
        Just(b"7FFFFFFF".to_vec()),
        Just(b"+0000010".to_vec()),
        Just(b"0000000g".to_vec()),
        Just(b"0000\xff\xfe00".to_vec()),
        Just(b"070707".to_vec()),
        Just(b"070702".to_vec()),
        any::<u32>().prop_map(|value| format!("{value:08x}").into_bytes()),
        (0u32..0x200).prop_map(|value| format!("{value:08X}").into_bytes()),
    ]
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        4 => (any::<prop::sample::Index>(), 0usize..14, field_text())
            .prop_map(|(entry, field, text)| Damage::Field { entry, field, text }),
        2 => (any::<prop::sample::Index>(), 1u8..).prop_map(|(at, mask)| Damage::Flip(at, mask)),
        1 => any::<prop::sample::Index>().prop_map(Damage::Truncate),
        1 => (any::<prop::sample::Index>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, bytes)| Damage::Insert(at, bytes)),
        1 => (any::<prop::sample::Index>(), 1usize..8).prop_map(|(at, count)| Damage::Remove(at, count)),
        1 => prop_oneof![
            prop::collection::vec(any::<u8>(), 1..200),
            (0usize..600).prop_map(|count| vec![0; count]),
            Just(trailer()),
            Just([vec![0; 3], trailer()].concat()),
        ]
        .prop_map(Damage::Append),
    ]
}

fn apply(bytes: &mut Vec<u8>, starts: &[usize], damage: &Damage) {
    match damage {
        Damage::Field { entry, field, text } => {
            let at = entry.get(starts) + if *field == 0 { 0 } else { 6 + 8 * (field - 1) };
            for (offset, &byte) in text.iter().enumerate() {
                if let Some(slot) = bytes.get_mut(at + offset) {
                    *slot = byte;
                }
            }
        }
        Damage::Flip(at, mask) if !bytes.is_empty() => {
            let at = at.index(bytes.len());
            bytes[at] ^= mask;
        }
        Damage::Truncate(at) if !bytes.is_empty() => bytes.truncate(at.index(bytes.len())),
        Damage::Insert(at, inserted) => {
            let at = at.index(bytes.len() + 1);
            bytes.splice(at..at, inserted.iter().copied());
        }
        Damage::Remove(at, count) if !bytes.is_empty() => {
            let at = at.index(bytes.len());
            bytes.drain(at..(at + count).min(bytes.len()));
        }
        Damage::Append(more) => bytes.extend_from_slice(more),
        _ => {}
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// An archive of generated entries, in the order made or shuffled (children before
    /// their directories), with names spelled `a`, `./a` or `/a`, perhaps split in two
    /// concatenated archives, unpacks to exactly those entries.
    #[test]
    fn archives_round_trip(
        entries in tree_entries(24),
        shuffle in any::<bool>(),
        order_seed in any::<u64>(),
        styles in prop::collection::vec(any::<u8>(), 24),
        split in any::<prop::sample::Index>(),
        padding in 0usize..600,
    ) {
        let mut order: Vec<usize> = (0..entries.len()).collect();
        if shuffle {
            // A Fisher-Yates shuffle driven by the seed.
            let mut state = order_seed | 1;
            for i in (1..order.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                order.swap(i, (state % (i as u64 + 1)) as usize);
            }
        }
        let headers: Vec<Header> =
            order.iter().map(|&i| header_of(&entries[i], 100 + i as u32, styles[i % styles.len()])).collect();
        let cut = split.index(headers.len() + 1);
        let (mut bytes, _) = archive(&headers[..cut]);
        if cut < headers.len() {
            bytes.extend(vec![0; padding]);
            bytes.extend(archive(&headers[cut..]).0);
        }

        let pages = HeapPages::with_limit(usize::MAX);
        let tree = Tree::from_cpio(&bytes, pages.clone(), 1).map_err(|error| TestCaseError::fail(error.to_string()))?;
        check_tree(&tree)?;
        let mut expected_pages = 0;
        for entry in &entries {
            let inode = tree.lookup(tree.root(), entry.path.as_bytes(), false)
                .map_err(|error| TestCaseError::fail(format!("{}: {error}", entry.path)))?;
            let metadata = inode.metadata();
            let (file_type, permissions) = match &entry.kind {
                Kind::Directory => (FileType::Directory, entry.permissions),
                Kind::File(data) => {
                    prop_assert_eq!(&read_all(&inode), data);
                    expected_pages += data.len().div_ceil(PAGE_SIZE);
                    (FileType::Regular, entry.permissions)
                }
                Kind::Symlink(target) => {
                    prop_assert_eq!(inode.read_link().unwrap(), &target[..]);
                    // Linux makes every symlink rwxrwxrwx, whatever the archive says.
                    (FileType::Symlink, 0o777)
                }
            };
            prop_assert_eq!(inode.file_type(), file_type, "{}", entry.path);
            prop_assert_eq!(metadata.mode, file_type.mode_bits() | permissions, "{}", entry.path);
            prop_assert_eq!((metadata.uid, metadata.gid), (entry.uid, entry.gid), "{}", entry.path);
            prop_assert_eq!(metadata.mtime, Timestamp::from_secs(i64::from(entry.mtime)));
        }
        // Nothing else is there.
        let mut names = 0;
        let mut pending = vec![tree.root().clone()];
        while let Some(directory) = pending.pop() {
            for (_, inode) in listing(&tree, &directory)? {
                names += 1;
                if inode.file_type() == FileType::Directory {
                    pending.push(inode);
                }
            }
        }
        prop_assert_eq!(names, entries.len());
        prop_assert_eq!(tree.pages_in_use() as usize, expected_pages);
        drop(tree);
        prop_assert_eq!(pages.live(), 0);
    }

    /// Damaged archives (header fields set to edge values, flipped, cut, inserted or
    /// removed bytes, trailing garbage) load or fail cleanly, and leak no page.
    #[test]
    fn damaged_archives_never_panic(
        entries in tree_entries(8),
        links in hard_linked_files(),
        damages in prop::collection::vec(damage(), 1..4),
        limit in prop_oneof![Just(usize::MAX), 0usize..4],
    ) {
        let mut headers: Vec<Header> = entries.iter().enumerate().map(|(i, entry)| header_of(entry, 100 + i as u32, i as u8)).collect();
        headers.extend(hard_link_headers(&links, false));
        let (mut bytes, starts) = archive(&headers);
        for damage in &damages {
            apply(&mut bytes, &starts, damage);
        }
        load_and_check(&bytes, limit)?;
    }

    /// Names of one file (same inode number, link count above 1) become one inode
    /// with the data, however many entries carry it.
    #[test]
    fn hard_links_round_trip(files in hard_linked_files(), data_everywhere in any::<bool>()) {
        let (bytes, _) = archive(&hard_link_headers(&files, data_everywhere));
        let tree = Tree::from_cpio(&bytes, HeapPages::with_limit(usize::MAX), 1).map_err(|error| TestCaseError::fail(error.to_string()))?;
        check_tree(&tree)?;
        for (file, (data, names)) in files.iter().enumerate() {
            let first = tree.lookup(tree.root(), format!("h{file}_0").as_bytes(), false).unwrap();
            prop_assert_eq!(&read_all(&first), data);
            prop_assert_eq!(first.metadata().nlink as usize, *names);
            for name in 1..*names {
                let other = tree.lookup(tree.root(), format!("h{file}_{name}").as_bytes(), false).unwrap();
                prop_assert!(Arc::ptr_eq(&first, &other), "h{}_{} is another inode", file, name);
            }
        }
    }

    /// Arbitrary bytes, often behind a newc magic, never panic.
    #[test]
    fn arbitrary_archives_never_panic(mut bytes in prop::collection::vec(any::<u8>(), 0..400), magic in any::<bool>()) {
        if magic && bytes.len() >= 6 {
            bytes[..6].copy_from_slice(b"070701");
        }
        load_and_check(&bytes, usize::MAX)?;
    }

    /// Headers whose every hex field is random hex: sizes, counts and modes at any
    /// value, with the right amount of bytes after them or not.
    #[test]
    fn random_header_fields_never_panic(
        fields in prop::collection::vec(prop_oneof![any::<u32>(), 0u32..300, Just(u32::MAX)], 13),
        tail in prop::collection::vec(any::<u8>(), 0..300),
        with_trailer in any::<bool>(),
    ) {
        let mut bytes = b"070701".to_vec();
        for field in &fields {
            bytes.extend_from_slice(format!("{field:08X}").as_bytes());
        }
        bytes.extend_from_slice(&tail);
        if with_trailer {
            bytes.extend(trailer());
        }
        load_and_check(&bytes, usize::MAX)?;
    }
}

// ---------------------------------------------------------------------------------
// Namespace calls.

/// A short path over a few names, so that calls meet each other's results.
fn short_path() -> impl Strategy<Value = Vec<u8>> {
    let component = prop_oneof![
        6 => prop::sample::select(vec!["a", "b", "c", "d", "e", "f"]),
        1 => Just("."),
        1 => Just(".."),
        1 => Just("l"),
    ];
    let components = prop_oneof![
        3 => prop::collection::vec(component.clone(), 1..2),
        3 => prop::collection::vec(component.clone(), 2..3),
        1 => prop::collection::vec(component, 3..5),
    ];
    (prop::bool::weighted(0.3), components, prop::bool::weighted(0.2)).prop_map(|(absolute, components, trailing)| {
        let mut path = if absolute { b"/".to_vec() } else { Vec::new() };
        path.extend_from_slice(components.join("/").as_bytes());
        if trailing {
            path.push(b'/');
        }
        path
    })
}

/// A path the setup made, or any short path.
fn likely_path() -> impl Strategy<Value = Vec<u8>> {
    let made = ["a", "a/b", "b", "c", "c/d", "a/c", "d", "l", "a/l", "l/b", "/a/l/d"];
    prop_oneof![
        1 => prop::sample::select(made.to_vec()).prop_map(|path| path.as_bytes().to_vec()),
        1 => short_path(),
    ]
}

/// A name the setup did not make, or any short path.
fn fresh_path() -> impl Strategy<Value = Vec<u8>> {
    let fresh = ["e", "f", "a/e", "b/f", "c/e", "l/f", "a/b/e"];
    prop_oneof![
        1 => prop::sample::select(fresh.to_vec()).prop_map(|path| path.as_bytes().to_vec()),
        1 => short_path(),
    ]
}

/// One namespace call, with paths relative to the current directory.
#[derive(Debug, Clone)]
enum Call {
    Mkdir(Vec<u8>, u32),
    Create(Vec<u8>),
    Symlink(Vec<u8>, Vec<u8>),
    Link(Vec<u8>, Vec<u8>, bool),
    Unlink(Vec<u8>),
    Rmdir(Vec<u8>),
    Rename(Vec<u8>, Vec<u8>, u32),
    Open(Vec<u8>, u32),
    Write(Vec<u8>, u16),
    /// Change the current directory (it may be removed later and stay current).
    Chdir(Vec<u8>),
    /// Resolve a path and check that its directory's `path_of` is clean.
    Resolve(Vec<u8>, bool),
}

fn call() -> impl Strategy<Value = Call> {
    let open_flags = prop::sample::subsequence(vec![O_CREAT, O_EXCL, O_TRUNC, O_NOFOLLOW, O_DIRECTORY, O_RDWR], 0..4)
        .prop_map(|flags| flags.into_iter().fold(0, |all, flag| all | flag));
    prop_oneof![
        3 => (short_path(), prop_oneof![Just(0o755u32), Just(0o700), Just(0o1777)]).prop_map(|(p, m)| Call::Mkdir(p, m)),
        2 => short_path().prop_map(Call::Create),
        2 => (short_path(), short_path()).prop_map(|(target, p)| Call::Symlink(target, p)),
        3 => (likely_path(), fresh_path(), any::<bool>()).prop_map(|(from, to, follow)| Call::Link(from, to, follow)),
        3 => likely_path().prop_map(Call::Unlink),
        3 => likely_path().prop_map(Call::Rmdir),
        8 => (likely_path(), prop_oneof![likely_path(), fresh_path()], prop::sample::select(vec![0u32, 0, 0, 1, 2, 3])).prop_map(|(from, to, flags)| Call::Rename(from, to, flags)),
        2 => (short_path(), open_flags).prop_map(|(p, flags)| Call::Open(p, flags)),
        1 => (short_path(), any::<u16>()).prop_map(|(p, len)| Call::Write(p, len)),
        1 => short_path().prop_map(Call::Chdir),
        2 => (short_path(), any::<bool>()).prop_map(|(p, follow)| Call::Resolve(p, follow)),
    ]
}

/// Runs one call as root (or as an ordinary user when `user`), returning its result
/// (errors are expected; panics are not).
fn run(tree: &Tree, cwd: &mut InodeRef, call: &Call, user: bool) -> Result<(), TestCaseError> {
    let credentials = if user { Credentials { uid: 1000, gid: 1000, groups: &[] } } else { Credentials::ROOT };
    let now = Timestamp::from_secs(1_000);
    let parent = |path: &[u8]| tree.lookup_parent(cwd, path, &credentials);
    let _ = match call {
        Call::Mkdir(path, mode) => parent(path).and_then(|at| tree.mkdir(&at, *mode, &credentials, now)).map(drop),
        Call::Create(path) => {
            parent(path).and_then(|at| tree.create(&at, ramfs::FileType::Regular, 0o644, &credentials, now)).map(drop)
        }
        Call::Symlink(target, path) => {
            parent(path).and_then(|at| tree.symlink(target, &at, &credentials, now)).map(drop)
        }
        Call::Link(from, to, follow) => tree
            .lookup_as(cwd, from, *follow, &credentials)
            .and_then(|inode| parent(to).and_then(|at| tree.link(&inode, &at, &credentials, now))),
        Call::Unlink(path) => parent(path).and_then(|at| tree.unlink(&at, &credentials, now)),
        Call::Rmdir(path) => parent(path).and_then(|at| tree.rmdir(&at, &credentials, now)),
        Call::Rename(from, to, flags) => RenameFlags::from_raw(*flags).and_then(|flags| {
            let from = parent(from)?;
            let to = parent(to)?;
            tree.rename(&from, &to, flags, &credentials, now)
        }),
        Call::Open(path, flags) => tree.open(cwd, path, *flags, 0o600, &credentials, now).map(drop),
        Call::Write(path, len) => tree
            .open(cwd, path, O_RDWR, 0, &credentials, now)
            .and_then(|file| file.write(u64::from(*len), &vec![7; usize::from(*len % 5000)], now))
            .map(drop),
        Call::Chdir(path) => tree.lookup_as(cwd, path, true, &credentials).and_then(|inode| {
            if inode.file_type() != FileType::Directory {
                return Err(Errno::ENOTDIR);
            }
            *cwd = inode;
            Ok(())
        }),
        Call::Resolve(path, follow) => match tree.lookup_as(cwd, path, *follow, &credentials) {
            Ok(inode) if inode.file_type() == FileType::Directory => {
                if let Ok(found) = tree.path_of(&inode) {
                    check_clean_path(&found)?;
                    let again = tree.lookup(tree.root(), &found, true).unwrap();
                    prop_assert!(Arc::ptr_eq(&again, &inode), "path_of({path:?}) leads elsewhere");
                }
                Ok(())
            }
            other => other.map(drop),
        },
    };
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    /// Any sequence of namespace calls keeps the tree consistent after every call.
    #[test]
    fn namespace_calls_keep_the_tree_consistent(
        calls in prop::collection::vec((call(), prop::bool::weighted(0.2)), 1..60),
    ) {
        let pages = HeapPages::with_limit(64);
        let tree = Tree::new(pages.clone(), 1);
        let mut cwd = tree.root().clone();
        for setup in [
            Call::Mkdir(b"a".to_vec(), 0o755),
            Call::Mkdir(b"a/b".to_vec(), 0o777),
            Call::Mkdir(b"b".to_vec(), 0o1777),
            Call::Mkdir(b"c".to_vec(), 0o700),
            Call::Mkdir(b"c/d".to_vec(), 0o755),
            Call::Open(b"a/c".to_vec(), O_CREAT | O_RDWR),
            Call::Write(b"a/c".to_vec(), 5000),
            Call::Create(b"d".to_vec()),
            Call::Symlink(b"a".to_vec(), b"l".to_vec()),
            Call::Symlink(b"../c".to_vec(), b"a/l".to_vec()),
        ] {
            run(&tree, &mut cwd, &setup, false)?;
        }
        for made in ["a/b", "b", "c/d", "a/c", "d", "l", "a/l"] {
            prop_assert!(tree.lookup(tree.root(), made.as_bytes(), false).is_ok(), "{made} made");
        }
        for (call, user) in &calls {
            run(&tree, &mut cwd, call, *user)?;
            check_tree(&tree)?;
        }
        drop(cwd);
        drop(tree);
        prop_assert_eq!(pages.live(), 0, "pages leaked");
    }
}
