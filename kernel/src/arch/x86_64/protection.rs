//! CPU protections of the kernel against user memory, turned on where the CPU has
//! them: SMEP (no kernel execution of user pages), SMAP (no kernel data access to
//! user pages) and UMIP (no sgdt/sidt/sldt/smsw/str in user mode); NX is on from
//! the trampoline. User access is opened only inside the copies of
//! `user_copy.rs` (`stac`/`clac`); any other kernel touch of a user address is a
//! bug and faults with a report.
use core::arch::x86_64::__cpuid_count;

use x86_64::registers::control::{Cr4, Cr4Flags};

/// CPUID leaf 7 (structured extended features), subleaf 0.
const LEAF_EXTENDED_FEATURES: u32 = 7;
const EBX_SMEP: u32 = 1 << 7;
const EBX_SMAP: u32 = 1 << 20;
const ECX_UMIP: u32 = 1 << 2;

/// Turn on what the CPU supports; returns the names of what is on.
pub fn enable() -> [Option<&'static str>; 3] {
    if core::arch::x86_64::__cpuid(0).eax < LEAF_EXTENDED_FEATURES {
        return [None; 3];
    }
    let leaf = __cpuid_count(LEAF_EXTENDED_FEATURES, 0);
    let wanted = [
        (leaf.ebx & EBX_SMEP != 0, Cr4Flags::SUPERVISOR_MODE_EXECUTION_PROTECTION, "SMEP"),
        (leaf.ebx & EBX_SMAP != 0, Cr4Flags::SUPERVISOR_MODE_ACCESS_PREVENTION, "SMAP"),
        (leaf.ecx & ECX_UMIP != 0, Cr4Flags::USER_MODE_INSTRUCTION_PREVENTION, "UMIP"),
    ];
    let mut on = [None; 3];
    for (i, (supported, flag, name)) in wanted.into_iter().enumerate() {
        if supported {
            // SAFETY: the kernel never executes user pages, reads them only in
            // user_copy.rs's copies (which open access while SMAP is on), and
            // never runs the instructions UMIP restricts from user mode, so these
            // bits only turn kernel bugs into faults.
            unsafe { Cr4::update(|f| f.insert(flag)) };
            if flag == Cr4Flags::SUPERVISOR_MODE_ACCESS_PREVENTION {
                super::user_copy::smap_enabled();
            }
            on[i] = Some(name);
        }
    }
    on
}

/// Whether SMAP is on (a kernel-mode fault on a user page is then reported as such).
pub fn smap_enabled() -> bool {
    Cr4::read().contains(Cr4Flags::SUPERVISOR_MODE_ACCESS_PREVENTION)
}
