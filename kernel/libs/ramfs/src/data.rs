//! File data in pages: the [`Page`] and [`PageAllocator`] traits the kernel implements
//! (a page is a physical frame, freed when its `Box` is dropped), the tree's
//! [`PageStore`] that counts the pages in use, and [`FileData`], a regular file's bytes.
//!
//! A file's data is its size and a sparse map from page index to page: a page exists
//! only where something was written (or a shared mapping touched), so holes (from a
//! write past the end or a growing truncate) read as zeros and take no memory, as on
//! tmpfs. Invariants: no page lies wholly at or past the size, and the bytes of the
//! last page past the size are zero (a shrinking truncate clears them), so growing the
//! file again shows zeros there, and a private mapping of the last page reads zeros
//! past the end (a shared mapping may write there, and every mapping then sees it,
//! as on Linux).
//!
//! While mappings of the file exist (`mappings`), the pages a shrinking
//! truncate cuts off are kept in `cut` rather than freed: address spaces may still
//! map them, and the kernel frees them (`take_cut`) once it has unmapped them
//! everywhere.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};

use kabi::Errno;

/// The size of a page of file data.
pub const PAGE_SIZE: usize = 4096;

/// The largest file size, as Linux's `MAX_LFS_FILESIZE` on 64-bit machines.
pub const MAX_FILE_SIZE: u64 = i64::MAX as u64;

/// One page of file data, owned by one file. Dropping it returns the memory (the kernel's
/// page is a physical frame, freed in its `Drop`).
pub trait Page: Send + Sync {
    /// Copies `buffer.len()` bytes from `offset` in the page; `offset + buffer.len()` is
    /// at most [`PAGE_SIZE`].
    fn read(&self, offset: usize, buffer: &mut [u8]);
    /// Copies `data` to `offset` in the page; `offset + data.len()` is at most
    /// [`PAGE_SIZE`].
    fn write(&mut self, offset: usize, data: &[u8]);
    /// Lets `source` fill the `len` bytes at `offset` in place (see [`Source`]);
    /// returns how many it filled.
    fn fill(&mut self, offset: usize, len: usize, source: &mut Source<'_>) -> usize;
    /// Where the page's memory is (the kernel's pages: the physical frame), for
    /// shared mappings of the file, which map the page itself.
    fn address(&self) -> u64;
}

/// Where a write's bytes come from: called with each piece of a page in turn, it
/// fills the piece from its start and returns how many bytes it filled; fewer
/// than the piece ends the write there (the kernel's source, user memory, may
/// stop at a page it cannot read).
pub type Source<'a> = dyn FnMut(&mut [u8]) -> usize + 'a;

/// Where pages come from. Shared by every file of a tree.
pub trait PageAllocator: Send + Sync {
    /// A page of zeros, or `None` when memory (or the file system's share of it) is
    /// exhausted: the write that asked for it fails with `ENOSPC`.
    fn allocate(&self) -> Option<Box<dyn Page>>;

    /// A page whose bytes are unspecified, for a write that covers all of it
    /// before anything reads it (no zeroing, as Linux's shmem for a whole-page
    /// write); by default a page of zeros.
    fn allocate_unzeroed(&self) -> Option<Box<dyn Page>> {
        self.allocate()
    }
}

/// A tree's source of pages, the count of pages its files hold, and the most they
/// may hold.
pub(crate) struct PageStore {
    allocator: Arc<dyn PageAllocator>,
    in_use: AtomicU64,
    limit: AtomicU64,
}

impl PageStore {
    pub(crate) fn new(allocator: Arc<dyn PageAllocator>) -> Arc<PageStore> {
        Arc::new(PageStore { allocator, in_use: AtomicU64::new(0), limit: AtomicU64::new(u64::MAX) })
    }

    pub(crate) fn limit(&self) -> u64 {
        self.limit.load(Ordering::Relaxed)
    }

    pub(crate) fn set_limit(&self, limit: u64) {
        self.limit.store(limit, Ordering::Relaxed);
    }

    /// Pages held by files, linked or only open.
    pub(crate) fn in_use(&self) -> u64 {
        self.in_use.load(Ordering::Relaxed)
    }

    /// A page, counted, unless the limit is reached or the allocator has none:
    /// zeros, or unspecified bytes unless `zeroed`.
    fn allocate(&self, zeroed: bool) -> Option<Box<dyn Page>> {
        let limit = self.limit();
        self.in_use
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| (used < limit).then_some(used + 1))
            .ok()?;
        let page = if zeroed { self.allocator.allocate() } else { self.allocator.allocate_unzeroed() };
        if page.is_none() {
            self.released(1);
        }
        page
    }

    fn released(&self, pages: usize) {
        self.in_use.fetch_sub(pages as u64, Ordering::Relaxed);
    }
}

static ZEROS: [u8; PAGE_SIZE] = [0; PAGE_SIZE];

/// A regular file's bytes. Dropping it returns its pages.
pub(crate) struct FileData {
    size: u64,
    pages: BTreeMap<u64, Box<dyn Page>>,
    store: Arc<PageStore>,
    /// Mappings of the file that exist (shared or private).
    mappings: usize,
    /// Pages cut off while the file was mapped, until the kernel takes them.
    cut: Vec<Box<dyn Page>>,
}

/// The index of the page holding byte `position`, and the offset in that page.
fn page_of(position: u64) -> (u64, usize) {
    (position / PAGE_SIZE as u64, (position % PAGE_SIZE as u64) as usize)
}

impl FileData {
    pub(crate) fn new(store: Arc<PageStore>) -> FileData {
        FileData { size: 0, pages: BTreeMap::new(), store, mappings: 0, cut: Vec::new() }
    }

    pub(crate) fn size(&self) -> u64 {
        self.size
    }

    /// Pages holding data (holes take none).
    pub(crate) fn pages(&self) -> u64 {
        self.pages.len() as u64
    }

    /// Copies bytes from `offset` into `buffer`, zeros in holes; returns the count, 0 at
    /// or past the end.
    pub(crate) fn read(&self, offset: u64, buffer: &mut [u8]) -> usize {
        let available = self.size.saturating_sub(offset);
        let count = buffer.len().min(usize::try_from(available).unwrap_or(usize::MAX));
        let mut done = 0;
        while done < count {
            let (index, in_page) = page_of(offset + done as u64);
            let chunk = (PAGE_SIZE - in_page).min(count - done);
            let out = &mut buffer[done..done + chunk];
            match self.pages.get(&index) {
                Some(page) => page.read(in_page, out),
                None => out.fill(0),
            }
            done += chunk;
        }
        count
    }

    /// Writes `data` at `offset`, extending the file (a gap before `offset` becomes a
    /// hole). Writes what fits below [`MAX_FILE_SIZE`] and stops at the first page it
    /// cannot get; returns the bytes written: `EFBIG` if none could be for the size
    /// limit, `ENOSPC` if none for want of a page. An empty `data` writes nothing.
    pub(crate) fn write(&mut self, offset: u64, data: &[u8]) -> Result<usize, Errno> {
        let mut at = 0;
        self.write_from(offset, data.len(), &mut |piece: &mut [u8]| {
            piece.copy_from_slice(&data[at..at + piece.len()]);
            at += piece.len();
            piece.len()
        })
    }

    /// [`FileData::write`] of `count` bytes that `source` fills in place, a page's
    /// piece at a time; a short fill ends the write there (the count so far,
    /// which may be 0, is then no error). A page made for the write keeps no
    /// byte the source did not fill: it is dropped again if the source filled
    /// nothing, and its rest cleared if it was taken unzeroed.
    pub(crate) fn write_from(&mut self, offset: u64, count: usize, source: &mut Source<'_>) -> Result<usize, Errno> {
        if count == 0 {
            return Ok(0);
        }
        if offset >= MAX_FILE_SIZE {
            return Err(Errno::EFBIG);
        }
        let count = count.min(usize::try_from(MAX_FILE_SIZE - offset).unwrap_or(usize::MAX));
        let mut done = 0;
        let mut short = false;
        while done < count {
            let (index, in_page) = page_of(offset + done as u64);
            let chunk = (PAGE_SIZE - in_page).min(count - done);
            let made = !self.pages.contains_key(&index);
            // A page the write covers whole need not be cleared first.
            let whole = chunk == PAGE_SIZE;
            let Some(page) = self.page_mut(index, whole) else { break };
            let filled = page.fill(in_page, chunk, source).min(chunk);
            done += filled;
            if filled < chunk {
                if made && filled == 0 {
                    self.pages.remove(&index);
                    self.store.released(1);
                } else if made && whole {
                    page.write(filled, &ZEROS[filled..]);
                }
                short = true;
                break;
            }
        }
        match done {
            0 if !short => Err(Errno::ENOSPC),
            0 => Ok(0),
            _ => {
                self.size = self.size.max(offset + done as u64);
                Ok(done)
            }
        }
    }

    /// Sets the size: shrinking frees the pages past the end and clears the rest of the
    /// last page; growing adds a hole. `EFBIG` past [`MAX_FILE_SIZE`].
    pub(crate) fn set_size(&mut self, size: u64) -> Result<(), Errno> {
        if size > MAX_FILE_SIZE {
            return Err(Errno::EFBIG);
        }
        if size < self.size {
            let freed = self.pages.split_off(&size.div_ceil(PAGE_SIZE as u64));
            self.store.released(freed.len());
            if self.mappings > 0 {
                self.cut.extend(freed.into_values());
            }
            let (index, in_page) = page_of(size);
            if in_page != 0
                && let Some(page) = self.pages.get_mut(&index)
            {
                page.write(in_page, &ZEROS[in_page..]);
            }
        }
        self.size = size;
        Ok(())
    }

    /// A mapping of the file begins (true) or ends (false).
    pub(crate) fn count_mapping(&mut self, begins: bool) {
        if begins {
            self.mappings += 1;
        } else {
            self.mappings -= 1;
        }
    }

    /// The address of page `index` for a mapping, the page made (zeros) if it
    /// is a hole; None at or past the end of the file (rounded up to a page: Linux's
    /// SIGBUS) or when no page can be had.
    pub(crate) fn page_for_mapping(&mut self, index: u64) -> Option<u64> {
        if index >= self.size.div_ceil(PAGE_SIZE as u64) {
            return None;
        }
        self.page_mut(index, false).map(|page| page.address())
    }

    /// Page `index`, made if it is a hole: zeros, or unspecified bytes when
    /// `overwritten` (the caller writes all of it at once); None when no page can
    /// be had.
    fn page_mut(&mut self, index: u64, overwritten: bool) -> Option<&mut Box<dyn Page>> {
        match self.pages.entry(index) {
            alloc::collections::btree_map::Entry::Occupied(entry) => Some(entry.into_mut()),
            alloc::collections::btree_map::Entry::Vacant(entry) => {
                Some(entry.insert(self.store.allocate(!overwritten)?))
            }
        }
    }

    /// Whether page `index` holds data (is not a hole), for mincore.
    pub(crate) fn has_page(&self, index: u64) -> bool {
        self.pages.contains_key(&index)
    }

    /// The pages cut off while the file was mapped: the caller frees them (drops
    /// them) once no address space maps them.
    pub(crate) fn take_cut(&mut self) -> Vec<Box<dyn Page>> {
        core::mem::take(&mut self.cut)
    }
}

impl Drop for FileData {
    fn drop(&mut self) {
        self.store.released(self.pages.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_pages::HeapPages;

    fn file(limit: usize) -> (Arc<HeapPages>, FileData) {
        let pages = HeapPages::with_limit(limit);
        let data = FileData::new(PageStore::new(pages.clone()));
        (pages, data)
    }

    fn contents(data: &FileData) -> Vec<u8> {
        let mut buffer = vec![0xaa; data.size() as usize + 10];
        let count = data.read(0, &mut buffer);
        buffer.truncate(count);
        buffer
    }

    #[test]
    fn writes_across_pages_read_back() {
        let (pages, mut data) = file(100);
        let bytes: Vec<u8> = (0..10_000u32).map(|n| n as u8).collect();
        assert_eq!(data.write(0, &bytes), Ok(10_000));
        assert_eq!(contents(&data), bytes);
        assert_eq!((data.size(), data.pages(), pages.live()), (10_000, 3, 3));
        let mut middle = [0; 10];
        assert_eq!(data.read(4090, &mut middle), 10);
        assert_eq!(&middle[..], &bytes[4090..4100]);
        assert_eq!(data.write(4095, b"xy"), Ok(2), "overwrite across a page boundary");
        assert_eq!(&contents(&data)[4094..4098], &[bytes[4094], b'x', b'y', bytes[4097]]);
        assert_eq!(data.read(10_000, &mut middle), 0);
        assert_eq!(data.read(u64::MAX, &mut middle), 0);
        drop(data);
        assert_eq!(pages.live(), 0, "dropping the data frees its pages");
    }

    #[test]
    fn pages_taken_unzeroed_never_show_stale_bytes() {
        let (pages, mut data) = file(100);
        let whole = [7u8; PAGE_SIZE];
        // Page 1 whole (taken unzeroed), page 3 in part, pages 5 and 6 in part
        // (a page's worth from an unaligned start).
        assert_eq!(data.write(PAGE_SIZE as u64, &whole), Ok(PAGE_SIZE));
        assert_eq!(data.write(3 * PAGE_SIZE as u64 + 100, b"part"), Ok(4));
        assert_eq!(data.write(5 * PAGE_SIZE as u64 + 10, &whole), Ok(PAGE_SIZE));
        assert_eq!(pages.live(), 4);
        let all = contents(&data);
        assert!(!all.contains(&crate::test_pages::STALE_BYTE), "a stale byte shows");
        let sevens = |range: core::ops::Range<usize>| all[range].iter().all(|&byte| byte == 7);
        assert!(sevens(PAGE_SIZE..2 * PAGE_SIZE) && sevens(5 * PAGE_SIZE + 10..6 * PAGE_SIZE + 10));
        assert_eq!(&all[3 * PAGE_SIZE + 100..3 * PAGE_SIZE + 104], b"part");
        assert_eq!(all.iter().filter(|&&byte| byte != 0).count(), 2 * PAGE_SIZE + 4);
    }

    /// A source that fills `limit` bytes in all with `byte`, then stops.
    fn limited(byte: u8, mut limit: usize) -> impl FnMut(&mut [u8]) -> usize {
        move |piece: &mut [u8]| {
            let n = piece.len().min(limit);
            piece[..n].fill(byte);
            limit -= n;
            n
        }
    }

    #[test]
    fn a_short_fill_ends_the_write_and_leaves_no_stale_or_empty_page() {
        let (pages, mut data) = file(100);
        // Two whole pages asked for, 5000 bytes given: the second page, taken
        // unzeroed, keeps 904 bytes and zeros after them.
        assert_eq!(data.write_from(0, 2 * PAGE_SIZE, &mut limited(3, 5000)), Ok(5000));
        assert_eq!((data.size(), pages.live()), (5000, 2));
        let all = contents(&data);
        assert!(all.iter().all(|&byte| byte == 3));
        data.set_size(2 * PAGE_SIZE as u64).unwrap();
        assert!(contents(&data)[5000..].iter().all(|&byte| byte == 0), "no stale byte past the fill");
        // A fill of nothing into a page made for it drops the page again: no
        // page lies past the size, and nothing is an error.
        assert_eq!(data.write_from(4 * PAGE_SIZE as u64 + 8, 100, &mut limited(9, 0)), Ok(0));
        assert_eq!((data.size(), pages.live()), (2 * PAGE_SIZE as u64, 2));
        // Into an existing page the fill goes as far as it goes.
        assert_eq!(data.write_from(10, 100, &mut limited(4, 30)), Ok(30));
        let expected: Vec<u8> = [3, 3].into_iter().chain([4; 30]).chain([3, 3]).collect();
        assert_eq!(&contents(&data)[8..42], &expected[..]);
    }

    #[test]
    fn holes_read_as_zeros_and_take_no_pages() {
        let (pages, mut data) = file(100);
        assert_eq!(data.write(3 * PAGE_SIZE as u64 + 5, b"end"), Ok(3));
        assert_eq!(data.size(), 3 * PAGE_SIZE as u64 + 8);
        assert_eq!(pages.live(), 1);
        let all = contents(&data);
        assert!(all[..3 * PAGE_SIZE + 5].iter().all(|&byte| byte == 0));
        assert_eq!(&all[3 * PAGE_SIZE + 5..], b"end");
        data.set_size(1 << 40).unwrap();
        assert_eq!((data.size(), pages.live()), (1 << 40, 1), "growing adds a hole");
        let mut far = [1; 8];
        assert_eq!(data.read((1 << 40) - 4, &mut far), 4);
        assert_eq!(far, [0, 0, 0, 0, 1, 1, 1, 1]);
    }

    #[test]
    fn shrinking_frees_pages_and_clears_the_tail() {
        let (pages, mut data) = file(100);
        data.write(0, &[7; 3 * PAGE_SIZE]).unwrap();
        data.set_size(PAGE_SIZE as u64 + 10).unwrap();
        assert_eq!((data.pages(), pages.live()), (2, 2));
        data.set_size(2 * PAGE_SIZE as u64).unwrap();
        let all = contents(&data);
        assert!(all[..PAGE_SIZE + 10].iter().all(|&byte| byte == 7));
        assert!(all[PAGE_SIZE + 10..].iter().all(|&byte| byte == 0), "old bytes do not come back");
        data.set_size(0).unwrap();
        assert_eq!((data.size(), pages.live()), (0, 0));
        assert_eq!(data.set_size(MAX_FILE_SIZE + 1), Err(Errno::EFBIG));
        data.set_size(MAX_FILE_SIZE).unwrap();
    }

    #[test]
    fn writes_stop_at_the_size_limit() {
        let (_pages, mut data) = file(100);
        assert_eq!(data.write(MAX_FILE_SIZE, b"x"), Err(Errno::EFBIG));
        assert_eq!(data.write(u64::MAX, b"x"), Err(Errno::EFBIG));
        assert_eq!(data.write(MAX_FILE_SIZE - 2, b"xyz"), Ok(2));
        assert_eq!(data.size(), MAX_FILE_SIZE);
        assert_eq!(data.write(5, b""), Ok(0));
    }

    #[test]
    fn running_out_of_pages_writes_what_fits() {
        let (pages, mut data) = file(2);
        assert_eq!(data.write(100, &[1; 3 * PAGE_SIZE]), Ok(2 * PAGE_SIZE - 100));
        assert_eq!(data.size(), 2 * PAGE_SIZE as u64);
        assert_eq!(data.write(2 * PAGE_SIZE as u64, b"more"), Err(Errno::ENOSPC));
        assert_eq!(data.size(), 2 * PAGE_SIZE as u64, "unchanged by the failed write");
        assert_eq!(data.write(0, b"in place"), Ok(8), "existing pages need no new ones");
        data.set_size(PAGE_SIZE as u64).unwrap();
        assert_eq!(pages.live(), 1);
        assert_eq!(data.write(PAGE_SIZE as u64, b"more"), Ok(4), "freed pages are usable again");
    }
}
