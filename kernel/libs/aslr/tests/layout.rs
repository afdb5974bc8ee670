//! Host tests of the address-space layout: Linux's addresses without randomization
//! (as `setarch -R` shows them), the extremes of each random choice, and properties
//! over any draws and stack limits.
use aslr::{
    BRK_RANDOM_RANGE, Draws, ELF_ET_DYN_BASE, Layout, MMAP_RANDOM_BITS, PAGE_SIZE, STACK_GUARD_GAP, STACK_MAX,
    STACK_POINTER_RANDOM, TASK_SIZE,
};
use proptest::prelude::*;

const MIB: u64 = 1 << 20;

#[test]
fn without_randomization_the_addresses_are_linuxs() {
    let layout = Layout::new(8 * MIB, None);
    assert!(!layout.is_randomized());
    assert_eq!(layout.stack_top, 0x7fff_ffff_f000);
    assert_eq!(layout.initial_stack_top, layout.stack_top);
    assert_eq!(layout.stack_bottom, 0x7fff_ff7f_f000);
    assert_eq!(layout.mmap_top, 0x7fff_f7ff_f000, "128 MiB below the top: where ld.so ends under setarch -R");
    assert_eq!(layout.pie_base & !(PAGE_SIZE - 1), 0x5555_5555_4000);
    assert_eq!(layout.heap_start(0x40_1234), 0x40_2000);
    assert_eq!(layout.heap_start(0x40_2000), 0x40_2000);
    assert_eq!(layout.static_pie_heap_start(), 0x5555_5555_5000);
}

#[test]
fn a_large_stack_limit_moves_the_mmap_base_down() {
    let layout = Layout::new(512 * MIB, None);
    assert_eq!(layout.stack_bottom, TASK_SIZE - 512 * MIB);
    assert_eq!(layout.mmap_top, TASK_SIZE - 512 * MIB - STACK_GUARD_GAP);
    let unlimited = Layout::new(u64::MAX, None);
    assert_eq!(unlimited.stack_bottom, TASK_SIZE - STACK_MAX);
    assert_eq!(Layout::new(0, None).stack_bottom, TASK_SIZE - PAGE_SIZE, "at least a page");
    assert_eq!(Layout::new(8 * MIB + 100, None).stack_bottom, TASK_SIZE - 8 * MIB, "whole pages within the limit");
}

#[test]
fn zero_draws_keep_the_bases_and_add_the_gaps() {
    let layout = Layout::new(8 * MIB, Some(Draws::default()));
    assert!(layout.is_randomized());
    assert_eq!(layout.stack_top, TASK_SIZE);
    assert_eq!(layout.pie_base, ELF_ET_DYN_BASE);
    // The gap covers how far the stack may move: 16 GiB less a page, more than 128 MiB.
    assert_eq!(layout.mmap_top, TASK_SIZE - 8 * MIB - ((1 << 34) - PAGE_SIZE) - STACK_GUARD_GAP);
    assert_eq!(layout.heap_start(0x40_1000), 0x40_2000, "a page after the image");
    assert_eq!(layout.static_pie_heap_start(), 0x5555_5555_5000);
}

#[test]
fn all_ones_draws_reach_the_far_ends() {
    let layout = Layout::new(8 * MIB, Some(Draws { stack: !0, stack_pointer: !0, mmap: !0, pie: !0, brk: !0 }));
    assert_eq!(layout.stack_top, TASK_SIZE - ((1 << 34) - PAGE_SIZE));
    let one_tib_less_a_page = (1 << 40) - PAGE_SIZE;
    assert_eq!(layout.pie_base, ELF_ET_DYN_BASE + one_tib_less_a_page);
    let fixed_mmap_top = Layout::new(8 * MIB, Some(Draws::default())).mmap_top;
    assert_eq!(layout.mmap_top, fixed_mmap_top - one_tib_less_a_page);
    assert!(layout.initial_stack_top < layout.stack_top && layout.initial_stack_top.is_multiple_of(16));
    let heap = layout.heap_start(0x40_1000);
    assert!(heap > 0x40_2000 && heap < 0x40_2000 + BRK_RANDOM_RANGE && heap.is_multiple_of(PAGE_SIZE));
}

#[test]
fn different_draws_give_different_addresses() {
    let one = Layout::new(8 * MIB, Some(Draws { stack: 1, stack_pointer: 16, mmap: 1, pie: 1, brk: 1 }));
    let two = Layout::new(8 * MIB, Some(Draws { stack: 2, stack_pointer: 32, mmap: 2, pie: 2, brk: 2 }));
    assert_ne!(one.stack_top, two.stack_top);
    assert_ne!(one.initial_stack_top, two.initial_stack_top);
    assert_ne!(one.mmap_top, two.mmap_top);
    assert_ne!(one.pie_base, two.pie_base);
    assert_ne!(one.heap_start(0x40_0000), two.heap_start(0x40_0000));
}

fn draws() -> impl Strategy<Value = Draws> {
    (any::<u64>(), any::<u64>(), any::<u64>(), any::<u64>(), any::<u64>())
        .prop_map(|(stack, stack_pointer, mmap, pie, brk)| Draws { stack, stack_pointer, mmap, pie, brk })
}

fn stack_limit() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0u64),
        Just(1),
        Just(PAGE_SIZE),
        Just(8 * MIB),
        Just(STACK_MAX),
        Just(u64::MAX),
        any::<u64>(),
        0..1u64 << 34
    ]
}

proptest! {
    /// Whatever the draws and the limit: page-aligned regions in the order stack,
    /// guard gap, mmap area, with the PIE range below it; each address within its
    /// random range.
    #[test]
    fn any_layout_keeps_its_promises(limit in stack_limit(), draws in prop::option::of(draws()), image_end in 0..TASK_SIZE) {
        let layout = Layout::new(limit, draws);
        for address in [layout.stack_top, layout.stack_bottom, layout.mmap_top] {
            prop_assert_eq!(address % PAGE_SIZE, 0);
        }
        prop_assert!(layout.stack_top <= TASK_SIZE && layout.stack_top > TASK_SIZE - (1 << 34));
        prop_assert!(layout.stack_bottom < layout.stack_top);
        prop_assert!(layout.stack_top - layout.stack_bottom <= limit.clamp(PAGE_SIZE, STACK_MAX));
        prop_assert!(layout.mmap_top + STACK_GUARD_GAP <= layout.stack_bottom);
        prop_assert!(layout.initial_stack_top <= layout.stack_top);
        prop_assert!(layout.stack_top - layout.initial_stack_top < STACK_POINTER_RANDOM + 16);
        prop_assert_eq!(layout.initial_stack_top % 16, 0);
        let mmap_random = 1u64 << (MMAP_RANDOM_BITS + 12);
        prop_assert!(layout.pie_base >= ELF_ET_DYN_BASE && layout.pie_base < ELF_ET_DYN_BASE + mmap_random);
        // A PIE and its heap stay far below the mmap area: 40 TiB between them.
        prop_assert!(layout.pie_base + (40 << 40) < layout.mmap_top);
        let heap = layout.heap_start(image_end);
        let after_image = image_end.next_multiple_of(PAGE_SIZE);
        prop_assert_eq!(heap % PAGE_SIZE, 0);
        prop_assert!(heap >= after_image && heap <= after_image + PAGE_SIZE + BRK_RANDOM_RANGE);
        let static_heap = layout.static_pie_heap_start();
        prop_assert!((ELF_ET_DYN_BASE..ELF_ET_DYN_BASE + BRK_RANDOM_RANGE + PAGE_SIZE).contains(&static_heap));
        prop_assert_eq!(layout.is_randomized(), draws.is_some());
        if draws.is_none() {
            prop_assert_eq!(layout.stack_top, TASK_SIZE);
            prop_assert_eq!(layout.pie_base, ELF_ET_DYN_BASE);
            prop_assert_eq!(heap, after_image);
        }
    }
}
