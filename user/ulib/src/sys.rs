//! The results of libc's system-call wrappers as `io::Result`s.
use std::io;

/// A wrapper's result (`c_int`, `isize`, `i64`, ...): its `-1` becomes the error in
/// errno, anything else is passed on.
pub fn check<T: PartialEq + From<i8>>(result: T) -> io::Result<T> {
    if result == T::from(-1) { Err(io::Error::last_os_error()) } else { Ok(result) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_carry_errno() {
        assert_eq!(check(0).unwrap(), 0);
        assert_eq!(check(7_isize).unwrap(), 7);
        // SAFETY: close takes a plain descriptor number; -1 is never open.
        let err = check(unsafe { libc::close(-1) }).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EBADF));
    }
}
