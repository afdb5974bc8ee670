//! Property tests of load planning: generated valid executables plan as built, and
//! damaged ones (flipped bytes, edge values in header fields, truncation), random
//! limits and arbitrary bytes give an error or a plan that keeps every promise, never
//! a panic.

mod common;

use common::{
    EHDR_SIZE, EM_X86_64, ET_DYN, ET_EXEC, IDENT, LIMITS, PF_R, PF_W, PF_X, PHDR_SIZE, PT_LOAD, PT_NOTE, PT_PHDR, Phdr,
    check_page_ranges, elf, load,
};
use elf_plan::{Limits, LoadPlan, PAGE_SIZE, PlanError, Segment};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm};

/// `cases` cases (`PROPTEST_CASES` sets another number, for a longer run), drawn
/// with the XorShift generator (ChaCha dominates the run time in debug builds),
/// without regression files in the source tree (a failure prints its input; it
/// becomes a plain `#[test]`).
fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|value| value.parse().ok()).unwrap_or(cases);
    Config { cases, failure_persistence: None, rng_algorithm: RngAlgorithm::XorShift, ..Config::default() }
}

/// [`elf`] with recognisable contents after the headers, so that copied bytes can
/// be told apart.
fn patterned_elf(e_type: u16, entry: u64, phdrs: &[Phdr], len: usize) -> Vec<u8> {
    let mut file = elf(e_type, entry, phdrs, len);
    for (at, byte) in file.iter_mut().enumerate().skip(EHDR_SIZE + PHDR_SIZE * phdrs.len()) {
        *byte = (at % 251) as u8;
    }
    file
}

/// The parts of one generated `PT_LOAD`: the pages skipped before it, its offset in
/// its first page, its sizes and permissions.
#[derive(Debug, Clone)]
struct SegmentSpec {
    gap_pages: u64,
    in_page: u64,
    filesz: u64,
    extra_memsz: u64,
    flags: u32,
}

fn segment_spec() -> impl Strategy<Value = SegmentSpec> {
    (0u64..3, 0u64..PAGE_SIZE, 0u64..0x2000, 0u64..0x3000, 0u32..8).prop_map(
        |(gap_pages, in_page, filesz, extra_memsz, flags)| SegmentSpec {
            gap_pages,
            in_page,
            filesz,
            extra_memsz: extra_memsz.max(u64::from(filesz == 0)),
            flags,
        },
    )
}

/// A valid static executable and what planning it must give.
#[derive(Debug, Clone)]
struct Valid {
    file: Vec<u8>,
    e_type: u16,
    /// The `PT_LOAD`s at their link-time addresses, in address order.
    loads: Vec<Phdr>,
    entry: u64,
    phnum: u64,
    /// The link-time `PT_PHDR` address, when there is one.
    pt_phdr: Option<u64>,
}

/// Executables with 1 to 4 `PT_LOAD`s in increasing, page-disjoint address order
/// (the first executable), file offsets congruent to the addresses, an entry point in
/// the first segment, perhaps a `PT_PHDR` and a `PT_NOTE`.
fn valid_elf() -> impl Strategy<Value = Valid> {
    (
        prop::bool::ANY,
        prop::collection::vec(segment_spec(), 1..=4),
        prop::bool::ANY,
        prop::bool::ANY,
        any::<u64>(),
        0u64..0x100,
    )
        .prop_map(|(pie, specs, with_phdr, with_note, entry_seed, start_page)| {
            let e_type = if pie { ET_DYN } else { ET_EXEC };
            let first_page = if pie { start_page * PAGE_SIZE } else { LIMITS.user_min + start_page * PAGE_SIZE };
            let mut loads = Vec::new();
            let mut next_page = first_page;
            // Segment data starts in file page 1, after the headers.
            let mut file_page = PAGE_SIZE;
            for (index, spec) in specs.iter().enumerate() {
                let vaddr = next_page + spec.gap_pages * PAGE_SIZE + spec.in_page;
                let memsz = spec.filesz + spec.extra_memsz;
                let offset = file_page + spec.in_page;
                let flags = if index == 0 { spec.flags | PF_X | PF_R } else { spec.flags };
                loads.push(load(flags, offset, vaddr, spec.filesz, memsz));
                next_page = (vaddr + memsz).next_multiple_of(PAGE_SIZE);
                file_page = (offset + spec.filesz).next_multiple_of(PAGE_SIZE);
            }
            let len = loads.iter().map(|load| load.offset + load.filesz).max().unwrap_or(0) as usize;
            let entry = loads[0].vaddr + entry_seed % loads[0].memsz;
            let mut phdrs = Vec::new();
            let table_len = (loads.len() + usize::from(with_phdr) + usize::from(with_note)) * PHDR_SIZE;
            let pt_phdr = with_phdr.then_some(first_page + EHDR_SIZE as u64);
            if let Some(address) = pt_phdr {
                let size = table_len as u64;
                phdrs.push(Phdr {
                    kind: PT_PHDR,
                    flags: PF_R,
                    offset: EHDR_SIZE as u64,
                    vaddr: address,
                    filesz: size,
                    memsz: size,
                    align: 8,
                });
            }
            phdrs.extend_from_slice(&loads);
            if with_note {
                phdrs.push(Phdr { kind: PT_NOTE, flags: PF_R, offset: 0, vaddr: 0, filesz: 0, memsz: 0, align: 4 });
            }
            let phnum = phdrs.len() as u64;
            Valid { file: patterned_elf(e_type, entry, &phdrs, len), e_type, loads, entry, phnum, pt_phdr }
        })
}

/// Values that sit at the edges of what the checks compare against.
fn edge_value() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0u64),
        Just(1),
        Just(PAGE_SIZE - 1),
        Just(PAGE_SIZE),
        Just(LIMITS.user_min),
        Just(LIMITS.user_max),
        Just(LIMITS.user_max - 1),
        Just(LIMITS.pie_base),
        Just(1 << 47),
        Just(1 << 63),
        Just(u64::MAX),
        Just(u64::MAX - PAGE_SIZE + 1),
        Just(u64::from(u16::MAX)),
        0u64..0x10_0000,
        any::<u64>(),
    ]
}

/// One way to damage a file.
#[derive(Debug, Clone)]
enum Damage {
    /// XOR a byte of the headers (the index is reduced modulo their length).
    FlipHeaderByte(usize, u8),
    /// Set an 8-byte-aligned field of the headers to an edge value.
    HeaderField(usize, u64),
    /// Set a program header's 16-bit count or entry size (`e_phnum`, `e_phentsize`).
    Count(bool, u16),
    /// Set any byte of the file.
    AnyByte(usize, u8),
    /// Cut the file short (to this fraction, in 1/256ths, of its length).
    Truncate(u8),
    /// Make a program header a `PT_LOAD` (or `PT_INTERP`, `PT_PHDR`).
    Kind(usize, u32),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        1 => (any::<usize>(), 1u8..).prop_map(|(at, mask)| Damage::FlipHeaderByte(at, mask)),
        3 => (any::<usize>(), edge_value()).prop_map(|(at, value)| Damage::HeaderField(at, value)),
        1 => (any::<bool>(), prop_oneof![Just(0u16), Just(1), Just(56), Just(1170), Just(1171), any::<u16>()])
            .prop_map(|(phnum, value)| Damage::Count(phnum, value)),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(at, value)| Damage::AnyByte(at, value)),
        1 => any::<u8>().prop_map(Damage::Truncate),
        1 => (any::<usize>(), prop_oneof![Just(PT_LOAD), Just(3u32), Just(PT_PHDR)]).prop_map(|(i, k)| Damage::Kind(i, k)),
    ]
}

fn apply(file: &mut Vec<u8>, damage: &Damage) {
    let phnum = usize::from(u16::from_le_bytes([file[56], file[57]]));
    let header_len = (EHDR_SIZE + PHDR_SIZE * phnum).min(file.len());
    match *damage {
        Damage::FlipHeaderByte(at, mask) => file[at % header_len] ^= mask,
        Damage::HeaderField(at, value) => {
            let at = (at % (header_len - 7)) & !7;
            file[at..at + 8].copy_from_slice(&value.to_le_bytes());
        }
        Damage::Count(phnum, value) => {
            let at = if phnum { 56 } else { 54 };
            file[at..at + 2].copy_from_slice(&value.to_le_bytes());
        }
        Damage::AnyByte(at, value) => {
            let len = file.len();
            file[at % len] = value;
        }
        Damage::Truncate(fraction) => file.truncate(file.len() * usize::from(fraction) / 256),
        Damage::Kind(index, kind) => {
            let at = EHDR_SIZE + (index % phnum.max(1)) * PHDR_SIZE;
            if at + 4 <= file.len() {
                file[at..at + 4].copy_from_slice(&kind.to_le_bytes());
            }
        }
    }
}

/// `file` with `damages` applied in turn, while it still holds an ELF header and a
/// program header.
fn damaged(mut file: Vec<u8>, damages: &[Damage]) -> Vec<u8> {
    for damage in damages {
        if file.len() < EHDR_SIZE + PHDR_SIZE {
            break;
        }
        apply(&mut file, damage);
    }
    file
}

/// Checks what every plan promises for `file` within `limits`.
fn check_plan(plan: &LoadPlan, file: &[u8], limits: Limits) -> Result<(), TestCaseError> {
    let end = |segment: &Segment| segment.vaddr + segment.memsz;
    prop_assert!(!plan.segments.is_empty());
    for segment in &plan.segments {
        prop_assert!(segment.memsz > 0);
        prop_assert!(segment.filesz <= segment.memsz);
        let span_end = segment.vaddr.checked_add(segment.memsz).and_then(|end| end.checked_next_multiple_of(PAGE_SIZE));
        prop_assert!(span_end.is_some_and(|end| end <= limits.user_max), "{segment:?} ends past user space");
        prop_assert!(segment.vaddr & !(PAGE_SIZE - 1) >= limits.user_min, "{segment:?} starts below user space");
        let file_end = segment.file_offset.checked_add(segment.filesz);
        prop_assert!(file_end.is_some_and(|end| end <= file.len() as u64), "{segment:?} reads past the file");
        prop_assert_eq!(segment.file_bytes(file).len() as u64, segment.filesz);
        prop_assert!(end(segment) <= plan.brk_start);
    }
    prop_assert!(plan.segments.windows(2).all(|pair| end(&pair[0]) <= pair[1].vaddr), "segments overlap or unsorted");
    prop_assert_eq!(plan.brk_start % PAGE_SIZE, 0);
    prop_assert!(plan.brk_start <= limits.user_max);
    prop_assert!((limits.user_min..limits.user_max).contains(&plan.entry), "entry {:#x}", plan.entry);
    prop_assert_eq!(plan.phent, PHDR_SIZE as u64);
    prop_assert_eq!(plan.phnum, u64::from(u16::from_le_bytes([file[56], file[57]])));

    for page in check_page_ranges(plan)? {
        prop_assert!(page.start >= limits.user_min && page.end <= limits.user_max);
    }
    Ok(())
}

/// Plans `file`: an error is fine, a plan must keep its promises. A panic fails the
/// property.
fn plan_or_error(file: &[u8], limits: Limits) -> Result<Option<LoadPlan>, TestCaseError> {
    match common::plan(file, limits) {
        Ok(plan) => {
            check_plan(&plan, file, limits)?;
            Ok(Some(plan))
        }
        Err(error) => {
            prop_assert!(!error.to_string().is_empty());
            Ok(None)
        }
    }
}

/// Limits as a kernel might set them: a null guard, a top and a PIE base anywhere,
/// edges included.
fn limits() -> impl Strategy<Value = Limits> {
    (edge_value(), edge_value(), edge_value()).prop_map(|(a, b, pie_base)| Limits {
        user_min: a.min(b) & !(PAGE_SIZE - 1),
        user_max: a.max(b) & !(PAGE_SIZE - 1),
        pie_base,
    })
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn valid_executables_plan_as_built(valid in valid_elf()) {
        let plan = common::plan(&valid.file, LIMITS).map_err(|error| TestCaseError::fail(error.to_string()))?;
        check_plan(&plan, &valid.file, LIMITS)?;
        let base = if valid.e_type == ET_DYN { LIMITS.pie_base - (valid.loads[0].vaddr & !(PAGE_SIZE - 1)) } else { 0 };
        prop_assert_eq!(plan.base, base);
        prop_assert_eq!(plan.entry, valid.entry + base);
        prop_assert_eq!(plan.phnum, valid.phnum);
        prop_assert_eq!(plan.segments.len(), valid.loads.len());
        for (segment, load) in plan.segments.iter().zip(&valid.loads) {
            prop_assert_eq!(segment.vaddr, load.vaddr + base);
            prop_assert_eq!((segment.memsz, segment.filesz, segment.file_offset), (load.memsz, load.filesz, load.offset));
            prop_assert_eq!(
                (segment.readable, segment.writable, segment.executable),
                (load.flags & PF_R != 0, load.flags & PF_W != 0, load.flags & PF_X != 0)
            );
            let offset = load.offset as usize;
            prop_assert_eq!(segment.file_bytes(&valid.file), &valid.file[offset..offset + load.filesz as usize]);
        }
        let last = valid.loads.last().unwrap();
        prop_assert_eq!(plan.brk_start, (last.vaddr + last.memsz + base).next_multiple_of(PAGE_SIZE));
        // The entry point is in an executable segment.
        prop_assert!(plan.segments.iter().any(|s| s.executable && (s.vaddr..s.vaddr + s.memsz).contains(&plan.entry)));
        // AT_PHDR: PT_PHDR's address, else none of these segments holds the headers
        // (they start in file page 1), so 0.
        prop_assert_eq!(plan.phdr_addr, valid.pt_phdr.map_or(0, |address| address + base));
    }

    #[test]
    fn damaged_executables_never_panic(
        valid in valid_elf(),
        damages in prop::collection::vec(damage(), 1..5),
    ) {
        plan_or_error(&damaged(valid.file, &damages), LIMITS)?;
    }

    #[test]
    fn any_limits_are_kept(valid in valid_elf(), damages in prop::collection::vec(damage(), 0..3), limits in limits()) {
        plan_or_error(&damaged(valid.file, &damages), limits)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(mut file in prop::collection::vec(any::<u8>(), 0..600), ident in any::<bool>()) {
        if ident && file.len() >= 20 {
            // A plausible identification gets the parse past the magic.
            file[..8].copy_from_slice(&IDENT);
            file[17] = 0;
            file[18..20].copy_from_slice(&EM_X86_64.to_le_bytes());
        }
        plan_or_error(&file, LIMITS)?;
    }
}

proptest! {
    #![proptest_config(config(1024))]

    /// A file whose every program header is built from edge values: the checks of
    /// sizes, alignment, overflow and overlap all see extremes.
    #[test]
    fn edge_valued_program_headers_never_panic(
        e_type in prop_oneof![Just(ET_EXEC), Just(ET_DYN)],
        entry in edge_value(),
        raw in prop::collection::vec((0u32..8, edge_value(), edge_value(), edge_value(), edge_value(), edge_value()), 1..5),
        len in 0usize..0x3000,
    ) {
        let phdrs: Vec<Phdr> = raw
            .iter()
            .map(|&(flags, offset, vaddr, filesz, memsz, align)| Phdr { kind: PT_LOAD, flags, offset, vaddr, filesz, memsz, align })
            .collect();
        let file = patterned_elf(e_type, entry, &phdrs, len);
        let planned = plan_or_error(&file, LIMITS)?;
        if let Some(plan) = planned {
            prop_assert_eq!(plan.segments.len(), phdrs.iter().filter(|phdr| phdr.memsz > 0).count());
        }
    }
}

#[test]
fn a_corrupt_file_is_an_error_value() {
    let phdrs = [Phdr {
        kind: PT_LOAD,
        flags: PF_R | PF_X,
        offset: 0,
        vaddr: 0x40_0000,
        filesz: 0x100,
        memsz: u64::MAX,
        align: 0,
    }];
    let file = patterned_elf(ET_EXEC, 0x40_0000, &phdrs, 0x100);
    assert_eq!(common::plan(&file, LIMITS), Err(PlanError::BadSegment("address overflow")));
}
