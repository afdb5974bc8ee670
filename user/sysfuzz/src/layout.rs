//! Where a worker's fuzzing material lives, as constants shared by the generator
//! (which must name real addresses and descriptors) and the worker (which sets them
//! up): the arena of scratch pages at a fixed address with its guard page, the
//! strings and small structures at known offsets in it, and the numbers of the
//! descriptor pool, its backups and the record file.
use crate::prng::Rng;

pub const PAGE: u64 = 4096;

/// The arena: mapped by each worker at this fixed address, which neither Kestrel
/// (program at 0x5555_5555_4000, mappings down from below the stack) nor Linux
/// uses, so that the generated pointers are the same in every run.
pub const ARENA_BASE: u64 = 0x6000_0000_0000;
pub const ARENA_PAGES: u64 = 8;
pub const ARENA_LEN: u64 = ARENA_PAGES * PAGE;
pub const ARENA_END: u64 = ARENA_BASE + ARENA_LEN;
/// The first pages of the arena: the scratch buffer the valid pointers point into.
pub const SCRATCH_PAGES: u64 = 4;
pub const SCRATCH_LEN: u64 = SCRATCH_PAGES * PAGE;
/// The page after the scratch buffer, made inaccessible (PROT_NONE); the pages
/// after it are spare, mapped and zero, for the memory calls to play with.
pub const GUARD_PAGE: u64 = ARENA_BASE + SCRATCH_LEN;
/// The last byte before the guard page.
pub const GUARD_EDGE: u64 = GUARD_PAGE - 1;

/// Offsets in the scratch buffer of the NUL-terminated paths.
pub const FUZZ_FILE_PATH: u64 = 0;
pub const DEV_NULL_PATH: u64 = 32;
pub const ROOT_PATH: u64 = 48;
pub const DOT_PATH: u64 = 56;
/// The paths, at their offsets, NUL included.
pub const PATHS: [(u64, &[u8]); 4] =
    [(FUZZ_FILE_PATH, b"/tmp/fuzz-file\0"), (DEV_NULL_PATH, b"/dev/null\0"), (ROOT_PATH, b"/\0"), (DOT_PATH, b".\0")];
/// 256 zero bytes: an empty signal set, a zero timespec, a null argv.
pub const ZEROS: u64 = 512;
/// Two iovecs of 64 bytes, into scratch pages 2 and 3.
pub const IOVECS: u64 = 768;
/// A timespec of one millisecond.
pub const TIMESPEC: u64 = 800;
/// An argv: the address of the /tmp/fuzz-file path, then NULL.
pub const ARGV: u64 = 816;
/// The one path an execve may be given, /bin/true: the worker writes it here just
/// before an exec call and clears it after, so no other call ever finds it.
pub const EXEC_PATH: u64 = 1024;
pub const EXEC_PATH_TEXT: &[u8] = b"/bin/true\0";
/// Page 0 of the scratch buffer holds the above and zeros; pages 1 to 3 are random.
pub const RANDOM_FROM: u64 = PAGE;

/// The address of `offset` in the scratch buffer.
pub const fn scratch(offset: u64) -> u64 {
    ARENA_BASE + offset
}

/// Whether `addr` is in the arena.
pub fn in_arena(addr: u64) -> bool {
    (ARENA_BASE..ARENA_END).contains(&addr)
}

/// Writes the scratch buffer's contents into `buffer` (SCRATCH_LEN bytes): the
/// structured first page, then random bytes from `rng`.
pub fn fill_scratch(buffer: &mut [u8], rng: &mut Rng) {
    assert_eq!(buffer.len() as u64, SCRATCH_LEN, "the scratch buffer's size");
    let (first, rest) = buffer.split_at_mut(RANDOM_FROM as usize);
    first.fill(0);
    for (offset, path) in PATHS {
        put(first, offset, path);
    }
    let iovecs = [scratch(2 * PAGE), 64, scratch(3 * PAGE), 64];
    for (i, word) in iovecs.into_iter().enumerate() {
        put(first, IOVECS + 8 * i as u64, &word.to_le_bytes());
    }
    put(first, TIMESPEC, &0u64.to_le_bytes());
    put(first, TIMESPEC + 8, &1_000_000u64.to_le_bytes());
    put(first, ARGV, &scratch(FUZZ_FILE_PATH).to_le_bytes());
    rng.fill_bytes(rest);
}

fn put(page: &mut [u8], offset: u64, bytes: &[u8]) {
    let at = offset as usize;
    page[at..at + bytes.len()].copy_from_slice(bytes);
}

/// The kinds of descriptor in the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FdKind {
    RegularFile,
    Directory,
    DevNull,
    DevZero,
    DevFull,
    DevUrandom,
    /// Opened read-only, so that no call can write garbage to the console.
    Tty,
    PipeRead,
    PipeWrite,
    ProcStat,
}

impl FdKind {
    /// What the descriptor is, for the start-up line.
    pub fn describe(self) -> &'static str {
        match self {
            Self::RegularFile => FUZZ_FILE,
            Self::Directory => WORK_DIR,
            Self::DevNull => "/dev/null",
            Self::DevZero => "/dev/zero",
            Self::DevFull => "/dev/full",
            Self::DevUrandom => "/dev/urandom",
            Self::Tty => "/dev/tty",
            Self::PipeRead => "pipe-read",
            Self::PipeWrite => "pipe-write",
            Self::ProcStat => "/proc/self/stat",
        }
    }
}

/// The pool: each worker has these descriptors at these numbers (the supervisor
/// opens them once; the workers copy them from the backups).
pub const POOL_FDS: [(i32, FdKind); 10] = [
    (3, FdKind::RegularFile),
    (4, FdKind::Directory),
    (5, FdKind::DevNull),
    (6, FdKind::DevZero),
    (7, FdKind::DevFull),
    (8, FdKind::DevUrandom),
    (9, FdKind::Tty),
    (10, FdKind::PipeRead),
    (11, FdKind::PipeWrite),
    (12, FdKind::ProcStat),
];
/// The pool number of `kind`.
pub fn pool_fd(kind: FdKind) -> i32 {
    POOL_FDS.iter().find(|&&(_, k)| k == kind).map(|&(fd, _)| fd).expect("every kind is in the pool")
}

/// The first number past the pool: descriptors the calls open land here (or on 0).
pub const POOL_END: i32 = 13;
/// Pool descriptor `fd` is kept at `BACKUP_FD_BASE + fd`, where no generated call
/// reaches it, and copied back from there.
pub const BACKUP_FD_BASE: i32 = 900;
/// A number in range that is never open.
pub const CLOSED_FD: i32 = 999;
/// The worker's record file (out of the pool's reach).
pub const RECORD_FD: i32 = 1000;
/// Where a replayed call's result goes (a pipe to the replaying parent).
pub const REPLAY_RESULT_FD: i32 = 1001;

/// The pool's regular file, which the path at FUZZ_FILE_PATH also names.
pub const FUZZ_FILE: &str = "/tmp/fuzz-file";
/// The workers' current directory, removed at the end.
pub const WORK_DIR: &str = "/tmp/sysfuzz-dir";

/// The record file of worker `worker`.
pub fn record_path(worker: u32) -> String {
    format!("/tmp/sysfuzz-{worker}.rec")
}

// The layout's invariants, checked when it compiles: the arena is page aligned,
// clear of the program (0x5555_5555_4000) and of the mappings below the stack; the
// guard page has spare pages after it; the structures do not overlap; the
// descriptor numbers are apart and under Kestrel's limit of 1024.
const _: () = {
    assert!(ARENA_BASE.is_multiple_of(PAGE));
    assert!(ARENA_BASE > 0x5600_0000_0000 && ARENA_END < 0x7fff_0000_0000);
    assert!(GUARD_PAGE + PAGE < ARENA_END);
    assert!(ZEROS + 256 <= IOVECS && IOVECS + 32 <= TIMESPEC && TIMESPEC + 16 <= ARGV && ARGV + 16 <= EXEC_PATH);
    assert!(EXEC_PATH + EXEC_PATH_TEXT.len() as u64 <= RANDOM_FROM);
    assert!(BACKUP_FD_BASE + POOL_END < CLOSED_FD && CLOSED_FD < RECORD_FD && REPLAY_RESULT_FD < 1024);
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scratch_buffer_holds_its_strings_and_structures() {
        let mut buffer = vec![0u8; SCRATCH_LEN as usize];
        fill_scratch(&mut buffer, &mut Rng::from_seed(1));
        let string_at = |offset: u64| {
            let bytes = &buffer[offset as usize..];
            &bytes[..=bytes.iter().position(|&b| b == 0).unwrap()]
        };
        for (offset, path) in PATHS {
            assert_eq!(string_at(offset), path);
        }
        let word = |offset: u64| u64::from_le_bytes(buffer[offset as usize..offset as usize + 8].try_into().unwrap());
        assert_eq!(word(IOVECS), scratch(2 * PAGE));
        assert_eq!(word(IOVECS + 24), 64);
        assert_eq!(word(TIMESPEC + 8), 1_000_000);
        assert_eq!((word(ARGV), word(ARGV + 8)), (scratch(FUZZ_FILE_PATH), 0));
        assert!(buffer[ZEROS as usize..ZEROS as usize + 256].iter().all(|&b| b == 0));
        assert!(buffer[EXEC_PATH as usize..RANDOM_FROM as usize].iter().all(|&b| b == 0), "no exec path at rest");
        assert!(buffer[RANDOM_FROM as usize..].iter().filter(|&&b| b != 0).count() > 12_000);
    }

    #[test]
    fn pool_numbers_are_in_order_and_apart() {
        for (i, (fd, _)) in POOL_FDS.iter().enumerate() {
            assert_eq!(*fd, POOL_FDS[0].0 + i as i32);
        }
        assert_eq!(POOL_FDS.last().unwrap().0 + 1, POOL_END);
    }
}
