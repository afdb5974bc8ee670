//! Tests of the region set: splitting, merging, updates and gaps, values that
//! move with the address (offsets into shared objects), and a property test
//! against a page-by-page model.
use proptest::prelude::*;

use super::*;

const P: u64 = 4096;

/// A plain access value, the same over a whole region.
impl Value for u8 {
    fn at(&self, _offset: u64) -> u8 {
        *self
    }
}

/// An access and, for shared memory, an object and the offset in it of the
/// region's first page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shared {
    access: u8,
    object: Option<(u8, u64)>,
}

impl Value for Shared {
    fn at(&self, offset: u64) -> Shared {
        Shared { access: self.access, object: self.object.map(|(id, at)| (id, at + offset)) }
    }
}

fn regions<V: Value>(r: &Regions<V>) -> Vec<(u64, u64, V)> {
    r.iter().map(|r| (r.start, r.end, r.value)).collect()
}

#[test]
fn insert_merges_alike_neighbours() {
    let mut r = Regions::new();
    r.insert(0, P, 1);
    r.insert(2 * P, 3 * P, 1);
    r.insert(P, 2 * P, 1);
    assert_eq!(regions(&r), [(0, 3 * P, 1)]);
    assert_eq!(r.total(), 3 * P);
}

#[test]
fn remove_splits_a_region() {
    let mut r = Regions::new();
    r.insert(0, 4 * P, 1);
    r.remove(P, 2 * P);
    assert_eq!(regions(&r), [(0, P, 1), (2 * P, 4 * P, 1)]);
    assert_eq!(r.total(), 3 * P);
    assert_eq!(r.find(P), None);
    assert_eq!(r.find(2 * P).map(|x| x.start), Some(2 * P));
}

#[test]
fn update_needs_full_coverage() {
    let mut r = Regions::new();
    r.insert(0, 2 * P, 1);
    assert_eq!(r.update(P, 3 * P, |_| 2), Err(Unmapped));
    assert_eq!(regions(&r), [(0, 2 * P, 1)]);
    r.update(P, 2 * P, |_| 2).unwrap();
    assert_eq!(regions(&r), [(0, P, 1), (P, 2 * P, 2)]);
}

fn shared(access: u8, id: u8, at: u64) -> Shared {
    Shared { access, object: Some((id, at)) }
}

#[test]
fn offsets_move_with_splits_and_decide_merges() {
    let mut r = Regions::new();
    r.insert(10 * P, 14 * P, shared(1, 7, 0));
    r.remove(11 * P, 12 * P);
    assert_eq!(regions(&r), [(10 * P, 11 * P, shared(1, 7, 0)), (12 * P, 14 * P, shared(1, 7, 2 * P))]);
    assert_eq!(r.find(13 * P).map(|x| x.value_at(13 * P)), Some(shared(1, 7, 3 * P)));
    r.insert(11 * P, 12 * P, shared(1, 7, 5 * P));
    assert_eq!(r.iter().count(), 3, "a part of the object from elsewhere does not continue its neighbours");
    r.insert(11 * P, 12 * P, shared(1, 7, P));
    assert_eq!(regions(&r), [(10 * P, 14 * P, shared(1, 7, 0))], "the object's own next page does");
    r.update(12 * P, 13 * P, |v| Shared { access: 2, ..*v }).unwrap();
    assert_eq!(
        regions(&r),
        [
            (10 * P, 12 * P, shared(1, 7, 0)),
            (12 * P, 13 * P, shared(2, 7, 2 * P)),
            (13 * P, 14 * P, shared(1, 7, 3 * P))
        ]
    );
    let parts: Vec<_> = r.within(11 * P, 13 * P).map(|x| (x.start, x.end, x.value)).collect();
    assert_eq!(parts, [(11 * P, 12 * P, shared(1, 7, P)), (12 * P, 13 * P, shared(2, 7, 2 * P))]);
    r.insert(14 * P, 15 * P, shared(1, 8, 4 * P));
    assert_eq!(r.iter().count(), 4, "another object's pages do not merge");
}

#[test]
fn gaps_are_found_from_the_top() {
    let mut r = Regions::new();
    r.insert(90 * P, 100 * P, 1);
    assert_eq!(r.find_gap(10 * P, 0, 100 * P), Some(80 * P));
    r.insert(70 * P, 80 * P, 2);
    assert_eq!(r.find_gap(10 * P, 0, 100 * P), Some(80 * P));
    assert_eq!(r.find_gap(11 * P, 0, 100 * P), Some(59 * P));
    assert_eq!(r.find_gap(5 * P, 0, 100 * P), Some(85 * P));
    assert_eq!(r.find_gap(100 * P, 0, 100 * P), None);
    assert_eq!(r.find_gap(10 * P, 65 * P, 100 * P), Some(80 * P));
    assert_eq!(r.find_gap(10 * P, 81 * P, 100 * P), None);
}

#[test]
fn huge_ranges_cost_nothing() {
    let mut r: Regions<u8> = Regions::new();
    r.insert(0x1000, 0x2000, 1);
    r.remove(0, 1 << 47);
    assert!(r.is_free(0, 1 << 47));
    assert_eq!(r.total(), 0);
}

#[derive(Debug, Clone)]
enum Op {
    Insert(u64, u64, Shared),
    Remove(u64, u64),
    Update(u64, u64, u8),
}

fn op() -> impl Strategy<Value = Op> {
    let range = (0u64..64, 1u64..16).prop_map(|(s, l)| (s * P, (s + l) * P));
    // Few objects and offsets, so that neighbours often continue each other.
    let object = prop_oneof![Just(None), (0u8..2, 0u64..4).prop_map(|(id, page)| Some((id, page * P)))];
    let value = (0u8..3, object).prop_map(|(access, object)| Shared { access, object });
    prop_oneof![
        (range.clone(), value).prop_map(|((s, e), v)| Op::Insert(s, e, v)),
        range.clone().prop_map(|(s, e)| Op::Remove(s, e)),
        (range, 0u8..3).prop_map(|((s, e), a)| Op::Update(s, e, a)),
    ]
}

proptest! {
    #[test]
    fn matches_a_page_model(ops in proptest::collection::vec(op(), 1..60)) {
        let mut r = Regions::new();
        // Each page's value as its own one-page region would have it.
        let mut model: Vec<Option<Shared>> = vec![None; 96];
        for op in ops {
            match op {
                Op::Insert(s, e, v) => {
                    r.insert(s, e, v);
                    for p in s / P..e / P { model[p as usize] = Some(v.at(p * P - s)); }
                }
                Op::Remove(s, e) => {
                    r.remove(s, e);
                    for p in s / P..e / P { model[p as usize] = None; }
                }
                Op::Update(s, e, a) => {
                    let covered = (s / P..e / P).all(|p| model[p as usize].is_some());
                    prop_assert_eq!(r.update(s, e, |v| Shared { access: a, ..*v }).is_ok(), covered);
                    if covered {
                        for p in s / P..e / P {
                            model[p as usize] = model[p as usize].map(|v| Shared { access: a, ..v });
                        }
                    }
                }
            }
            for (p, want) in model.iter().enumerate() {
                let at = p as u64 * P;
                prop_assert_eq!(r.find(at + 7).map(|x| x.value_at(at)), *want);
            }
            prop_assert_eq!(r.total(), model.iter().filter(|m| m.is_some()).count() as u64 * P);
            let list = regions(&r);
            for w in list.windows(2) {
                prop_assert!(w[0].1 <= w[1].0);
                prop_assert!(!(w[0].1 == w[1].0 && w[0].2.at(w[0].1 - w[0].0) == w[1].2), "neighbours not merged");
            }
            for part in r.within(20 * P, 40 * P) {
                prop_assert!(part.start >= 20 * P && part.end <= 40 * P && part.start < part.end);
                prop_assert_eq!(Some(part.value), model[(part.start / P) as usize]);
            }
            prop_assert_eq!(r.covered(20 * P, 40 * P), (20..40).filter(|&p| model[p].is_some()).count() as u64 * P);
            let gap = r.find_gap(4 * P, 0, 96 * P);
            let any_free = (0..=92).any(|p| (p..p + 4).all(|q| model[q as usize].is_none()));
            prop_assert_eq!(gap.is_some(), any_free);
            if let Some(g) = gap {
                prop_assert!(r.is_free(g, g + 4 * P));
                let higher_free = (g / P + 1..=92).any(|p| (p..p + 4).all(|q| model[q as usize].is_none()));
                prop_assert!(!higher_free, "a higher gap than {:#x} was free", g);
            }
        }
    }
}
