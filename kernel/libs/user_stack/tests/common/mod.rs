//! What the integration tests share: the built image decoded the way a libc's
//! `_start` reads it (from rsp, following pointers into the image), every read
//! checked to lie inside the image. A failed check is a `TestCaseError`: the
//! property tests pass it on, the example tests unwrap it.

use kabi::auxv::AT_NULL;
use proptest::prelude::*;
use user_stack::StackImage;

/// What user space sees at its entry point.
#[derive(Debug)]
pub struct Decoded {
    pub argv: Vec<Vec<u8>>,
    pub envp: Vec<Vec<u8>>,
    /// Without the final `AT_NULL` pair.
    pub auxv: Vec<(u64, u64)>,
}

/// The image read as user memory `rsp..top`; every read is checked to lie inside.
pub struct UserMemory<'a> {
    pub image: &'a StackImage,
    pub top: u64,
}

impl UserMemory<'_> {
    fn offset(&self, address: u64, len: u64) -> Result<usize, TestCaseError> {
        let end = address.checked_add(len);
        prop_assert!(address >= self.image.rsp && end.is_some_and(|end| end <= self.top), "{address:#x} is outside");
        Ok((address - self.image.rsp) as usize)
    }

    pub fn word(&self, address: u64) -> Result<u64, TestCaseError> {
        let offset = self.offset(address, 8)?;
        Ok(u64::from_le_bytes(self.image.bytes[offset..offset + 8].try_into().unwrap()))
    }

    pub fn bytes(&self, address: u64, len: u64) -> Result<&[u8], TestCaseError> {
        let offset = self.offset(address, len)?;
        Ok(&self.image.bytes[offset..offset + len as usize])
    }

    pub fn string(&self, address: u64) -> Result<Vec<u8>, TestCaseError> {
        let offset = self.offset(address, 1)?;
        let rest = &self.image.bytes[offset..];
        let len = rest.iter().position(|&byte| byte == 0);
        prop_assert!(len.is_some(), "a string without its NUL");
        Ok(rest[..len.unwrap_or_default()].to_vec())
    }

    /// NULL-terminated pointers to strings from `address`; also the address after
    /// the NULL.
    pub fn string_table(&self, mut address: u64) -> Result<(Vec<Vec<u8>>, u64), TestCaseError> {
        let mut strings = Vec::new();
        loop {
            let pointer = self.word(address)?;
            address += 8;
            if pointer == 0 {
                return Ok((strings, address));
            }
            strings.push(self.string(pointer)?);
        }
    }
}

/// The image as user space sees it, with rsp 16-byte aligned and the image ending
/// at `top`.
pub fn decode(image: &StackImage, top: u64) -> Result<Decoded, TestCaseError> {
    prop_assert_eq!(image.rsp % 16, 0, "rsp is 16-byte aligned");
    prop_assert_eq!(image.rsp.checked_add(image.bytes.len() as u64), Some(top), "the image ends at the top");
    let memory = UserMemory { image, top };
    let argc = memory.word(image.rsp)?;
    let (argv, envp_address) = memory.string_table(image.rsp + 8)?;
    prop_assert_eq!(argv.len() as u64, argc);
    let (envp, mut auxv_address) = memory.string_table(envp_address)?;
    let mut auxv = Vec::new();
    loop {
        let (key, value) = (memory.word(auxv_address)?, memory.word(auxv_address + 8)?);
        auxv_address += 16;
        if key == AT_NULL {
            prop_assert_eq!(value, 0);
            break;
        }
        auxv.push((key, value));
    }
    Ok(Decoded { argv, envp, auxv })
}
