//! The CMOS real-time clock, read once at boot for CLOCK_REALTIME.
use x86_64::instructions::port::Port;

fn read_register(register: u8) -> u8 {
    let mut index = Port::<u8>::new(0x70);
    let mut data = Port::<u8>::new(0x71);
    // SAFETY: the CMOS index/data ports; bit 7 of the index keeps NMIs enabled as
    // they were (clear).
    unsafe {
        index.write(register);
        data.read()
    }
}

fn update_in_progress() -> bool {
    read_register(0x0a) & 0x80 != 0
}

/// Seconds since the Unix epoch, from the RTC (assumed to hold UTC, as on Linux
/// machines with a UTC hardware clock).
pub fn unix_time() -> u64 {
    let read_all = || {
        while update_in_progress() {
            core::hint::spin_loop();
        }
        [0x00, 0x02, 0x04, 0x07, 0x08, 0x09, 0x32].map(read_register)
    };
    // Read until two consecutive reads agree (an update may happen in between).
    let mut values = read_all();
    loop {
        let again = read_all();
        if again == values {
            break;
        }
        values = again;
    }
    let status_b = read_register(0x0b);
    let bcd = status_b & 0x04 == 0;
    let decode = |v: u8| if bcd { (v & 0x0f) + (v >> 4) * 10 } else { v };
    let [sec, min, hour_raw, day, month, year, century] = values;
    let pm = hour_raw & 0x80 != 0;
    let mut hour = decode(hour_raw & 0x7f);
    if status_b & 0x02 == 0 {
        hour = hour % 12 + if pm { 12 } else { 0 }; // 12-hour clock
    }
    let century = match decode(century) {
        c @ 19..=21 => u64::from(c),
        _ => 20,
    };
    let year = century * 100 + u64::from(decode(year));
    days_from_civil(year, u64::from(decode(month)), u64::from(decode(day))) * 86_400
        + u64::from(hour) * 3600
        + u64::from(decode(min)) * 60
        + u64::from(decode(sec))
}

/// Days since 1970-01-01 of a Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe).saturating_sub(719_468)
}
