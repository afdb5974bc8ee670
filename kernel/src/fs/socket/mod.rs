//! Unix-domain sockets (AF_UNIX), as Linux has them: stream, datagram and
//! sequenced-packet sockets as open files. Each `Socket` file holds an
//! `Endpoint`: its name (names.rs), its peer, its receive queue (inbox.rs), its
//! shutdown state, pending error and options; a listening endpoint holds the
//! connections waiting for accept (each an endpoint made at connect, already
//! joined to its client). Sends put records in the peer's inbox and charge the
//! sender until they are read (SO_SNDBUF bounds what a sender has in flight);
//! blocking calls wait on the endpoints' wait queues. Descriptors in flight
//! (SCM_RIGHTS) are open files held by records; a socket's inbox is emptied when
//! it closes. Credentials are the caller's pid, with uid and gid 0 (every
//! process runs as root).
mod inbox;
mod names;

use alloc::collections::VecDeque;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use kabi::fs::{POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDHUP, POLLRDNORM, POLLWRBAND, POLLWRNORM, S_IFSOCK};
use kabi::socket::{SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET, SOCK_STREAM, SOMAXCONN, Ucred};
use kabi::{Errno, Stat};
use sockmsg::{AddressArg, UnixAddress};
use spin::Mutex;

use super::file::OpenFile;
use super::ops::FileOps;
use super::processes::processes;
use super::vfs::Node;
use crate::arch::cpu::without_interrupts;
use crate::mm::heap::for_user;
use crate::task::wait_queue::WaitQueue;
pub use inbox::Taken;
use inbox::{Inbox, Record};
pub use names::{Name, find};

/// SO_SNDBUF and SO_RCVBUF at first, and the most setsockopt gives before
/// doubling (Linux's wmem_default, rmem_default, wmem_max and rmem_max).
pub const DEFAULT_BUFFER: usize = 212_992;
/// How deep sockets may nest in flight (Linux's MAX_RECURSION_LEVEL): a socket
/// whose inbox is deeper cannot be sent (ETOOMANYREFS), so closing one never
/// recurses far.
const MAX_DEPTH: usize = 4;
/// Datagrams a socket's queue holds for senders it is not connected to
/// (net.unix.max_dgram_qlen).
const MAX_DGRAM_QLEN: usize = 10;
/// The largest stream piece one send queues.
const STREAM_PIECE: usize = 64 * 1024;

// Shutdown bits (Linux's RCV_SHUTDOWN and SEND_SHUTDOWN).
const SHUT_RECEIVE: u8 = 1;
const SHUT_SEND: u8 = 2;
const SHUT_BOTH: u8 = SHUT_RECEIVE | SHUT_SEND;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SocketType {
    Stream,
    Datagram,
    SeqPacket,
}

impl SocketType {
    /// The type of `socket`'s type argument (its low bits): SOCK_RAW is a
    /// datagram socket, as Linux's AF_UNIX makes it; others ESOCKTNOSUPPORT.
    pub fn from_raw(raw: u32) -> Result<Self, Errno> {
        match raw {
            SOCK_STREAM => Ok(Self::Stream),
            SOCK_DGRAM | SOCK_RAW => Ok(Self::Datagram),
            SOCK_SEQPACKET => Ok(Self::SeqPacket),
            _ => Err(Errno::ESOCKTNOSUPPORT),
        }
    }

    /// SO_TYPE.
    pub fn raw(self) -> u32 {
        match self {
            Self::Stream => SOCK_STREAM,
            Self::Datagram => SOCK_DGRAM,
            Self::SeqPacket => SOCK_SEQPACKET,
        }
    }

    fn connection_oriented(self) -> bool {
        self != Self::Datagram
    }
}

/// The caller's credentials (SO_PEERCRED, SCM_CREDENTIALS).
pub fn caller_credentials() -> Ucred {
    let ids = processes().credentials();
    Ucred { pid: processes().caller().pid as i32, uid: ids.user.effective, gid: ids.group.effective }
}

/// How one send or receive behaves (MSG_DONTWAIT or O_NONBLOCK, MSG_PEEK,
/// MSG_NOSIGNAL).
#[derive(Debug, Clone, Copy, Default)]
pub struct Flags {
    pub nonblocking: bool,
    pub peek: bool,
    pub no_signal: bool,
}

/// What a send carries besides its bytes.
#[derive(Debug, Default)]
pub struct Ancillary {
    pub rights: Vec<Arc<OpenFile>>,
    /// SCM_CREDENTIALS (else the caller's).
    pub credentials: Option<Ucred>,
}

#[derive(Debug)]
struct Listener {
    backlog: usize,
    /// Connections made and not yet accepted.
    pending: VecDeque<Arc<Endpoint>>,
}

#[derive(Debug)]
struct State {
    listener: Option<Listener>,
    /// A stream or seqpacket socket has connected (it stays so after the peer
    /// closes, as Linux's TCP_ESTABLISHED).
    connected: bool,
    /// The other end; for a datagram socket, where sends without an address go.
    peer: Option<Arc<Endpoint>>,
    name: Option<Arc<Name>>,
    inbox: Inbox,
    shutdown: u8,
    error: Option<Errno>,
    closed: bool,
    options: Options,
    peer_credentials: Option<Ucred>,
}

/// The options setsockopt changes.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// SO_PASSCRED: receive SCM_CREDENTIALS.
    pub pass_credentials: bool,
    /// SO_REUSEADDR: kept, and without effect (as for Linux's AF_UNIX).
    pub reuse_address: bool,
    /// SO_SNDBUF: the most this socket may have in flight.
    pub send_buffer: usize,
    /// SO_RCVBUF: reported only (Linux's AF_UNIX bounds senders, not receivers).
    pub receive_buffer: usize,
}

/// Socket inode numbers.
static NEXT_INO: AtomicU64 = AtomicU64::new(8192);

/// One socket.
#[derive(Debug)]
pub struct Endpoint {
    /// Its inode number (as Linux's sockfs; fstat and /proc/PID/fd show it).
    ino: u64,
    kind: SocketType,
    state: Mutex<State>,
    /// Readers, writers, acceptors, connectors and pollers of this socket.
    changed: WaitQueue,
    /// What this socket has sent that no one has read yet.
    in_flight: AtomicUsize,
    /// How deep descriptors nest in its inbox: 0 when none is a socket, else
    /// one more than the deepest of those sockets (Linux's recursion_level).
    depth: AtomicUsize,
}

impl Endpoint {
    fn new(kind: SocketType) -> Arc<Self> {
        Arc::new(Self {
            ino: NEXT_INO.fetch_add(1, Ordering::Relaxed),
            kind,
            state: Mutex::new(State {
                listener: None,
                connected: false,
                peer: None,
                name: None,
                inbox: Inbox::new(),
                shutdown: 0,
                error: None,
                closed: false,
                options: Options {
                    pass_credentials: false,
                    reuse_address: false,
                    send_buffer: DEFAULT_BUFFER,
                    receive_buffer: DEFAULT_BUFFER,
                },
                peer_credentials: None,
            }),
            changed: WaitQueue::new(),
            in_flight: AtomicUsize::new(0),
            depth: AtomicUsize::new(0),
        })
    }

    fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        without_interrupts(|| f(&mut self.state.lock()))
    }

    pub fn kind(&self) -> SocketType {
        self.kind
    }

    pub fn name(&self) -> Option<Arc<Name>> {
        self.with(|s| s.name.clone())
    }

    /// getpeername: the peer's name (None: unnamed); ENOTCONN without a peer.
    pub fn peer_name(&self) -> Result<Option<Arc<Name>>, Errno> {
        let peer = self.with(|s| s.peer.clone()).ok_or(Errno::ENOTCONN)?;
        Ok(peer.name())
    }

    /// bind(2): EINVAL if already bound, except that the family alone (an
    /// automatic name) then does nothing. As on Linux, a path is made before
    /// that check: a taken one is EADDRINUSE, a new one is removed again.
    pub fn bind(self: &Arc<Self>, cwd: &Node, address: AddressArg, mode: u32) -> Result<(), Errno> {
        let bound = self.name().is_some();
        let name = match address {
            AddressArg::FamilyOnly if bound => return Ok(()),
            AddressArg::Named(UnixAddress::Path(path)) if bound => {
                names::make_node(cwd, &path, mode)?;
                super::vfs::unlink(cwd, &path)?;
                return Err(Errno::EINVAL);
            }
            _ if bound => return Err(Errno::EINVAL),
            AddressArg::FamilyOnly => names::bind_automatic(self)?,
            AddressArg::Named(address) => names::bind(self, cwd, address, mode)?,
        };
        self.with(|s| s.name = Some(name));
        Ok(())
    }

    /// An automatic name for a socket with SO_PASSCRED that has none, before it
    /// connects or sends (so that its peer sees a name with the credentials).
    fn name_for_credentials(self: &Arc<Self>) -> Result<(), Errno> {
        if self.with(|s| s.options.pass_credentials && s.name.is_none()) {
            self.bind(&super::vfs::root(), AddressArg::FamilyOnly, 0)?;
        }
        Ok(())
    }

    /// listen(2): EOPNOTSUPP for datagram sockets, EINVAL unbound or connected.
    /// The backlog is cut to SOMAXCONN; the caller's credentials become the ones
    /// connecting clients see.
    pub fn listen(&self, backlog: i32) -> Result<(), Errno> {
        if self.kind == SocketType::Datagram {
            return Err(Errno::EOPNOTSUPP);
        }
        let backlog = (backlog as u32).min(SOMAXCONN) as usize;
        let credentials = caller_credentials();
        self.with(|s| {
            if s.name.is_none() || s.connected {
                return Err(Errno::EINVAL);
            }
            match &mut s.listener {
                Some(listener) => listener.backlog = backlog,
                None => s.listener = Some(Listener { backlog, pending: VecDeque::new() }),
            }
            s.peer_credentials = Some(credentials);
            Ok(())
        })?;
        self.changed.wake_all();
        Ok(())
    }

    /// connect(2) of a stream or seqpacket socket to the listening `target`: a
    /// new endpoint joined to this one waits in its queue for accept. Waits while
    /// the queue is full (EAGAIN when `nonblocking`); ECONNREFUSED when the
    /// target does not listen, EISCONN when already connected.
    pub fn connect(self: &Arc<Self>, target: &Arc<Endpoint>, nonblocking: bool) -> Result<(), Errno> {
        self.name_for_credentials()?;
        let credentials = caller_credentials();
        let server = Endpoint::new(self.kind);
        target
            .changed
            .wait_until(|| {
                let admitted = target.with(|t| {
                    let Some(listener) = t.listener.as_mut().filter(|_| !t.closed && t.shutdown & SHUT_RECEIVE == 0)
                    else {
                        return Some(Err(Errno::ECONNREFUSED));
                    };
                    if listener.pending.len() > listener.backlog {
                        return if nonblocking { Some(Err(Errno::EAGAIN)) } else { None };
                    }
                    Some(Ok((t.name.clone(), t.peer_credentials)))
                })?;
                let joined = admitted.and_then(|(listener_name, listener_credentials)| {
                    self.with(|s| match (s.connected, &s.listener) {
                        (true, _) => Err(Errno::EISCONN),
                        (_, Some(_)) => Err(Errno::EINVAL),
                        _ => {
                            s.connected = true;
                            s.peer = Some(server.clone());
                            s.peer_credentials = listener_credentials;
                            Ok(listener_name)
                        }
                    })
                });
                Some(joined.and_then(|listener_name| {
                    server.with(|n| {
                        n.connected = true;
                        n.peer = Some(self.clone());
                        n.name = listener_name;
                        n.peer_credentials = Some(credentials);
                    });
                    target.with(|t| {
                        let pending = &mut t.listener.as_mut().ok_or(Errno::ECONNREFUSED)?.pending;
                        for_user(|| pending.try_reserve(1)).map_err(|_| Errno::ENOMEM)?;
                        pending.push_back(server.clone());
                        Ok(())
                    })
                }))
            })
            .map_err(|_| Errno::EINTR)?
            .inspect_err(|_| self.undo_connect(&server))?;
        target.changed.wake_all();
        Ok(())
    }

    /// A connect that failed after joining: part again.
    fn undo_connect(&self, server: &Arc<Endpoint>) {
        self.with(|s| {
            if s.peer.as_ref().is_some_and(|p| Arc::ptr_eq(p, server)) {
                s.connected = false;
                s.peer = None;
                s.peer_credentials = None;
            }
        });
        server.with(|n| n.peer = None);
    }

    /// connect(2) of a datagram socket: sends without an address go to `target`
    /// (None: AF_UNSPEC, disconnect). EPERM if the target is connected elsewhere.
    pub fn connect_datagram(self: &Arc<Self>, target: Option<Arc<Endpoint>>) -> Result<(), Errno> {
        if let Some(target) = &target {
            self.name_for_credentials()?;
            if !self.may_send_to(target) {
                return Err(Errno::EPERM);
            }
        }
        self.with(|s| s.peer = target);
        Ok(())
    }

    /// Whether `target` takes datagrams from this socket: it is connected to
    /// nothing or to this one.
    fn may_send_to(self: &Arc<Self>, target: &Arc<Endpoint>) -> bool {
        target.with(|t| t.peer.as_ref().is_none_or(|p| Arc::ptr_eq(p, self)))
    }

    /// accept(2): the oldest pending connection, waiting for one (EAGAIN when
    /// `nonblocking`); EINVAL unless listening.
    pub fn accept(&self, nonblocking: bool) -> Result<Arc<Endpoint>, Errno> {
        if self.kind == SocketType::Datagram {
            return Err(Errno::EOPNOTSUPP);
        }
        let accepted = self
            .changed
            .wait_until(|| {
                self.with(|s| match s.listener.as_mut() {
                    None => Some(Err(Errno::EINVAL)),
                    Some(listener) => match listener.pending.pop_front() {
                        Some(endpoint) => Some(Ok(endpoint)),
                        None if nonblocking => Some(Err(Errno::EAGAIN)),
                        None => None,
                    },
                })
            })
            .map_err(|_| Errno::EINTR)??;
        self.changed.wake_all(); // connectors waiting for room
        Ok(accepted)
    }
}

impl Endpoint {
    /// send(2): `data` to the peer or, for a datagram socket, to `to` when given.
    /// A stream send queues what fits (at most a piece of 64 KiB, waiting for
    /// room unless nonblocking) and returns how much; the caller sends the rest.
    /// EPIPE on a stream raises SIGPIPE unless MSG_NOSIGNAL.
    pub fn send(
        self: &Arc<Self>,
        data: &[u8],
        ancillary: Ancillary,
        to: Option<Arc<Endpoint>>,
        flags: Flags,
    ) -> Result<usize, Errno> {
        let level = ancillary
            .rights
            .iter()
            .filter_map(|file| file.downcast::<Socket>())
            .map(|socket| socket.endpoint.nesting())
            .max();
        if level.is_some_and(|l| l > MAX_DEPTH) {
            return Err(Errno::ETOOMANYREFS);
        }
        let credentials = ancillary.credentials.unwrap_or_else(caller_credentials);
        let mut record = Some(Record::new(self, self.name(), credentials, ancillary.rights));
        let (target, result) = match self.kind {
            SocketType::Stream => self.send_stream(data, &mut record, flags),
            _ => self.send_message(data, &mut record, to, flags),
        };
        drop(record); // unsent descriptors close here, outside every lock
        if let Some(target) = target.filter(|_| result.is_ok()) {
            if let Some(level) = level {
                target.depth.fetch_max(level + 1, Ordering::Relaxed);
            }
            target.changed.wake_all();
        }
        if result == Err(Errno::EPIPE) && self.kind == SocketType::Stream && !flags.no_signal {
            processes().raise(kabi::signal::Signal::SIGPIPE);
        }
        result
    }

    fn send_stream(
        self: &Arc<Self>,
        data: &[u8],
        record: &mut Option<Record>,
        flags: Flags,
    ) -> (Option<Arc<Endpoint>>, Result<usize, Errno>) {
        let mut target = None;
        let result = self
            .changed
            .wait_until(|| {
                let own = self.with(|s| match &s.peer {
                    _ if s.shutdown & SHUT_SEND != 0 => Err(Errno::EPIPE),
                    Some(peer) if s.connected => Ok((peer.clone(), s.options.send_buffer)),
                    _ => Err(Errno::ENOTCONN),
                });
                let (peer, send_buffer) = match own {
                    Ok(own) => own,
                    Err(e) => return Some(Err(e)),
                };
                if data.is_empty() {
                    return Some(Ok(0));
                }
                let room = send_buffer.saturating_sub(self.in_flight.load(Ordering::Relaxed) + inbox::RECORD_OVERHEAD);
                let step = peer.with(|p| {
                    if p.closed || p.shutdown & SHUT_RECEIVE != 0 {
                        return Some(Err(Errno::EPIPE));
                    }
                    if room == 0 {
                        return flags.nonblocking.then_some(Err(Errno::EAGAIN));
                    }
                    let n = data.len().min(room).min(STREAM_PIECE);
                    Some(p.inbox.push(record, &data[..n], false).map(|()| n))
                });
                target = Some(peer);
                step
            })
            .map_err(|_| Errno::EINTR)
            .and_then(|r| r);
        (target, result)
    }

    fn send_message(
        self: &Arc<Self>,
        data: &[u8],
        record: &mut Option<Record>,
        to: Option<Arc<Endpoint>>,
        flags: Flags,
    ) -> (Option<Arc<Endpoint>>, Result<usize, Errno>) {
        let seqpacket = self.kind == SocketType::SeqPacket;
        let (peer, connected, send_buffer) = self.with(|s| (s.peer.clone(), s.connected, s.options.send_buffer));
        let target = match (seqpacket, to) {
            (true, _) if !connected => None,
            (true, _) | (false, None) => peer,
            (false, to) => to,
        };
        let Some(target) = target else { return (None, Err(Errno::ENOTCONN)) };
        if let Err(e) = self.name_for_credentials() {
            return (None, Err(e));
        }
        if data.len() > send_buffer.saturating_sub(32) {
            return (None, Err(Errno::EMSGSIZE));
        }
        let result = WaitQueue::wait_until_any(&[&self.changed, &target.changed], || {
            if seqpacket && self.with(|s| s.shutdown & SHUT_SEND != 0) {
                return Some(Err(Errno::EPIPE));
            }
            let me = Arc::as_ptr(self);
            let (closed, refused, shut, to_peer, queued) = target.with(|t| {
                let peer = t.peer.as_ref().map(Arc::as_ptr);
                (
                    t.closed,
                    peer.is_some_and(|p| p != me),
                    t.shutdown & SHUT_RECEIVE != 0,
                    peer == Some(me),
                    t.inbox.count(),
                )
            });
            if closed {
                self.with(|s| {
                    if s.peer.as_ref().is_some_and(|p| Arc::ptr_eq(p, &target)) && !seqpacket {
                        s.peer = None;
                    }
                });
                return Some(Err(if seqpacket { Errno::EPIPE } else { Errno::ECONNREFUSED }));
            }
            if refused && !seqpacket {
                return Some(Err(Errno::EPERM));
            }
            if shut {
                return Some(Err(Errno::EPIPE));
            }
            let full = (!to_peer && queued > MAX_DGRAM_QLEN) || self.in_flight.load(Ordering::Relaxed) >= send_buffer;
            if full {
                return flags.nonblocking.then_some(Err(Errno::EAGAIN));
            }
            Some(target.with(|t| t.inbox.push(record, data, true)).map(|()| data.len()))
        })
        .map_err(|_| Errno::EINTR)
        .and_then(|r| r);
        (Some(target), result)
    }

    /// recv(2): up to `max` bytes (a stream's across its records; one datagram,
    /// cut to `max`), waiting for data unless nonblocking (EAGAIN). 0 bytes at
    /// EOF (the peer gone or shut down, or reading shut down). A pending error
    /// (ECONNRESET) comes first once the queue is empty. Credentials come only
    /// with SO_PASSCRED.
    pub fn receive(&self, max: usize, flags: Flags) -> Result<Taken, Errno> {
        self.changed
            .wait_until(|| {
                self.with(|s| {
                    match self.kind {
                        SocketType::Stream if !s.connected => return Some(Err(Errno::EINVAL)),
                        SocketType::SeqPacket if !s.connected => return Some(Err(Errno::ENOTCONN)),
                        SocketType::Stream if max == 0 => return Some(Ok(Taken::default())),
                        _ => {}
                    }
                    let pass_credentials = s.options.pass_credentials;
                    if !s.inbox.is_empty() {
                        let taken = match self.kind {
                            SocketType::Stream => s.inbox.take_stream(max, flags.peek, pass_credentials),
                            _ => s.inbox.take_message(max, flags.peek),
                        };
                        return Some(taken.map(|mut t| {
                            t.credentials = t.credentials.filter(|_| pass_credentials);
                            t
                        }));
                    }
                    if let Some(error) = s.error.take() {
                        return Some(Err(error));
                    }
                    if s.shutdown & SHUT_RECEIVE != 0 {
                        return Some(Ok(Taken::default()));
                    }
                    flags.nonblocking.then_some(Err(Errno::EAGAIN))
                })
            })
            .map_err(|_| Errno::EINTR)?
    }

    /// shutdown(2) with SHUT_RD, SHUT_WR or SHUT_RDWR (else EINVAL); a
    /// connected stream or seqpacket peer sees the other side of it.
    pub fn shutdown(&self, how: i32) -> Result<(), Errno> {
        let mode = match how {
            kabi::socket::SHUT_RD => SHUT_RECEIVE,
            kabi::socket::SHUT_WR => SHUT_SEND,
            kabi::socket::SHUT_RDWR => SHUT_BOTH,
            _ => return Err(Errno::EINVAL),
        };
        let peer = self.with(|s| {
            s.shutdown |= mode;
            s.peer.clone()
        });
        if let Some(peer) = peer.filter(|_| self.kind.connection_oriented()) {
            let swapped = (if mode & SHUT_RECEIVE != 0 { SHUT_SEND } else { 0 })
                | if mode & SHUT_SEND != 0 { SHUT_RECEIVE } else { 0 };
            peer.with(|p| p.shutdown |= swapped);
            peer.changed.wake_all();
        }
        self.changed.wake_all();
        Ok(())
    }

    /// How deep sockets nest in flight below this one: its own depth, and a
    /// listener's pending connections' (closing it closes them).
    fn nesting(&self) -> usize {
        let pending: Vec<Arc<Endpoint>> =
            self.with(|s| s.listener.as_ref().map(|l| l.pending.iter().cloned().collect()).unwrap_or_default());
        pending.iter().map(|e| e.depth.load(Ordering::Relaxed)).fold(self.depth.load(Ordering::Relaxed), usize::max)
    }

    /// The options, and whether it listens (SO_ACCEPTCONN).
    pub fn options(&self) -> (Options, bool) {
        self.with(|s| (s.options, s.listener.is_some()))
    }

    pub fn set_options(&self, change: impl FnOnce(&mut Options)) {
        self.with(|s| change(&mut s.options));
        self.changed.wake_all(); // a larger SO_SNDBUF may let a writer go on
    }

    /// SO_ERROR: the pending error, cleared.
    pub fn take_error(&self) -> Option<Errno> {
        self.with(|s| s.error.take())
    }

    /// SO_PEERCRED: the peer's credentials when it connected (for a listening
    /// socket, its own at listen).
    pub fn peer_credentials(&self) -> Option<Ucred> {
        self.with(|s| s.peer_credentials)
    }

    fn poll(&self, events: i16) -> i16 {
        let (mut ready, peer, mut writable) = self.with(|s| {
            let mut ready = 0;
            if s.error.is_some() {
                ready |= POLLERR;
            }
            if s.shutdown == SHUT_BOTH {
                ready |= POLLHUP;
            }
            if s.shutdown & SHUT_RECEIVE != 0 {
                ready |= POLLRDHUP | POLLIN | POLLRDNORM;
            }
            if !s.inbox.is_empty() || s.listener.as_ref().is_some_and(|l| !l.pending.is_empty()) {
                ready |= POLLIN | POLLRDNORM;
            }
            if self.kind.connection_oriented() && !s.connected && s.listener.is_none() {
                ready |= POLLHUP;
            }
            let writable = s.listener.is_none() && self.in_flight.load(Ordering::Relaxed) * 4 <= s.options.send_buffer;
            (ready, s.peer.clone(), writable)
        });
        if let Some(peer) = peer.filter(|_| writable && self.kind == SocketType::Datagram) {
            let me: *const Endpoint = self;
            writable = peer
                .with(|p| p.peer.as_ref().is_some_and(|pp| Arc::as_ptr(pp) == me) || p.inbox.count() <= MAX_DGRAM_QLEN);
        }
        if writable {
            ready |= POLLOUT | POLLWRNORM | POLLWRBAND;
        }
        ready & (events | POLLHUP | POLLERR)
    }

    /// The socket's last descriptor closed (or, `embryo`, its listener closed
    /// before accepting it): it leaves its name, a connected peer sees EOF (and
    /// ECONNRESET if data went unread), and its queue is emptied.
    fn close(&self, embryo: bool) {
        let (peer, inbox, listener, name) = self.with(|s| {
            s.closed = true;
            s.shutdown = SHUT_BOTH;
            (s.peer.take(), s.inbox.drain(), s.listener.take(), s.name.clone())
        });
        if let Some(name) = &name {
            names::release(self, name);
        }
        if let Some(peer) = peer.filter(|_| self.kind.connection_oriented()) {
            let reset = !inbox.is_empty() || embryo;
            peer.with(|p| {
                p.shutdown = SHUT_BOTH;
                if reset {
                    p.error = Some(Errno::ECONNRESET);
                }
            });
            peer.changed.wake_all();
        }
        self.changed.wake_all();
        drop(inbox);
        for pending in listener.into_iter().flat_map(|l| l.pending) {
            pending.close(true);
        }
    }
}

/// A socket as an open file.
#[derive(Debug)]
pub struct Socket {
    endpoint: Arc<Endpoint>,
}

impl Socket {
    pub fn new(kind: SocketType) -> Self {
        Self { endpoint: Endpoint::new(kind) }
    }

    /// socketpair(2): two sockets connected to each other.
    pub fn pair(kind: SocketType) -> (Self, Self) {
        let (a, b) = (Endpoint::new(kind), Endpoint::new(kind));
        let credentials = caller_credentials();
        for (one, other) in [(&a, &b), (&b, &a)] {
            one.with(|s| {
                s.connected = kind.connection_oriented();
                s.peer = Some(other.clone());
                s.peer_credentials = Some(credentials);
            });
        }
        (Self { endpoint: a }, Self { endpoint: b })
    }

    /// A connection accept took.
    pub fn accepted(endpoint: Arc<Endpoint>) -> Self {
        Self { endpoint }
    }

    pub fn endpoint(&self) -> &Arc<Endpoint> {
        &self.endpoint
    }
}

impl FileOps for Socket {
    fn read(&self, buf: &mut [u8], nonblocking: bool) -> Result<usize, Errno> {
        let taken = self.endpoint.receive(buf.len(), Flags { nonblocking, ..Flags::default() })?;
        buf[..taken.data.len()].copy_from_slice(&taken.data);
        Ok(taken.data.len())
    }

    fn write(&self, data: &[u8], nonblocking: bool) -> Result<usize, Errno> {
        let flags = Flags { nonblocking, ..Flags::default() };
        self.endpoint.send(data, Ancillary::default(), None, flags)
    }

    fn poll(&self, events: i16) -> i16 {
        self.endpoint.poll(events)
    }

    fn wait_queue(&self) -> Option<&WaitQueue> {
        Some(&self.endpoint.changed)
    }

    /// A socket inode, as Linux's sockfs: mode 0777.
    fn stat(&self) -> Stat {
        Stat { st_ino: self.endpoint.ino, st_mode: S_IFSOCK | 0o777, st_nlink: 1, st_blksize: 4096, ..Stat::default() }
    }

    fn link_target(&self) -> Vec<u8> {
        alloc::format!("socket:[{}]", self.endpoint.ino).into_bytes()
    }

    /// FIONREAD: a stream's queued bytes, or the next datagram's length.
    fn bytes_ready(&self) -> usize {
        self.endpoint.with(|s| match self.endpoint.kind {
            SocketType::Stream => s.inbox.bytes(),
            _ => s.inbox.first_len(),
        })
    }

    fn release(&self) {
        self.endpoint.close(false);
    }
}
