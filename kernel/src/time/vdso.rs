//! The vDSO (kernel/vdso/, built by build.rs): its image, page aligned in the
//! kernel's read-only data, and its mapping into each new program, with the
//! clocks' data page one page below it (the vDSO finds the data there). Both are
//! the kernel's own frames, shared by every process and never writable in one
//! (W^X: the image is read and execute, the data read-only); fork keeps them, as
//! part of the address space.
use kabi::Errno;

use crate::arch::paging::{self, Access, PAGE_SIZE};
use crate::layout::{USER_MIN, USER_MMAP_TOP, USER_VDSO_BASE};
use crate::mm::address_space::AddressSpace;

const IMAGE_LEN: usize = include_bytes!(concat!(env!("OUT_DIR"), "/vdso.pages")).len();

/// The image, padded to whole pages by build.rs, so its pages hold nothing else.
#[repr(C, align(4096))]
struct Pages([u8; IMAGE_LEN]);

static IMAGE: Pages = Pages(*include_bytes!(concat!(env!("OUT_DIR"), "/vdso.pages")));

const _: () = assert!(IMAGE_LEN.is_multiple_of(PAGE_SIZE as usize));

/// Map the data page and the vDSO into `space` (a new program's); returns the
/// vDSO's address, for AT_SYSINFO_EHDR.
pub fn map_into(space: &mut AddressSpace) -> Result<u64, Errno> {
    let len = PAGE_SIZE + IMAGE_LEN as u64;
    let base = if space.regions().is_free(USER_VDSO_BASE, USER_VDSO_BASE + len) {
        USER_VDSO_BASE
    } else {
        space.regions().find_gap(len, USER_MIN, USER_MMAP_TOP).ok_or(Errno::ENOMEM)?
    };
    let read = Access { write: false, execute: false, user: true };
    let image =
        (0..IMAGE_LEN as u64).step_by(PAGE_SIZE as usize).map(|offset| kernel_frame(&raw const IMAGE as u64 + offset));
    let image: alloc::vec::Vec<u64> = image.collect();
    space.map_shared(base, &[super::vvar::frame()], read, "[vvar]").map_err(|_| Errno::ENOMEM)?;
    space
        .map_shared(base + PAGE_SIZE, &image, Access { execute: true, ..read }, "[vdso]")
        .map_err(|_| Errno::ENOMEM)?;
    Ok(base + PAGE_SIZE)
}

/// The frame behind a page of the kernel image.
pub(super) fn kernel_frame(page: u64) -> u64 {
    paging::translate(paging::kernel_root(), page).expect("the kernel image is mapped").0
}
