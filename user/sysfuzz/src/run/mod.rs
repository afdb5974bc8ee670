//! What only runs inside Kestrel: raw system calls (`raw`), the descriptor pool
//! (`pool`), the worker (`worker`), the supervisor (`supervisor`), the post-check
//! (`postcheck`) and the replay (`replay`); and the check that this is Kestrel.
pub mod pool;
pub mod postcheck;
pub mod raw;
pub mod replay;
pub mod supervisor;
pub mod worker;

/// The kernel's name (uname's sysname) that random calls may be issued on.
pub const KERNEL: &str = "Kestrel";

/// The running kernel's name, from uname(2).
pub fn kernel_name() -> String {
    // SAFETY: struct utsname is plain bytes; all-zero is a valid value.
    let mut names: libc::utsname = unsafe { std::mem::zeroed() };
    // SAFETY: uname fills the struct it is given.
    if unsafe { libc::uname(&mut names) } != 0 {
        return String::new();
    }
    let sysname: Vec<u8> = names.sysname.iter().take_while(|&&c| c != 0).map(|&c| c as u8).collect();
    String::from_utf8_lossy(&sysname).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_is_not_kestrel() {
        assert_eq!(kernel_name(), "Linux", "host tests run on Linux, where a campaign must refuse to start");
    }
}
