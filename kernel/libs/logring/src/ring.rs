//! A ring of log records in a byte buffer of `CAP` bytes, as Linux's printk
//! ringbuffer: each record is a 32-byte header (sequence number, time in µs,
//! where the next record starts, text length, level, facility) and its text,
//! 8-byte aligned and never split at the buffer's end (a record that does not
//! fit there starts again at its beginning). Adding a record drops the oldest
//! ones while the new one has no room. Positions only grow; a `Cursor` (a
//! sequence number and its position) stays valid until its record is dropped.

/// The longest text a record keeps (Linux's PRINTKRB_RECORD_MAX); longer is cut.
pub const TEXT_MAX: usize = 1024;
const HEADER: usize = 32;

/// Where a reader is: the record it reads next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    seq: u64,
    pos: u64,
}

impl Cursor {
    /// The sequence number of the record it points at.
    pub fn seq(self) -> u64 {
        self.seq
    }
}

/// The records at a cursor were dropped to make room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lost;

/// One record, borrowed from the ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record<'a> {
    pub seq: u64,
    /// Microseconds since boot.
    pub usec: u64,
    /// 0 (emerg) .. 7 (debug).
    pub level: u8,
    /// 0 the kernel, 1 user programs, ...
    pub facility: u8,
    pub text: &'a [u8],
}

#[derive(Debug)]
pub struct Ring<const CAP: usize> {
    buf: [u8; CAP],
    /// The oldest record.
    head: Cursor,
    /// Where the next record goes.
    tail: Cursor,
    /// The newest record's position (its `next` is set when another follows).
    last: Option<u64>,
}

impl<const CAP: usize> Default for Ring<CAP> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const CAP: usize> Ring<CAP> {
    const ROOMY: () = assert!(CAP.is_multiple_of(8) && CAP >= 2 * (HEADER + TEXT_MAX), "too small a ring");

    pub const fn new() -> Self {
        let () = Self::ROOMY;
        let start = Cursor { seq: 0, pos: 0 };
        Self { buf: [0; CAP], head: start, tail: start, last: None }
    }

    /// The buffer's size in bytes (syslog's SIZE_BUFFER).
    pub const fn capacity(&self) -> usize {
        CAP
    }

    /// The oldest record kept, for a `const` caller.
    pub const fn first_const(&self) -> Cursor {
        self.head
    }

    /// The oldest record kept.
    pub fn first(&self) -> Cursor {
        self.head
    }

    /// Just after the newest record.
    pub fn end(&self) -> Cursor {
        self.tail
    }

    /// `cursor`, or the oldest record if its own was dropped.
    pub fn valid(&self, cursor: Cursor) -> Cursor {
        if cursor.seq < self.head.seq { self.head } else { cursor }
    }

    /// Add a record (its text cut at `TEXT_MAX` bytes); its sequence number.
    pub fn push(&mut self, usec: u64, level: u8, facility: u8, text: &[u8]) -> u64 {
        let text = &text[..text.len().min(TEXT_MAX)];
        let size = (HEADER + text.len()).next_multiple_of(8) as u64;
        let cap = CAP as u64;
        let mut start = self.tail.pos;
        if start % cap + size > cap {
            start = start.next_multiple_of(cap);
        }
        if let Some(last) = self.last {
            self.put(last + 16, &start.to_le_bytes());
        }
        while self.head.seq < self.tail.seq && start + size - self.head.pos > cap {
            self.head = Cursor { seq: self.head.seq + 1, pos: self.word(self.head.pos + 16) };
        }
        if self.head.seq == self.tail.seq {
            self.head.pos = start;
        }
        let seq = self.tail.seq;
        self.put(start, &seq.to_le_bytes());
        self.put(start + 8, &usec.to_le_bytes());
        self.put(start + 16, &(start + size).to_le_bytes());
        self.put(start + 24, &(text.len() as u16).to_le_bytes());
        self.put(start + 26, &[level & 7, facility]);
        self.put(start + HEADER as u64, text);
        self.last = Some(start);
        self.tail = Cursor { seq: seq + 1, pos: start + size };
        seq
    }

    /// The record at `at` and the cursor after it; None at the end.
    pub fn get(&self, at: Cursor) -> Result<Option<(Record<'_>, Cursor)>, Lost> {
        if at.seq < self.head.seq {
            return Err(Lost);
        }
        if at.seq >= self.tail.seq {
            return Ok(None);
        }
        let offset = self.offset(at.pos);
        let len = u16::from_le_bytes([self.buf[offset + 24], self.buf[offset + 25]]) as usize;
        let record = Record {
            seq: self.word(at.pos),
            usec: self.word(at.pos + 8),
            level: self.buf[offset + 26],
            facility: self.buf[offset + 27],
            text: &self.buf[offset + HEADER..offset + HEADER + len],
        };
        Ok(Some((record, Cursor { seq: at.seq + 1, pos: self.word(at.pos + 16) })))
    }

    /// The records from `from` (or the oldest, if it was dropped) to the end.
    pub fn records(&self, from: Cursor) -> impl Iterator<Item = (Record<'_>, Cursor)> {
        let mut at = self.valid(from);
        core::iter::from_fn(move || {
            let (record, next) = self.get(at).ok().flatten()?;
            at = next;
            Some((record, next))
        })
    }

    fn offset(&self, pos: u64) -> usize {
        (pos % CAP as u64) as usize
    }

    fn word(&self, pos: u64) -> u64 {
        let offset = self.offset(pos);
        let mut bytes = [0; 8];
        bytes.copy_from_slice(&self.buf[offset..offset + 8]);
        u64::from_le_bytes(bytes)
    }

    fn put(&mut self, pos: u64, bytes: &[u8]) {
        let offset = self.offset(pos);
        self.buf[offset..offset + bytes.len()].copy_from_slice(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type Small = Ring<4096>;

    fn texts(ring: &Small) -> Vec<(u64, Vec<u8>)> {
        ring.records(ring.first()).map(|(r, _)| (r.seq, r.text.to_vec())).collect()
    }

    #[test]
    fn records_come_back_in_order() {
        let mut ring = Small::new();
        assert_eq!(ring.get(ring.first()), Ok(None));
        ring.push(5, 6, 0, b"one");
        ring.push(7, 3, 1, b"two");
        let (first, next) = ring.get(ring.first()).unwrap().unwrap();
        assert_eq!(first, Record { seq: 0, usec: 5, level: 6, facility: 0, text: b"one" });
        let (second, end) = ring.get(next).unwrap().unwrap();
        assert_eq!((second.seq, second.level, second.facility, second.text), (1, 3, 1, &b"two"[..]));
        assert_eq!(end, ring.end());
        assert_eq!(ring.get(end), Ok(None));
    }

    #[test]
    fn the_oldest_go_when_full() {
        let mut ring = Small::new();
        let start = ring.first();
        for i in 0..200u64 {
            ring.push(i, 6, 0, format!("record {i}").as_bytes());
        }
        assert_eq!(ring.get(start), Err(Lost));
        let kept = texts(&ring);
        assert!(kept.len() < 200 && kept.len() > 50);
        assert_eq!(kept.last().unwrap(), &(199, b"record 199".to_vec()));
        assert_eq!(kept[0].0, 200 - kept.len() as u64);
        assert_eq!(ring.valid(start), ring.first());
    }

    #[test]
    fn long_texts_are_cut() {
        let mut ring = Small::new();
        ring.push(0, 6, 0, &[b'x'; 2000]);
        assert_eq!(texts(&ring)[0].1.len(), TEXT_MAX);
    }

    proptest! {
        #[test]
        fn the_newest_records_that_fit_are_kept(lens in proptest::collection::vec(0usize..1100, 1..60)) {
            let mut ring = Small::new();
            for (i, len) in lens.iter().enumerate() {
                let text: Vec<u8> = (0..*len).map(|j| (i + j) as u8).collect();
                ring.push(i as u64, (i % 8) as u8, 1, &text);
            }
            let kept = texts(&ring);
            prop_assert!(!kept.is_empty());
            let bytes: usize = kept.iter().map(|(_, t)| (HEADER + t.len()).next_multiple_of(8)).sum();
            prop_assert!(bytes <= 4096);
            for (k, (seq, text)) in kept.iter().enumerate() {
                let i = *seq as usize;
                prop_assert_eq!(i, lens.len() - kept.len() + k);
                let want: Vec<u8> = (0..lens[i].min(TEXT_MAX)).map(|j| (i + j) as u8).collect();
                prop_assert_eq!(text, &want);
            }
        }
    }
}
