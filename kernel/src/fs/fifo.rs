//! Named pipes (mkfifo): the pipe attached to a FIFO inode while anyone has it
//! open. Openers of the same inode share one pipe; when the last one closes,
//! the pipe and any unread data go, as on Linux.
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;

use kabi::Errno;
use ramfs::InodeRef;
use spin::Mutex;

use crate::arch::cpu::without_interrupts;

use super::pipe::{End, Pipe};

/// Open named pipes: the inode (held, so its address names it) and its pipe.
static OPEN: Mutex<Vec<(InodeRef, Weak<Pipe>)>> = Mutex::new(Vec::new());

/// The pipe of `inode`, made if no one has it open; entries whose pipe has gone
/// are dropped on the way.
fn pipe_of(inode: &InodeRef) -> Arc<Pipe> {
    without_interrupts(|| {
        let mut open = OPEN.lock();
        open.retain(|(_, pipe)| pipe.strong_count() > 0);
        if let Some(pipe) = open.iter().find(|(i, _)| Arc::ptr_eq(i, inode)).and_then(|(_, p)| p.upgrade()) {
            return pipe;
        }
        let pipe = Arc::new(Pipe::unopened());
        open.push((inode.clone(), Arc::downgrade(&pipe)));
        pipe
    })
}

/// open(2) of the FIFO `inode` for `end` (waiting for the other end as fifo(7)
/// says, unless `nonblocking`): its pipe.
pub fn open(inode: &InodeRef, end: End, nonblocking: bool) -> Result<Arc<Pipe>, Errno> {
    let pipe = pipe_of(inode);
    pipe.open(end, nonblocking)?;
    Ok(pipe)
}
