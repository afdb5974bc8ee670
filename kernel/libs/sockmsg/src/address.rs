//! `struct sockaddr_un`: a family (`AF_UNIX`) and up to 108 bytes of path. A path
//! ends at its first NUL; a `sun_path` starting with NUL is an abstract name, all
//! of the bytes after it up to the address length; an address of the family alone
//! is the unnamed address (and asks `bind` for an automatic abstract name).
use alloc::vec::Vec;

use kabi::Errno;
use kabi::socket::{AF_UNIX, SOCKADDR_UN_SIZE, SUN_PATH_OFFSET};

/// The name of a socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnixAddress {
    /// A file-system path (without the NUL).
    Path(Vec<u8>),
    /// An abstract name: the bytes after `sun_path[0] == 0`.
    Abstract(Vec<u8>),
}

/// What an address argument of `bind`, `connect` or `sendto` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressArg {
    /// The family alone (`bind` then picks an abstract name).
    FamilyOnly,
    Named(UnixAddress),
}

impl AddressArg {
    /// Reads an address of `raw.len()` bytes (the caller has copied at most
    /// `sockaddr_storage`'s 128): `EINVAL` when shorter than the family, longer than
    /// `sockaddr_un`, or of another family, as Linux's `unix_validate_addr`.
    pub fn parse(raw: &[u8]) -> Result<AddressArg, Errno> {
        if raw.len() < SUN_PATH_OFFSET || raw.len() > SOCKADDR_UN_SIZE {
            return Err(Errno::EINVAL);
        }
        if u16::from_le_bytes([raw[0], raw[1]]) != AF_UNIX {
            return Err(Errno::EINVAL);
        }
        let path = &raw[SUN_PATH_OFFSET..];
        Ok(match path.split_first() {
            None => AddressArg::FamilyOnly,
            Some((0, name)) => AddressArg::Named(UnixAddress::Abstract(name.to_vec())),
            Some(_) => {
                let end = path.iter().position(|&b| b == 0).unwrap_or(path.len());
                AddressArg::Named(UnixAddress::Path(path[..end].to_vec()))
            }
        })
    }

    /// The address `connect` and `sendto` need: the family alone is `EINVAL`.
    pub fn named(self) -> Result<UnixAddress, Errno> {
        match self {
            AddressArg::Named(address) => Ok(address),
            AddressArg::FamilyOnly => Err(Errno::EINVAL),
        }
    }
}

impl UnixAddress {
    /// The name `bind` gives an unnamed socket (Linux's autobind): five hex digits
    /// of `number` as an abstract name.
    pub fn automatic(number: u32) -> UnixAddress {
        let digits = alloc::format!("{:05x}", number & 0xf_ffff);
        UnixAddress::Abstract(digits.into_bytes())
    }

    /// The `sockaddr_un` bytes `getsockname`, `getpeername`, `accept` and `recvfrom`
    /// give for a socket with this name (`None`: unnamed, the family alone): a path
    /// with its NUL, an abstract name after its NUL, as long as Linux's.
    pub fn to_sockaddr(address: Option<&UnixAddress>) -> Vec<u8> {
        let mut bytes = AF_UNIX.to_le_bytes().to_vec();
        match address {
            None => {}
            Some(UnixAddress::Path(path)) => {
                bytes.extend_from_slice(path);
                bytes.push(0);
            }
            Some(UnixAddress::Abstract(name)) => {
                bytes.push(0);
                bytes.extend_from_slice(name);
            }
        }
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(path: &[u8]) -> Vec<u8> {
        [&AF_UNIX.to_le_bytes()[..], path].concat()
    }

    #[test]
    fn paths_end_at_their_first_nul() {
        let path = AddressArg::parse(&raw(b"/tmp/s\0junk")).unwrap();
        assert_eq!(path, AddressArg::Named(UnixAddress::Path(b"/tmp/s".to_vec())));
        let unterminated = AddressArg::parse(&raw(b"sock")).unwrap();
        assert_eq!(unterminated, AddressArg::Named(UnixAddress::Path(b"sock".to_vec())));
        assert_eq!(UnixAddress::to_sockaddr(Some(&UnixAddress::Path(b"sock".to_vec()))), raw(b"sock\0"));
    }

    #[test]
    fn abstract_names_keep_every_byte_after_the_nul() {
        let name = AddressArg::parse(&raw(b"\0a\0b")).unwrap().named().unwrap();
        assert_eq!(name, UnixAddress::Abstract(b"a\0b".to_vec()));
        assert_eq!(UnixAddress::to_sockaddr(Some(&name)), raw(b"\0a\0b"));
        assert_eq!(UnixAddress::automatic(0x1_2345), UnixAddress::Abstract(b"12345".to_vec()));
    }

    #[test]
    fn bad_lengths_and_families_are_einval() {
        assert_eq!(AddressArg::parse(&[1]), Err(Errno::EINVAL));
        assert_eq!(AddressArg::parse(&[1; SOCKADDR_UN_SIZE + 1]), Err(Errno::EINVAL));
        assert_eq!(AddressArg::parse(&[2, 0, b'x']), Err(Errno::EINVAL), "AF_INET");
        assert_eq!(AddressArg::parse(&raw(b"")), Ok(AddressArg::FamilyOnly));
        assert_eq!(AddressArg::FamilyOnly.named(), Err(Errno::EINVAL));
        assert_eq!(UnixAddress::to_sockaddr(None), raw(b""));
    }
}
