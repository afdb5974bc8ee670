//! The Linux x86-64 ABI as the kernel sees it: errno values, syscall numbers, struct
//! layouts and flag constants, all with Linux's values (docs/ARCHITECTURE.md, "System calls").
//!
//! Everything here is plain data: the kernel's syscall layer turns raw registers into
//! these types, and its user-copy layer copies `to_bytes()` of the structs to user memory.
//! The host tests check each value against the host's Linux headers (the `libc` crate).
#![cfg_attr(not(test), no_std)]

#[macro_use]
mod encode;

pub mod auxv;
pub mod errno;
pub mod events;
pub mod fs;
pub mod mm;
pub mod nr;
pub mod process;
pub mod signal;
pub mod socket;
pub mod structs;
pub mod syslog;
pub mod time;
pub mod tty;

pub use errno::{Errno, to_syscall_return};
pub use structs::*;
