//! Address spaces: a page-table root whose kernel half is shared and whose user
//! half this object owns, tables and the frames of private memory, with the
//! regions (VMAs) that say where user memory may be and what backs it (`Area`).
//! Pages of a region are mapped when first touched (`fault_in`), so creating or
//! removing a region costs what is mapped, never the size of the range. A shared
//! region's frames belong to its object (`shared.rs`): unmapping them frees
//! nothing. `clone_eager` copies every mapped private page (fork); dropping the
//! space frees everything it owns.
use alloc::sync::Arc;
use alloc::vec::Vec;

use regions::{Regions, Unmapped};

use crate::arch::paging::{self, Access, MapError, PAGE_SIZE};

use super::shared::Area;
use super::{frames, phys};

#[derive(Debug)]
pub struct AddressSpace {
    root: paging::Root,
    regions: Regions<Area>,
}

/// Why a user page could not be had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// No region there, or one that does not allow the access (SIGSEGV, EFAULT).
    NoAccess,
    /// The region allows it but no frame (or page table) was free.
    OutOfMemory,
    /// A shared file mapping past the end of its file (SIGBUS, EFAULT).
    PastEnd,
}

impl AddressSpace {
    /// An empty user half over the shared kernel half.
    pub fn new() -> Result<Self, MapError> {
        Ok(Self { root: paging::new_root()?, regions: Regions::new() })
    }

    /// Map a fresh zeroed frame at `virt` (in a private region); returns the frame.
    pub fn map_zeroed(&mut self, virt: u64, access: Access) -> Result<u64, MapError> {
        let frame = frames::alloc().ok_or(MapError::OutOfFrames)?;
        phys::zero_frame(frame);
        self.map_frame(virt, frame, access)?;
        Ok(frame)
    }

    /// Map an owned `frame` at `virt`; on failure the frame is freed.
    pub fn map_frame(&mut self, virt: u64, frame: u64, access: Access) -> Result<(), MapError> {
        paging::map(self.root, virt, frame, access).inspect_err(|_| frames::free(frame))
    }

    /// The frame and access of the page holding `virt`.
    pub fn translate(&self, virt: u64) -> Option<(u64, Access)> {
        paging::translate(self.root, virt)
    }

    /// The regions of the user half.
    pub fn regions(&self) -> &Regions<Area> {
        &self.regions
    }

    /// Declare `start..end` (page aligned) user memory held as `area` says,
    /// replacing what was there (its pages are unmapped); pages come when touched.
    pub fn add_region(&mut self, start: u64, end: u64, area: Area) {
        self.remove_region(start, end);
        self.regions.insert(start, end, area);
    }

    /// Remove `start..end` (page aligned): its regions and every page mapped there.
    pub fn remove_region(&mut self, start: u64, end: u64) {
        self.unmap_pages(start, end);
        self.regions.remove(start, end);
    }

    /// Unmap every page of `start..end`, freeing those this space owns (a shared
    /// region's frames stay with its object).
    fn unmap_pages(&self, start: u64, end: u64) {
        self.unmap_shared(start, end);
        paging::unmap_range(self.root, start, end, frames::free);
    }

    /// Unmap the pages of the shared regions within `start..end`, freeing nothing.
    fn unmap_shared(&self, start: u64, end: u64) {
        for part in self.regions.within(start, end).filter(|part| part.value.is_shared()) {
            paging::unmap_range(self.root, part.start, part.end, |_| {});
        }
    }

    /// MADV_DONTNEED: unmap the pages of `start..end` (page aligned). Private pages
    /// are freed, so they come back zeroed; shared ones stay in their object and
    /// come back as they were. Err if part of the range has no region (the rest is
    /// done all the same, as on Linux).
    pub fn discard(&mut self, start: u64, end: u64) -> Result<(), Unmapped> {
        self.unmap_pages(start, end);
        if self.regions.covered(start, end) == end - start { Ok(()) } else { Err(Unmapped) }
    }

    /// Move the region `from..from+len` (page aligned, one region's part) to `to`
    /// (mremap): `to..to+len` is replaced. A private region's mapped pages move with
    /// their frames, one by one; on a lack of page-table frames the rest stay
    /// unmapped in the new place (they come back zeroed when touched). A shared
    /// region's pages are only unmapped: the new place maps its object's frames
    /// when touched.
    pub fn move_region(&mut self, from: u64, len: u64, to: u64) -> Result<(), Unmapped> {
        let area = self.regions.find(from).filter(|r| r.end >= from + len).ok_or(Unmapped)?.value_at(from);
        self.remove_region(to, to + len);
        let owned = !area.is_shared();
        let mut pages = Vec::new();
        paging::take_range(self.root, from, from + len, |virt, frame, page_access| {
            if owned {
                pages.push((virt, frame, page_access));
            }
        });
        self.regions.remove(from, from + len);
        self.regions.insert(to, to + len, area);
        for (virt, frame, page_access) in pages {
            let _ = self.map_frame(virt - from + to, frame, page_access);
        }
        Ok(())
    }

    /// Give `start..end` (page aligned) `access`; Err if part of it has no region.
    pub fn protect_region(&mut self, start: u64, end: u64, access: Access) -> Result<(), Unmapped> {
        self.regions.update(start, end, |area| Area { access, ..area.clone() })?;
        paging::protect_range(self.root, start, end, access);
        Ok(())
    }

    /// MADV_DONTFORK (`dont_fork`) and MADV_DOFORK for `start..end` (page aligned);
    /// Err if part of it has no region.
    pub fn set_dont_fork(&mut self, start: u64, end: u64, dont_fork: bool) -> Result<(), Unmapped> {
        self.regions.update(start, end, |area| Area { dont_fork, ..area.clone() })
    }

    /// The frame behind the user page holding `addr`, for a `write` (or an
    /// `execute`) when asked: mapped at once if its region allows the access and it
    /// was not touched yet (a private page zeroed, a shared one its object's).
    pub fn fault_in(&mut self, addr: u64, write: bool, execute: bool) -> Result<u64, Fault> {
        let page = addr & !(PAGE_SIZE - 1);
        let allowed = |a: Access| a.user && (a.write || !write) && (a.execute || !execute);
        if let Some((frame, access)) = self.translate(page) {
            return if allowed(access) { Ok(frame & !(PAGE_SIZE - 1)) } else { Err(Fault::NoAccess) };
        }
        let region = self.regions.find(page).filter(|r| allowed(r.value.access)).ok_or(Fault::NoAccess)?;
        let access = region.value.access;
        match region.value.shared_page(page - region.start) {
            None => self.map_zeroed(page, access).map_err(|_| Fault::OutOfMemory),
            Some((object, index)) => {
                let frame = object.frame(index)?;
                paging::map(self.root, page, frame, access).map_err(|_| Fault::OutOfMemory)?;
                Ok(frame)
            }
        }
    }

    /// Whether the user page holding `addr` may be read (or written) now or
    /// after a fault maps it; nothing is mapped.
    pub fn can_access(&self, addr: u64, write: bool) -> bool {
        let page = addr & !(PAGE_SIZE - 1);
        let access = match self.translate(page) {
            Some((_, access)) => Some(access),
            None => self.regions.find(page).map(|r| r.value.access),
        };
        access.is_some_and(|a| a.user && (a.write || !write))
    }

    /// Whether the page at `page` is in memory (mincore): mapped here, or held by
    /// the shared object behind it.
    pub fn resident(&self, page: u64) -> bool {
        self.translate(page).is_some()
            || self.regions.find(page).is_some_and(|r| {
                r.value.shared_page(page - r.start).is_some_and(|(object, index)| object.resident(index))
            })
    }

    /// For `addr` in shared memory, the object (its address, as a number) and the
    /// byte offset in it: what shared futexes are keyed by, so that processes
    /// mapping the object anywhere meet on the same key.
    pub fn shared_key(&self, addr: u64) -> Option<(u64, u64)> {
        let region = self.regions.find(addr)?;
        let (object, start) = region.value.shared?;
        Some((Arc::as_ptr(&object).cast::<()>() as u64, start + addr - region.start))
    }

    /// Unmap the pages of shared regions that map one of `cut` (sorted): frames a
    /// truncate took from a file, which must be mapped nowhere before they are
    /// freed. Touching them again faults past the file's end (SIGBUS).
    pub fn unmap_frames(&mut self, cut: &[u64]) {
        for region in self.regions.iter().filter(|r| r.value.is_shared()) {
            paging::unmap_matching(self.root, region.start, region.end, |frame| cut.binary_search(&frame).is_ok());
        }
    }

    /// A copy for fork: the same regions but those fork leaves out (MADV_DONTFORK),
    /// every mapped private page duplicated into a new frame (the design's eager
    /// copy). Shared regions keep their objects, so the child maps the same frames
    /// (when it touches them: a page a truncate cuts off a file is then never in
    /// a space that the truncate's unmapping could miss).
    pub fn clone_eager(&self) -> Result<Self, MapError> {
        let mut copy = Self::new()?;
        copy.regions = self.regions.clone();
        for left_out in self.regions.iter().filter(|r| r.value.dont_fork) {
            copy.regions.remove(left_out.start, left_out.end);
        }
        let mut result = Ok(());
        paging::for_each_user_page(self.root, |virt, frame, access| {
            let copied = self.regions.find(virt).is_none_or(|r| !r.value.is_shared() && !r.value.dont_fork);
            if result.is_ok() && copied {
                result = frames::alloc().ok_or(MapError::OutOfFrames).and_then(|new| {
                    phys::copy_frame(new, frame);
                    copy.map_frame(virt, new, access)
                });
            }
        });
        result.map(|()| copy)
    }

    /// User pages mapped, and page-table frames of the user half (Linux's VmRSS
    /// and VmPTE), the root included: one walk for both.
    pub fn usage(&self) -> (usize, usize) {
        let (pages, tables) = paging::count_user_half(self.root);
        (pages, tables + 1)
    }

    /// The page-table root (for the page-table benchmark).
    pub fn root(&self) -> paging::Root {
        self.root
    }

    /// Make this the CPU's address space.
    pub fn activate(&self) {
        paging::activate(self.root);
    }
}

impl Drop for AddressSpace {
    fn drop(&mut self) {
        if paging::active_root() == self.root {
            paging::activate(paging::kernel_root());
        }
        self.unmap_shared(0, u64::MAX);
        paging::release_user_half(self.root, frames::free);
        paging::free_root(self.root);
    }
}
