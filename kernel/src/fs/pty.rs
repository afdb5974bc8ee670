//! Pseudo-terminals (Linux's Unix98 ptys and devpts): opening /dev/ptmx makes a
//! pair, its master the open file and its slave /dev/pts/N, the lowest free N. The
//! slave is a `Terminal` (fs/tty.rs) whose received bytes are what the master
//! writes; what the slave writes and its echo are processed for output
//! (`ttyldisc::process_output`: NL as CR NL) into a queue in frames the master
//! reads. The slave starts locked (opening it is EIO until TIOCSPTLCK unlocks it)
//! and owned by the opener's file-system uid with group tty, mode 0620 (devpts's
//! `gid=5,mode=620`).
//!
//! A master's writer waits while the slave's input has no room, a slave's writer
//! while the master's queue is full (64 KiB). When every slave file has closed, the
//! master reads what is left and then EIO, and polls POLLHUP; when the master
//! closes, /dev/pts/N goes and the slave hangs up (end of file, EIO, SIGHUP to
//! its session's leader). The number is free again once both sides are gone.
use alloc::collections::BTreeMap;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;

use kabi::fs::{O_ACCMODE, O_NOCTTY, O_WRONLY, POLLERR, POLLHUP, POLLIN, POLLOUT, S_IFCHR};
use kabi::tty::HUPCL;
use kabi::{Errno, Stat, Termios, Winsize};
use spin::Mutex;

use super::devfs::{self, DevNode, Device};
use super::file::{FileKind, OpenFile};
use super::ops::FileOps;
use super::processes::processes;
use super::tty::Terminal;
use super::vfs::DEVPTS_DEV;
use crate::arch::cpu::without_interrupts;
use crate::mm::byte_queue::ByteQueue;
use crate::task::wait_queue::WaitQueue;

/// How many ptys may exist at once (ENOSPC beyond; Linux's default is 4096).
const MAX_PTYS: u32 = 64;
/// What the slave has written and the master not yet read, at most.
const OUTPUT_CAPACITY: usize = 64 * 1024;
/// The tty group, which owns the slaves (devpts's gid=5, as Linux distributions
/// mount it), and the slaves' mode.
pub const TTY_GID: u32 = 5;
const SLAVE_MODE: u32 = 0o620;
/// The slave's device numbers start at (136, 0) (Linux's UNIX98_PTY_SLAVE_MAJOR).
const SLAVE_MAJOR: u32 = 136;

#[derive(Debug)]
pub struct Pty {
    index: u32,
    /// /dev/pts/N's owner and group, and when it was made (seconds since 1970).
    uid: u32,
    gid: u32,
    created: i64,
    /// The slave's side: its line discipline, session and window size.
    terminal: Terminal,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// The slave's output and echo, for the master to read.
    output: ByteQueue,
    /// The slave may not be opened (TIOCSPTLCK).
    locked: bool,
    master_open: bool,
    /// Open files of the slave.
    slaves: usize,
    /// A slave was opened and every one has closed since (Linux's
    /// TTY_OTHER_CLOSED on the master).
    slave_closed: bool,
}

/// Every pty by number; an entry whose pty is gone is a free number.
static PTYS: Mutex<BTreeMap<u32, Weak<Pty>>> = Mutex::new(BTreeMap::new());

/// The ptys whose master is open, by number.
fn table() -> Vec<Arc<Pty>> {
    without_interrupts(|| PTYS.lock().values().filter_map(Weak::upgrade).collect::<Vec<_>>())
        .into_iter()
        .filter(|pty| pty.with(|s| s.master_open))
        .collect()
}

/// /dev/pts/N, if its master is open.
pub fn lookup(index: u32) -> Option<Arc<Pty>> {
    table().into_iter().find(|pty| pty.index == index)
}

/// The slaves /dev/pts lists, ascending.
pub fn visible() -> Vec<Arc<Pty>> {
    table()
}

/// The pty whose slave's terminal satisfies `wanted` (a session's controlling
/// terminal).
pub fn find(wanted: impl Fn(&Terminal) -> bool) -> Option<Arc<Pty>> {
    table().into_iter().find(|pty| wanted(&pty.terminal))
}

/// Opening /dev/ptmx: a new pty, owned by the caller, and its master.
pub fn open_master() -> Result<FileKind, Errno> {
    let credentials = processes().credentials();
    let created = (crate::time::realtime_ns() / 1_000_000_000) as i64;
    // A pty's slave starts as Linux's: the console's settings without HUPCL, no size.
    let mut termios = Termios::linux_default();
    termios.c_cflag &= !HUPCL;
    let pty = without_interrupts(|| {
        let mut ptys = PTYS.lock();
        let index = (0..MAX_PTYS).find(|n| ptys.get(n).is_none_or(|p| p.strong_count() == 0)).ok_or(Errno::ENOSPC)?;
        let slave = devfs::makedev(SLAVE_MAJOR + index / 256, index % 256);
        let pty = Arc::new(Pty {
            index,
            uid: credentials.user.fs,
            gid: TTY_GID,
            created,
            terminal: Terminal::new(termios, None, Winsize::default(), slave),
            state: Mutex::new(State {
                output: ByteQueue::new(),
                locked: true,
                master_open: true,
                slaves: 0,
                slave_closed: false,
            }),
        });
        ptys.insert(index, Arc::downgrade(&pty));
        Ok(pty)
    })?;
    Ok(FileKind::Other(Arc::new(Master { pty })))
}

/// Opening the slave of `pty` (by name or TIOCGPTPEER, or as /dev/tty
/// `as_dev_tty`, which the file then stats and names as): EIO while it is locked
/// or once its master has closed. Without O_NOCTTY it may become the caller's
/// controlling terminal (fs/tty.rs).
pub fn open_slave(pty: &Arc<Pty>, flags: u32, as_dev_tty: bool) -> Result<FileKind, Errno> {
    pty.with(|s| {
        if s.locked || !s.master_open {
            return Err(Errno::EIO);
        }
        s.slaves += 1;
        s.slave_closed = false;
        Ok(())
    })?;
    let slave = Arc::new(Slave { pty: pty.clone(), as_dev_tty });
    pty.terminal.opened(flags & O_NOCTTY != 0, flags & O_ACCMODE != O_WRONLY);
    Ok(FileKind::Other(slave))
}

impl Pty {
    fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        without_interrupts(|| f(&mut self.state.lock()))
    }

    pub fn index(&self) -> u32 {
        self.index
    }

    pub fn terminal(&self) -> &Terminal {
        &self.terminal
    }

    /// The slave's inode number in devpts (Linux's: its root is 1, ptmx 2).
    pub fn ino(&self) -> u64 {
        u64::from(self.index) + 3
    }

    /// stat(2) of /dev/pts/N.
    pub fn node_stat(&self) -> Stat {
        Stat {
            st_dev: DEVPTS_DEV,
            st_ino: self.ino(),
            st_nlink: 1,
            st_mode: S_IFCHR | SLAVE_MODE,
            st_uid: self.uid,
            st_gid: self.gid,
            st_rdev: self.terminal.device(),
            st_blksize: 1024,
            st_atime: self.created,
            st_mtime: self.created,
            st_ctime: self.created,
            ..Stat::default()
        }
    }

    /// /dev/pts/N.
    pub fn path(&self) -> Vec<u8> {
        alloc::format!("/dev/pts/{}", self.index).into_bytes()
    }

    /// Appends the slave's output, processed as its settings say, as far as
    /// there is room; returns how many bytes of `data` went (echo drops the rest).
    fn push_output(&self, termios: &Termios, data: &[u8], processed: &mut Vec<u8>) -> Result<usize, Errno> {
        self.with(|s| {
            processed.clear();
            let taken = ttyldisc::process_output(termios, data, OUTPUT_CAPACITY - s.output.len(), processed);
            s.output.push(processed).map(|()| taken)
        })
    }

    /// write(2) on the slave: waits while the master's queue is full; EIO once the
    /// master has closed.
    fn write_slave(&self, data: &[u8], nonblocking: bool) -> Result<usize, Errno> {
        let mut processed = Vec::new();
        processed.try_reserve_exact(OUTPUT_CAPACITY.min(data.len().saturating_mul(2))).map_err(|_| Errno::ENOMEM)?;
        let mut written = 0;
        while written < data.len() {
            let termios = self.terminal.termios();
            let step = self.terminal.queue().wait_until(|| {
                if self.terminal.hung_up() {
                    return Some(Err(Errno::EIO));
                }
                match self.push_output(&termios, &data[written..], &mut processed) {
                    Ok(0) if !nonblocking => None,
                    Ok(0) => Some(Err(Errno::EAGAIN)),
                    other => Some(other),
                }
            });
            self.terminal.queue().wake_all();
            match step.unwrap_or(Err(Errno::EINTR)) {
                Ok(n) => written += n,
                Err(e) => return if written > 0 { Ok(written) } else { Err(e) },
            }
        }
        Ok(written)
    }

    /// read(2) on the master: the slave's output; EIO when there is none and every
    /// slave has closed.
    fn read_master(&self, buf: &mut [u8], nonblocking: bool) -> Result<usize, Errno> {
        if buf.is_empty() {
            return Ok(0);
        }
        let result = self.terminal.queue().wait_until(|| {
            self.with(|s| {
                if !s.output.is_empty() {
                    Some(Ok(s.output.pop(buf)))
                } else if s.slave_closed {
                    Some(Err(Errno::EIO))
                } else if nonblocking {
                    Some(Err(Errno::EAGAIN))
                } else {
                    None
                }
            })
        });
        self.terminal.queue().wake_all(); // room for the slave's writers
        result.unwrap_or(Err(Errno::EINTR))
    }

    /// write(2) on the master: each byte is input to the slave's terminal, its
    /// echo output for the master; waits while the slave's input has no room.
    fn write_master(&self, data: &[u8], nonblocking: bool) -> Result<usize, Errno> {
        let mut echo = Vec::new();
        for (written, &byte) in data.iter().enumerate() {
            let room = self.terminal.queue().wait_until(|| {
                if self.terminal.has_room() {
                    Some(Ok(()))
                } else if nonblocking {
                    Some(Err(Errno::EAGAIN))
                } else {
                    None
                }
            });
            if let Err(e) = room.unwrap_or(Err(Errno::EINTR)) {
                return if written > 0 { Ok(written) } else { Err(e) };
            }
            self.terminal.input(byte, &mut |termios, bytes| {
                let _ = self.push_output(termios, bytes, &mut echo);
            });
        }
        Ok(data.len())
    }

    /// TIOCGPTLCK.
    pub fn locked(&self) -> bool {
        self.with(|s| s.locked)
    }

    /// TIOCSPTLCK.
    pub fn set_locked(&self, locked: bool) {
        self.with(|s| s.locked = locked);
    }

    /// TCFLSH's output side: the slave's output the master has not read.
    pub fn flush_output(&self) {
        self.with(|s| s.output.discard(s.output.len()));
        self.terminal.queue().wake_all();
    }
}

/// The pty `file` is a side of, and whether it is the master.
pub fn side_of(file: &OpenFile) -> Option<(&Arc<Pty>, bool)> {
    let master = file.downcast::<Master>().map(|m| (&m.pty, true));
    master.or_else(|| file.downcast::<Slave>().map(|s| (&s.pty, false)))
}

/// A pty's master, as an open file of /dev/ptmx.
#[derive(Debug)]
struct Master {
    pty: Arc<Pty>,
}

impl FileOps for Master {
    fn read(&self, buf: &mut [u8], nonblocking: bool) -> Result<usize, Errno> {
        self.pty.read_master(buf, nonblocking)
    }

    fn write(&self, data: &[u8], nonblocking: bool) -> Result<usize, Errno> {
        self.pty.write_master(data, nonblocking)
    }

    /// POLLIN for the slave's output, POLLOUT while the slave's input has room,
    /// POLLHUP once every slave has closed.
    fn poll(&self, events: i16) -> i16 {
        let (readable, closed) = self.pty.with(|s| (!s.output.is_empty(), s.slave_closed));
        let mut ready = if readable { POLLIN } else { 0 };
        if self.pty.terminal.has_room() {
            ready |= POLLOUT;
        }
        if closed {
            ready |= POLLHUP;
        }
        ready & (events | POLLHUP | POLLERR)
    }

    fn wait_queue(&self) -> Option<&WaitQueue> {
        Some(self.pty.terminal.queue())
    }

    /// /dev/ptmx's.
    fn stat(&self) -> Stat {
        devfs::stat(&DevNode::Ptmx)
    }

    fn bytes_ready(&self) -> usize {
        self.pty.with(|s| s.output.len())
    }

    fn terminal(&self) -> Option<&Terminal> {
        Some(&self.pty.terminal)
    }

    /// /dev/pts/N goes, and the slave hangs up.
    fn release(&self) {
        self.pty.with(|s| s.master_open = false);
        self.pty.terminal.hang_up();
    }

    fn link_target(&self) -> Vec<u8> {
        b"/dev/ptmx".to_vec()
    }
}

/// An open file of a pty's slave.
#[derive(Debug)]
struct Slave {
    pty: Arc<Pty>,
    /// Opened as /dev/tty.
    as_dev_tty: bool,
}

impl FileOps for Slave {
    fn read(&self, buf: &mut [u8], nonblocking: bool) -> Result<usize, Errno> {
        self.pty.terminal.read(buf, nonblocking)
    }

    fn write(&self, data: &[u8], nonblocking: bool) -> Result<usize, Errno> {
        self.pty.write_slave(data, nonblocking)
    }

    fn poll(&self, events: i16) -> i16 {
        let mut ready = self.pty.terminal.poll_input();
        if self.pty.with(|s| s.output.len() < OUTPUT_CAPACITY) {
            ready |= POLLOUT;
        }
        ready & (events | POLLHUP | POLLERR)
    }

    fn wait_queue(&self) -> Option<&WaitQueue> {
        Some(self.pty.terminal.queue())
    }

    /// /dev/pts/N's (or /dev/tty's).
    fn stat(&self) -> Stat {
        if self.as_dev_tty { devfs::stat(&DevNode::Device(Device::Tty)) } else { self.pty.node_stat() }
    }

    fn bytes_ready(&self) -> usize {
        self.pty.terminal.available()
    }

    fn terminal(&self) -> Option<&Terminal> {
        Some(&self.pty.terminal)
    }

    fn release(&self) {
        self.pty.with(|s| {
            s.slaves -= 1;
            s.slave_closed = s.slaves == 0;
        });
        self.pty.terminal.queue().wake_all();
    }

    fn link_target(&self) -> Vec<u8> {
        if self.as_dev_tty { b"/dev/tty".to_vec() } else { self.pty.path() }
    }
}
