//! What `ls`, `stat` and `find` say about a file's mode: `drwxr-xr-x`, the type's
//! name, and device numbers as major and minor.
use std::fs::Metadata;
use std::os::unix::fs::MetadataExt;

// File-type bits of st_mode, as Linux defines them.
pub const TYPE_MASK: u32 = 0o170_000;
pub const TYPE_SOCKET: u32 = 0o140_000;
pub const TYPE_SYMLINK: u32 = 0o120_000;
pub const TYPE_REGULAR: u32 = 0o100_000;
pub const TYPE_BLOCK_DEVICE: u32 = 0o060_000;
pub const TYPE_DIRECTORY: u32 = 0o040_000;
pub const TYPE_CHAR_DEVICE: u32 = 0o020_000;
pub const TYPE_FIFO: u32 = 0o010_000;
const SET_UID: u32 = 0o4000;
const SET_GID: u32 = 0o2000;
const STICKY: u32 = 0o1000;

/// The letter `ls -l` shows for the file type (`find -type` takes the same ones).
pub fn type_letter(mode: u32) -> char {
    match mode & TYPE_MASK {
        TYPE_DIRECTORY => 'd',
        TYPE_SYMLINK => 'l',
        TYPE_CHAR_DEVICE => 'c',
        TYPE_BLOCK_DEVICE => 'b',
        TYPE_FIFO => 'p',
        TYPE_SOCKET => 's',
        TYPE_REGULAR => '-',
        _ => '?',
    }
}

/// `drwxr-xr-x`: the file type, then read/write/execute for owner, group and others,
/// with set-user-ID, set-group-ID and sticky shown as s/S and t/T in the execute places.
pub fn mode_string(mode: u32) -> String {
    let mut text = String::from(type_letter(mode));
    let classes = [(6, SET_UID, 's'), (3, SET_GID, 's'), (0, STICKY, 't')];
    for (shift, special_bit, special_char) in classes {
        let bits = (mode >> shift) & 0o7;
        text.push(if bits & 0o4 != 0 { 'r' } else { '-' });
        text.push(if bits & 0o2 != 0 { 'w' } else { '-' });
        let execute = bits & 0o1 != 0;
        text.push(match (mode & special_bit != 0, execute) {
            (true, true) => special_char,
            (true, false) => special_char.to_ascii_uppercase(),
            (false, true) => 'x',
            (false, false) => '-',
        });
    }
    text
}

/// The file type as `stat` names it.
pub fn type_name(metadata: &Metadata) -> &'static str {
    match metadata.mode() & TYPE_MASK {
        TYPE_REGULAR if metadata.size() == 0 => "regular empty file",
        TYPE_REGULAR => "regular file",
        TYPE_DIRECTORY => "directory",
        TYPE_SYMLINK => "symbolic link",
        TYPE_CHAR_DEVICE => "character special file",
        TYPE_BLOCK_DEVICE => "block special file",
        TYPE_FIFO => "fifo",
        TYPE_SOCKET => "socket",
        _ => "weird file",
    }
}

/// Whether the mode is a character or block device's.
pub fn is_device(mode: u32) -> bool {
    matches!(mode & TYPE_MASK, TYPE_CHAR_DEVICE | TYPE_BLOCK_DEVICE)
}

/// A device number's major and minor halves, in Linux's (glibc's and musl's) encoding.
pub fn major_minor(device: u64) -> (u64, u64) {
    let major = ((device >> 8) & 0xfff) | ((device >> 32) & 0xffff_f000);
    let minor = (device & 0xff) | ((device >> 12) & 0xffff_ff00);
    (major, minor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_strings() {
        assert_eq!(mode_string(TYPE_DIRECTORY | 0o755), "drwxr-xr-x");
        assert_eq!(mode_string(TYPE_REGULAR | 0o644), "-rw-r--r--");
        assert_eq!(mode_string(TYPE_SYMLINK | 0o777), "lrwxrwxrwx");
        assert_eq!(mode_string(TYPE_CHAR_DEVICE | 0o620), "crw--w----");
        assert_eq!(mode_string(TYPE_BLOCK_DEVICE | 0o660), "brw-rw----");
        assert_eq!(mode_string(TYPE_FIFO | 0o600), "prw-------");
        assert_eq!(mode_string(TYPE_SOCKET | 0o777), "srwxrwxrwx");
        assert_eq!(mode_string(0o000), "?---------");
    }

    #[test]
    fn special_bits() {
        assert_eq!(mode_string(TYPE_REGULAR | SET_UID | 0o755), "-rwsr-xr-x");
        assert_eq!(mode_string(TYPE_REGULAR | SET_UID | 0o644), "-rwSr--r--");
        assert_eq!(mode_string(TYPE_REGULAR | SET_GID | 0o755), "-rwxr-sr-x");
        assert_eq!(mode_string(TYPE_REGULAR | SET_GID | 0o640), "-rw-r-S---");
        assert_eq!(mode_string(TYPE_DIRECTORY | STICKY | 0o777), "drwxrwxrwt");
        assert_eq!(mode_string(TYPE_DIRECTORY | STICKY | 0o770), "drwxrwx--T");
    }

    #[test]
    fn device_numbers() {
        assert_eq!(major_minor(0x0103), (1, 3));
        assert_eq!(major_minor(0x8801), (136, 1));
        assert_eq!(major_minor(libc::makedev(0x12345, 0x6789a)), (0x12345, 0x6789a));
        assert!(is_device(TYPE_CHAR_DEVICE | 0o666) && !is_device(TYPE_REGULAR));
    }

    #[test]
    fn type_names() {
        let dir = std::fs::metadata("/").unwrap();
        assert_eq!(type_name(&dir), "directory");
        assert_eq!(type_letter(dir.mode()), 'd');
    }
}
