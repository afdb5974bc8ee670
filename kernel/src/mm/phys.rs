//! Raw access to physical frames through the direct map: zeroing, copying, and
//! reading or writing bytes. Every frame passed here must be one the caller owns.
use crate::layout::phys_to_virt;

use super::frames::FRAME_SIZE;

const FRAME: usize = FRAME_SIZE as usize;

pub fn zero_frame(frame: u64) {
    // SAFETY: the caller owns `frame`; the direct map covers all RAM.
    unsafe { core::ptr::write_bytes(phys_to_virt(frame) as *mut u8, 0, FRAME) }
}

pub fn copy_frame(dst: u64, src: u64) {
    assert_ne!(dst, src);
    // SAFETY: distinct owned frames, both mapped by the direct map.
    unsafe { core::ptr::copy_nonoverlapping(phys_to_virt(src) as *const u8, phys_to_virt(dst) as *mut u8, FRAME) }
}

/// Copy `data` into `frame` at `offset` (which must stay within the frame).
pub fn write(frame: u64, offset: usize, data: &[u8]) {
    assert!(offset + data.len() <= FRAME, "write past the end of a frame");
    // SAFETY: the range lies within an owned frame (checked above).
    unsafe { core::ptr::copy_nonoverlapping(data.as_ptr(), (phys_to_virt(frame) as *mut u8).add(offset), data.len()) }
}

/// Copy bytes out of `frame` at `offset` into `out`.
pub fn read(frame: u64, offset: usize, out: &mut [u8]) {
    assert!(offset + out.len() <= FRAME, "read past the end of a frame");
    // SAFETY: the range lies within an owned frame (checked above).
    unsafe {
        core::ptr::copy_nonoverlapping((phys_to_virt(frame) as *const u8).add(offset), out.as_mut_ptr(), out.len())
    }
}

/// `f` with the bytes `offset..offset + len` of `frame` (which must stay within
/// the frame), for copies straight between frames and user memory.
pub fn with_bytes<R>(frame: u64, offset: usize, len: usize, f: impl FnOnce(&[u8]) -> R) -> R {
    assert!(offset + len <= FRAME, "bytes past the end of a frame");
    // SAFETY: the range lies within a frame the caller owns (checked above), so
    // nothing else writes it while `f` reads it.
    f(unsafe { core::slice::from_raw_parts((phys_to_virt(frame) as *const u8).add(offset), len) })
}

/// `f` with the bytes `offset..offset + len` of `frame` to fill.
pub fn with_bytes_mut<R>(frame: u64, offset: usize, len: usize, f: impl FnOnce(&mut [u8]) -> R) -> R {
    assert!(offset + len <= FRAME, "bytes past the end of a frame");
    // SAFETY: the range lies within a frame the caller owns (checked above), so
    // this is the only reference to it while `f` runs.
    f(unsafe { core::slice::from_raw_parts_mut((phys_to_virt(frame) as *mut u8).add(offset), len) })
}
