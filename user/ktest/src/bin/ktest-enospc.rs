//! ktest-enospc: filling the file system gives ENOSPC (after a short write of what
//! fit), the system carries on, and deleting the file gives the space back. On
//! Kestrel the scratch directory is on the tmpfs root, whose pages are physical
//! frames; on Linux give it a small tmpfs (`mount -t tmpfs -o size=8m t DIR`, then
//! `ktest-enospc DIR`), as filling a disk would be rude.
use std::fs::{self, File};
use std::io::{ErrorKind, Write};
use std::process::ExitCode;

use ktest::{Context, Outcome, Scratch, ensure, expect_errno, memory_outside_self};

const NAME: &str = "enospc";
const CHUNK: usize = 1 << 20;

/// Write 1 MiB chunks until the file system is full; returns the bytes written and
/// the error that stopped it.
fn fill(file: &mut File) -> (u64, std::io::Error) {
    let chunk = vec![0x5a_u8; CHUNK];
    let mut written = 0;
    loop {
        match file.write(&chunk) {
            Ok(0) => return (written, std::io::Error::from(ErrorKind::WriteZero)),
            Ok(n) => written += n as u64,
            Err(err) => return (written, err),
        }
    }
}

fn full_disk() -> Outcome {
    let scratch = Scratch::create(NAME)?;
    let before = memory_outside_self()?;
    let big = scratch.join("big");
    let mut file = File::create(&big).context("create big")?;
    let (written, err) = fill(&mut file);
    println!("wrote {} MiB before the file system filled up", written >> 20);
    expect_errno("write to a full file system", &err, libc::ENOSPC)?;
    ensure(written > 0, || "nothing could be written at all".into())?;
    let size = fs::metadata(&big).context("stat big")?.len();
    ensure(size == written, || format!("the file holds {size} bytes, {written} were reported written"))?;
    drop(file);
    let small = scratch.join("small");
    let full = fs::write(&small, b"x".repeat(8192));
    if let Err(err) = &full {
        expect_errno("a small write while full", err, libc::ENOSPC)?;
        println!("a small write while full: ENOSPC");
    }
    fs::remove_file(&big).context("unlink big")?;
    fs::write(&small, b"after").context("write after freeing the space")?;
    ensure(fs::read(&small).context("read small")? == b"after", || "small reads back wrong".into())?;
    println!("after deleting the big file, writing works again");
    scratch.remove()?;
    let after = memory_outside_self()?;
    println!("free memory + own resident memory: {before} bytes before, {after} after");
    // The file's pages all come back; what a kernel keeps is bookkeeping that grew
    // with the file (Kestrel's heap, Linux's slab caches): allow 1/16 of its size.
    let allowance = (1 << 20) + written / 16;
    ensure(after + allowance >= before, || format!("{} bytes not given back", before.saturating_sub(after)))?;
    Ok(())
}

fn main() -> ExitCode {
    ktest::run(NAME, full_disk)
}
