//! mount(2) and umount2(2): the arguments read and the target resolved here, the
//! table changed by fs/mounts.rs.
use kabi::Errno;
use kabi::fs::AT_FDCWD;
use mountopt::UMOUNT_NOFOLLOW;

use super::files::base_dir;
use super::{SysResult, user};
use crate::fs::{mounts, vfs};

/// The most bytes of a file-system type name, and of the options, as Linux copies
/// them (a page).
const MAX_STRING: usize = 4095;

pub fn mount(source: u64, target: u64, fs_type: u64, flags: u64, data: u64) -> SysResult {
    let fs_type = user::read_optional_string(fs_type, MAX_STRING, Errno::ENODEV)?;
    let source = user::read_optional_string(source, MAX_STRING, Errno::ENAMETOOLONG)?.unwrap_or_default();
    let data = user::read_optional_string(data, MAX_STRING, Errno::EINVAL)?.unwrap_or_default();
    let target = user::read_path(target)?;
    let (node, _) = vfs::resolve_mount_target(&base_dir(AT_FDCWD, &target)?, &target, true)?;
    mounts::mount(&source, &node, fs_type.as_deref(), flags, &data).map(|()| 0)
}

pub fn umount2(target: u64, flags: u32) -> SysResult {
    mountopt::check_umount_flags(flags)?;
    let target = user::read_path(target)?;
    let (node, covered) =
        vfs::resolve_mount_target(&base_dir(AT_FDCWD, &target)?, &target, flags & UMOUNT_NOFOLLOW == 0)?;
    mounts::umount(&node, covered.as_ref(), flags).map(|()| 0)
}
