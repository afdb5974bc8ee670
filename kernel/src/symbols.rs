//! Function names for backtraces, from the kernel's own ELF symbol table, which GRUB
//! loads and describes in the Multiboot2 ELF-sections tag.
use core::fmt;

use ksyms::SymbolTable;
use multiboot2::BootInformation;

use crate::arch::multiboot::phys_bytes;

static TABLE: spin::Once<SymbolTable<'static>> = spin::Once::new();

const SHT_SYMTAB: u32 = 2;

/// Find .symtab and its string table in the ELF-sections tag. Without them (a
/// stripped kernel) backtraces show addresses only.
pub fn init(boot: &BootInformation) -> bool {
    let Some(tag) = boot.elf_sections_tag() else { return false };
    let Some(symtab) = tag.sections().find(|s| s.sh_type == SHT_SYMTAB) else { return false };
    let Some(strtab) = tag.sections().nth(symtab.sh_link as usize) else { return false };
    if symtab.sh_addr == 0 || strtab.sh_addr == 0 {
        return false;
    }
    TABLE.call_once(|| {
        SymbolTable::new(
            phys_bytes(symtab.sh_addr, symtab.sh_size as usize),
            phys_bytes(strtab.sh_addr, strtab.sh_size as usize),
        )
    });
    true
}

/// Physical ranges of the symbol and string tables, which must stay reserved.
pub fn table_ranges(boot: &BootInformation) -> [core::ops::Range<u64>; 2] {
    let section_range = |index: usize| {
        boot.elf_sections_tag()
            .and_then(|tag| tag.sections().nth(index))
            .map_or(0..0, |s| s.sh_addr..s.sh_addr + s.sh_size)
    };
    let symtab_index = boot.elf_sections_tag().and_then(|tag| tag.sections().position(|s| s.sh_type == SHT_SYMTAB));
    match symtab_index {
        Some(i) => {
            let link = boot.elf_sections_tag().and_then(|t| t.sections().nth(i)).map_or(0, |s| s.sh_link);
            [section_range(i), section_range(link as usize)]
        }
        None => [0..0, 0..0],
    }
}

/// The function holding `addr`: its demangled name and `addr`'s offset in it.
fn function_at(addr: u64) -> Option<(rustc_demangle::Demangle<'static>, u64)> {
    let (name, offset) = TABLE.get()?.lookup(addr)?;
    Some((rustc_demangle::demangle(name), offset))
}

/// The demangled name of the function holding `addr`, or `?`.
pub fn function_name(addr: u64) -> alloc::string::String {
    match function_at(addr) {
        Some((name, _)) => alloc::format!("{name:#}"),
        None => alloc::string::String::from("?"),
    }
}

/// Displays `name+0xoff` for a code address, or `?`.
pub struct Describe(pub u64);

impl fmt::Display for Describe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match function_at(self.0) {
            Some((name, offset)) => write!(f, "{name:#}+{offset:#x}"),
            None => f.write_str("?"),
        }
    }
}
