//! Mappings of tmpfs files as the memory layer sees them (an object whose frames
//! are the file's own pages: a shared mapping maps them as they are, a private
//! one until a page is written), and truncating a mapped file safely.
//!
//! A truncate that shrinks a file frees the pages past its new end, but address
//! spaces may still map them. While a file has mappings the tmpfs keeps the
//! pages it cuts off (`ramfs::Inode::take_cut_pages`); after every truncate the
//! kernel takes them, unmaps them from every process's memory (through
//! `processes`; private copies of pages past the new end go too, as Linux's),
//! and only then frees them. Faults never map a cut page again (it is no longer
//! the file's: past the end they get SIGBUS), and fork does not copy borrowed
//! pages (`AddressSpace::clone_eager`), so no address space the walk misses can
//! hold one: no frame is reused while it is still mapped.
use alloc::sync::Arc;
use alloc::vec::Vec;

use ramfs::{InodeRef, SharedMapping};

use crate::mm::address_space::Fault;
use crate::mm::shared::{FileIdentity, SharedPages};

use super::processes::processes;

/// One mapping of a tmpfs file.
#[derive(Debug)]
struct FilePages {
    mapping: SharedMapping,
    /// The file was open for writing.
    writable: bool,
    identity: FileIdentity,
}

impl SharedPages for FilePages {
    fn frame(&self, index: u64) -> Result<u64, Fault> {
        // Past the end of the file, or no page left for a hole: SIGBUS, as
        // Linux's shmem fault gives for both.
        self.mapping.page(index).ok_or(Fault::PastEnd)
    }

    fn resident(&self, index: u64) -> bool {
        self.mapping.has_page(index)
    }

    fn pages(&self) -> u64 {
        self.mapping.pages()
    }

    fn may_write(&self) -> bool {
        self.writable
    }

    fn file(&self) -> Option<&FileIdentity> {
        Some(&self.identity)
    }
}

/// A mapping of the regular file `inode`, opened by `path`; a shared one may be
/// made writable if the file was open for writing (`writable`).
pub fn map_file(inode: &InodeRef, writable: bool, path: Vec<u8>) -> Result<Arc<dyn SharedPages>, kabi::Errno> {
    let mapping = inode.map_shared()?;
    let metadata = inode.metadata();
    let identity = FileIdentity { device: metadata.device, inode: metadata.ino, path };
    Ok(Arc::new(FilePages { mapping, writable, identity }))
}

/// After a truncate of `inode` (or anything that may have been one): free the
/// pages it cut off while the file was mapped, once no process maps them.
pub fn release_cut_pages(inode: &InodeRef) {
    let cut = inode.take_cut_pages();
    if cut.is_empty() {
        return;
    }
    let mut frames: Vec<u64> = cut.iter().map(|page| page.address()).collect();
    frames.sort_unstable();
    processes().unmap_frames(&frames);
    drop(cut);
}
