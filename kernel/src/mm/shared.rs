//! Memory that address spaces share (MAP_SHARED) and what a region holds. A shared
//! object owns the frames of its pages, and every mapping of it maps those frames
//! as they are, so a store through one mapping shows in all of them, in this
//! process, its children and any other (Linux's shmem and page cache). Regions hold
//! the object by an `Arc`, with the offset of their first page in it; its frames go
//! when the last region does. Anonymous shared memory (MAP_SHARED of /dev/zero too)
//! is [`Anonymous`], its frames given on first touch; a tmpfs file's frames are the
//! file's own pages (`fs/mapping.rs`); the vDSO and its data page are
//! [`KernelFrames`].
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use core::fmt::Debug;

use spin::Mutex;

use crate::arch::paging::{Access, PAGE_SIZE};

use super::address_space::Fault;
use super::{frames, phys};

/// An object whose pages address spaces map as they are.
pub trait SharedPages: Send + Sync + Debug {
    /// The frame of page `index`, made (zeros) on first use: `Fault::PastEnd`
    /// past the end of the object, `Fault::OutOfMemory` when no frame is free.
    fn frame(&self, index: u64) -> Result<u64, Fault>;

    /// Whether page `index` has a frame now (mincore).
    fn resident(&self, index: u64) -> bool;

    /// Whether a mapping may be made writable (not for a file opened read-only:
    /// mprotect adding PROT_WRITE is EACCES, as Linux's VM_MAYWRITE).
    fn may_write(&self) -> bool {
        true
    }

    /// The name of a kernel object every process maps (Linux's special mappings,
    /// shown private in /proc/PID/maps under this name); None for memory a program
    /// asked to share.
    fn special_name(&self) -> Option<&'static str> {
        None
    }
}

/// Frames of the kernel's that every process maps read-only, such as the vDSO and
/// its data page: never freed, never writable in a process (mprotect adding
/// PROT_WRITE is EACCES).
#[derive(Debug)]
pub struct KernelFrames {
    frames: alloc::vec::Vec<u64>,
    name: &'static str,
}

impl KernelFrames {
    pub fn new_object(frames: alloc::vec::Vec<u64>, name: &'static str) -> Arc<dyn SharedPages> {
        Arc::new(Self { frames, name })
    }
}

impl SharedPages for KernelFrames {
    fn frame(&self, index: u64) -> Result<u64, Fault> {
        usize::try_from(index).ok().and_then(|i| self.frames.get(i)).copied().ok_or(Fault::PastEnd)
    }

    fn resident(&self, _index: u64) -> bool {
        true
    }

    fn may_write(&self) -> bool {
        false
    }

    fn special_name(&self) -> Option<&'static str> {
        Some(self.name)
    }
}

/// Anonymous shared memory of a fixed size (Linux's shmem object behind
/// MAP_SHARED | MAP_ANONYMOUS): a frame per page touched, zeroed when first
/// touched, all freed with the object. Past its size (a mapping mremap grew) a
/// fault is SIGBUS, as on Linux.
#[derive(Debug)]
pub struct Anonymous {
    pages: u64,
    frames: Mutex<BTreeMap<u64, u64>>,
}

impl Anonymous {
    /// New shared memory of `len` bytes (rounded up to pages).
    pub fn new_object(len: u64) -> Arc<dyn SharedPages> {
        Arc::new(Self { pages: len.div_ceil(PAGE_SIZE), frames: Mutex::new(BTreeMap::new()) })
    }
}

impl SharedPages for Anonymous {
    fn frame(&self, index: u64) -> Result<u64, Fault> {
        if index >= self.pages {
            return Err(Fault::PastEnd);
        }
        let mut pages = self.frames.lock();
        if let Some(&frame) = pages.get(&index) {
            return Ok(frame);
        }
        let frame = frames::alloc().ok_or(Fault::OutOfMemory)?;
        phys::zero_frame(frame);
        pages.insert(index, frame);
        Ok(frame)
    }

    fn resident(&self, index: u64) -> bool {
        self.frames.lock().contains_key(&index)
    }
}

impl Drop for Anonymous {
    fn drop(&mut self) {
        for &frame in self.frames.get_mut().values() {
            frames::free(frame);
        }
    }
}

/// What a region holds (its value in the `regions` crate): the access, what backs
/// the pages, and whether a fork's child gets the region.
#[derive(Debug, Clone)]
pub struct Area {
    pub access: Access,
    /// For shared memory, the object and the offset (bytes) in it of the region's
    /// first page; None for private memory, whose frames the address space owns.
    pub shared: Option<(Arc<dyn SharedPages>, u64)>,
    /// MADV_DONTFORK: a fork's child does not get the region.
    pub dont_fork: bool,
}

impl Area {
    /// Private memory (anonymous, a copy of a file, the image, the stack).
    pub fn private(access: Access) -> Self {
        Self { access, shared: None, dont_fork: false }
    }

    /// Shared memory: `object` from `offset` on.
    pub fn shared(access: Access, object: Arc<dyn SharedPages>, offset: u64) -> Self {
        Self { access, shared: Some((object, offset)), dont_fork: false }
    }

    pub fn is_shared(&self) -> bool {
        self.shared.is_some()
    }

    /// The object and page index behind the page `offset` bytes into the region,
    /// for shared memory.
    pub fn shared_page(&self, offset: u64) -> Option<(&Arc<dyn SharedPages>, u64)> {
        self.shared.as_ref().map(|(object, start)| (object, (start + offset) / PAGE_SIZE))
    }
}

impl PartialEq for Area {
    /// Alike: the same access and fork rule, and private, or the same object at the
    /// same offset.
    fn eq(&self, other: &Self) -> bool {
        let same_backing = match (&self.shared, &other.shared) {
            (None, None) => true,
            (Some((a, at_a)), Some((b, at_b))) => Arc::ptr_eq(a, b) && at_a == at_b,
            _ => false,
        };
        self.access == other.access && self.dont_fork == other.dont_fork && same_backing
    }
}

impl regions::Value for Area {
    fn at(&self, offset: u64) -> Self {
        let shared = self.shared.as_ref().map(|(object, start)| (object.clone(), start + offset));
        Self { access: self.access, shared, dont_fork: self.dont_fork }
    }
}
