//! Memory figures (lmbench's lat_mmap and lat_pagefault, for anonymous memory):
//! mmap of 1 MiB, a store to each of its pages, munmap; and the cost of one
//! first-touch page fault in a large mapping.
use ktest::Outcome;
use ktest::mapping::{Map, PAGE};

use crate::{report, seconds_each};

const MIB_PAGES: usize = 256;
const MAPS: u32 = 2_000;
const FAULT_PAGES: usize = 16 * 256;
const FAULT_ROUNDS: u32 = 8;
const PRIVATE_ANON: i32 = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS;

fn touch_all(map: &Map, pages: usize) {
    (0..pages).for_each(|page| map.set(page * PAGE, 1));
}

pub fn figures() -> Outcome {
    let seconds = seconds_each(MAPS, || {
        let map = Map::anonymous(MIB_PAGES, PRIVATE_ANON)?;
        touch_all(&map, MIB_PAGES);
        Ok(())
    })?;
    report("mmap_touch_munmap_1m", seconds * 1e6, "us");
    let mut faulting = 0.0;
    for _ in 0..FAULT_ROUNDS {
        let map = Map::anonymous(FAULT_PAGES, PRIVATE_ANON)?;
        let start = std::time::Instant::now();
        touch_all(&map, FAULT_PAGES);
        faulting += start.elapsed().as_secs_f64();
    }
    report("page_fault", faulting / (FAULT_ROUNDS as usize * FAULT_PAGES) as f64 * 1e9, "ns");
    Ok(())
}
