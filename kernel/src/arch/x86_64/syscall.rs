//! System-call entry: the MSRs that route `syscall` to trap.S's entry, and the per-CPU
//! block (reached through GS after swapgs) holding the kernel stack to switch to.
use core::mem::offset_of;

use x86_64::VirtAddr;
use x86_64::registers::model_specific::{Efer, EferFlags, GsBase, KernelGsBase, LStar, SFMask, Star};
use x86_64::registers::rflags::RFlags;

use super::gdt;
use super::trap::TrapFrame;

/// The TrapFrame vector value that marks a system call.
pub const SYSCALL_VECTOR: u64 = 0x80;

/// Per-CPU data; GS points here while in the kernel.
#[repr(C)]
#[derive(Debug)]
struct PerCpu {
    /// Top of the running process's kernel stack (also TSS.RSP0).
    kernel_rsp: u64,
    /// Scratch: the user RSP while the entry builds the frame.
    user_rsp: u64,
}

static mut PER_CPU: PerCpu = PerCpu { kernel_rsp: 0, user_rsp: 0 };

/// Offsets in the per-CPU block for trap.S's syscall entry.
pub(super) const PERCPU_USER_RSP: usize = offset_of!(PerCpu, user_rsp);
pub(super) const PERCPU_KERNEL_RSP: usize = offset_of!(PerCpu, kernel_rsp);

unsafe extern "C" {
    fn syscall_entry();
}

/// Program STAR, LSTAR, FMASK and EFER.SCE, and point GS at the per-CPU block.
pub fn init() {
    let s = gdt::selectors();
    Star::write(s.user_code, s.user_data, s.kernel_code, s.kernel_data).expect("GDT order suits syscall/sysret");
    LStar::write(VirtAddr::new(syscall_entry as *const () as usize as u64));
    SFMask::write(RFlags::INTERRUPT_FLAG | RFlags::DIRECTION_FLAG | RFlags::TRAP_FLAG | RFlags::ALIGNMENT_CHECK);
    // SAFETY: SCE only enables the syscall instruction, whose target is set above.
    unsafe { Efer::update(|f| f.insert(EferFlags::SYSTEM_CALL_EXTENSIONS)) };
    // In the kernel GS holds the per-CPU block; swapgs exchanges it with the user's
    // GS base (KernelGsBase) on every entry and exit.
    GsBase::write(VirtAddr::new((&raw const PER_CPU) as u64));
    KernelGsBase::write(VirtAddr::new(0));
}

/// Set the kernel stack used on the next entry from user mode (syscall and traps).
pub fn set_kernel_stack(top: u64) {
    // SAFETY: a single aligned store; the syscall entry reads it only while this CPU
    // runs user code, never concurrently with this call.
    unsafe { PER_CPU.kernel_rsp = top };
    gdt::set_kernel_stack(top);
}

#[unsafe(no_mangle)]
extern "C" fn syscall_dispatch(frame: &mut TrapFrame) {
    let restart = crate::syscall::handle(frame);
    crate::proc::on_return_to_user(frame, restart);
}
