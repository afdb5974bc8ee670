//! The boot CPU's local APIC: xAPIC through its register page (mmio.rs),
//! or x2APIC through MSRs when CPUID offers it; the spurious vector, EOI, the
//! LINT pins, and the timer (counted down once to calibrate it, then periodic,
//! or in TSC-deadline mode where the CPU has it).
use core::arch::x86_64::__cpuid;

use spin::Once;
use x86_64::registers::model_specific::Msr;

use super::mmio::Mmio;

const IA32_APIC_BASE: u32 = 0x1b;
const IA32_TSC_DEADLINE: u32 = 0x6e0;
const BASE_ENABLE: u64 = 1 << 11;
const BASE_X2APIC: u64 = 1 << 10;
/// The first x2APIC register MSR; register `offset` of the xAPIC page is MSR
/// `X2APIC_MSR_BASE + offset / 16`.
const X2APIC_MSR_BASE: u32 = 0x800;

/// Register offsets in the xAPIC page.
const ID: u32 = 0x20;
const TPR: u32 = 0x80;
const EOI: u32 = 0xb0;
const SVR: u32 = 0xf0;
const ESR: u32 = 0x280;
const LVT_TIMER: u32 = 0x320;
const LVT_LINT0: u32 = 0x350;
const LVT_LINT1: u32 = 0x360;
const LVT_ERROR: u32 = 0x370;
const TIMER_INITIAL: u32 = 0x380;
const TIMER_CURRENT: u32 = 0x390;
const TIMER_DIVIDE: u32 = 0x3e0;

const SVR_ENABLE: u32 = 1 << 8;
const LVT_MASKED: u32 = 1 << 16;
const LVT_NMI: u32 = 0b100 << 8;
const LVT_EXTINT: u32 = 0b111 << 8;
const TIMER_PERIODIC: u32 = 1 << 17;
const TIMER_TSC_DEADLINE: u32 = 2 << 17;
/// Timer divide configuration 0b0011: the bus clock divided by 16.
const DIVIDE_BY_16: u32 = 0b0011;

/// The vector of the APIC's spurious interrupts (its low four bits set, as the
/// P6 family's APIC requires); the handler sends no EOI.
pub const SPURIOUS_VECTOR: u8 = 63;

#[derive(Debug)]
enum Mode {
    /// The register page, mapped.
    XApic(Mmio),
    X2Apic,
}

static MODE: Once<Mode> = Once::new();

/// The mode chosen and this CPU's APIC id.
#[derive(Debug, Clone, Copy)]
pub struct LocalApic {
    pub x2apic: bool,
    pub id: u32,
}

/// Whether CPUID says this CPU has a local APIC.
pub fn present() -> bool {
    __cpuid(1).edx & (1 << 9) != 0
}

/// Whether the timer has TSC-deadline mode (CPUID leaf 1, ECX bit 24).
pub fn tsc_deadline_supported() -> bool {
    __cpuid(1).ecx & (1 << 24) != 0
}

fn x2apic_supported() -> bool {
    __cpuid(1).ecx & (1 << 21) != 0
}

fn read(reg: u32) -> u32 {
    match MODE.get() {
        Some(Mode::XApic(page)) => page.read32(u64::from(reg)),
        // SAFETY: x2APIC mode is on (init), so the register MSRs exist.
        Some(Mode::X2Apic) => unsafe { Msr::new(X2APIC_MSR_BASE + reg / 16).read() as u32 },
        None => 0,
    }
}

fn write(reg: u32, value: u32) {
    match MODE.get() {
        Some(Mode::XApic(page)) => page.write32(u64::from(reg), value),
        // SAFETY: as in `read`; the writes program this CPU's own APIC.
        Some(Mode::X2Apic) => unsafe { Msr::new(X2APIC_MSR_BASE + reg / 16).write(u64::from(value)) },
        None => {}
    }
}

/// Enable the boot CPU's local APIC (x2APIC mode if CPUID has it, else xAPIC at
/// `phys`, the MADT's address): LINT0 (the 8259's ExtINT) masked, LINT1 NMI, the
/// timer and error entries masked, the spurious vector set and software enable
/// on. None if the CPU has no APIC or the page cannot be mapped.
pub fn init(phys: u64) -> Option<LocalApic> {
    if !present() {
        return None;
    }
    let mut base_msr = Msr::new(IA32_APIC_BASE);
    // SAFETY: IA32_APIC_BASE exists on every CPU with an APIC (CPUID above).
    let base = unsafe { base_msr.read() };
    let x2apic = x2apic_supported();
    let mode = if x2apic {
        // SAFETY: enabling x2APIC mode (from xAPIC or disabled, both allowed
        // transitions) is what CPUID advertises; nothing else uses the APIC yet.
        unsafe { base_msr.write(base | BASE_ENABLE | BASE_X2APIC) };
        Mode::X2Apic
    } else {
        if base & BASE_ENABLE == 0 {
            // SAFETY: as above, enabling xAPIC mode.
            unsafe { base_msr.write(base | BASE_ENABLE) };
        }
        Mode::XApic(Mmio::map(phys, 4096)?)
    };
    MODE.call_once(|| mode);
    write(TPR, 0);
    write(LVT_TIMER, LVT_MASKED);
    write(LVT_LINT0, LVT_MASKED);
    write(LVT_LINT1, LVT_NMI);
    write(LVT_ERROR, LVT_MASKED);
    write(ESR, 0);
    write(ESR, 0);
    write(SVR, SVR_ENABLE | u32::from(SPURIOUS_VECTOR));
    end_of_interrupt();
    let id = if x2apic { read(ID) } else { read(ID) >> 24 };
    Some(LocalApic { x2apic, id })
}

/// Acknowledge the interrupt in service.
pub fn end_of_interrupt() {
    write(EOI, 0);
}

/// Start the timer counting down once from its maximum (masked, bus clock / 16),
/// for `timer_elapsed` to measure against a reference clock.
pub fn start_countdown() {
    write(LVT_TIMER, LVT_MASKED);
    write(TIMER_DIVIDE, DIVIDE_BY_16);
    write(TIMER_INITIAL, u32::MAX);
}

/// Timer counts since `start_countdown`.
pub fn timer_elapsed() -> u64 {
    u64::from(u32::MAX - read(TIMER_CURRENT))
}

/// Interrupt on `vector` every `count` timer counts (bus clock / 16).
pub fn start_periodic(vector: u8, count: u32) {
    write(TIMER_DIVIDE, DIVIDE_BY_16);
    write(LVT_TIMER, TIMER_PERIODIC | u32::from(vector));
    write(TIMER_INITIAL, count.max(1));
}

/// Switch the timer to TSC-deadline mode on `vector`: it interrupts once the
/// TSC reaches the value `set_deadline` writes (none is set yet).
pub fn start_tsc_deadline(vector: u8) {
    write(TIMER_INITIAL, 0);
    write(LVT_TIMER, TIMER_TSC_DEADLINE | u32::from(vector));
    // The SDM asks the deadline MSR write to follow the LVT write; in xAPIC
    // mode that is a memory write, which WRMSR does not wait for.
    core::sync::atomic::fence(core::sync::atomic::Ordering::SeqCst);
}

/// Interrupt when the TSC reaches `tsc` (TSC-deadline mode; 0 disarms).
pub fn set_deadline(tsc: u64) {
    // SAFETY: IA32_TSC_DEADLINE exists when CPUID says TSC-deadline mode does
    // (the only mode this is called in); writing it arms this CPU's timer.
    unsafe { Msr::new(IA32_TSC_DEADLINE).write(tsc) }
}

/// Give up the APIC as the controller after `init`: the timer masked and LINT0
/// back to ExtINT (virtual wire), so the 8259's interrupts reach the CPU again.
pub fn virtual_wire() {
    write(LVT_TIMER, LVT_MASKED);
    write(LVT_LINT0, LVT_EXTINT);
}
