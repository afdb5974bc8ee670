//! Mappings for the memory tests: [`Map`], a mapping unmapped when dropped whose
//! bytes are read and stored volatile (other processes may store there), and the
//! calls that change or ask about mapped memory (munmap, mprotect, madvise,
//! msync, mincore, mremap) as `io::Result`s, and the patterned files mapped.
use std::fs::{File, OpenOptions};
use std::os::fd::RawFd;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::{io, ptr};

use crate::{Context, check};

/// The page size the tests count in.
pub const PAGE: usize = 4096;

/// A mapping of `len` bytes at `at`, unmapped when dropped.
#[derive(Debug)]
pub struct Map {
    pub at: usize,
    pub len: usize,
}

impl Map {
    /// mmap of `pages` pages where the kernel chooses.
    pub fn new(pages: usize, prot: i32, flags: i32, fd: RawFd, offset: i64) -> io::Result<Map> {
        let len = pages * PAGE;
        // SAFETY: a new mapping where the kernel chooses touches nothing of ours.
        let at = unsafe { libc::mmap(ptr::null_mut(), len, prot, flags, fd, offset) };
        if at == libc::MAP_FAILED { Err(io::Error::last_os_error()) } else { Ok(Map { at: at as usize, len }) }
    }

    /// Read-write anonymous memory (`flags` says shared or private).
    pub fn anonymous(pages: usize, flags: i32) -> Result<Map, String> {
        Map::new(pages, libc::PROT_READ | libc::PROT_WRITE, flags, -1, 0).context("mmap anonymous")
    }

    pub fn get(&self, offset: usize) -> u8 {
        assert!(offset < self.len);
        // SAFETY: inside the mapping; other processes may store there, hence volatile.
        unsafe { ptr::read_volatile((self.at + offset) as *const u8) }
    }

    pub fn set(&self, offset: usize, value: u8) {
        assert!(offset < self.len);
        // SAFETY: inside the mapping, which the test made writable.
        unsafe { ptr::write_volatile((self.at + offset) as *mut u8, value) }
    }
}

impl Drop for Map {
    fn drop(&mut self) {
        // SAFETY: the test's own mapping, used no more.
        unsafe { libc::munmap(self.at as *mut libc::c_void, self.len) };
    }
}

/// munmap of `pages` pages at `at`.
pub fn munmap(at: usize, pages: usize) -> io::Result<()> {
    // SAFETY: only the test's own mappings are unmapped.
    check(unsafe { libc::munmap(at as *mut libc::c_void, pages * PAGE) }).map(drop)
}

pub fn mprotect(at: usize, pages: usize, prot: i32) -> io::Result<()> {
    // SAFETY: only the test's own mappings change.
    check(unsafe { libc::mprotect(at as *mut libc::c_void, pages * PAGE, prot) }).map(drop)
}

pub fn madvise(at: usize, len: usize, advice: i32) -> io::Result<()> {
    // SAFETY: advice about the test's own mappings (or ranges it knows are bad).
    check(unsafe { libc::madvise(at as *mut libc::c_void, len, advice) }).map(drop)
}

pub fn msync(at: usize, len: usize, flags: i32) -> io::Result<()> {
    // SAFETY: msync writes nothing to memory.
    check(unsafe { libc::msync(at as *mut libc::c_void, len, flags) }).map(drop)
}

/// mincore of `pages` pages at `at`: a byte per page.
pub fn mincore(at: usize, pages: usize) -> io::Result<Vec<u8>> {
    let mut vec = vec![0xffu8; pages];
    // SAFETY: mincore stores one byte per page into `vec`, which holds as many.
    check(unsafe { libc::mincore(at as *mut libc::c_void, pages * PAGE, vec.as_mut_ptr()) })?;
    Ok(vec)
}

/// mremap (without MREMAP_FIXED): the mapping's new address.
pub fn mremap(old: usize, old_len: usize, new_len: usize, flags: i32) -> io::Result<usize> {
    // SAFETY: only the test's own mappings are resized or moved.
    let at = check(unsafe { libc::syscall(libc::SYS_mremap, old, old_len, new_len, flags, 0usize) })?;
    Ok(at as usize)
}

/// The address of a page that was mapped a moment ago and is not now (use it at
/// once: a later mapping may take its place).
pub fn unmapped_page() -> Result<usize, String> {
    let page = Map::anonymous(1, libc::MAP_PRIVATE | libc::MAP_ANONYMOUS)?;
    munmap(page.at, 1).context("munmap")?;
    Ok(page.at)
}

/// A file of `len` bytes, each `byte(offset)`, open for reading and writing.
pub fn make_file(path: &Path, len: usize) -> Result<File, String> {
    let file = OpenOptions::new().read(true).write(true).create(true).truncate(true).open(path).context("create")?;
    file.write_all_at(&(0..len).map(byte).collect::<Vec<_>>(), 0).context("write the file")?;
    Ok(file)
}

/// The byte [`make_file`] writes at `offset` (never 0, so no page of it is blank).
pub fn byte(offset: usize) -> u8 {
    (offset % 251) as u8 + 1
}

/// The byte of `file` at `offset`, read with pread.
pub fn read_at(file: &File, offset: u64) -> Result<u8, String> {
    let mut one = [0];
    file.read_exact_at(&mut one, offset).context("pread")?;
    Ok(one[0])
}
