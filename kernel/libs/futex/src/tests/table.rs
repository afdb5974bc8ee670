//! The wait table's operations, case by case.
use crate::{FUTEX_BITSET_MATCH_ANY as ANY, FutexKey, FutexTable, WaitError};

const A: FutexKey = FutexKey { space: 1, addr: 0x1000 };
const B: FutexKey = FutexKey { space: 1, addr: 0x2000 };
const OTHER_SPACE: FutexKey = FutexKey { space: 2, addr: 0x1000 };

fn table(waits: &[(FutexKey, u32, u32)]) -> FutexTable<u32> {
    let mut t = FutexTable::new();
    for &(key, w, bits) in waits {
        t.wait(key, w, bits).unwrap();
    }
    t
}

fn contents(t: &FutexTable<u32>) -> Vec<(FutexKey, u32, u32)> {
    t.iter().collect()
}

#[test]
fn wake_is_fifo_and_counted() {
    let mut t = table(&[(A, 1, ANY), (A, 2, ANY), (A, 3, ANY), (A, 4, ANY)]);
    assert_eq!(t.wake(A, 2, ANY), [1, 2]);
    assert_eq!(t.wake(A, 10, ANY), [3, 4]);
    assert!(t.wake(A, 1, ANY).is_empty());
    assert!(t.is_empty());
}

#[test]
fn a_zero_count_wakes_nobody() {
    let mut t = table(&[(A, 1, ANY)]);
    assert!(t.wake(A, 0, ANY).is_empty());
    assert_eq!(t.waiters(A), 1);
}

#[test]
fn wake_only_touches_its_key() {
    let mut t = table(&[(A, 1, ANY), (B, 2, ANY), (OTHER_SPACE, 3, ANY)]);
    assert_eq!(t.wake(A, u32::MAX, ANY), [1]);
    assert_eq!((t.waiters(B), t.waiters(OTHER_SPACE)), (1, 1));
}

#[test]
fn bitsets_select_waiters_and_others_keep_their_place() {
    let mut t = table(&[(A, 1, 0b01), (A, 2, 0b10), (A, 3, 0b11), (A, 4, 0b01), (A, 5, ANY)]);
    assert_eq!(t.wake(A, 2, 0b10), [2, 3]);
    assert_eq!(contents(&t), [(A, 1, 0b01), (A, 4, 0b01), (A, 5, ANY)]);
    assert_eq!(t.wake(A, 10, 0b100), [5]);
    assert!(t.wake(A, 10, 0).is_empty(), "a zero bitset matches nobody");
    assert_eq!(t.wake(A, 10, ANY), [1, 4]);
}

#[test]
fn wait_refuses_a_zero_bitset_and_a_second_queueing() {
    let mut t = FutexTable::new();
    assert_eq!(t.wait(A, 1, 0), Err(WaitError::ZeroBitset));
    assert!(t.is_empty());
    t.wait(A, 1, ANY).unwrap();
    assert_eq!(t.wait(B, 1, ANY), Err(WaitError::AlreadyQueued));
    assert_eq!(contents(&t), [(A, 1, ANY)]);
}

#[test]
fn cancel_says_whether_the_waiter_was_still_queued() {
    let mut t = table(&[(A, 1, ANY), (A, 2, ANY), (A, 3, ANY)]);
    assert!(t.cancel(2));
    assert!(!t.cancel(2), "already gone");
    assert_eq!(t.wake(A, 1, ANY), [1]);
    assert!(!t.cancel(1), "woken before the timeout");
    assert!(!t.is_queued(1));
    assert!(t.is_queued(3));
    assert_eq!(t.wake(A, 5, ANY), [3]);
    assert!(t.is_empty());
}

#[test]
fn a_waiter_may_wait_again_after_leaving() {
    let mut t = table(&[(A, 1, ANY)]);
    assert_eq!(t.wake(A, 1, ANY), [1]);
    t.wait(B, 1, 0b1).unwrap();
    assert!(t.cancel(1));
    t.wait(A, 1, ANY).unwrap();
    assert_eq!(t.key_of(1), Some(A));
}

#[test]
fn requeue_wakes_then_moves_in_order_keeping_bitsets() {
    let mut t = table(&[(B, 10, 0b100), (A, 1, 0b01), (A, 2, 0b10), (A, 3, 0b11), (A, 4, 0b01), (A, 5, ANY)]);
    let (woken, moved) = t.requeue(A, B, 1, 2);
    assert_eq!((woken, moved), (vec![1], 2));
    assert_eq!(contents(&t), [(A, 4, 0b01), (A, 5, ANY), (B, 10, 0b100), (B, 2, 0b10), (B, 3, 0b11)]);
    assert_eq!(t.key_of(2), Some(B));
    assert_eq!(t.wake(B, 10, 0b10), [2, 3], "bitsets travel with the waiters");
}

#[test]
fn requeue_ignores_bitsets() {
    let mut t = table(&[(A, 1, 0b01), (A, 2, 0b10), (A, 3, 0b100)]);
    let (woken, moved) = t.requeue(A, B, 2, 1);
    assert_eq!((woken, moved), (vec![1, 2], 1));
    assert_eq!(contents(&t), [(B, 3, 0b100)]);
}

#[test]
fn requeue_counts_limit_both_halves() {
    let mut t = table(&[(A, 1, ANY), (A, 2, ANY), (A, 3, ANY)]);
    assert_eq!(t.requeue(A, B, 0, 0), (vec![], 0));
    assert_eq!(t.requeue(A, B, 0, 1), (vec![], 1));
    assert_eq!(t.requeue(A, B, 5, 5), (vec![2, 3], 0));
    assert_eq!(contents(&t), [(B, 1, ANY)]);
    assert_eq!(t.requeue(A, B, 1, 1), (vec![], 0), "an empty source");
}

#[test]
fn requeue_onto_the_same_key_leaves_waiters_in_place() {
    let mut t = table(&[(A, 1, ANY), (A, 2, ANY), (A, 3, ANY), (A, 4, ANY)]);
    assert_eq!(t.requeue(A, A, 1, 2), (vec![1], 2));
    assert_eq!(contents(&t), [(A, 2, ANY), (A, 3, ANY), (A, 4, ANY)]);
    assert_eq!(t.requeue(A, A, 0, 10), (vec![], 3));
    assert_eq!(t.wake(A, 3, ANY), [2, 3, 4]);
}

#[test]
fn cancel_finds_a_requeued_waiter() {
    let mut t = table(&[(A, 1, ANY), (A, 2, ANY)]);
    t.requeue(A, B, 0, 1);
    assert_eq!(t.key_of(1), Some(B));
    assert!(t.cancel(1));
    assert_eq!(contents(&t), [(A, 2, ANY)]);
    assert_eq!(t.waiters(B), 0);
}

#[test]
fn wake_op_wakes_the_second_key_only_when_the_comparison_held() {
    let mut t = table(&[(A, 1, 0b01), (A, 2, 0b10), (A, 3, ANY), (B, 4, 0b100), (B, 5, ANY)]);
    assert_eq!(t.wake_op(A, B, 2, 1, false), [1, 2], "bitsets are ignored");
    assert_eq!(t.wake_op(A, B, 1, 1, true), [3, 4]);
    assert_eq!(t.wake_op(A, B, 1, 0, true), Vec::<u32>::new());
    assert_eq!(contents(&t), [(B, 5, ANY)]);
}

#[test]
fn wake_op_on_one_key_wakes_both_counts_from_it() {
    let mut t = table(&[(A, 1, ANY), (A, 2, ANY), (A, 3, ANY), (A, 4, ANY)]);
    assert_eq!(t.wake_op(A, A, 1, 2, true), [1, 2, 3]);
    assert_eq!(t.wake_op(A, A, 0, 5, false), Vec::<u32>::new());
}

#[test]
fn remove_space_drops_only_that_space() {
    let mut t = table(&[
        (A, 1, ANY),
        (OTHER_SPACE, 2, ANY),
        (B, 3, ANY),
        (FutexKey { space: 1, addr: u64::MAX }, 4, ANY),
        (FutexKey { space: 0, addr: u64::MAX }, 5, ANY),
    ]);
    let mut removed = t.remove_space(1);
    removed.sort();
    assert_eq!(removed, [1, 3, 4]);
    assert_eq!(contents(&t), [(FutexKey { space: 0, addr: u64::MAX }, 5, ANY), (OTHER_SPACE, 2, ANY)]);
    for w in [1, 3, 4] {
        assert!(!t.is_queued(w));
        assert!(!t.cancel(w));
    }
    assert!(t.remove_space(1).is_empty());
}

#[test]
fn nothing_is_left_once_every_waiter_has_gone() {
    let mut t = table(&[(A, 1, ANY), (A, 2, ANY), (B, 3, ANY), (OTHER_SPACE, 4, ANY)]);
    t.requeue(A, B, 1, 1);
    t.cancel(3);
    t.wake_op(B, OTHER_SPACE, 1, 1, true);
    assert!(t.is_empty());
    assert_eq!(t.len(), 0);
    assert_eq!(t.iter().count(), 0);
    for w in 1..=4 {
        assert!(!t.is_queued(w));
    }
}

#[test]
fn counts_and_queries() {
    let t = table(&[(A, 1, ANY), (A, 2, ANY), (B, 3, ANY)]);
    assert_eq!((t.len(), t.waiters(A), t.waiters(B), t.waiters(OTHER_SPACE)), (3, 2, 1, 0));
    assert_eq!(t.key_of(3), Some(B));
    assert_eq!(t.key_of(9), None);
    assert!(!t.is_empty());
    assert!(FutexTable::<u32>::default().is_empty());
}
