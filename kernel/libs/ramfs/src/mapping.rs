//! Mappings of regular files: a shared mapping (`mmap` with `MAP_SHARED`) maps the
//! file's own pages, so a store through it is the file's data at once and a write to
//! the file shows through it; a private one (`MAP_PRIVATE`, a program's segments)
//! maps them too until the kernel copies a page that is written. A [`SharedMapping`] counts as a mapping of its file
//! while it lives; while a file has mappings, the pages a truncate cuts off are kept
//! until the kernel, having unmapped them from every address space, takes them
//! ([`Inode::take_cut_pages`]) and frees them.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;

use kabi::Errno;

use crate::data::{PAGE_SIZE, Page};
use crate::inode::{Inode, InodeRef};

/// One mapping of a regular file (shared or private); dropping it ends the mapping.
pub struct SharedMapping {
    inode: InodeRef,
}

impl fmt::Debug for SharedMapping {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedMapping").field("inode", &self.inode).finish()
    }
}

impl Inode {
    /// A mapping of this regular file; `EISDIR` for a directory, `EINVAL` for a
    /// symlink.
    pub fn map_shared(self: &Arc<Self>) -> Result<SharedMapping, Errno> {
        self.file_data()?.lock().count_mapping(true);
        Ok(SharedMapping { inode: self.clone() })
    }

    /// The pages truncates cut off while the file was mapped (none for other inodes):
    /// the caller drops them once no address space maps them any more.
    pub fn take_cut_pages(&self) -> Vec<Box<dyn Page>> {
        self.file_data().map(|data| data.lock().take_cut()).unwrap_or_default()
    }
}

impl SharedMapping {
    /// The address of page `index` of the file (made, zeros, if it is a hole); None at
    /// or past the end of the file rounded up to a page (Linux's SIGBUS), or when no
    /// page can be had.
    pub fn page(&self, index: u64) -> Option<u64> {
        self.inode.file_data().ok()?.lock().page_for_mapping(index)
    }

    /// How many pages the file covers now: its size rounded up to a page (a page
    /// at or past this many is past the end).
    pub fn pages(&self) -> u64 {
        self.inode.file_data().map_or(0, |data| data.lock().size().div_ceil(PAGE_SIZE as u64))
    }

    /// Whether page `index` holds data now (mincore).
    pub fn has_page(&self, index: u64) -> bool {
        self.inode.file_data().is_ok_and(|data| data.lock().has_page(index))
    }
}

impl Drop for SharedMapping {
    fn drop(&mut self) {
        if let Ok(data) = self.inode.file_data() {
            data.lock().count_mapping(false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::PageStore;
    use crate::inode::{Attributes, InodeId};
    use crate::test_pages::HeapPages;
    use crate::time::Timestamp;

    const NOW: Timestamp = Timestamp { sec: 1, nsec: 0 };

    fn file() -> (Arc<HeapPages>, InodeRef) {
        let pages = HeapPages::unlimited();
        let file = Inode::new_regular(
            InodeId { device: 1, ino: 9 },
            Attributes::new(0o644, 0, 0, NOW),
            PageStore::new(pages.clone()),
        );
        (pages, file)
    }

    #[test]
    fn mappings_reach_the_pages_up_to_the_end() {
        let (pages, file) = file();
        file.write(0, &[7; PAGE_SIZE + 10], NOW).unwrap();
        file.truncate(3 * PAGE_SIZE as u64 + 1, NOW).unwrap();
        let mapping = file.map_shared().unwrap();
        assert!(mapping.page(0).is_some() && mapping.page(1).is_some());
        assert_eq!(mapping.page(0), mapping.page(0), "the same page each time");
        assert_eq!(pages.live(), 2);
        assert!(!mapping.has_page(2));
        assert!(mapping.page(3).is_some(), "a hole inside the file gets a page");
        assert!(mapping.has_page(3));
        assert_eq!((pages.live(), file.metadata().blocks), (3, 24));
        assert_eq!(mapping.page(4), None, "past the end (rounded up to a page)");
        assert_eq!(mapping.pages(), 4);
        assert_eq!(file.metadata().size, 3 * PAGE_SIZE as u64 + 1, "mapping does not extend the file");
    }

    #[test]
    fn cut_pages_wait_for_the_kernel_while_mapped() {
        let (pages, file) = file();
        file.write(0, &[1; 3 * PAGE_SIZE], NOW).unwrap();
        let mapping = file.map_shared().unwrap();
        let last = mapping.page(2).unwrap();
        file.truncate(PAGE_SIZE as u64, NOW).unwrap();
        assert_eq!((mapping.page(2), mapping.pages()), (None, 1));
        assert_eq!(pages.live(), 3, "the cut pages are kept");
        let cut = file.take_cut_pages();
        assert_eq!(cut.len(), 2);
        assert!(cut.iter().any(|page| page.address() == last));
        drop(cut);
        assert_eq!(pages.live(), 1);
        assert!(file.take_cut_pages().is_empty());
        drop(mapping);
        file.truncate(0, NOW).unwrap();
        assert_eq!(pages.live(), 0, "without mappings a truncate frees at once");
        assert!(file.take_cut_pages().is_empty());
    }

    #[test]
    fn only_regular_files_map() {
        let directory = Inode::new_directory(InodeId { device: 1, ino: 3 }, Attributes::new(0o755, 0, 0, NOW));
        assert_eq!(directory.map_shared().err(), Some(Errno::EISDIR));
        assert!(directory.take_cut_pages().is_empty());
    }
}
