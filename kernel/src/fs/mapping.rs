//! Shared mappings of tmpfs files as the memory layer sees them (a shared object
//! whose frames are the file's own pages), and truncating a mapped file safely.
//!
//! A truncate that shrinks a file frees the pages past its new end, but address
//! spaces may still map them. While a file has shared mappings the tmpfs keeps
//! the pages it cuts off (`ramfs::Inode::take_cut_pages`); after every truncate
//! the kernel takes them, unmaps them from every process's memory (through
//! `processes`), and only then frees them. Faults never map a cut page again (it
//! is no longer the file's: past the end they get SIGBUS), and fork does not
//! copy shared pages (`AddressSpace::clone_eager`), so no address space the walk
//! misses can hold one: no frame is reused while it is still mapped.
use alloc::sync::Arc;
use alloc::vec::Vec;

use ramfs::{InodeRef, SharedMapping};

use crate::mm::address_space::Fault;
use crate::mm::shared::SharedPages;

use super::processes::processes;

/// One shared mapping of a tmpfs file.
#[derive(Debug)]
struct FilePages {
    mapping: SharedMapping,
    /// The file was open for writing.
    writable: bool,
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

    fn may_write(&self) -> bool {
        self.writable
    }
}

/// A shared mapping of the regular file `inode`, writable if the file was open
/// for writing.
pub fn map_file(inode: &InodeRef, writable: bool) -> Result<Arc<dyn SharedPages>, kabi::Errno> {
    Ok(Arc::new(FilePages { mapping: inode.map_shared()?, writable }))
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
