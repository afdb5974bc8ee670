//! A socket's receive queue: the bytes in frames (mm/byte_queue.rs) and, over
//! them, the records that were sent: each with its length, its sender, the
//! sender's name and credentials, and the descriptors it carries. Datagrams are
//! one record each; a stream's sends join the record before them when nothing
//! sets them apart. A record charges its sender (Linux's sk_wmem_alloc) until it
//! is read, so a sender has at most its SO_SNDBUF in flight.
use alloc::collections::VecDeque;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::sync::atomic::Ordering;

use kabi::Errno;
use kabi::socket::Ucred;

use super::{Endpoint, Name};
use crate::fs::file::OpenFile;
use crate::mm::byte_queue::ByteQueue;
use crate::mm::heap::for_user;

/// What a record costs its sender besides its bytes (the order of Linux's
/// sk_buff overhead), so that empty or tiny messages are bounded too.
pub const RECORD_OVERHEAD: usize = 512;

/// One message, or a run of stream bytes from one sender.
#[derive(Debug)]
pub struct Record {
    /// Its bytes still queued.
    len: usize,
    /// What it still charges its sender.
    charge: usize,
    sender: Weak<Endpoint>,
    /// The sender's name when it sent (recvfrom's address).
    pub from: Option<Arc<Name>>,
    pub credentials: Ucred,
    pub rights: Vec<Arc<OpenFile>>,
}

impl Record {
    /// A record from `sender`, named `from` (queued by `Inbox::push`).
    pub fn new(
        sender: &Arc<Endpoint>,
        from: Option<Arc<Name>>,
        credentials: Ucred,
        rights: Vec<Arc<OpenFile>>,
    ) -> Self {
        Self { len: 0, charge: 0, sender: Arc::downgrade(sender), from, credentials, rights }
    }

    /// Give back `amount` of the charge to the sender, waking it.
    fn credit(&mut self, amount: usize) {
        let amount = amount.min(self.charge);
        self.charge -= amount;
        if let Some(sender) = self.sender.upgrade() {
            sender.in_flight.fetch_sub(amount, Ordering::Relaxed);
            sender.changed.wake_all();
        }
    }
}

impl Drop for Record {
    fn drop(&mut self) {
        self.credit(self.charge);
    }
}

/// What a receive took: the bytes, the message's whole length (for MSG_TRUNC),
/// and the first record's sender name, credentials and descriptors.
#[derive(Debug, Default)]
pub struct Taken {
    pub data: Vec<u8>,
    pub len: usize,
    pub from: Option<Arc<Name>>,
    pub credentials: Option<Ucred>,
    pub rights: Vec<Arc<OpenFile>>,
}

#[derive(Debug, Default)]
pub struct Inbox {
    bytes: ByteQueue,
    records: VecDeque<Record>,
}

impl Inbox {
    pub const fn new() -> Self {
        Self { bytes: ByteQueue::new(), records: VecDeque::new() }
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Records queued (datagram queue length).
    pub fn count(&self) -> usize {
        self.records.len()
    }

    /// Bytes queued (a stream's FIONREAD).
    pub fn bytes(&self) -> usize {
        self.bytes.len()
    }

    /// The length of the first record (a datagram's FIONREAD).
    pub fn first_len(&self) -> usize {
        self.records.front().map_or(0, |r| r.len)
    }

    /// Queue `data` as the record in `slot` (as a new one when `separate` or when
    /// something sets it apart from the last one), charging its sender. ENOMEM
    /// when memory is short: then nothing is queued and the record stays in
    /// `slot`, for the caller to drop outside its lock.
    pub fn push(&mut self, slot: &mut Option<Record>, data: &[u8], separate: bool) -> Result<(), Errno> {
        let Some(record) = slot.as_ref() else { return Err(Errno::EINVAL) };
        let charge = data.len() + RECORD_OVERHEAD + record.rights.len() * size_of::<usize>();
        let join = self.records.back().is_some_and(|last| {
            !separate
                && record.rights.is_empty()
                && last.rights.is_empty()
                && last.credentials == record.credentials
                && Weak::ptr_eq(&last.sender, &record.sender)
        });
        if !join {
            for_user(|| self.records.try_reserve(1)).map_err(|_| Errno::ENOMEM)?;
        }
        self.bytes.push(data)?;
        if let Some(sender) = record.sender.upgrade() {
            sender.in_flight.fetch_add(charge, Ordering::Relaxed);
        }
        match self.records.back_mut() {
            Some(last) if join => {
                last.len += data.len();
                last.charge += charge;
            }
            _ => {
                let mut record = slot.take().ok_or(Errno::EINVAL)?;
                record.len = data.len();
                record.charge = charge;
                self.records.push_back(record);
            }
        }
        Ok(())
    }

    /// Take one datagram: up to `max` of its bytes (the rest is dropped unless
    /// `peek`), its full length, and its name, credentials and descriptors
    /// (copies when `peek`).
    pub fn take_message(&mut self, max: usize, peek: bool) -> Result<Taken, Errno> {
        let Some(first) = self.records.front() else { return Ok(Taken::default()) };
        let mut data = crate::mm::heap::try_zeroed_bytes(max.min(first.len))?;
        self.bytes.peek(0, &mut data);
        let mut taken = Taken {
            len: first.len,
            from: first.from.clone(),
            credentials: Some(first.credentials),
            ..Taken::default()
        };
        if peek {
            taken.rights = first.rights.clone();
        } else if let Some(mut record) = self.records.pop_front() {
            self.bytes.discard(record.len);
            taken.rights = core::mem::take(&mut record.rights);
        }
        taken.data = data;
        Ok(taken)
    }

    /// Take up to `max` stream bytes, across records, stopping after a record
    /// that carries descriptors and, when `by_sender` (SO_PASSCRED), before one
    /// from other credentials. With `peek` nothing is consumed.
    pub fn take_stream(&mut self, max: usize, peek: bool, by_sender: bool) -> Result<Taken, Errno> {
        let mut data = crate::mm::heap::try_zeroed_bytes(max.min(self.bytes.len()))?;
        let mut taken = Taken::default();
        let (mut copied, mut index) = (0, 0);
        while copied < data.len() {
            let Some(record) = self.records.get_mut(index) else { break };
            match taken.credentials {
                Some(first) if by_sender && first != record.credentials => break,
                Some(_) => {}
                None => (taken.from, taken.credentials) = (record.from.clone(), Some(record.credentials)),
            }
            let n = record.len.min(data.len() - copied);
            let skip = if peek { copied } else { 0 };
            self.bytes.peek(skip, &mut data[copied..copied + n]);
            copied += n;
            let has_rights = !record.rights.is_empty();
            taken.rights = if peek { record.rights.clone() } else { core::mem::take(&mut record.rights) };
            if peek {
                index += 1;
            } else {
                self.bytes.discard(n);
                record.len -= n;
                record.credit(n);
                if record.len == 0 {
                    self.records.pop_front();
                }
            }
            if has_rights {
                break;
            }
        }
        data.truncate(copied);
        taken.len = copied;
        taken.data = data;
        Ok(taken)
    }

    /// Everything queued, to be dropped outside the socket's lock (descriptors in
    /// flight close then, which may reach other sockets).
    pub fn drain(&mut self) -> Self {
        core::mem::take(self)
    }
}
