//! ktest-dirs: directories, results and errno values as on Linux: mkdir and rmdir
//! (EEXIST, ENOTEMPTY, ENOENT, ENOTDIR, EINVAL for ".", link counts), nested mkdir,
//! raw getdents64 (exactly the names made plus . and .., d_type, d_ino, small
//! buffers, rewinding) and read_dir, chdir/fchdir/getcwd with relative paths and
//! `..`, and renaming directories (EINVAL into their own subdirectory).
//!
//! Usage: `ktest-dirs [DIR]`: works in DIR/ktest-dirs-PID (default under /tmp).
use std::collections::BTreeMap;
use std::env;
use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::ffi::OsStringExt;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ktest::{Context, Outcome, Scratch, check, ensure, expect_eq, expect_failure, lseek, set_umask};

const NAME: &str = "dirs";
/// The names the listing test makes: two files and a directory.
const LISTED_FILES: [&str; 2] = ["file-one", "file-two"];
const LISTED_DIRECTORY: &str = "subdir";
/// Big enough for one of the listing test's entries (8-byte aligned, at most 32
/// bytes), too small for two.
const ONE_ENTRY_BUFFER: usize = 32;
/// Too small for any entry: getdents64 gives EINVAL.
const TINY_BUFFER: usize = 8;

/// One linux_dirent64.
#[derive(Debug)]
struct Entry {
    inode: u64,
    kind: u8,
    name: OsString,
}

fn getdents64(fd: RawFd, buffer: &mut [u8]) -> io::Result<usize> {
    // SAFETY: getdents64 stores at most buffer.len() bytes into `buffer`.
    let count = check(unsafe { libc::syscall(libc::SYS_getdents64, fd, buffer.as_mut_ptr(), buffer.len()) })?;
    Ok(count.unsigned_abs() as usize)
}

/// Decodes the linux_dirent64 records getdents64 returned, checking their layout:
/// d_ino (8 bytes), d_off (8), d_reclen (2), d_type (1), then the NUL-terminated name,
/// each record 8-byte aligned.
fn parse_entries(mut bytes: &[u8]) -> Result<Vec<Entry>, String> {
    let mut entries = Vec::new();
    while !bytes.is_empty() {
        ensure(bytes.len() >= 20, || format!("a {}-byte tail is no dirent", bytes.len()))?;
        let record_length = usize::from(u16::from_ne_bytes([bytes[16], bytes[17]]));
        ensure(record_length >= 20 && record_length % 8 == 0 && record_length <= bytes.len(), || {
            format!("d_reclen {record_length} with {} bytes left", bytes.len())
        })?;
        let name_field = &bytes[19..record_length];
        let name_length = name_field.iter().position(|&byte| byte == 0).ok_or("a d_name without its NUL")?;
        entries.push(Entry {
            inode: u64::from_ne_bytes(bytes[..8].try_into().expect("8 bytes")),
            kind: bytes[18],
            name: OsString::from_vec(name_field[..name_length].to_vec()),
        });
        bytes = &bytes[record_length..];
    }
    Ok(entries)
}

/// Every entry of the open directory `fd` from its current offset on, reading with
/// a buffer of `buffer_size` bytes.
fn read_entries(fd: RawFd, buffer_size: usize) -> Result<Vec<Entry>, String> {
    let mut buffer = vec![0; buffer_size];
    let mut entries = Vec::new();
    loop {
        let count = getdents64(fd, &mut buffer).context("getdents64")?;
        if count == 0 {
            return Ok(entries);
        }
        entries.extend(parse_entries(&buffer[..count])?);
    }
}

/// The entries by name, failing on a name listed twice.
fn by_name(entries: Vec<Entry>) -> Result<BTreeMap<OsString, Entry>, String> {
    let mut map = BTreeMap::new();
    for entry in entries {
        if let Some(twice) = map.insert(entry.name.clone(), entry) {
            return Err(format!("{} is listed twice", twice.name.display()));
        }
    }
    Ok(map)
}

fn names(map: &BTreeMap<OsString, Entry>) -> Vec<String> {
    map.keys().map(|name| name.to_string_lossy().into_owned()).collect()
}

fn expected_names(extra: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = extra.iter().map(|name| name.to_string()).collect();
    names.sort();
    names
}

fn inode(path: impl AsRef<Path>) -> Result<u64, String> {
    Ok(fs::metadata(path.as_ref()).context(format_args!("stat {}", path.as_ref().display()))?.ino())
}

fn link_count(path: &Path) -> Result<u64, String> {
    Ok(fs::metadata(path).context(format_args!("stat {}", path.display()))?.nlink())
}

fn open_directory(path: &Path) -> Result<File, String> {
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY)
        .open(path)
        .context(format_args!("open {}", path.display()))
}

fn make_and_remove(scratch: &Scratch) -> Outcome {
    let original_umask = set_umask(0o022);
    let parent_links = link_count(scratch.path())?;
    let directory = scratch.join("made");
    fs::create_dir(&directory).context("mkdir")?;
    set_umask(original_umask);
    let made = fs::metadata(&directory).context("stat")?;
    ensure(made.is_dir(), || "mkdir made something else than a directory".into())?;
    expect_eq("mode of a new directory under umask 022", format!("{:o}", made.mode() & 0o7777), "755".into())?;
    expect_eq("st_nlink of a new directory", made.nlink(), 2)?;
    expect_eq("st_nlink of its parent", link_count(scratch.path())?, parent_links + 1)?;

    expect_failure("mkdir an existing directory", fs::create_dir(&directory), libc::EEXIST)?;
    let file = scratch.join("file");
    fs::write(&file, "x").context("write")?;
    expect_failure("mkdir over a file", fs::create_dir(&file), libc::EEXIST)?;
    expect_failure("mkdir under a missing directory", fs::create_dir(scratch.join("missing/d")), libc::ENOENT)?;
    expect_failure("mkdir under a file", fs::create_dir(file.join("d")), libc::ENOTDIR)?;
    fs::create_dir(scratch.join("slashed/")).context("mkdir with a trailing slash")?;
    println!("mkdir with a trailing slash: made");

    fs::write(directory.join("inside"), "x").context("write")?;
    expect_failure("rmdir a non-empty directory", fs::remove_dir(&directory), libc::ENOTEMPTY)?;
    expect_failure("rmdir DIR/.", fs::remove_dir(directory.join(".")), libc::EINVAL)?;
    expect_failure("rmdir DIR/..", fs::remove_dir(directory.join("..")), libc::ENOTEMPTY)?;
    expect_failure("rmdir a file", fs::remove_dir(&file), libc::ENOTDIR)?;
    fs::remove_file(directory.join("inside")).context("unlink")?;
    let parent_links = link_count(scratch.path())?;
    fs::remove_dir(&directory).context("rmdir")?;
    expect_failure("stat a removed directory", fs::metadata(&directory), libc::ENOENT)?;
    expect_eq("st_nlink of the parent after rmdir", link_count(scratch.path())?, parent_links - 1)?;
    expect_failure("rmdir it again", fs::remove_dir(&directory), libc::ENOENT)?;

    let nested = scratch.join("n1/n2/n3/n4");
    fs::create_dir_all(&nested).context("mkdir -p")?;
    fs::write(nested.join("deep"), "deep").context("write")?;
    let deep = fs::read_to_string(scratch.join("n1/n2/n3/n4/deep")).context("read")?;
    expect_eq("a file four directories down", deep.as_str(), "deep")
}

fn listing(scratch: &Scratch) -> Outcome {
    let directory = scratch.join("listed");
    fs::create_dir(&directory).context("mkdir")?;
    for file in LISTED_FILES {
        fs::write(directory.join(file), file).context("write")?;
    }
    fs::create_dir(directory.join(LISTED_DIRECTORY)).context("mkdir")?;
    let all = expected_names(&[".", "..", LISTED_FILES[0], LISTED_FILES[1], LISTED_DIRECTORY]);

    let handle = open_directory(&directory)?;
    let fd = handle.as_raw_fd();
    let entries = by_name(read_entries(fd, 4096)?)?;
    expect_eq("getdents64 names", names(&entries), all.clone())?;
    let kinds: Vec<(String, u8)> =
        entries.values().map(|entry| (entry.name.to_string_lossy().into(), entry.kind)).collect();
    let expected_kinds: Vec<(String, u8)> = all
        .iter()
        .map(|name| (name.clone(), if name.starts_with("file") { libc::DT_REG } else { libc::DT_DIR }))
        .collect();
    expect_eq("d_type (4 directory, 8 regular)", kinds, expected_kinds)?;
    for (name, path) in [
        (".", directory.clone()),
        ("..", scratch.path().to_owned()),
        (LISTED_FILES[0], directory.join(LISTED_FILES[0])),
    ] {
        let listed = entries[&OsString::from(name)].inode;
        ensure(listed == inode(&path)?, || {
            format!("d_ino of {name} is {listed}, but stat says {}", inode(&path).unwrap_or(0))
        })?;
    }
    println!("d_ino of ., .. and a file match stat");
    expect_eq("getdents64 at the end", getdents64(fd, &mut [0; 4096]).context("getdents64")?, 0)?;

    let rewound = File::open(&directory).context("open")?;
    let mut buffer = [0; ONE_ENTRY_BUFFER];
    let first = getdents64(rewound.as_raw_fd(), &mut buffer).context("getdents64")?;
    expect_eq("entries in a 32-byte getdents64", parse_entries(&buffer[..first])?.len(), 1)?;
    let rest = read_entries(rewound.as_raw_fd(), ONE_ENTRY_BUFFER)?;
    expect_eq("entries read 32 bytes at a time", rest.len() + 1, all.len())?;
    let fresh = File::open(&directory).context("open")?;
    let tiny = getdents64(fresh.as_raw_fd(), &mut [0; TINY_BUFFER]);
    expect_failure("getdents64 with an 8-byte buffer", tiny, libc::EINVAL)?;
    let file = File::open(directory.join(LISTED_FILES[0])).context("open")?;
    expect_failure("getdents64 on a file", getdents64(file.as_raw_fd(), &mut [0; 4096]), libc::ENOTDIR)?;
    expect_failure("getdents64 on a bad descriptor", getdents64(-1, &mut [0; 4096]), libc::EBADF)?;

    fs::remove_file(directory.join(LISTED_FILES[1])).context("unlink")?;
    lseek(fd, 0, libc::SEEK_SET).context("lseek a directory to 0")?;
    let after_unlink = by_name(read_entries(fd, 4096)?)?;
    let remaining = expected_names(&[".", "..", LISTED_FILES[0], LISTED_DIRECTORY]);
    expect_eq("getdents64 after rewinding, one file unlinked", names(&after_unlink), remaining)?;

    let mut listed: Vec<String> = fs::read_dir(&directory)
        .context("opendir")?
        .map(|entry| entry.map(|entry| entry.file_name().to_string_lossy().into_owned()))
        .collect::<io::Result<_>>()
        .context("readdir")?;
    listed.sort();
    expect_eq("read_dir names", listed, expected_names(&[LISTED_FILES[0], LISTED_DIRECTORY]))
}

fn set_cwd(path: impl AsRef<Path>) -> Outcome {
    env::set_current_dir(path.as_ref()).context(format_args!("chdir {}", path.as_ref().display()))
}

fn cwd() -> Result<PathBuf, String> {
    env::current_dir().context("getcwd")
}

fn fchdir(fd: RawFd) -> io::Result<()> {
    // SAFETY: fchdir only changes the process's working directory.
    check(unsafe { libc::fchdir(fd) }).map(drop)
}

fn getcwd_into(buffer: &mut [u8]) -> io::Result<()> {
    // SAFETY: getcwd stores at most buffer.len() bytes into `buffer`.
    let result = unsafe { libc::getcwd(buffer.as_mut_ptr().cast(), buffer.len()) };
    if result.is_null() { Err(io::Error::last_os_error()) } else { Ok(()) }
}

/// Relative paths, chdir, fchdir and getcwd; `home` is the scratch directory as
/// getcwd spells it (the current directory when this runs).
fn working_directory(home: &Path) -> Outcome {
    fs::create_dir("sub").context("mkdir sub (relative)")?;
    fs::write("sub/relative", "relative").context("write sub/relative")?;
    let absolute = fs::read_to_string(home.join("sub/relative")).context("read by the absolute path")?;
    expect_eq("a file made by a relative path, read by its absolute one", absolute.as_str(), "relative")?;
    set_cwd("sub")?;
    expect_eq("getcwd after chdir sub", cwd()?, home.join("sub"))?;
    expect_eq("read relative there", fs::read_to_string("relative").context("read")?.as_str(), "relative")?;
    set_cwd("..")?;
    expect_eq("getcwd after chdir ..", cwd()?, home.to_owned())?;
    set_cwd("sub/../sub/./")?;
    expect_eq("getcwd after chdir sub/../sub/./", cwd()?, home.join("sub"))?;
    expect_eq("the inode of ../sub/..", inode("../sub/..")?, inode(home)?)?;

    let mut small = [0; 2];
    expect_failure("getcwd into 2 bytes", getcwd_into(&mut small), libc::ERANGE)?;
    expect_failure("chdir to a file", env::set_current_dir("relative"), libc::ENOTDIR)?;
    expect_failure("chdir to a missing directory", env::set_current_dir("missing"), libc::ENOENT)?;
    expect_failure("rmdir .", fs::remove_dir("."), libc::EINVAL)?;

    let home_handle = open_directory(home)?;
    set_cwd("/")?;
    set_cwd("..")?;
    expect_eq("getcwd after chdir .. in /", cwd()?, PathBuf::from("/"))?;
    expect_eq("the inode of /..", inode("/..")?, inode("/")?)?;
    let dotted = format!("/../..{}", home.display());
    expect_eq("the inode of /../..HOME", inode(&dotted)?, inode(home)?)?;
    fchdir(home_handle.as_raw_fd()).context("fchdir")?;
    expect_eq("getcwd after fchdir", cwd()?, home.to_owned())?;
    let file = File::open("sub/relative").context("open")?;
    expect_failure("fchdir to a file", fchdir(file.as_raw_fd()), libc::ENOTDIR)?;
    expect_failure("fchdir to a bad descriptor", fchdir(-1), libc::EBADF)
}

fn renaming(scratch: &Scratch) -> Outcome {
    let (first, second) = (scratch.join("ren1"), scratch.join("ren2"));
    fs::create_dir(&first).context("mkdir")?;
    fs::write(first.join("cargo"), "moved").context("write")?;
    fs::rename(&first, &second).context("rename a directory")?;
    expect_eq(
        "its file after the rename",
        fs::read_to_string(second.join("cargo")).context("read")?.as_str(),
        "moved",
    )?;
    expect_failure("stat the old name", fs::metadata(&first), libc::ENOENT)?;
    expect_failure("rename a directory into itself", fs::rename(&second, second.join("inner")), libc::EINVAL)?;
    fs::create_dir(second.join("inner")).context("mkdir")?;
    let deeper = second.join("inner/deeper");
    expect_failure("rename a directory into its subdirectory", fs::rename(&second, deeper), libc::EINVAL)?;

    let empty = scratch.join("empty");
    fs::create_dir(&empty).context("mkdir")?;
    fs::rename(second.join("inner"), &empty).context("rename a directory onto an empty one")?;
    println!("rename a directory onto an empty one: replaced");
    expect_failure("rename a directory onto a non-empty one", fs::rename(&empty, &second), libc::ENOTEMPTY)?;
    let file = scratch.join("plain");
    fs::write(&file, "plain").context("write")?;
    expect_failure("rename a directory onto a file", fs::rename(&empty, &file), libc::ENOTDIR)?;
    expect_failure("rename a file onto a directory", fs::rename(&file, &empty), libc::EISDIR)
}

fn dirs_test() -> Outcome {
    let scratch = Scratch::create(NAME)?;
    make_and_remove(&scratch)?;
    listing(&scratch)?;
    let start = cwd()?;
    let work = scratch.join("cwd");
    fs::create_dir(&work).context("mkdir")?;
    set_cwd(&work)?;
    let home = cwd()?;
    let result = working_directory(&home);
    set_cwd(&start)?;
    result?;
    renaming(&scratch)?;
    scratch.remove()
}

fn main() -> ExitCode {
    ktest::run(NAME, dirs_test)
}
