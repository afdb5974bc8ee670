//! The log with syslog(2)'s two cursors, as Linux's printk: READ consumes from
//! the unread cursor (whole records while they fit, else part of the first,
//! remembered for the next READ); READ_ALL gives the newest records that fit
//! from the clear cursor, which CLEAR and READ_CLEAR move to the end. Readers of
//! /dev/kmsg keep their own cursors and read one record at a time.
use alloc::vec::Vec;

use crate::ring::{Cursor, Lost, Ring};
use crate::text::{kmsg_text, syslog_len, syslog_text};

#[derive(Debug)]
pub struct Log<const CAP: usize> {
    ring: Ring<CAP>,
    /// syslog READ's next record, and how much of it was read already.
    unread: Cursor,
    partial: usize,
    /// Where READ_ALL starts.
    clear: Cursor,
}

/// What a /dev/kmsg reader finds at its cursor.
#[derive(Debug, PartialEq, Eq)]
pub enum KmsgRead {
    /// The record's text; the cursor moved past it.
    Record(Vec<u8>),
    /// Nothing new.
    Empty,
    /// Records under the cursor were dropped; it moved to the oldest kept.
    Lost,
}

impl<const CAP: usize> Default for Log<CAP> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const CAP: usize> Log<CAP> {
    pub const fn new() -> Self {
        let ring = Ring::new();
        let start = ring.first_const();
        Self { ring, unread: start, partial: 0, clear: start }
    }

    pub fn ring(&self) -> &Ring<CAP> {
        &self.ring
    }

    /// Add a record; its sequence number.
    pub fn push(&mut self, usec: u64, level: u8, facility: u8, text: &[u8]) -> u64 {
        self.ring.push(usec, level, facility, text)
    }

    /// Where READ_ALL starts (/dev/kmsg's SEEK_DATA).
    pub fn clear_cursor(&self) -> Cursor {
        self.ring.valid(self.clear)
    }

    /// CLEAR: READ_ALL gives only records added from now on.
    pub fn clear(&mut self) {
        self.clear = self.ring.end();
    }

    /// READ_ALL (and READ_CLEAR, with `clear`): the newest records from the
    /// clear cursor whose text fits in `size` bytes.
    pub fn read_all(&mut self, size: usize, clear: bool) -> Vec<u8> {
        let from = self.clear_cursor();
        let mut total: usize = self.ring.records(from).map(|(r, _)| syslog_len(&r)).sum();
        let mut out = Vec::new();
        for (record, _) in self.ring.records(from) {
            if total > size {
                total -= syslog_len(&record);
                continue;
            }
            out.extend_from_slice(&syslog_text(&record));
        }
        if clear {
            self.clear();
        }
        out
    }

    /// Whether READ has something to return.
    pub fn has_unread(&self) -> bool {
        self.ring.valid(self.unread).seq() < self.ring.end().seq()
    }

    /// The unread cursor, moved to the oldest record if its own was dropped.
    fn unread(&mut self) -> Cursor {
        let valid = self.ring.valid(self.unread);
        if valid != self.unread {
            self.unread = valid;
            self.partial = 0;
        }
        valid
    }

    /// SIZE_UNREAD: the bytes READ would return with room for all.
    pub fn size_unread(&mut self) -> usize {
        let from = self.unread();
        self.ring.records(from).map(|(r, _)| syslog_len(&r)).sum::<usize>() - self.partial
    }

    /// READ: up to `size` bytes from the unread cursor, consumed.
    pub fn read(&mut self, size: usize) -> Vec<u8> {
        let mut out = Vec::new();
        loop {
            let at = self.unread();
            let Ok(Some((record, next))) = self.ring.get(at) else { break };
            let text = syslog_text(&record);
            let rest = &text[self.partial..];
            if out.len() + rest.len() <= size {
                out.extend_from_slice(rest);
                self.unread = next;
                self.partial = 0;
            } else {
                if out.is_empty() {
                    out.extend_from_slice(&rest[..size]);
                    self.partial += size;
                }
                break;
            }
        }
        out
    }

    /// The record at a /dev/kmsg reader's `cursor`, moving it.
    pub fn kmsg_read(&self, cursor: &mut Cursor) -> KmsgRead {
        match self.ring.get(*cursor) {
            Ok(Some((record, next))) => {
                *cursor = next;
                KmsgRead::Record(kmsg_text(&record))
            }
            Ok(None) => KmsgRead::Empty,
            Err(Lost) => {
                *cursor = self.ring.first();
                KmsgRead::Lost
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Small = Log<4096>;

    fn log_of(texts: &[&str]) -> Small {
        let mut log = Small::new();
        for (i, text) in texts.iter().enumerate() {
            log.push(i as u64 * 1_000_001, 6, 0, text.as_bytes());
        }
        log
    }

    const A: &str = "<6>[    0.000000] a\n";
    const B: &str = "<6>[    1.000001] bb\n";
    const C: &str = "<6>[    2.000002] ccc\n";

    fn string(bytes: Vec<u8>) -> String {
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn read_all_gives_the_newest_that_fit() {
        let mut log = log_of(&["a", "bb", "ccc"]);
        assert_eq!(string(log.read_all(1000, false)), [A, B, C].concat());
        assert_eq!(string(log.read_all(B.len() + C.len(), false)), [B, C].concat());
        assert_eq!(string(log.read_all(C.len() + 3, false)), C);
        assert_eq!(string(log.read_all(3, false)), "");
    }

    #[test]
    fn clearing() {
        let mut log = log_of(&["a", "bb"]);
        assert_eq!(string(log.read_all(1000, true)), [A, B].concat());
        assert_eq!(string(log.read_all(1000, false)), "");
        log.push(2_000_002, 6, 0, b"ccc");
        assert_eq!(string(log.read_all(1000, false)), C);
        log.clear();
        assert_eq!(string(log.read_all(1000, false)), "");
        assert_eq!(log.clear_cursor(), log.ring().end());
    }

    #[test]
    fn read_consumes_whole_records_then_parts() {
        let mut log = log_of(&["a", "bb", "ccc"]);
        assert!(log.has_unread());
        assert_eq!(log.size_unread(), A.len() + B.len() + C.len());
        assert_eq!(string(log.read(A.len() + B.len() + 2)), [A, B].concat());
        assert_eq!(log.size_unread(), C.len());
        assert_eq!(string(log.read(5)), &C[..5]);
        assert_eq!(log.size_unread(), C.len() - 5);
        assert_eq!(string(log.read(100)), &C[5..]);
        assert!(!log.has_unread());
        assert_eq!(log.size_unread(), 0);
        assert_eq!(string(log.read(100)), "");
        // READ does not move READ_ALL's cursor.
        assert_eq!(string(log.read_all(1000, false)), [A, B, C].concat());
    }

    #[test]
    fn kmsg_readers_see_lost_records_once() {
        let mut log = log_of(&["first"]);
        let mut cursor = log.ring().first();
        assert_eq!(log.kmsg_read(&mut cursor), KmsgRead::Record(b"6,0,0,-;first\n".to_vec()));
        assert_eq!(log.kmsg_read(&mut cursor), KmsgRead::Empty);
        for i in 0..300 {
            log.push(0, 6, 0, format!("more {i}").as_bytes());
        }
        assert_eq!(log.kmsg_read(&mut cursor), KmsgRead::Lost);
        let oldest = log.ring().first().seq();
        assert!(oldest > 1);
        match log.kmsg_read(&mut cursor) {
            KmsgRead::Record(text) => assert!(string(text).starts_with(&format!("6,{oldest},0,-;more "))),
            other => panic!("{other:?}"),
        }
        // The unread cursor moved on too.
        assert!(log.size_unread() > 0);
        assert!(string(log.read(100_000)).starts_with(&format!("<6>[    0.000000] more {}\n", oldest - 1)));
    }
}
