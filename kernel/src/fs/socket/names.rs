//! The names sockets are bound to, and finding a socket by one: abstract names in
//! a table of their own (one namespace per socket type, as Linux hashes them),
//! paths as socket inodes in the tmpfs, each mapped to the socket bound there.
//! A closed socket leaves its table; its inode stays until unlinked, and
//! connecting to it is refused.
use alloc::collections::BTreeMap;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;

use kabi::Errno;
use ramfs::{FileType, InodeRef};
use sockmsg::UnixAddress;
use spin::Mutex;

use super::{Endpoint, SocketType};
use crate::arch::cpu::without_interrupts;
use crate::fs::vfs::{self, Node};

/// A bound name: the address, and for a path the inode made for it.
#[derive(Debug)]
pub struct Name {
    pub address: UnixAddress,
    inode: Option<InodeRef>,
}

#[derive(Debug)]
struct Table {
    abstract_names: BTreeMap<(SocketType, Vec<u8>), Weak<Endpoint>>,
    /// Socket inodes by inode number (the inode is kept by its socket's Name).
    inodes: BTreeMap<u64, Weak<Endpoint>>,
    /// The next automatic name to try.
    next_automatic: u32,
}

static TABLE: Mutex<Table> =
    Mutex::new(Table { abstract_names: BTreeMap::new(), inodes: BTreeMap::new(), next_automatic: 0 });

fn with<R>(f: impl FnOnce(&mut Table) -> R) -> R {
    without_interrupts(|| f(&mut TABLE.lock()))
}

/// Bind `endpoint` to `address` (a path made from `cwd`, with permission bits
/// `mode`): EADDRINUSE if the name is taken.
pub fn bind(endpoint: &Arc<Endpoint>, cwd: &Node, address: UnixAddress, mode: u32) -> Result<Arc<Name>, Errno> {
    match &address {
        UnixAddress::Path(path) => {
            let inode = make_node(cwd, path, mode)?;
            with(|t| t.inodes.insert(inode.ino(), Arc::downgrade(endpoint)));
            Ok(Arc::new(Name { address, inode: Some(inode) }))
        }
        UnixAddress::Abstract(name) => with(|t| {
            let key = (endpoint.kind, name.clone());
            let address = UnixAddress::Abstract(name.clone());
            if t.abstract_names.get(&key).is_some_and(|e| e.strong_count() > 0) {
                return Err(Errno::EADDRINUSE);
            }
            t.abstract_names.insert(key, Arc::downgrade(endpoint));
            Ok(Arc::new(Name { address, inode: None }))
        }),
    }
}

/// The socket inode for `path`: EADDRINUSE if the name exists.
pub fn make_node(cwd: &Node, path: &[u8], mode: u32) -> Result<InodeRef, Errno> {
    vfs::make_socket(cwd, path, mode).map_err(|e| if e == Errno::EEXIST { Errno::EADDRINUSE } else { e })
}

/// A free automatic abstract name for `endpoint` (Linux's autobind).
pub fn bind_automatic(endpoint: &Arc<Endpoint>) -> Result<Arc<Name>, Errno> {
    for _ in 0..=0xf_ffff {
        let number = with(|t| {
            t.next_automatic = (t.next_automatic + 1) & 0xf_ffff;
            t.next_automatic
        });
        match bind(endpoint, &vfs::root(), UnixAddress::automatic(number), 0) {
            Err(Errno::EADDRINUSE) => continue,
            other => return other,
        }
    }
    Err(Errno::ENOSPC)
}

/// Forget `name` if `endpoint` is the socket bound to it (it has closed; a
/// connection accept gave shares its listener's name and leaves it alone).
pub fn release(endpoint: &Endpoint, name: &Name) {
    let bound_here = |entry: &Weak<Endpoint>| core::ptr::eq(entry.as_ptr(), endpoint);
    with(|t| match (&name.address, &name.inode) {
        (UnixAddress::Abstract(bytes), _) => {
            let key = (endpoint.kind, bytes.clone());
            if t.abstract_names.get(&key).is_some_and(bound_here) {
                t.abstract_names.remove(&key);
            }
        }
        (UnixAddress::Path(_), Some(inode)) => {
            if t.inodes.get(&inode.ino()).is_some_and(bound_here) {
                t.inodes.remove(&inode.ino());
            }
        }
        (UnixAddress::Path(_), None) => {}
    });
}

/// The socket of type `kind` bound to `address` (a path resolved from `cwd`):
/// ENOENT and the other path errors, ECONNREFUSED when no socket is bound there,
/// EPROTOTYPE when one of another type is.
pub fn find(cwd: &Node, address: &UnixAddress, kind: SocketType) -> Result<Arc<Endpoint>, Errno> {
    match address {
        UnixAddress::Path(path) => {
            let Node::Tmpfs(inode) = vfs::resolve(cwd, path, true)? else { return Err(Errno::ECONNREFUSED) };
            if inode.file_type() != FileType::Socket {
                return Err(Errno::ECONNREFUSED);
            }
            let endpoint = with(|t| t.inodes.get(&inode.ino()).and_then(Weak::upgrade)).ok_or(Errno::ECONNREFUSED)?;
            let same_inode = endpoint.name().and_then(|n| n.inode.clone()).is_some_and(|i| Arc::ptr_eq(&i, &inode));
            match endpoint.kind {
                _ if !same_inode => Err(Errno::ECONNREFUSED),
                found if found != kind => Err(Errno::EPROTOTYPE),
                _ => Ok(endpoint),
            }
        }
        UnixAddress::Abstract(name) => {
            with(|t| t.abstract_names.get(&(kind, name.clone())).and_then(Weak::upgrade)).ok_or(Errno::ECONNREFUSED)
        }
    }
}
