//! The interrupt controller and the timer, chosen once at boot: the local APIC
//! (its timer as the tick, periodic, calibrated against the reference clock;
//! once the TSC is calibrated, in TSC-deadline mode where the CPU has it)
//! with the I/O APIC routing the ISA interrupts and the 8259s masked; or, with
//! `noapic`, without a MADT, an I/O APIC or a reference clock, the 8259 PICs
//! with the PIT. The IRQ numbers keep their ISA meaning on both (vector 32 + n);
//! EOI goes to the controller chosen.
use alloc::format;
use alloc::string::String;
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use super::acpi::{self, MadtInfo};
use super::trap::IRQ_BASE;
use super::{apic, cpu, ioapic, msi, pic, pit, refclock};

pub const IRQ_TIMER: u8 = 0;
pub const IRQ_KEYBOARD: u8 = 1;
pub const IRQ_COM1: u8 = 4;

/// The length of the APIC timer's calibration window.
const CALIBRATION_MS: u32 = 50;

static APIC: AtomicBool = AtomicBool::new(false);
/// COM1's interrupt could not be routed: the timer tick polls it.
static POLL_COM1: AtomicBool = AtomicBool::new(false);
/// TSC cycles from one tick to the next in TSC-deadline mode; 0 while the
/// timer is periodic (APIC or PIT).
static DEADLINE_PERIOD: AtomicU64 = AtomicU64::new(0);
/// The TSC value the next tick is due at, in TSC-deadline mode.
static NEXT_DEADLINE: AtomicU64 = AtomicU64::new(0);

/// Set up the interrupt controller and a timer interrupting `hz` times a second
/// on IRQ_TIMER's vector; returns the boot log's line saying which.
pub fn init(noapic: bool, hz: u32) -> String {
    let madt = acpi::info().and_then(|i| i.madt.as_ref());
    let why_not = match madt {
        _ if noapic => "noapic",
        None => "no MADT",
        Some(m) if m.io_apics.is_empty() => "no I/O APIC",
        Some(_) if !apic::present() => "no local APIC",
        Some(m) => match init_apic(m, hz) {
            Ok(line) => return line,
            Err(why) => why,
        },
    };
    pic::init(1 << IRQ_TIMER | 1 << IRQ_KEYBOARD | 1 << IRQ_COM1);
    pit::init(hz);
    format!("interrupts: 8259 PIC ({why_not}); timer: PIT {hz} Hz")
}

fn init_apic(madt: &MadtInfo, hz: u32) -> Result<String, &'static str> {
    let local = apic::init(madt.local_apic).ok_or("local APIC not mappable")?;
    apic::start_countdown();
    let rate = refclock::count(CALIBRATION_MS, &apic::timer_elapsed)
        .map(|count| count.cycles * 1000 / u64::from(CALIBRATION_MS));
    let initial = rate.and_then(|r| u32::try_from(r / u64::from(hz)).ok()).filter(|&i| i > 0);
    let (Some(per_second), Some(initial)) = (rate, initial) else {
        // Back to the 8259s: their interrupts come in through LINT0 again.
        apic::virtual_wire();
        return Err(if rate.is_none() { "no reference clock" } else { "APIC timer rate out of range" });
    };
    APIC.store(true, Ordering::Relaxed);
    msi::set_destination(local.id);
    // The 8259s are remapped away from the exception vectors and fully masked.
    pic::init(0);
    let ioapics = ioapic::init(&madt.io_apics);
    let routed = |irq: u8| {
        let (gsi, active_low, level) = isa_gsi(madt, irq);
        ioapic::route(gsi, IRQ_BASE + irq, local.id, active_low, level)
    };
    // Without a keyboard controller the line stays quiet; routing it is harmless.
    routed(IRQ_KEYBOARD);
    if !routed(IRQ_COM1) {
        POLL_COM1.store(true, Ordering::Relaxed);
    }
    apic::start_periodic(IRQ_BASE + IRQ_TIMER, initial);
    let mut line = format!("interrupts: {} id {}", if local.x2apic { "x2APIC" } else { "xAPIC" }, local.id);
    for io in ioapics {
        line.push_str(&format!(" + I/O APIC ({} pins at {:#x})", io.pins, io.address));
    }
    line.push_str(if madt.has_8259 { ", 8259 masked" } else { ", no 8259" });
    if POLL_COM1.load(Ordering::Relaxed) {
        line.push_str(", COM1 polled");
    }
    let khz = per_second / 1000;
    line.push_str(&format!(
        "; timer: APIC periodic {hz} Hz ({}.{:03} MHz, calibrated against {})",
        khz / 1000,
        khz % 1000,
        refclock::name()
    ));
    Ok(line)
}

/// Move the tick to the APIC timer's TSC-deadline mode now that the TSC's rate
/// is known (`tsc_hz`), if the APIC is the controller and the CPU has the
/// mode: each tick then arms the next one a `hz`th of a second of TSC cycles
/// later. Returns the boot log's line, or None (the timer stays periodic).
pub fn use_tsc_deadline(tsc_hz: u64, hz: u32) -> Option<String> {
    let period = tsc_hz / u64::from(hz.max(1));
    if !apic_active() || !apic::tsc_deadline_supported() || period == 0 {
        return None;
    }
    cpu::without_interrupts(|| {
        apic::start_tsc_deadline(IRQ_BASE + IRQ_TIMER);
        let next = cpu::timestamp() + period;
        NEXT_DEADLINE.store(next, Ordering::Relaxed);
        DEADLINE_PERIOD.store(period, Ordering::Relaxed);
        apic::set_deadline(next);
    });
    Some(format!("timer: APIC TSC-deadline {hz} Hz ({period} TSC cycles a tick)"))
}

/// At each timer interrupt: in TSC-deadline mode, arm the next tick a period
/// after the last one's deadline, or after now if that has passed (ticks
/// missed with interrupts off are not made up; the clocks read the TSC).
pub fn timer_interrupt() {
    let period = DEADLINE_PERIOD.load(Ordering::Relaxed);
    if period == 0 {
        return;
    }
    let now = cpu::timestamp();
    let next = match NEXT_DEADLINE.load(Ordering::Relaxed) + period {
        due if due > now => due,
        _ => now + period,
    };
    NEXT_DEADLINE.store(next, Ordering::Relaxed);
    apic::set_deadline(next);
}

/// The GSI an ISA IRQ arrives on, and whether it is active low and level
/// triggered: the MADT's interrupt source override if there is one (its MPS
/// flags: polarity bits 0-1, 3 = low; trigger bits 2-3, 3 = level; 0 = the ISA
/// bus's own: high, edge), else the same number, high and edge.
fn isa_gsi(madt: &MadtInfo, irq: u8) -> (u32, bool, bool) {
    match madt.overrides.iter().find(|o| o.irq == irq) {
        Some(o) => (o.gsi, o.flags & 3 == 3, (o.flags >> 2) & 3 == 3),
        None => (u32::from(irq), false, false),
    }
}

/// Whether the local APIC is the interrupt controller (MSI works only then).
pub fn apic_active() -> bool {
    APIC.load(Ordering::Relaxed)
}

/// Whether the timer tick must poll COM1 (its interrupt is not routed).
pub fn com1_polled() -> bool {
    POLL_COM1.load(Ordering::Relaxed)
}

/// Whether `irq` is a spurious one of the 8259s (which then needs no handling).
pub fn is_spurious(irq: u8) -> bool {
    !apic_active() && pic::is_spurious(irq)
}

/// Acknowledge `irq` to the controller that delivered it.
pub fn end_of_interrupt(irq: u8) {
    if apic_active() {
        apic::end_of_interrupt();
    } else {
        pic::end_of_interrupt(irq);
    }
}
