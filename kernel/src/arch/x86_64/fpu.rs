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

    /// The fxsave image, as a signal frame stores it.
    pub fn as_bytes(&self) -> &[u8; 512] {
        &self.0
    }

    /// Take an image from user memory (rt_sigreturn), clearing the MXCSR bits the
    /// CPU reserves so fxrstor64 cannot fault.
    pub fn load_bytes(&mut self, image: &[u8; 512]) {
        self.0 = *image;
        let mask = u32::from_le_bytes([image[28], image[29], image[30], image[31]]);
        let mask = if mask == 0 { 0xffbf } else { mask };
        let mxcsr = u32::from_le_bytes([image[24], image[25], image[26], image[27]]) & mask;
        self.0[24..28].copy_from_slice(&mxcsr.to_le_bytes());
    }

    /// Load the CPU's FPU/SSE registers from here.
    pub fn restore(&self) {
        // SAFETY: the buffer holds a state written by fxsave64 (or the initial one),
        // so its reserved MXCSR bits are clear.
        unsafe { core::arch::asm!("fxrstor64 [{}]", in(reg) self.0.as_ptr(), options(nostack)) };
    }
}
