//! `test=bench`: speed figures for `make bench`, printed as `BENCH name value unit`.
use crate::arch::cpu::timestamp;
use crate::arch::paging::Access;
use crate::mm::address_space::AddressSpace;
use crate::mm::frames;

/// Nanoseconds per iteration of `f`, run `n` times.
fn measure(n: u64, mut f: impl FnMut(u64)) -> u64 {
    let start = timestamp();
    for i in 0..n {
        f(i);
    }
    crate::time::cycles_to_ns(timestamp() - start) / n
}

pub fn run() -> Result<(), alloc::string::String> {
    log::info!("BENCH tsc {} MHz", crate::time::tsc_hz() / 1_000_000);
    let ns = measure(200_000, |_| {
        if let Some(frame) = frames::alloc() {
            frames::free(frame);
        }
    });
    log::info!("BENCH frame_alloc_free {ns} ns");
    // Hold half of memory, then measure again: the cost must not grow as memory fills.
    let held: alloc::vec::Vec<u64> = (0..frames::stats().free / 2).map_while(|_| frames::alloc()).collect();
    let ns_full = measure(200_000, |_| {
        if let Some(frame) = frames::alloc() {
            frames::free(frame);
        }
    });
    held.into_iter().for_each(frames::free);
    log::info!("BENCH frame_alloc_free_half_full {ns_full} ns");

    let mut space = AddressSpace::new().map_err(|e| alloc::format!("{e:?}"))?;
    let rw = Access { write: true, execute: false, user: true };
    let base = 0x1000_0000;
    space.map_zeroed(base, rw).map_err(|e| alloc::format!("{e:?}"))?; // page tables exist from here
    let frame = frames::alloc().ok_or("no frame")?;
    let ns = measure(100_000, |i| {
        let virt = base + 0x1000 * (1 + i % 500);
        let _ = crate::arch::paging::map(space.root(), virt, frame, rw);
        let _ = crate::arch::paging::unmap(space.root(), virt);
    });
    frames::free(frame);
    log::info!("BENCH page_map_unmap {ns} ns");
    Ok(())
}
