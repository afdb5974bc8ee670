//! FPU/SSE: enabled at boot (Rust std programs use SSE), and each process's state
//! saved and restored with fxsave64/fxrstor64 on every switch. The kernel itself is
//! soft-float and never touches these registers.
use x86_64::registers::control::{Cr0, Cr0Flags, Cr4, Cr4Flags};

/// An FPU image the CPU would refuse (reserved MXCSR bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidFpuState;

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

/// Offsets of MXCSR and MXCSR_MASK in the fxsave image.
const MXCSR_AT: usize = 24;
const MXCSR_MASK_AT: usize = 28;
/// The mask to assume when the CPU reports 0 (Intel SDM: 0xffbf).
const DEFAULT_MXCSR_MASK: u32 = 0xffbf;

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

    /// The CPU's FPU/SSE registers as they are now (a signal frame's image).
    pub fn of_cpu() -> Self {
        let mut state = core::mem::MaybeUninit::<Self>::uninit();
        // SAFETY: fxsave64 writes all 512 bytes of the 16-byte-aligned buffer, so it
        // then holds an initialized FpuState.
        unsafe {
            core::arch::asm!("fxsave64 [{}]", in(reg) state.as_mut_ptr(), options(nostack));
            state.assume_init()
        }
    }

    /// Load the state of a fresh process into the CPU (a signal handler starts
    /// with it).
    pub fn restore_initial() {
        INITIAL.get().expect("fpu::init runs first").restore();
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

    /// The state of an image from user memory (rt_sigreturn). An MXCSR with bits the
    /// CPU reserves (outside its own MXCSR_MASK, recorded by the boot-time fxsave,
    /// never the image's mask field, which the user wrote) would make fxrstor64
    /// fault in the kernel: such an image is refused (Linux then kills with
    /// SIGSEGV), and nothing changes.
    pub fn from_image(image: &[u8; 512]) -> Result<Self, InvalidFpuState> {
        let initial = INITIAL.get().expect("fpu::init runs first");
        let cpu_mask: [u8; 4] = [0, 1, 2, 3].map(|i| initial.0[MXCSR_MASK_AT + i]);
        let mask = match u32::from_le_bytes(cpu_mask) {
            0 => DEFAULT_MXCSR_MASK,
            m => m,
        };
        let mxcsr = u32::from_le_bytes([0, 1, 2, 3].map(|i| image[MXCSR_AT + i]));
        if mxcsr & !mask != 0 {
            return Err(InvalidFpuState);
        }
        Ok(Self(*image))
    }

    /// Load the CPU's FPU/SSE registers from here.
    pub fn restore(&self) {
        // SAFETY: the buffer holds a state written by fxsave64 (or the initial one),
        // so its reserved MXCSR bits are clear.
        unsafe { core::arch::asm!("fxrstor64 [{}]", in(reg) self.0.as_ptr(), options(nostack)) };
    }
}
