//! ktest-symlinks: symbolic links, results and errno values as on Linux: symlink and
//! readlink (the exact target bytes, truncation, EINVAL for a non-link), following
//! relative, absolute, chained and directory links (`..` after one is physical),
//! lstat against stat, O_NOFOLLOW (ELOOP), loops and the 40-link limit (ELOOP),
//! dangling links (ENOENT, yet lstat works and O_CREAT makes the target).
//!
//! Usage: `ktest-symlinks [DIR]`: works in DIR/ktest-symlinks-PID (default under /tmp).
use std::env;
use std::ffi::OsStr;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, symlink};
use std::path::Path;
use std::process::ExitCode;

use ktest::{Context, Outcome, Scratch, c_path, check, ensure, expect_eq, expect_failure, text};

const NAME: &str = "symlinks";
const PAYLOAD: &str = "payload";
/// How many links one lookup may follow on Linux (MAXSYMLINKS).
const MAX_LINKS_FOLLOWED: usize = 40;

fn make_link(target: impl AsRef<Path>, link: &Path) -> Outcome {
    symlink(target.as_ref(), link).context(format_args!("symlink {} -> {}", link.display(), target.as_ref().display()))
}

fn read_link_bytes(path: &Path) -> io::Result<Vec<u8>> {
    fs::read_link(path).map(|target| target.into_os_string().into_vec())
}

fn read_text(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).context(format_args!("read {}", path.display()))
}

fn open_nofollow(path: &Path) -> io::Result<File> {
    OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW).open(path)
}

/// readlink(2) into a buffer of `size` bytes: the count and the bytes it stored.
fn readlink_into(path: &Path, size: usize) -> io::Result<Vec<u8>> {
    let path = c_path(path)?;
    let mut buffer = vec![0; size];
    // SAFETY: `path` is NUL-terminated; readlink stores at most `size` bytes into `buffer`.
    let count = check(unsafe { libc::readlink(path.as_ptr(), buffer.as_mut_ptr().cast(), size) })?;
    buffer.truncate(count.unsigned_abs());
    Ok(buffer)
}

fn create_and_read(scratch: &Scratch) -> Outcome {
    let target: &[u8] = b"some/../odd \xff target";
    let link = scratch.join("odd");
    make_link(OsStr::from_bytes(target), &link)?;
    let read = read_link_bytes(&link).context("readlink")?;
    ensure(read == target, || format!("readlink gave {read:?}, not {target:?}"))?;
    println!("readlink: the exact target bytes");
    expect_eq("readlink into 4 bytes", text(&readlink_into(&link, 4).context("readlink")?), text(&target[..4]))?;
    let meta = fs::symlink_metadata(&link).context("lstat")?;
    ensure(meta.file_type().is_symlink(), || "lstat of a symlink is not a symlink".into())?;
    expect_eq("lstat st_size of the link", meta.len(), target.len() as u64)?;
    expect_eq("lstat permissions of the link", format!("{:o}", meta.mode() & 0o777), "777".into())?;

    let file = scratch.join("data");
    fs::write(&file, PAYLOAD).context("write")?;
    expect_failure("readlink of a file", fs::read_link(&file), libc::EINVAL)?;
    expect_failure("readlink of a directory", fs::read_link(scratch.path()), libc::EINVAL)?;
    expect_failure("readlink of a missing name", fs::read_link(scratch.join("never")), libc::ENOENT)?;
    expect_failure("symlink onto an existing name", symlink("x", &file), libc::EEXIST)?;
    expect_failure("symlink with an empty target", symlink("", scratch.join("empty")), libc::ENOENT)
}

fn following(scratch: &Scratch) -> Outcome {
    let sub = scratch.join("sub");
    fs::create_dir(&sub).context("mkdir")?;
    fs::write(sub.join("inner"), "inner").context("write")?;
    make_link("data", &scratch.join("relative"))?;
    make_link(scratch.join("data"), &scratch.join("absolute"))?;
    make_link("relative", &scratch.join("chained"))?;
    make_link("../data", &sub.join("up"))?;
    make_link("sub", &scratch.join("dirlink"))?;
    for name in ["relative", "absolute", "chained", "sub/up", "dirlink/up"] {
        expect_eq(&format!("read through {name}"), read_text(&scratch.join(name))?.as_str(), PAYLOAD)?;
    }
    expect_eq("read dirlink/inner", read_text(&scratch.join("dirlink/inner"))?.as_str(), "inner")?;
    let dotdot = fs::metadata(scratch.join("dirlink/..")).context("stat dirlink/..")?.ino();
    let home = fs::metadata(scratch.path()).context("stat")?.ino();
    ensure(dotdot == home, || "dirlink/.. is not the directory holding sub".into())?;
    println!("dirlink/.. is the directory holding sub (physical ..)");

    let followed = fs::metadata(scratch.join("relative")).context("stat")?;
    let link = fs::symlink_metadata(scratch.join("relative")).context("lstat")?;
    expect_eq("stat of a link: a file of the target's size", (followed.is_file(), followed.len()), (true, 7))?;
    expect_eq(
        "lstat of a link: a link of the target's length",
        (link.file_type().is_symlink(), link.len()),
        (true, 4),
    )?;

    expect_failure("O_NOFOLLOW on a link", open_nofollow(&scratch.join("relative")), libc::ELOOP)?;
    open_nofollow(&scratch.join("data")).context("O_NOFOLLOW on a file")?;
    open_nofollow(&scratch.join("dirlink/inner")).context("O_NOFOLLOW with a link before the last component")?;
    println!("O_NOFOLLOW on a file and through a directory link: opened");

    let start = env::current_dir().context("getcwd")?;
    env::set_current_dir(scratch.join("dirlink")).context("chdir dirlink")?;
    let there = env::current_dir().context("getcwd");
    env::set_current_dir(&start).context("chdir back")?;
    expect_eq("getcwd after chdir through a link", there?, sub.clone())?;

    fs::rename(scratch.join("chained"), scratch.join("renamed")).context("rename a link")?;
    let renamed = read_link_bytes(&scratch.join("renamed")).context("readlink")?;
    expect_eq("readlink of the renamed link", text(&renamed), "relative".into())?;
    fs::remove_file(scratch.join("renamed")).context("unlink a link")?;
    expect_eq("its target after unlinking the link", read_text(&scratch.join("relative"))?.as_str(), PAYLOAD)
}

fn loops(scratch: &Scratch) -> Outcome {
    make_link("loop-b", &scratch.join("loop-a"))?;
    make_link("loop-a", &scratch.join("loop-b"))?;
    make_link("self", &scratch.join("self"))?;
    expect_failure("open a -> b -> a", File::open(scratch.join("loop-a")), libc::ELOOP)?;
    expect_failure("stat a -> b -> a", fs::metadata(scratch.join("loop-a")), libc::ELOOP)?;
    expect_failure("open self -> self", File::open(scratch.join("self")), libc::ELOOP)?;
    expect_failure("open through a looping directory", File::open(scratch.join("self/x")), libc::ELOOP)?;
    fs::symlink_metadata(scratch.join("loop-a")).context("lstat a -> b -> a")?;
    println!("lstat a -> b -> a: a link");

    let chain = scratch.join("chain");
    fs::create_dir(&chain).context("mkdir")?;
    make_link("../data", &chain.join(format!("link{MAX_LINKS_FOLLOWED}")))?;
    for index in 0..MAX_LINKS_FOLLOWED {
        make_link(format!("link{}", index + 1), &chain.join(format!("link{index}")))?;
    }
    let longest = read_text(&chain.join("link1"))?;
    expect_eq(&format!("read through {MAX_LINKS_FOLLOWED} links"), longest.as_str(), PAYLOAD)?;
    let one_more = File::open(chain.join("link0"));
    expect_failure(&format!("open through {} links", MAX_LINKS_FOLLOWED + 1), one_more, libc::ELOOP)
}

fn dangling(scratch: &Scratch) -> Outcome {
    let link = scratch.join("dangling");
    make_link("nowhere", &link)?;
    expect_failure("open a dangling link", File::open(&link), libc::ENOENT)?;
    expect_failure("stat a dangling link", fs::metadata(&link), libc::ENOENT)?;
    let meta = fs::symlink_metadata(&link).context("lstat a dangling link")?;
    expect_eq("lstat a dangling link: a link", meta.file_type().is_symlink(), true)?;
    let exclusive = OpenOptions::new().write(true).create_new(true).open(&link);
    expect_failure("O_CREAT|O_EXCL on a dangling link", exclusive, libc::EEXIST)?;
    let mut created = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&link)
        .context("O_CREAT through a dangling link")?;
    created.write_all(b"created").context("write")?;
    expect_eq("the link's target, made by O_CREAT", read_text(&scratch.join("nowhere"))?.as_str(), "created")
}

fn symlinks_test() -> Outcome {
    let scratch = Scratch::create(NAME)?;
    create_and_read(&scratch)?;
    following(&scratch)?;
    loops(&scratch)?;
    dangling(&scratch)?;
    scratch.remove()
}

fn main() -> ExitCode {
    ktest::run(NAME, symlinks_test)
}
