//! The regions of a user address space (Linux's VMAs): page-aligned, non-overlapping
//! ranges, each with one access value, kept merged where neighbours are alike.
//! Pages inside a region are mapped when first touched; operations cost the
//! number of regions they meet, never the size of the range.
#![cfg_attr(not(test), no_std)]

extern crate alloc;

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

#[cfg(test)]
mod tests;

/// One region: `start..end` with `access`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region<A> {
    pub start: u64,
    pub end: u64,
    pub access: A,
}

/// Part of a range has no region (mprotect's ENOMEM).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unmapped;

/// The regions of one address space, keyed by start.
#[derive(Debug, Clone, Default)]
pub struct Regions<A> {
    map: BTreeMap<u64, (u64, A)>,
    /// Bytes covered, kept so limits are checked without a walk.
    total: u64,
}

impl<A: Copy + Eq> Regions<A> {
    pub const fn new() -> Self {
        Self { map: BTreeMap::new(), total: 0 }
    }

    /// The region holding `addr`.
    pub fn find(&self, addr: u64) -> Option<Region<A>> {
        let (&start, &(end, access)) = self.map.range(..=addr).next_back()?;
        (addr < end).then_some(Region { start, end, access })
    }

    /// Bytes covered by all regions.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Bytes of `start..end` covered by regions.
    pub fn covered(&self, start: u64, end: u64) -> u64 {
        self.overlapping(start, end).map(|r| r.end.min(end) - r.start.max(start)).sum()
    }

    pub fn iter(&self) -> impl Iterator<Item = Region<A>> + '_ {
        self.map.iter().map(|(&start, &(end, access))| Region { start, end, access })
    }

    /// The regions meeting `start..end`, in address order.
    fn overlapping(&self, start: u64, end: u64) -> impl Iterator<Item = Region<A>> + '_ {
        let first = self.find(start).map_or(start, |r| r.start);
        self.map
            .range(first..end)
            .map(|(&s, &(e, access))| Region { start: s, end: e, access })
            .filter(move |r| r.end > start)
    }

    /// Make `start..end` one region with `access`, replacing whatever was there.
    pub fn insert(&mut self, start: u64, end: u64, access: A) {
        if start >= end {
            return;
        }
        self.remove(start, end);
        self.put(start, end, access);
        self.merge_around(start, end);
    }

    /// Remove `start..end` from the regions, splitting those that straddle its ends.
    pub fn remove(&mut self, start: u64, end: u64) {
        if start >= end {
            return;
        }
        let hit: Vec<Region<A>> = self.overlapping(start, end).collect();
        for r in hit {
            self.take(r.start);
            if r.start < start {
                self.put(r.start, start, r.access);
            }
            if r.end > end {
                self.put(end, r.end, r.access);
            }
        }
    }

    /// Give all of `start..end` `access`; Err without a change when part of it has
    /// no region.
    pub fn protect(&mut self, start: u64, end: u64, access: A) -> Result<(), Unmapped> {
        if start >= end {
            return Ok(());
        }
        if self.covered(start, end) != end - start {
            return Err(Unmapped);
        }
        self.insert(start, end, access);
        Ok(())
    }

    /// Whether no region meets `start..end`.
    pub fn is_free(&self, start: u64, end: u64) -> bool {
        self.overlapping(start, end).next().is_none()
    }

    /// The highest start of a free range of `len` bytes within `floor..top`.
    pub fn find_gap(&self, len: u64, floor: u64, top: u64) -> Option<u64> {
        let mut ceiling = top;
        for (&start, &(end, _)) in self.map.range(..top).rev() {
            if end <= ceiling && ceiling - end >= len {
                return Some(ceiling - len).filter(|&s| s >= floor);
            }
            ceiling = ceiling.min(start);
            if ceiling < floor {
                return None;
            }
        }
        ceiling.checked_sub(len).filter(|&s| s >= floor)
    }

    fn put(&mut self, start: u64, end: u64, access: A) {
        self.map.insert(start, (end, access));
        self.total += end - start;
    }

    fn take(&mut self, start: u64) -> Option<(u64, A)> {
        let taken = self.map.remove(&start)?;
        self.total -= taken.0 - start;
        Some(taken)
    }

    /// Join the region at `start..end` with alike neighbours that touch it.
    fn merge_around(&mut self, start: u64, end: u64) {
        let Some(&(_, access)) = self.map.get(&start) else { return };
        let (mut new_start, mut new_end) = (start, end);
        if let Some(before) =
            self.find(start.wrapping_sub(1)).filter(|r| start > 0 && r.end == start && r.access == access)
        {
            self.take(before.start);
            new_start = before.start;
        }
        if let Some(&(after_end, after_access)) = self.map.get(&end)
            && after_access == access
        {
            self.take(end);
            new_end = after_end;
        }
        if (new_start, new_end) != (start, end) {
            self.take(start);
            self.put(new_start, new_end, access);
        }
    }
}
