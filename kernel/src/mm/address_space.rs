//! Address spaces: a page-table root whose kernel half is shared and whose user
//! half this object owns, frames and tables alike. `clone_eager` copies every user
//! page (fork); dropping it frees everything it owns.
use crate::arch::paging::{self, Access, MapError, Root};

use super::{frames, phys};

#[derive(Debug)]
pub struct AddressSpace {
    root: Root,
}

impl AddressSpace {
    /// An empty user half over the shared kernel half.
    pub fn new() -> Result<Self, MapError> {
        Ok(Self { root: paging::new_root()? })
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

    /// Remove the page at `virt` and free its frame.
    pub fn unmap(&mut self, virt: u64) -> Result<(), MapError> {
        frames::free(paging::unmap(self.root, virt)?);
        Ok(())
    }

    /// The frame and access of the page holding `virt`.
    pub fn translate(&self, virt: u64) -> Option<(u64, Access)> {
        paging::translate(self.root, virt)
    }

    pub fn protect(&mut self, virt: u64, access: Access) -> Result<(), MapError> {
        paging::set_access(self.root, virt, access)
    }

    /// A copy with every user page duplicated into a new frame (fork's eager copy).
    pub fn clone_eager(&self) -> Result<Self, MapError> {
        let mut copy = Self::new()?;
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
    pub fn root(&self) -> Root {
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
