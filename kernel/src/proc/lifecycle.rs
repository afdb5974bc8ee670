//! Creating and ending processes: the first process, fork (an eager copy), execve's
//! commit, exit (everything freed but the zombie's status), wait4, and kill.
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use kabi::Errno;
use kabi::process::{wait_status_exited, wait_status_signaled};
use kabi::signal::{DefaultAction, Signal};

use crate::arch::fpu::FpuState;
use crate::arch::gdt::{USER_CODE_SELECTOR, USER_DATA_SELECTOR};
use crate::arch::trap::TrapFrame;
use crate::fs::FdTable;
use crate::mm::kstack::KernelStack;

use super::exec::Image;
use super::process::{Pid, Process, SIGNALS, State};
use super::scheduler::{self, with_table};
use super::wait_queue::WaitQueue;

/// Waiters in wait4; woken whenever a process exits.
static CHILD_EXIT: WaitQueue = WaitQueue::new();

pub const INIT_PID: Pid = 1;

/// The register state that starts `image` in user mode.
fn entry_frame(image: &Image) -> TrapFrame {
    TrapFrame {
        rip: image.entry,
        rsp: image.stack_pointer,
        cs: USER_CODE_SELECTOR.into(),
        ss: USER_DATA_SELECTOR.into(),
        rflags: 0x202, // IF
        ..TrapFrame::default()
    }
}

/// Create the first process (pid 1) from `image`, with fds 0-2 on the console.
pub fn spawn_init(image: Image, cmdline: Vec<String>) -> Result<Pid, Errno> {
    let kstack = KernelStack::new().map_err(|_| Errno::ENOMEM)?;
    with_table(|t| {
        let (pid, slot) = t.allocate_ids().ok_or(Errno::EAGAIN)?;
        scheduler::context(slot).prepare_user(kstack.top(), &entry_frame(&image));
        t.insert_runnable(Box::new(Process {
            pid,
            parent: 0,
            children: Vec::new(),
            state: State::Runnable,
            space: Some(image.space),
            memory: image.memory,
            kstack,
            context_slot: slot,
            fpu: Box::new(FpuState::initial()),
            fs_base: 0,
            files: FdTable::with_console(),
            cwd: crate::fs::root::root_dir(),
            cmdline,
            pending_fatal: None,
            signal_actions: [kabi::SigAction::default(); SIGNALS],
            signal_mask: 0,
            alt_stack: kabi::SigAltStack::default(),
            clear_child_tid: 0,
        }));
        Ok(pid)
    })
}

/// fork: a copy of the current process whose `fork` returns 0.
pub fn fork(frame: &TrapFrame) -> Result<Pid, Errno> {
    let kstack = KernelStack::new().map_err(|_| Errno::ENOMEM)?;
    with_table(|t| {
        let parent_pid = t.current().expect("fork from a process");
        let parent = t.procs.get(&parent_pid).expect("current process");
        let space =
            parent.space.as_ref().expect("a live process has memory").clone_eager().map_err(|_| Errno::ENOMEM)?;
        let mut fpu = parent.fpu.clone();
        fpu.save(); // the parent's live registers
        let child = Process {
            pid: 0,
            parent: parent_pid,
            children: Vec::new(),
            state: State::Runnable,
            space: Some(space),
            memory: parent.memory.clone(),
            kstack,
            context_slot: 0,
            fpu,
            fs_base: parent.fs_base,
            files: parent.files.clone(),
            cwd: parent.cwd.clone(),
            cmdline: parent.cmdline.clone(),
            pending_fatal: None,
            signal_actions: parent.signal_actions,
            signal_mask: parent.signal_mask,
            alt_stack: parent.alt_stack,
            clear_child_tid: 0,
        };
        let (pid, slot) = t.allocate_ids().ok_or(Errno::EAGAIN)?;
        let mut child_frame = frame.clone();
        child_frame.rax = 0;
        scheduler::context(slot).prepare_user(child.kstack.top(), &child_frame);
        t.procs.get_mut(&parent_pid).expect("current process").children.push(pid);
        t.insert_runnable(Box::new(Process { pid, context_slot: slot, ..child }));
        Ok(pid)
    })
}

/// Replace the current program with `image` (execve's commit): the old memory is
/// freed, close-on-exec files closed, caught signals reset, and `frame` returns into
/// the new entry point.
pub fn commit_exec(image: Image, cmdline: Vec<String>, frame: &mut TrapFrame) {
    *frame = entry_frame(&image);
    let old = scheduler::with_current(|p| {
        let old = p.space.replace(image.space);
        p.memory = image.memory;
        if let Some(space) = &p.space {
            space.activate();
        }
        p.fs_base = 0;
        crate::arch::set_fs_base(0);
        p.cmdline = cmdline;
        p.files.close_on_exec();
        for action in &mut p.signal_actions {
            if action.sa_handler > 1 {
                *action = kabi::SigAction::default(); // caught signals go back to default
            }
        }
        p.alt_stack = kabi::SigAltStack::default();
        p.clear_child_tid = 0;
        *p.fpu = FpuState::initial();
        p.fpu.restore();
        old
    });
    drop(old);
}

/// End the current process with a Linux wait status. Never returns.
pub fn exit_current(status: i32) -> ! {
    crate::arch::cpu::disable_interrupts();
    let (pid, name, leftovers) = with_table(|t| {
        let pid = t.current().expect("exit from a process");
        let p = t.procs.get_mut(&pid).expect("current process");
        p.state = State::Zombie(status);
        let leftovers = (p.space.take(), core::mem::take(&mut p.files), core::mem::take(&mut p.children));
        let name = String::from(p.name());
        for &child in &leftovers.2 {
            if let Some(c) = t.procs.get_mut(&child) {
                c.parent = INIT_PID;
            }
        }
        if let Some(init) = t.procs.get_mut(&INIT_PID) {
            init.children.extend_from_slice(&leftovers.2);
        }
        (pid, name, leftovers)
    });
    drop(leftovers); // frees the memory (switching to the kernel's table first) and closes the files
    if pid == INIT_PID {
        init_ended(&name, status);
    }
    CHILD_EXIT.wake_all();
    scheduler::schedule_away()
}

/// pid 1 is gone: report and stop the machine.
fn init_ended(name: &str, status: i32) -> ! {
    log::info!("init ({name}) exited with wait status {status:#x}; stopping");
    stop_without_init(status == 0)
}

/// The system cannot go on without init: halt. Under QEMU, exit with the agreed
/// status instead, the verdict of a boot test that ran a test program as init.
pub fn stop_without_init(success: bool) -> ! {
    if success {
        crate::ktest::pass()
    }
    crate::arch::qemu::exit(crate::arch::qemu::ExitCode::Failure);
    crate::arch::cpu::halt_forever()
}

/// End the current process by `signal` (its default action).
pub fn exit_by_signal(signal: Signal) -> ! {
    exit_current(wait_status_signaled(signal as u8, false))
}

/// exit/exit_group.
pub fn exit_with_code(code: u8) -> ! {
    exit_current(wait_status_exited(code))
}

/// Which children wait4's pid argument selects.
fn selects(wanted: i64, child: Pid) -> bool {
    wanted <= 0 || wanted == i64::from(child)
}

/// wait4: reap a zombie child; Ok(None) for WNOHANG with none ready.
pub fn wait(wanted: i64, nohang: bool) -> Result<Option<(Pid, i32)>, Errno> {
    CHILD_EXIT
        .wait_until(|| {
            with_table(|t| {
                let me = t.current().expect("wait from a process");
                let children = &t.procs.get(&me).expect("current process").children;
                let mut candidates = children.iter().copied().filter(|&c| selects(wanted, c)).peekable();
                if candidates.peek().is_none() {
                    return Some(Err(Errno::ECHILD));
                }
                let zombie = candidates.find_map(|c| match t.procs.get(&c).map(|p| p.state) {
                    Some(State::Zombie(status)) => Some((c, status)),
                    _ => None,
                });
                match zombie {
                    Some((child, status)) => {
                        t.procs.get_mut(&me).expect("current process").children.retain(|&c| c != child);
                        drop(t.remove(child));
                        Some(Ok(Some((child, status))))
                    }
                    None if nohang => Some(Ok(None)),
                    None => None,
                }
            })
        })
        .unwrap_or(Err(Errno::EINTR))
}

/// Whether a signal's default action is to ignore it (or, until job control
/// exists, to stop or continue, which are ignored too).
fn ignored_by_default(signal: Signal) -> bool {
    matches!(signal.default_action(), DefaultAction::Ignore | DefaultAction::Stop | DefaultAction::Continue)
}

/// kill(pid, signal) for one target. Signals whose default action terminates end
/// the target when it next returns to user mode (a blocked target is woken).
/// Delivery to user handlers comes with the signals issue; until then a caught
/// signal takes its default action too.
pub fn kill(target: Pid, signal: Option<Signal>) -> Result<(), Errno> {
    let wake = with_table(|t| {
        let p = t.procs.get_mut(&target).filter(|p| !matches!(p.state, State::Zombie(_))).ok_or(Errno::ESRCH)?;
        let Some(signal) = signal else { return Ok(false) }; // signal 0: existence check
        let ignored = signal != Signal::SIGKILL
            && (p.signal_actions[signal as usize - 1].sa_handler == 1 || ignored_by_default(signal));
        if ignored {
            return Ok(false);
        }
        p.pending_fatal.get_or_insert(signal);
        Ok(p.state == State::Blocked)
    })?;
    if wake {
        scheduler::wake(target);
    }
    Ok(())
}
