//! Pages of tmpfs file data, each a physical frame (freed when the page is
//! dropped). The frame allocator keeps a reserve for the kernel itself, so
//! filling the file system gives ENOSPC rather than starving the kernel.
use alloc::boxed::Box;

use ramfs::{Page, PageAllocator};

use super::{frames, phys};

/// One page of file data: an owned frame.
#[derive(Debug)]
struct FramePage(u64);

impl Page for FramePage {
    fn read(&self, offset: usize, buffer: &mut [u8]) {
        phys::read(self.0, offset, buffer);
    }

    fn write(&mut self, offset: usize, data: &[u8]) {
        phys::write(self.0, offset, data);
    }
}

impl Drop for FramePage {
    fn drop(&mut self) {
        frames::free(self.0);
    }
}

/// The tmpfs page source.
#[derive(Debug)]
pub struct FramePages;

impl PageAllocator for FramePages {
    fn allocate(&self) -> Option<Box<dyn Page>> {
        let frame = frames::alloc()?;
        phys::zero_frame(frame);
        Some(Box::new(FramePage(frame)))
    }
}
