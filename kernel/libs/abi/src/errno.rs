//! `Errno`: Linux's error numbers, their names and strerror texts, and the one place
//! where a syscall's `Result` becomes the `-errno` value returned in rax.

macro_rules! errnos {
    ($($(#[$attr:meta])* $name:ident = $value:literal, $text:literal;)*) => {
        /// A Linux errno value (x86-64, `asm-generic/errno-base.h` and `errno.h`).
        ///
        /// Syscall implementations return `Result<usize, Errno>`; [`to_syscall_return`]
        /// turns that into the value user space sees in rax.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(i32)]
        pub enum Errno {
            $($(#[$attr])* #[doc = $text] $name = $value,)*
        }

        impl Errno {
            /// Every errno this enum knows, in increasing order of value.
            pub const ALL: &[Errno] = &[$(Errno::$name,)*];

            /// The symbolic name, such as `"ENOENT"`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Errno::$name => stringify!($name),)*
                }
            }

            /// The text `strerror` gives on Linux (glibc), such as
            /// `"No such file or directory"`.
            pub const fn description(self) -> &'static str {
                match self {
                    $(Errno::$name => $text,)*
                }
            }

            /// The errno with this value, if this enum has it.
            pub const fn from_raw(value: i32) -> Option<Errno> {
                match value {
                    $($value => Some(Errno::$name),)*
                    _ => None,
                }
            }
        }
    };
}

errnos! {
    EPERM = 1, "Operation not permitted";
    ENOENT = 2, "No such file or directory";
    ESRCH = 3, "No such process";
    EINTR = 4, "Interrupted system call";
    EIO = 5, "Input/output error";
    ENXIO = 6, "No such device or address";
    E2BIG = 7, "Argument list too long";
    ENOEXEC = 8, "Exec format error";
    EBADF = 9, "Bad file descriptor";
    ECHILD = 10, "No child processes";
    EAGAIN = 11, "Resource temporarily unavailable";
    ENOMEM = 12, "Cannot allocate memory";
    EACCES = 13, "Permission denied";
    EFAULT = 14, "Bad address";
    ENOTBLK = 15, "Block device required";
    EBUSY = 16, "Device or resource busy";
    EEXIST = 17, "File exists";
    EXDEV = 18, "Invalid cross-device link";
    ENODEV = 19, "No such device";
    ENOTDIR = 20, "Not a directory";
    EISDIR = 21, "Is a directory";
    EINVAL = 22, "Invalid argument";
    ENFILE = 23, "Too many open files in system";
    EMFILE = 24, "Too many open files";
    ENOTTY = 25, "Inappropriate ioctl for device";
    ETXTBSY = 26, "Text file busy";
    EFBIG = 27, "File too large";
    ENOSPC = 28, "No space left on device";
    ESPIPE = 29, "Illegal seek";
    EROFS = 30, "Read-only file system";
    EMLINK = 31, "Too many links";
    EPIPE = 32, "Broken pipe";
    EDOM = 33, "Numerical argument out of domain";
    ERANGE = 34, "Numerical result out of range";
    EDEADLK = 35, "Resource deadlock avoided";
    ENAMETOOLONG = 36, "File name too long";
    ENOLCK = 37, "No locks available";
    ENOSYS = 38, "Function not implemented";
    ENOTEMPTY = 39, "Directory not empty";
    ELOOP = 40, "Too many levels of symbolic links";
    ENODATA = 61, "No data available";
    EOVERFLOW = 75, "Value too large for defined data type";
    ELIBBAD = 80, "Accessing a corrupted shared library";
    EILSEQ = 84, "Invalid or incomplete multibyte or wide character";
    ENOTSOCK = 88, "Socket operation on non-socket";
    EDESTADDRREQ = 89, "Destination address required";
    EMSGSIZE = 90, "Message too long";
    EPROTOTYPE = 91, "Protocol wrong type for socket";
    ENOPROTOOPT = 92, "Protocol not available";
    EPROTONOSUPPORT = 93, "Protocol not supported";
    ESOCKTNOSUPPORT = 94, "Socket type not supported";
    EOPNOTSUPP = 95, "Operation not supported";
    EAFNOSUPPORT = 97, "Address family not supported by protocol";
    EADDRINUSE = 98, "Address already in use";
    ECONNRESET = 104, "Connection reset by peer";
    ENOBUFS = 105, "No buffer space available";
    EISCONN = 106, "Transport endpoint is already connected";
    ENOTCONN = 107, "Transport endpoint is not connected";
    ETOOMANYREFS = 109, "Too many references: cannot splice";
    ETIMEDOUT = 110, "Connection timed out";
    ECONNREFUSED = 111, "Connection refused";
    ECANCELED = 125, "Operation canceled";
}

impl Errno {
    /// `EWOULDBLOCK` is another name for `EAGAIN` on Linux.
    pub const EWOULDBLOCK: Errno = Errno::EAGAIN;
    /// `ENOTSUP` is another name for `EOPNOTSUPP` on Linux.
    pub const ENOTSUP: Errno = Errno::EOPNOTSUPP;

    /// The value a failed syscall leaves in rax: `-errno`.
    pub const fn as_neg_isize(self) -> isize {
        -(self as i32 as isize)
    }
}

impl core::fmt::Display for Errno {
    /// `ENOENT (No such file or directory)`, for log lines.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} ({})", self.name(), self.description())
    }
}

/// Turns a syscall's result into the value returned to user space in rax: the success
/// value as is (its bits; an address above `isize::MAX` would read as negative, but user
/// addresses are below 2^47), or `-errno`, which lies in -4095..=-1 as Linux's do.
///
/// This is the one place where results become `-errno`.
pub fn to_syscall_return(result: Result<usize, Errno>) -> isize {
    match result {
        Ok(value) => value as isize,
        Err(errno) => errno.as_neg_isize(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_linux_values() {
        let pairs = [
            (Errno::EPERM, libc::EPERM),
            (Errno::ENOENT, libc::ENOENT),
            (Errno::ESRCH, libc::ESRCH),
            (Errno::EINTR, libc::EINTR),
            (Errno::EIO, libc::EIO),
            (Errno::ENXIO, libc::ENXIO),
            (Errno::E2BIG, libc::E2BIG),
            (Errno::ENOEXEC, libc::ENOEXEC),
            (Errno::EBADF, libc::EBADF),
            (Errno::ECHILD, libc::ECHILD),
            (Errno::EAGAIN, libc::EAGAIN),
            (Errno::ENOMEM, libc::ENOMEM),
            (Errno::EACCES, libc::EACCES),
            (Errno::EFAULT, libc::EFAULT),
            (Errno::ENOTBLK, libc::ENOTBLK),
            (Errno::EBUSY, libc::EBUSY),
            (Errno::EEXIST, libc::EEXIST),
            (Errno::EXDEV, libc::EXDEV),
            (Errno::ENODEV, libc::ENODEV),
            (Errno::ENOTDIR, libc::ENOTDIR),
            (Errno::EISDIR, libc::EISDIR),
            (Errno::EINVAL, libc::EINVAL),
            (Errno::ENFILE, libc::ENFILE),
            (Errno::EMFILE, libc::EMFILE),
            (Errno::ENOTTY, libc::ENOTTY),
            (Errno::ETXTBSY, libc::ETXTBSY),
            (Errno::EFBIG, libc::EFBIG),
            (Errno::ENOSPC, libc::ENOSPC),
            (Errno::ESPIPE, libc::ESPIPE),
            (Errno::EROFS, libc::EROFS),
            (Errno::EMLINK, libc::EMLINK),
            (Errno::EPIPE, libc::EPIPE),
            (Errno::EDOM, libc::EDOM),
            (Errno::ERANGE, libc::ERANGE),
            (Errno::EDEADLK, libc::EDEADLK),
            (Errno::ENAMETOOLONG, libc::ENAMETOOLONG),
            (Errno::ENOLCK, libc::ENOLCK),
            (Errno::ENOSYS, libc::ENOSYS),
            (Errno::ENOTEMPTY, libc::ENOTEMPTY),
            (Errno::ELOOP, libc::ELOOP),
            (Errno::ENODATA, libc::ENODATA),
            (Errno::EOVERFLOW, libc::EOVERFLOW),
            (Errno::ELIBBAD, libc::ELIBBAD),
            (Errno::EILSEQ, libc::EILSEQ),
            (Errno::ENOTSOCK, libc::ENOTSOCK),
            (Errno::EDESTADDRREQ, libc::EDESTADDRREQ),
            (Errno::EMSGSIZE, libc::EMSGSIZE),
            (Errno::EPROTOTYPE, libc::EPROTOTYPE),
            (Errno::ENOPROTOOPT, libc::ENOPROTOOPT),
            (Errno::EPROTONOSUPPORT, libc::EPROTONOSUPPORT),
            (Errno::ESOCKTNOSUPPORT, libc::ESOCKTNOSUPPORT),
            (Errno::EOPNOTSUPP, libc::EOPNOTSUPP),
            (Errno::EAFNOSUPPORT, libc::EAFNOSUPPORT),
            (Errno::EADDRINUSE, libc::EADDRINUSE),
            (Errno::ECONNRESET, libc::ECONNRESET),
            (Errno::ENOBUFS, libc::ENOBUFS),
            (Errno::EISCONN, libc::EISCONN),
            (Errno::ENOTCONN, libc::ENOTCONN),
            (Errno::ETOOMANYREFS, libc::ETOOMANYREFS),
            (Errno::ETIMEDOUT, libc::ETIMEDOUT),
            (Errno::ECONNREFUSED, libc::ECONNREFUSED),
            (Errno::ECANCELED, libc::ECANCELED),
            (Errno::EWOULDBLOCK, libc::EWOULDBLOCK),
            (Errno::ENOTSUP, libc::ENOTSUP),
        ];
        assert_eq!(pairs.len(), Errno::ALL.len() + 2, "every errno is checked");
        for (errno, linux) in pairs {
            assert_eq!(errno as i32, linux, "{}", errno.name());
        }
    }

    #[test]
    fn descriptions_are_the_host_strerror_texts() {
        for &errno in Errno::ALL {
            let host = std::io::Error::from_raw_os_error(errno as i32).to_string();
            let expected = format!("{} (os error {})", errno.description(), errno as i32);
            assert_eq!(host, expected, "{}", errno.name());
        }
    }

    #[test]
    fn from_raw_inverts_the_values() {
        for &errno in Errno::ALL {
            assert_eq!(Errno::from_raw(errno as i32), Some(errno));
        }
        assert_eq!(Errno::from_raw(0), None);
        assert_eq!(Errno::from_raw(4096), None);
        assert!(Errno::ALL.windows(2).all(|w| (w[0] as i32) < (w[1] as i32)));
    }

    #[test]
    fn syscall_return_is_minus_errno() {
        assert_eq!(to_syscall_return(Ok(42)), 42);
        assert_eq!(to_syscall_return(Err(Errno::ENOENT)), -2);
        assert_eq!(to_syscall_return(Err(Errno::ENOSYS)), -38);
        assert_eq!(Errno::EBADF.as_neg_isize(), -9);
        assert_eq!(Errno::ENOENT.to_string(), "ENOENT (No such file or directory)");
    }
}
