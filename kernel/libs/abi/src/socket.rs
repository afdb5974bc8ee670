//! Socket ABI: address families, socket types and their flags, `SOL_SOCKET`
//! options, control-message types, send/receive flags, `shutdown` modes, and the
//! structs `sendmsg`/`recvmsg` and `SO_PEERCRED` use.

/// `AF_UNIX` (also `AF_LOCAL`): Unix-domain sockets, the only family Kestrel has.
pub const AF_UNSPEC: u16 = 0;
pub const AF_UNIX: u16 = 1;
pub const AF_INET: u16 = 2;
pub const AF_INET6: u16 = 10;
/// The number of address families Linux knows (`NPROTO`); larger ones are
/// `EAFNOSUPPORT`.
pub const AF_MAX: u16 = 46;

// Socket types (the low bits of `socket`'s type argument) and the flags beside them.
pub const SOCK_STREAM: u32 = 1;
pub const SOCK_DGRAM: u32 = 2;
pub const SOCK_RAW: u32 = 3;
pub const SOCK_RDM: u32 = 4;
pub const SOCK_SEQPACKET: u32 = 5;
pub const SOCK_PACKET: u32 = 10;
/// Mask of the type in `socket`'s type argument.
pub const SOCK_TYPE_MASK: u32 = 0xf;
pub const SOCK_NONBLOCK: u32 = crate::fs::O_NONBLOCK;
pub const SOCK_CLOEXEC: u32 = crate::fs::O_CLOEXEC;

/// The level of the generic socket options and of `SCM_*` control messages.
pub const SOL_SOCKET: i32 = 1;
pub const SO_DEBUG: i32 = 1;
pub const SO_REUSEADDR: i32 = 2;
pub const SO_TYPE: i32 = 3;
pub const SO_ERROR: i32 = 4;
pub const SO_SNDBUF: i32 = 7;
pub const SO_RCVBUF: i32 = 8;
pub const SO_KEEPALIVE: i32 = 9;
pub const SO_PASSCRED: i32 = 16;
pub const SO_PEERCRED: i32 = 17;
pub const SO_ACCEPTCONN: i32 = 30;
pub const SO_PROTOCOL: i32 = 38;
pub const SO_DOMAIN: i32 = 39;

// Control-message types at `SOL_SOCKET`.
pub const SCM_RIGHTS: i32 = 1;
pub const SCM_CREDENTIALS: i32 = 2;
/// Most descriptors one message may carry (`SCM_MAX_FD`).
pub const SCM_MAX_FD: usize = 253;

// send/recv flags.
pub const MSG_OOB: u32 = 0x1;
pub const MSG_PEEK: u32 = 0x2;
pub const MSG_CTRUNC: u32 = 0x8;
pub const MSG_TRUNC: u32 = 0x20;
pub const MSG_DONTWAIT: u32 = 0x40;
pub const MSG_EOR: u32 = 0x80;
pub const MSG_WAITALL: u32 = 0x100;
pub const MSG_NOSIGNAL: u32 = 0x4000;
pub const MSG_CMSG_CLOEXEC: u32 = 0x4000_0000;

// shutdown(2) modes.
pub const SHUT_RD: i32 = 0;
pub const SHUT_WR: i32 = 1;
pub const SHUT_RDWR: i32 = 2;

/// The largest `listen` backlog (`net.core.somaxconn`); larger ones and negative
/// ones are cut to it.
pub const SOMAXCONN: u32 = 4096;

/// The size of `struct sockaddr_un`: the family and 108 bytes of path.
pub const SOCKADDR_UN_SIZE: usize = 110;
/// The offset of `sun_path` in `struct sockaddr_un`.
pub const SUN_PATH_OFFSET: usize = 2;
/// The size of `struct sockaddr_storage`: the longest address a call takes.
pub const SOCKADDR_STORAGE_SIZE: usize = 128;

linux_struct! {
    /// `struct msghdr`: `sendmsg`, `recvmsg`.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct MsgHdr (56 bytes) {
        /// A user address of a socket address, and its length.
        pub msg_name: u64,
        pub msg_namelen: u32,
        pub pad: u32,
        /// A user address of `msg_iovlen` iovecs.
        pub msg_iov: u64,
        pub msg_iovlen: u64,
        /// A user address of control messages, and their length.
        pub msg_control: u64,
        pub msg_controllen: u64,
        /// `recvmsg`'s result flags (`MSG_TRUNC`, `MSG_CTRUNC`).
        pub msg_flags: u32,
        pub pad2: u32,
    }
}

linux_struct! {
    /// `struct cmsghdr`: the header of each control message, followed by its data
    /// and padding to 8 bytes.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct CmsgHdr (16 bytes) {
        /// The header's length plus the data's (not the padding).
        pub cmsg_len: u64,
        pub cmsg_level: i32,
        pub cmsg_type: i32,
    }
}

linux_struct! {
    /// `struct ucred`: `SO_PEERCRED` and `SCM_CREDENTIALS`.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct Ucred (12 bytes) {
        pub pid: i32,
        pub uid: u32,
        pub gid: u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::offset_of;

    #[test]
    fn constants_are_linux_values() {
        let families = [(AF_UNSPEC, libc::AF_UNSPEC), (AF_UNIX, libc::AF_UNIX), (AF_INET, libc::AF_INET)];
        for (ours, linux) in families.into_iter().chain([(AF_INET6, libc::AF_INET6)]) {
            assert_eq!(i32::from(ours), linux);
        }
        assert_eq!(AF_MAX, 46, "linux/socket.h's AF_MAX (the libc crate has none)");
        let types = [
            (SOCK_STREAM, libc::SOCK_STREAM),
            (SOCK_DGRAM, libc::SOCK_DGRAM),
            (SOCK_RAW, libc::SOCK_RAW),
            (SOCK_RDM, libc::SOCK_RDM),
            (SOCK_SEQPACKET, libc::SOCK_SEQPACKET),
            (SOCK_PACKET, 10), // libc deprecates its SOCK_PACKET
            (SOCK_NONBLOCK, libc::SOCK_NONBLOCK),
            (SOCK_CLOEXEC, libc::SOCK_CLOEXEC),
            (MSG_OOB, libc::MSG_OOB),
            (MSG_PEEK, libc::MSG_PEEK),
            (MSG_CTRUNC, libc::MSG_CTRUNC),
            (MSG_TRUNC, libc::MSG_TRUNC),
            (MSG_DONTWAIT, libc::MSG_DONTWAIT),
            (MSG_EOR, libc::MSG_EOR),
            (MSG_WAITALL, libc::MSG_WAITALL),
            (MSG_NOSIGNAL, libc::MSG_NOSIGNAL),
            (MSG_CMSG_CLOEXEC, libc::MSG_CMSG_CLOEXEC),
        ];
        for (ours, linux) in types {
            assert_eq!(ours, linux as u32);
        }
        let options = [
            (SOL_SOCKET, libc::SOL_SOCKET),
            (SO_DEBUG, libc::SO_DEBUG),
            (SO_REUSEADDR, libc::SO_REUSEADDR),
            (SO_TYPE, libc::SO_TYPE),
            (SO_ERROR, libc::SO_ERROR),
            (SO_SNDBUF, libc::SO_SNDBUF),
            (SO_RCVBUF, libc::SO_RCVBUF),
            (SO_KEEPALIVE, libc::SO_KEEPALIVE),
            (SO_PASSCRED, libc::SO_PASSCRED),
            (SO_PEERCRED, libc::SO_PEERCRED),
            (SO_ACCEPTCONN, libc::SO_ACCEPTCONN),
            (SO_PROTOCOL, libc::SO_PROTOCOL),
            (SO_DOMAIN, libc::SO_DOMAIN),
            (SCM_RIGHTS, libc::SCM_RIGHTS),
            (SCM_CREDENTIALS, libc::SCM_CREDENTIALS),
            (SHUT_RD, libc::SHUT_RD),
            (SHUT_WR, libc::SHUT_WR),
            (SHUT_RDWR, libc::SHUT_RDWR),
        ];
        for (ours, linux) in options {
            assert_eq!(ours, linux);
        }
        assert_eq!(SOCKADDR_UN_SIZE, size_of::<libc::sockaddr_un>());
        assert_eq!(SUN_PATH_OFFSET, offset_of!(libc::sockaddr_un, sun_path));
        assert_eq!(SOCKADDR_STORAGE_SIZE, size_of::<libc::sockaddr_storage>());
    }

    #[test]
    fn structs_have_the_linux_layout() {
        assert_eq!(MsgHdr::SIZE, size_of::<libc::msghdr>());
        assert_eq!(offset_of!(MsgHdr, msg_namelen), offset_of!(libc::msghdr, msg_namelen));
        assert_eq!(offset_of!(MsgHdr, msg_iov), offset_of!(libc::msghdr, msg_iov));
        assert_eq!(offset_of!(MsgHdr, msg_iovlen), offset_of!(libc::msghdr, msg_iovlen));
        assert_eq!(offset_of!(MsgHdr, msg_control), offset_of!(libc::msghdr, msg_control));
        assert_eq!(offset_of!(MsgHdr, msg_controllen), offset_of!(libc::msghdr, msg_controllen));
        assert_eq!(offset_of!(MsgHdr, msg_flags), offset_of!(libc::msghdr, msg_flags));
        assert_eq!(CmsgHdr::SIZE, size_of::<libc::cmsghdr>());
        assert_eq!(offset_of!(CmsgHdr, cmsg_type), offset_of!(libc::cmsghdr, cmsg_type));
        assert_eq!(Ucred::SIZE, size_of::<libc::ucred>());
        assert_eq!(offset_of!(Ucred, gid), offset_of!(libc::ucred, gid));
    }
}
