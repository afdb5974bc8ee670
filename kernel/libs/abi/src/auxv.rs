//! Auxiliary-vector keys (`AT_*` in `linux/auxvec.h`): the (key, value) pairs the
//! initial process stack carries after envp, ending with `AT_NULL`.

/// The end of the vector.
pub const AT_NULL: u64 = 0;
pub const AT_IGNORE: u64 = 1;
pub const AT_EXECFD: u64 = 2;
/// The user address of the program headers.
pub const AT_PHDR: u64 = 3;
/// The size of one program header.
pub const AT_PHENT: u64 = 4;
/// The number of program headers.
pub const AT_PHNUM: u64 = 5;
pub const AT_PAGESZ: u64 = 6;
/// The interpreter's load address (0 without an interpreter).
pub const AT_BASE: u64 = 7;
pub const AT_FLAGS: u64 = 8;
/// The program's entry point.
pub const AT_ENTRY: u64 = 9;
pub const AT_NOTELF: u64 = 10;
pub const AT_UID: u64 = 11;
pub const AT_EUID: u64 = 12;
pub const AT_GID: u64 = 13;
pub const AT_EGID: u64 = 14;
/// The user address of the platform string ("x86_64").
pub const AT_PLATFORM: u64 = 15;
/// CPU feature bits (on x86, CPUID.1:EDX).
pub const AT_HWCAP: u64 = 16;
/// The frequency `times()` counts in.
pub const AT_CLKTCK: u64 = 17;
/// Nonzero when the program runs set-id.
pub const AT_SECURE: u64 = 23;
pub const AT_BASE_PLATFORM: u64 = 24;
/// The user address of 16 random bytes (libcs seed stack protectors from them).
pub const AT_RANDOM: u64 = 25;
pub const AT_HWCAP2: u64 = 26;
/// The user address of the file name given to execve.
pub const AT_EXECFN: u64 = 31;
pub const AT_SYSINFO_EHDR: u64 = 33;
pub const AT_MINSIGSTKSZ: u64 = 51;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_linux_values() {
        let pairs = [
            (AT_NULL, libc::AT_NULL),
            (AT_IGNORE, libc::AT_IGNORE),
            (AT_EXECFD, libc::AT_EXECFD),
            (AT_PHDR, libc::AT_PHDR),
            (AT_PHENT, libc::AT_PHENT),
            (AT_PHNUM, libc::AT_PHNUM),
            (AT_PAGESZ, libc::AT_PAGESZ),
            (AT_BASE, libc::AT_BASE),
            (AT_FLAGS, libc::AT_FLAGS),
            (AT_ENTRY, libc::AT_ENTRY),
            (AT_NOTELF, libc::AT_NOTELF),
            (AT_UID, libc::AT_UID),
            (AT_EUID, libc::AT_EUID),
            (AT_GID, libc::AT_GID),
            (AT_EGID, libc::AT_EGID),
            (AT_PLATFORM, libc::AT_PLATFORM),
            (AT_HWCAP, libc::AT_HWCAP),
            (AT_CLKTCK, libc::AT_CLKTCK),
            (AT_SECURE, libc::AT_SECURE),
            (AT_BASE_PLATFORM, libc::AT_BASE_PLATFORM),
            (AT_RANDOM, libc::AT_RANDOM),
            (AT_HWCAP2, libc::AT_HWCAP2),
            (AT_EXECFN, libc::AT_EXECFN),
            (AT_SYSINFO_EHDR, libc::AT_SYSINFO_EHDR),
            (AT_MINSIGSTKSZ, libc::AT_MINSIGSTKSZ),
        ];
        for (ours, linux) in pairs {
            assert_eq!(ours, linux);
        }
    }
}
