//! The clocks' data page ("vvar"), one page of the kernel's data that every
//! process also sees, read-only, one page below its vDSO: the TSC's mult/shift,
//! its value at the last timer tick, and each clock's time then, by clock id.
//! The timer tick rewrites it (`publish`); readers, the vDSO (kernel/vdso/vdso.c,
//! whose `struct vvar` is this layout) and the kernel alike, take no lock: a
//! sequence counter, odd while it is written, tells them to read again.
use core::mem::offset_of;
use core::sync::atomic::{AtomicI32, AtomicU32, AtomicU64, Ordering, fence};

use kabi::time::{
    CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC_RAW, CLOCK_REALTIME,
    CLOCK_REALTIME_COARSE, CLOCK_TAI,
};
use timekeeping::{Conversion, NSEC_PER_SEC, ShiftedTime, Timekeeper, read_shifted};

use crate::arch::cpu::timestamp_ordered;

/// Clock ids the page has a slot for.
const CLOCKS: usize = 12;
/// Clocks read from the TSC: their slot holds shifted nanoseconds.
const PRECISE: [i32; 5] = [CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_BOOTTIME, CLOCK_TAI];
/// Clocks that are the time of the last tick: their slot holds plain nanoseconds.
const COARSE: [i32; 2] = [CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE];

/// The page. `clock_mode` is 0 until the TSC is calibrated (the vDSO then makes
/// the system call, and the kernel reads 0).
#[repr(C, align(4096))]
struct Vvar {
    seq: AtomicU32,
    clock_mode: AtomicU32,
    cycle_last: AtomicU64,
    max_fast_delta: AtomicU64,
    mult: AtomicU32,
    shift: AtomicU32,
    /// Seconds and nanoseconds below a second, by clock id.
    base: [[AtomicU64; 2]; CLOCKS],
    tz_minuteswest: AtomicI32,
    tz_dsttime: AtomicI32,
}

// The offsets vdso.c checks too.
const _: () = assert!(offset_of!(Vvar, cycle_last) == 8);
const _: () = assert!(offset_of!(Vvar, mult) == 24);
const _: () = assert!(offset_of!(Vvar, base) == 32);
const _: () = assert!(offset_of!(Vvar, tz_minuteswest) == 224);
const _: () = assert!(size_of::<Vvar>() == 4096);

static VVAR: Vvar = Vvar {
    seq: AtomicU32::new(0),
    clock_mode: AtomicU32::new(0),
    cycle_last: AtomicU64::new(0),
    max_fast_delta: AtomicU64::new(0),
    mult: AtomicU32::new(0),
    shift: AtomicU32::new(0),
    base: [const { [AtomicU64::new(0), AtomicU64::new(0)] }; CLOCKS],
    tz_minuteswest: AtomicI32::new(0),
    tz_dsttime: AtomicI32::new(0),
};

/// The page's frame, to map into processes.
pub fn frame() -> u64 {
    super::vdso::kernel_frame(&raw const VVAR as u64)
}

/// Rewrite the page under the sequence counter. Writers run with interrupts off
/// (the tick, or a caller inside `without_interrupts`), so never two at once.
fn write(update: impl FnOnce(&Vvar)) {
    let seq = VVAR.seq.load(Ordering::Relaxed);
    VVAR.seq.store(seq.wrapping_add(1), Ordering::Relaxed);
    fence(Ordering::Release);
    update(&VVAR);
    VVAR.seq.store(seq.wrapping_add(2), Ordering::Release);
}

/// Read a consistent view: again whenever a write came in between.
fn read<R>(view: impl Fn(&Vvar) -> R) -> R {
    loop {
        let seq = VVAR.seq.load(Ordering::Acquire);
        if seq & 1 == 0 {
            let result = view(&VVAR);
            fence(Ordering::Acquire);
            if VVAR.seq.load(Ordering::Relaxed) == seq {
                return result;
            }
        }
        core::hint::spin_loop();
    }
}

/// Publish `tk`'s clocks as of its last update.
pub fn publish(tk: &Timekeeper) {
    let conversion = tk.conversion();
    let monotonic = tk.monotonic_base();
    let realtime = tk.realtime_base();
    let coarse = |t: ShiftedTime| ShiftedTime { sec: t.sec, snsec: t.snsec >> conversion.shift };
    let slots = [
        (CLOCK_REALTIME, realtime),
        (CLOCK_MONOTONIC, monotonic),
        (CLOCK_MONOTONIC_RAW, monotonic),
        (CLOCK_BOOTTIME, monotonic),
        (CLOCK_TAI, realtime),
        (CLOCK_REALTIME_COARSE, coarse(realtime)),
        (CLOCK_MONOTONIC_COARSE, coarse(monotonic)),
    ];
    write(|v| {
        v.cycle_last.store(tk.cycle_last(), Ordering::Relaxed);
        v.max_fast_delta.store(conversion.max_fast_delta(), Ordering::Relaxed);
        v.mult.store(conversion.mult, Ordering::Relaxed);
        v.shift.store(conversion.shift, Ordering::Relaxed);
        for (clock, time) in slots {
            v.base[clock as usize][0].store(time.sec, Ordering::Relaxed);
            v.base[clock as usize][1].store(time.snsec, Ordering::Relaxed);
        }
        v.clock_mode.store(1, Ordering::Relaxed);
    });
}

/// Publish the time zone gettimeofday reports.
pub fn set_timezone(minutes_west: i32, dst_time: i32) {
    write(|v| {
        v.tz_minuteswest.store(minutes_west, Ordering::Relaxed);
        v.tz_dsttime.store(dst_time, Ordering::Relaxed);
    });
}

/// The time zone: minutes west of Greenwich, and the daylight-saving kind.
pub fn timezone() -> (i32, i32) {
    read(|v| (v.tz_minuteswest.load(Ordering::Relaxed), v.tz_dsttime.load(Ordering::Relaxed)))
}

/// Clock `clock` now, in nanoseconds, for the clocks the page holds (the same
/// computation as the vDSO's); 0 before the TSC is calibrated.
pub fn clock_ns(clock: i32) -> Option<u64> {
    let precise = PRECISE.contains(&clock);
    if !precise && !COARSE.contains(&clock) {
        return None;
    }
    let slot = clock as usize;
    Some(read(|v| {
        let base = ShiftedTime {
            sec: v.base[slot][0].load(Ordering::Relaxed),
            snsec: v.base[slot][1].load(Ordering::Relaxed),
        };
        if !precise {
            return base.sec.saturating_mul(NSEC_PER_SEC).saturating_add(base.snsec);
        }
        if v.clock_mode.load(Ordering::Relaxed) == 0 {
            return 0;
        }
        let conversion = Conversion { mult: v.mult.load(Ordering::Relaxed), shift: v.shift.load(Ordering::Relaxed) };
        read_shifted(base, conversion, v.cycle_last.load(Ordering::Relaxed), timestamp_ordered())
    }))
}

/// The whole seconds of CLOCK_REALTIME at the last tick (what time(2) gives, on
/// Linux as in the vDSO).
pub fn realtime_seconds() -> u64 {
    read(|v| v.base[CLOCK_REALTIME as usize][0].load(Ordering::Relaxed))
}
