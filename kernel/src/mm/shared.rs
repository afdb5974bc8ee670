//! Memory that address spaces share and what a region holds. A shared object owns
//! the frames of its pages, and every shared mapping of it (MAP_SHARED) maps those
//! frames as they are, so a store through one mapping shows in all of them, in
//! this process, its children and any other (Linux's shmem and page cache). A
//! private mapping of an object (MAP_PRIVATE of a tmpfs file, a program's
//! segments) maps its frames read-only until a page is written, which copies
//! that page into a frame of the address space's own. Regions hold the object by
//! an `Arc`, with the offset of their first page in it; its frames go when the
//! last region does. Anonymous shared memory (MAP_SHARED of /dev/zero too) is
//! [`Anonymous`], its frames given on first touch; a tmpfs file's frames are the
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

    /// How many pages the object has now: a fault at or past this many is
    /// `Fault::PastEnd` (a file's size, rounded up to a page).
    fn pages(&self) -> u64;

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

    /// For a file's pages, the file as /proc/PID/maps names it.
    fn file(&self) -> Option<&FileIdentity> {
        None
    }
}

/// A mapped file as /proc/PID/maps shows it: its device and inode numbers and the
/// path it was opened by.
#[derive(Debug, Clone)]
pub struct FileIdentity {
    pub device: u64,
    pub inode: u64,
    pub path: alloc::vec::Vec<u8>,
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

    fn pages(&self) -> u64 {
        self.frames.len() as u64
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

    fn pages(&self) -> u64 {
        self.pages
    }
}

impl Drop for Anonymous {
    fn drop(&mut self) {
        for &frame in self.frames.get_mut().values() {
            frames::free(frame);
        }
    }
}

/// What backs a region's pages.
#[derive(Debug, Clone)]
pub enum Backing {
    /// Private memory of the address space's own, zero when first touched
    /// (anonymous memory, the heap, the stack, a program's bss).
    Anonymous,
    /// An object's frames mapped as they are, with the offset (bytes) in it of
    /// the region's first page (MAP_SHARED, the vDSO).
    Shared(Arc<dyn SharedPages>, u64),
    /// A private mapping of an object from an offset (MAP_PRIVATE of a tmpfs
    /// file, a program's segments): its frames mapped read-only (borrowed); the
    /// first write to a page copies it into a frame of the address space's own.
    CopyOnWrite(Arc<dyn SharedPages>, u64),
}

/// What a region holds (its value in the `regions` crate): the access, what backs
/// the pages, and whether a fork's child gets the region.
#[derive(Debug, Clone)]
pub struct Area {
    pub access: Access,
    pub backing: Backing,
    /// MADV_DONTFORK: a fork's child does not get the region.
    pub dont_fork: bool,
}

impl Area {
    /// Anonymous private memory (the heap, the stack, a program's .bss, a copy
    /// of a /proc file).
    pub fn private(access: Access) -> Self {
        Self { access, backing: Backing::Anonymous, dont_fork: false }
    }

    /// Shared memory: `object` from `offset` on.
    pub fn shared(access: Access, object: Arc<dyn SharedPages>, offset: u64) -> Self {
        Self { access, backing: Backing::Shared(object, offset), dont_fork: false }
    }

    /// A private mapping of `object` from `offset` on, copied page by page when
    /// written.
    pub fn copy_on_write(access: Access, object: Arc<dyn SharedPages>, offset: u64) -> Self {
        Self { access, backing: Backing::CopyOnWrite(object, offset), dont_fork: false }
    }

    pub fn is_shared(&self) -> bool {
        matches!(self.backing, Backing::Shared(..))
    }

    pub fn is_anonymous(&self) -> bool {
        matches!(self.backing, Backing::Anonymous)
    }

    /// The object behind the region (shared or copied on write) and the offset
    /// (bytes) in it of the region's first page.
    pub fn object(&self) -> Option<(&Arc<dyn SharedPages>, u64)> {
        match &self.backing {
            Backing::Anonymous => None,
            Backing::Shared(object, start) | Backing::CopyOnWrite(object, start) => Some((object, *start)),
        }
    }

    /// The object and page index behind the page `offset` bytes into the region.
    pub fn object_page(&self, offset: u64) -> Option<(&Arc<dyn SharedPages>, u64)> {
        self.object().map(|(object, start)| (object, (start + offset) / PAGE_SIZE))
    }

    /// The access a page of the object gets in the page table: a borrowed frame
    /// of a private mapping is never writable (a write copies it first).
    pub fn borrowed_access(&self) -> Access {
        match self.backing {
            Backing::CopyOnWrite(..) => Access { write: false, ..self.access },
            _ => self.access,
        }
    }
}

impl PartialEq for Area {
    /// Alike: the same access and fork rule, and anonymous, or the same object
    /// mapped the same way at the same offset.
    fn eq(&self, other: &Self) -> bool {
        let same_backing = match (&self.backing, &other.backing) {
            (Backing::Anonymous, Backing::Anonymous) => true,
            (Backing::Shared(a, at_a), Backing::Shared(b, at_b))
            | (Backing::CopyOnWrite(a, at_a), Backing::CopyOnWrite(b, at_b)) => Arc::ptr_eq(a, b) && at_a == at_b,
            _ => false,
        };
        self.access == other.access && self.dont_fork == other.dont_fork && same_backing
    }
}

impl regions::Value for Area {
    fn at(&self, offset: u64) -> Self {
        let backing = match &self.backing {
            Backing::Anonymous => Backing::Anonymous,
            Backing::Shared(object, start) => Backing::Shared(object.clone(), start + offset),
            Backing::CopyOnWrite(object, start) => Backing::CopyOnWrite(object.clone(), start + offset),
        };
        Self { access: self.access, backing, dont_fork: self.dont_fork }
    }
}
