//! CPUID: the processor's vendor, model name and feature flags, for /proc/cpuinfo
//! and AT_HWCAP.
//! (Not unsafe: every x86-64 CPU has CPUID, as the trampoline checked.)
use alloc::string::String;
use alloc::vec::Vec;
use core::arch::x86_64::{__cpuid, CpuidResult};

fn cpuid(leaf: u32) -> CpuidResult {
    __cpuid(leaf)
}

fn text(words: &[u32]) -> String {
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).filter(|&b| b != 0).collect();
    String::from_utf8_lossy(&bytes).trim().into()
}

pub fn vendor() -> String {
    let r = cpuid(0);
    text(&[r.ebx, r.edx, r.ecx])
}

/// The brand string (leaves 0x8000_0002..4), or "unknown".
pub fn model_name() -> String {
    if cpuid(0x8000_0000).eax < 0x8000_0004 {
        return "unknown".into();
    }
    let words: Vec<u32> = (0x8000_0002..=0x8000_0004u32)
        .flat_map(|leaf| {
            let r = cpuid(leaf);
            [r.eax, r.ebx, r.ecx, r.edx]
        })
        .collect();
    text(&words)
}

/// (family, model, stepping) from leaf 1.
pub fn signature() -> (u32, u32, u32) {
    let eax = cpuid(1).eax;
    let base_family = (eax >> 8) & 0xf;
    let family = if base_family == 0xf { base_family + ((eax >> 20) & 0xff) } else { base_family };
    let model = ((eax >> 4) & 0xf) | if base_family >= 6 { ((eax >> 16) & 0xf) << 4 } else { 0 };
    (family, model, eax & 0xf)
}

/// The feature bits Linux passes as AT_HWCAP on x86: CPUID leaf 1's EDX.
pub fn hwcap() -> u64 {
    u64::from(cpuid(1).edx)
}

/// Linux's names of the leaf-1 EDX/ECX feature bits this CPU has (the common ones).
pub fn flags() -> Vec<&'static str> {
    let r = cpuid(1);
    let edx = [
        (0, "fpu"),
        (4, "tsc"),
        (5, "msr"),
        (6, "pae"),
        (8, "cx8"),
        (9, "apic"),
        (15, "cmov"),
        (19, "clflush"),
        (23, "mmx"),
        (24, "fxsr"),
        (25, "sse"),
        (26, "sse2"),
    ];
    let ecx = [
        (0, "pni"),
        (9, "ssse3"),
        (19, "sse4_1"),
        (20, "sse4_2"),
        (23, "popcnt"),
        (25, "aes"),
        (28, "avx"),
        (30, "rdrand"),
    ];
    let mut out: Vec<&str> = edx.iter().filter(|(bit, _)| r.edx & (1 << bit) != 0).map(|&(_, n)| n).collect();
    out.extend(ecx.iter().filter(|(bit, _)| r.ecx & (1 << bit) != 0).map(|&(_, n)| n));
    if cpuid(0x8000_0001).edx & (1 << 29) != 0 {
        out.push("lm");
    }
    out
}
