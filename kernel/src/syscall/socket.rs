//! Socket system calls, for Unix-domain sockets (fs/socket): socket,
//! socketpair, bind, listen, accept and accept4, connect, send, sendto, sendmsg,
//! recv, recvfrom, recvmsg (and read, write, readv and writev on a socket),
//! shutdown, getsockname, getpeername, getsockopt and setsockopt. Addresses,
//! iovecs and control messages come from user memory through user.rs, bounded:
//! sockaddr_storage's 128 bytes, IOV_MAX iovecs, MAX_CONTROL bytes of control
//! messages; data moves a bounded piece at a time (a datagram whole, at most
//! its SO_SNDBUF).
use alloc::sync::Arc;
use alloc::vec::Vec;

use kabi::Errno;
use kabi::fs::{O_NONBLOCK, O_RDWR};
use kabi::socket::*;
use sockmsg::{AddressArg, ControlWriter, UnixAddress};

use super::files::{file, install, install_pair, iovecs};
use super::{SysResult, user};
use crate::fs::file::OpenFile;
use crate::fs::socket::{self, Ancillary, DEFAULT_BUFFER, Endpoint, Flags, Name, Socket, SocketType, Taken};
use crate::proc::table::{read_current, with_current};

/// The most control data one sendmsg takes (Linux's net.core.optmem_max):
/// ENOBUFS beyond.
const MAX_CONTROL: usize = 20480;
/// The least SO_SNDBUF and SO_RCVBUF setsockopt gives (Linux's SOCK_MIN_SNDBUF
/// and SOCK_MIN_RCVBUF).
const MIN_SNDBUF: usize = 4608;
const MIN_RCVBUF: usize = 2304;
/// Most iovecs per sendmsg or recvmsg (UIO_MAXIOV): EMSGSIZE beyond.
const UIO_MAXIOV: u64 = 1024;

/// The socket behind `file` (ENOTSOCK for any other file).
pub fn endpoint_of(file: &OpenFile) -> Result<Arc<Endpoint>, Errno> {
    file.downcast::<Socket>().map(|s| s.endpoint().clone()).ok_or(Errno::ENOTSOCK)
}

fn socket_fd(fd: i32) -> Result<(Arc<OpenFile>, Arc<Endpoint>), Errno> {
    let file = file(fd)?;
    let endpoint = endpoint_of(&file)?;
    Ok((file, endpoint))
}

fn open_socket(socket: Socket, flags: u32) -> OpenFile {
    OpenFile::other(Arc::new(socket), O_RDWR | (flags & O_NONBLOCK))
}

/// The type and flags of socket's and socketpair's arguments, with Linux's
/// errors in Linux's order.
fn socket_args(domain: i32, raw: u32, protocol: i32) -> Result<(SocketType, u32), Errno> {
    let flags = raw & !SOCK_TYPE_MASK;
    if flags & !(SOCK_CLOEXEC | SOCK_NONBLOCK) != 0 {
        return Err(Errno::EINVAL);
    }
    if !(0..i32::from(AF_MAX)).contains(&domain) {
        return Err(Errno::EAFNOSUPPORT);
    }
    if raw & SOCK_TYPE_MASK > SOCK_PACKET {
        return Err(Errno::EINVAL);
    }
    if domain != i32::from(AF_UNIX) {
        return Err(Errno::EAFNOSUPPORT); // AF_INET, AF_INET6 and the rest are not here
    }
    if protocol != 0 && protocol != i32::from(AF_UNIX) {
        return Err(Errno::EPROTONOSUPPORT);
    }
    Ok((SocketType::from_raw(raw & SOCK_TYPE_MASK)?, flags))
}

pub fn socket(domain: i32, raw: u32, protocol: i32) -> SysResult {
    let (kind, flags) = socket_args(domain, raw, protocol)?;
    install(open_socket(Socket::new(kind), flags), flags & SOCK_CLOEXEC != 0)
}

pub fn socketpair(domain: i32, raw: u32, protocol: i32, fds: u64) -> SysResult {
    let (kind, flags) = socket_args(domain, raw, protocol)?;
    let (a, b) = Socket::pair(kind);
    install_pair(open_socket(a, flags), open_socket(b, flags), flags & SOCK_CLOEXEC != 0, fds)
}

/// An address argument of `len` bytes (at most sockaddr_storage's, else EINVAL).
fn read_address(addr: u64, len: usize) -> Result<AddressArg, Errno> {
    if len > SOCKADDR_STORAGE_SIZE {
        return Err(Errno::EINVAL);
    }
    let mut raw = [0; SOCKADDR_STORAGE_SIZE];
    user::read_into(addr, &mut raw[..len])?;
    AddressArg::parse(&raw[..len])
}

/// A socklen_t argument (EINVAL when negative).
fn length_arg(len: u32) -> Result<usize, Errno> {
    usize::try_from(len as i32).map_err(|_| Errno::EINVAL)
}

/// Give an address back as Linux's move_addr_to_user does: as much as fits in
/// the caller's `*len_ptr` bytes, and its whole length in `*len_ptr`.
fn write_address(addr: u64, len_ptr: u64, bytes: &[u8]) -> Result<(), Errno> {
    let room = length_arg(u32::from_le_bytes(user::read_array(len_ptr)?))?;
    user::copy_out(addr, &bytes[..room.min(bytes.len())])?;
    user::copy_out(len_ptr, &(bytes.len() as u32).to_le_bytes())
}

fn sockaddr(name: Option<&Name>) -> Vec<u8> {
    UnixAddress::to_sockaddr(name.map(|n| &n.address))
}

fn cwd() -> crate::fs::vfs::Node {
    read_current(|p| p.cwd().clone())
}

/// The socket bound at `address` for a socket of type `kind`.
fn find(address: AddressArg, kind: SocketType) -> Result<Arc<Endpoint>, Errno> {
    socket::find(&cwd(), &address.named()?, kind)
}

pub fn bind(fd: i32, addr: u64, len: u32) -> SysResult {
    let (_, endpoint) = socket_fd(fd)?;
    let address = read_address(addr, length_arg(len)?)?;
    let (cwd, umask) = read_current(|p| (p.cwd().clone(), p.umask()));
    endpoint.bind(&cwd, address, 0o777 & !umask).map(|()| 0)
}

pub fn listen(fd: i32, backlog: i32) -> SysResult {
    socket_fd(fd)?.1.listen(backlog).map(|()| 0)
}

/// accept4 (and accept, with no flags): the new socket's descriptor, the
/// client's address given back when asked for.
pub fn accept4(fd: i32, addr: u64, len_ptr: u64, flags: u32) -> SysResult {
    if flags & !(SOCK_CLOEXEC | SOCK_NONBLOCK) != 0 {
        return Err(Errno::EINVAL);
    }
    let (file, endpoint) = socket_fd(fd)?;
    let accepted = endpoint.accept(file.nonblocking())?;
    let client = accepted.peer_name().ok().flatten();
    let socket = open_socket(Socket::accepted(accepted), flags);
    if addr != 0 {
        write_address(addr, len_ptr, &sockaddr(client.as_deref()))?;
    }
    install(socket, flags & SOCK_CLOEXEC != 0)
}

/// connect: a stream or seqpacket socket joins a listener; a datagram socket
/// picks where its sends go (AF_UNSPEC: nowhere).
pub fn connect(fd: i32, addr: u64, len: u32) -> SysResult {
    let (file, endpoint) = socket_fd(fd)?;
    let len = length_arg(len)?;
    let kind = endpoint.kind();
    if kind == SocketType::Datagram {
        let family: [u8; 2] = if len >= 2 { user::read_array(addr)? } else { [0xff; 2] };
        let target = match u16::from_le_bytes(family) {
            AF_UNSPEC => None,
            _ => Some(find(read_address(addr, len)?, kind)?),
        };
        return endpoint.connect_datagram(target).map(|()| 0);
    }
    let address = read_address(addr, len)?;
    endpoint.connect(&find(address, kind)?, file.nonblocking()).map(|()| 0)
}

pub fn getsockname(fd: i32, addr: u64, len_ptr: u64) -> SysResult {
    let name = socket_fd(fd)?.1.name();
    write_address(addr, len_ptr, &sockaddr(name.as_deref())).map(|()| 0)
}

pub fn getpeername(fd: i32, addr: u64, len_ptr: u64) -> SysResult {
    let name = socket_fd(fd)?.1.peer_name()?;
    write_address(addr, len_ptr, &sockaddr(name.as_deref())).map(|()| 0)
}

pub fn shutdown(fd: i32, how: i32) -> SysResult {
    socket_fd(fd)?.1.shutdown(how).map(|()| 0)
}

/// The user buffers of one call.
struct Buffers(Vec<(u64, usize)>);

impl Buffers {
    fn total(&self) -> Result<usize, Errno> {
        self.0.iter().try_fold(0usize, |sum, &(_, len)| sum.checked_add(len)).ok_or(Errno::EINVAL)
    }

    /// `len` bytes from `skip` bytes in, gathered.
    fn gather(&self, skip: usize, len: usize) -> Result<Vec<u8>, Errno> {
        let mut data = crate::mm::heap::try_zeroed_bytes(len)?;
        self.each(skip, len, |at, range| user::read_into(at, &mut data[range]))?;
        Ok(data)
    }

    /// `data` scattered from `skip` bytes in.
    fn scatter(&self, skip: usize, data: &[u8]) -> Result<(), Errno> {
        self.each(skip, data.len(), |at, range| user::copy_out(at, &data[range]))
    }

    /// Calls `f` with each user address and the range of `skip..skip+len` (as
    /// offsets from `skip`) that lands there.
    fn each(
        &self,
        skip: usize,
        len: usize,
        mut f: impl FnMut(u64, core::ops::Range<usize>) -> Result<(), Errno>,
    ) -> Result<(), Errno> {
        let (mut start, mut done) = (0, 0);
        for &(base, size) in &self.0 {
            let end = start + size;
            if done < len && end > skip + done {
                let from = skip + done - start;
                let n = (size - from).min(len - done);
                f(base + from as u64, done..done + n)?;
                done += n;
            }
            start = end;
        }
        Ok(())
    }
}

/// The iovecs of a sendmsg or recvmsg (EMSGSIZE past UIO_MAXIOV).
fn message_buffers(iov: u64, count: u64) -> Result<Buffers, Errno> {
    if count > UIO_MAXIOV {
        return Err(Errno::EMSGSIZE);
    }
    Ok(Buffers(iovecs(iov, count as i32)?))
}

/// The send path of every call: stream data goes a piece at a time (descriptors
/// with the first), until all is queued or, nonblocking, no room is left; a
/// datagram goes whole. A stream socket given an address is EISCONN (or
/// EOPNOTSUPP unconnected); a seqpacket socket ignores it.
fn send_buffers(
    file: &OpenFile,
    endpoint: &Arc<Endpoint>,
    buffers: &Buffers,
    to: Option<AddressArg>,
    mut ancillary: Ancillary,
    flags: u32,
) -> SysResult {
    if flags & MSG_OOB != 0 {
        return Err(Errno::EOPNOTSUPP);
    }
    let kind = endpoint.kind();
    let to = match (kind, to) {
        (SocketType::Stream, Some(_)) => {
            return Err(if endpoint.peer_name().is_ok() { Errno::EISCONN } else { Errno::EOPNOTSUPP });
        }
        (SocketType::Datagram, Some(address)) => Some(find(address, kind)?),
        _ => None,
    };
    let mut options = Flags {
        nonblocking: file.nonblocking() || flags & MSG_DONTWAIT != 0,
        peek: false,
        no_signal: flags & MSG_NOSIGNAL != 0,
    };
    let total = buffers.total()?;
    if kind != SocketType::Stream {
        if total > endpoint.options().0.send_buffer.saturating_sub(32) {
            return Err(Errno::EMSGSIZE);
        }
        return endpoint.send(&buffers.gather(0, total)?, ancillary, to, options);
    }
    let mut done = 0;
    loop {
        let piece = buffers.gather(done, (total - done).min(user::TRANSFER_CHUNK))?;
        match endpoint.send(&piece, core::mem::take(&mut ancillary), None, options) {
            Ok(n) => done += n,
            Err(_) if done > 0 => break,
            Err(e) => return Err(e),
        }
        options.no_signal = true; // SIGPIPE only when nothing was sent
        if done == total || user::interrupted() {
            break;
        }
    }
    Ok(done)
}

/// What a receive gives besides its bytes.
struct Received {
    /// The call's result: bytes received (a datagram's whole length with MSG_TRUNC).
    count: usize,
    /// MSG_TRUNC and MSG_CTRUNC.
    flags: u32,
    from: Option<Arc<Name>>,
    control: Vec<u8>,
}

/// The receive path of every call: up to the buffers' total (a stream's in
/// pieces while data is there; MSG_WAITALL waits for all), then credentials
/// and descriptors into `control_room` bytes of control messages, descriptors
/// installed in the caller (close-on-exec with MSG_CMSG_CLOEXEC) as far as they
/// fit, the rest closed.
fn receive_buffers(
    file: &OpenFile,
    endpoint: &Endpoint,
    buffers: &Buffers,
    flags: u32,
    control_room: usize,
) -> Result<Received, Errno> {
    if flags & MSG_OOB != 0 {
        return Err(Errno::EOPNOTSUPP);
    }
    let total = buffers.total()?;
    let stream = endpoint.kind() == SocketType::Stream;
    let peek = flags & MSG_PEEK != 0;
    let mut options = Flags { nonblocking: file.nonblocking() || flags & MSG_DONTWAIT != 0, peek, no_signal: false };
    let mut first: Option<Taken> = None;
    let mut done = 0;
    loop {
        let want = if stream { (total - done).min(user::TRANSFER_CHUNK) } else { total };
        let taken = match endpoint.receive(want, options) {
            Ok(taken) => taken,
            Err(_) if done > 0 => break,
            Err(e) => return Err(e),
        };
        buffers.scatter(done, &taken.data)?;
        done += taken.data.len();
        let boundary = taken.data.is_empty() || !taken.rights.is_empty() || taken.credentials.is_some();
        first.get_or_insert(taken);
        if !stream || peek || boundary || done == total || user::interrupted() {
            break;
        }
        options.nonblocking |= flags & MSG_WAITALL == 0; // go on only with data already there
    }
    let taken = first.unwrap_or_default();
    let mut result_flags = 0;
    let mut count = done;
    if !stream && taken.len > taken.data.len() {
        result_flags |= MSG_TRUNC;
        if flags & MSG_TRUNC != 0 {
            count = taken.len;
        }
    }
    let mut control = ControlWriter::new(control_room);
    if let Some(credentials) = &taken.credentials {
        control.put_credentials(credentials);
    }
    let offered = taken.rights.len();
    let cloexec = flags & MSG_CMSG_CLOEXEC != 0;
    let mut fds = Vec::new();
    for right in taken.rights.into_iter().take(control.rights_room()) {
        match with_current(|p| p.files.lock().insert(p.fd_limit(), right, cloexec)) {
            Ok(fd) => fds.push(fd),
            Err(_) => break,
        }
    }
    control.put_rights(&fds, offered);
    let (control, truncated) = control.finish();
    if truncated {
        result_flags |= MSG_CTRUNC;
    }
    Ok(Received { count, flags: result_flags, from: taken.from, control })
}

/// read(2) and readv(2) on a socket.
pub fn read_socket(file: &OpenFile, buffers: Vec<(u64, usize)>) -> SysResult {
    let endpoint = endpoint_of(file)?;
    receive_buffers(file, &endpoint, &Buffers(buffers), 0, 0).map(|r| r.count)
}

/// write(2) and writev(2) on a socket.
pub fn write_socket(file: &OpenFile, buffers: Vec<(u64, usize)>) -> SysResult {
    let endpoint = endpoint_of(file)?;
    send_buffers(file, &endpoint, &Buffers(buffers), None, Ancillary::default(), 0)
}

/// sendto (and send, without an address): an address of length 0 is none.
pub fn sendto(fd: i32, buf: u64, len: usize, flags: u32, addr: u64, addr_len: u32) -> SysResult {
    let (file, endpoint) = socket_fd(fd)?;
    let to = if addr != 0 && addr_len != 0 { Some(read_address(addr, length_arg(addr_len)?)?) } else { None };
    send_buffers(&file, &endpoint, &Buffers(alloc::vec![(buf, len)]), to, Ancillary::default(), flags)
}

/// recvfrom (and recv): the sender's address given back when asked for (length
/// 0 for an unnamed sender).
pub fn recvfrom(fd: i32, buf: u64, len: usize, flags: u32, addr: u64, len_ptr: u64) -> SysResult {
    let (file, endpoint) = socket_fd(fd)?;
    let received = receive_buffers(&file, &endpoint, &Buffers(alloc::vec![(buf, len)]), flags, 0)?;
    if addr != 0 {
        write_address(addr, len_ptr, &sender_address(received.from.as_deref()))?;
    }
    Ok(received.count)
}

/// The address a receive reports: nothing for an unnamed sender.
fn sender_address(from: Option<&Name>) -> Vec<u8> {
    from.map(|name| sockaddr(Some(name))).unwrap_or_default()
}

fn read_msghdr(msg: u64) -> Result<MsgHdr, Errno> {
    Ok(MsgHdr::from_bytes(&user::read_array(msg)?))
}

/// sendmsg: iovecs, an optional address, and control messages (SCM_RIGHTS:
/// descriptors of the caller's, EBADF for one that is not open;
/// SCM_CREDENTIALS).
pub fn sendmsg(fd: i32, msg: u64, flags: u32) -> SysResult {
    let (socket, endpoint) = socket_fd(fd)?;
    let header = read_msghdr(msg)?;
    let buffers = message_buffers(header.msg_iov, header.msg_iovlen)?;
    let name_len = length_arg(header.msg_namelen)?.min(SOCKADDR_STORAGE_SIZE);
    let to = if header.msg_name != 0 && name_len != 0 { Some(read_address(header.msg_name, name_len)?) } else { None };
    let control_len = usize::try_from(header.msg_controllen).map_err(|_| Errno::ENOBUFS)?;
    if control_len > MAX_CONTROL {
        return Err(Errno::ENOBUFS);
    }
    let control = sockmsg::parse_control(&user::copy_in(header.msg_control, control_len)?)?;
    let rights = control.rights.iter().map(|&passed| file(passed)).collect::<Result<Vec<_>, Errno>>()?;
    let ancillary = Ancillary { rights, credentials: control.credentials };
    send_buffers(&socket, &endpoint, &buffers, to, ancillary, flags)
}

/// recvmsg: fills the iovecs, the address, the control messages, and gives
/// back msg_namelen, msg_controllen (what was written) and msg_flags.
pub fn recvmsg(fd: i32, msg: u64, flags: u32) -> SysResult {
    let (file, endpoint) = socket_fd(fd)?;
    let mut header = read_msghdr(msg)?;
    let buffers = message_buffers(header.msg_iov, header.msg_iovlen)?;
    let name_room = length_arg(header.msg_namelen)?;
    let control_room = if header.msg_control == 0 { 0 } else { header.msg_controllen as usize };
    let received = receive_buffers(&file, &endpoint, &buffers, flags, control_room)?;
    let name = sender_address(received.from.as_deref());
    if header.msg_name != 0 {
        user::copy_out(header.msg_name, &name[..name_room.min(name.len())])?;
        header.msg_namelen = name.len() as u32;
    } else {
        header.msg_namelen = 0;
    }
    user::copy_out_optional(header.msg_control, &received.control)?;
    header.msg_controllen = received.control.len() as u64;
    header.msg_flags = received.flags;
    user::copy_out(msg, &header.to_bytes())?;
    Ok(received.count)
}

/// An int option's bytes.
fn int(value: impl Into<i64>) -> Vec<u8> {
    (value.into() as i32).to_le_bytes().to_vec()
}

/// getsockopt at SOL_SOCKET (other levels: EOPNOTSUPP; unknown options:
/// ENOPROTOOPT): as many bytes of the value as `*len_ptr` allows, the length
/// given back.
pub fn getsockopt(fd: i32, level: i32, name: i32, value: u64, len_ptr: u64) -> SysResult {
    let (_, endpoint) = socket_fd(fd)?;
    if level != SOL_SOCKET {
        return Err(Errno::EOPNOTSUPP);
    }
    let room = length_arg(u32::from_le_bytes(user::read_array(len_ptr)?))?;
    let (options, listening) = endpoint.options();
    let bytes = match name {
        SO_TYPE => int(endpoint.kind().raw()),
        SO_DOMAIN => int(AF_UNIX),
        SO_PROTOCOL => int(0),
        SO_ACCEPTCONN => int(listening),
        SO_ERROR => int(endpoint.take_error().map_or(0, |e| e as i32)),
        SO_PASSCRED => int(options.pass_credentials),
        SO_REUSEADDR => int(options.reuse_address),
        SO_SNDBUF => int(options.send_buffer as u32),
        SO_RCVBUF => int(options.receive_buffer as u32),
        // No peer: pid 0 and the ids -1, as Linux's cred_to_ucred.
        SO_PEERCRED => {
            let none = Ucred { pid: 0, uid: u32::MAX, gid: u32::MAX };
            endpoint.peer_credentials().unwrap_or(none).to_bytes().to_vec()
        }
        _ => return Err(Errno::ENOPROTOOPT),
    };
    let n = room.min(bytes.len());
    user::copy_out(value, &bytes[..n])?;
    user::copy_out(len_ptr, &(n as u32).to_le_bytes()).map(|()| 0)
}

/// setsockopt at SOL_SOCKET of an int (EINVAL when shorter): SO_PASSCRED,
/// SO_REUSEADDR, and SO_SNDBUF and SO_RCVBUF, doubled as Linux does, between
/// the least size and twice the default.
pub fn setsockopt(fd: i32, level: i32, name: i32, value: u64, len: u32) -> SysResult {
    let (_, endpoint) = socket_fd(fd)?;
    if level != SOL_SOCKET {
        return Err(Errno::EOPNOTSUPP);
    }
    if length_arg(len)? < 4 {
        return Err(Errno::EINVAL);
    }
    let value = i32::from_le_bytes(user::read_array(value)?);
    let doubled = |least: usize| ((value as u32).min(DEFAULT_BUFFER as u32) as usize * 2).max(least);
    match name {
        SO_PASSCRED => endpoint.set_options(|o| o.pass_credentials = value != 0),
        SO_REUSEADDR => endpoint.set_options(|o| o.reuse_address = value != 0),
        SO_SNDBUF => endpoint.set_options(|o| o.send_buffer = doubled(MIN_SNDBUF)),
        SO_RCVBUF => endpoint.set_options(|o| o.receive_buffer = doubled(MIN_RCVBUF)),
        _ => return Err(Errno::ENOPROTOOPT),
    }
    Ok(0)
}
