//! ktest-dev: the devices in /dev as on Linux: /dev/null (EOF; writes take every
//! byte; opening it O_CREAT|O_TRUNC as a shell's `>` does), /dev/zero (zeros, 1 MiB
//! in one read), /dev/full (ENOSPC; zeros), /dev/random and /dev/urandom (the bytes
//! asked for, not all zero, differing between reads), /dev/tty, /dev/console and
//! /dev/ptmx and /dev/kmsg (character devices, only stat'ed here), their device numbers, and a listing
//! of /dev; and which buffers they touch: writes to null and zero never read theirs
//! (a write from an unmapped address takes every byte, full's is ENOSPC, but a
//! kernel address is EFAULT), reads of zero and full clear theirs up to the first
//! page that cannot be written (EFAULT if that is the first).
use std::ffi::c_long;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::process::ExitCode;

use ktest::{Context, Outcome, check, ensure, expect_eq, expect_failure, map_anonymous_with};

const NAME: &str = "dev";
const MIB: usize = 1 << 20;
const RANDOM_BYTES: usize = 256;
const PAGE_SIZE: usize = 4096;
/// A low page that nothing maps, and the first address of the kernel's half.
const UNMAPPED_ADDRESS: usize = 0x1000;
const KERNEL_ADDRESS: usize = 0xffff_8000_0000_0000;
/// The length of the reads and writes with such buffers.
const LENGTH: usize = 16;
/// The devices and their Linux (major, minor) numbers.
const DEVICES: [(&str, u32, u32); 9] = [
    ("null", 1, 3),
    ("zero", 1, 5),
    ("full", 1, 7),
    ("random", 1, 8),
    ("urandom", 1, 9),
    ("kmsg", 1, 11),
    ("tty", 5, 0),
    ("console", 5, 1),
    ("ptmx", 5, 2),
];

fn open_read(path: &str) -> Result<File, String> {
    File::open(path).context(format_args!("open {path}"))
}

fn open_write(path: &str) -> Result<File, String> {
    OpenOptions::new().write(true).open(path).context(format_args!("open {path} for writing"))
}

/// Reads `count` bytes with one read into a buffer full of 0xff: what it returned.
fn read_once(file: &mut File, count: usize) -> Result<Vec<u8>, String> {
    let mut buffer = vec![0xff; count];
    let got = file.read(&mut buffer).context("read")?;
    buffer.truncate(got);
    Ok(buffer)
}

fn all_zero(bytes: &[u8]) -> bool {
    bytes.iter().all(|&byte| byte == 0)
}

fn device_nodes() -> Outcome {
    for (name, major, minor) in DEVICES {
        let path = format!("/dev/{name}");
        let meta = fs::metadata(&path).context(format_args!("stat {path}"))?;
        ensure(meta.file_type().is_char_device(), || {
            format!("{path} is not a character device (st_mode {:o})", meta.mode())
        })?;
        let number = (libc::major(meta.rdev()), libc::minor(meta.rdev()));
        expect_eq(&format!("{path}: character device"), number, (major, minor))?;
    }
    let mut listed: Vec<String> = fs::read_dir("/dev")
        .context("opendir /dev")?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect();
    listed.sort();
    let missing: Vec<&str> =
        DEVICES.iter().map(|(name, ..)| *name).filter(|name| !listed.iter().any(|l| l == name)).collect();
    ensure(missing.is_empty(), || format!("/dev lists {listed:?}, without {missing:?}"))?;
    println!("/dev lists all {} devices", DEVICES.len());
    Ok(())
}

fn null() -> Outcome {
    expect_eq("read /dev/null", read_once(&mut open_read("/dev/null")?, 64)?.len(), 0)?;
    let written = open_write("/dev/null")?.write(&[7; 1000]).context("write /dev/null")?;
    expect_eq("write 1000 bytes to /dev/null", written, 1000)?;
    let mut redirected = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open("/dev/null")
        .context("open /dev/null O_WRONLY|O_CREAT|O_TRUNC")?;
    redirected.write_all(b"discarded").context("write")?;
    let still = fs::metadata("/dev/null").context("stat")?.file_type().is_char_device();
    expect_eq("/dev/null after O_CREAT|O_TRUNC: still a character device", still, true)
}

fn zero_and_full() -> Outcome {
    let zeros = read_once(&mut open_read("/dev/zero")?, MIB)?;
    ensure(zeros.len() == MIB && all_zero(&zeros), || format!("a 1 MiB read of /dev/zero gave {} bytes", zeros.len()))?;
    println!("read 1 MiB of /dev/zero at once: all zero");
    expect_eq("write /dev/zero", open_write("/dev/zero")?.write(b"ignored").context("write /dev/zero")?, 7)?;

    let written = open_write("/dev/full")?.write(b"no room");
    expect_failure("write /dev/full", written, libc::ENOSPC)?;
    let zeros = read_once(&mut open_read("/dev/full")?, 4096)?;
    ensure(zeros.len() == 4096 && all_zero(&zeros), || "/dev/full did not read as 4096 zeros".into())?;
    println!("read /dev/full: 4096 zeros");
    Ok(())
}

fn random() -> Outcome {
    for path in ["/dev/random", "/dev/urandom"] {
        let mut file = open_read(path)?;
        let first = read_once(&mut file, RANDOM_BYTES)?;
        let second = read_once(&mut file, RANDOM_BYTES)?;
        ensure(first.len() == RANDOM_BYTES && second.len() == RANDOM_BYTES, || {
            format!("{path} gave {} and {} of {RANDOM_BYTES} bytes", first.len(), second.len())
        })?;
        ensure(!all_zero(&first) && first != second, || format!("{path} gave zeros or the same bytes twice"))?;
        println!("read {path}: {RANDOM_BYTES} bytes twice, not zero, different");
    }
    Ok(())
}

/// A read(2) or write(2) of `file` with `address` as the buffer.
fn raw_transfer(number: c_long, file: &File, address: usize, length: usize) -> io::Result<c_long> {
    // SAFETY: the callers' buffers are unmapped, kernel or their own mapping.
    check(unsafe { libc::syscall(number, c_long::from(file.as_raw_fd()), address, length) })
}

/// Two pages mapped `PROT_READ`, the first then made writable: its address.
fn writable_page_before_a_read_only_one() -> Result<usize, String> {
    let address = map_anonymous_with(2 * PAGE_SIZE, libc::PROT_READ).context("mmap")?.addr();
    // SAFETY: the first page of the mapping just made, which nothing uses.
    check(unsafe { libc::syscall(libc::SYS_mprotect, address, PAGE_SIZE, libc::PROT_READ | libc::PROT_WRITE) })
        .context("mprotect")?;
    Ok(address)
}

fn buffers_touched() -> Outcome {
    for path in ["/dev/null", "/dev/zero"] {
        let file = open_write(path)?;
        let written = raw_transfer(libc::SYS_write, &file, UNMAPPED_ADDRESS, LENGTH).context("write")?;
        expect_eq(&format!("write of {LENGTH} bytes to {path} from an unmapped address"), written, LENGTH as c_long)?;
        let written = raw_transfer(libc::SYS_write, &file, KERNEL_ADDRESS, LENGTH);
        expect_failure(&format!("write to {path} from a kernel address"), written, libc::EFAULT)?;
    }
    let written = raw_transfer(libc::SYS_write, &open_write("/dev/full")?, UNMAPPED_ADDRESS, LENGTH);
    expect_failure("write to /dev/full from an unmapped address", written, libc::ENOSPC)?;

    let page = writable_page_before_a_read_only_one()?;
    let tail = page + PAGE_SIZE - 6;
    for path in ["/dev/zero", "/dev/full"] {
        let file = open_read(path)?;
        let read = raw_transfer(libc::SYS_read, &file, page + PAGE_SIZE, LENGTH);
        expect_failure(&format!("read of {path} into a read-only page"), read, libc::EFAULT)?;
        // SAFETY: the writable page is this function's own.
        unsafe { std::ptr::write_bytes(tail as *mut u8, 0xff, 6) };
        let read = raw_transfer(libc::SYS_read, &file, tail, LENGTH).context("read")?;
        expect_eq(&format!("read of {LENGTH} bytes of {path} into the writable page's last 6"), read, 6)?;
        // SAFETY: as above.
        let cleared = unsafe { std::slice::from_raw_parts(tail as *const u8, 6) };
        ensure(all_zero(cleared), || format!("{path} did not clear the 6 bytes: {cleared:?}"))?;
    }
    // SAFETY: the mapping made above, which nothing uses any more.
    check(unsafe { libc::syscall(libc::SYS_munmap, page, 2 * PAGE_SIZE) }).context("munmap")?;
    Ok(())
}

fn dev_test() -> Outcome {
    device_nodes()?;
    null()?;
    zero_and_full()?;
    random()?;
    buffers_touched()
}

fn main() -> ExitCode {
    ktest::run(NAME, dev_test)
}
