//! ktest-shm: shared memory as Linux gives it. MAP_SHARED | MAP_ANONYMOUS memory
//! is shared across fork both ways, with a grandchild, between children after the
//! parent unmapped it, and stays shared around an mprotect or munmap of part of
//! it and through mremap (a move, and a second mapping made with an old length
//! of 0; past the memory's size a grown mapping is SIGBUS); MAP_SHARED of
//! /dev/zero is the same. A shared mapping of a tmpfs file
//! maps the file itself: stores through it are what read(2) sees, write(2) shows
//! through it, msync succeeds (and checks its arguments), and the file does not
//! grow; past the end of the file (rounded up to a page) is SIGBUS, also for
//! pages a truncate cuts off after another process touched them. EACCES for a
//! writable shared mapping of a read-only file (and for mprotect making it
//! writable) and for any mapping of a write-only one; ENODEV for a pipe or a
//! directory; MAP_SHARED_VALIDATE's EOPNOTSUPP. madvise(MADV_DONTNEED) zeroes
//! private anonymous memory but keeps shared and file contents; MADV_DONTFORK
//! keeps a range from a fork's child; madvise's and mincore's errors; mincore
//! of touched pages; /proc/self/maps shows `rw-s`; a futex in shared memory
//! wakes a waiter in another process; faults on a file's mapping while another
//! process is preempted writing that file wait for it. Then a leak check:
//! shared memory mapped, forked and unmapped in a loop (and mapped files
//! truncated and removed) returns every frame, with `--exact` (the Kestrel boot
//! test) to the byte.
//!
//! Usage: `ktest-shm [--exact] [DIR]`: the file tests work in
//! DIR/ktest-shm-PID (default under /tmp).
use std::ffi::c_long;
use std::fs::{self, File, OpenOptions};
use std::hint::black_box;
use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::FileExt;
use std::process::ExitCode;
use std::ptr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use ktest::mapping::{
    Map, PAGE, byte, madvise, make_file, mincore, mprotect, mremap, msync, munmap, read_at, unmapped_page,
};
use ktest::{
    Context, Outcome, Scratch, check, child_check, ensure, expect_eq, expect_exit, expect_failure, expect_signal,
    fork_and_wait, no_leak, open_fd, pipe, spawn, wait_for,
};

const NAME: &str = "shm";
const RW: i32 = libc::PROT_READ | libc::PROT_WRITE;
const SHARED_ANON: i32 = libc::MAP_SHARED | libc::MAP_ANONYMOUS;
const PRIVATE_ANON: i32 = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS;
const EXACT_FLAG: &str = "--exact";
/// Leak-check rounds, after as many warm-up rounds.
const ROUNDS: usize = 200;
const WARM_UP: usize = 20;

/// Waits for one byte on `reader` (the parent's go-ahead), in a child.
fn await_byte(mut reader: &File) -> Outcome {
    let mut byte = [0];
    reader.read_exact(&mut byte).context("read the go-ahead")
}

fn send_byte(mut writer: &File) -> Outcome {
    writer.write_all(b"!").context("write the go-ahead")
}

fn across_fork() -> Outcome {
    let m = Map::anonymous(2, SHARED_ANON)?;
    m.set(0, 1);
    let (reader, writer) = pipe().context("pipe")?;
    let (ready_reader, ready_writer) = pipe().context("pipe")?;
    let child = spawn(|| {
        child_check("child", || {
            expect_eq("the child sees the parent's store before fork", m.get(0), 1)?;
            m.set(PAGE, 2);
            send_byte(&ready_writer)?;
            await_byte(&reader)?;
            expect_eq("the child sees the parent's store after fork", m.get(0), 3)
        })
    })?;
    await_byte(&ready_reader)?;
    expect_eq("the parent sees the child's store", m.get(PAGE), 2)?;
    m.set(0, 3);
    send_byte(&writer)?;
    expect_exit(wait_for(child)?, 0)?;
    let status = fork_and_wait(|| {
        child_check("grandparent", || {
            let grandchild = spawn(|| {
                m.set(100, 7);
                0
            })?;
            expect_exit(wait_for(grandchild)?, 0)?;
            ensure(m.get(100) == 7, || "the child does not see its child's store".into())?;
            m.set(200, 8);
            Ok(())
        })
    })?;
    expect_exit(status, 0)?;
    expect_eq("the grandchild's and the child's stores", (m.get(100), m.get(200)), (7, 8))
}

fn after_parent_unmaps() -> Outcome {
    let m = Map::anonymous(1, SHARED_ANON)?;
    m.set(0, 5);
    let (first_reader, first_writer) = pipe().context("pipe")?;
    let (second_reader, second_writer) = pipe().context("pipe")?;
    let writer = spawn(|| {
        child_check("first child", || {
            await_byte(&first_reader)?;
            m.set(0, 6);
            Ok(())
        })
    })?;
    let reader = spawn(|| {
        child_check("second child", || {
            await_byte(&second_reader)?;
            expect_eq("one child sees the other's store after the parent unmapped", m.get(0), 6)
        })
    })?;
    munmap(m.at, 1).context("munmap")?;
    send_byte(&first_writer)?;
    expect_exit(wait_for(writer)?, 0)?;
    send_byte(&second_writer)?;
    expect_exit(wait_for(reader)?, 0)
}

fn part_protected_and_unmapped() -> Outcome {
    let m = Map::anonymous(3, SHARED_ANON)?;
    let (reader, writer) = pipe().context("pipe")?;
    let (done_reader, done_writer) = pipe().context("pipe")?;
    let child = spawn(|| {
        child_check("child", || {
            await_byte(&reader)?;
            expect_eq("the pages around the parent's read-only one", (m.get(0), m.get(2 * PAGE)), (1, 3))?;
            m.set(PAGE, 9);
            send_byte(&done_writer)?;
            await_byte(&reader)?;
            m.set(0, 11);
            m.set(2 * PAGE, 13);
            Ok(())
        })
    })?;
    mprotect(m.at + PAGE, 1, libc::PROT_READ).context("mprotect")?;
    m.set(0, 1);
    m.set(2 * PAGE, 3);
    let status = fork_and_wait(|| {
        m.set(PAGE, 1); // read-only here: SIGSEGV
        0
    })?;
    expect_signal(status, libc::SIGSEGV).map_err(|e| format!("a store to the read-only page: {e}"))?;
    send_byte(&writer)?;
    await_byte(&done_reader)?;
    expect_eq("the child's store to the page read-only here", m.get(PAGE), 9)?;
    munmap(m.at + PAGE, 1).context("munmap the middle page")?;
    send_byte(&writer)?;
    expect_exit(wait_for(child)?, 0)?;
    expect_eq("the pages around an unmapped one stay shared", (m.get(0), m.get(2 * PAGE)), (11, 13))?;
    let status = fork_and_wait(|| {
        black_box(m.get(PAGE)); // unmapped: SIGSEGV
        0
    })?;
    expect_signal(status, libc::SIGSEGV).map_err(|e| format!("a load from the unmapped page: {e}"))
}

fn remapped() -> Outcome {
    let m = Map::anonymous(1, SHARED_ANON)?;
    m.set(0, 1);
    let twin = Map { at: mremap(m.at, 0, PAGE, libc::MREMAP_MAYMOVE).context("mremap with old length 0")?, len: PAGE };
    ensure(twin.at != m.at, || "mremap of length 0 stayed in place".into())?;
    twin.set(0, 2);
    expect_eq("a store through a second mapping made by mremap", m.get(0), 2)?;
    let private = Map::anonymous(1, PRIVATE_ANON)?;
    expect_failure(
        "mremap of length 0 of private memory",
        mremap(private.at, 0, PAGE, libc::MREMAP_MAYMOVE),
        libc::EINVAL,
    )?;
    let status = fork_and_wait(|| {
        let Ok(moved) = mremap(twin.at, PAGE, 4 * PAGE, libc::MREMAP_MAYMOVE) else { return 2 };
        // SAFETY: mremap just made 4 pages at `moved`, shared with the parent.
        unsafe { ptr::write_volatile(moved as *mut u8, 3) };
        0
    })?;
    expect_exit(status, 0)?;
    expect_eq("a store through a moved and grown mapping", m.get(0), 3)?;
    let status = fork_and_wait(|| {
        let Ok(grown) = mremap(twin.at, PAGE, 2 * PAGE, libc::MREMAP_MAYMOVE) else { return 2 };
        // SAFETY: mapped, but past the end of the shared memory: SIGBUS.
        black_box(unsafe { ptr::read_volatile((grown + PAGE) as *const u8) });
        0
    })?;
    expect_signal(status, libc::SIGBUS).map_err(|e| format!("a grown mapping past the memory's size: {e}"))
}

fn dev_zero() -> Outcome {
    let zero = OpenOptions::new().read(true).write(true).open("/dev/zero").context("open /dev/zero")?;
    let m = Map::new(1, RW, libc::MAP_SHARED, zero.as_raw_fd(), 0).context("mmap /dev/zero shared")?;
    expect_eq("a new shared mapping of /dev/zero", m.get(10), 0)?;
    expect_exit(
        fork_and_wait(|| {
            m.set(10, 42);
            0
        })?,
        0,
    )?;
    expect_eq("a child's store to shared /dev/zero", m.get(10), 42)
}

fn file_mapping(scratch: &Scratch) -> Outcome {
    let len = 2 * PAGE + 100;
    let file = make_file(&scratch.join("mapped"), len)?;
    let fd = file.as_raw_fd();
    let m = Map::new(3, RW, libc::MAP_SHARED, fd, 0).context("mmap the file shared")?;
    ensure((0..len).all(|at| m.get(at) == byte(at)), || "the mapping does not show the file".into())?;
    expect_eq("past the end of the file in its last page", m.get(len + 5), 0)?;
    m.set(10, 0xaa);
    expect_eq("pread after a store through the mapping", read_at(&file, 10)?, 0xaa)?;
    file.write_all_at(&[0xbb], PAGE as u64 + 5).context("pwrite")?;
    expect_eq("the mapping after pwrite", m.get(PAGE + 5), 0xbb)?;
    m.set(len + 5, 1);
    expect_eq("the file's size after a store past its end", file.metadata().context("fstat")?.len(), len as u64)?;
    expect_exit(
        fork_and_wait(|| {
            m.set(20, 0xcc);
            0
        })?,
        0,
    )?;
    expect_eq("pread after a child's store", read_at(&file, 20)?, 0xcc)?;
    let second = Map::new(1, libc::PROT_READ, libc::MAP_SHARED, fd, PAGE as i64).context("mmap at an offset")?;
    expect_eq("a mapping from the second page", second.get(5), 0xbb)?;
    msync(m.at, m.len, libc::MS_SYNC).context("msync MS_SYNC")?;
    msync(m.at, PAGE, libc::MS_ASYNC | libc::MS_INVALIDATE).context("msync MS_ASYNC")?;
    expect_failure("msync of an unaligned address", msync(m.at + 1, PAGE, libc::MS_SYNC), libc::EINVAL)?;
    expect_failure("msync with MS_SYNC and MS_ASYNC", msync(m.at, PAGE, libc::MS_SYNC | libc::MS_ASYNC), libc::EINVAL)?;
    expect_failure("msync with an unknown flag", msync(m.at, PAGE, 0x100), libc::EINVAL)?;
    expect_failure("msync of an unmapped range", msync(unmapped_page()?, PAGE, libc::MS_SYNC), libc::ENOMEM)?;
    println!("file mapping: stores and writes meet, msync checks its arguments");
    Ok(())
}

fn past_the_end(scratch: &Scratch) -> Outcome {
    let file = make_file(&scratch.join("short"), 100)?;
    let m = Map::new(2, RW, libc::MAP_SHARED, file.as_raw_fd(), 0).context("mmap")?;
    expect_eq("the rest of the file's last page", m.get(200), 0)?;
    let status = fork_and_wait(|| {
        black_box(m.get(PAGE + 1));
        0
    })?;
    expect_signal(status, libc::SIGBUS).map_err(|e| format!("a load past the end of the file: {e}"))?;

    let file = make_file(&scratch.join("cut"), 2 * PAGE)?;
    let m = Map::new(2, RW, libc::MAP_SHARED, file.as_raw_fd(), 0).context("mmap")?;
    m.set(PAGE + 1, 9);
    let (reader, writer) = pipe().context("pipe")?;
    let toucher = spawn(|| {
        if m.get(PAGE + 1) != 9 || await_byte(&reader).is_err() {
            return 2;
        }
        black_box(m.get(PAGE + 1)); // cut off by now: SIGBUS
        0
    })?;
    file.set_len(PAGE as u64).context("ftruncate")?;
    send_byte(&writer)?;
    expect_signal(wait_for(toucher)?, libc::SIGBUS)
        .map_err(|e| format!("another process's page after a truncate: {e}"))?;
    let status = fork_and_wait(|| {
        if m.get(0) != byte(0) {
            return 2;
        }
        black_box(m.get(PAGE + 1));
        0
    })?;
    expect_signal(status, libc::SIGBUS).map_err(|e| format!("a page cut off by a truncate: {e}"))?;
    let status = fork_and_wait(|| {
        let Ok(own) = File::open(scratch.join("cut")) else { return 2 };
        let Ok(mine) = Map::new(1, libc::PROT_READ, libc::MAP_SHARED, own.as_raw_fd(), 0) else { return 3 };
        black_box(mine.get(0));
        if file.set_len(0).is_err() {
            return 4;
        }
        black_box(mine.get(0)); // its own page, cut off: SIGBUS
        0
    })?;
    expect_signal(status, libc::SIGBUS).map_err(|e| format!("the truncating process's own page: {e}"))?;
    file.set_len(2 * PAGE as u64).context("ftruncate up")?;
    expect_eq("a cut page after the file grows again", (m.get(1), m.get(PAGE + 1)), (0, 0))?;
    println!("past the end of a file: SIGBUS");
    Ok(())
}

fn access_rules(scratch: &Scratch) -> Outcome {
    let path = scratch.join("rules");
    make_file(&path, PAGE)?;
    let read_only = File::open(&path).context("open O_RDONLY")?;
    let fd = read_only.as_raw_fd();
    expect_failure(
        "MAP_SHARED with PROT_WRITE of an O_RDONLY file",
        Map::new(1, RW, libc::MAP_SHARED, fd, 0),
        libc::EACCES,
    )?;
    let shared = Map::new(1, libc::PROT_READ, libc::MAP_SHARED, fd, 0).context("read-only shared mapping")?;
    expect_failure("mprotect PROT_WRITE of it", mprotect(shared.at, 1, RW), libc::EACCES)?;
    Map::new(1, RW, libc::MAP_PRIVATE, fd, 0).context("writable private mapping of an O_RDONLY file")?;
    let write_only = OpenOptions::new().write(true).open(&path).context("open O_WRONLY")?;
    let fd = write_only.as_raw_fd();
    expect_failure(
        "MAP_SHARED of an O_WRONLY file",
        Map::new(1, libc::PROT_READ, libc::MAP_SHARED, fd, 0),
        libc::EACCES,
    )?;
    expect_failure(
        "MAP_PRIVATE of an O_WRONLY file",
        Map::new(1, libc::PROT_READ, libc::MAP_PRIVATE, fd, 0),
        libc::EACCES,
    )?;
    let (pipe_reader, _pipe_writer) = pipe().context("pipe")?;
    let fd = pipe_reader.as_raw_fd();
    expect_failure("MAP_SHARED of a pipe", Map::new(1, libc::PROT_READ, libc::MAP_SHARED, fd, 0), libc::ENODEV)?;
    let directory = open_fd(scratch.path(), libc::O_RDONLY | libc::O_DIRECTORY, 0).context("open the directory")?;
    let fd = directory.as_raw_fd();
    expect_failure("MAP_SHARED of a directory", Map::new(1, libc::PROT_READ, libc::MAP_SHARED, fd, 0), libc::ENODEV)?;
    let file = OpenOptions::new().read(true).write(true).open(&path).context("open O_RDWR")?;
    let fd = file.as_raw_fd();
    let validate = libc::MAP_SHARED_VALIDATE;
    Map::new(1, RW, validate, fd, 0).context("MAP_SHARED_VALIDATE")?;
    expect_failure(
        "MAP_SHARED_VALIDATE with MAP_SYNC",
        Map::new(1, RW, validate | libc::MAP_SYNC, fd, 0),
        libc::EOPNOTSUPP,
    )?;
    expect_failure("a mapping neither shared nor private", Map::new(1, RW, 0, fd, 0), libc::EINVAL)?;
    Ok(())
}

fn advice(scratch: &Scratch) -> Outcome {
    let private = Map::anonymous(2, PRIVATE_ANON)?;
    private.set(0, 1);
    private.set(PAGE, 1);
    madvise(private.at, 2 * PAGE, libc::MADV_DONTNEED).context("MADV_DONTNEED")?;
    expect_eq("private memory after MADV_DONTNEED", (private.get(0), private.get(PAGE)), (0, 0))?;
    private.set(0, 1);
    madvise(private.at, PAGE, libc::MADV_FREE).context("MADV_FREE")?;
    let shared = Map::anonymous(1, SHARED_ANON)?;
    shared.set(0, 5);
    madvise(shared.at, PAGE, libc::MADV_DONTNEED).context("MADV_DONTNEED shared")?;
    expect_eq("shared memory after MADV_DONTNEED", shared.get(0), 5)?;
    expect_failure("MADV_FREE of shared memory", madvise(shared.at, PAGE, libc::MADV_FREE), libc::EINVAL)?;
    let file = make_file(&scratch.join("advised"), PAGE)?;
    let mapped = Map::new(1, RW, libc::MAP_SHARED, file.as_raw_fd(), 0).context("mmap")?;
    mapped.set(0, 6);
    madvise(mapped.at, PAGE, libc::MADV_DONTNEED).context("MADV_DONTNEED of a file")?;
    expect_eq("a file mapping after MADV_DONTNEED, and the file", (mapped.get(0), read_at(&file, 0)?), (6, 6))?;
    for advice in [
        libc::MADV_NORMAL,
        libc::MADV_RANDOM,
        libc::MADV_SEQUENTIAL,
        libc::MADV_WILLNEED,
        libc::MADV_DONTDUMP,
        libc::MADV_DODUMP,
    ] {
        madvise(private.at, 2 * PAGE, advice).context(format_args!("madvise {advice}"))?;
    }
    expect_failure("unknown advice", madvise(private.at, PAGE, 12345), libc::EINVAL)?;
    expect_failure("an unaligned start", madvise(private.at + 1, PAGE, libc::MADV_NORMAL), libc::EINVAL)?;
    let gone = unmapped_page()?;
    expect_failure("an unmapped range", madvise(gone, PAGE, libc::MADV_NORMAL), libc::ENOMEM)?;
    expect_failure("MADV_DONTNEED of an unmapped range", madvise(gone, PAGE, libc::MADV_DONTNEED), libc::ENOMEM)?;
    private.set(0, 7);
    madvise(private.at, PAGE, libc::MADV_DONTFORK).context("MADV_DONTFORK")?;
    let status = fork_and_wait(|| {
        black_box(private.get(0)); // not in the child: SIGSEGV
        0
    })?;
    expect_signal(status, libc::SIGSEGV).map_err(|e| format!("a range left out of fork: {e}"))?;
    madvise(private.at, PAGE, libc::MADV_DOFORK).context("MADV_DOFORK")?;
    expect_exit(fork_and_wait(|| i32::from(private.get(0) != 7))?, 0)?;
    println!("madvise: DONTNEED zeroes private memory only; errors as Linux's");

    let four = Map::anonymous(4, PRIVATE_ANON)?;
    four.set(0, 1);
    four.set(2 * PAGE, 1);
    expect_eq("mincore after touching pages 0 and 2", mincore(four.at, 4).context("mincore")?, vec![1, 0, 1, 0])?;
    expect_failure("mincore of an unaligned address", mincore(four.at + 1, 1), libc::EINVAL)?;
    expect_failure("mincore of an unmapped range", mincore(unmapped_page()?, 1), libc::ENOMEM)?;
    Ok(())
}

fn maps_show_sharing() -> Outcome {
    let shared = Map::anonymous(1, SHARED_ANON)?;
    let private = Map::anonymous(1, PRIVATE_ANON)?;
    let maps = fs::read_to_string("/proc/self/maps").context("read /proc/self/maps")?;
    // The line of the region holding `at` (neighbours alike may have merged).
    let perms = |at: usize| {
        maps.lines().find_map(|line| {
            let (range, rest) = line.split_once(' ')?;
            let (start, end) = range.split_once('-')?;
            let (start, end) = (usize::from_str_radix(start, 16).ok()?, usize::from_str_radix(end, 16).ok()?);
            (start..end).contains(&at).then(|| rest.split_whitespace().next().unwrap_or_default().to_owned())
        })
    };
    expect_eq("the shared mapping's permissions", perms(shared.at).as_deref(), Some("rw-s"))?;
    expect_eq("the private mapping's permissions", perms(private.at).as_deref(), Some("rw-p"))?;
    Ok(())
}

fn futex(word: &AtomicU32, op: i32, value: u32) -> io::Result<c_long> {
    let timeout = libc::timespec { tv_sec: 5, tv_nsec: 0 };
    // SAFETY: the word is a live AtomicU32 in shared memory; the timeout outlives the call.
    check(unsafe {
        libc::syscall(libc::SYS_futex, word.as_ptr(), c_long::from(op), c_long::from(value), &raw const timeout)
    })
}

fn shared_futex() -> Outcome {
    let m = Map::anonymous(1, SHARED_ANON)?;
    // SAFETY: the page is mapped, zeroed and aligned; AtomicU32 has u32's layout.
    let word = unsafe { &*(m.at as *const AtomicU32) };
    let waiter = spawn(|| {
        while word.load(Ordering::SeqCst) == 0 {
            let _ = futex(word, libc::FUTEX_WAIT, 0);
        }
        0
    })?;
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut woken = 0;
    while woken == 0 && Instant::now() < deadline {
        woken = futex(word, libc::FUTEX_WAKE, 1).context("FUTEX_WAKE")?;
        std::thread::sleep(Duration::from_millis(1));
    }
    word.store(1, Ordering::SeqCst);
    futex(word, libc::FUTEX_WAKE, 1).context("FUTEX_WAKE")?;
    expect_exit(wait_for(waiter)?, 0)?;
    expect_eq("a wake reached the other process's waiter", woken, 1)
}

/// Shared memory mapped, touched, shared with a child and unmapped; a file
/// mapped, touched by a child, truncated while mapped, unmapped and removed.
fn churn(scratch: &Scratch, rounds: usize) -> Outcome {
    let path = scratch.join("churn");
    for _ in 0..rounds {
        let m = Map::anonymous(16, SHARED_ANON)?;
        (0..16).for_each(|page| m.set(page * PAGE, 1));
        expect_exit(
            fork_and_wait(|| {
                (0..16).for_each(|page| m.set(page * PAGE + 1, 2));
                0
            })?,
            0,
        )?;
        drop(m);
        let file = make_file(&path, 4 * PAGE)?;
        let m = Map::new(4, RW, libc::MAP_SHARED, file.as_raw_fd(), 0).context("mmap")?;
        expect_exit(
            fork_and_wait(|| {
                (0..4).for_each(|page| m.set(page * PAGE, 3));
                0
            })?,
            0,
        )?;
        file.set_len(PAGE as u64).context("ftruncate")?;
        drop(m);
        drop(file);
        fs::remove_file(&path).context("unlink")?;
    }
    Ok(())
}

/// Faults on a file's shared mapping while another process keeps writing the
/// file: whenever the writer is preempted inside a write (holding the file's
/// pages), the faulting process must wait for it to run again, not stop the
/// machine. Each process runs for `SECONDS_OF_CONTENTION`.
fn faults_while_the_file_is_written(scratch: &Scratch) -> Outcome {
    const PAGES: usize = 16;
    let path = scratch.join("contended");
    let file = make_file(&path, PAGES * PAGE)?;
    let writer = keep_writing(&file, PAGES)?;
    let start = Instant::now();
    let mut rounds = 0usize;
    while start.elapsed() < SECONDS_OF_CONTENTION {
        let m = Map::new(PAGES, libc::PROT_READ, libc::MAP_SHARED, file.as_raw_fd(), 0).context("mmap")?;
        (0..PAGES).for_each(|page| {
            black_box(m.get(page * PAGE));
        });
        rounds += 1;
    }
    expect_exit(wait_for(writer)?, 0)?;
    ensure(rounds > 0, || "no round of faults".into())?;
    println!("shared file mapping: faults wait for a writer that was preempted");
    drop(file);
    fs::remove_file(&path).context("unlink")
}

/// A pipe moves bytes straight between its frames and user memory, under its
/// own spin lock: the pages of a file mapping on either side are mapped in
/// before that lock is taken, or a write from (or a read into) a mapping would
/// wait there, interrupts off, for a file page a preempted writer holds.
fn pipes_through_mappings_while_the_file_is_written(scratch: &Scratch) -> Outcome {
    const PAGES: usize = 16;
    let path = scratch.join("piped");
    let file = make_file(&path, PAGES * PAGE)?;
    let writer = keep_writing(&file, PAGES)?;
    let (mut from, mut to) = pipe().context("pipe")?;
    let start = Instant::now();
    let mut rounds = 0usize;
    while start.elapsed() < SECONDS_OF_CONTENTION {
        let source = Map::new(PAGES, libc::PROT_READ, libc::MAP_SHARED, file.as_raw_fd(), 0).context("mmap")?;
        let sink = Map::new(PAGES, RW, libc::MAP_SHARED, file.as_raw_fd(), 0).context("mmap")?;
        // SAFETY: both mappings are PAGES pages long, readable (the sink also
        // writable), and stay mapped until they drop at the end of the round.
        let (source, sink) = unsafe {
            (
                std::slice::from_raw_parts(source.at as *const u8, source.len),
                std::slice::from_raw_parts_mut(sink.at as *mut u8, sink.len),
            )
        };
        // 64 KiB: the pipe's whole capacity, so the write does not wait.
        to.write_all(source).context("write from a file mapping")?;
        from.read_exact(sink).context("read into a file mapping")?;
        rounds += 1;
    }
    expect_exit(wait_for(writer)?, 0)?;
    ensure(rounds > 0, || "no round through the pipe".into())?;
    println!("pipes: writes from and reads into file mappings while the file is written");
    drop(file);
    fs::remove_file(&path).context("unlink")
}

/// A child process that rewrites the first `pages` pages of `file` for
/// `SECONDS_OF_CONTENTION`, for the checks above to contend with.
fn keep_writing(file: &File, pages: usize) -> Result<libc::pid_t, String> {
    spawn(|| {
        child_check("writer", || {
            let data = vec![0x5a; pages * PAGE];
            let start = Instant::now();
            while start.elapsed() < SECONDS_OF_CONTENTION {
                file.write_all_at(&data, 0).context("pwrite")?;
            }
            Ok(())
        })
    })
}

/// How long `faults_while_the_file_is_written` contends.
const SECONDS_OF_CONTENTION: Duration = Duration::from_secs(2);

fn shm_test(exact: bool) -> Outcome {
    across_fork()?;
    println!("shared anonymous memory: across fork both ways and to a grandchild");
    after_parent_unmaps()?;
    part_protected_and_unmapped()?;
    println!("shared anonymous memory: after the parent unmaps it, around mprotect and munmap of part");
    remapped()?;
    dev_zero()?;
    let scratch = Scratch::create(NAME)?;
    file_mapping(&scratch)?;
    past_the_end(&scratch)?;
    access_rules(&scratch)?;
    advice(&scratch)?;
    maps_show_sharing()?;
    shared_futex()?;
    faults_while_the_file_is_written(&scratch)?;
    pipes_through_mappings_while_the_file_is_written(&scratch)?;
    no_leak("shared memory churn", exact, (WARM_UP, ROUNDS), |rounds| churn(&scratch, rounds))?;
    scratch.remove()
}

fn main() -> ExitCode {
    let exact = std::env::args().any(|arg| arg == EXACT_FLAG);
    ktest::run(NAME, || shm_test(exact))
}
