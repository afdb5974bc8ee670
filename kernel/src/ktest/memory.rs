//! Memory test modes: the frame allocator, address spaces, the heap.
use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use frame_bitmap::FreeError;

use crate::arch::multiboot;
use crate::arch::paging::{Access, PAGE_SIZE};
use crate::mm::address_space::AddressSpace;
use crate::mm::{frames, phys};

/// Allocate every free frame, chaining them through their own first bytes (no
/// heap needed), check each is usable RAM outside reservations and distinct, free
/// them all, and find the same free count. Also checks a double free is refused.
pub fn all_frames() -> Result<(), String> {
    let usable: Vec<_> = crate::boot_info::usable_ram(boot()).collect();
    let before = frames::stats();
    let mut head = 0u64;
    let mut count = 0u64;
    let mut user_count = None;
    loop {
        let frame = match frames::alloc() {
            Some(frame) => frame,
            None => {
                // User-class allocations stop at the kernel's reserve; the heap
                // takes the rest.
                user_count.get_or_insert(count);
                match frames::alloc_for_heap(1, 1, false) {
                    Some(frame) => frame,
                    None => break,
                }
            }
        };
        if !usable.iter().any(|r| r.start <= frame && frame + 4096 <= r.end) || frame < 0x10_0000 {
            return Err(alloc::format!("frame {frame:#x} is outside usable memory"));
        }
        count += 1;
        let mut link = [0u8; 16];
        link[..8].copy_from_slice(&head.to_le_bytes());
        link[8..].copy_from_slice(&count.to_le_bytes());
        phys::write(frame, 0, &link);
        head = frame;
    }
    log::info!("allocated all {count} free frames ({} MiB)", count * 4 / 1024);
    let user_count = user_count.unwrap_or(count);
    log::info!(
        "user allocations stopped at the reserve: {user_count} frames, {} kept for the heap",
        count - user_count
    );
    if user_count != before.free - frames::reserve() {
        return Err(alloc::format!(
            "user allocations got {user_count} frames, expected {}",
            before.free - frames::reserve()
        ));
    }
    if count != before.free {
        return Err(alloc::format!("allocated {count} frames, expected {}", before.free));
    }
    // Walk the chain: sequence numbers must count down exactly, or a frame was
    // handed out twice (its link overwritten).
    let mut expected = count;
    while head != 0 {
        let mut link = [0u8; 16];
        phys::read(head, 0, &mut link);
        let seq = u64::from_le_bytes(link[8..].try_into().unwrap_or_default());
        if seq != expected {
            return Err(alloc::format!("frame {head:#x} holds sequence {seq}, expected {expected}: handed out twice"));
        }
        let next = u64::from_le_bytes(link[..8].try_into().unwrap_or_default());
        frames::free(head);
        head = next;
        expected -= 1;
    }
    let after = frames::stats();
    log::info!("freed them all: {} free before, {} after", before.free, after.free);
    if after != before {
        return Err(alloc::format!("stats changed: {before:?} -> {after:?}"));
    }
    let frame = frames::alloc().ok_or("no frame")?;
    frames::free(frame);
    match frames::try_free(frame) {
        Err(e @ FreeError::DoubleFree(_)) => log::info!("double free refused: {e}"),
        other => return Err(alloc::format!("double free gave {other:?}")),
    }
    match frames::try_free(0x1000) {
        Err(e @ FreeError::Reserved(_)) => log::info!("free of a reserved frame refused: {e}"),
        other => return Err(alloc::format!("free of frame 0x1000 gave {other:?}")),
    }
    Ok(())
}

fn boot() -> &'static multiboot2::BootInformation<'static> {
    multiboot::get()
}

/// User addresses spread over several page-table branches.
const TEST_PAGES: [u64; 6] = [0x40_0000, 0x40_1000, 0x7fff_ffff_e000, 0x1234_5678_9000, 0x8000_0000, 0x20_0000_0000];

/// Create, fill, copy and destroy 1,000 address spaces; the free-frame count must
/// come back to where it was.
pub fn address_spaces() -> Result<(), String> {
    let before = frames::stats().free;
    let rw = Access { write: true, execute: false, user: true };
    for round in 0..1000u64 {
        let mut space = AddressSpace::new().map_err(|e| alloc::format!("new: {e:?}"))?;
        for (i, &virt) in TEST_PAGES.iter().enumerate() {
            let frame = space.map_zeroed(virt, rw).map_err(|e| alloc::format!("map: {e:?}"))?;
            phys::write(frame, 8 * i, &(round * 100 + i as u64).to_le_bytes());
        }
        let copy = space.clone_eager(0).map_err(|e| alloc::format!("clone: {e:?}"))?;
        space.remove_region(TEST_PAGES[0], TEST_PAGES[0] + PAGE_SIZE);
        for (i, &virt) in TEST_PAGES.iter().enumerate() {
            let (frame, access) = copy.translate(virt).ok_or("page missing in the copy")?;
            let mut value = [0u8; 8];
            phys::read(frame, 8 * i, &mut value);
            if u64::from_le_bytes(value) != round * 100 + i as u64 || access != rw {
                return Err(alloc::format!("copy of {virt:#x} differs"));
            }
        }
        if space.translate(TEST_PAGES[0]).is_some() || copy.usage().resident != TEST_PAGES.len() {
            return Err("unmap or clone_eager miscounted pages".into());
        }
        copy.activate();
        drop(space);
        drop(copy);
    }
    let after = frames::stats().free;
    log::info!("1000 address spaces: {before} free frames before, {after} after");
    if before != after {
        return Err(alloc::format!("leaked {} frames", before as i64 - after as i64));
    }
    Ok(())
}

/// Box, Vec, BTreeMap and String, and growth well past the first heap chunk.
pub fn heap() -> Result<(), String> {
    let boxed = Box::new(41u64);
    let mut map = BTreeMap::new();
    for i in 0..10_000u64 {
        map.insert(i, alloc::format!("value {i}"));
    }
    let big: Vec<u64> = (0..4 * 1024 * 1024).collect(); // 32 MiB: the heap must grow
    let sum: u64 = big.iter().sum();
    let text: String = map.values().take(3).map(String::as_str).collect::<Vec<_>>().join(",");
    log::info!("heap: box {}, map of {} entries, vec sum {sum}, {text}", *boxed + 1, map.len());
    if sum != (4 * 1024 * 1024 - 1) * (4 * 1024 * 1024) / 2 || text != "value 0,value 1,value 2" {
        return Err("heap data corrupted".into());
    }
    Ok(())
}

/// Ask for more heap than there is memory: must panic with "out of memory".
pub fn out_of_memory() {
    let total = frames::stats().total as usize * 4096;
    let v: Vec<u8> = Vec::with_capacity(total);
    log::error!("allocated {} bytes, more than all memory", v.capacity());
}

/// Read a mapped, user-accessible page directly from the kernel, as no code may:
/// with SMAP on this faults and the report names SMAP.
pub fn touch_user_page() -> Result<(), String> {
    const USER_PAGE: u64 = 0x40_0000;
    let mut space = AddressSpace::new().map_err(|e| alloc::format!("new: {e:?}"))?;
    space
        .map_zeroed(USER_PAGE, Access { write: true, execute: false, user: true })
        .map_err(|e| alloc::format!("map: {e:?}"))?;
    space.activate();
    let value = crate::arch::selftest::read_address(USER_PAGE);
    crate::arch::paging::activate(crate::arch::paging::kernel_root());
    Err(alloc::format!("read {value} from user memory in kernel mode without a fault (no SMAP?)"))
}
