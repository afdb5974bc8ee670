//! FPU/SSE: enabled at boot (Rust std programs use SSE), and each process's state
//! saved and restored with fxsave64/fxrstor64 on every switch. The kernel itself is
//! soft-float and never touches these registers.
use x86_64::registers::control::{Cr0, Cr0Flags, Cr4, Cr4Flags};

/// The 512-byte fxsave area.
#[repr(C, align(16))]
#[derive(Clone)]
pub struct FpuState([u8; 512]);

impl core::fmt::Debug for FpuState {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("FpuState")
    }
}

static INITIAL: spin::Once<FpuState> = spin::Once::new();

/// Turn on SSE (CR0.MP, no CR0.EM, CR4.OSFXSR and OSXMMEXCPT) and record the
/// clean state new processes start with.
pub fn init() {
    // SAFETY: the flags enable the FPU and SSE as the System V ABI expects; no FPU
    // state exists yet that could be lost.
    unsafe {
        Cr0::update(|f| {
            f.remove(Cr0Flags::EMULATE_COPROCESSOR | Cr0Flags::TASK_SWITCHED);
            f.insert(Cr0Flags::MONITOR_COPROCESSOR);
        });
        Cr4::update(|f| f.insert(Cr4Flags::OSFXSR | Cr4Flags::OSXMMEXCPT_ENABLE));
    }
    INITIAL.call_once(|| {
        let mut state = FpuState([0; 512]);
        let mxcsr: u32 = 0x1f80; // all exceptions masked, round to nearest
        // SAFETY: fninit resets the x87 unit; ldmxcsr loads a valid MXCSR; fxsave64
        // writes 512 bytes into the 16-byte-aligned buffer.
        unsafe {
            core::arch::asm!("fninit", "ldmxcsr [{m}]", "fxsave64 [{s}]", m = in(reg) &mxcsr, s = in(reg) state.0.as_mut_ptr());
        }
        state
    });
}

impl FpuState {
    /// The state of a fresh process.
    pub fn initial() -> Self {
        INITIAL.get().expect("fpu::init runs first").clone()
    }

    /// Save the CPU's FPU/SSE registers here.
    pub fn save(&mut self) {
        // SAFETY: writes 512 bytes into this aligned buffer.
        unsafe { core::arch::asm!("fxsave64 [{}]", in(reg) self.0.as_mut_ptr(), options(nostack)) };
    }

    /// Load the CPU's FPU/SSE registers from here.
    pub fn restore(&self) {
        // SAFETY: the buffer holds a state written by fxsave64 (or the initial one),
        // so its reserved MXCSR bits are clear.
        unsafe { core::arch::asm!("fxrstor64 [{}]", in(reg) self.0.as_ptr(), options(nostack)) };
    }
}
