//! ktest-files: regular files, results and errno values as on Linux: write and read
//! back, O_APPEND, O_TRUNC, O_EXCL, the creation mode under umask, lseek and holes,
//! pread/pwrite, truncate/ftruncate, rename, unlink while open, hard links, times
//! (utimensat, and plausible against the clock), and path errors (ENOTDIR, EISDIR,
//! ENOENT, ENAMETOOLONG), creat(2), and time(2) (plausible, EFAULT for a bad
//! pointer).
//!
//! Usage: `ktest-files [DIR]`: works in DIR/ktest-files-PID (default under /tmp).
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt};
use std::path::Path;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use ktest::{
    Context, Outcome, Scratch, c_path, check, close_fd, ensure, expect_eq, expect_failure, open_fd, read_fd, set_umask,
    text, write_fd,
};

const NAME: &str = "files";
/// How far a file time may be from the clock: the kernel stamps files with the
/// clock that CLOCK_REALTIME reads, so this only has to cover the test's own pace.
const TIME_WINDOW_SECONDS: i64 = 120;
/// A time set with utimensat: 2001-09-09T01:46:40.123456789Z.
const SET_SECONDS: i64 = 1_000_000_000;
const SET_NANOSECONDS: i64 = 123_456_789;

fn read_text(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).context(format_args!("read {}", path.display()))
}

fn write_text(path: &Path, text: &str) -> Outcome {
    fs::write(path, text).context(format_args!("write {}", path.display()))
}

/// The size as stat (by path) and fstat (by descriptor) give it, which must agree.
fn size_of(file: &File, path: &Path) -> Result<u64, String> {
    let by_fd = file.metadata().context("fstat")?.len();
    let by_path = fs::metadata(path).context(format_args!("stat {}", path.display()))?.len();
    ensure(by_fd == by_path, || format!("fstat says {by_fd} bytes, stat says {by_path}"))?;
    Ok(by_fd)
}

fn read_all_from_start(file: &mut File) -> Result<Vec<u8>, String> {
    file.seek(SeekFrom::Start(0)).context("lseek to 0")?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).context("read")?;
    Ok(bytes)
}

fn expect_zeros(what: &str, bytes: &[u8]) -> Outcome {
    let dirty = bytes.iter().position(|&byte| byte != 0);
    ensure(dirty.is_none(), || format!("{what}: byte {dirty:?} of {} is not zero", bytes.len()))?;
    println!("{what}: {} zero bytes", bytes.len());
    Ok(())
}

fn write_read_append_truncate(scratch: &Scratch) -> Outcome {
    let path = scratch.join("data");
    write_text(&path, "hello")?;
    expect_eq("read back what was written", read_text(&path)?.as_str(), "hello")?;

    let mut file = OpenOptions::new().append(true).open(&path).context("open O_APPEND")?;
    file.seek(SeekFrom::Start(0)).context("lseek")?;
    file.write_all(b" world").context("write O_APPEND")?;
    expect_eq("O_APPEND write after lseek to 0", read_text(&path)?.as_str(), "hello world")?;

    let file = OpenOptions::new().write(true).truncate(true).open(&path).context("open O_TRUNC")?;
    expect_eq("size after O_TRUNC", size_of(&file, &path)?, 0)?;

    let existing = OpenOptions::new().write(true).create_new(true).open(&path);
    expect_failure("O_CREAT|O_EXCL on an existing file", existing, libc::EEXIST)?;
    let fresh = scratch.join("fresh");
    OpenOptions::new().write(true).create_new(true).open(&fresh).context("O_CREAT|O_EXCL on a new name")?;
    expect_eq("O_CREAT|O_EXCL on a new name: size", fs::metadata(&fresh).context("stat")?.len(), 0)
}

fn creation_modes(scratch: &Scratch) -> Outcome {
    let original = set_umask(0o022);
    let result = (|| {
        for (umask, requested, expected) in [(0o022, 0o666, 0o644), (0o077, 0o777, 0o700), (0, 0o640, 0o640)] {
            set_umask(umask);
            let path = scratch.join(format!("mode-{requested:o}-{umask:o}"));
            let fd = open_fd(&path, libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL, requested)
                .context(format_args!("open {}", path.display()))?;
            let mode = File::from(fd).metadata().context("fstat")?.mode();
            ensure(mode & libc::S_IFMT == libc::S_IFREG, || format!("st_mode {mode:o} is not a regular file"))?;
            let what = format!("mode {requested:o} under umask {umask:03o}");
            expect_eq(&what, format!("{:o}", mode & 0o7777), format!("{expected:o}"))?;
        }
        Ok(())
    })();
    expect_eq("umask returns the previous mask", set_umask(original), 0)?;
    result
}

fn seeking(scratch: &Scratch) -> Outcome {
    let path = scratch.join("digits");
    write_text(&path, "0123456789")?;
    let mut file = OpenOptions::new().read(true).write(true).open(&path).context("open")?;
    expect_eq("lseek SEEK_SET 3", file.seek(SeekFrom::Start(3)).context("lseek")?, 3)?;
    let mut two = [0; 2];
    file.read_exact(&mut two).context("read")?;
    expect_eq("read 2 bytes at 3", text(&two), "34".into())?;
    expect_eq("lseek SEEK_CUR 0", file.stream_position().context("lseek")?, 5)?;
    expect_eq("lseek SEEK_CUR -1", file.seek(SeekFrom::Current(-1)).context("lseek")?, 4)?;
    expect_eq("lseek SEEK_END 0", file.seek(SeekFrom::End(0)).context("lseek")?, 10)?;
    expect_eq("lseek SEEK_END -2", file.seek(SeekFrom::End(-2)).context("lseek")?, 8)?;
    expect_failure("lseek SEEK_CUR -100", file.seek(SeekFrom::Current(-100)), libc::EINVAL)?;
    expect_eq("offset after the failed lseek", file.stream_position().context("lseek")?, 8)?;
    expect_eq("lseek SEEK_END +5", file.seek(SeekFrom::End(5)).context("lseek")?, 15)?;
    expect_eq("read past the end", file.read(&mut two).context("read")?, 0)?;

    file.seek(SeekFrom::Start(20)).context("lseek")?;
    file.write_all(b"X").context("write at 20")?;
    expect_eq("size after writing at 20", size_of(&file, &path)?, 21)?;
    let bytes = read_all_from_start(&mut file)?;
    ensure(bytes.starts_with(b"0123456789") && bytes.ends_with(b"X"), || format!("file is now {bytes:?}"))?;
    expect_zeros("the hole between 10 and 20", &bytes[10..20])
}

fn positional_io(scratch: &Scratch) -> Outcome {
    let path = scratch.join("positional");
    write_text(&path, "abcdefgh")?;
    let mut file = OpenOptions::new().read(true).write(true).open(&path).context("open")?;
    file.seek(SeekFrom::Start(2)).context("lseek")?;
    let mut four = [0; 4];
    expect_eq("pread 4 at 4", file.read_at(&mut four, 4).context("pread")?, 4)?;
    expect_eq("pread data", text(&four), "efgh".into())?;
    expect_eq("pread at the end", file.read_at(&mut four, 8).context("pread")?, 0)?;
    expect_eq("pwrite 2 at 0", file.write_at(b"XY", 0).context("pwrite")?, 2)?;
    expect_eq("offset after pread and pwrite", file.stream_position().context("lseek")?, 2)?;
    let mut two = [0; 2];
    file.read_exact(&mut two).context("read")?;
    expect_eq("read at the unmoved offset", text(&two), "cd".into())?;
    expect_eq("file after pwrite", read_text(&path)?.as_str(), "XYcdefgh")
}

fn truncate_path(path: &Path, length: libc::off_t) -> io::Result<()> {
    let path = c_path(path)?;
    // SAFETY: `path` is a NUL-terminated string that outlives the call.
    check(unsafe { libc::truncate(path.as_ptr(), length) }).map(drop)
}

fn truncation(scratch: &Scratch) -> Outcome {
    let path = scratch.join("truncated");
    write_text(&path, "abcdefgh")?;
    let mut file = OpenOptions::new().read(true).write(true).open(&path).context("open")?;
    truncate_path(&path, 100).context("truncate to 100")?;
    expect_eq("size after truncate to 100", size_of(&file, &path)?, 100)?;
    let bytes = read_all_from_start(&mut file)?;
    ensure(bytes.starts_with(b"abcdefgh"), || "truncate to 100 changed the data".into())?;
    expect_zeros("bytes added by truncate", &bytes[8..])?;

    file.set_len(4).context("ftruncate to 4")?;
    expect_eq("data after ftruncate to 4", text(&read_all_from_start(&mut file)?), "abcd".into())?;
    file.set_len(3 * 4096 + 5).context("ftruncate to 12293")?;
    let bytes = read_all_from_start(&mut file)?;
    expect_eq("size after ftruncate to 12293", bytes.len(), 3 * 4096 + 5)?;
    expect_zeros("bytes added by ftruncate", &bytes[4..])?;
    file.write_all_at(b"stale", 5000).context("pwrite")?;
    truncate_path(&path, 2).context("truncate to 2")?;
    file.set_len(6000).context("ftruncate to 6000")?;
    let bytes = read_all_from_start(&mut file)?;
    ensure(bytes.starts_with(b"ab"), || "shrinking changed the data kept".into())?;
    expect_zeros("shrunk to 2 then grown to 6000", &bytes[2..])?;

    expect_failure("truncate a directory", truncate_path(scratch.path(), 0), libc::EISDIR)?;
    expect_failure("truncate to -1", truncate_path(&path, -1), libc::EINVAL)?;
    let read_only = File::open(&path).context("open")?;
    expect_failure("ftruncate a read-only descriptor", read_only.set_len(0), libc::EINVAL)
}

fn renaming(scratch: &Scratch) -> Outcome {
    let (from, to) = (scratch.join("from"), scratch.join("to"));
    write_text(&from, "first")?;
    write_text(&to, "second")?;
    fs::rename(&from, &to).context("rename onto an existing file")?;
    expect_eq("target after rename onto it", read_text(&to)?.as_str(), "first")?;
    expect_failure("stat the renamed source", fs::metadata(&from), libc::ENOENT)?;
    fs::rename(&to, &to).context("rename a file onto itself")?;
    expect_eq("after renaming onto itself", read_text(&to)?.as_str(), "first")?;
    expect_failure("rename a missing file", fs::rename(&from, scratch.join("other")), libc::ENOENT)
}

fn unlink_while_open(scratch: &Scratch) -> Outcome {
    let path = scratch.join("doomed");
    write_text(&path, "still here")?;
    let mut file = OpenOptions::new().read(true).write(true).open(&path).context("open")?;
    fs::remove_file(&path).context("unlink")?;
    expect_failure("stat after unlink", fs::metadata(&path), libc::ENOENT)?;
    expect_eq("st_nlink of the unlinked open file", file.metadata().context("fstat")?.nlink(), 0)?;
    expect_eq("read through the open descriptor", text(&read_all_from_start(&mut file)?), "still here".into())?;
    file.write_all(b"!").context("write to the unlinked file")?;
    write_text(&path, "new file")?;
    let old = read_all_from_start(&mut file)?;
    expect_eq("the old file after a new one took its name", text(&old), "still here!".into())?;
    expect_eq("the new file", read_text(&path)?.as_str(), "new file")?;
    drop(file);
    expect_failure("unlink a missing file", fs::remove_file(scratch.join("never")), libc::ENOENT)?;
    expect_failure("unlink a directory", fs::remove_file(scratch.path()), libc::EISDIR)
}

fn hard_links(scratch: &Scratch) -> Outcome {
    let (original, link) = (scratch.join("original"), scratch.join("link"));
    write_text(&original, "shared")?;
    fs::hard_link(&original, &link).context("link")?;
    let (first, second) = (fs::metadata(&original).context("stat")?, fs::metadata(&link).context("stat")?);
    expect_eq("st_nlink after link", (first.nlink(), second.nlink()), (2, 2))?;
    ensure(first.ino() == second.ino(), || "the link has another inode".into())?;
    write_text(&link, "through the link")?;
    expect_eq("written through the link", read_text(&original)?.as_str(), "through the link")?;
    expect_failure("link onto an existing name", fs::hard_link(&original, &link), libc::EEXIST)?;
    expect_failure("link a directory", fs::hard_link(scratch.path(), scratch.join("dirlink")), libc::EPERM)?;
    expect_failure("link a missing file", fs::hard_link(scratch.join("never"), scratch.join("x")), libc::ENOENT)?;
    fs::remove_file(&link).context("unlink the link")?;
    expect_eq("st_nlink after unlinking the link", fs::metadata(&original).context("stat")?.nlink(), 1)
}

fn utimensat(path: &Path, times: &[libc::timespec; 2]) -> io::Result<()> {
    let path = c_path(path)?;
    // SAFETY: `path` is NUL-terminated and `times` is two timespecs, as utimensat reads.
    check(unsafe { libc::utimensat(libc::AT_FDCWD, path.as_ptr(), times.as_ptr(), 0) }).map(drop)
}

fn timespec(seconds: i64, nanoseconds: i64) -> libc::timespec {
    libc::timespec { tv_sec: seconds, tv_nsec: nanoseconds }
}

fn now_seconds() -> Result<i64, String> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_err(|_| "the clock is before 1970".to_owned())?;
    Ok(now.as_secs() as i64)
}

fn expect_recent(what: &str, seconds: i64) -> Outcome {
    let now = now_seconds()?;
    ensure((seconds - now).abs() <= TIME_WINDOW_SECONDS, || {
        format!("{what}: {seconds} is more than {TIME_WINDOW_SECONDS} s from the clock's {now}")
    })?;
    println!("{what}: {} s from the clock", seconds - now);
    Ok(())
}

fn times(scratch: &Scratch) -> Outcome {
    let path = scratch.join("timed");
    write_text(&path, "tick")?;
    let fresh = fs::metadata(&path).context("stat")?;
    expect_recent("st_mtime of a new file", fresh.mtime())?;
    expect_recent("st_atime of a new file", fresh.atime())?;
    expect_recent("st_ctime of a new file", fresh.ctime())?;

    let omit_atime = [timespec(0, libc::UTIME_OMIT), timespec(SET_SECONDS, SET_NANOSECONDS)];
    utimensat(&path, &omit_atime).context("utimensat")?;
    let set = fs::metadata(&path).context("stat")?;
    expect_eq("st_mtime after utimensat", (set.mtime(), set.mtime_nsec()), (SET_SECONDS, SET_NANOSECONDS))?;
    expect_eq("st_atime after UTIME_OMIT", (set.atime(), set.atime_nsec()), (fresh.atime(), fresh.atime_nsec()))?;

    OpenOptions::new().append(true).open(&path).context("open")?.write_all(b"tock").context("write")?;
    expect_recent("st_mtime after a write", fs::metadata(&path).context("stat")?.mtime())?;
    utimensat(&path, &[timespec(SET_SECONDS, 0); 2]).context("utimensat")?;
    utimensat(&path, &[timespec(0, libc::UTIME_NOW); 2]).context("utimensat UTIME_NOW")?;
    expect_recent("st_mtime after UTIME_NOW", fs::metadata(&path).context("stat")?.mtime())?;
    expect_failure("utimensat on a missing file", utimensat(&scratch.join("never"), &omit_atime), libc::ENOENT)
}

fn path_errors(scratch: &Scratch) -> Outcome {
    let file = scratch.join("plain");
    write_text(&file, "plain")?;
    let o_directory = open_fd(&file, libc::O_RDONLY | libc::O_DIRECTORY, 0);
    expect_failure("open a file with O_DIRECTORY", o_directory, libc::ENOTDIR)?;
    let o_directory_dir = OpenOptions::new().read(true).custom_flags(libc::O_DIRECTORY).open(scratch.path());
    o_directory_dir.context("open a directory with O_DIRECTORY")?;
    expect_failure("open a directory O_WRONLY", OpenOptions::new().write(true).open(scratch.path()), libc::EISDIR)?;
    let read_write = OpenOptions::new().read(true).write(true).open(scratch.path());
    expect_failure("open a directory O_RDWR", read_write, libc::EISDIR)?;
    let directory = File::open(scratch.path()).context("open a directory O_RDONLY")?;
    expect_failure("read a directory", read_fd(directory.as_raw_fd(), &mut [0; 16]), libc::EISDIR)?;

    expect_failure("open with a missing component", File::open(scratch.join("missing/file")), libc::ENOENT)?;
    let create_under_missing =
        OpenOptions::new().write(true).create(true).truncate(false).open(scratch.join("missing/file"));
    expect_failure("O_CREAT under a missing directory", create_under_missing, libc::ENOENT)?;
    expect_failure("open with a file as a component", File::open(file.join("inside")), libc::ENOTDIR)?;
    expect_failure("open a file with a trailing slash", File::open(scratch.join("plain/")), libc::ENOTDIR)?;
    expect_failure("open the empty path", File::open(""), libc::ENOENT)?;

    let longest = scratch.join("n".repeat(255));
    write_text(&longest, "255")?;
    expect_eq("a 255-byte name", read_text(&longest)?.as_str(), "255")?;
    let too_long = scratch.join("n".repeat(256));
    expect_failure("create a 256-byte name", File::create(&too_long), libc::ENAMETOOLONG)?;
    expect_failure("stat a 256-byte name", fs::metadata(&too_long), libc::ENAMETOOLONG)
}

/// A private, read-only mapping of a file holds its bytes, and zeros past its end
/// in its last page.
fn private_mapping(scratch: &Scratch) -> Outcome {
    let path = scratch.join("mapped");
    let contents: Vec<u8> = (0..6000u32).map(|i| (i % 251) as u8).collect();
    fs::write(&path, &contents).context("write mapped")?;
    let file = File::open(&path).context("open mapped")?;
    let len = 8192;
    // SAFETY: a fresh private read-only mapping of an open file; it is only read
    // below, within its length, and unmapped before returning.
    let addr =
        unsafe { libc::mmap(std::ptr::null_mut(), len, libc::PROT_READ, libc::MAP_PRIVATE, file.as_raw_fd(), 0) };
    ensure(addr != libc::MAP_FAILED, || format!("mmap: {}", io::Error::last_os_error()))?;
    // SAFETY: the mapping above is `len` readable bytes.
    let mapped = unsafe { std::slice::from_raw_parts(addr as *const u8, len) }.to_vec();
    // SAFETY: unmaps exactly the mapping made above.
    unsafe { libc::munmap(addr, len) };
    expect_eq("mapped file bytes", &mapped[..contents.len()], contents.as_slice())?;
    expect_zeros("mapped bytes past the end of the file", &mapped[contents.len()..])?;
    println!("a private mapping holds the file's bytes, then zeros");
    Ok(())
}

/// Bytes of the file `writes_from_mappings` uses: three pages.
const MAPPED_FILE: usize = 3 * 4096;

/// write(2) to a file from memory not touched yet: a fresh anonymous mapping
/// (zeros), and a shared mapping of the same file, whose pages the write both
/// reads and fills (the kernel maps the source pages in as it goes).
fn writes_from_mappings(scratch: &Scratch) -> Outcome {
    let path = scratch.join("from-mappings");
    let pattern: Vec<u8> = (0..MAPPED_FILE).map(|i| (i % 253) as u8).collect();
    fs::write(&path, &pattern).context("write")?;
    let file = OpenOptions::new().read(true).write(true).open(&path).context("open")?;
    let fresh = ktest::map_anonymous(MAPPED_FILE).context("mmap")?;
    // SAFETY: the fresh mapping is MAPPED_FILE readable bytes; pwrite only reads them.
    let written = check(unsafe { libc::syscall(libc::SYS_pwrite64, file.as_raw_fd(), fresh, MAPPED_FILE, 0usize) });
    expect_eq("pwrite of a fresh mapping's 12288 bytes", written.context("pwrite")?, MAPPED_FILE as i64)?;
    expect_zeros("the file after that", &fs::read(&path).context("read")?)?;
    fs::write(&path, &pattern).context("write")?;
    // SAFETY: a new shared mapping of the open file, unmapped below.
    let shared = unsafe {
        libc::mmap(std::ptr::null_mut(), MAPPED_FILE, libc::PROT_READ, libc::MAP_SHARED, file.as_raw_fd(), 0)
    };
    ensure(shared != libc::MAP_FAILED, || format!("mmap: {}", io::Error::last_os_error()))?;
    let mut writer = &file;
    writer.seek(SeekFrom::Start(4096)).context("lseek")?;
    // SAFETY: the mapping's first two pages are readable; write only reads them.
    let count = check(unsafe { libc::syscall(libc::SYS_write, file.as_raw_fd(), shared, 2 * 4096) });
    // SAFETY: unmaps exactly the mapping made above; the fresh one too.
    unsafe {
        libc::munmap(shared, MAPPED_FILE);
        libc::munmap(fresh.cast(), MAPPED_FILE);
    }
    expect_eq("write of a shared mapping's first two pages at page 1", count.context("write")?, 2 * 4096)?;
    let after = fs::read(&path).context("read")?;
    // Page 1 got page 0; page 2 got page 1 as it was when the copy read it, which
    // is page 0 again (written just before).
    let expected: Vec<u8> = [&pattern[..4096], &pattern[..4096], &pattern[..4096]].concat();
    ensure(after == expected, || "the file does not hold page 0 three times".into())?;
    println!("writes from a fresh mapping and from a shared mapping of the same file: as on Linux");
    Ok(())
}

/// creat(2) is open with O_CREAT | O_WRONLY | O_TRUNC: it makes a file, empties
/// an existing one, and gives a descriptor that cannot read.
fn creat_and_time(scratch: &Scratch) -> Outcome {
    let path = scratch.join("creat");
    let name = c_path(&path).context("path")?;
    let creat = |mode: libc::mode_t| {
        // SAFETY: a NUL-terminated path; the kernel returns a descriptor or an error.
        check(unsafe { libc::syscall(libc::SYS_creat, name.as_ptr(), mode) }).map(|fd| fd as i32)
    };
    let fd = creat(0o600).context("creat")?;
    write_fd(fd, b"some text").context("write")?;
    close_fd(fd).context("close")?;
    let fd = creat(0o600).context("creat again")?;
    let mut byte = [0u8; 1];
    expect_failure("read from a creat descriptor", read_fd(fd, &mut byte), libc::EBADF)?;
    close_fd(fd).context("close")?;
    expect_eq("size after creat of an existing file", size_of(&File::open(&path).context("open")?, &path)?, 0)?;
    let mut stored = 0i64;
    // SAFETY: time(2) stores 8 bytes at the given pointer.
    let returned = check(unsafe { libc::syscall(libc::SYS_time, &mut stored as *mut i64) }).context("time")?;
    ensure(returned == stored, || format!("time returned {returned} but stored {stored}"))?;
    expect_recent("time(2)", stored)?;
    // SAFETY: time(NULL) stores nothing.
    let plain = check(unsafe { libc::syscall(libc::SYS_time, 0usize) }).context("time(NULL)")?;
    expect_recent("time(NULL)", plain)?;
    // SAFETY: an address the kernel must refuse (a kernel address) without writing.
    let bad = check(unsafe { libc::syscall(libc::SYS_time, 0xffff_8000_0000_0000usize) });
    expect_failure("time into a kernel address", bad, libc::EFAULT)
}

fn files_test() -> Outcome {
    let scratch = Scratch::create(NAME)?;
    write_read_append_truncate(&scratch)?;
    creation_modes(&scratch)?;
    seeking(&scratch)?;
    positional_io(&scratch)?;
    truncation(&scratch)?;
    renaming(&scratch)?;
    unlink_while_open(&scratch)?;
    hard_links(&scratch)?;
    times(&scratch)?;
    path_errors(&scratch)?;
    private_mapping(&scratch)?;
    writes_from_mappings(&scratch)?;
    creat_and_time(&scratch)?;
    scratch.remove()
}

fn main() -> ExitCode {
    ktest::run(NAME, files_test)
}
