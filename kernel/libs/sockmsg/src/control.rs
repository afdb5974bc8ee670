//! Control messages (`struct cmsghdr` records in `msg_control`), as Linux's
//! `__scm_send` reads them for a Unix-domain socket and `put_cmsg` and
//! `scm_detach_fds` write them: each record is a 16-byte header (length, level,
//! type) and its data, the next one 8-byte aligned after it.
use alloc::vec::Vec;

use kabi::Errno;
use kabi::socket::{CmsgHdr, SCM_CREDENTIALS, SCM_MAX_FD, SCM_RIGHTS, SOL_SOCKET, Ucred};

/// The bytes a control message with `len` bytes of data takes (`CMSG_SPACE`).
pub const fn cmsg_space(len: usize) -> usize {
    CmsgHdr::SIZE + len.next_multiple_of(8)
}

/// What the control messages of a `sendmsg` ask for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Control {
    /// `SCM_RIGHTS`: the descriptors to pass, from every such message in order.
    pub rights: Vec<i32>,
    /// `SCM_CREDENTIALS`: the credentials to send (the last such message's).
    pub credentials: Option<Ucred>,
}

/// Reads the control messages in `buffer` (`msg_controllen` bytes). A buffer too
/// short for a header holds none. `EINVAL` for a record whose length is below the
/// header's or past the buffer, for a type other than `SCM_RIGHTS` and
/// `SCM_CREDENTIALS` at `SOL_SOCKET` (other levels are skipped), for credentials of
/// the wrong size and for more than `SCM_MAX_FD` descriptors.
pub fn parse_control(buffer: &[u8]) -> Result<Control, Errno> {
    let mut control = Control::default();
    let mut offset = 0;
    while let Some(header) = buffer.get(offset..offset + CmsgHdr::SIZE) {
        let header = CmsgHdr::from_bytes(header.try_into().map_err(|_| Errno::EINVAL)?);
        let len = usize::try_from(header.cmsg_len).map_err(|_| Errno::EINVAL)?;
        if len < CmsgHdr::SIZE || len > buffer.len() - offset {
            return Err(Errno::EINVAL);
        }
        let data = &buffer[offset + CmsgHdr::SIZE..offset + len];
        if header.cmsg_level == SOL_SOCKET {
            match header.cmsg_type {
                SCM_RIGHTS => {
                    let fds = data.chunks_exact(4).map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]]));
                    if control.rights.len() + data.len() / 4 > SCM_MAX_FD {
                        return Err(Errno::EINVAL);
                    }
                    control.rights.extend(fds);
                }
                SCM_CREDENTIALS => {
                    let bytes: &[u8; Ucred::SIZE] = data.try_into().map_err(|_| Errno::EINVAL)?;
                    control.credentials = Some(Ucred::from_bytes(bytes));
                }
                _ => return Err(Errno::EINVAL),
            }
        }
        offset += len.next_multiple_of(8);
    }
    Ok(control)
}

/// Writes control messages into a user's buffer of `capacity` bytes, as Linux
/// does: a message that does not fit whole is cut (its length says how much is
/// there) and sets `MSG_CTRUNC`, as does one for which not even a header fits.
#[derive(Debug)]
pub struct ControlWriter {
    bytes: Vec<u8>,
    capacity: usize,
    truncated: bool,
}

impl ControlWriter {
    pub fn new(capacity: usize) -> ControlWriter {
        ControlWriter { bytes: Vec::new(), capacity, truncated: false }
    }

    fn remaining(&self) -> usize {
        self.capacity - self.bytes.len()
    }

    /// Appends one message (`put_cmsg`).
    pub fn put(&mut self, level: i32, kind: i32, data: &[u8]) {
        let remaining = self.remaining();
        if remaining < CmsgHdr::SIZE {
            self.truncated = true;
            return;
        }
        let mut len = CmsgHdr::SIZE + data.len();
        if len > remaining {
            self.truncated = true;
            len = remaining;
        }
        let header = CmsgHdr { cmsg_len: len as u64, cmsg_level: level, cmsg_type: kind };
        let start = self.bytes.len();
        self.bytes.extend_from_slice(&header.to_bytes());
        self.bytes.extend_from_slice(&data[..len - CmsgHdr::SIZE]);
        self.bytes.resize(start + cmsg_space(data.len()).min(remaining), 0);
    }

    /// How many descriptors an `SCM_RIGHTS` message may still carry.
    pub fn rights_room(&self) -> usize {
        self.remaining().saturating_sub(CmsgHdr::SIZE) / 4
    }

    /// Appends an `SCM_RIGHTS` message of the descriptors installed (if any), out
    /// of `offered` sent: fewer is `MSG_CTRUNC` (the rest were closed).
    pub fn put_rights(&mut self, fds: &[i32], offered: usize) {
        if !fds.is_empty() {
            let data: Vec<u8> = fds.iter().flat_map(|fd| fd.to_le_bytes()).collect();
            self.put(SOL_SOCKET, SCM_RIGHTS, &data);
        }
        self.truncated |= fds.len() < offered;
    }

    pub fn put_credentials(&mut self, credentials: &Ucred) {
        self.put(SOL_SOCKET, SCM_CREDENTIALS, &credentials.to_bytes());
    }

    /// The bytes to copy out (`msg_controllen` becomes their length) and whether
    /// something was cut (`MSG_CTRUNC`).
    pub fn finish(self) -> (Vec<u8>, bool) {
        (self.bytes, self.truncated)
    }
}

#[cfg(test)]
mod tests;
