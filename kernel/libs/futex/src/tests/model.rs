//! The wait table against a model: a Vec of (key, waiter, bitset) in arrival order, over
//! random sequences of wait, cancel, wake, requeue, wake-op and remove-space.
use proptest::prelude::*;

use crate::{FutexKey, FutexTable, WaitError};

type Model = Vec<(FutexKey, u8, u32)>;

#[derive(Debug, Clone)]
enum Step {
    Wait(FutexKey, u8, u32),
    Cancel(u8),
    Wake(FutexKey, u32, u32),
    Requeue(FutexKey, FutexKey, u32, u32),
    WakeOp(FutexKey, FutexKey, u32, u32, bool),
    RemoveSpace(u64),
}

fn key() -> impl Strategy<Value = FutexKey> {
    (0u64..2, 0u64..3).prop_map(|(space, a)| FutexKey { space, addr: a * 4 })
}

fn bitset() -> impl Strategy<Value = u32> {
    prop_oneof![Just(0), Just(1), Just(2), Just(3), Just(u32::MAX), any::<u32>()]
}

fn count() -> impl Strategy<Value = u32> {
    prop_oneof![0u32..4, Just(u32::MAX)]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (key(), 0u8..8, bitset()).prop_map(|(k, w, b)| Step::Wait(k, w, b)),
        1 => (0u8..8).prop_map(Step::Cancel),
        2 => (key(), count(), bitset()).prop_map(|(k, c, b)| Step::Wake(k, c, b)),
        2 => (key(), key(), count(), count()).prop_map(|(f, t, w, r)| Step::Requeue(f, t, w, r)),
        1 => (key(), key(), count(), count(), any::<bool>()).prop_map(|(a, b, c, d, o)| Step::WakeOp(a, b, c, d, o)),
        1 => (0u64..3).prop_map(Step::RemoveSpace),
    ]
}

/// Removes up to `count` of `key`'s entries matching `bitset`, oldest first.
fn take(model: &mut Model, key: FutexKey, count: u32, bitset: u32) -> Vec<u8> {
    let mut taken = Vec::new();
    model.retain(|&(k, w, b)| {
        let hit = k == key && b & bitset != 0 && (taken.len() as u64) < u64::from(count);
        if hit {
            taken.push(w);
        }
        !hit
    });
    taken
}

fn run(table: &mut FutexTable<u8>, model: &mut Model, step: Step) -> Result<(), TestCaseError> {
    match step {
        Step::Wait(key, w, bits) => {
            let want = if bits == 0 {
                Err(WaitError::ZeroBitset)
            } else if model.iter().any(|e| e.1 == w) {
                Err(WaitError::AlreadyQueued)
            } else {
                model.push((key, w, bits));
                Ok(())
            };
            prop_assert_eq!(table.wait(key, w, bits), want);
        }
        Step::Cancel(w) => {
            let before = model.len();
            model.retain(|e| e.1 != w);
            prop_assert_eq!(table.cancel(w), model.len() != before);
        }
        Step::Wake(key, count, bits) => {
            let want = take(model, key, count, bits);
            prop_assert_eq!(table.wake(key, count, bits), want);
        }
        Step::Requeue(from, to, wake, requeue) => {
            let woken = take(model, from, wake, u32::MAX);
            let mut moving = Vec::new();
            if from == to {
                let n = model.iter().filter(|e| e.0 == from).count().min(requeue as usize);
                prop_assert_eq!(table.requeue(from, to, wake, requeue), (woken, n));
            } else {
                model.retain(|&(k, w, b)| {
                    let hit = k == from && (moving.len() as u64) < u64::from(requeue);
                    if hit {
                        moving.push((to, w, b));
                    }
                    !hit
                });
                let n = moving.len();
                model.extend(moving);
                prop_assert_eq!(table.requeue(from, to, wake, requeue), (woken, n));
            }
        }
        Step::WakeOp(k1, k2, c1, c2, op) => {
            let mut want = take(model, k1, c1, u32::MAX);
            if op {
                want.extend(take(model, k2, c2, u32::MAX));
            }
            prop_assert_eq!(table.wake_op(k1, k2, c1, c2, op), want);
        }
        Step::RemoveSpace(space) => {
            let mut want: Vec<u8> = model.iter().filter(|e| e.0.space == space).map(|e| e.1).collect();
            model.retain(|e| e.0.space != space);
            let mut got = table.remove_space(space);
            want.sort();
            got.sort();
            prop_assert_eq!(got, want);
        }
    }
    Ok(())
}

fn check(table: &FutexTable<u8>, model: &Model) -> Result<(), TestCaseError> {
    let mut by_key = model.clone();
    by_key.sort_by_key(|e| e.0);
    prop_assert_eq!(table.iter().collect::<Vec<_>>(), by_key);
    prop_assert_eq!(table.len(), model.len());
    prop_assert_eq!(table.is_empty(), model.is_empty());
    for space in 0..2 {
        for a in 0..3 {
            let key = FutexKey { space, addr: a * 4 };
            prop_assert_eq!(table.waiters(key), model.iter().filter(|e| e.0 == key).count());
        }
    }
    for w in 0..8 {
        let at = model.iter().find(|e| e.1 == w).map(|e| e.0);
        prop_assert_eq!(table.is_queued(w), at.is_some());
        prop_assert_eq!(table.key_of(w), at);
    }
    Ok(())
}

proptest! {
    #[test]
    fn the_table_behaves_like_the_model(steps in proptest::collection::vec(step(), 1..80)) {
        let mut table = FutexTable::new();
        let mut model = Model::new();
        for step in steps {
            run(&mut table, &mut model, step)?;
            check(&table, &model)?;
        }
        for w in 0..8 {
            table.cancel(w);
        }
        prop_assert!(table.is_empty());
        prop_assert_eq!(table.iter().count(), 0);
    }
}
