//! Host tests of what execve decides before planning: the interpreter's path
//! (`PT_INTERP`, checked as Linux's `load_elf_binary` does), the errno of each fault
//! for the program and for its interpreter, and the extent and placement of a
//! position-independent object; property tests over damaged and arbitrary input.

mod common;

use common::{EHDR_SIZE, ET_DYN, ET_EXEC, LIMITS, PF_R, PF_W, PF_X, PHDR_SIZE, PT_INTERP, Phdr, elf, load};
use elf_plan::{Elf, Extent, PAGE_SIZE, PATH_MAX, PlanError, Role};
use kabi::Errno;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm};

/// Where the path goes in the files of these tests: after two program headers.
const PATH_AT: u64 = (EHDR_SIZE + 2 * PHDR_SIZE) as u64;

/// An ET_EXEC program whose `PT_INTERP` holds `filesz` bytes at `offset`, the file
/// holding `path` there.
fn with_interp(path: &[u8], offset: u64, filesz: u64) -> Vec<u8> {
    let phdrs = [
        Phdr {
            kind: PT_INTERP,
            flags: PF_R,
            offset,
            vaddr: 0x40_0000u64.wrapping_add(offset),
            filesz,
            memsz: filesz,
            align: 1,
        },
        load(PF_R | PF_X, 0, 0x40_0000, 0x1000, 0x1000),
    ];
    let mut file = elf(ET_EXEC, 0x40_0100, &phdrs, 0x1000.max(PATH_AT as usize + path.len()));
    file[PATH_AT as usize..PATH_AT as usize + path.len()].copy_from_slice(path);
    file
}

fn interpreter_of(file: &[u8]) -> Result<Option<Vec<u8>>, PlanError> {
    Elf::parse(file)?.interpreter().map(|path| path.map(<[u8]>::to_vec))
}

#[test]
fn the_interpreter_path_is_read_as_linux_reads_it() {
    let path = b"/lib/ld-musl-x86_64.so.1\0";
    let file = with_interp(path, PATH_AT, path.len() as u64);
    assert_eq!(interpreter_of(&file), Ok(Some(b"/lib/ld-musl-x86_64.so.1".to_vec())));
    // The string ends at its first NUL; only the last byte must be one.
    let file = with_interp(b"/a\0junk\0", PATH_AT, 8);
    assert_eq!(interpreter_of(&file), Ok(Some(b"/a".to_vec())));
    // Two bytes is the least, PATH_MAX the most.
    assert_eq!(interpreter_of(&with_interp(b"x\0", PATH_AT, 2)), Ok(Some(b"x".to_vec())));
    let mut longest = vec![b'a'; PATH_MAX as usize];
    *longest.last_mut().unwrap() = 0;
    let file = with_interp(&longest, PATH_AT, PATH_MAX);
    assert_eq!(interpreter_of(&file).unwrap().unwrap().len(), PATH_MAX as usize - 1);
    // A static program has none.
    assert_eq!(
        interpreter_of(&elf(ET_EXEC, 0x40_0000, &[load(PF_R | PF_X, 0, 0x40_0000, 0x100, 0x100)], 0x100)),
        Ok(None)
    );
}

#[test]
fn a_bad_interpreter_path_is_enoexec_or_eio() {
    let bad = |file: &[u8]| interpreter_of(file).unwrap_err();
    let no_nul = bad(&with_interp(b"/lib/ld.so", PATH_AT, 10));
    assert_eq!(no_nul, PlanError::BadInterpreterPath("not NUL-terminated"));
    assert_eq!(bad(&with_interp(b"\0", PATH_AT, 1)), PlanError::BadInterpreterPath("not 2 to PATH_MAX bytes"));
    assert_eq!(bad(&with_interp(b"", PATH_AT, 0)), PlanError::BadInterpreterPath("not 2 to PATH_MAX bytes"));
    let mut too_long = vec![b'a'; PATH_MAX as usize + 1];
    *too_long.last_mut().unwrap() = 0;
    let too_long = bad(&with_interp(&too_long, PATH_AT, PATH_MAX + 1));
    assert_eq!(too_long, PlanError::BadInterpreterPath("not 2 to PATH_MAX bytes"));
    assert_eq!(bad(&with_interp(b"/x\0", 0x1000 - 1, 3)), PlanError::InterpreterPathBeyondFile);
    assert_eq!(bad(&with_interp(b"/x\0", u64::MAX - 1, 3)), PlanError::InterpreterPathBeyondFile);
    for error in [no_nul, too_long] {
        assert_eq!(error.errno(Role::Program), Errno::ENOEXEC);
        assert!(error.to_string().contains("PT_INTERP"));
    }
    assert_eq!(PlanError::InterpreterPathBeyondFile.errno(Role::Program), Errno::EIO);
}

#[test]
fn the_first_pt_interp_counts() {
    let phdrs = [
        Phdr { kind: PT_INTERP, flags: PF_R, offset: 0x200, vaddr: 0, filesz: 3, memsz: 3, align: 1 },
        Phdr { kind: PT_INTERP, flags: PF_R, offset: 0x300, vaddr: 0, filesz: 2, memsz: 2, align: 1 },
        load(PF_R | PF_X, 0, 0x40_0000, 0x400, 0x400),
    ];
    let mut file = elf(ET_EXEC, 0x40_0000, &phdrs, 0x400);
    file[0x200..0x203].copy_from_slice(b"/a\0");
    file[0x300..0x302].copy_from_slice(b"b\0");
    assert_eq!(interpreter_of(&file), Ok(Some(b"/a".to_vec())));
}

#[test]
fn faults_get_linuxs_errno_for_each_role() {
    let cases = [
        (PlanError::Truncated, Errno::ENOEXEC, Errno::EIO),
        (PlanError::NotElf, Errno::ENOEXEC, Errno::ELIBBAD),
        (PlanError::WrongMachine, Errno::ENOEXEC, Errno::ELIBBAD),
        (PlanError::NotExecutable, Errno::ENOEXEC, Errno::ELIBBAD),
        (PlanError::BadHeader("x"), Errno::ENOEXEC, Errno::ELIBBAD),
        (PlanError::BadSegment("x"), Errno::ENOEXEC, Errno::ELIBBAD),
        (PlanError::BadEntry, Errno::ENOEXEC, Errno::ELIBBAD),
    ];
    for (error, program, interpreter) in cases {
        assert_eq!((error.errno(Role::Program), error.errno(Role::Interpreter)), (program, interpreter), "{error}");
    }
    // A text file as the interpreter: shorter than a header is EIO, longer ELIBBAD.
    assert_eq!(Elf::parse(b"#!/bin/sh\n").unwrap_err().errno(Role::Interpreter), Errno::EIO);
    assert_eq!(Elf::parse(&[b'x'; 64]).unwrap_err().errno(Role::Interpreter), Errno::ELIBBAD);
}

#[test]
fn the_extent_covers_every_segment_at_the_largest_alignment() {
    let phdrs = [
        Phdr { align: 0x20_0000, ..load(PF_R | PF_X, 0x1000, 0x1000, 0x800, 0x800) },
        load(PF_R | PF_W, 0x1800, 0x5800, 0x10, 0x2000),
        Phdr { kind: PT_INTERP, ..load(PF_R, 0, 0, 0, 0) },
    ];
    let file = elf(ET_DYN, 0x1000, &phdrs, 0x2000);
    let extent = Elf::parse(&file).unwrap().extent().unwrap();
    assert_eq!(extent, Extent { first_page: 0x1000, len: 0x7000, align: 0x20_0000 });
    assert_eq!(extent.room(), Some(0x7000 + 0x20_0000 - PAGE_SIZE));
    assert_eq!(extent.start_in(0x7000_0000_1000), 0x7000_0020_0000);
    assert_eq!(extent.start_in(0x7000_0000_0000), 0x7000_0000_0000);
    assert_eq!(extent.align_down(0x5555_5555_4aaa), 0x5555_5540_0000);

    let page_aligned = Extent { first_page: 0, len: 0x3000, align: PAGE_SIZE };
    assert_eq!(page_aligned.start_in(0x1234_5000), 0x1234_5000);
    assert_eq!(page_aligned.align_down(0x5555_5555_4aaa), 0x5555_5555_4000);

    let empty = elf(ET_DYN, 0, &[Phdr { kind: PT_INTERP, ..load(PF_R, 0, 0, 0, 0) }], 0x100);
    assert_eq!(Elf::parse(&empty).unwrap().extent(), Err(PlanError::BadSegment("no PT_LOAD segment")));
    let overflowing = elf(ET_DYN, 0, &[load(PF_R, 0, u64::MAX - 0xfff, 0, 0x2000)], 0x100);
    assert_eq!(Elf::parse(&overflowing).unwrap().extent(), Err(PlanError::BadSegment("address overflow")));
}

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|value| value.parse().ok()).unwrap_or(1024);
    Config { cases, failure_persistence: None, rng_algorithm: RngAlgorithm::XorShift, ..Config::default() }
}

proptest! {
    #![proptest_config(config())]

    /// Any `PT_INTERP` contents, size and offset: a path without NUL, shorter than
    /// its segment, or an error; never a panic.
    #[test]
    fn any_pt_interp_gives_a_path_or_an_error(
        bytes in prop::collection::vec(prop_oneof![Just(0u8), Just(b'/'), any::<u8>()], 0..64),
        offset in prop_oneof![Just(PATH_AT), 0..0x2000u64, any::<u64>()],
        filesz in prop_oneof![0..80u64, Just(PATH_MAX), Just(PATH_MAX + 1), any::<u64>()],
    ) {
        let file = with_interp(&bytes, offset, filesz);
        match interpreter_of(&file) {
            Ok(Some(path)) => {
                prop_assert!(!path.contains(&0));
                prop_assert!((path.len() as u64) < filesz && filesz <= PATH_MAX);
                let at = offset as usize;
                prop_assert_eq!(&file[at..at + path.len()], &path[..]);
                prop_assert_eq!(file[at + filesz as usize - 1], 0);
            }
            Ok(None) => prop_assert!(false, "the PT_INTERP was not seen"),
            Err(error) => prop_assert!(matches!(error.errno(Role::Program), Errno::ENOEXEC | Errno::EIO)),
        }
    }

    /// Any extent and any free range of its room: the object fits in the range at
    /// an aligned start, the highest such.
    #[test]
    fn start_in_fits_the_room(len_pages in 1u64..1 << 20, align_bits in 12u32..32, gap_page in 0u64..1 << 34) {
        let extent = Extent { first_page: 0, len: len_pages * PAGE_SIZE, align: 1 << align_bits };
        let gap = gap_page * PAGE_SIZE;
        let start = extent.start_in(gap);
        let room = extent.room().unwrap();
        prop_assert_eq!(start % extent.align, 0);
        prop_assert!(start >= gap && start + extent.len <= gap + room);
        prop_assert!(start + extent.align + extent.len > gap + room, "not the highest aligned start");
        prop_assert!(extent.align_down(gap) <= gap && gap - extent.align_down(gap) < extent.align);
    }

    /// Arbitrary bytes behind a valid identification: the headers parse or not, and
    /// whatever parses answers every question without a panic.
    #[test]
    fn parsed_objects_answer_every_question(mut file in prop::collection::vec(any::<u8>(), 64..700), dyn_type in any::<bool>()) {
        file[..8].copy_from_slice(&common::IDENT);
        file[16..18].copy_from_slice(&(if dyn_type { ET_DYN } else { ET_EXEC }).to_le_bytes());
        file[18..20].copy_from_slice(&common::EM_X86_64.to_le_bytes());
        file[54..56].copy_from_slice(&(PHDR_SIZE as u16).to_le_bytes());
        file[56] %= 12;
        file[57] = 0;
        let phoff = u64::from(file[32]) % 200;
        file[32..40].copy_from_slice(&phoff.to_le_bytes());
        if let Ok(object) = Elf::parse(&file) {
            let _ = object.interpreter();
            if let Ok(extent) = object.extent() {
                prop_assert!(extent.align.is_power_of_two() && extent.align >= PAGE_SIZE);
                prop_assert_eq!(extent.first_page % PAGE_SIZE, 0);
                prop_assert_eq!(extent.len % PAGE_SIZE, 0);
            }
            let _ = object.plan(LIMITS);
        }
    }
}

#[test]
fn the_first_bytes_of_a_file_are_enough_when_they_hold_the_headers() {
    let path = b"/lib/ld-musl-x86_64.so.1\0";
    let file = with_interp(path, PATH_AT, path.len() as u64);
    let len = file.len() as u64;
    let whole = Elf::parse(&file).unwrap();
    let head = Elf::parse_head(&file[..PATH_AT as usize + path.len()], len).unwrap();
    assert_eq!(head.interpreter(), whole.interpreter());
    assert_eq!(head.plan(LIMITS), whole.plan(LIMITS));
    // The path past the head: read more. Past the file: EIO as before.
    let short = Elf::parse_head(&file[..PATH_AT as usize], len).unwrap();
    assert_eq!(short.interpreter(), Err(PlanError::BeyondHead));
    let cut = Elf::parse_head(&file[..PATH_AT as usize], PATH_AT + 4).unwrap();
    assert_eq!(cut.interpreter(), Err(PlanError::InterpreterPathBeyondFile));
    // The program headers past the head; a head without a whole ELF header.
    assert_eq!(Elf::parse_head(&file[..EHDR_SIZE + 8], len).err(), Some(PlanError::BeyondHead));
    assert_eq!(Elf::parse_head(&file[..8], len).err(), Some(PlanError::BeyondHead));
    // Segments are checked against the file's length, not the head's.
    let cut = Elf::parse_head(&file[..PATH_AT as usize + path.len()], PATH_AT + path.len() as u64).unwrap();
    assert!(matches!(cut.plan(LIMITS), Err(PlanError::BadSegment(_))));
}
