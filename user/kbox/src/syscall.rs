//! The results of libc's system-call wrappers as `io::Result`s, for the applets that
//! make such calls themselves (`date -s`, `hostname NAME`, `touch`, `uname`, `reboot`).
use std::ffi::c_int;
use std::io;

/// A wrapper's result: 0 is success, anything else a failure described by errno.
pub fn check(result: c_int) -> io::Result<()> {
    if result == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_carry_errno() {
        assert!(check(0).is_ok());
        // SAFETY: close takes a plain descriptor number; -1 is never open.
        let err = check(unsafe { libc::close(-1) }).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EBADF));
    }
}
