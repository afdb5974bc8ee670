//! Tests of the region set: splitting, merging, protection and gaps, and a
//! property test against a page-by-page model.
use proptest::prelude::*;

use super::*;

const P: u64 = 4096;

fn regions(r: &Regions<u8>) -> Vec<(u64, u64, u8)> {
    r.iter().map(|r| (r.start, r.end, r.access)).collect()
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
fn protect_needs_full_coverage() {
    let mut r = Regions::new();
    r.insert(0, 2 * P, 1);
    assert_eq!(r.protect(P, 3 * P, 2), Err(Unmapped));
    assert_eq!(regions(&r), [(0, 2 * P, 1)]);
    r.protect(P, 2 * P, 2).unwrap();
    assert_eq!(regions(&r), [(0, P, 1), (P, 2 * P, 2)]);
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
    Insert(u64, u64, u8),
    Remove(u64, u64),
    Protect(u64, u64, u8),
}

fn op() -> impl Strategy<Value = Op> {
    let range = (0u64..64, 1u64..16).prop_map(|(s, l)| (s * P, (s + l) * P));
    prop_oneof![
        (range.clone(), 0u8..3).prop_map(|((s, e), a)| Op::Insert(s, e, a)),
        range.clone().prop_map(|(s, e)| Op::Remove(s, e)),
        (range, 0u8..3).prop_map(|((s, e), a)| Op::Protect(s, e, a)),
    ]
}

proptest! {
    #[test]
    fn matches_a_page_model(ops in proptest::collection::vec(op(), 1..60)) {
        let mut r = Regions::new();
        let mut model: Vec<Option<u8>> = vec![None; 96];
        for op in ops {
            match op {
                Op::Insert(s, e, a) => {
                    r.insert(s, e, a);
                    for p in s / P..e / P { model[p as usize] = Some(a); }
                }
                Op::Remove(s, e) => {
                    r.remove(s, e);
                    for p in s / P..e / P { model[p as usize] = None; }
                }
                Op::Protect(s, e, a) => {
                    let covered = (s / P..e / P).all(|p| model[p as usize].is_some());
                    prop_assert_eq!(r.protect(s, e, a).is_ok(), covered);
                    if covered { for p in s / P..e / P { model[p as usize] = Some(a); } }
                }
            }
            for (p, want) in model.iter().enumerate() {
                prop_assert_eq!(r.find(p as u64 * P + 7).map(|x| x.access), *want);
            }
            prop_assert_eq!(r.total(), model.iter().filter(|m| m.is_some()).count() as u64 * P);
            let list = regions(&r);
            for w in list.windows(2) {
                prop_assert!(w[0].1 <= w[1].0);
                prop_assert!(!(w[0].1 == w[1].0 && w[0].2 == w[1].2), "alike neighbours not merged");
            }
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
