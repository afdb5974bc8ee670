//! The regions of a user address space (Linux's VMAs): page-aligned, non-overlapping
//! ranges, each with a value (its access, and for shared memory the object behind it
//! and where in that object the region starts), kept merged where a neighbour
//! continues another. Pages inside a region are mapped when first touched;
//! operations cost the number of regions they meet, never the size of the range.
#![cfg_attr(not(test), no_std)]

extern crate alloc;

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

#[cfg(test)]
mod tests;

/// What a region holds for its pages. A value may depend on where in the region a
/// page lies (an offset into a shared object grows with the address), so a region
/// cut at `offset` bytes from its start gives its second part `value.at(offset)`,
/// and a region of `len` bytes merges with the one after it when
/// `value.at(len) == next_value`.
pub trait Value: Clone + PartialEq {
    /// The value of the part of a region that begins `offset` bytes after its start.
    #[must_use]
    fn at(&self, offset: u64) -> Self;
}

/// One region: `start..end` with `value` (the value of its first page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region<V> {
    pub start: u64,
    pub end: u64,
    pub value: V,
}

impl<V: Value> Region<V> {
    /// The value of the page at `addr` (which lies in the region).
    pub fn value_at(&self, addr: u64) -> V {
        self.value.at(addr - self.start)
    }

    /// The part of the region within `start..end` (which meets it).
    fn clipped(&self, start: u64, end: u64) -> Self {
        let from = self.start.max(start);
        Self { start: from, end: self.end.min(end), value: self.value_at(from) }
    }
}

/// Part of a range has no region (mprotect's ENOMEM).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unmapped;

/// The regions of one address space, keyed by start.
#[derive(Debug, Clone, Default)]
pub struct Regions<V> {
    map: BTreeMap<u64, (u64, V)>,
    /// Bytes covered, kept so limits are checked without a walk.
    total: u64,
}

impl<V: Value> Regions<V> {
    pub const fn new() -> Self {
        Self { map: BTreeMap::new(), total: 0 }
    }

    /// The region holding `addr`.
    pub fn find(&self, addr: u64) -> Option<Region<V>> {
        self.value_at(addr).map(|(start, end, value)| Region { start, end, value: value.clone() })
    }

    /// The region holding `addr` as (start, end, value), borrowed (no clone).
    pub fn value_at(&self, addr: u64) -> Option<(u64, u64, &V)> {
        let (&start, (end, value)) = self.map.range(..=addr).next_back()?;
        (addr < *end).then_some((start, *end, value))
    }

    /// Bytes covered by all regions.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Bytes of `start..end` covered by regions.
    pub fn covered(&self, start: u64, end: u64) -> u64 {
        self.within(start, end).map(|r| r.end - r.start).sum()
    }

    pub fn iter(&self) -> impl Iterator<Item = Region<V>> + '_ {
        self.map.iter().map(|(&start, (end, value))| Region { start, end: *end, value: value.clone() })
    }

    /// The parts of regions within `start..end`, in address order, each cut to the
    /// range (its value taken where its part begins).
    pub fn within(&self, start: u64, end: u64) -> impl Iterator<Item = Region<V>> + '_ {
        self.overlapping(start, end).map(move |r| r.clipped(start, end))
    }

    /// The regions meeting `start..end`, whole, in address order.
    fn overlapping(&self, start: u64, end: u64) -> impl Iterator<Item = Region<V>> + '_ {
        let first = self.find(start).map_or(start, |r| r.start);
        self.map
            .range(first..end.max(first))
            .map(|(&s, (e, value))| Region { start: s, end: *e, value: value.clone() })
            .filter(move |r| r.end > start)
    }

    /// Make `start..end` one region with `value`, replacing whatever was there.
    pub fn insert(&mut self, start: u64, end: u64, value: V) {
        if start >= end {
            return;
        }
        self.remove(start, end);
        self.put(start, end, value);
        self.merge_around(start, end);
    }

    /// Remove `start..end` from the regions, splitting those that straddle its ends.
    pub fn remove(&mut self, start: u64, end: u64) {
        if start >= end {
            return;
        }
        let hit: Vec<Region<V>> = self.overlapping(start, end).collect();
        for r in hit {
            self.take(r.start);
            if r.start < start {
                self.put(r.start, start, r.value.clone());
            }
            if r.end > end {
                self.put(end, r.end, r.value_at(end));
            }
        }
    }

    /// Give every part of `start..end` the value `change` makes of its own (mprotect
    /// changes the access and keeps what backs each part); Err without a change
    /// when part of the range has no region.
    pub fn update(&mut self, start: u64, end: u64, change: impl Fn(&V) -> V) -> Result<(), Unmapped> {
        if start >= end {
            return Ok(());
        }
        if self.covered(start, end) != end - start {
            return Err(Unmapped);
        }
        let parts: Vec<Region<V>> = self.within(start, end).collect();
        for part in parts {
            self.insert(part.start, part.end, change(&part.value));
        }
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

    fn put(&mut self, start: u64, end: u64, value: V) {
        self.map.insert(start, (end, value));
        self.total += end - start;
    }

    fn take(&mut self, start: u64) -> Option<(u64, V)> {
        let taken = self.map.remove(&start)?;
        self.total -= taken.0 - start;
        Some(taken)
    }

    /// Join the region at `start..end` with neighbours that touch and continue it.
    fn merge_around(&mut self, start: u64, end: u64) {
        let Some((_, value)) = self.map.get(&start) else { return };
        let mut merged = Region { start, end, value: value.clone() };
        if let Some(before) = self
            .find(start.wrapping_sub(1))
            .filter(|r| start > 0 && r.end == start && r.value_at(start) == merged.value)
        {
            self.take(before.start);
            merged.start = before.start;
            merged.value = before.value;
        }
        if let Some((after_end, after_value)) = self.map.get(&end)
            && merged.value_at(end) == *after_value
        {
            merged.end = *after_end;
            self.take(end);
        }
        if (merged.start, merged.end) != (start, end) {
            self.take(start);
            self.put(merged.start, merged.end, merged.value);
        }
    }
}
