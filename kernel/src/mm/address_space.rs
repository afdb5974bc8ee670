//! Address spaces: a page-table root whose kernel half is shared and whose user
//! half this object owns, frames and tables alike, with the regions (VMAs) that say
//! where user memory may be. Pages of a region are mapped when first touched
//! (`fault_in`), so creating or removing a region costs what is mapped, never the
//! size of the range. `clone_eager` copies every mapped page (fork); dropping it
//! frees everything it owns.
//!
//! Some pages map frames the space does not own: the vDSO and its data page,
//! one set of frames for every process (`map_shared`). Those are never freed
//! here, fork maps the same frames again, and a page that mprotect would make
//! writable gets a private copy first, so that no process writes them.
use alloc::vec::Vec;

use regions::{Regions, Unmapped};

use crate::arch::paging::{self, Access, MapError, PAGE_SIZE};

use super::{frames, phys};

#[derive(Debug)]
pub struct AddressSpace {
    root: paging::Root,
    regions: Regions<Access>,
    shared: Vec<SharedPage>,
}

/// A page mapped to a frame the space does not own, and its name in
/// /proc/PID/maps.
#[derive(Debug, Clone, Copy)]
struct SharedPage {
    page: u64,
    frame: u64,
    name: &'static str,
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
        Ok(Self { root: paging::new_root()?, regions: Regions::new(), shared: Vec::new() })
    }

    /// Declare `start..` user memory with `access` and map `shared_frames` there,
    /// frames of the kernel's that every process shares (never freed or written
    /// through this space); `name` is what /proc/PID/maps calls the pages.
    pub fn map_shared(
        &mut self,
        start: u64,
        shared_frames: &[u64],
        access: Access,
        name: &'static str,
    ) -> Result<(), MapError> {
        self.add_region(start, start + shared_frames.len() as u64 * PAGE_SIZE, access);
        for (page, &frame) in (start..).step_by(PAGE_SIZE as usize).zip(shared_frames) {
            paging::map(self.root, page, frame, access)?;
            self.shared.push(SharedPage { page, frame, name });
        }
        Ok(())
    }

    /// The name of the shared page at `addr` (a page boundary), if there is one.
    pub fn shared_name(&self, addr: u64) -> Option<&'static str> {
        self.shared.iter().find(|s| s.page == addr).map(|s| s.name)
    }

    /// Free `frame` unless it is one of the shared frames.
    fn release(shared: &[SharedPage], frame: u64) {
        if !shared.iter().any(|s| s.frame == frame) {
            frames::free(frame);
        }
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
        let shared = &self.shared;
        paging::unmap_range(self.root, start, end, |frame| Self::release(shared, frame));
        self.shared.retain(|s| !(start..end).contains(&s.page));
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
            let new = virt - from + to;
            match self.shared.iter().position(|s| s.frame == frame) {
                Some(i) => match paging::map(self.root, new, frame, page_access) {
                    Ok(()) => self.shared[i].page = new,
                    Err(_) => {
                        self.shared.swap_remove(i);
                    }
                },
                None => {
                    let _ = self.map_frame(new, frame, page_access);
                }
            }
        }
        Ok(())
    }

    /// Give `start..end` (page aligned) `access`; Err if part of it has no region,
    /// or if a shared page there that would become writable finds no frame for
    /// its private copy (both ENOMEM to mprotect).
    pub fn protect_region(&mut self, start: u64, end: u64, access: Access) -> Result<(), Unmapped> {
        if access.write {
            self.unshare(start, end)?;
        }
        self.regions.protect(start, end, access)?;
        paging::protect_range(self.root, start, end, access);
        Ok(())
    }

    /// Replace each shared page in `start..end` by a private copy (with the same
    /// access, for now).
    fn unshare(&mut self, start: u64, end: u64) -> Result<(), Unmapped> {
        while let Some(i) = self.shared.iter().position(|s| (start..end).contains(&s.page)) {
            let SharedPage { page, frame, .. } = self.shared[i];
            let (_, access) = self.translate(page).ok_or(Unmapped)?;
            let copy = frames::alloc().ok_or(Unmapped)?;
            phys::copy_frame(copy, frame);
            let _ = paging::unmap(self.root, page);
            self.shared.swap_remove(i);
            self.map_frame(page, copy, access).map_err(|_| Unmapped)?;
        }
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
    /// eager copy), the shared pages mapped again, and the same regions.
    pub fn clone_eager(&self) -> Result<Self, MapError> {
        let mut copy = Self::new()?;
        copy.regions = self.regions.clone();
        let mut result = Ok(());
        paging::for_each_user_page(self.root, |virt, frame, access| {
            if result.is_err() {
                return;
            }
            result = match self.shared.iter().find(|s| s.frame == frame) {
                Some(&shared) => paging::map(copy.root, virt, frame, access).map(|()| copy.shared.push(shared)),
                None => frames::alloc().ok_or(MapError::OutOfFrames).and_then(|new| {
                    phys::copy_frame(new, frame);
                    copy.map_frame(virt, new, access)
                }),
            };
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
        let shared = &self.shared;
        paging::release_user_half(self.root, |frame| Self::release(shared, frame));
        paging::free_root(self.root);
    }
}
