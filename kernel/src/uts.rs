//! The system's identity as uname(2) and /proc report it: system name, release,
//! version, machine, and the host name sethostname changes.
use alloc::vec::Vec;

use spin::Mutex;

use crate::arch::cpu::without_interrupts;

pub const SYSNAME: &str = "Kestrel";
pub const RELEASE: &str = env!("CARGO_PKG_VERSION");
pub const VERSION: &str = "#1";
pub const MACHINE: &str = "x86_64";
/// Linux's limit on a host name.
pub const HOST_NAME_MAX: usize = 64;
const DEFAULT_HOSTNAME: &[u8] = b"kestrel";

static HOSTNAME: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// The host name ("kestrel" until one is set).
pub fn hostname() -> Vec<u8> {
    let name = without_interrupts(|| HOSTNAME.lock().clone());
    if name.is_empty() { DEFAULT_HOSTNAME.to_vec() } else { name }
}

/// Set the host name (the caller checks the length).
pub fn set_hostname(name: Vec<u8>) {
    without_interrupts(|| *HOSTNAME.lock() = name);
}
