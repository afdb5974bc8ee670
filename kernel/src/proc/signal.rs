//! Signals: per-process pending set, mask, actions and alternate stack; sending
//! (kill, faults, the TTY, children's exits); delivery on the way back to user
//! mode, either by default action (terminate, ignore, stop, continue) or through a
//! Linux rt_sigframe to a user handler, which returns through rt_sigreturn.
//!
//! The frame built on the user stack (as Linux x86-64 builds it):
//!
//!     sp + 0      return address: sa_restorer (calls rt_sigreturn)
//!     sp + 8      struct ucontext (flags, link, stack, sigcontext, sigmask)
//!     sp + 312    siginfo_t
//!     (above, 64-byte aligned) the 512-byte fxsave image of the FPU registers
//!
//! The handler starts with rdi = signal, rsi = &siginfo, rdx = &ucontext and
//! rsp = sp, where (sp + 8) is 16-byte aligned, as after a call.
use alloc::collections::BTreeMap;

use kabi::signal::{
    DefaultAction, SA_NODEFER, SA_ONSTACK, SA_RESETHAND, SA_RESTART, SIG_DFL, SIG_IGN, SS_DISABLE, SS_ONSTACK, Signal,
    UNBLOCKABLE_MASK,
};
use kabi::{Errno, SigAction, SigAltStack, SigContext, SigInfo, UContext};

use crate::arch::gdt::{USER_CODE_SELECTOR, USER_DATA_SELECTOR};
use crate::arch::trap::TrapFrame;
use crate::layout::USER_END;
use crate::mm::user;

use super::process::{Pid, Process};

/// Number of signals (1..=64).
pub const SIGNALS: usize = 64;
/// si_code values.
const SI_USER: i32 = 0;
const SI_KERNEL: i32 = 0x80;
/// Bytes of the fxsave image in a frame.
const FPU_STATE_SIZE: u64 = 512;
/// Bytes below the user stack pointer that leaf functions may use (red zone).
const RED_ZONE: u64 = 128;
/// RFLAGS bits user code may change through sigreturn (CF PF AF ZF SF TF DF OF AC RF).
const USER_RFLAGS: u64 = 0x0000_0001 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | 0x4_0000 | 0x1_0000;
const RFLAGS_IF: u64 = 0x200;

/// A process's signal state.
#[derive(Debug, Clone)]
pub struct Signals {
    pub pending: u64,
    pub mask: u64,
    pub actions: [SigAction; SIGNALS],
    pub alt_stack: SigAltStack,
    /// Details of pending signals that carry them (faults, SIGCHLD).
    pub info: BTreeMap<u8, SigInfo>,
    /// The mask to restore when the next handler returns (set by rt_sigsuspend).
    pub saved_mask: Option<u64>,
}

impl Default for Signals {
    fn default() -> Self {
        Self {
            pending: 0,
            mask: 0,
            actions: [SigAction::default(); SIGNALS],
            alt_stack: SigAltStack { ss_flags: SS_DISABLE, ..SigAltStack::default() },
            info: BTreeMap::new(),
            saved_mask: None,
        }
    }
}

fn bit(signal: Signal) -> u64 {
    signal.mask_bit()
}

impl Signals {
    pub fn action(&self, signal: Signal) -> SigAction {
        self.actions[signal as usize - 1]
    }

    /// Whether `signal` would be thrown away on arrival (SIG_IGN, or ignored by
    /// default with no handler).
    pub fn ignores(&self, signal: Signal) -> bool {
        if matches!(signal, Signal::SIGKILL | Signal::SIGSTOP) {
            return false;
        }
        match self.action(signal).sa_handler {
            SIG_IGN => true,
            SIG_DFL => signal.default_action() == DefaultAction::Ignore,
            _ => false,
        }
    }

    /// The next pending, unblocked signal.
    pub fn next_deliverable(&self) -> Option<Signal> {
        let ready = self.pending & (!self.mask | UNBLOCKABLE_MASK);
        (ready != 0).then(|| Signal::from_raw(ready.trailing_zeros() + 1)).flatten()
    }

    /// execve: caught signals go back to their default action; the mask, ignored
    /// signals and pending signals stay (as on Linux).
    pub fn reset_for_exec(&mut self) {
        for action in &mut self.actions {
            if action.sa_handler != SIG_IGN {
                *action = SigAction::default();
            }
        }
        self.alt_stack = SigAltStack { ss_flags: SS_DISABLE, ..SigAltStack::default() };
    }
}

/// Mark `signal` pending on `p` (unless it is ignored), with `info`. Returns
/// whether the process must be woken to notice it.
pub fn post(p: &mut Process, signal: Signal, info: SigInfo) -> bool {
    if signal == Signal::SIGCONT || signal == Signal::SIGKILL {
        p.continue_if_stopped();
    }
    match signal.default_action() {
        DefaultAction::Stop => p.signals.pending &= !bit(Signal::SIGCONT),
        DefaultAction::Continue => {
            let stops = [Signal::SIGSTOP, Signal::SIGTSTP, Signal::SIGTTIN, Signal::SIGTTOU];
            p.signals.pending &= !stops.iter().fold(0, |m, &s| m | bit(s));
        }
        _ => {}
    }
    if p.signals.ignores(signal) {
        return false;
    }
    p.signals.pending |= bit(signal);
    p.signals.info.insert(signal as u8, info);
    p.signals.mask & bit(signal) == 0 || signal == Signal::SIGKILL
}

/// siginfo for a signal sent by process `sender` (kill, the shell).
pub fn user_info(signal: Signal, sender: Pid) -> SigInfo {
    let mut info = SigInfo { si_signo: signal as i32, si_code: SI_USER, ..SigInfo::default() };
    info.fields[0] = u64::from(sender); // si_pid, si_uid 0
    info
}

/// siginfo for a signal the kernel raises (faults carry the address).
pub fn kernel_info(signal: Signal, code: i32, address: u64) -> SigInfo {
    let mut info = SigInfo { si_signo: signal as i32, si_code: code, ..SigInfo::default() };
    info.fields[0] = address;
    info
}

/// siginfo of SIGCHLD for child `pid` that exited (code CLD_EXITED 1, CLD_KILLED
/// 2, CLD_STOPPED 5, CLD_CONTINUED 6) with `status`.
pub fn child_info(pid: Pid, code: i32, status: i32) -> SigInfo {
    let mut info = SigInfo { si_signo: Signal::SIGCHLD as i32, si_code: code, ..SigInfo::default() };
    info.fields[0] = u64::from(pid);
    info.fields[1] = status as u32 as u64;
    info
}

/// A fault's signal must get through: if it is blocked or ignored, the action
/// goes back to default and the signal is unblocked (as Linux's force_sig).
pub fn force(p: &mut Process, signal: Signal, info: SigInfo) {
    let action = p.signals.action(signal);
    if p.signals.mask & bit(signal) != 0 || action.sa_handler == SIG_IGN {
        p.signals.actions[signal as usize - 1] = SigAction::default();
        p.signals.mask &= !bit(signal);
    }
    post(p, signal, info);
}

/// A syscall that a signal interrupted (it returned EINTR), and whether a handler
/// with SA_RESTART may restart it (read, write, wait4, ...) or it restarts only
/// when no handler runs (pause, sigsuspend, poll, nanosleep, as Linux's
/// ERESTARTNOHAND).
#[derive(Debug, Clone, Copy)]
pub struct Restart {
    pub nr: u64,
    pub with_sa_restart: bool,
}

/// What to do with the next deliverable signal.
pub enum Disposition {
    /// Nothing deliverable.
    None,
    /// A signal whose default action is to end the process.
    Terminate(Signal),
    /// A stop signal: the process stops until SIGCONT.
    Stop(Signal),
    /// A handler was set up: the frame now enters it. Carries on checking.
    Handled,
}

/// Take the next deliverable signal of `p` and act on it: ignore it, report a
/// default action to the caller, or build the handler's frame into `frame`.
/// `restart` describes an interrupted syscall.
pub fn deliver_one(p: &mut Process, frame: &mut TrapFrame, restart: Option<Restart>) -> Disposition {
    loop {
        let Some(signal) = p.signals.next_deliverable() else { return Disposition::None };
        p.signals.pending &= !bit(signal);
        let info = p.signals.info.remove(&(signal as u8)).unwrap_or(SigInfo {
            si_signo: signal as i32,
            si_code: SI_KERNEL,
            ..SigInfo::default()
        });
        let action = p.signals.action(signal);
        match action.sa_handler {
            SIG_IGN => {}
            SIG_DFL => match signal.default_action() {
                DefaultAction::Terminate | DefaultAction::CoreDump => return Disposition::Terminate(signal),
                DefaultAction::Stop => return Disposition::Stop(signal),
                DefaultAction::Ignore | DefaultAction::Continue => {}
            },
            handler => {
                if let Some(r) = restart
                    && r.with_sa_restart
                    && action.sa_flags & SA_RESTART != 0
                {
                    rewind_syscall(frame, r.nr);
                }
                return match build_frame(p, frame, signal, action, handler, &info) {
                    Ok(()) => Disposition::Handled,
                    Err(_) => Disposition::Terminate(Signal::SIGSEGV), // no room for the frame
                };
            }
        }
    }
}

/// Make the interrupted `syscall` run again when user mode resumes.
pub fn rewind_syscall(frame: &mut TrapFrame, nr: u64) {
    frame.rip -= 2; // the length of `syscall`
    frame.rax = nr;
}

fn build_frame(
    p: &mut Process,
    frame: &mut TrapFrame,
    signal: Signal,
    action: SigAction,
    handler: u64,
    info: &SigInfo,
) -> Result<(), Errno> {
    let alt = p.signals.alt_stack;
    let on_alt_stack = alt.ss_flags & SS_DISABLE == 0 && (alt.ss_sp..alt.ss_sp + alt.ss_size).contains(&frame.rsp);
    let use_alt = action.sa_flags & SA_ONSTACK != 0 && alt.ss_flags & SS_DISABLE == 0 && !on_alt_stack;
    let top = if use_alt { alt.ss_sp + alt.ss_size } else { frame.rsp.wrapping_sub(RED_ZONE) };
    let fpstate = (top.checked_sub(FPU_STATE_SIZE).ok_or(Errno::EFAULT)?) & !63;
    let frame_size = 8 + UContext::SIZE as u64 + SigInfo::SIZE as u64;
    let sp = ((fpstate.checked_sub(frame_size).ok_or(Errno::EFAULT)?) & !15) - 8;

    let restore_mask = p.signals.saved_mask.take().unwrap_or(p.signals.mask);
    let context = UContext {
        uc_flags: 0,
        uc_link: 0,
        uc_stack: SigAltStack { ss_flags: if on_alt_stack { SS_ONSTACK } else { alt.ss_flags & SS_DISABLE }, ..alt },
        uc_mcontext: SigContext {
            r8: frame.r8,
            r9: frame.r9,
            r10: frame.r10,
            r11: frame.r11,
            r12: frame.r12,
            r13: frame.r13,
            r14: frame.r14,
            r15: frame.r15,
            rdi: frame.rdi,
            rsi: frame.rsi,
            rbp: frame.rbp,
            rbx: frame.rbx,
            rdx: frame.rdx,
            rax: frame.rax,
            rcx: frame.rcx,
            rsp: frame.rsp,
            rip: frame.rip,
            eflags: frame.rflags,
            cs: USER_CODE_SELECTOR,
            ss: USER_DATA_SELECTOR,
            trapno: frame.vector,
            err: frame.error_code,
            oldmask: restore_mask,
            fpstate,
            ..SigContext::default()
        },
        uc_sigmask: restore_mask,
    };
    p.fpu.save();
    {
        let mut memory = p.memory().ok_or(Errno::EFAULT)?;
        let space = &mut memory.space;
        user::copy_to_user(space, fpstate, p.fpu.as_bytes())?;
        user::copy_to_user(space, sp, &action.sa_restorer.to_le_bytes())?;
        user::copy_to_user(space, sp + 8, &context.to_bytes())?;
        user::copy_to_user(space, sp + 8 + UContext::SIZE as u64, &info.to_bytes())?;
    }
    // The handler starts with a clean FPU (MXCSR 0x1f80), as on Linux; the
    // interrupted code's state comes back through the frame.
    *p.fpu = crate::arch::fpu::FpuState::initial();
    p.fpu.restore();

    let mut blocked = action.sa_mask;
    if action.sa_flags & SA_NODEFER == 0 {
        blocked |= bit(signal);
    }
    p.signals.mask = (p.signals.mask | blocked) & !UNBLOCKABLE_MASK;
    if action.sa_flags & SA_RESETHAND != 0 {
        p.signals.actions[signal as usize - 1] = SigAction::default();
    }
    frame.rip = handler;
    frame.rsp = sp;
    frame.rdi = signal as u64;
    frame.rsi = sp + 8 + UContext::SIZE as u64;
    frame.rdx = sp + 8;
    frame.rax = 0;
    frame.rflags &= !(0x400 | 0x100); // DF and TF clear in the handler
    Ok(())
}

/// rt_sigreturn: restore the registers, mask and FPU state saved in the frame at
/// the user stack pointer. A frame with impossible values gets SIGSEGV.
pub fn sigreturn(p: &mut Process, frame: &mut TrapFrame) -> Result<(), Errno> {
    let uc_addr = frame.rsp;
    let mut bytes = [0u8; UContext::SIZE];
    let mut fpu = [0u8; FPU_STATE_SIZE as usize];
    let uc = {
        let mut memory = p.memory().ok_or(Errno::EFAULT)?;
        user::copy_from_user(&mut memory.space, uc_addr, &mut bytes)?;
        let uc = UContext::from_bytes(&bytes);
        if uc.uc_mcontext.fpstate != 0 {
            user::copy_from_user(&mut memory.space, uc.uc_mcontext.fpstate, &mut fpu)?;
        }
        uc
    };
    let m = uc.uc_mcontext;
    if m.rip >= USER_END || m.rsp >= USER_END {
        return Err(Errno::EFAULT);
    }
    if m.fpstate != 0 {
        p.fpu.load_bytes(&fpu).map_err(|_| Errno::EFAULT)?;
        p.fpu.restore();
    }
    *frame = TrapFrame {
        r8: m.r8,
        r9: m.r9,
        r10: m.r10,
        r11: m.r11,
        r12: m.r12,
        r13: m.r13,
        r14: m.r14,
        r15: m.r15,
        rdi: m.rdi,
        rsi: m.rsi,
        rbp: m.rbp,
        rbx: m.rbx,
        rdx: m.rdx,
        rax: m.rax,
        rcx: m.rcx,
        rsp: m.rsp,
        rip: m.rip,
        rflags: (m.eflags & USER_RFLAGS) | RFLAGS_IF,
        cs: USER_CODE_SELECTOR.into(),
        ss: USER_DATA_SELECTOR.into(),
        vector: frame.vector,
        error_code: 0,
    };
    p.signals.mask = uc.uc_sigmask & !UNBLOCKABLE_MASK;
    Ok(())
}
