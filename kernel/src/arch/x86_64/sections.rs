//! The kernel image's sections, from the symbols targets/kernel.ld defines.
use core::ops::Range;

unsafe extern "C" {
    static __text_start: u8;
    static __text_end: u8;
    static __rodata_start: u8;
    static __rodata_end: u8;
    static __data_start: u8;
    static __data_end: u8;
    static __kernel_phys_start: u8;
    static __kernel_phys_end: u8;
}

/// Virtual address ranges of the kernel's parts, each page aligned.
#[derive(Debug, Clone)]
pub struct KernelSections {
    pub text: Range<u64>,
    pub rodata: Range<u64>,
    /// .data and .bss (including the boot stacks and their guard pages).
    pub data: Range<u64>,
    /// Physical range GRUB loaded the whole image into (boot code included).
    pub phys: Range<u64>,
}

pub fn kernel_sections() -> KernelSections {
    KernelSections {
        text: (&raw const __text_start) as u64..(&raw const __text_end) as u64,
        rodata: (&raw const __rodata_start) as u64..(&raw const __rodata_end) as u64,
        data: (&raw const __data_start) as u64..(&raw const __data_end) as u64,
        phys: (&raw const __kernel_phys_start) as u64..(&raw const __kernel_phys_end) as u64,
    }
}
