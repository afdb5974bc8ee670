//! `sockmsg`: what crosses the boundary of a Unix-domain socket call, with
//! Linux's rules: `struct sockaddr_un` addresses (paths, abstract names, the
//! unnamed address) read from and written for user memory, and the control
//! messages of `sendmsg`/`recvmsg` (`SCM_RIGHTS`, `SCM_CREDENTIALS`) parsed from a
//! user's buffer and written into one, with `MSG_CTRUNC` when they do not fit.
#![cfg_attr(not(test), no_std)]

extern crate alloc;

mod address;
mod control;

pub use address::{AddressArg, UnixAddress};
pub use control::{Control, ControlWriter, cmsg_space, parse_control};
