//! Memory-management ABI constants: the page size, and the `mmap`, `mprotect`,
//! `mremap`, `madvise` and `msync` flags.

/// The page size user space is told about (`AT_PAGESZ`).
pub const PAGE_SIZE: u64 = 4096;

// Protection bits (mmap, mprotect).
pub const PROT_NONE: u32 = 0;
pub const PROT_READ: u32 = 0x1;
pub const PROT_WRITE: u32 = 0x2;
pub const PROT_EXEC: u32 = 0x4;

// mmap flags.
pub const MAP_SHARED: u32 = 0x1;
pub const MAP_PRIVATE: u32 = 0x2;
pub const MAP_SHARED_VALIDATE: u32 = 0x3;
/// Mask of the mapping type (`MAP_SHARED`, `MAP_PRIVATE`, `MAP_SHARED_VALIDATE`).
pub const MAP_TYPE: u32 = 0xf;
pub const MAP_FIXED: u32 = 0x10;
pub const MAP_ANONYMOUS: u32 = 0x20;
pub const MAP_GROWSDOWN: u32 = 0x100;
pub const MAP_DENYWRITE: u32 = 0x800;
pub const MAP_EXECUTABLE: u32 = 0x1000;
pub const MAP_LOCKED: u32 = 0x2000;
pub const MAP_NORESERVE: u32 = 0x4000;
pub const MAP_POPULATE: u32 = 0x8000;
pub const MAP_NONBLOCK: u32 = 0x10000;
pub const MAP_STACK: u32 = 0x20000;
pub const MAP_HUGETLB: u32 = 0x40000;
pub const MAP_FIXED_NOREPLACE: u32 = 0x100000;
pub const MAP_UNINITIALIZED: u32 = 0x4000000;
/// The flags every kernel took before `MAP_SHARED_VALIDATE` (Linux's
/// LEGACY_MAP_MASK): with `MAP_SHARED_VALIDATE` any other flag is EOPNOTSUPP.
pub const MAP_LEGACY_MASK: u32 = MAP_SHARED
    | MAP_PRIVATE
    | MAP_FIXED
    | MAP_ANONYMOUS
    | MAP_DENYWRITE
    | MAP_EXECUTABLE
    | MAP_UNINITIALIZED
    | MAP_GROWSDOWN
    | MAP_LOCKED
    | MAP_NORESERVE
    | MAP_POPULATE
    | MAP_NONBLOCK
    | MAP_STACK
    | MAP_HUGETLB;

// mremap flags.
pub const MREMAP_MAYMOVE: u32 = 1;
pub const MREMAP_FIXED: u32 = 2;

// madvise advice.
pub const MADV_NORMAL: u32 = 0;
pub const MADV_RANDOM: u32 = 1;
pub const MADV_SEQUENTIAL: u32 = 2;
pub const MADV_WILLNEED: u32 = 3;
pub const MADV_DONTNEED: u32 = 4;
pub const MADV_FREE: u32 = 8;
pub const MADV_DONTFORK: u32 = 10;
pub const MADV_DOFORK: u32 = 11;
pub const MADV_MERGEABLE: u32 = 12;
pub const MADV_UNMERGEABLE: u32 = 13;
pub const MADV_HUGEPAGE: u32 = 14;
pub const MADV_NOHUGEPAGE: u32 = 15;
pub const MADV_DONTDUMP: u32 = 16;
pub const MADV_DODUMP: u32 = 17;
pub const MADV_COLD: u32 = 20;
pub const MADV_PAGEOUT: u32 = 21;

// msync flags.
pub const MS_ASYNC: u32 = 1;
pub const MS_INVALIDATE: u32 = 2;
pub const MS_SYNC: u32 = 4;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_linux_values() {
        let pairs: &[(u32, libc::c_int, &str)] = &[
            (PROT_NONE, libc::PROT_NONE, "PROT_NONE"),
            (PROT_READ, libc::PROT_READ, "PROT_READ"),
            (PROT_WRITE, libc::PROT_WRITE, "PROT_WRITE"),
            (PROT_EXEC, libc::PROT_EXEC, "PROT_EXEC"),
            (MAP_SHARED, libc::MAP_SHARED, "MAP_SHARED"),
            (MAP_PRIVATE, libc::MAP_PRIVATE, "MAP_PRIVATE"),
            (MAP_SHARED_VALIDATE, libc::MAP_SHARED_VALIDATE, "MAP_SHARED_VALIDATE"),
            (MAP_TYPE, libc::MAP_TYPE, "MAP_TYPE"),
            (MAP_FIXED, libc::MAP_FIXED, "MAP_FIXED"),
            (MAP_ANONYMOUS, libc::MAP_ANONYMOUS, "MAP_ANONYMOUS"),
            (MAP_GROWSDOWN, libc::MAP_GROWSDOWN, "MAP_GROWSDOWN"),
            (MAP_DENYWRITE, libc::MAP_DENYWRITE, "MAP_DENYWRITE"),
            (MAP_EXECUTABLE, libc::MAP_EXECUTABLE, "MAP_EXECUTABLE"),
            (MAP_LOCKED, libc::MAP_LOCKED, "MAP_LOCKED"),
            (MAP_NORESERVE, libc::MAP_NORESERVE, "MAP_NORESERVE"),
            (MAP_POPULATE, libc::MAP_POPULATE, "MAP_POPULATE"),
            (MAP_NONBLOCK, libc::MAP_NONBLOCK, "MAP_NONBLOCK"),
            (MAP_STACK, libc::MAP_STACK, "MAP_STACK"),
            (MAP_HUGETLB, libc::MAP_HUGETLB, "MAP_HUGETLB"),
            (MAP_FIXED_NOREPLACE, libc::MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE"),
            (MREMAP_MAYMOVE, libc::MREMAP_MAYMOVE, "MREMAP_MAYMOVE"),
            (MREMAP_FIXED, libc::MREMAP_FIXED, "MREMAP_FIXED"),
            (MADV_NORMAL, libc::MADV_NORMAL, "MADV_NORMAL"),
            (MADV_RANDOM, libc::MADV_RANDOM, "MADV_RANDOM"),
            (MADV_SEQUENTIAL, libc::MADV_SEQUENTIAL, "MADV_SEQUENTIAL"),
            (MADV_WILLNEED, libc::MADV_WILLNEED, "MADV_WILLNEED"),
            (MADV_DONTNEED, libc::MADV_DONTNEED, "MADV_DONTNEED"),
            (MADV_FREE, libc::MADV_FREE, "MADV_FREE"),
            (MADV_DONTFORK, libc::MADV_DONTFORK, "MADV_DONTFORK"),
            (MADV_DOFORK, libc::MADV_DOFORK, "MADV_DOFORK"),
            (MADV_MERGEABLE, libc::MADV_MERGEABLE, "MADV_MERGEABLE"),
            (MADV_UNMERGEABLE, libc::MADV_UNMERGEABLE, "MADV_UNMERGEABLE"),
            (MADV_HUGEPAGE, libc::MADV_HUGEPAGE, "MADV_HUGEPAGE"),
            (MADV_NOHUGEPAGE, libc::MADV_NOHUGEPAGE, "MADV_NOHUGEPAGE"),
            (MADV_DONTDUMP, libc::MADV_DONTDUMP, "MADV_DONTDUMP"),
            (MADV_DODUMP, libc::MADV_DODUMP, "MADV_DODUMP"),
            (MADV_COLD, libc::MADV_COLD, "MADV_COLD"),
            (MADV_PAGEOUT, libc::MADV_PAGEOUT, "MADV_PAGEOUT"),
            (MS_ASYNC, libc::MS_ASYNC, "MS_ASYNC"),
            (MS_INVALIDATE, libc::MS_INVALIDATE, "MS_INVALIDATE"),
            (MS_SYNC, libc::MS_SYNC, "MS_SYNC"),
        ];
        for &(ours, linux, name) in pairs {
            assert_eq!(ours, linux as u32, "{name}");
        }
    }
}
