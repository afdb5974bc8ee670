//! The vDSO (kernel/vdso/, built by build.rs): its image, page aligned in the
//! kernel's read-only data, and its mapping into each new program at the top of
//! the free part of its mmap area (where Linux 6.18 puts it, so it moves with the
//! randomized mmap base), with the clocks' data page one page below it (the vDSO
//! finds the data there). Both are the kernel's own frames (`KernelFrames` in
//! mm/shared.rs), shared by every process and never writable in one (W^X: the
//! image is read and execute, the data read-only); fork keeps them, as part of
//! the address space.
use alloc::sync::Arc;
use alloc::vec;

use kabi::Errno;
use spin::Once;

use crate::arch::paging::{self, Access, PAGE_SIZE};
use crate::layout::USER_MIN;
use crate::mm::address_space::AddressSpace;
use crate::mm::shared::{Area, KernelFrames, SharedPages};

const IMAGE_LEN: usize = include_bytes!(concat!(env!("OUT_DIR"), "/vdso.pages")).len();

/// The image, padded to whole pages by build.rs, so its pages hold nothing else.
#[repr(C, align(4096))]
struct Pages([u8; IMAGE_LEN]);

static IMAGE: Pages = Pages(*include_bytes!(concat!(env!("OUT_DIR"), "/vdso.pages")));

const _: () = assert!(IMAGE_LEN.is_multiple_of(PAGE_SIZE as usize));

/// The data page and the image as objects every process maps.
static OBJECTS: Once<(Arc<dyn SharedPages>, Arc<dyn SharedPages>)> = Once::new();

/// Map the data page and the vDSO into `space` (a new program's) in the highest
/// free range below `mmap_top`; returns the vDSO's address, for AT_SYSINFO_EHDR.
pub fn map_into(space: &mut AddressSpace, mmap_top: u64) -> Result<u64, Errno> {
    let len = PAGE_SIZE + IMAGE_LEN as u64;
    let base = space.regions().find_gap(len, USER_MIN, mmap_top).ok_or(Errno::ENOMEM)?;
    let (data, image) = OBJECTS.call_once(|| {
        let image = (0..IMAGE_LEN as u64).step_by(PAGE_SIZE as usize);
        let image = image.map(|offset| kernel_frame(&raw const IMAGE as u64 + offset)).collect();
        (KernelFrames::new_object(vec![super::vvar::frame()], "[vvar]"), KernelFrames::new_object(image, "[vdso]"))
    });
    let read = Access { write: false, execute: false, user: true };
    space.add_region(base, base + PAGE_SIZE, Area::shared(read, data.clone(), 0));
    space.add_region(base + PAGE_SIZE, base + len, Area::shared(Access { execute: true, ..read }, image.clone(), 0));
    Ok(base + PAGE_SIZE)
}

/// The frame behind a page of the kernel image.
pub(super) fn kernel_frame(page: u64) -> u64 {
    paging::translate(paging::kernel_root(), page).expect("the kernel image is mapped").0
}
