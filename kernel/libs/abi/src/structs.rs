//! Linux x86-64 struct layouts that cross the syscall boundary, each with its size
//! checked at compile time and `to_bytes`/`from_bytes` for the user-copy layer.

linux_struct! {
    /// `struct stat` (x86-64): `stat`, `fstat`, `lstat`, `newfstatat`.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct Stat (144 bytes) {
        pub st_dev: u64,
        pub st_ino: u64,
        pub st_nlink: u64,
        /// File type (`fs::S_IF*`) and permission bits.
        pub st_mode: u32,
        pub st_uid: u32,
        pub st_gid: u32,
        pub pad0: u32,
        pub st_rdev: u64,
        pub st_size: i64,
        pub st_blksize: i64,
        /// Size in 512-byte blocks.
        pub st_blocks: i64,
        pub st_atime: i64,
        pub st_atime_nsec: i64,
        pub st_mtime: i64,
        pub st_mtime_nsec: i64,
        pub st_ctime: i64,
        pub st_ctime_nsec: i64,
        pub unused: [i64; 3],
    }
}

linux_struct! {
    /// `struct timespec`: `nanosleep`, `clock_gettime`, `ppoll`, ...
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct Timespec (16 bytes) {
        pub tv_sec: i64,
        pub tv_nsec: i64,
    }
}

linux_struct! {
    /// `struct timeval`: `gettimeofday`, and the times in `struct rusage`.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct Timeval (16 bytes) {
        pub tv_sec: i64,
        pub tv_usec: i64,
    }
}

/// The length of each `struct utsname` field, including its NUL.
pub const UTSNAME_FIELD_LEN: usize = 65;

linux_struct! {
    /// `struct new_utsname`: `uname`. Each field is a NUL-terminated string.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Utsname (390 bytes) {
        pub sysname: [u8; UTSNAME_FIELD_LEN],
        pub nodename: [u8; UTSNAME_FIELD_LEN],
        pub release: [u8; UTSNAME_FIELD_LEN],
        pub version: [u8; UTSNAME_FIELD_LEN],
        pub machine: [u8; UTSNAME_FIELD_LEN],
        pub domainname: [u8; UTSNAME_FIELD_LEN],
    }
}

impl Default for Utsname {
    fn default() -> Self {
        Utsname::from_bytes(&[0; Utsname::SIZE])
    }
}

impl Utsname {
    /// A field holding `text`, cut to 64 bytes so that a NUL always ends it.
    pub fn text_field(text: &[u8]) -> [u8; UTSNAME_FIELD_LEN] {
        let mut field = [0; UTSNAME_FIELD_LEN];
        let len = text.len().min(UTSNAME_FIELD_LEN - 1);
        field[..len].copy_from_slice(&text[..len]);
        field
    }
}

/// The number of control characters in the kernel's `struct termios`.
pub const NCCS: usize = 19;

linux_struct! {
    /// The kernel's `struct termios` (`TCGETS`/`TCSETS*`; not glibc's larger one).
    /// Flag bits and `c_cc` indices are in [`crate::tty`].
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct Termios (36 bytes) {
        pub c_iflag: u32,
        pub c_oflag: u32,
        pub c_cflag: u32,
        pub c_lflag: u32,
        pub c_line: u8,
        pub c_cc: [u8; NCCS],
    }
}

linux_struct! {
    /// `struct winsize`: `TIOCGWINSZ`/`TIOCSWINSZ`.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct Winsize (8 bytes) {
        pub ws_row: u16,
        pub ws_col: u16,
        pub ws_xpixel: u16,
        pub ws_ypixel: u16,
    }
}

linux_struct! {
    /// `struct iovec`: `readv`, `writev`.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct IoVec (16 bytes) {
        /// A user address.
        pub iov_base: u64,
        pub iov_len: u64,
    }
}

linux_struct! {
    /// `struct pollfd`: `poll`, `ppoll`. Event bits are `fs::POLL*`.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct PollFd (8 bytes) {
        pub fd: i32,
        pub events: i16,
        pub revents: i16,
    }
}

linux_struct! {
    /// The kernel's `struct sigaction` for `rt_sigaction` (x86-64; not glibc's layout):
    /// the handler (or `signal::SIG_DFL`/`SIG_IGN`), `signal::SA_*` flags, the restorer
    /// that returns through `rt_sigreturn`, and the 64-bit mask blocked in the handler.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct SigAction (32 bytes) {
        pub sa_handler: u64,
        pub sa_flags: u64,
        pub sa_restorer: u64,
        pub sa_mask: u64,
    }
}

linux_struct! {
    /// `stack_t`: `sigaltstack`. Flags are `signal::SS_*`.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct SigAltStack (24 bytes) {
        pub ss_sp: u64,
        pub ss_flags: i32,
        pub pad: u32,
        pub ss_size: u64,
    }
}

linux_struct! {
    /// `struct rlimit`: `getrlimit`, `setrlimit`, `prlimit64`
    /// (`process::RLIM_INFINITY` for no limit).
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct Rlimit (16 bytes) {
        pub rlim_cur: u64,
        pub rlim_max: u64,
    }
}

linux_struct! {
    /// `struct timezone`: `gettimeofday` and `settimeofday` (minutes west of
    /// Greenwich, and an obsolete daylight-saving kind).
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct Timezone (8 bytes) {
        pub tz_minuteswest: i32,
        pub tz_dsttime: i32,
    }
}

linux_struct! {
    /// `struct tms`: `times`, in clock ticks (`time::USER_HZ`).
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct Tms (32 bytes) {
        pub tms_utime: i64,
        pub tms_stime: i64,
        pub tms_cutime: i64,
        pub tms_cstime: i64,
    }
}

linux_struct! {
    /// `struct rusage`: `wait4`, `getrusage`.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct Rusage (144 bytes) {
        pub ru_utime: Timeval,
        pub ru_stime: Timeval,
        pub ru_maxrss: i64,
        pub ru_ixrss: i64,
        pub ru_idrss: i64,
        pub ru_isrss: i64,
        pub ru_minflt: i64,
        pub ru_majflt: i64,
        pub ru_nswap: i64,
        pub ru_inblock: i64,
        pub ru_oublock: i64,
        pub ru_msgsnd: i64,
        pub ru_msgrcv: i64,
        pub ru_nsignals: i64,
        pub ru_nvcsw: i64,
        pub ru_nivcsw: i64,
    }
}

linux_struct! {
    /// `struct sysinfo`: `sysinfo` (memory figures in units of `mem_unit` bytes).
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct Sysinfo (112 bytes) {
        pub uptime: i64,
        pub loads: [u64; 3],
        pub totalram: u64,
        pub freeram: u64,
        pub sharedram: u64,
        pub bufferram: u64,
        pub totalswap: u64,
        pub freeswap: u64,
        pub procs: u16,
        pub pad: u16,
        pub pad2: u32,
        pub totalhigh: u64,
        pub freehigh: u64,
        pub mem_unit: u32,
        pub reserved: u32,
    }
}

linux_struct! {
    /// `struct sigcontext` (x86-64): the registers a signal handler's frame saves and
    /// `rt_sigreturn` restores.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct SigContext (256 bytes) {
        pub r8: u64,
        pub r9: u64,
        pub r10: u64,
        pub r11: u64,
        pub r12: u64,
        pub r13: u64,
        pub r14: u64,
        pub r15: u64,
        pub rdi: u64,
        pub rsi: u64,
        pub rbp: u64,
        pub rbx: u64,
        pub rdx: u64,
        pub rax: u64,
        pub rcx: u64,
        pub rsp: u64,
        pub rip: u64,
        pub eflags: u64,
        pub cs: u16,
        pub gs: u16,
        pub fs: u16,
        pub ss: u16,
        pub err: u64,
        pub trapno: u64,
        pub oldmask: u64,
        pub cr2: u64,
        /// User address of the saved FPU state (fxsave format).
        pub fpstate: u64,
        pub reserved: [u64; 8],
    }
}

linux_struct! {
    /// The kernel's `struct ucontext` in a signal frame (not glibc's larger one).
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct UContext (304 bytes) {
        pub uc_flags: u64,
        pub uc_link: u64,
        pub uc_stack: SigAltStack,
        pub uc_mcontext: SigContext,
        pub uc_sigmask: u64,
    }
}

linux_struct! {
    /// `siginfo_t`: signal number, code, and a union whose first words hold the
    /// sender's pid and uid (kill), the faulting address (SIGSEGV, SIGBUS), or the
    /// child's pid, uid and status (SIGCHLD).
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct SigInfo (128 bytes) {
        pub si_signo: i32,
        pub si_errno: i32,
        pub si_code: i32,
        pub pad: i32,
        pub fields: [u64; 14],
    }
}

linux_struct! {
    /// `struct statx_timestamp`.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct StatxTimestamp (16 bytes) {
        pub tv_sec: i64,
        pub tv_nsec: u32,
        pub reserved: i32,
    }
}

linux_struct! {
    /// `struct statx`: `statx`.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct Statx (256 bytes) {
        pub stx_mask: u32,
        pub stx_blksize: u32,
        pub stx_attributes: u64,
        pub stx_nlink: u32,
        pub stx_uid: u32,
        pub stx_gid: u32,
        pub stx_mode: u16,
        pub spare0: u16,
        pub stx_ino: u64,
        pub stx_size: u64,
        pub stx_blocks: u64,
        pub stx_attributes_mask: u64,
        pub stx_atime: StatxTimestamp,
        pub stx_btime: StatxTimestamp,
        pub stx_ctime: StatxTimestamp,
        pub stx_mtime: StatxTimestamp,
        pub stx_rdev_major: u32,
        pub stx_rdev_minor: u32,
        pub stx_dev_major: u32,
        pub stx_dev_minor: u32,
        pub spare: [u64; 14],
    }
}

linux_struct! {
    /// `struct statfs`: `statfs`, `fstatfs`.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct Statfs (120 bytes) {
        pub f_type: i64,
        pub f_bsize: i64,
        pub f_blocks: u64,
        pub f_bfree: u64,
        pub f_bavail: u64,
        pub f_files: u64,
        pub f_ffree: u64,
        pub f_fsid: [i32; 2],
        pub f_namelen: i64,
        pub f_frsize: i64,
        pub f_flags: i64,
        pub f_spare: [i64; 4],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::offset_of;

    #[test]
    fn sizes_match_the_host_linux_structs() {
        assert_eq!(size_of::<Stat>(), size_of::<libc::stat>());
        assert_eq!(size_of::<Timespec>(), size_of::<libc::timespec>());
        assert_eq!(size_of::<Timeval>(), size_of::<libc::timeval>());
        assert_eq!(size_of::<Utsname>(), size_of::<libc::utsname>());
        assert_eq!(size_of::<Winsize>(), size_of::<libc::winsize>());
        assert_eq!(size_of::<IoVec>(), size_of::<libc::iovec>());
        assert_eq!(size_of::<PollFd>(), size_of::<libc::pollfd>());
        assert_eq!(size_of::<SigAltStack>(), size_of::<libc::stack_t>());
        assert_eq!(size_of::<Rlimit>(), size_of::<libc::rlimit>());
        assert_eq!(size_of::<Rusage>(), size_of::<libc::rusage>());
        assert_eq!(size_of::<Tms>(), size_of::<libc::tms>());
        assert_eq!(size_of::<Sysinfo>(), size_of::<libc::sysinfo>());
        assert_eq!(size_of::<SigInfo>(), size_of::<libc::siginfo_t>());
        assert_eq!(size_of::<Statx>(), size_of::<libc::statx>());
        assert_eq!(offset_of!(Statx, stx_mtime), offset_of!(libc::statx, stx_mtime));
        assert_eq!(offset_of!(Statx, stx_dev_minor), offset_of!(libc::statx, stx_dev_minor));
        assert_eq!(size_of::<Statfs>(), size_of::<libc::statfs>());
        assert_eq!(offset_of!(Statfs, f_namelen), offset_of!(libc::statfs, f_namelen));
        // glibc's mcontext_t is gregs[23] + fpregs pointer + 8 reserved words: the
        // same 256 bytes as the kernel's sigcontext.
        assert_eq!(size_of::<SigContext>(), size_of::<libc::mcontext_t>());
        assert_eq!(offset_of!(Sysinfo, freeram), offset_of!(libc::sysinfo, freeram));
        assert_eq!(offset_of!(Sysinfo, procs), offset_of!(libc::sysinfo, procs));
        assert_eq!(offset_of!(Sysinfo, mem_unit), offset_of!(libc::sysinfo, mem_unit));
    }

    #[test]
    fn stat_fields_are_where_linux_has_them() {
        macro_rules! same_offsets {
            ($($field:ident),*) => {$(
                assert_eq!(
                    offset_of!(Stat, $field),
                    offset_of!(libc::stat, $field),
                    stringify!($field)
                );
            )*};
        }
        same_offsets!(
            st_dev,
            st_ino,
            st_nlink,
            st_mode,
            st_uid,
            st_gid,
            st_rdev,
            st_size,
            st_blksize,
            st_blocks,
            st_atime,
            st_atime_nsec,
            st_mtime,
            st_mtime_nsec,
            st_ctime,
            st_ctime_nsec
        );
    }

    #[test]
    fn other_fields_are_where_linux_has_them() {
        assert_eq!(offset_of!(PollFd, revents), offset_of!(libc::pollfd, revents));
        assert_eq!(offset_of!(SigAltStack, ss_flags), offset_of!(libc::stack_t, ss_flags));
        assert_eq!(offset_of!(SigAltStack, ss_size), offset_of!(libc::stack_t, ss_size));
        assert_eq!(offset_of!(Rusage, ru_maxrss), offset_of!(libc::rusage, ru_maxrss));
        assert_eq!(offset_of!(Rusage, ru_nivcsw), offset_of!(libc::rusage, ru_nivcsw));
        assert_eq!(offset_of!(Utsname, machine), offset_of!(libc::utsname, machine));
        // The kernel's termios starts like glibc's; glibc's c_cc is longer.
        assert_eq!(offset_of!(Termios, c_line), offset_of!(libc::termios, c_line));
        assert_eq!(offset_of!(Termios, c_cc), offset_of!(libc::termios, c_cc));
        assert_eq!(offset_of!(Termios, c_cc), offset_of!(libc::termios2, c_cc));
        // termios2 is the kernel's termios followed by the two speeds.
        assert_eq!(offset_of!(libc::termios2, c_ispeed), Termios::SIZE);
    }

    #[test]
    fn bytes_are_the_little_endian_fields_in_order() {
        let stat = Stat {
            st_ino: 0x0102_0304_0506_0708,
            st_mode: 0o100644,
            st_size: -2,
            unused: [0, 0, 7],
            ..Stat::default()
        };
        let bytes = stat.to_bytes();
        assert_eq!(bytes[8..16], 0x0102_0304_0506_0708u64.to_le_bytes());
        assert_eq!(bytes[24..28], 0o100644u32.to_le_bytes());
        assert_eq!(bytes[48..56], (-2i64).to_le_bytes());
        assert_eq!(bytes[136..144], 7i64.to_le_bytes());
        assert_eq!(Stat::from_bytes(&bytes), stat);

        let pollfd = PollFd { fd: 3, events: 1, revents: -1 };
        assert_eq!(pollfd.to_bytes(), [3, 0, 0, 0, 1, 0, 0xff, 0xff]);
        assert_eq!(PollFd::from_bytes(&pollfd.to_bytes()), pollfd);

        let rusage = Rusage { ru_stime: Timeval { tv_sec: 1, tv_usec: 2 }, ru_nivcsw: 9, ..Rusage::default() };
        let bytes = rusage.to_bytes();
        assert_eq!(bytes[16..24], 1i64.to_le_bytes());
        assert_eq!(bytes[24..32], 2i64.to_le_bytes());
        assert_eq!(bytes[136..144], 9i64.to_le_bytes());
        assert_eq!(Rusage::from_bytes(&bytes), rusage);
    }

    #[test]
    fn utsname_fields_are_nul_terminated() {
        let uts = Utsname {
            sysname: Utsname::text_field(b"Linux"),
            machine: Utsname::text_field(&[b'x'; 100]),
            ..Utsname::default()
        };
        let bytes = uts.to_bytes();
        assert_eq!(&bytes[..6], b"Linux\0");
        let machine = &bytes[4 * UTSNAME_FIELD_LEN..5 * UTSNAME_FIELD_LEN];
        assert!(machine[..64].iter().all(|&b| b == b'x'));
        assert_eq!(machine[64], 0);
    }
}
