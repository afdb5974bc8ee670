//! Host tests of symbol lookup: hand-built tables (containment, symbol kinds, nesting, and
//! malformed input that must be skipped without panicking), and the real `.symtab` of this
//! test executable, found with goblin.
use super::*;

const STT_OBJECT: u8 = 1;
const STB_GLOBAL_FUNC: u8 = (1 << 4) | STT_FUNC;

/// One little-endian `Elf64_Sym` record.
fn sym(name_offset: u32, info: u8, section: u16, value: u64, size: u64) -> Vec<u8> {
    let mut record = Vec::with_capacity(SYM_SIZE);
    record.extend(name_offset.to_le_bytes());
    record.extend([info, 0]);
    record.extend(section.to_le_bytes());
    record.extend(value.to_le_bytes());
    record.extend(size.to_le_bytes());
    record
}

/// A string table holding `names` after the customary empty string at offset 0, and the
/// offset of each name.
fn strtab(names: &[&str]) -> (Vec<u8>, Vec<u32>) {
    let mut table = vec![0];
    let mut offsets = Vec::new();
    for name in names {
        offsets.push(table.len() as u32);
        table.extend(name.as_bytes());
        table.push(0);
    }
    (table, offsets)
}

#[test]
fn finds_the_function_containing_an_address() {
    let (strings, names) = strtab(&["outer", "inner", "data", "extern_fn", "tiny", "alias"]);
    let symtab = [
        sym(0, 0, 0, 0, 0), // The null symbol every table starts with.
        sym(names[0], STB_GLOBAL_FUNC, 1, 0x1000, 0x100),
        sym(names[1], STT_FUNC, 1, 0x1010, 0x10),
        sym(names[2], STT_OBJECT, 2, 0x2000, 0x100),
        sym(names[3], STB_GLOBAL_FUNC, SHN_UNDEF, 0, 0x10_0000),
        sym(names[4], STT_FUNC, 1, 0x3000, 0),
        sym(names[5], STT_FUNC, 1, 0x1000, 0x100),
    ]
    .concat();
    let table = SymbolTable::new(&symtab, &strings);
    assert_eq!(table.lookup(0x1000), Some(("outer", 0)));
    assert_eq!(table.lookup(0x100f), Some(("outer", 0xf)));
    // The innermost function wins.
    assert_eq!(table.lookup(0x1010), Some(("inner", 0)));
    assert_eq!(table.lookup(0x101f), Some(("inner", 0xf)));
    assert_eq!(table.lookup(0x1020), Some(("outer", 0x20)));
    assert_eq!(table.lookup(0x10ff), Some(("outer", 0xff)));
    // The end is exclusive.
    assert_eq!(table.lookup(0x1100), None);
    // Data and undefined symbols are not functions here.
    assert_eq!(table.lookup(0x2000), None);
    assert_eq!(table.lookup(0x10), None);
    // A zero-size function matches only its own address.
    assert_eq!(table.lookup(0x3000), Some(("tiny", 0)));
    assert_eq!(table.lookup(0x3001), None);
    assert_eq!(table.lookup(0), None);
    assert_eq!(table.lookup(u64::MAX), None);
}

#[test]
fn malformed_input_is_skipped_without_panicking() {
    let mut strings = b"\0good\0bad\xff\0".to_vec();
    let symtab = [
        // Name offsets past the string table, at its very end, and far beyond.
        sym(strings.len() as u32, STT_FUNC, 1, 0x1000, 0x10),
        sym(strings.len() as u32 - 1, STT_FUNC, 1, 0x1000, 0x10),
        sym(u32::MAX, STT_FUNC, 1, 0x1000, 0x10),
        // Not UTF-8.
        sym(6, STT_FUNC, 1, 0x1000, 0x10),
        // value + size overflows.
        sym(1, STT_FUNC, 1, u64::MAX - 4, u64::MAX),
        sym(1, STT_FUNC, 1, 0x800, 0x1000),
    ]
    .concat();
    let table = SymbolTable::new(&symtab, &strings);
    assert_eq!(table.lookup(0x1008), Some(("good", 0x808)));
    assert_eq!(table.lookup(u64::MAX), Some(("good", 4)));

    // A string table whose last name has no NUL.
    strings.truncate(4);
    assert_eq!(SymbolTable::new(&symtab, &strings).lookup(0x1008), None);
    assert_eq!(SymbolTable::new(&symtab, &[]).lookup(0x1008), None);

    // A truncated table: the partial last record is ignored.
    let (strings, names) = strtab(&["first", "second"]);
    let symtab = [sym(names[0], STT_FUNC, 1, 0x1000, 0x10), sym(names[1], STT_FUNC, 1, 0x2000, 0x10)].concat();
    for len in 0..symtab.len() {
        let table = SymbolTable::new(&symtab[..len], &strings);
        let first = (len >= SYM_SIZE).then_some(("first", 1));
        assert_eq!(table.lookup(0x1001), first, "{len} bytes");
        assert_eq!(table.lookup(0x2001), None, "{len} bytes");
    }
    assert_eq!(SymbolTable::new(&symtab, &strings).lookup(0x2001), Some(("second", 1)));
}

/// The function the real-table test looks up; it does some work so that it is more than
/// one byte long.
#[inline(never)]
fn known_function_for_ksyms_test(x: u64) -> u64 {
    x.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(17) ^ x
}

#[test]
fn looks_up_a_function_in_this_executable() {
    use goblin::elf::{Elf, section_header::SHT_SYMTAB, sym::STT_FUNC as GOBLIN_STT_FUNC};

    let marker = std::hint::black_box(known_function_for_ksyms_test as fn(u64) -> u64);
    assert_ne!(marker(1), 0);

    let bytes = std::fs::read(std::env::current_exe().unwrap()).unwrap();
    let elf = Elf::parse(&bytes).unwrap();
    let section_bytes = |index: usize| {
        let header = &elf.section_headers[index];
        &bytes[header.sh_offset as usize..][..header.sh_size as usize]
    };
    let symtab_index = elf
        .section_headers
        .iter()
        .position(|header| header.sh_type == SHT_SYMTAB)
        .expect("the test executable has a .symtab");
    let symtab = section_bytes(symtab_index);
    let strtab = section_bytes(elf.section_headers[symtab_index].sh_link as usize);

    let known = elf
        .syms
        .iter()
        .find(|sym| {
            sym.st_type() == GOBLIN_STT_FUNC
                && elf.strtab.get_at(sym.st_name).is_some_and(|name| name.contains("known_function_for_ksyms_test"))
        })
        .expect("the known function is in the symbol table");
    let name = elf.strtab.get_at(known.st_name).unwrap();
    assert!(known.st_size >= 2);

    let table = SymbolTable::new(symtab, strtab);
    assert_eq!(table.lookup(known.st_value), Some((name, 0)));
    assert_eq!(table.lookup(known.st_value + 1), Some((name, 1)));
    let last = known.st_value + known.st_size - 1;
    assert_eq!(table.lookup(last), Some((name, known.st_size - 1)));
}
