//! Process syscalls: identity, fork, execve, exit, wait4, kill, yield, and the
//! per-process settings std's start-up makes (arch_prctl, set_tid_address, signal
//! actions, masks and the alternate stack, which are recorded).
use alloc::string::String;
use alloc::vec::Vec;

use kabi::Errno;
use kabi::process::{ARCH_GET_FS, ARCH_SET_FS, WCONTINUED, WNOHANG, WUNTRACED};

use super::{SysResult, user};
use crate::arch::trap::TrapFrame;
use crate::fs::vfs::Executable;
use crate::proc::exec;
use crate::proc::lifecycle::{self, CloneOptions, WaitOptions};
use crate::proc::table::{Table, current_pid, read_current, with_current, with_table};
use crate::task::scheduler;

/// getpid: the thread group's id.
pub fn getpid() -> SysResult {
    Ok(read_current(|p| p.tgid) as usize)
}

/// gettid: this thread's id.
pub fn gettid() -> SysResult {
    Ok(current_pid() as usize)
}

pub fn getppid() -> SysResult {
    Ok(read_current(|p| p.parent) as usize)
}

pub fn fork(frame: &TrapFrame) -> SysResult {
    lifecycle::fork(frame, CloneOptions::default()).map(|pid| pid as usize)
}

/// vfork: a child in the parent's memory, the parent asleep until it execs or exits.
pub fn vfork(frame: &TrapFrame) -> SysResult {
    // Linux's vfork is clone(CLONE_VM | CLONE_VFORK): the child borrows the
    // parent's memory (what it writes there, the parent sees) while the parent sleeps.
    let options = CloneOptions { vfork: true, share_memory: true, ..CloneOptions::default() };
    lifecycle::fork(frame, options).map(|pid| pid as usize)
}

/// Bytes of clone3's `struct clone_args` up to `tls` (CLONE_ARGS_SIZE_VER0).
const CLONE_ARGS_SIZE_VER0: usize = 64;
/// Its full size here (VER2: set_tid, set_tid_size and cgroup too).
const CLONE_ARGS_SIZE_VER2: usize = 88;

/// clone3(args, size): clone with its arguments in a struct, as Linux reads it:
/// a size below the first version is EINVAL, one above a page E2BIG, unknown
/// trailing bytes must be zero (E2BIG); the exit signal comes from its own field
/// (flags holding one are EINVAL), the stack is a base and a size (both or
/// neither); set_tid is not supported (EINVAL).
pub fn clone3(args: u64, size: usize, frame: &TrapFrame) -> SysResult {
    if size < CLONE_ARGS_SIZE_VER0 {
        return Err(Errno::EINVAL);
    }
    if size > 4096 {
        return Err(Errno::E2BIG);
    }
    let bytes = user::copy_in(args, size)?;
    if bytes.get(CLONE_ARGS_SIZE_VER2..).is_some_and(|rest| rest.iter().any(|&b| b != 0)) {
        return Err(Errno::E2BIG);
    }
    let field = |i: usize| {
        bytes.get(i * 8..i * 8 + 8).map_or(0, |b| u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
    };
    // pidfd and cgroup are read only with their flags (CLONE_PIDFD,
    // CLONE_INTO_CGROUP), which clone refuses.
    let (flags, child_tid, parent_tid, exit_signal) = (field(0), field(2), field(3), field(4));
    let (stack, stack_size, tls, set_tid_size) = (field(5), field(6), field(7), field(9));
    if flags & kabi::process::CSIGNAL != 0 || exit_signal > 64 || (stack == 0) != (stack_size == 0) || set_tid_size != 0
    {
        return Err(Errno::EINVAL);
    }
    let top = if stack == 0 { 0 } else { stack.checked_add(stack_size).ok_or(Errno::EINVAL)? };
    clone(flags | exit_signal, top, parent_tid, child_tid, tls, frame)
}

/// clone(flags, stack, parent_tid, child_tid, tls): a new process, or a thread
/// of the caller's (CLONE_THREAD). Memory is copied eagerly unless CLONE_VM
/// shares it; the descriptor table is shared with CLONE_FILES. Linux's rules for
/// combinations: CLONE_THREAD needs CLONE_SIGHAND, which needs CLONE_VM.
pub fn clone(flags: u64, stack: u64, parent_tid: u64, child_tid: u64, tls: u64, frame: &TrapFrame) -> SysResult {
    use kabi::process::*;
    let supported = CSIGNAL
        | CLONE_VM
        | CLONE_FS
        | CLONE_FILES
        | CLONE_SIGHAND
        | CLONE_THREAD
        | CLONE_SYSVSEM
        | CLONE_VFORK
        | CLONE_PARENT
        | CLONE_SETTLS
        | CLONE_PARENT_SETTID
        | CLONE_CHILD_SETTID
        | CLONE_CHILD_CLEARTID
        | CLONE_DETACHED;
    let thread = flags & CLONE_THREAD != 0;
    if flags & !supported != 0
        || (thread && flags & CLONE_SIGHAND == 0)
        || (flags & CLONE_SIGHAND != 0 && flags & CLONE_VM == 0)
    {
        return Err(Errno::EINVAL);
    }
    if flags & CLONE_SETTLS != 0 && tls >= crate::layout::USER_END {
        return Err(Errno::EPERM);
    }
    let options = CloneOptions {
        stack: (stack != 0).then_some(stack),
        tls: (flags & CLONE_SETTLS != 0).then_some(tls),
        clear_child_tid: if flags & CLONE_CHILD_CLEARTID != 0 { child_tid } else { 0 },
        set_child_tid: (flags & CLONE_CHILD_SETTID != 0).then_some(child_tid),
        set_parent_tid: (flags & CLONE_PARENT_SETTID != 0).then_some(parent_tid),
        vfork: flags & CLONE_VFORK != 0,
        thread,
        share_memory: flags & CLONE_VM != 0,
        share_files: flags & CLONE_FILES != 0,
        share_fs: flags & CLONE_FS != 0,
        share_handlers: flags & CLONE_SIGHAND != 0,
        sibling: flags & CLONE_PARENT != 0,
    };
    lifecycle::fork(frame, options).map(|pid| pid as usize)
}

/// What execve runs: the file (its bytes, real path for /proc/PID/exe, and
/// attributes) and argv.
struct Program {
    file: Executable,
    argv: Vec<Vec<u8>>,
}

/// The program execve runs for `path`.
/// A `#!` script runs its interpreter instead, with argv `interpreter [argument]
/// path argv[1..]`, interpreters of interpreters up to Linux's depth (then ELOOP);
/// a bad `#!` line is ENOEXEC, a missing interpreter ENOENT.
fn load_program(cwd: &crate::fs::vfs::Node, path: &[u8], mut argv: Vec<Vec<u8>>) -> Result<Program, Errno> {
    let mut file = crate::fs::vfs::read_executable(cwd, path)?;
    let mut script = path.to_vec();
    for _ in 0..=shebang::MAX_DEPTH {
        let interpreter = match shebang::parse(&file.head) {
            None => return Ok(Program { file, argv }),
            Some(Err(_)) => return Err(Errno::ENOEXEC),
            Some(Ok(line)) => (line.path.to_vec(), line.argument.map(<[u8]>::to_vec)),
        };
        let (interpreter, argument) = interpreter;
        let rest = argv.into_iter().skip(1);
        argv =
            core::iter::once(interpreter.clone()).chain(argument).chain(core::iter::once(script)).chain(rest).collect();
        file = crate::fs::vfs::read_executable(cwd, &interpreter)?;
        script = interpreter;
    }
    Err(Errno::ELOOP)
}

pub fn execve(path: u64, argv: u64, envp: u64, frame: &mut TrapFrame) -> SysResult {
    let path = user::read_path(path)?;
    let stack_limit = with_current(|p| p.limits().soft(kabi::process::RLIMIT_STACK));
    // The strings are read within the room the stack limit gives (user_stack
    // checks the exact count, pointers and file name included).
    let room = user_stack::arg_limit(stack_limit);
    let argv = user::read_string_array(argv, room)?;
    let used: usize = argv.iter().map(|a| a.len() + 1).sum();
    let envp = user::read_string_array(envp, room - used.min(room))?;
    let (cwd, caller, no_new_privs) = with_current(|p| (p.cwd().clone(), p.creds(), p.no_new_privs));
    let Program { file, argv } = load_program(&cwd, &path, argv)?;
    let creds = exec::credentials_for(&caller, &file.metadata, !no_new_privs && !file.nosuid);
    let image = exec::build(&cwd, &file, &argv, &envp, &path, stack_limit, creds)?;
    lifecycle::become_sole_thread();
    let cmdline: Vec<String> = argv.iter().map(|a| String::from_utf8_lossy(a).into_owned()).collect();
    lifecycle::commit_exec(image, cmdline, String::from_utf8_lossy(&file.path).into_owned(), frame);
    Ok(0)
}

/// exit: this thread ends (the process with its last thread).
pub fn exit(code: i32) -> SysResult {
    lifecycle::exit_with_code(code as u8, lifecycle::ExitScope::Thread)
}

/// exit_group: every thread of the process ends.
pub fn exit_group(code: i32) -> SysResult {
    lifecycle::exit_with_code(code as u8, lifecycle::ExitScope::Group)
}

pub fn wait4(pid: i32, status: u64, options: i32, rusage: u64) -> SysResult {
    let options = options as u32;
    if options & !(WNOHANG | WUNTRACED | WCONTINUED | kabi::process::WALL | kabi::process::WCLONE) != 0 {
        return Err(Errno::EINVAL);
    }
    let options = WaitOptions {
        nohang: options & WNOHANG != 0,
        untraced: options & WUNTRACED != 0,
        continued: options & WCONTINUED != 0,
    };
    match lifecycle::wait(i64::from(pid), options)? {
        None => Ok(0),
        Some((child, wait_status)) => {
            user::copy_out_optional(status, &wait_status.to_le_bytes())?;
            user::copy_out_optional(rusage, &kabi::Rusage::default().to_bytes())?;
            Ok(child as usize)
        }
    }
}

pub fn sched_yield() -> SysResult {
    scheduler::schedule();
    Ok(0)
}

/// Bytes of a CPU mask (Linux's cpumask_size(): one long for up to 64 CPUs).
const CPU_MASK_BYTES: usize = 8;
/// The CPUs Kestrel runs on: CPU 0.
const ONLINE_CPUS: u64 = 1;

/// The process `pid` names for the scheduling calls (0 is the caller).
fn existing_process(pid: i32) -> Result<(), Errno> {
    match pid {
        0 => Ok(()),
        p if p > 0 && with_table(|t| t.procs.contains_key(&(p as u32))) => Ok(()),
        _ => Err(Errno::ESRCH),
    }
}

/// sched_getaffinity: the CPUs a process may run on; returns the mask's size.
/// A buffer too small for the mask, or not a whole number of longs, is EINVAL.
pub fn sched_getaffinity(pid: i32, len: usize, mask: u64) -> SysResult {
    if len < CPU_MASK_BYTES || !len.is_multiple_of(CPU_MASK_BYTES) {
        return Err(Errno::EINVAL);
    }
    existing_process(pid)?;
    user::copy_out(mask, &ONLINE_CPUS.to_le_bytes()).map(|()| CPU_MASK_BYTES)
}

/// sched_setaffinity: any mask that includes an online CPU is accepted (there is
/// one CPU to run on); one with none is EINVAL.
pub fn sched_setaffinity(pid: i32, len: usize, mask: u64) -> SysResult {
    let mut bytes = [0u8; CPU_MASK_BYTES];
    let n = len.min(CPU_MASK_BYTES);
    let given = user::copy_in(mask, n)?;
    bytes[..n].copy_from_slice(&given);
    existing_process(pid)?;
    if u64::from_le_bytes(bytes) & ONLINE_CPUS == 0 {
        return Err(Errno::EINVAL);
    }
    Ok(0)
}

/// getcpu: CPU 0, NUMA node 0 (either pointer may be NULL).
pub fn getcpu(cpu: u64, node: u64) -> SysResult {
    user::copy_out_optional(cpu, &0u32.to_le_bytes())?;
    user::copy_out_optional(node, &0u32.to_le_bytes()).map(|()| 0)
}

pub fn arch_prctl(code: i32, addr: u64) -> SysResult {
    match code as u32 {
        ARCH_SET_FS => {
            if addr >= crate::layout::USER_END || !crate::arch::set_fs_base(addr) {
                return Err(Errno::EPERM);
            }
            scheduler::set_fs_base(addr);
            Ok(0)
        }
        ARCH_GET_FS => {
            let base = scheduler::fs_base();
            user::copy_out(addr, &base.to_le_bytes()).map(|()| 0)
        }
        _ => Err(Errno::EINVAL),
    }
}

const PRIO_PROCESS: i32 = 0;
const PRIO_PGRP: i32 = 1;
const PRIO_USER: i32 = 2;

/// The tasks `which`/`who` name for getpriority/setpriority: a process (0: the
/// caller), a process group (0: the caller's), or every process of a user, by
/// real uid (0: the caller's).
fn priority_targets(t: &Table, which: i32, who: i32) -> Result<Vec<u32>, Errno> {
    let me = t.current_process().expect("a process");
    let who = u32::try_from(who).map_err(|_| Errno::ESRCH)?;
    let selected: Vec<u32> = match which {
        PRIO_PROCESS => {
            let target = if who == 0 { me.pid } else { who };
            t.procs.get(&target).filter(|p| p.is_live()).map(|p| alloc::vec![p.pid]).unwrap_or_default()
        }
        PRIO_PGRP => {
            let group = if who == 0 { me.pgid() } else { who };
            t.procs.values().filter(|p| p.is_live() && p.pgid() == group).map(|p| p.pid).collect()
        }
        PRIO_USER => {
            let uid = if who == 0 { me.group().creds.user.real } else { who };
            t.procs.values().filter(|p| p.is_live() && p.group().creds.user.real == uid).map(|p| p.pid).collect()
        }
        _ => return Err(Errno::EINVAL),
    };
    if selected.is_empty() { Err(Errno::ESRCH) } else { Ok(selected) }
}

/// getpriority: 20 - nice of the highest-priority target (the raw system call's
/// form; the C library turns it back into a nice value).
pub fn getpriority(which: i32, who: i32) -> SysResult {
    with_table(|t| {
        let targets = priority_targets(t, which, who)?;
        let nice = targets.iter().filter_map(|tid| t.procs.get(tid)).map(|p| p.nice).min().unwrap_or(0);
        Ok((20 - nice) as usize)
    })
}

/// setpriority: set the nice value (clamped to -20..=19) of every target the
/// caller may renice (EPERM for another user's process, without privilege);
/// lowering it takes privilege or the target's RLIMIT_NICE (EACCES). As Linux,
/// the last refusal is the result, else success.
pub fn setpriority(which: i32, who: i32, nice: i32) -> SysResult {
    let nice = nice.clamp(-20, 19);
    with_table(|t| {
        let targets = priority_targets(t, which, who)?;
        let me = t.current_process().map(|p| p.creds()).expect("a process");
        let mut result = Err(Errno::ESRCH);
        for tid in targets {
            let Some(p) = t.procs.get_mut(&tid) else { continue };
            // Linux's can_nice: 20 - nice within the target's RLIMIT_NICE.
            let may_lower = me.is_privileged() || (20 - nice) as u64 <= p.limits().soft(kabi::process::RLIMIT_NICE);
            if !me.may_renice(&p.creds()) {
                result = Err(Errno::EPERM);
            } else if nice < p.nice && !may_lower {
                result = Err(Errno::EACCES);
            } else {
                p.nice = nice;
                if result == Err(Errno::ESRCH) {
                    result = Ok(0);
                }
            }
        }
        result
    })
}

pub fn set_tid_address(addr: u64) -> SysResult {
    with_current(|p| {
        p.clear_child_tid = addr;
        Ok(p.pid as usize)
    })
}

/// setpgid(pid, pgid): 0 means the caller / the pid itself. Only the caller or
/// its children, within one session.
pub fn setpgid(pid: i32, pgid: i32) -> SysResult {
    if pgid < 0 {
        return Err(Errno::EINVAL);
    }
    with_table(|t| {
        // Process ids here: the caller's and the target's thread groups.
        let me = t.current_process().map(|p| p.tgid).expect("a process");
        let target = if pid == 0 { me } else { pid as u32 };
        let caller_sid = t.procs.get(&me).map(|p| p.sid()).unwrap_or(0);
        let group = if pgid == 0 { target } else { pgid as u32 };
        let p = t.procs.get(&target).ok_or(Errno::ESRCH)?;
        if target != me && p.parent != me {
            return Err(Errno::ESRCH);
        }
        if p.sid() != caller_sid || p.sid() == target {
            return Err(Errno::EPERM); // another session, or a session leader
        }
        let group_exists = group == target || t.procs.values().any(|q| q.pgid() == group && q.sid() == caller_sid);
        if !group_exists {
            return Err(Errno::EPERM);
        }
        p.group().pgid = group;
        Ok(0)
    })
}

pub fn getpgid(pid: i32) -> SysResult {
    let target = if pid == 0 { current_pid() } else { pid as u32 };
    // Any thread's id names its process here, as on Linux.
    lifecycle::group_of(target).map(|(pgid, _)| pgid as usize).ok_or(Errno::ESRCH)
}

pub fn getsid(pid: i32) -> SysResult {
    let target = if pid == 0 { current_pid() } else { pid as u32 };
    lifecycle::group_of(target).map(|(_, sid)| sid as usize).ok_or(Errno::ESRCH)
}

/// setsid: a new session and group led by the caller (EPERM for a group leader).
pub fn setsid() -> SysResult {
    with_table(|t| {
        let me = t.current_process().map(|p| p.tgid).expect("a process");
        if t.procs.values().any(|p| p.pgid() == me) {
            return Err(Errno::EPERM);
        }
        let p = t.procs.get(&me).expect("the caller's process");
        let mut group = p.group();
        (group.pgid, group.sid) = (me, me);
        Ok(me as usize)
    })
}
