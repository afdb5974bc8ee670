//! Symbol lookup for kernel backtraces: which function of the kernel's own ELF symbol
//! table (`.symtab` and its string table, which GRUB loads and describes in the Multiboot2
//! ELF-sections tag) contains a code address.
//!
//! It runs in the panic handler, perhaps with a broken heap, so it never allocates and
//! never panics: it scans the table linearly and skips any record it cannot read (a
//! truncated last record, a name offset outside the string table, a name without its NUL
//! terminator or not UTF-8).
//!
//! The 24-byte `Elf64_Sym` records are decoded by hand with `from_le_bytes`. goblin does
//! not fit: without its `alloc` feature it offers only the `Sym` struct, to be read through
//! `plain` casts that fail on a section that is not 8-byte aligned, and its symbol-table
//! parsing (`Symtab`, `endian_fd`) requires `alloc`. The host tests use goblin to find the
//! tables in a real ELF file.
#![cfg_attr(not(test), no_std)]

/// Size of one `Elf64_Sym` record.
const SYM_SIZE: usize = 24;
/// `STT_FUNC`, the symbol type (low 4 bits of `st_info`) of functions.
const STT_FUNC: u8 = 2;
/// `SHN_UNDEF`, the section index of symbols defined elsewhere.
const SHN_UNDEF: u16 = 0;

/// The fields of an `Elf64_Sym` that lookups need.
struct Symbol {
    name_offset: usize,
    info: u8,
    section: u16,
    value: u64,
    size: u64,
}

impl Symbol {
    /// Decodes one 24-byte little-endian record: `st_name` (u32), `st_info` (u8),
    /// `st_other` (u8), `st_shndx` (u16), `st_value` (u64), `st_size` (u64); `None` if
    /// `record` is too short.
    fn parse(record: &[u8]) -> Option<Self> {
        Some(Self {
            name_offset: u32::from_le_bytes(record.get(0..4)?.try_into().ok()?) as usize,
            info: *record.get(4)?,
            section: u16::from_le_bytes(record.get(6..8)?.try_into().ok()?),
            value: u64::from_le_bytes(record.get(8..16)?.try_into().ok()?),
            size: u64::from_le_bytes(record.get(16..24)?.try_into().ok()?),
        })
    }

    /// Whether this is a defined function whose code covers `addr`: `value <= addr <
    /// value + size`, or exactly `value` for a function of unknown (zero) size.
    fn is_function_containing(&self, addr: u64) -> bool {
        if self.info & 0xf != STT_FUNC || self.section == SHN_UNDEF || addr < self.value {
            return false;
        }
        let offset = addr - self.value;
        offset < self.size || (self.size == 0 && offset == 0)
    }
}

/// A kernel symbol table: borrowed bytes of an ELF64 little-endian `SHT_SYMTAB` section and
/// of its string table.
#[derive(Debug, Clone, Copy)]
pub struct SymbolTable<'a> {
    symtab: &'a [u8],
    strtab: &'a [u8],
}

impl<'a> SymbolTable<'a> {
    /// `symtab`: the raw bytes of an ELF64 little-endian `SHT_SYMTAB` section; `strtab`: the
    /// raw bytes of the string table its `sh_link` names. Nothing is checked here: bad
    /// records are skipped at lookup.
    pub fn new(symtab: &'a [u8], strtab: &'a [u8]) -> Self {
        Self { symtab, strtab }
    }

    /// The function symbol (`STT_FUNC`, defined) containing `addr`, and `addr`'s offset into
    /// it. The name is the raw (mangled) one. If several functions contain `addr` (aliases,
    /// nested symbols), the one starting closest below it wins, then the first in the table.
    /// Symbols with empty or unreadable names are ignored.
    pub fn lookup(&self, addr: u64) -> Option<(&'a str, u64)> {
        let mut best: Option<(&'a str, u64)> = None;
        for record in self.symtab.chunks_exact(SYM_SIZE) {
            let Some(symbol) = Symbol::parse(record) else {
                continue;
            };
            if !symbol.is_function_containing(addr) {
                continue;
            }
            let offset = addr - symbol.value;
            if best.is_some_and(|(_, best_offset)| best_offset <= offset) {
                continue;
            }
            if let Some(name) = self.name(symbol.name_offset) {
                best = Some((name, offset));
            }
        }
        best
    }

    /// The NUL-terminated UTF-8 string at `offset` in the string table, if it is readable
    /// and not empty.
    fn name(&self, offset: usize) -> Option<&'a str> {
        let rest = self.strtab.get(offset..)?;
        let len = rest.iter().position(|&byte| byte == 0)?;
        let name = core::str::from_utf8(rest.get(..len)?).ok()?;
        (!name.is_empty()).then_some(name)
    }
}

#[cfg(test)]
mod tests;
