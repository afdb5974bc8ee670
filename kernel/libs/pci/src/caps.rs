//! The capability list: (offset, id) pairs from the pointer at 0x34, with a
//! bound on its length so a looping list ends.
use alloc::vec::Vec;

use crate::{Address, ConfigSpace, reg};

pub const CAP_PM: u8 = 0x01;
pub const CAP_MSI: u8 = 0x05;
pub const CAP_EXPRESS: u8 = 0x10;
pub const CAP_MSIX: u8 = 0x11;

/// At most this many entries: 192 bytes of list at 4 bytes each (Linux's
/// PCI_FIND_CAP_TTL is 48).
const MAX_ENTRIES: usize = 48;

/// A function's capabilities in list order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Capabilities(pub Vec<(u8, u8)>);

impl Capabilities {
    /// The offset of the first capability `id`.
    pub fn find(&self, id: u8) -> Option<u8> {
        self.0.iter().find(|&&(_, i)| i == id).map(|&(offset, _)| offset)
    }

    pub fn msi(&self) -> bool {
        self.find(CAP_MSI).is_some()
    }

    pub fn msix(&self) -> bool {
        self.find(CAP_MSIX).is_some()
    }

    pub fn express(&self) -> bool {
        self.find(CAP_EXPRESS).is_some()
    }
}

/// Walks the list if the status register says there is one.
pub fn capabilities(config: &mut impl ConfigSpace, at: Address) -> Capabilities {
    let mut list = Vec::new();
    if config.read_u16(at, reg::STATUS) & reg::STATUS_CAPABILITIES == 0 {
        return Capabilities(list);
    }
    let mut offset = config.read_u8(at, reg::CAPABILITIES) & 0xfc;
    while offset >= 0x40 && list.len() < MAX_ENTRIES {
        let id = config.read_u8(at, u16::from(offset));
        if id == 0xff {
            break;
        }
        list.push((offset, id));
        offset = config.read_u8(at, u16::from(offset) + 1) & 0xfc;
    }
    Capabilities(list)
}
