//! Address spaces: a page-table root whose kernel half is shared and whose user
//! half this object owns, frames and tables alike, with the regions (VMAs) that say
//! where user memory may be. Pages of a region are mapped when first touched
//! (`fault_in`), so creating or removing a region costs what is mapped, never the
//! size of the range. `clone_eager` copies every mapped page (fork); dropping it
//! frees everything it owns.
use regions::{Regions, Unmapped};

use crate::arch::paging::{self, Access, MapError, PAGE_SIZE};

use super::{frames, phys};

#[derive(Debug)]
pub struct AddressSpace {
    root: paging::Root,
    regions: Regions<Access>,
}

/// Why a user page could not be had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// No region there, or one that does not allow the access (SIGSEGV, EFAULT).
    NoAccess,
    /// The region allows it but no frame (or page table) was free.
    OutOfMemory,
}

impl AddressSpace {
    /// An empty user half over the shared kernel half.
    pub fn new() -> Result<Self, MapError> {
        Ok(Self { root: paging::new_root()?, regions: Regions::new() })
    }

    /// Map a fresh zeroed frame at `virt`; returns the frame.
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
    pub fn regions(&self) -> &Regions<Access> {
        &self.regions
    }

    /// Declare `start..end` (page aligned) user memory with `access`, replacing
    /// what was there (its pages are unmapped); pages come when touched.
    pub fn add_region(&mut self, start: u64, end: u64, access: Access) {
        self.remove_region(start, end);
        self.regions.insert(start, end, access);
    }

    /// Remove `start..end` (page aligned): its regions and every page mapped there.
    pub fn remove_region(&mut self, start: u64, end: u64) {
        paging::unmap_range(self.root, start, end, frames::free);
        self.regions.remove(start, end);
    }

    /// Move the region `from..from+len` (page aligned, one region's part) to `to`,
    /// its mapped pages with their frames (mremap): `to..to+len` is replaced.
    /// Pages are moved one by one; on a lack of page-table frames the rest stay
    /// unmapped in the new place (they come back zeroed when touched).
    pub fn move_region(&mut self, from: u64, len: u64, to: u64) -> Result<(), Unmapped> {
        let access = self.regions.find(from).filter(|r| r.end >= from + len).ok_or(Unmapped)?.access;
        self.remove_region(to, to + len);
        let mut pages = alloc::vec::Vec::new();
        paging::take_range(self.root, from, from + len, |virt, frame, page_access| {
            pages.push((virt, frame, page_access))
        });
        self.regions.remove(from, from + len);
        self.regions.insert(to, to + len, access);
        for (virt, frame, page_access) in pages {
            let _ = self.map_frame(virt - from + to, frame, page_access);
        }
        Ok(())
    }

    /// Give `start..end` (page aligned) `access`; Err if part of it has no region.
    pub fn protect_region(&mut self, start: u64, end: u64, access: Access) -> Result<(), Unmapped> {
        self.regions.protect(start, end, access)?;
        paging::protect_range(self.root, start, end, access);
        Ok(())
    }

    /// The frame behind the user page holding `addr`, for a `write` (or an
    /// `execute`) when asked: mapped at once if its region allows the access and it
    /// was not touched yet.
    pub fn fault_in(&mut self, addr: u64, write: bool, execute: bool) -> Result<u64, Fault> {
        let page = addr & !(PAGE_SIZE - 1);
        let allowed = |a: Access| a.user && (a.write || !write) && (a.execute || !execute);
        if let Some((frame, access)) = self.translate(page) {
            return if allowed(access) { Ok(frame & !(PAGE_SIZE - 1)) } else { Err(Fault::NoAccess) };
        }
        let region = self.regions.find(page).filter(|r| allowed(r.access)).ok_or(Fault::NoAccess)?;
        self.map_zeroed(page, region.access).map_err(|_| Fault::OutOfMemory)
    }

    /// Whether the user page holding `addr` may be read (or written) now or
    /// after a fault maps it; nothing is mapped.
    pub fn can_access(&self, addr: u64, write: bool) -> bool {
        let page = addr & !(PAGE_SIZE - 1);
        let access = match self.translate(page) {
            Some((_, access)) => Some(access),
            None => self.regions.find(page).map(|r| r.access),
        };
        access.is_some_and(|a| a.user && (a.write || !write))
    }

    /// A copy with every mapped user page duplicated into a new frame (fork's
    /// eager copy) and the same regions.
    pub fn clone_eager(&self) -> Result<Self, MapError> {
        let mut copy = Self::new()?;
        copy.regions = self.regions.clone();
        let mut result = Ok(());
        paging::for_each_user_page(self.root, |virt, frame, access| {
            if result.is_ok() {
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
        paging::release_user_half(self.root, frames::free);
        paging::free_root(self.root);
    }
}
