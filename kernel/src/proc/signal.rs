//! Signals: per-thread pending set, mask and alternate stack, handlers shared by
//! the threads of a process, process-directed signals pending in its thread
//! group; sending
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
use alloc::sync::Arc;

use kabi::signal::{
    DefaultAction, SA_NODEFER, SA_ONSTACK, SA_RESETHAND, SA_RESTART, SIG_DFL, SIG_IGN, SS_DISABLE, SS_ONSTACK, Signal,
    UNBLOCKABLE_MASK,
};
use kabi::{Errno, SigAction, SigAltStack, SigContext, SigInfo, UContext};
use spin::Mutex;

use crate::arch::fpu::FpuState;
use crate::arch::gdt::{USER_CODE_SELECTOR, USER_DATA_SELECTOR};
use crate::arch::trap::TrapFrame;
use crate::fs::signalfd;
use crate::layout::USER_END;
use crate::mm::user;
use crate::task::scheduler as task;

use super::pending::Pending;
use super::process::{Pid, Process};

/// Number of signals (1..=64).
pub const SIGNALS: usize = 64;
/// si_code values.
const SI_USER: i32 = 0;
/// Bytes of the fxsave image in a frame.
const FPU_STATE_SIZE: u64 = 512;
/// Bytes below the user stack pointer that leaf functions may use (red zone).
const RED_ZONE: u64 = 128;
/// RFLAGS bits user code may change through sigreturn (CF PF AF ZF SF TF DF OF AC RF).
const USER_RFLAGS: u64 = 0x0000_0001 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | 0x4_0000 | 0x1_0000;
const RFLAGS_IF: u64 = 0x200;

/// Whether `action` for `signal` ignores it (SIG_IGN, or SIG_DFL where the
/// default is to ignore; never SIGKILL or SIGSTOP).
pub fn action_ignores(action: &SigAction, signal: Signal) -> bool {
    if matches!(signal, Signal::SIGKILL | Signal::SIGSTOP) {
        return false;
    }
    match action.sa_handler {
        SIG_IGN => true,
        SIG_DFL => signal.default_action() == DefaultAction::Ignore,
        _ => false,
    }
}

/// The signal handlers (actions) of a process: shared by CLONE_SIGHAND tasks.
pub type Handlers = Arc<Mutex<[SigAction; SIGNALS]>>;

/// A thread's signal state.
#[derive(Debug)]
pub struct Signals {
    /// Signals sent to this thread (tgkill, faults); those sent to the process
    /// wait in its `ThreadGroup`.
    pub pending: Pending,
    pub mask: u64,
    handlers: Handlers,
    pub alt_stack: SigAltStack,
    /// The mask to restore when the next handler returns (set by rt_sigsuspend).
    pub saved_mask: Option<u64>,
}

impl Default for Signals {
    fn default() -> Self {
        Self {
            pending: Pending::default(),
            mask: 0,
            handlers: Arc::new(Mutex::new([SigAction::default(); SIGNALS])),
            alt_stack: SigAltStack { ss_flags: SS_DISABLE, ..SigAltStack::default() },
            saved_mask: None,
        }
    }
}

fn bit(signal: Signal) -> u64 {
    signal.mask_bit()
}

impl Signals {
    pub fn action(&self, signal: Signal) -> SigAction {
        self.action_of(signal as u32)
    }

    /// The action for signal `number` (1..=64, real-time ones included).
    pub fn action_of(&self, number: u32) -> SigAction {
        self.handlers.lock()[number as usize - 1]
    }

    /// Change the action for `signal` (for every task sharing the handlers).
    pub fn set_action(&self, signal: Signal, action: SigAction) {
        self.replace_action_of(signal as u32, action);
    }

    /// Change the action for signal `number` (1..=64) and return the old one,
    /// under one lock.
    pub fn replace_action_of(&self, number: u32, action: SigAction) -> SigAction {
        core::mem::replace(&mut self.handlers.lock()[number as usize - 1], action)
    }

    /// A new task's signal state: the caller's mask; its handlers shared
    /// (CLONE_SIGHAND) or copied; nothing pending. A thread sharing the
    /// caller's memory starts without an alternate stack, as on Linux.
    pub fn for_child(&self, share_handlers: bool, share_memory: bool) -> Self {
        let handlers = if share_handlers { self.handlers.clone() } else { Arc::new(Mutex::new(*self.handlers.lock())) };
        let alt_stack =
            if share_memory { SigAltStack { ss_flags: SS_DISABLE, ..SigAltStack::default() } } else { self.alt_stack };
        Self { pending: Pending::default(), mask: self.mask, handlers, alt_stack, saved_mask: None }
    }

    /// Whether `signal` would be thrown away on arrival (SIG_IGN, or ignored by
    /// default with no handler).
    pub fn ignores(&self, signal: Signal) -> bool {
        action_ignores(&self.action(signal), signal)
    }

    /// The first signal of `pending` this thread does not block.
    pub fn first_unblocked(&self, pending: u64) -> Option<Signal> {
        let ready = pending & (!self.mask | UNBLOCKABLE_MASK);
        (ready != 0).then(|| Signal::from_raw(ready.trailing_zeros() + 1)).flatten()
    }

    /// execve: the handlers become the process's own (no longer shared), caught
    /// signals go back to their default action; the mask, ignored signals and
    /// pending signals stay (as on Linux).
    pub fn reset_for_exec(&mut self) {
        let mut actions = *self.handlers.lock();
        for action in &mut actions {
            if action.sa_handler != SIG_IGN {
                *action = SigAction::default();
            }
        }
        self.handlers = Arc::new(Mutex::new(actions));
        self.alt_stack = SigAltStack { ss_flags: SS_DISABLE, ..SigAltStack::default() };
    }
}

/// The next signal `p` would act on: its own pending ones first, then those sent
/// to its process, that it does not block.
pub fn next_deliverable(p: &Process) -> Option<Signal> {
    p.signals.first_unblocked(p.signals.pending.set()).or_else(|| p.signals.first_unblocked(p.group().pending.set()))
}

/// Signals pending for `p` (its own and its process's).
pub fn pending_set(p: &Process) -> u64 {
    p.signals.pending.set() | p.group().pending.set()
}

/// Take the lowest pending signal of `p` in `mask`, its own before its
/// process's (Linux's dequeue_signal), with its details.
pub fn take_pending(p: &mut Process, mask: u64) -> Option<SigInfo> {
    p.signals.pending.take(mask).or_else(|| p.group().pending.take(mask))
}

/// Mark `signal` pending on `p` (unless `discards` says it goes), with `info`,
/// and wake signalfd readers. If it can be delivered, the task's
/// signal-pending flag is set (which wakes it from a blocking wait). Returns
/// whether it was.
pub fn post(p: &mut Process, signal: Signal, info: SigInfo) -> bool {
    if signal == Signal::SIGCONT || signal == Signal::SIGKILL {
        p.continue_if_stopped();
    }
    let cancelled = cancelled_by(signal);
    p.signals.pending.discard(cancelled);
    p.group().pending.discard(cancelled);
    if discards(p, signal) {
        return false;
    }
    p.signals.pending.add(signal, info);
    signalfd::signal_posted();
    let deliverable = p.signals.mask & bit(signal) == 0 || signal == Signal::SIGKILL;
    if deliverable {
        task::set_signal_pending(p.pid, true);
    }
    deliverable
}

/// Whether `signal` is thrown away on arrival at `p`: ignored and not blocked
/// (a blocked signal stays pending, as on Linux, for a signalfd to read or
/// until the action changes).
fn discards(p: &Process, signal: Signal) -> bool {
    p.signals.ignores(signal) && p.signals.mask & bit(signal) == 0
}

/// The pending signals a new `signal` cancels: a stop cancels SIGCONT, SIGCONT
/// cancels the stops.
fn cancelled_by(signal: Signal) -> u64 {
    match signal.default_action() {
        DefaultAction::Stop => bit(Signal::SIGCONT),
        DefaultAction::Continue => {
            [Signal::SIGSTOP, Signal::SIGTSTP, Signal::SIGTTIN, Signal::SIGTTOU].iter().fold(0, |m, &s| m | bit(s))
        }
        _ => 0,
    }
}

/// Mark `signal`, sent to the process `p` belongs to, pending in its thread
/// group (unless `discards` says it goes), with `info`, and wake signalfd
/// readers; `receiver` is a thread of the group that does not block it (if
/// any), whose signal-pending flag is set. SIGKILL, SIGSTOP and SIGCONT are
/// posted to every thread instead (kill does so).
pub fn post_to_group(p: &mut Process, receiver: Option<Pid>, signal: Signal, info: SigInfo) {
    let mut group = p.group();
    group.pending.discard(cancelled_by(signal));
    if discards(p, signal) {
        return;
    }
    group.pending.add(signal, info);
    signalfd::signal_posted();
    if let Some(tid) = receiver {
        task::set_signal_pending(tid, true);
    }
}

/// siginfo for a signal sent by process `sender` run by real uid `uid` (kill,
/// the shell).
pub fn user_info(signal: Signal, sender: Pid, uid: u32) -> SigInfo {
    let mut info = SigInfo { si_signo: signal as i32, si_code: SI_USER, ..SigInfo::default() };
    info.fields[0] = u64::from(sender) | (u64::from(uid) << 32); // si_pid, si_uid
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
        p.signals.set_action(signal, SigAction::default());
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
    /// A handler is to run: the mask changed; the caller stores its frame and
    /// enters it (`SignalFrame::enter`). Carries on checking.
    Handled(SignalFrame),
}

/// A handler about to be entered: what the process state gave under the process
/// table's lock (the mask changed already). `enter` then stores the frame on the
/// user stack and points the registers at the handler, after the lock: the copies
/// may map stack pages in, which sleeps.
pub struct SignalFrame {
    signal: Signal,
    action: SigAction,
    info: SigInfo,
    /// The mask the handler's return restores.
    restore_mask: u64,
    alt: SigAltStack,
}

impl SignalFrame {
    /// Store the frame (the FPU image at its 64-byte aligned top, below it the
    /// restorer as the handler's return address, the ucontext and the siginfo)
    /// and enter the handler: EFAULT, with `frame` unchanged, if the stack
    /// cannot take it.
    pub fn enter(&self, frame: &mut TrapFrame) -> Result<(), Errno> {
        let alt = self.alt;
        let on_alt_stack = alt.ss_flags & SS_DISABLE == 0 && (alt.ss_sp..alt.ss_sp + alt.ss_size).contains(&frame.rsp);
        let use_alt = self.action.sa_flags & SA_ONSTACK != 0 && alt.ss_flags & SS_DISABLE == 0 && !on_alt_stack;
        let top = if use_alt { alt.ss_sp + alt.ss_size } else { frame.rsp.wrapping_sub(RED_ZONE) };
        let fpstate = (top.checked_sub(FPU_STATE_SIZE).ok_or(Errno::EFAULT)?) & !63;
        let sp = ((fpstate.checked_sub(SIGNAL_RECORD_SIZE as u64).ok_or(Errno::EFAULT)?) & !15) - 8;
        let context = UContext {
            uc_flags: 0,
            uc_link: 0,
            uc_stack: SigAltStack {
                ss_flags: if on_alt_stack { SS_ONSTACK } else { alt.ss_flags & SS_DISABLE },
                ..alt
            },
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
                oldmask: self.restore_mask,
                fpstate,
                ..SigContext::default()
            },
            uc_sigmask: self.restore_mask,
        };
        // The kernel never touches the FPU: its registers are the task's own
        // (the scheduler saves them when it switches away).
        user::write_loaded(fpstate, FpuState::of_cpu().as_bytes())?;
        let context_at = sp + 8;
        user::write_loaded(sp, &self.action.sa_restorer.to_le_bytes())?;
        user::write_loaded(context_at, context.as_bytes())?;
        user::write_loaded(context_at + UContext::SIZE as u64, self.info.as_bytes())?;
        // The handler starts with a clean FPU (MXCSR 0x1f80), as on Linux; the
        // interrupted code's state comes back through the frame.
        FpuState::restore_initial();
        frame.rip = self.action.sa_handler;
        frame.rsp = sp;
        frame.rdi = self.signal as u64;
        frame.rsi = context_at + UContext::SIZE as u64;
        frame.rdx = context_at;
        frame.rax = 0;
        frame.rflags &= !(0x400 | 0x100); // DF and TF clear in the handler
        Ok(())
    }
}

/// Take the next deliverable signal of `p` and act on it: ignore it, report a
/// default action to the caller, or build the handler's frame into `frame`.
/// `restart` describes an interrupted syscall.
pub fn deliver_one(p: &mut Process, frame: &mut TrapFrame, restart: Option<Restart>) -> Disposition {
    loop {
        let Some((signal, info)) = next_deliverable(p).and_then(|s| Some((s, take_pending(p, bit(s))?))) else {
            // No handler runs: a mask set for a wait (sigsuspend, pselect6)
            // goes back now instead of when a handler returns.
            if let Some(mask) = p.signals.saved_mask.take() {
                p.signals.mask = mask;
            }
            return Disposition::None;
        };
        let action = p.signals.action(signal);
        match action.sa_handler {
            SIG_IGN => {}
            SIG_DFL => match signal.default_action() {
                DefaultAction::Terminate | DefaultAction::CoreDump => return Disposition::Terminate(signal),
                DefaultAction::Stop => return Disposition::Stop(signal),
                DefaultAction::Ignore | DefaultAction::Continue => {}
            },
            _ => {
                if let Some(r) = restart
                    && r.with_sa_restart
                    && action.sa_flags & SA_RESTART != 0
                {
                    rewind_syscall(frame, r.nr);
                }
                return Disposition::Handled(prepare_frame(p, signal, action, info));
            }
        }
    }
}

/// Make the interrupted `syscall` run again when user mode resumes.
pub fn rewind_syscall(frame: &mut TrapFrame, nr: u64) {
    frame.rip -= 2; // the length of `syscall`
    frame.rax = nr;
}

/// What a signal frame holds below its FPU state: the restorer as the handler's
/// return address, the ucontext, the siginfo.
const SIGNAL_RECORD_SIZE: usize = 8 + UContext::SIZE + SigInfo::SIZE;

/// The process-state side of entering the handler of `signal`: the mask the
/// handler runs with, SA_RESETHAND; the frame is stored by `SignalFrame::enter`.
fn prepare_frame(p: &mut Process, signal: Signal, action: SigAction, info: SigInfo) -> SignalFrame {
    let restore_mask = p.signals.saved_mask.take().unwrap_or(p.signals.mask);
    let mut blocked = action.sa_mask;
    if action.sa_flags & SA_NODEFER == 0 {
        blocked |= bit(signal);
    }
    p.signals.mask = (p.signals.mask | blocked) & !UNBLOCKABLE_MASK;
    if action.sa_flags & SA_RESETHAND != 0 {
        p.signals.set_action(signal, SigAction::default());
    }
    SignalFrame { signal, action, info, restore_mask, alt: p.signals.alt_stack }
}

/// rt_sigreturn's first step, before the process table is locked (the copies
/// may map pages in): the ucontext at `uc_addr` in the caller's memory, with the
/// FPU state it points to (if not NULL) loaded into the CPU, the task's own
/// registers. An FPU image the CPU would refuse is EFAULT.
pub fn read_frame(uc_addr: u64) -> Result<UContext, Errno> {
    let mut bytes = [0u8; UContext::SIZE];
    user::read_loaded(uc_addr, &mut bytes)?;
    let context = UContext::from_bytes(&bytes);
    let fpstate = context.uc_mcontext.fpstate;
    if fpstate != 0 {
        let mut image = [0u8; FPU_STATE_SIZE as usize];
        user::read_loaded(fpstate, &mut image)?;
        FpuState::from_image(&image).map_err(|_| Errno::EFAULT)?.restore();
    }
    Ok(context)
}

/// rt_sigreturn: restore the registers and mask saved in the ucontext read by
/// `read_frame`. A frame with impossible values gets SIGSEGV.
pub fn sigreturn(p: &mut Process, uc: &UContext, frame: &mut TrapFrame) -> Result<(), Errno> {
    let m = uc.uc_mcontext;
    if m.rip >= USER_END || m.rsp >= USER_END {
        return Err(Errno::EFAULT);
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
