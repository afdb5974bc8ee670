//! Address spaces: a page-table root whose kernel half is shared and whose user
//! half this object owns, tables and the frames of private memory, with the
//! regions (VMAs) that say where user memory may be and what backs it (`Area`).
//! Pages of a region are mapped when first touched (`fault_in`), so creating or
//! removing a region costs what is mapped, never the size of the range.
//!
//! Each page-table entry says whether the space owns its frame or borrows it
//! from an object (`shared.rs`: a shared region's frames, and the pages of a
//! private file mapping not written yet): unmapping a borrowed frame frees
//! nothing. A write to a borrowed page of a private mapping copies it into a
//! frame of the space's own (copy on write). `clone_eager` copies every owned
//! page (fork) and leaves borrowed ones for the child to map again from their
//! object; dropping the space frees everything it owns.
use alloc::sync::Arc;
use alloc::vec::Vec;

use regions::{Regions, Unmapped};

use crate::arch::paging::{self, Access, MapError, Mapped, PAGE_SIZE};

use super::shared::{Area, Backing};
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
    /// A file mapping (or shared memory) past the end of its object (SIGBUS, EFAULT).
    PastEnd,
}

/// What an address space holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    /// User pages mapped (Linux's VmRSS).
    pub resident: usize,
    /// Those of them whose frame the space owns (what fork copies).
    pub owned: usize,
    /// Page-table frames of the user half, the root included (VmPTE).
    pub tables: usize,
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
        paging::lookup(self.root, virt).map(|mapped| (mapped.frame, mapped.access))
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

    /// Unmap every page of `start..end`, freeing those this space owns (borrowed
    /// frames stay with their object).
    fn unmap_pages(&self, start: u64, end: u64) {
        paging::unmap_range(self.root, start, end, frames::free);
    }

    /// MADV_DONTNEED: unmap the pages of `start..end` (page aligned). Owned pages
    /// are freed, so anonymous ones come back zeroed and those of a private file
    /// mapping as the file's again; shared ones stay in their object and come back
    /// as they were. Err if part of the range has no region (the rest is done all
    /// the same, as on Linux).
    pub fn discard(&mut self, start: u64, end: u64) -> Result<(), Unmapped> {
        self.unmap_pages(start, end);
        if self.regions.covered(start, end) == end - start { Ok(()) } else { Err(Unmapped) }
    }

    /// Move the region `from..from+len` (page aligned, one region's part) to `to`
    /// (mremap): `to..to+len` is replaced. Owned pages move with their frames, one
    /// by one; on a lack of page-table frames the rest stay unmapped in the new
    /// place (they come back as the region's backing gives them when touched).
    /// Borrowed pages are only unmapped: the new place maps its object's frames
    /// when touched.
    pub fn move_region(&mut self, from: u64, len: u64, to: u64) -> Result<(), Unmapped> {
        let area = self.regions.find(from).filter(|r| r.end >= from + len).ok_or(Unmapped)?.value_at(from);
        self.remove_region(to, to + len);
        let mut pages = Vec::new();
        paging::take_range(self.root, from, from + len, |virt, mapped| {
            if !mapped.borrowed {
                pages.push((virt, mapped.frame, mapped.access));
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
    /// A borrowed page of a private mapping stays read-only in the page table.
    pub fn protect_region(&mut self, start: u64, end: u64, access: Access) -> Result<(), Unmapped> {
        self.regions.update(start, end, |area| Area { access, ..area.clone() })?;
        for part in self.regions.within(start, end) {
            paging::protect_range(self.root, part.start, part.end, access, part.value.borrowed_access());
        }
        Ok(())
    }

    /// MADV_DONTFORK (`dont_fork`) and MADV_DOFORK for `start..end` (page aligned);
    /// Err if part of it has no region.
    pub fn set_dont_fork(&mut self, start: u64, end: u64, dont_fork: bool) -> Result<(), Unmapped> {
        self.regions.update(start, end, |area| Area { dont_fork, ..area.clone() })
    }

    /// The frame behind the user page holding `addr`, for a `write` (or an
    /// `execute`) when asked: mapped at once if its region allows the access and it
    /// was not touched yet (an anonymous page zeroed, an object's page its own,
    /// read-only in a private mapping unless written), and a borrowed page of a
    /// private mapping copied into a frame of the space's own for a write.
    #[inline]
    pub fn fault_in(&mut self, addr: u64, write: bool, execute: bool) -> Result<u64, Fault> {
        let page = addr & !(PAGE_SIZE - 1);
        let mapped = paging::lookup(self.root, page);
        match mapped {
            // Mapped so already: every user copy's case, kept small to inline.
            Some(mapped) if permits(mapped.access, write, execute) => Ok(mapped.frame),
            _ => self.map_for(page, mapped, write, execute),
        }
    }

    /// The rest of `fault_in`, for a page not mapped so as the access needs.
    fn map_for(&mut self, page: u64, mapped: Option<Mapped>, write: bool, execute: bool) -> Result<u64, Fault> {
        let allowed = |a: Access| permits(a, write, execute);
        let region = self.regions.find(page).filter(|r| allowed(r.value.access)).ok_or(Fault::NoAccess)?;
        let access = region.value.access;
        let offset = page - region.start;
        match (&region.value.backing, mapped) {
            (Backing::CopyOnWrite(..), Some(borrowed)) if borrowed.borrowed => {
                let _ = paging::unmap(self.root, page);
                // The page's tables exist: mapping the copy there needs no frame.
                self.map_copy(page, borrowed.frame, access)
            }
            (_, Some(_)) => Err(Fault::NoAccess),
            (Backing::Anonymous, None) => self.map_zeroed(page, access).map_err(|_| Fault::OutOfMemory),
            (Backing::Shared(object, start), None) => {
                let frame = object.frame((start + offset) / PAGE_SIZE)?;
                paging::map_borrowed(self.root, page, frame, access).map_err(|_| Fault::OutOfMemory)?;
                Ok(frame)
            }
            (Backing::CopyOnWrite(object, start), None) => {
                let frame = object.frame((start + offset) / PAGE_SIZE)?;
                if write {
                    return self.map_copy(page, frame, access);
                }
                let access = region.value.borrowed_access();
                paging::map_borrowed(self.root, page, frame, access).map_err(|_| Fault::OutOfMemory)?;
                Ok(frame)
            }
        }
    }

    /// Map at `page` a copy of `frame` (an object's) that this space owns.
    fn map_copy(&mut self, page: u64, frame: u64, access: Access) -> Result<u64, Fault> {
        let copy = frames::alloc().ok_or(Fault::OutOfMemory)?;
        phys::copy_frame(copy, frame);
        self.map_frame(page, copy, access).map_err(|_| Fault::OutOfMemory)?;
        Ok(copy)
    }

    /// Whether the user page holding `addr` may be read (or written) now or
    /// after a fault maps it (or copies it); nothing is mapped.
    pub fn can_access(&self, addr: u64, write: bool) -> bool {
        let allowed = |a: Access| permits(a, write, false);
        let page = addr & !(PAGE_SIZE - 1);
        // Mapped so already (the common case), else as its region allows.
        paging::lookup(self.root, page).is_some_and(|mapped| allowed(mapped.access))
            || self.regions.value_at(page).is_some_and(|(_, _, value)| allowed(value.access))
    }

    /// Whether the page at `page` is in memory (mincore): mapped here, or held by
    /// the object behind it.
    pub fn resident(&self, page: u64) -> bool {
        self.translate(page).is_some()
            || self.regions.find(page).is_some_and(|r| {
                r.value.object_page(page - r.start).is_some_and(|(object, index)| object.resident(index))
            })
    }

    /// For `addr` in shared memory, the object (its address, as a number) and the
    /// byte offset in it: what shared futexes are keyed by, so that processes
    /// mapping the object anywhere meet on the same key.
    pub fn shared_key(&self, addr: u64) -> Option<(u64, u64)> {
        let region = self.regions.find(addr)?;
        let Backing::Shared(object, start) = &region.value.backing else { return None };
        Some((Arc::as_ptr(object).cast::<()>() as u64, start + addr - region.start))
    }

    /// After a truncate: unmap the borrowed pages that map one of `cut` (sorted),
    /// frames the truncate took from a file, which must be mapped nowhere before
    /// they are freed, and (as Linux) a private mapping's own copies of pages now
    /// past the end of its file. Touching them again faults past the file's end
    /// (SIGBUS).
    pub fn unmap_cut(&mut self, cut: &[u64]) {
        for region in self.regions.iter().filter(|r| r.value.object().is_some()) {
            paging::unmap_borrowed(self.root, region.start, region.end, |frame| cut.binary_search(&frame).is_ok());
            if let Backing::CopyOnWrite(object, start) = &region.value.backing {
                let within_file = (object.pages() * PAGE_SIZE).saturating_sub(*start).min(region.end - region.start);
                paging::unmap_range(self.root, region.start + within_file, region.end, frames::free);
            }
        }
    }

    /// A copy for fork: the same regions but those fork leaves out (MADV_DONTFORK),
    /// every owned page duplicated into a new frame (the design's eager copy), in
    /// one walk of both page tables. Borrowed pages are left out: the child maps
    /// its objects' frames again when it touches them (so a page a truncate cuts
    /// off a file is then never in a space that the truncate's unmapping could
    /// miss). Fails with OutOfFrames when a copy would leave fewer than `keep_free`
    /// frames besides the kernel's reserve.
    pub fn clone_eager(&self, keep_free: u64) -> Result<Self, MapError> {
        let mut copy = Self::new()?;
        copy.regions = self.regions.clone();
        let left_out: Vec<(u64, u64)> =
            self.regions.iter().filter(|r| r.value.dont_fork).map(|r| (r.start, r.end)).collect();
        for &(start, end) in &left_out {
            copy.regions.remove(start, end);
        }
        paging::copy_user_half(self.root, copy.root, &mut |virt, mapped| {
            if mapped.borrowed || left_out.iter().any(|&(start, end)| (start..end).contains(&virt)) {
                return Ok(None);
            }
            let new = frames::alloc_keeping(keep_free).ok_or(MapError::OutOfFrames)?;
            phys::copy_frame(new, mapped.frame);
            Ok(Some(new))
        })?;
        Ok(copy)
    }

    /// What the user half holds, in one walk.
    pub fn usage(&self) -> Usage {
        let (resident, owned, tables) = paging::count_user_half(self.root);
        Usage { resident, owned, tables: tables + 1 }
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

/// Whether user-mode access `a` allows a read (or a write, or an instruction
/// fetch).
fn permits(a: Access, write: bool, execute: bool) -> bool {
    a.user && (a.write || !write) && (a.execute || !execute)
}
