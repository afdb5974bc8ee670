//! System calls that make event files: eventfd and eventfd2.
use alloc::sync::Arc;

use kabi::Errno;
use kabi::fs::{O_CLOEXEC, O_NONBLOCK, O_RDWR};

use super::SysResult;
use super::files::install;
use crate::fs::eventfd::{EFD_SEMAPHORE, EventFd};
use crate::fs::file::OpenFile;

/// eventfd2(initval, flags): EFD_CLOEXEC and EFD_NONBLOCK are O_CLOEXEC and
/// O_NONBLOCK; EFD_SEMAPHORE makes reads count down by one.
pub fn eventfd2(initial: u32, flags: u32) -> SysResult {
    if flags & !(O_CLOEXEC | O_NONBLOCK | EFD_SEMAPHORE) != 0 {
        return Err(Errno::EINVAL);
    }
    let file = OpenFile::other(Arc::new(EventFd::new(initial, flags)), O_RDWR | (flags & O_NONBLOCK));
    install(file, flags & O_CLOEXEC != 0)
}
