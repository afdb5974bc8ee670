//! ktest-filemap: private mappings of files (MAP_PRIVATE) as Linux gives them. A
//! mapping reads the file (zeros past its end in the last page, from an offset
//! too); a store is private: the file, another private mapping and a shared one
//! do not see it, while a page not written yet shows a later write(2) to the
//! file. After fork the parent's and the child's stores are their own. Past the
//! end of the file a load or a store is SIGBUS, and so is a page a truncate cuts
//! off, borrowed or already copied. A read-only mapping of a read-only file
//! faults on a store until mprotect makes it writable; MADV_DONTNEED gives the
//! file's contents back (MADV_FREE is EINVAL); munmap of a middle page and
//! mremap keep the rest; /proc/self/maps shows `rw-p`, the offset, the file's
//! device, inode and path. A hand-made program checks that the rest of the page
//! where its data's file bytes end, the next page (its .bss), and the page of a
//! segment of .bss only are zero, though the file holds other bytes there. Then a leak check: files mapped, read, written, forked,
//! advised, truncated and unmapped, and this program executed, in a loop, return
//! every frame; with `--exact` (the Kestrel boot test) to the byte.
//!
//! Usage: `ktest-filemap [--exact] [DIR]`: the files live in DIR/ktest-filemap-PID
//! (default under /tmp). `--noop` exits at once (the leak check executes it).
use std::fs::{self, File, OpenOptions};
use std::hint::black_box;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt};
use std::process::ExitCode;

use ktest::mapping::{Map, PAGE, byte, madvise, make_file, mincore, mprotect, mremap, munmap, read_at};
use ktest::{
    Context, Outcome, Scratch, c_path, child_check, ensure, expect_eq, expect_exit, expect_failure, expect_signal,
    fork_and_wait, no_leak, own_path, pipe, spawn, wait_for,
};
use ulib::diag::error_text;
use ulib::process::execve;

const NAME: &str = "filemap";
const RW: i32 = libc::PROT_READ | libc::PROT_WRITE;
const PRIVATE: i32 = libc::MAP_PRIVATE;
const EXACT_FLAG: &str = "--exact";
const NOOP_FLAG: &str = "--noop";
/// Leak-check rounds, after as many warm-up rounds.
const ROUNDS: usize = 100;
const WARM_UP: usize = 10;

fn private_map(file: &File, pages: usize, prot: i32, offset: usize) -> Result<Map, String> {
    Map::new(pages, prot, PRIVATE, file.as_raw_fd(), offset as i64).context("mmap the file private")
}

/// Waits for one byte on `reader` (the other process's go-ahead).
fn await_byte(mut reader: &File) -> Outcome {
    let mut byte = [0];
    reader.read_exact(&mut byte).context("read the go-ahead")
}

fn send_byte(mut writer: &File) -> Outcome {
    writer.write_all(b"!").context("write the go-ahead")
}

/// In a child: `touch` must end it with `signal`.
fn expect_fault(what: &str, signal: i32, touch: impl FnOnce()) -> Outcome {
    let status = fork_and_wait(|| {
        touch();
        0
    })?;
    expect_signal(status, signal).map_err(|e| format!("{what}: {e}"))
}

fn reads_the_file(scratch: &Scratch) -> Outcome {
    let len = 3 * PAGE + 100;
    let file = make_file(&scratch.join("read"), len)?;
    let m = private_map(&file, 4, RW, 0)?;
    ensure((0..len).all(|at| m.get(at) == byte(at)), || "the mapping does not show the file".into())?;
    expect_eq("past the end of the file in its last page", m.get(len + 5), 0)?;
    let second = private_map(&file, 1, libc::PROT_READ, PAGE)?;
    expect_eq("a mapping from the second page", second.get(5), byte(PAGE + 5))?;
    println!("filemap: a private mapping reads the file, zeros past its end");
    Ok(())
}

fn stores_are_private(scratch: &Scratch) -> Outcome {
    let file = make_file(&scratch.join("private"), 2 * PAGE)?;
    let (mine, other) = (private_map(&file, 2, RW, 0)?, private_map(&file, 2, RW, 0)?);
    let shared = Map::new(2, libc::PROT_READ, libc::MAP_SHARED, file.as_raw_fd(), 0).context("mmap shared")?;
    black_box((mine.get(0), other.get(0)));
    mine.set(0, 0xaa);
    expect_eq("the store through the mapping", mine.get(0), 0xaa)?;
    expect_eq("the file after a store to a private mapping", read_at(&file, 0)?, byte(0))?;
    expect_eq("another private mapping", other.get(0), byte(0))?;
    expect_eq("a shared mapping", shared.get(0), byte(0))?;
    file.write_all_at(&[0xbb], 5).context("pwrite")?;
    expect_eq("a written page after pwrite", mine.get(5), byte(5))?;
    expect_eq("a page read but not written, after pwrite", other.get(5), 0xbb)?;
    file.write_all_at(&[0xcc], PAGE as u64 + 5).context("pwrite")?;
    expect_eq("a page not touched yet, after pwrite", mine.get(PAGE + 5), 0xcc)?;
    println!("filemap: stores are private; pages not written follow the file");
    Ok(())
}

fn across_fork(scratch: &Scratch) -> Outcome {
    let file = make_file(&scratch.join("fork"), 2 * PAGE)?;
    let m = private_map(&file, 2, RW, 0)?;
    m.set(0, 1);
    let (ready_reader, ready_writer) = pipe().context("pipe")?;
    let (go_reader, go_writer) = pipe().context("pipe")?;
    let child = spawn(|| {
        child_check("child", || {
            expect_eq("the child's copy of the parent's store", m.get(0), 1)?;
            m.set(0, 2);
            m.set(PAGE, 3);
            send_byte(&ready_writer)?;
            await_byte(&go_reader)?;
            expect_eq("the child's stores after the parent's", (m.get(0), m.get(PAGE)), (2, 3))
        })
    })?;
    await_byte(&ready_reader)?;
    expect_eq("the parent's pages after the child's stores", (m.get(0), m.get(PAGE)), (1, byte(PAGE)))?;
    m.set(0, 4);
    m.set(PAGE, 5);
    send_byte(&go_writer)?;
    expect_exit(wait_for(child)?, 0)?;
    expect_eq("the parent's stores", (m.get(0), m.get(PAGE)), (4, 5))?;
    expect_eq("the file", (read_at(&file, 0)?, read_at(&file, PAGE as u64)?), (byte(0), byte(PAGE)))?;
    println!("filemap: after fork the parent's and the child's stores are their own");
    Ok(())
}

fn past_the_end(scratch: &Scratch) -> Outcome {
    let file = make_file(&scratch.join("short"), 100)?;
    let m = private_map(&file, 2, RW, 0)?;
    expect_eq("the rest of the file's last page", m.get(200), 0)?;
    m.set(200, 7);
    expect_eq("a store past the end in the last page", m.get(200), 7)?;
    expect_eq("the file's size after it", file.metadata().context("fstat")?.len(), 100)?;
    expect_fault("a load past the end of the file", libc::SIGBUS, || {
        black_box(m.get(PAGE + 1));
    })?;
    expect_fault("a store past the end of the file", libc::SIGBUS, || m.set(PAGE + 1, 1))?;

    let file = make_file(&scratch.join("cut"), 4 * PAGE)?;
    let m = private_map(&file, 4, RW, 0)?;
    black_box((m.get(PAGE), m.get(2 * PAGE)));
    m.set(3 * PAGE, 9);
    file.set_len(PAGE as u64 + 10).context("ftruncate")?;
    expect_eq("a page the truncate kept", (m.get(PAGE + 9), m.get(PAGE + 10)), (byte(PAGE + 9), 0))?;
    expect_fault("a page a truncate cut off", libc::SIGBUS, || {
        black_box(m.get(2 * PAGE + 1));
    })?;
    expect_fault("a private copy of a page a truncate cut off", libc::SIGBUS, || {
        black_box(m.get(3 * PAGE));
    })?;
    println!("filemap: past the end of the file: SIGBUS, after a truncate too");
    Ok(())
}

fn protection(scratch: &Scratch) -> Outcome {
    let path = scratch.join("protected");
    drop(make_file(&path, PAGE)?);
    let read_only = File::open(&path).context("open O_RDONLY")?;
    let m = private_map(&read_only, 1, libc::PROT_READ, 0)?;
    expect_eq("a read-only private mapping", m.get(0), byte(0))?;
    expect_fault("a store to a read-only mapping", libc::SIGSEGV, || m.set(0, 1))?;
    mprotect(m.at, 1, RW).context("mprotect PROT_WRITE of a private mapping of an O_RDONLY file")?;
    m.set(0, 0xdd);
    expect_eq("a store after mprotect", m.get(0), 0xdd)?;
    expect_eq("the file after it", read_at(&read_only, 0)?, byte(0))?;
    mprotect(m.at, 1, libc::PROT_READ).context("mprotect PROT_READ")?;
    expect_eq("the copy, read-only again", m.get(0), 0xdd)?;
    expect_fault("a store to the read-only copy", libc::SIGSEGV, || m.set(0, 1))?;
    println!("filemap: mprotect makes a read-only private mapping writable");
    Ok(())
}

fn advice(scratch: &Scratch) -> Outcome {
    let file = make_file(&scratch.join("advised"), 2 * PAGE)?;
    let m = private_map(&file, 2, RW, 0)?;
    expect_eq("mincore of the file's pages", mincore(m.at, 2).context("mincore")?, vec![1, 1])?;
    m.set(0, 0xee);
    m.set(PAGE, 0xef);
    file.write_all_at(&[0x11], 0).context("pwrite")?;
    madvise(m.at, 2 * PAGE, libc::MADV_DONTNEED).context("MADV_DONTNEED")?;
    expect_eq("after MADV_DONTNEED", (m.get(0), m.get(1), m.get(PAGE)), (0x11, byte(1), byte(PAGE)))?;
    expect_failure("MADV_FREE of a file mapping", madvise(m.at, PAGE, libc::MADV_FREE), libc::EINVAL)?;
    println!("filemap: MADV_DONTNEED gives the file's contents back");
    Ok(())
}

fn partly_unmapped(scratch: &Scratch) -> Outcome {
    let file = make_file(&scratch.join("parts"), 3 * PAGE)?;
    let m = private_map(&file, 3, RW, 0)?;
    m.set(0, 1);
    m.set(2 * PAGE, 3);
    munmap(m.at + PAGE, 1).context("munmap the middle page")?;
    expect_eq("the pages around an unmapped one", (m.get(0), m.get(2 * PAGE)), (1, 3))?;
    expect_eq("the file's bytes beside the stores", (m.get(1), m.get(2 * PAGE + 1)), (byte(1), byte(2 * PAGE + 1)))?;
    expect_fault("a load from the unmapped page", libc::SIGSEGV, || {
        black_box(m.get(PAGE));
    })?;

    let m = private_map(&file, 2, RW, 0)?;
    m.set(0, 0x42);
    let moved = mremap(m.at, 2 * PAGE, 4 * PAGE, libc::MREMAP_MAYMOVE).context("mremap")?;
    std::mem::forget(m);
    let m = Map { at: moved, len: 4 * PAGE };
    expect_eq("a moved mapping", (m.get(0), m.get(PAGE + 3)), (0x42, byte(PAGE + 3)))?;
    expect_eq("its grown part, within the file", m.get(2 * PAGE + 3), byte(2 * PAGE + 3))?;
    expect_fault("its grown part past the end of the file", libc::SIGBUS, || {
        black_box(m.get(3 * PAGE));
    })?;
    println!("filemap: munmap of a part and mremap keep the rest");
    Ok(())
}

fn maps_show_the_file(scratch: &Scratch) -> Outcome {
    let path = scratch.join("named");
    let file = make_file(&path, 3 * PAGE)?;
    let m = private_map(&file, 2, RW, PAGE)?;
    let maps = fs::read_to_string("/proc/self/maps").context("read /proc/self/maps")?;
    let line = maps
        .lines()
        .find(|line| line.starts_with(&format!("{:08x}-", m.at)))
        .ok_or_else(|| format!("no line for {:#x} in\n{maps}", m.at))?;
    let fields: Vec<&str> = line.split_whitespace().skip(1).collect();
    let stat = file.metadata().context("fstat")?;
    let device = format!("{:02x}:{:02x}", libc::major(stat.dev()), libc::minor(stat.dev()));
    let real = fs::canonicalize(&path).context("realpath")?;
    let expected =
        ["rw-p".to_owned(), format!("{PAGE:08x}"), device, stat.ino().to_string(), real.display().to_string()];
    expect_eq("the mapping's line in /proc/self/maps", fields, expected.iter().map(String::as_str).collect())?;
    println!("filemap: /proc/self/maps: {line}");
    Ok(())
}

/// Where the hand-made program's text and data go (ET_EXEC).
const TEXT: u64 = 0x40_0000;
const DATA: u64 = 0x60_1000;
/// Its code's offset in the file (after the ELF header and three program headers).
const CODE_OFFSET: usize = 64 + 3 * 56;
/// Its data: 16 bytes of 0xaa at DATA, then .bss up to DATA + 0x2000; in the file
/// the data is followed by 0xff bytes up to 0x3000, which must not show.
const DATA_OFFSET: usize = 0x1000;
const DATA_BYTES: usize = 16;
const DATA_MEMSZ: u64 = 0x2000;
/// A third segment, .bss only, from the middle of the page after the data's (its
/// file offset, in the 0xff bytes, agrees with its address within a page).
const BSS: u64 = 0x60_3800;
const BSS_OFFSET: u64 = 0x1800;
const BSS_MEMSZ: u64 = 0x800;
/// Its code (x86-64): exit 0 if DATA holds the 16 bytes of 0xaa at both ends and
/// the rest up to BSS + BSS_MEMSZ is zero, else exit 1.
///
/// ```text
///     mov esi, 0x601010; mov ecx, 0x2ff0
/// 1:  cmp byte ptr [rsi], 0; jne 3f; inc rsi; dec ecx; jnz 1b
///     cmp byte ptr [0x601000], 0xaa; jne 3f; cmp byte ptr [0x60100f], 0xaa; jne 3f
///     xor edi, edi; jmp 4f
/// 3:  mov edi, 1
/// 4:  mov eax, 60; syscall
/// ```
const CHECK_BSS: [u8; 58] = [
    0xbe, 0x10, 0x10, 0x60, 0x00, 0xb9, 0xf0, 0x2f, 0x00, 0x00, 0x80, 0x3e, 0x00, 0x75, 0x1f, 0x48, 0xff, 0xc6, 0xff,
    0xc9, 0x75, 0xf4, 0x80, 0x3c, 0x25, 0x00, 0x10, 0x60, 0x00, 0xaa, 0x75, 0x0e, 0x80, 0x3c, 0x25, 0x0f, 0x10, 0x60,
    0x00, 0xaa, 0x75, 0x04, 0x31, 0xff, 0xeb, 0x05, 0xbf, 0x01, 0x00, 0x00, 0x00, 0xb8, 0x3c, 0x00, 0x00, 0x00, 0x0f,
    0x05,
];

/// A static x86-64 ELF executable (ET_EXEC) of three segments: its text (the ELF
/// header, the program headers and CHECK_BSS), data whose file bytes end inside
/// a page, with .bss after them (the rest of that page and one more), and a
/// segment of .bss only.
fn bss_program() -> Vec<u8> {
    let mut image = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    image.extend_from_slice(&2u16.to_le_bytes()); // ET_EXEC
    image.extend_from_slice(&0x3eu16.to_le_bytes()); // EM_X86_64
    image.extend_from_slice(&1u32.to_le_bytes());
    for value in [TEXT + CODE_OFFSET as u64, 0x40, 0] {
        image.extend_from_slice(&value.to_le_bytes()); // e_entry, e_phoff, e_shoff
    }
    image.extend_from_slice(&0u32.to_le_bytes()); // e_flags
    for half in [64u16, 56, 3, 64, 0, 0] {
        image.extend_from_slice(&half.to_le_bytes()); // e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx
    }
    let text_len = (CODE_OFFSET + CHECK_BSS.len()) as u64;
    let segments = [
        (5u32, 0u64, TEXT, text_len, text_len),
        (6, DATA_OFFSET as u64, DATA, DATA_BYTES as u64, DATA_MEMSZ),
        (6, BSS_OFFSET, BSS, 0, BSS_MEMSZ),
    ];
    for (flags, offset, vaddr, filesz, memsz) in segments {
        image.extend_from_slice(&1u32.to_le_bytes()); // PT_LOAD
        image.extend_from_slice(&flags.to_le_bytes());
        for value in [offset, vaddr, vaddr, filesz, memsz, PAGE as u64] {
            image.extend_from_slice(&value.to_le_bytes());
        }
    }
    assert_eq!(image.len(), CODE_OFFSET);
    image.extend_from_slice(&CHECK_BSS);
    image.resize(DATA_OFFSET, 0);
    image.extend_from_slice(&[0xaa; DATA_BYTES]);
    image.resize(3 * PAGE, 0xff);
    image
}

/// A program whose data ends inside a page sees zeros in the rest of that page
/// and the next (its .bss), not the file's bytes that follow its data, and zeros
/// in the page of a segment of .bss only.
fn bss_after_data(scratch: &Scratch) -> Outcome {
    let path = scratch.join("bss");
    let mut file = OpenOptions::new().write(true).create_new(true).mode(0o755).open(&path).context("create")?;
    file.write_all(&bss_program()).context("write the program")?;
    drop(file);
    let program = c_path(&path).context("path")?;
    let argv = [program.clone()];
    let status = fork_and_wait(|| child_check("execve", || Err(error_text(&execve(&program, &argv, &[])))))?;
    expect_exit(status, 0).map_err(|e| format!("the program that checks its .bss: {e}"))?;
    println!("filemap: a program's .bss is zero where its file holds other bytes");
    Ok(())
}

/// Files mapped private, read, written, forked, advised, truncated and unmapped;
/// this program executed and waited for.
fn churn(scratch: &Scratch, rounds: usize) -> Outcome {
    let path = scratch.join("churn");
    let program = own_path(std::env::args_os().next().unwrap_or_default().as_os_str())?;
    let argv = [program.clone(), c"--noop".to_owned()];
    for _ in 0..rounds {
        let file = make_file(&path, 4 * PAGE)?;
        let m = private_map(&file, 4, RW, 0)?;
        (0..4).for_each(|page| {
            black_box(m.get(page * PAGE));
        });
        m.set(PAGE, 1);
        m.set(3 * PAGE, 1);
        expect_exit(
            fork_and_wait(|| {
                m.set(0, 2);
                black_box(m.get(2 * PAGE));
                0
            })?,
            0,
        )?;
        madvise(m.at + PAGE, PAGE, libc::MADV_DONTNEED).context("MADV_DONTNEED")?;
        m.set(2 * PAGE, 3);
        file.set_len(PAGE as u64).context("ftruncate")?;
        munmap(m.at + 3 * PAGE, 1).context("munmap")?;
        drop(m);
        drop(file);
        fs::remove_file(&path).context("unlink")?;
        let status = fork_and_wait(|| child_check("execve", || Err(error_text(&execve(&program, &argv, &[])))))?;
        expect_exit(status, 0)?;
    }
    Ok(())
}

fn filemap_test(exact: bool) -> Outcome {
    let scratch = Scratch::create(NAME)?;
    reads_the_file(&scratch)?;
    stores_are_private(&scratch)?;
    across_fork(&scratch)?;
    past_the_end(&scratch)?;
    protection(&scratch)?;
    advice(&scratch)?;
    partly_unmapped(&scratch)?;
    maps_show_the_file(&scratch)?;
    bss_after_data(&scratch)?;
    no_leak("filemap churn", exact, (WARM_UP, ROUNDS), |rounds| churn(&scratch, rounds))?;
    scratch.remove()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|arg| arg == NOOP_FLAG) {
        return ExitCode::SUCCESS;
    }
    let exact = args.iter().any(|arg| arg == EXACT_FLAG);
    ktest::run(NAME, || filemap_test(exact))
}
