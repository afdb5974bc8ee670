//! Event files: epoll (`struct epoll_event`, its event bits and control
//! operations), timerfd (flags, `struct itimerspec`) and signalfd (flags,
//! `struct signalfd_siginfo` made from a `siginfo_t`).
use crate::SigInfo;
use crate::structs::Timespec;

// epoll_create1 flag (O_CLOEXEC).
pub const EPOLL_CLOEXEC: u32 = 0o2000000;

// epoll_ctl operations.
pub const EPOLL_CTL_ADD: i32 = 1;
pub const EPOLL_CTL_DEL: i32 = 2;
pub const EPOLL_CTL_MOD: i32 = 3;

// epoll event bits: the poll bits (`fs::POLL*`) plus these.
pub const EPOLLIN: u32 = 0x1;
pub const EPOLLPRI: u32 = 0x2;
pub const EPOLLOUT: u32 = 0x4;
pub const EPOLLERR: u32 = 0x8;
pub const EPOLLHUP: u32 = 0x10;
pub const EPOLLRDNORM: u32 = 0x40;
pub const EPOLLRDBAND: u32 = 0x80;
pub const EPOLLWRNORM: u32 = 0x100;
pub const EPOLLWRBAND: u32 = 0x200;
pub const EPOLLMSG: u32 = 0x400;
pub const EPOLLRDHUP: u32 = 0x2000;
pub const EPOLLEXCLUSIVE: u32 = 1 << 28;
pub const EPOLLWAKEUP: u32 = 1 << 29;
pub const EPOLLONESHOT: u32 = 1 << 30;
pub const EPOLLET: u32 = 1 << 31;
/// The bits EPOLLEXCLUSIVE may come with (Linux's EPOLLEXCLUSIVE_OK_BITS).
pub const EPOLLEXCLUSIVE_OK_BITS: u32 =
    EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE;
/// Most events one epoll_wait may ask for (Linux's EP_MAX_EVENTS).
pub const EP_MAX_EVENTS: i32 = i32::MAX / EpollEvent::SIZE as i32;

linux_struct! {
    /// `struct epoll_event`: packed on x86-64 (the 64-bit data right after the
    /// 32-bit events), so the data is two 32-bit halves here.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct EpollEvent (12 bytes) {
        pub events: u32,
        pub data: [u32; 2],
    }
}

impl EpollEvent {
    pub fn new(events: u32, data: u64) -> Self {
        Self { events, data: [data as u32, (data >> 32) as u32] }
    }

    /// The caller's 64-bit data (epoll_data_t).
    pub fn data(&self) -> u64 {
        u64::from(self.data[0]) | (u64::from(self.data[1]) << 32)
    }
}

// timerfd_create flags (O_CLOEXEC, O_NONBLOCK) and timerfd_settime flags.
pub const TFD_CLOEXEC: u32 = 0o2000000;
pub const TFD_NONBLOCK: u32 = 0o4000;
pub const TFD_TIMER_ABSTIME: u32 = 1;
pub const TFD_TIMER_CANCEL_ON_SET: u32 = 2;

linux_struct! {
    /// `struct itimerspec`: timerfd_settime and timerfd_gettime.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct Itimerspec (32 bytes) {
        pub it_interval: Timespec,
        pub it_value: Timespec,
    }
}

// signalfd4 flags (O_CLOEXEC, O_NONBLOCK).
pub const SFD_CLOEXEC: u32 = 0o2000000;
pub const SFD_NONBLOCK: u32 = 0o4000;

linux_struct! {
    /// `struct signalfd_siginfo`: what a read of a signalfd returns per signal.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct SignalfdSiginfo (128 bytes) {
        pub ssi_signo: u32,
        pub ssi_errno: i32,
        pub ssi_code: i32,
        pub ssi_pid: u32,
        pub ssi_uid: u32,
        pub ssi_fd: i32,
        pub ssi_tid: u32,
        pub ssi_band: u32,
        pub ssi_overrun: u32,
        pub ssi_trapno: u32,
        pub ssi_status: i32,
        pub ssi_int: i32,
        pub ssi_ptr: u64,
        pub ssi_utime: u64,
        pub ssi_stime: u64,
        pub ssi_addr: u64,
        pub ssi_addr_lsb: u16,
        pub pad2: u16,
        pub ssi_syscall: i32,
        pub ssi_call_addr: u64,
        pub ssi_arch: u32,
        pub pad: [u32; 7],
    }
}

/// si_code values that tell how a siginfo's union is laid out.
const SI_USER: i32 = 0;
const SI_KERNEL: i32 = 0x80;

impl SignalfdSiginfo {
    /// The record for a signal with details `info`, as Linux's
    /// signalfd_copyinfo: the union is read by the layout its signal and code
    /// give (sender for kill and queued signals, child and status for SIGCHLD,
    /// address for faults).
    pub fn from_siginfo(info: &SigInfo) -> Self {
        let mut out = Self {
            ssi_signo: info.si_signo as u32,
            ssi_errno: info.si_errno,
            ssi_code: info.si_code,
            ..Self::default()
        };
        let [first, second, ..] = info.fields;
        let by_kernel_cause = info.si_code > SI_USER && info.si_code < SI_KERNEL;
        match info.si_signo {
            // SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV from a fault: the address.
            4 | 5 | 7 | 8 | 11 if by_kernel_cause => out.ssi_addr = first,
            // SIGCHLD from a child's change: its pid, uid and status.
            17 if by_kernel_cause => {
                (out.ssi_pid, out.ssi_uid) = (first as u32, (first >> 32) as u32);
                out.ssi_status = second as u32 as i32;
            }
            _ if !by_kernel_cause => (out.ssi_pid, out.ssi_uid) = (first as u32, (first >> 32) as u32),
            _ => {}
        }
        out
    }
}

/// `struct timespec` for `ns` nanoseconds (timerfd's settings, timeouts
/// written back).
pub fn timespec_of_ns(ns: u64) -> Timespec {
    Timespec { tv_sec: (ns / 1_000_000_000) as i64, tv_nsec: (ns % 1_000_000_000) as i64 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::offset_of;

    #[test]
    fn constants_are_linux_values() {
        let bits: &[(u32, libc::c_int)] = &[
            (EPOLL_CLOEXEC, libc::EPOLL_CLOEXEC),
            (EPOLLIN, libc::EPOLLIN),
            (EPOLLPRI, libc::EPOLLPRI),
            (EPOLLOUT, libc::EPOLLOUT),
            (EPOLLERR, libc::EPOLLERR),
            (EPOLLHUP, libc::EPOLLHUP),
            (EPOLLRDNORM, libc::EPOLLRDNORM),
            (EPOLLRDBAND, libc::EPOLLRDBAND),
            (EPOLLWRNORM, libc::EPOLLWRNORM),
            (EPOLLWRBAND, libc::EPOLLWRBAND),
            (EPOLLMSG, libc::EPOLLMSG),
            (EPOLLRDHUP, libc::EPOLLRDHUP),
            (EPOLLEXCLUSIVE, libc::EPOLLEXCLUSIVE),
            (EPOLLWAKEUP, libc::EPOLLWAKEUP),
            (EPOLLONESHOT, libc::EPOLLONESHOT),
            (EPOLLET, libc::EPOLLET),
            (TFD_CLOEXEC, libc::TFD_CLOEXEC),
            (TFD_NONBLOCK, libc::TFD_NONBLOCK),
            (TFD_TIMER_ABSTIME, libc::TFD_TIMER_ABSTIME),
            (TFD_TIMER_CANCEL_ON_SET, libc::TFD_TIMER_CANCEL_ON_SET),
            (SFD_CLOEXEC, libc::SFD_CLOEXEC),
            (SFD_NONBLOCK, libc::SFD_NONBLOCK),
        ];
        for &(ours, linux) in bits {
            assert_eq!(ours, linux as u32);
        }
        assert_eq!(EPOLL_CTL_ADD, libc::EPOLL_CTL_ADD);
        assert_eq!(EPOLL_CTL_DEL, libc::EPOLL_CTL_DEL);
        assert_eq!(EPOLL_CTL_MOD, libc::EPOLL_CTL_MOD);
    }

    #[test]
    fn layouts_are_linux_layouts() {
        assert_eq!(EpollEvent::SIZE, size_of::<libc::epoll_event>());
        assert_eq!(Itimerspec::SIZE, size_of::<libc::itimerspec>());
        assert_eq!(offset_of!(Itimerspec, it_value), offset_of!(libc::itimerspec, it_value));
        assert_eq!(SignalfdSiginfo::SIZE, size_of::<libc::signalfd_siginfo>());
        assert_eq!(offset_of!(SignalfdSiginfo, ssi_pid), offset_of!(libc::signalfd_siginfo, ssi_pid));
        assert_eq!(offset_of!(SignalfdSiginfo, ssi_status), offset_of!(libc::signalfd_siginfo, ssi_status));
        assert_eq!(offset_of!(SignalfdSiginfo, ssi_addr), offset_of!(libc::signalfd_siginfo, ssi_addr));
        assert_eq!(offset_of!(SignalfdSiginfo, ssi_syscall), offset_of!(libc::signalfd_siginfo, ssi_syscall));
        assert_eq!(offset_of!(SignalfdSiginfo, ssi_arch), offset_of!(libc::signalfd_siginfo, ssi_arch));
        // Packed: the data right after the events.
        let mut bytes = [0u8; 12];
        bytes[..4].copy_from_slice(&5u32.to_le_bytes());
        bytes[4..].copy_from_slice(&0x1122_3344_5566_7788u64.to_le_bytes());
        assert_eq!(core::mem::offset_of!(libc::epoll_event, u64), 4);
        let ours = EpollEvent::from_bytes(&bytes);
        assert_eq!((ours.events, ours.data()), (5, 0x1122_3344_5566_7788));
        assert_eq!(EpollEvent::new(5, 0x1122_3344_5566_7788).to_bytes(), bytes);
    }

    #[test]
    fn signalfd_records_read_the_union_by_layout() {
        let mut kill = SigInfo { si_signo: 10, si_code: SI_USER, ..SigInfo::default() };
        kill.fields[0] = 42 | (7 << 32);
        let record = SignalfdSiginfo::from_siginfo(&kill);
        assert_eq!((record.ssi_signo, record.ssi_pid, record.ssi_uid, record.ssi_addr), (10, 42, 7, 0));

        let mut fault = SigInfo { si_signo: 11, si_code: 1, ..SigInfo::default() };
        fault.fields[0] = 0xdead_0000;
        let record = SignalfdSiginfo::from_siginfo(&fault);
        assert_eq!((record.ssi_addr, record.ssi_pid), (0xdead_0000, 0));

        let mut child = SigInfo { si_signo: 17, si_code: 1, ..SigInfo::default() };
        child.fields[0] = 99;
        child.fields[1] = 3;
        let record = SignalfdSiginfo::from_siginfo(&child);
        assert_eq!((record.ssi_pid, record.ssi_status, record.ssi_code), (99, 3, 1));
    }

    #[test]
    fn timespecs_split_nanoseconds() {
        assert_eq!(timespec_of_ns(2_500_000_001), Timespec { tv_sec: 2, tv_nsec: 500_000_001 });
    }
}
