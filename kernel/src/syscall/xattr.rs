//! Extended attributes: getxattr, setxattr, listxattr, removexattr and their
//! l* (the link itself) and f* (an open file) forms. Kestrel's file systems keep
//! none, as a Linux tmpfs file that has none: the file is looked up first (its
//! errors come first), then the name is checked (ERANGE if empty or longer than
//! XATTR_NAME_MAX), and then the name gives `ramfs::xattr::missing` (ENODATA in
//! the tmpfs's namespaces); a list is empty. Not as Linux: none can be stored,
//! setxattr is EOPNOTSUPP, on every file system.
use alloc::vec::Vec;

use kabi::Errno;
use kabi::fs::{AT_FDCWD, XATTR_CREATE, XATTR_NAME_MAX, XATTR_REPLACE, XATTR_SIZE_MAX};

use super::{SysResult, files, user};

/// The file a call names.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// A path, followed if it ends in a symlink (getxattr) or not (lgetxattr).
    Path { path: u64, follow: bool },
    /// An open file (fgetxattr).
    File(i32),
}

impl Target {
    pub fn path(path: u64) -> Self {
        Self::Path { path, follow: true }
    }

    pub fn link(path: u64) -> Self {
        Self::Path { path, follow: false }
    }

    /// EBADF, ENOENT and the other lookup errors, as the call's first check.
    fn check(self) -> Result<(), Errno> {
        match self {
            Self::Path { path, follow } => {
                let path = user::read_path(path)?;
                files::resolve_at(AT_FDCWD, &path, follow).map(drop)
            }
            Self::File(fd) => files::file(fd).map(drop),
        }
    }
}

/// An attribute name: 1 to XATTR_NAME_MAX bytes, else ERANGE.
fn read_name(addr: u64) -> Result<Vec<u8>, Errno> {
    let name = user::read_cstr(addr, XATTR_NAME_MAX, Errno::ERANGE)?;
    if name.is_empty() {
        return Err(Errno::ERANGE);
    }
    Ok(name)
}

pub fn getxattr(target: Target, name: u64) -> SysResult {
    target.check()?;
    Err(ramfs::xattr::missing(&read_name(name)?))
}

pub fn removexattr(target: Target, name: u64) -> SysResult {
    target.check()?;
    Err(ramfs::xattr::missing(&read_name(name)?))
}

/// No attributes: an empty list, whatever the buffer.
pub fn listxattr(target: Target) -> SysResult {
    target.check().map(|()| 0)
}

pub fn setxattr(target: Target, name: u64, value: u64, size: usize, flags: u32) -> SysResult {
    target.check()?;
    if flags & !(XATTR_CREATE | XATTR_REPLACE) != 0 {
        return Err(Errno::EINVAL);
    }
    read_name(name)?;
    if size > XATTR_SIZE_MAX {
        return Err(Errno::E2BIG);
    }
    user::copy_in(value, size)?;
    Err(Errno::EOPNOTSUPP)
}
