//! The robust-list walk against a fake user memory: lists, the pending entry, other
//! threads' locks, PI entries, faults, races and cycles.
use std::collections::{HashMap, HashSet};

use proptest::prelude::*;

use crate::{FUTEX_OWNER_DIED as DIED, FUTEX_WAITERS as WAITERS, ROBUST_LIST_LIMIT, RobustMemory, walk_robust_list};

const HEAD: u64 = 0x1000;
/// glibc's layout: the list entry sits 32 bytes past the futex word, so the offset is negative.
const OFFSET: i64 = -32;
const TID: u32 = 100;
const OTHER: u32 = 200;

/// A thread's user memory: 8-byte values (pointers, the offset) and 4-byte futex words.
#[derive(Default)]
struct Mem {
    ptrs: HashMap<u64, u64>,
    words: HashMap<u64, u32>,
    /// Words whose exchange faults (read-only pages).
    read_only: HashSet<u64>,
    /// Values other threads store in a word just before each exchange on it.
    races: HashMap<u64, Vec<u32>>,
    ptr_reads: usize,
    exchanges: usize,
}

impl RobustMemory for Mem {
    fn read_u64(&mut self, addr: u64) -> Option<u64> {
        self.ptr_reads += 1;
        self.ptrs.get(&addr).copied()
    }

    fn read_u32(&mut self, addr: u64) -> Option<u32> {
        self.words.get(&addr).copied()
    }

    fn compare_exchange_u32(&mut self, addr: u64, old: u32, new: u32) -> Option<Result<u32, u32>> {
        self.exchanges += 1;
        if self.read_only.contains(&addr) {
            return None;
        }
        if let Some(v) = self.races.get_mut(&addr).and_then(Vec::pop) {
            self.words.insert(addr, v);
        }
        let current = *self.words.get(&addr)?;
        if current != old {
            return Some(Err(current));
        }
        self.words.insert(addr, new);
        Some(Ok(old))
    }
}

/// Entry `i`'s address (raw pointers may add the PI bit).
fn entry(i: u64) -> u64 {
    0x10_0000 + i * 0x100
}

/// The futex word of the entry at `e`.
fn word(e: u64) -> u64 {
    e.wrapping_add(OFFSET as u64)
}

impl Mem {
    /// A robust list through the raw entry pointers `list` (bit 0: PI), with `pending`.
    fn list(list: &[u64], pending: u64) -> Mem {
        let mut m = Mem::default();
        let mut prev = HEAD;
        for &raw in list {
            m.ptrs.insert(prev, raw);
            prev = raw & !1;
        }
        m.ptrs.insert(prev, HEAD);
        m.ptrs.insert(HEAD + 8, OFFSET as u64);
        m.ptrs.insert(HEAD + 16, pending);
        m
    }

    fn with_word(mut self, e: u64, value: u32) -> Mem {
        self.words.insert(word(e), value);
        self
    }

    fn at(&self, e: u64) -> u32 {
        self.words[&word(e)]
    }
}

fn walk(m: &mut Mem) -> Vec<u64> {
    walk_robust_list(HEAD, TID, m, ROBUST_LIST_LIMIT)
}

#[test]
fn three_owned_entries() {
    let (a, b, c) = (entry(1), entry(2), entry(3));
    let mut m =
        Mem::list(&[a, b, c], 0).with_word(a, TID | WAITERS).with_word(b, TID).with_word(c, DIED | WAITERS | TID);
    assert_eq!(walk(&mut m), [word(a), word(c)]);
    assert_eq!(m.at(a), DIED | WAITERS, "TID cleared, waiters kept");
    assert_eq!(m.at(b), DIED, "no waiters, no wake");
    assert_eq!(m.at(c), DIED | WAITERS, "already marked: still woken (recursive death)");
}

#[test]
fn other_threads_locks_are_left_alone() {
    let (a, b, c, d) = (entry(1), entry(2), entry(3), entry(4));
    let mut m = Mem::list(&[a, b, c, d], 0)
        .with_word(a, OTHER | WAITERS)
        .with_word(b, 0)
        .with_word(c, DIED | WAITERS)
        .with_word(d, TID | WAITERS);
    assert_eq!(walk(&mut m), [word(d)]);
    assert_eq!([m.at(a), m.at(b), m.at(c)], [OTHER | WAITERS, 0, DIED | WAITERS]);
    assert_eq!(m.exchanges, 1);
}

#[test]
fn the_pending_entry_outside_the_list_comes_last() {
    let (a, p) = (entry(1), entry(9));
    let mut m = Mem::list(&[a], p).with_word(a, TID | WAITERS).with_word(p, TID | WAITERS);
    assert_eq!(walk(&mut m), [word(a), word(p)]);
    assert_eq!(m.at(p), DIED | WAITERS);
}

#[test]
fn a_pending_entry_on_the_list_is_handled_once_at_the_end() {
    let (a, b, c) = (entry(1), entry(2), entry(3));
    let mut m =
        Mem::list(&[a, b, c], b).with_word(a, TID | WAITERS).with_word(b, TID | WAITERS).with_word(c, TID | WAITERS);
    assert_eq!(walk(&mut m), [word(a), word(c), word(b)]);
    assert_eq!(m.exchanges, 3);
}

#[test]
fn an_unowned_pending_futex_gets_a_wake_without_a_write() {
    for value in [0, WAITERS, DIED, DIED | WAITERS] {
        let p = entry(9);
        let mut m = Mem::list(&[], p).with_word(p, value);
        assert_eq!(walk(&mut m), [word(p)], "word {value:#x}");
        assert_eq!(m.at(p), value);
        assert_eq!(m.exchanges, 0);
    }
}

#[test]
fn the_unowned_wake_is_only_for_a_pending_non_pi_futex() {
    let (a, p) = (entry(1), entry(9));
    // On the list rather than pending: nothing.
    let mut m = Mem::list(&[a], 0).with_word(a, 0);
    assert!(walk(&mut m).is_empty());
    // Pending but PI: nothing.
    let mut m = Mem::list(&[], p | 1).with_word(p, 0);
    assert!(walk(&mut m).is_empty());
    // Pending, owned by another thread: nothing in 6.x.
    let mut m = Mem::list(&[], p).with_word(p, OTHER);
    assert!(walk(&mut m).is_empty());
    assert_eq!(m.at(p), OTHER);
}

#[test]
fn pi_entries_are_marked_but_not_woken() {
    let (a, b, p) = (entry(1), entry(2), entry(9));
    let mut m = Mem::list(&[a | 1, b], p | 1)
        .with_word(a, TID | WAITERS)
        .with_word(b, TID | WAITERS)
        .with_word(p, TID | WAITERS);
    assert_eq!(walk(&mut m), [word(b)]);
    assert_eq!([m.at(a), m.at(b), m.at(p)], [DIED | WAITERS; 3]);
}

#[test]
fn a_cycle_is_cut_at_max_and_the_pending_entry_still_handled() {
    let (a, b, p) = (entry(1), entry(2), entry(9));
    let mut m = Mem::list(&[a, b], p).with_word(a, TID | WAITERS).with_word(b, TID).with_word(p, TID | WAITERS);
    m.ptrs.insert(b, a);
    assert_eq!(walk_robust_list(HEAD, TID, &mut m, 5), [word(a), word(p)]);
    assert_eq!(m.ptr_reads, 3 + 5, "the head's three fields, then one next pointer per entry");
    assert_eq!([m.at(a), m.at(b)], [DIED | WAITERS, DIED]);
}

#[test]
fn a_self_loop_stops_at_the_robust_list_limit() {
    let a = entry(1);
    let mut m = Mem::list(&[a], 0).with_word(a, TID | WAITERS);
    m.ptrs.insert(a, a);
    assert_eq!(walk(&mut m), [word(a)]);
    assert_eq!(m.ptr_reads, 3 + ROBUST_LIST_LIMIT);
}

#[test]
fn max_zero_handles_only_the_pending_entry() {
    let (a, p) = (entry(1), entry(9));
    let mut m = Mem::list(&[a], p).with_word(a, TID | WAITERS).with_word(p, TID | WAITERS);
    assert_eq!(walk_robust_list(HEAD, TID, &mut m, 0), [word(p)]);
    assert_eq!(m.at(a), TID | WAITERS);
}

#[test]
fn an_empty_list() {
    let mut m = Mem::list(&[], 0);
    assert!(walk(&mut m).is_empty());
    assert_eq!(m.ptr_reads, 3);
}

#[test]
fn a_fault_on_a_next_pointer_ends_the_walk_after_that_entry() {
    let (a, b, c, p) = (entry(1), entry(2), entry(3), entry(9));
    let mut m = Mem::list(&[a, b, c], p)
        .with_word(a, TID | WAITERS)
        .with_word(b, TID | WAITERS)
        .with_word(c, TID | WAITERS)
        .with_word(p, TID | WAITERS);
    m.ptrs.remove(&b);
    assert_eq!(walk(&mut m), [word(a), word(b)], "b is still handled: its next is read first");
    assert_eq!([m.at(c), m.at(p)], [TID | WAITERS; 2], "neither the rest nor the pending entry");
}

#[test]
fn a_fault_on_a_futex_word_ends_the_walk() {
    let (a, b, c, p) = (entry(1), entry(2), entry(3), entry(9));
    let mut m = Mem::list(&[a, b, c], p).with_word(a, TID | WAITERS).with_word(c, TID | WAITERS).with_word(p, TID);
    assert_eq!(walk(&mut m), [word(a)]);
    assert_eq!([m.at(c), m.at(p)], [TID | WAITERS, TID]);
}

#[test]
fn a_read_only_futex_word_ends_the_walk() {
    let (a, b, p) = (entry(1), entry(2), entry(9));
    let mut m = Mem::list(&[a, b], p).with_word(a, TID | WAITERS).with_word(b, TID | WAITERS).with_word(p, TID);
    m.read_only.insert(word(a));
    assert!(walk(&mut m).is_empty());
    assert_eq!([m.at(a), m.at(b), m.at(p)], [TID | WAITERS, TID | WAITERS, TID]);
}

#[test]
fn a_misaligned_futex_word_ends_the_walk() {
    let (a, b) = (entry(1) + 2, entry(2));
    let mut m = Mem::list(&[a, b], 0).with_word(a, TID | WAITERS).with_word(b, TID | WAITERS);
    assert!(walk(&mut m).is_empty());
    assert_eq!([m.at(a), m.at(b)], [TID | WAITERS; 2]);
}

#[test]
fn faults_in_the_head_end_the_walk_before_it_starts() {
    let (a, p) = (entry(1), entry(9));
    for field in [HEAD, HEAD + 8, HEAD + 16] {
        let mut m = Mem::list(&[a], p).with_word(a, TID | WAITERS).with_word(p, TID | WAITERS);
        m.ptrs.remove(&field);
        assert!(walk(&mut m).is_empty(), "field at {field:#x}");
        assert_eq!(m.exchanges, 0);
    }
}

#[test]
fn a_raced_exchange_is_retried_on_the_value_found() {
    let (a, b) = (entry(1), entry(2));
    let mut m = Mem::list(&[a, b], 0).with_word(a, TID).with_word(b, TID);
    // A waiter sets FUTEX_WAITERS on a; b is taken over by another thread meanwhile.
    m.races.insert(word(a), vec![TID | WAITERS]);
    m.races.insert(word(b), vec![OTHER]);
    assert_eq!(walk(&mut m), [word(a)]);
    assert_eq!([m.at(a), m.at(b)], [DIED | WAITERS, OTHER]);
}

#[test]
fn a_word_that_never_settles_is_given_up_and_the_walk_goes_on() {
    let (a, b) = (entry(1), entry(2));
    let mut m = Mem::list(&[a, b], 0).with_word(a, TID).with_word(b, TID | WAITERS);
    let flip = (0..1000).map(|i| if i % 2 == 0 { TID } else { TID | WAITERS }).collect();
    m.races.insert(word(a), flip);
    assert_eq!(walk(&mut m), [word(b)]);
    assert!(m.exchanges < 100);
}

#[test]
fn a_negative_offset_wraps_like_a_pointer() {
    let a = 0x10;
    let mut m = Mem::list(&[a], 0);
    m.words.insert(a.wrapping_sub(32), TID | WAITERS);
    assert_eq!(walk(&mut m), [a.wrapping_sub(32)]);
}

proptest! {
    #[test]
    fn any_memory_is_walked_in_bounded_steps(
        nexts in proptest::collection::vec(0u64..12, 8),
        values in proptest::collection::vec((0u32..3, any::<bool>(), any::<bool>()), 8),
        first in 0u64..12,
        pending in 0u64..12,
        max in 0usize..40,
    ) {
        // Slots 0..8 are entries; 8 is the head; 9 is NULL; 10 is an odd (PI) entry pointer;
        // 11 is an unmapped address.
        let target = |n: u64| match n {
            0..8 => entry(n),
            8 => HEAD,
            9 => 0,
            10 => entry(3) | 1,
            _ => 0xdead_0000,
        };
        let mut m = Mem::list(&[], target(pending));
        m.ptrs.insert(HEAD, target(first));
        let mut before = HashMap::new();
        for (i, (&n, &(owner, waiters, died))) in nexts.iter().zip(&values).enumerate() {
            let e = entry(i as u64);
            m.ptrs.insert(e, target(n));
            let value = [0, TID, OTHER][owner as usize] | if waiters { WAITERS } else { 0 } | if died { DIED } else { 0 };
            m.words.insert(word(e), value);
            before.insert(word(e), value);
        }
        let wakes = walk_robust_list(HEAD, TID, &mut m, max);
        prop_assert!(m.ptr_reads <= 3 + max);
        prop_assert!(wakes.len() <= max + 1);
        for (addr, old) in before {
            let now = m.words[&addr];
            if old & crate::FUTEX_TID_MASK == TID {
                prop_assert!(now == old || now == DIED | (old & WAITERS));
            } else {
                prop_assert_eq!(now, old);
            }
        }
        for w in wakes {
            prop_assert!(m.words.contains_key(&w));
        }
    }
}
