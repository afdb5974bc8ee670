//! Deliberate faults for the boot tests' failure-report modes (`test=...`).

/// Read a byte at `addr` (to provoke a page fault).
pub fn read_address(addr: u64) -> u8 {
    // SAFETY: not safe at all: the test wants the fault this read causes.
    unsafe { (addr as *const u8).read_volatile() }
}

/// Write a byte at `addr` (to provoke a protection fault).
pub fn write_address(addr: u64, value: u8) {
    // SAFETY: as above; the fault is the point.
    unsafe { (addr as *mut u8).write_volatile(value) }
}

/// Execute `ud2` (invalid opcode).
pub fn invalid_opcode() {
    // SAFETY: raises #UD, which the exception handler reports.
    unsafe { core::arch::asm!("ud2") }
}

/// Recurse until the stack runs into its guard page.
#[allow(unconditional_recursion)]
pub fn overflow_stack(depth: u64) -> u64 {
    let mut frame = [0u8; 512];
    frame[(depth % 512) as usize] = depth as u8;
    // black_box keeps the frame and the recursion from being optimised away.
    let inner = overflow_stack(core::hint::black_box(depth + 1));
    core::hint::black_box(&frame)[0] as u64 + inner
}
