//! Host tests of load planning: hand-made ELF files, real binaries (this test program,
//! and static musl programs built with rustc when it is there), and a fuzz-style run
//! over mutated and random inputs that must never panic.

mod common;

use common::{
    EHDR_SIZE, EM_X86_64, ET_DYN, ET_EXEC, ET_REL, IDENT, LIMITS, PF_R, PF_W, PF_X, PHDR_SIZE, PT_PHDR, Phdr, elf, load,
};
use elf_plan::{Elf, LoadPlan, PAGE_SIZE, PageRange, PlanError, Segment};

/// Text (with the headers) ending mid-page, and data + bss starting in that page.
fn exec_phdrs() -> Vec<Phdr> {
    vec![load(PF_R | PF_X, 0, 0x40_0000, 0x1800, 0x1800), load(PF_R | PF_W, 0x1800, 0x40_1800, 0x100, 0x3000)]
}

fn exec_file() -> Vec<u8> {
    elf(ET_EXEC, 0x40_0100, &exec_phdrs(), 0x1900)
}

fn pie_file() -> Vec<u8> {
    let phdrs = [
        Phdr { kind: PT_PHDR, flags: PF_R, offset: 64, vaddr: 64, filesz: 168, memsz: 168, align: 8 },
        load(PF_R, 0, 0, 0x400, 0x400),
        load(PF_R | PF_X, 0x1000, 0x1000, 0x200, 0x200),
        load(PF_R | PF_W, 0x2000, 0x3000, 0x10, 0x20),
    ];
    elf(ET_DYN, 0x1010, &phdrs, 0x2010)
}

fn range(start: u64, end: u64, r: bool, w: bool, x: bool) -> PageRange {
    PageRange { start, end, readable: r, writable: w, executable: x }
}

#[test]
fn plans_an_exec_file() {
    let file = exec_file();
    let plan = common::plan(&file, LIMITS).unwrap();
    assert_eq!(plan.entry, 0x40_0100);
    assert_eq!(plan.base, 0);
    assert_eq!(plan.phdr_addr, 0x40_0040, "inside the first PT_LOAD");
    assert_eq!((plan.phent, plan.phnum), (56, 2));
    assert_eq!(plan.brk_start, 0x40_5000);
    assert_eq!(
        plan.segments,
        [
            Segment {
                vaddr: 0x40_0000,
                memsz: 0x1800,
                file_offset: 0,
                filesz: 0x1800,
                readable: true,
                writable: false,
                executable: true,
            },
            Segment {
                vaddr: 0x40_1800,
                memsz: 0x3000,
                file_offset: 0x1800,
                filesz: 0x100,
                readable: true,
                writable: true,
                executable: false,
            },
        ]
    );
    assert_eq!(plan.segments[1].file_bytes(&file), &file[0x1800..0x1900]);
    check_plan(&plan, &file);
}

#[test]
fn a_shared_page_gets_the_union_of_the_permissions() {
    let plan = common::plan(&exec_file(), LIMITS).unwrap();
    assert_eq!(
        plan.page_ranges(),
        [
            range(0x40_0000, 0x40_1000, true, false, true),
            range(0x40_1000, 0x40_2000, true, true, true),
            range(0x40_2000, 0x40_5000, true, true, false),
        ]
    );

    // Three small segments in one page, then one after a gap.
    let phdrs = [
        load(PF_R, 0, 0x40_0000, 0x100, 0x100),
        load(PF_X, 0x100, 0x40_0100, 0x100, 0x100),
        load(PF_W, 0x200, 0x40_0200, 0x100, 0x100),
        load(PF_R, 0x300, 0x40_5300, 0x10, 0x10),
    ];
    let plan = common::plan(&elf(ET_EXEC, 0x40_0100, &phdrs, 0x400), LIMITS).unwrap();
    assert_eq!(
        plan.page_ranges(),
        [range(0x40_0000, 0x40_1000, true, true, true), range(0x40_5000, 0x40_6000, true, false, false)]
    );
}

#[test]
fn plans_a_static_pie_at_the_pie_base() {
    let file = pie_file();
    let plan = common::plan(&file, LIMITS).unwrap();
    assert_eq!(plan.base, LIMITS.pie_base);
    assert_eq!(plan.entry, LIMITS.pie_base + 0x1010);
    assert_eq!(plan.phdr_addr, LIMITS.pie_base + 64, "from PT_PHDR");
    assert_eq!(plan.phnum, 4);
    let vaddrs: Vec<u64> = plan.segments.iter().map(|s| s.vaddr - plan.base).collect();
    assert_eq!(vaddrs, [0, 0x1000, 0x3000]);
    assert_eq!(plan.brk_start, LIMITS.pie_base + 0x4000);
    check_plan(&plan, &file);

    // A PIE whose lowest segment is not at 0 still starts at the PIE base.
    let phdrs = [load(PF_R | PF_X, 0, 0x20_0000, 0x200, 0x200)];
    let plan = common::plan(&elf(ET_DYN, 0x20_0100, &phdrs, 0x200), LIMITS).unwrap();
    assert_eq!(plan.segments[0].vaddr, LIMITS.pie_base);
    assert_eq!(plan.entry, LIMITS.pie_base + 0x100);
}

#[test]
fn refuses_what_is_not_an_x86_64_executable() {
    let file = exec_file();
    assert_eq!(common::plan(b"#!/bin/sh\n", LIMITS), Err(PlanError::Truncated));
    assert_eq!(common::plan(&[], LIMITS), Err(PlanError::Truncated));
    assert_eq!(common::plan(&[b'#'; EHDR_SIZE], LIMITS), Err(PlanError::NotElf));
    let with_byte = |at: usize, value: u8| {
        let mut changed = file.clone();
        changed[at] = value;
        common::plan(&changed, LIMITS)
    };
    assert_eq!(with_byte(4, 1), Err(PlanError::Not64Bit));
    assert_eq!(with_byte(5, 2), Err(PlanError::NotLittleEndian));
    assert_eq!(with_byte(18, 183), Err(PlanError::WrongMachine)); // EM_AARCH64
    assert_eq!(with_byte(16, ET_REL as u8), Err(PlanError::NotExecutable));
    assert_eq!(with_byte(54, 32), Err(PlanError::BadHeader("e_phentsize is not 56")));
    assert_eq!(with_byte(56, 0), Err(PlanError::BadHeader("no program headers")));
    let mut far = file.clone();
    far[32..40].copy_from_slice(&(file.len() as u64 - 100).to_le_bytes());
    assert_eq!(common::plan(&far, LIMITS), Err(PlanError::BadHeader("program headers beyond the end of the file")));
    assert_eq!(common::plan(&file[..40], LIMITS), Err(PlanError::Truncated));
}

#[test]
fn refuses_bad_segments() {
    let bad = |change: &dyn Fn(&mut Vec<Phdr>), entry: u64| {
        let mut phdrs = exec_phdrs();
        change(&mut phdrs);
        common::plan(&elf(ET_EXEC, entry, &phdrs, 0x1900), LIMITS)
    };
    let segment_error = |change: &dyn Fn(&mut Vec<Phdr>)| match bad(change, 0x40_0100) {
        Err(PlanError::BadSegment(reason)) => reason,
        other => panic!("expected a bad segment, got {other:?}"),
    };
    assert_eq!(segment_error(&|p| p[1].filesz = 0x3001), "p_filesz is larger than p_memsz");
    assert_eq!(segment_error(&|p| p[1].filesz = 0x101), "data beyond the end of the file");
    assert_eq!(segment_error(&|p| p[1].offset = u64::MAX), "data beyond the end of the file");
    assert_eq!(segment_error(&|p| p[1].align = 0x1800), "p_align is not a power of two");
    assert_eq!(segment_error(&|p| p[1].vaddr += 8), "p_vaddr and p_offset disagree modulo p_align");
    assert_eq!(segment_error(&|p| p[0].vaddr = 0x3f_f000), "below the lowest user address");
    assert_eq!(segment_error(&|p| p[1].vaddr = 0x7fff_ffff_e800), "beyond the top of user space");
    assert_eq!(segment_error(&|p| p[1].vaddr = u64::MAX - 0x7ff), "address overflow");
    assert_eq!(segment_error(&|p| p[1].vaddr = 0x40_0800), "segments overlap");
    assert_eq!(segment_error(&|p| p.iter_mut().for_each(|p| p.kind = 4)), "no PT_LOAD segment");
    assert_eq!(bad(&|_| {}, 0x7fff_ffff_f000), Err(PlanError::BadEntry));
    assert_eq!(bad(&|_| {}, 0), Err(PlanError::BadEntry));

    // A PIE may not be linked above the PIE base.
    let phdrs = [load(PF_R, 0, 0x6000_0000_0000, 0x100, 0x100)];
    let high_pie = common::plan(&elf(ET_DYN, 0x6000_0000_0000, &phdrs, 0x100), LIMITS);
    assert_eq!(high_pie, Err(PlanError::BadSegment("position-independent object linked above its base")));
}

/// This test program (a PIE with glibc's interpreter) and its interpreter, planned
/// as execve loads them: the program at the PIE base, the interpreter at the top of
/// a gap below the top of user space.
#[test]
fn the_test_program_and_its_interpreter_plan_as_two_objects() {
    let file = std::fs::read("/proc/self/exe").unwrap();
    let program = Elf::parse(&file).unwrap();
    let path = program.interpreter().unwrap().expect("the test program is dynamically linked");
    assert!(path.starts_with(b"/") && path.ends_with(b".so.2") || path.ends_with(b".so.1"), "{path:?}");
    let program_plan = program.plan(LIMITS).unwrap();
    check_real_program(&program_plan, &file);

    let interpreter_file = std::fs::read(std::str::from_utf8(path).unwrap()).unwrap();
    let interpreter = Elf::parse(&interpreter_file).unwrap();
    assert!(interpreter.is_dyn());
    assert_eq!(interpreter.interpreter(), Ok(None));
    let extent = interpreter.extent().unwrap();
    let top = LIMITS.user_max - (1 << 30);
    let gap = top - extent.room().unwrap();
    let start = extent.start_in(gap);
    let interpreter_plan = interpreter.plan(elf_plan::Limits { pie_base: start, ..LIMITS }).unwrap();
    check_plan(&interpreter_plan, &interpreter_file);
    assert_eq!(interpreter_plan.segments[0].vaddr & !(PAGE_SIZE - 1), start);
    assert!(interpreter_plan.brk_start <= top);
    assert!(program_plan.brk_start <= start, "the two objects do not overlap");
}

/// A static musl "hello" built by rustc with `flags`, or None (with a note) when rustc
/// or its musl target is missing.
fn build_musl_hello(name: &str, flags: &[&str]) -> Option<Vec<u8>> {
    let dir = std::env::temp_dir().join(format!("elf-plan-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let source = dir.join("hello.rs");
    std::fs::write(&source, "fn main() { println!(\"hello\"); }\n").unwrap();
    let output = dir.join("hello");
    let status = std::process::Command::new(std::env::var("RUSTC").unwrap_or("rustc".into()))
        .args(["--target", "x86_64-unknown-linux-musl", "-C", "target-feature=+crt-static"])
        .args(flags)
        .arg("-o")
        .arg(&output)
        .arg(&source)
        .status();
    let binary = match status {
        Ok(status) if status.success() => Some(std::fs::read(&output).unwrap()),
        other => {
            eprintln!("skipping the musl binary test: rustc gave {other:?}");
            None
        }
    };
    std::fs::remove_dir_all(&dir).unwrap();
    binary
}

fn u16_at(file: &[u8], at: usize) -> u16 {
    u16::from_le_bytes(file[at..at + 2].try_into().unwrap())
}

fn u64_at(file: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(file[at..at + 8].try_into().unwrap())
}

/// Checks a plan of a real program: AT_PHDR shows the file's program headers and the
/// entry point is in an executable segment.
fn check_real_program(plan: &LoadPlan, file: &[u8]) {
    check_plan(plan, file);
    let phoff = u64_at(file, 32) as usize;
    let table_len = plan.phnum as usize * PHDR_SIZE;
    let holder = plan
        .segments
        .iter()
        .find(|s| (s.vaddr..s.vaddr + s.filesz).contains(&plan.phdr_addr))
        .expect("AT_PHDR is in a segment");
    let at = (plan.phdr_addr - holder.vaddr + holder.file_offset) as usize;
    assert_eq!(file[at..at + table_len], file[phoff..phoff + table_len]);
    assert!(
        plan.segments.iter().any(|s| s.executable && (s.vaddr..s.vaddr + s.memsz).contains(&plan.entry)),
        "the entry point is in an executable segment"
    );
}

#[test]
fn plans_a_static_pie_musl_program() {
    let Some(file) = build_musl_hello("pie", &[]) else {
        return;
    };
    assert_eq!(u16_at(&file, 16), ET_DYN, "rustc builds static PIEs for musl");
    let plan = common::plan(&file, LIMITS).unwrap();
    assert_eq!(plan.base, LIMITS.pie_base);
    assert_eq!(plan.entry, plan.base + u64_at(&file, 24));
    check_real_program(&plan, &file);
}

#[test]
fn plans_a_static_exec_musl_program() {
    let Some(file) = build_musl_hello("exec", &["-C", "relocation-model=static"]) else {
        return;
    };
    assert_eq!(u16_at(&file, 16), ET_EXEC);
    let plan = common::plan(&file, LIMITS).unwrap();
    assert_eq!(plan.base, 0);
    assert_eq!(plan.entry, u64_at(&file, 24));
    check_real_program(&plan, &file);
}

/// Checks what every plan promises the kernel.
fn check_plan(plan: &LoadPlan, file: &[u8]) {
    let end = |s: &Segment| s.vaddr + s.memsz;
    assert!(!plan.segments.is_empty());
    assert!(plan.segments.windows(2).all(|pair| end(&pair[0]) <= pair[1].vaddr));
    for segment in &plan.segments {
        assert!(segment.vaddr & !(PAGE_SIZE - 1) >= LIMITS.user_min);
        assert!(end(segment).next_multiple_of(PAGE_SIZE) <= LIMITS.user_max);
        assert!(segment.filesz <= segment.memsz);
        assert_eq!(segment.file_bytes(file).len() as u64, segment.filesz);
        assert!(end(segment) <= plan.brk_start);
    }
    assert_eq!(plan.brk_start % PAGE_SIZE, 0);
    assert!((LIMITS.user_min..LIMITS.user_max).contains(&plan.entry));

    common::check_page_ranges(plan).unwrap();
}

/// A small deterministic pseudo-random generator (xorshift64).
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    /// A value that is often at an edge (0, 1, page-ish, huge).
    fn interesting(&mut self) -> u64 {
        let edges = [0, 1, 0xfff, 0x1000, 0x40_0000, 1 << 47, 1 << 63, u64::MAX, u64::MAX - 0xfff];
        match self.below(3) {
            0 => edges[self.below(edges.len())],
            1 => self.next() % 0x10_0000,
            _ => self.next(),
        }
    }
}

/// Parses and plans `file` (and reads its interpreter and extent): an error is fine,
/// a plan must keep its promises, a panic fails.
/// Returns whether it was accepted.
fn plan_or_error(file: &[u8]) -> bool {
    if let Ok(object) = Elf::parse(file) {
        let _ = (object.interpreter(), object.extent());
    }
    let planned = common::plan(file, LIMITS);
    if let Ok(plan) = &planned {
        check_plan(plan, file);
    }
    planned.is_ok()
}

#[test]
fn never_panics_on_damaged_or_random_input() {
    let mut seeds = vec![exec_file(), pie_file()];
    seeds.extend(build_musl_hello("fuzz", &[]));
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    let mut accepted_mutants = 0;
    for seed in &seeds {
        plan_or_error(seed);
        for len in 0..seed.len().min(1024) {
            plan_or_error(&seed[..len]);
        }
        for _ in 0..200 {
            plan_or_error(&seed[..random.below(seed.len())]);
        }
        let header_len = (EHDR_SIZE + PHDR_SIZE * u16_at(seed, 56) as usize).min(seed.len());
        for _ in 0..3000 {
            let mut file = seed.clone();
            for _ in 0..1 + random.below(4) {
                if random.below(2) == 0 {
                    // An 8-byte field of the headers gets an edge value.
                    let at = random.below(header_len - 8) & !7;
                    file[at..at + 8].copy_from_slice(&random.interesting().to_le_bytes());
                } else {
                    let at = random.below(header_len);
                    file[at] = random.next() as u8;
                }
            }
            accepted_mutants += usize::from(plan_or_error(&file));
        }
    }
    // The mutations reach the segment checks: a good share of the mutants still loads.
    eprintln!("{accepted_mutants} mutants accepted");
    assert!(accepted_mutants > 1000);
    for _ in 0..3000 {
        let mut file: Vec<u8> = (0..random.below(400)).map(|_| random.next() as u8).collect();
        // Often a plausible identification, so that parsing goes further.
        if file.len() >= 20 && random.below(4) != 0 {
            file[..8].copy_from_slice(&IDENT);
            file[16] = [ET_EXEC, ET_DYN][random.below(2)] as u8;
            file[17] = 0;
            file[18..20].copy_from_slice(&EM_X86_64.to_le_bytes());
        }
        plan_or_error(&file);
    }
}
