//! Property tests: the mult/shift pair is exact enough and never overflows in its
//! range; the timekeeper's clocks equal the plain conversion of the cycles since
//! their start however the ticks fall, never go back, and keep the real-time
//! offset; the user/system split adds up and never goes back.
use proptest::prelude::*;
use timekeeping::{Conversion, NSEC_PER_SEC, Sample, ShiftedTime, Split, Timekeeper, read_shifted};

/// Linux's range for the TSC: the product must fit for ten minutes of cycles.
const RANGE_SECONDS: u64 = 600;

/// Counter frequencies from 1 MHz to 10 GHz.
fn frequency() -> impl Strategy<Value = u64> {
    1_000_000u64..10_000_000_000
}

proptest! {
    #[test]
    fn products_fit_and_the_shift_is_the_largest_that_does(hz in frequency()) {
        let c = Conversion::new(hz, RANGE_SECONDS);
        let range_cycles = u128::from(hz) * u128::from(RANGE_SECONDS);
        prop_assert!(u128::from(c.mult) * range_cycles <= u128::from(u64::MAX));
        if c.shift < 32 {
            let finer = ((u128::from(NSEC_PER_SEC) << (c.shift + 1)) + u128::from(hz) / 2) / u128::from(hz);
            // One more bit of shift would leave less than a bit of headroom.
            prop_assert!(finer * range_cycles >= 1 << 63 || finer > u128::from(u32::MAX));
        }
    }

    #[test]
    fn one_second_of_cycles_is_one_second_within_a_microsecond(hz in frequency()) {
        let ns = Conversion::new(hz, RANGE_SECONDS).cycles_to_ns(hz);
        prop_assert!(ns.abs_diff(NSEC_PER_SEC) <= 1_000, "{hz} Hz: a second of cycles is {ns} ns");
    }

    #[test]
    fn the_fast_read_is_the_exact_one(
        hz in frequency(),
        sec in 0u64..1 << 33,
        fraction in 0u64..NSEC_PER_SEC,
        delta in any::<u64>(),
    ) {
        let c = Conversion::new(hz, RANGE_SECONDS);
        let base = ShiftedTime { sec, snsec: fraction << c.shift };
        let delta = delta % c.max_fast_delta().saturating_add(1).max(1) ;
        let exact = (u128::from(base.snsec) + u128::from(delta) * u128::from(c.mult)) >> c.shift;
        let exact = u128::from(sec) * u128::from(NSEC_PER_SEC) + exact;
        prop_assert_eq!(u128::from(read_shifted(base, c, 1000, 1000 + delta)), exact);
    }

    #[test]
    fn monotonic_time_is_the_conversion_of_the_cycles_however_the_ticks_fall(
        hz in frequency(),
        start in 0u64..1 << 50,
        start_ns in 0u64..1 << 50,
        steps in prop::collection::vec(0u64..1 << 36, 1..60),
    ) {
        let c = Conversion::new(hz, RANGE_SECONDS);
        let mut tk = Timekeeper::new(c, start, start_ns, start_ns);
        let mut now = start;
        let mut last_read = 0;
        for (i, step) in steps.into_iter().enumerate() {
            now += step;
            if i % 3 != 2 {
                tk.advance(now); // most steps are ticks; some are reads between ticks
            }
            let read = tk.monotonic_ns(now);
            prop_assert_eq!(read, start_ns + c.cycles_to_ns(now - start));
            prop_assert!(read >= last_read);
            last_read = read;
        }
    }

    #[test]
    fn realtime_keeps_its_offset_and_the_value_it_was_set_to(
        hz in frequency(),
        steps in prop::collection::vec(0u64..1 << 34, 1..20),
        set_at in 0usize..20,
        realtime in 0u64..1 << 62,
    ) {
        let c = Conversion::new(hz, RANGE_SECONDS);
        let boot_real = 1_700_000_000 * NSEC_PER_SEC;
        let mut tk = Timekeeper::new(c, 0, 0, boot_real);
        let mut now = 0;
        let mut offset = boot_real;
        for (i, step) in steps.into_iter().enumerate() {
            now += step;
            if i == set_at {
                let monotonic = tk.monotonic_ns(now);
                match tk.set_realtime(now, realtime) {
                    Ok(()) => {
                        prop_assert!(realtime >= monotonic);
                        prop_assert_eq!(tk.realtime_ns(now), realtime);
                        offset = realtime - monotonic;
                    }
                    Err(_) => prop_assert!(realtime < monotonic),
                }
            } else {
                tk.advance(now);
            }
            let later = now + step / 2;
            prop_assert_eq!(tk.realtime_ns(later) - tk.monotonic_ns(later), offset);
        }
    }

    #[test]
    fn the_split_adds_up_and_never_goes_back(
        samples in prop::collection::vec((0u64..1 << 40, 0u64..1000, 0u64..1000), 1..40),
    ) {
        let mut split = Split::default();
        let mut sample = Sample::default();
        for (more_runtime, more_user, more_system) in samples {
            let before = split;
            sample += Sample { runtime: more_runtime, user_ticks: more_user, system_ticks: more_system };
            let now = split.adjust(sample);
            prop_assert_eq!(now, split);
            prop_assert!(now.user >= before.user && now.system >= before.system);
            prop_assert!(now.total() == sample.runtime || now == before);
        }
    }
}

#[test]
fn a_gigahertz_counter_counts_nanoseconds() {
    let c = Conversion::new(NSEC_PER_SEC, RANGE_SECONDS);
    assert_eq!(c.mult, 1 << c.shift);
    assert_eq!(c.cycles_to_ns(123_456_789), 123_456_789);
}

#[test]
fn a_three_gigahertz_tsc() {
    // 600 s of 3 GHz is 1.8e12 cycles (41 bits), which leaves 23 bits of multiplier:
    // 2^24 / 3 rounded, 0.06 ppm short of a third.
    let c = Conversion::new(3_000_000_000, RANGE_SECONDS);
    assert_eq!((c.mult, c.shift), (5_592_405, 24));
    assert_eq!(c.cycles_to_ns(3_000_000_000), 999_999_940);
}

#[test]
fn realtime_before_the_boot_is_refused() {
    let c = Conversion::new(NSEC_PER_SEC, RANGE_SECONDS);
    let mut tk = Timekeeper::new(c, 0, 5 * NSEC_PER_SEC, 1_000 * NSEC_PER_SEC);
    assert!(tk.set_realtime(NSEC_PER_SEC, 5 * NSEC_PER_SEC).is_err());
    assert_eq!(tk.realtime_ns(NSEC_PER_SEC), 1_001 * NSEC_PER_SEC);
    tk.set_realtime(NSEC_PER_SEC, 6 * NSEC_PER_SEC).unwrap();
    assert_eq!(tk.realtime_ns(2 * NSEC_PER_SEC), 7 * NSEC_PER_SEC);
}

#[test]
fn a_counter_that_went_back_reads_as_the_last_tick() {
    let c = Conversion::new(NSEC_PER_SEC, RANGE_SECONDS);
    let mut tk = Timekeeper::new(c, 1_000, 0, 0);
    tk.advance(5_000);
    tk.advance(4_000);
    assert_eq!(tk.monotonic_ns(3_000), 4_000);
    assert_eq!(tk.cycle_last(), 5_000);
}

#[test]
fn the_split_follows_the_ticks() {
    let mut split = Split::default();
    assert_eq!(split.adjust(Sample { runtime: 100, user_ticks: 0, system_ticks: 0 }), Split { user: 100, system: 0 });
    assert_eq!(split.adjust(Sample { runtime: 400, user_ticks: 1, system_ticks: 3 }), Split { user: 100, system: 300 });
    // The ticks now say half and half, but system time may not shrink.
    assert_eq!(split.adjust(Sample { runtime: 500, user_ticks: 1, system_ticks: 1 }), Split { user: 200, system: 300 });
    // Nothing new ran: the same split.
    assert_eq!(split.adjust(Sample { runtime: 450, user_ticks: 9, system_ticks: 1 }), Split { user: 200, system: 300 });
}
