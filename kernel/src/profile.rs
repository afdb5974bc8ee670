//! The kernel's sampling profiler, for finding where system calls spend their
//! time: with `profile=SHIFT` on the command line (as Linux's `profile=`), each
//! timer tick that interrupts kernel code counts the interrupted address in a
//! bucket of 2^SHIFT bytes of the kernel's text. /proc/kprofile lists the
//! functions by samples, named from the kernel's symbol table (under QEMU's
//! `-icount` the ticks fall at the same instructions on every run).
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, Ordering};

/// The largest bucket: 64 KiB of text.
pub const MAX_SHIFT: u32 = 16;

struct Profile {
    start: u64,
    shift: u32,
    buckets: Vec<AtomicU32>,
}

static PROFILE: spin::Once<Profile> = spin::Once::new();

/// Start counting, in buckets of 2^`shift` bytes (at most [`MAX_SHIFT`]).
pub fn start(shift: u32) {
    let text = crate::arch::sections::kernel_sections().text;
    let shift = shift.min(MAX_SHIFT);
    let count = ((text.end - text.start) >> shift) as usize + 1;
    PROFILE.call_once(|| Profile {
        start: text.start,
        shift,
        buckets: (0..count).map(|_| AtomicU32::new(0)).collect(),
    });
    log::info!(
        "profile: sampling the kernel's text at each tick, {count} buckets of {} bytes (/proc/kprofile)",
        1 << shift
    );
}

/// Count a tick that interrupted the kernel at `address`.
pub fn record(address: u64) {
    let Some(profile) = PROFILE.get() else { return };
    let bucket =
        address.checked_sub(profile.start).and_then(|offset| profile.buckets.get((offset >> profile.shift) as usize));
    if let Some(bucket) = bucket {
        bucket.fetch_add(1, Ordering::Relaxed);
    }
}

/// The samples by function (the function at each bucket's start), most first;
/// None when the profiler is off.
pub fn by_function() -> Option<Vec<(u64, String)>> {
    let profile = PROFILE.get()?;
    let mut functions: BTreeMap<String, u64> = BTreeMap::new();
    for (index, bucket) in profile.buckets.iter().enumerate() {
        let samples = bucket.load(Ordering::Relaxed);
        if samples > 0 {
            let address = profile.start + ((index as u64) << profile.shift);
            *functions.entry(crate::symbols::function_name(address)).or_default() += u64::from(samples);
        }
    }
    let mut list: Vec<(u64, String)> = functions.into_iter().map(|(name, samples)| (samples, name)).collect();
    list.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Some(list)
}
