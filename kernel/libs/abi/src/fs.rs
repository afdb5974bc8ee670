//! File-system ABI constants: open flags, `*at` flags, fcntl, lseek, access, mode bits,
//! directory-entry types and the `linux_dirent64` record, and poll events.

// open(2) flags (x86-64 values, octal as in the Linux headers).
pub const O_RDONLY: u32 = 0;
pub const O_WRONLY: u32 = 0o1;
pub const O_RDWR: u32 = 0o2;
/// Mask of the access mode (`O_RDONLY`, `O_WRONLY`, `O_RDWR`).
pub const O_ACCMODE: u32 = 0o3;
pub const O_CREAT: u32 = 0o100;
pub const O_EXCL: u32 = 0o200;
pub const O_NOCTTY: u32 = 0o400;
pub const O_TRUNC: u32 = 0o1000;
pub const O_APPEND: u32 = 0o2000;
pub const O_NONBLOCK: u32 = 0o4000;
pub const O_DSYNC: u32 = 0o10000;
pub const O_DIRECT: u32 = 0o40000;
/// What the kernel sees when a 32-bit-offset libc opens a file; musl's and glibc's
/// headers define `O_LARGEFILE` as 0 on x86-64, but the kernel value is this one.
pub const O_LARGEFILE: u32 = 0o100000;
pub const O_DIRECTORY: u32 = 0o200000;
pub const O_NOFOLLOW: u32 = 0o400000;
pub const O_NOATIME: u32 = 0o1000000;
pub const O_CLOEXEC: u32 = 0o2000000;
pub const O_SYNC: u32 = 0o4010000;
pub const O_PATH: u32 = 0o10000000;
pub const O_TMPFILE: u32 = 0o20200000;

/// The `dirfd` that means "relative to the current directory".
pub const AT_FDCWD: i32 = -100;
pub const AT_SYMLINK_NOFOLLOW: u32 = 0x100;
/// `unlinkat`: remove a directory.
pub const AT_REMOVEDIR: u32 = 0x200;
/// `faccessat`: check with the effective ids (same bit as `AT_REMOVEDIR`).
pub const AT_EACCESS: u32 = 0x200;
pub const AT_SYMLINK_FOLLOW: u32 = 0x400;
pub const AT_NO_AUTOMOUNT: u32 = 0x800;
pub const AT_EMPTY_PATH: u32 = 0x1000;

// Extended attributes: setxattr(2) flags, and the limits of linux/limits.h.
pub const XATTR_CREATE: u32 = 0x1;
pub const XATTR_REPLACE: u32 = 0x2;
/// The longest attribute name, in bytes.
pub const XATTR_NAME_MAX: usize = 255;
/// The largest attribute value, and the largest buffer getxattr fills.
pub const XATTR_SIZE_MAX: usize = 65536;

// fcntl(2) commands and descriptor flags.
pub const F_DUPFD: u32 = 0;
pub const F_GETFD: u32 = 1;
pub const F_SETFD: u32 = 2;
pub const F_GETFL: u32 = 3;
pub const F_SETFL: u32 = 4;
pub const F_GETLK: u32 = 5;
pub const F_SETLK: u32 = 6;
pub const F_SETLKW: u32 = 7;
pub const F_DUPFD_CLOEXEC: u32 = 1030;
pub const FD_CLOEXEC: u32 = 1;

// lseek(2) whence.
pub const SEEK_SET: u32 = 0;
pub const SEEK_CUR: u32 = 1;
pub const SEEK_END: u32 = 2;
pub const SEEK_DATA: u32 = 3;

// access(2) modes.
pub const F_OK: u32 = 0;
pub const X_OK: u32 = 1;
pub const W_OK: u32 = 2;
pub const R_OK: u32 = 4;

// Mode bits: the file type in `st_mode & S_IFMT`, then set-id, sticky and permissions.
pub const S_IFMT: u32 = 0o170000;
pub const S_IFSOCK: u32 = 0o140000;
pub const S_IFLNK: u32 = 0o120000;
pub const S_IFREG: u32 = 0o100000;
pub const S_IFBLK: u32 = 0o060000;
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFCHR: u32 = 0o020000;
pub const S_IFIFO: u32 = 0o010000;
pub const S_ISUID: u32 = 0o4000;
pub const S_ISGID: u32 = 0o2000;
pub const S_ISVTX: u32 = 0o1000;
/// Group-execute permission.
pub const S_IXGRP: u32 = 0o010;

// `renameat2` flags.
pub const RENAME_NOREPLACE: u32 = 1;
pub const RENAME_EXCHANGE: u32 = 2;

// Directory-entry types (`d_type` of `linux_dirent64`).
pub const DT_UNKNOWN: u8 = 0;
pub const DT_FIFO: u8 = 1;
pub const DT_CHR: u8 = 2;
pub const DT_DIR: u8 = 4;
pub const DT_BLK: u8 = 6;
pub const DT_REG: u8 = 8;
pub const DT_LNK: u8 = 10;
pub const DT_SOCK: u8 = 12;

/// The offset of `d_name` in `struct linux_dirent64`, after `d_ino` (u64), `d_off`
/// (i64), `d_reclen` (u16) and `d_type` (u8).
pub const DIRENT64_NAME_OFFSET: usize = 19;

/// The record length of a `linux_dirent64` holding a name of `name_len` bytes: the
/// header, the name and its NUL, rounded up to 8 bytes.
pub const fn dirent64_len(name_len: usize) -> usize {
    (DIRENT64_NAME_OFFSET + name_len + 1).next_multiple_of(8)
}

/// Writes one `linux_dirent64` record (for `getdents64`) at the start of `buffer`;
/// `next_offset` is the `d_off` a later `lseek` uses to resume after this entry.
/// Returns the record length, or `None` when it does not fit (or the name is too long
/// for `d_reclen`); the padding after the name is zeroed.
pub fn write_dirent64(buffer: &mut [u8], ino: u64, next_offset: i64, d_type: u8, name: &[u8]) -> Option<usize> {
    let len = dirent64_len(name.len());
    let reclen = u16::try_from(len).ok()?;
    let record = buffer.get_mut(..len)?;
    record[0..8].copy_from_slice(&ino.to_le_bytes());
    record[8..16].copy_from_slice(&next_offset.to_le_bytes());
    record[16..18].copy_from_slice(&reclen.to_le_bytes());
    record[18] = d_type;
    let (name_field, padding) = record[DIRENT64_NAME_OFFSET..].split_at_mut(name.len());
    name_field.copy_from_slice(name);
    padding.fill(0);
    Some(len)
}

// poll(2) events.
pub const POLLIN: i16 = 0x1;
pub const POLLPRI: i16 = 0x2;
pub const POLLOUT: i16 = 0x4;
pub const POLLERR: i16 = 0x8;
pub const POLLHUP: i16 = 0x10;
pub const POLLNVAL: i16 = 0x20;
pub const POLLRDNORM: i16 = 0x40;
pub const POLLRDBAND: i16 = 0x80;
pub const POLLWRNORM: i16 = 0x100;
pub const POLLWRBAND: i16 = 0x200;
/// The peer shut down writing, or closed (sockets).
pub const POLLRDHUP: i16 = 0x2000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_linux_values() {
        let pairs: &[(u32, libc::c_int, &str)] = &[
            (O_RDONLY, libc::O_RDONLY, "O_RDONLY"),
            (O_WRONLY, libc::O_WRONLY, "O_WRONLY"),
            (O_RDWR, libc::O_RDWR, "O_RDWR"),
            (O_ACCMODE, libc::O_ACCMODE, "O_ACCMODE"),
            (O_CREAT, libc::O_CREAT, "O_CREAT"),
            (O_EXCL, libc::O_EXCL, "O_EXCL"),
            (O_NOCTTY, libc::O_NOCTTY, "O_NOCTTY"),
            (O_TRUNC, libc::O_TRUNC, "O_TRUNC"),
            (O_APPEND, libc::O_APPEND, "O_APPEND"),
            (O_NONBLOCK, libc::O_NONBLOCK, "O_NONBLOCK"),
            (O_DSYNC, libc::O_DSYNC, "O_DSYNC"),
            (O_DIRECT, libc::O_DIRECT, "O_DIRECT"),
            (O_DIRECTORY, libc::O_DIRECTORY, "O_DIRECTORY"),
            (O_NOFOLLOW, libc::O_NOFOLLOW, "O_NOFOLLOW"),
            (O_NOATIME, libc::O_NOATIME, "O_NOATIME"),
            (O_CLOEXEC, libc::O_CLOEXEC, "O_CLOEXEC"),
            (O_SYNC, libc::O_SYNC, "O_SYNC"),
            (O_PATH, libc::O_PATH, "O_PATH"),
            (O_TMPFILE, libc::O_TMPFILE, "O_TMPFILE"),
            (AT_SYMLINK_NOFOLLOW, libc::AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW"),
            (AT_REMOVEDIR, libc::AT_REMOVEDIR, "AT_REMOVEDIR"),
            (AT_EACCESS, libc::AT_EACCESS, "AT_EACCESS"),
            (AT_SYMLINK_FOLLOW, libc::AT_SYMLINK_FOLLOW, "AT_SYMLINK_FOLLOW"),
            (AT_NO_AUTOMOUNT, libc::AT_NO_AUTOMOUNT, "AT_NO_AUTOMOUNT"),
            (AT_EMPTY_PATH, libc::AT_EMPTY_PATH, "AT_EMPTY_PATH"),
            (XATTR_CREATE, libc::XATTR_CREATE, "XATTR_CREATE"),
            (XATTR_REPLACE, libc::XATTR_REPLACE, "XATTR_REPLACE"),
            (F_DUPFD, libc::F_DUPFD, "F_DUPFD"),
            (F_GETFD, libc::F_GETFD, "F_GETFD"),
            (F_SETFD, libc::F_SETFD, "F_SETFD"),
            (F_GETFL, libc::F_GETFL, "F_GETFL"),
            (F_SETFL, libc::F_SETFL, "F_SETFL"),
            (F_GETLK, libc::F_GETLK, "F_GETLK"),
            (F_SETLK, libc::F_SETLK, "F_SETLK"),
            (F_SETLKW, libc::F_SETLKW, "F_SETLKW"),
            (F_DUPFD_CLOEXEC, libc::F_DUPFD_CLOEXEC, "F_DUPFD_CLOEXEC"),
            (FD_CLOEXEC, libc::FD_CLOEXEC, "FD_CLOEXEC"),
            (SEEK_SET, libc::SEEK_SET, "SEEK_SET"),
            (SEEK_CUR, libc::SEEK_CUR, "SEEK_CUR"),
            (SEEK_END, libc::SEEK_END, "SEEK_END"),
            (SEEK_DATA, libc::SEEK_DATA, "SEEK_DATA"),
            (F_OK, libc::F_OK, "F_OK"),
            (X_OK, libc::X_OK, "X_OK"),
            (W_OK, libc::W_OK, "W_OK"),
            (R_OK, libc::R_OK, "R_OK"),
        ];
        for &(ours, linux, name) in pairs {
            assert_eq!(ours, linux as u32, "{name}");
        }
        assert_eq!(AT_FDCWD, libc::AT_FDCWD);
    }

    #[test]
    fn mode_bits_and_types_are_linux_values() {
        let modes = [
            (S_IFMT, libc::S_IFMT),
            (S_IFSOCK, libc::S_IFSOCK),
            (S_IFLNK, libc::S_IFLNK),
            (S_IFREG, libc::S_IFREG),
            (S_IFBLK, libc::S_IFBLK),
            (S_IFDIR, libc::S_IFDIR),
            (S_IFCHR, libc::S_IFCHR),
            (S_IFIFO, libc::S_IFIFO),
            (S_ISUID, libc::S_ISUID),
            (S_ISGID, libc::S_ISGID),
            (S_ISVTX, libc::S_ISVTX),
            (S_IXGRP, libc::S_IXGRP),
            (RENAME_NOREPLACE, libc::RENAME_NOREPLACE),
            (RENAME_EXCHANGE, libc::RENAME_EXCHANGE),
        ];
        for (ours, linux) in modes {
            assert_eq!(ours, linux);
        }
        let types = [
            (DT_UNKNOWN, libc::DT_UNKNOWN),
            (DT_FIFO, libc::DT_FIFO),
            (DT_CHR, libc::DT_CHR),
            (DT_DIR, libc::DT_DIR),
            (DT_BLK, libc::DT_BLK),
            (DT_REG, libc::DT_REG),
            (DT_LNK, libc::DT_LNK),
            (DT_SOCK, libc::DT_SOCK),
        ];
        for (ours, linux) in types {
            assert_eq!(ours, linux);
        }
        let events = [
            (POLLIN, libc::POLLIN),
            (POLLPRI, libc::POLLPRI),
            (POLLOUT, libc::POLLOUT),
            (POLLERR, libc::POLLERR),
            (POLLHUP, libc::POLLHUP),
            (POLLNVAL, libc::POLLNVAL),
            (POLLRDNORM, libc::POLLRDNORM),
            (POLLRDBAND, libc::POLLRDBAND),
            (POLLWRNORM, libc::POLLWRNORM),
            (POLLWRBAND, libc::POLLWRBAND),
            (POLLRDHUP, libc::POLLRDHUP),
        ];
        for (ours, linux) in events {
            assert_eq!(ours, linux);
        }
    }

    #[test]
    fn dirent64_records_have_the_linux_layout() {
        assert_eq!(DIRENT64_NAME_OFFSET, core::mem::offset_of!(libc::dirent64, d_name));
        let mut buffer = [0xaa; 64];
        let len = write_dirent64(&mut buffer, 7, 3, DT_REG, b"hello").unwrap();
        assert_eq!(len, 32);
        assert_eq!(buffer[0..8], 7u64.to_le_bytes());
        assert_eq!(buffer[8..16], 3i64.to_le_bytes());
        assert_eq!(buffer[16..18], 32u16.to_le_bytes());
        assert_eq!(buffer[18], DT_REG);
        assert_eq!(&buffer[19..25], b"hello\0");
        assert!(buffer[25..32].iter().all(|&b| b == 0));
        assert_eq!(buffer[32], 0xaa, "nothing written past the record");
        assert_eq!(write_dirent64(&mut buffer[..31], 7, 3, DT_REG, b"hello"), None);
        assert_eq!(dirent64_len(4), 24, "19 + 4 + NUL = 24");
        assert_eq!(dirent64_len(5), 32);
    }
}
