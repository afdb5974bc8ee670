//! ktest-signals: signal handlers and default actions as on Linux: a handler runs
//! before kill returns (SA_SIGINFO: si_signo, SI_USER, si_pid), a blocked signal stays
//! pending and is delivered once when unblocked, SA_RESETHAND, the mask in a handler
//! (its own signal unless SA_NODEFER, sa_mask, the old mask back after it), sigaltstack
//! with SA_ONSTACK, a read interrupted in a child (restarted with SA_RESTART, EINTR
//! without), alarm and pause, one-shot and periodic ITIMER_REAL, sigsuspend, a SIGCHLD handler,
//! default actions in children (SIGTERM and SIGKILL kill; SIGCHLD, SIGURG and
//! SIGWINCH are ignored; SIG_IGN; SIGSTOP and SIGCONT seen by wait4 with WUNTRACED
//! and WCONTINUED), kill of a process group, kill and rt_sigaction errors, and
//! raise(SIGSEGV) with the default action.
use std::ffi::{c_int, c_void};
use std::fs::File;
use std::hint::black_box;
use std::io::{self, Read, Write};
use std::ops::Range;
use std::os::fd::AsRawFd;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use std::{ptr, thread};

use ktest::{
    Action, Context, KernelSigaction, Outcome, Signals, blocked_signals, change_blocked, check, child_check,
    current_handler, ensure, expect_eq, expect_exit, expect_failure, expect_signal, fork_and_wait, pending_signals,
    pid_t, pipe, read_fd, set_action, signal_name, spawn, suspend_with, wait_for,
};
use ulib::jobctl::{getpgrp, kill, setpgid};

const NAME: &str = "signals";
/// How long the parent waits for a child to block before it acts.
const CHILD_DELAY: Duration = Duration::from_millis(100);
/// The size of the alternate signal stack.
const ALT_STACK_SIZE: usize = 64 * 1024;
/// The one-shot ITIMER_REAL, and the least time it may measure (the clock may be coarse).
const TIMER: Duration = Duration::from_millis(200);
const TIMER_FLOOR: Duration = Duration::from_millis(160);
/// The least time `alarm(1)` may measure: the alarm is set just before the clock starts.
const ALARM_FLOOR: Duration = Duration::from_millis(900);
/// A signal number that Linux does not have.
const BAD_SIGNAL: c_int = 200;

/// Deliveries per signal number, counted by the handlers.
static DELIVERED: [AtomicU32; 64] = [const { AtomicU32::new(0) }; 64];
/// What the last `note` saw: the blocked signals (`Signals` bits), the address of one
/// of its locals, and whether sigaltstack said that it ran on the alternate stack.
static MASK_SEEN: AtomicU64 = AtomicU64::new(0);
static STACK_SEEN: AtomicUsize = AtomicUsize::new(0);
static ON_ALT_STACK: AtomicBool = AtomicBool::new(false);
/// What the last `note_info` was told: si_signo, si_code and si_pid.
static INFO_SEEN: [AtomicI32; 3] = [const { AtomicI32::new(-1) }; 3];
/// What `send_usr2` saw: the blocked signals, and SIGUSR2's deliveries by then.
static SENDER_MASK: AtomicU64 = AtomicU64::new(0);
static USR2_BEFORE_RETURN: AtomicU32 = AtomicU32::new(0);

fn delivered(signal: c_int) -> u32 {
    usize::try_from(signal).ok().and_then(|index| DELIVERED.get(index)).map_or(0, |count| count.load(Ordering::SeqCst))
}

fn own_pid() -> pid_t {
    std::process::id() as pid_t
}

/// Whether sigaltstack reports that this code runs on the alternate stack.
fn on_alternate_stack() -> bool {
    let mut current = libc::stack_t { ss_sp: ptr::null_mut(), ss_flags: 0, ss_size: 0 };
    // SAFETY: a null new stack only reads the current one into `current`.
    let read = unsafe { libc::sigaltstack(ptr::null(), &mut current) };
    read == 0 && current.ss_flags & libc::SS_ONSTACK != 0
}

/// The plain handler: counts the delivery and records the mask, the stack and
/// whether it is the alternate one (all async-signal-safe).
extern "C" fn note(signal: c_int) {
    let marker = 0u8;
    STACK_SEEN.store(ptr::from_ref(black_box(&marker)).addr(), Ordering::SeqCst);
    MASK_SEEN.store(blocked_signals().bits(), Ordering::SeqCst);
    ON_ALT_STACK.store(on_alternate_stack(), Ordering::SeqCst);
    if let Some(count) = usize::try_from(signal).ok().and_then(|index| DELIVERED.get(index)) {
        count.fetch_add(1, Ordering::SeqCst);
    }
}

/// The SA_SIGINFO handler: records what siginfo says, then does what `note` does.
extern "C" fn note_info(signal: c_int, info: *mut libc::siginfo_t, _context: *mut c_void) {
    // SAFETY: with SA_SIGINFO the kernel passes a valid siginfo_t for the handler.
    let info = unsafe { &*info };
    INFO_SEEN[0].store(info.si_signo, Ordering::SeqCst);
    INFO_SEEN[1].store(info.si_code, Ordering::SeqCst);
    // SAFETY: the siginfo of a signal sent by kill (SI_USER) holds the sender's pid.
    INFO_SEEN[2].store(unsafe { info.si_pid() }, Ordering::SeqCst);
    note(signal);
}

/// A handler that sends SIGUSR2 to its own process, recording the mask and how many
/// SIGUSR2 had been delivered by then.
extern "C" fn send_usr2(signal: c_int) {
    SENDER_MASK.store(blocked_signals().bits(), Ordering::SeqCst);
    let _ = kill(own_pid(), libc::SIGUSR2);
    USR2_BEFORE_RETURN.store(delivered(libc::SIGUSR2), Ordering::SeqCst);
    note(signal);
}

fn handle(signal: c_int, action: Action, flags: c_int, mask: Signals) -> Outcome {
    let name = signal_name(signal).unwrap_or("?");
    set_action(signal, action, flags, mask).context(format_args!("sigaction(SIG{name})"))
}

fn send(pid: pid_t, signal: c_int) -> Outcome {
    kill(pid, signal).context(format_args!("kill({pid}, {signal})"))
}

/// Sends `signal` to this process and gives how many times it was delivered by the
/// time kill returned.
fn send_self(signal: c_int) -> Result<u32, String> {
    let before = delivered(signal);
    send(own_pid(), signal)?;
    Ok(delivered(signal) - before)
}

fn handler_before_kill_returns() -> Outcome {
    handle(libc::SIGUSR1, Action::HandleInfo(note_info), 0, Signals::EMPTY)?;
    expect_eq("SIGUSR1 handler runs before kill(getpid()) returns", send_self(libc::SIGUSR1)?, 1)?;
    let seen = INFO_SEEN.each_ref().map(|value| value.load(Ordering::SeqCst));
    expect_eq("SA_SIGINFO: si_signo, si_code, si_pid", seen, [libc::SIGUSR1, libc::SI_USER, own_pid()])
}

fn pending_while_blocked() -> Outcome {
    handle(libc::SIGUSR1, Action::Handle(note), 0, Signals::EMPTY)?;
    let old = change_blocked(libc::SIG_BLOCK, Signals::of(&[libc::SIGUSR1])).context("sigprocmask")?;
    let sent = (send_self(libc::SIGUSR1)?, send_self(libc::SIGUSR1)?);
    expect_eq("SIGUSR1 sent twice while blocked: deliveries", sent, (0, 0))?;
    expect_eq("sigpending", pending_signals().context("sigpending")?, Signals::of(&[libc::SIGUSR1]))?;
    let before = delivered(libc::SIGUSR1);
    change_blocked(libc::SIG_SETMASK, old).context("sigprocmask")?;
    expect_eq("deliveries once unblocked", delivered(libc::SIGUSR1) - before, 1)?;
    expect_eq("sigpending after that", pending_signals().context("sigpending")?, Signals::EMPTY)
}

fn reset_handler() -> Outcome {
    let status = fork_and_wait(|| {
        child_check("SA_RESETHAND child", || {
            handle(libc::SIGUSR1, Action::Handle(note), libc::SA_RESETHAND, Signals::EMPTY)?;
            ensure(send_self(libc::SIGUSR1)? == 1, || "the first SIGUSR1 was not handled".into())?;
            let handler = current_handler(libc::SIGUSR1).context("sigaction")?;
            ensure(handler == libc::SIG_DFL, || format!("the handler is {handler:#x} after it ran, not SIG_DFL"))?;
            send_self(libc::SIGUSR1)?;
            Err("the second SIGUSR1 did not kill the child".into())
        })
    })?;
    expect_signal(status, libc::SIGUSR1)?;
    println!("SA_RESETHAND: the first SIGUSR1 was handled, the second killed the child");
    Ok(())
}

fn masks_in_handlers() -> Outcome {
    let outside = blocked_signals();
    for (flags, label, expected) in
        [(0, "no flags", outside.with(libc::SIGUSR1)), (libc::SA_NODEFER, "SA_NODEFER", outside)]
    {
        handle(libc::SIGUSR1, Action::Handle(note), flags, Signals::EMPTY)?;
        send_self(libc::SIGUSR1)?;
        let seen = Signals::from_bits(MASK_SEEN.load(Ordering::SeqCst));
        expect_eq(&format!("mask in the SIGUSR1 handler, {label}"), seen, expected)?;
    }

    handle(libc::SIGUSR2, Action::Handle(note), 0, Signals::EMPTY)?;
    handle(libc::SIGUSR1, Action::Handle(send_usr2), 0, Signals::of(&[libc::SIGUSR2]))?;
    let usr2_before = delivered(libc::SIGUSR2);
    expect_eq("SIGUSR1 with sa_mask {USR2}: deliveries", send_self(libc::SIGUSR1)?, 1)?;
    let seen = Signals::from_bits(SENDER_MASK.load(Ordering::SeqCst));
    expect_eq("mask in that handler", seen, outside.with(libc::SIGUSR1).with(libc::SIGUSR2))?;
    let usr2 = (USR2_BEFORE_RETURN.load(Ordering::SeqCst) - usr2_before, delivered(libc::SIGUSR2) - usr2_before);
    expect_eq("SIGUSR2 it sent: delivered before it returned, after", usr2, (0, 1))?;
    let seen = Signals::from_bits(MASK_SEEN.load(Ordering::SeqCst));
    expect_eq("mask in the SIGUSR2 handler that ran next", seen, outside.with(libc::SIGUSR2))?;
    expect_eq("mask after the handlers returned", blocked_signals(), outside)
}

/// sigaltstack(2): installs `stack` as the alternate signal stack (SS_DISABLE in its
/// flags: none) and returns the previous one.
fn set_alt_stack(stack: libc::stack_t) -> io::Result<libc::stack_t> {
    let mut old = libc::stack_t { ss_sp: ptr::null_mut(), ss_flags: 0, ss_size: 0 };
    // SAFETY: sigaltstack reads `stack`, which describes memory that the caller keeps
    // for the signal stack (or is disabled), and writes the old one to `old`.
    check(unsafe { libc::sigaltstack(&stack, &mut old) })?;
    Ok(old)
}

fn alternate_stack() -> Outcome {
    let mut memory = vec![0u8; ALT_STACK_SIZE];
    let range: Range<usize> = memory.as_ptr_range().start.addr()..memory.as_ptr_range().end.addr();
    let stack = libc::stack_t { ss_sp: memory.as_mut_ptr().cast(), ss_flags: 0, ss_size: memory.len() };
    let old = set_alt_stack(stack).context("sigaltstack")?;
    println!("alternate stack at {:#x}..{:#x}", range.start, range.end);
    let outcome = (|| {
        for (flags, label, on_alt) in [(libc::SA_ONSTACK, "SA_ONSTACK", true), (0, "no SA_ONSTACK", false)] {
            handle(libc::SIGUSR1, Action::Handle(note), flags, Signals::EMPTY)?;
            send_self(libc::SIGUSR1)?;
            let local = STACK_SEEN.load(Ordering::SeqCst);
            let seen = (range.contains(&local), ON_ALT_STACK.load(Ordering::SeqCst));
            expect_eq(
                &format!("{label}: a local of the handler on the alternate stack, SS_ONSTACK"),
                seen,
                (on_alt, on_alt),
            )?;
        }
        Ok(())
    })();
    set_alt_stack(old).context("sigaltstack (restoring the old one)")?;
    drop(memory);
    outcome
}

/// A pipe through which a forked child tells its parent that it is set up.
struct Ready {
    reader: File,
    writer: File,
}

impl Ready {
    fn new() -> Result<Self, String> {
        let (reader, writer) = pipe().context("pipe")?;
        Ok(Self { reader, writer })
    }

    /// In the child: tells the parent.
    fn tell(&self) -> Outcome {
        (&self.writer).write_all(b"r").context("write to the parent")
    }

    /// In the parent: waits until the child `pid` has told it (fails if it ended).
    fn wait(self, pid: pid_t) -> Outcome {
        drop(self.writer);
        match (&self.reader).read(&mut [0]).context("read from the child")? {
            1 => Ok(()),
            _ => Err(format!("the child ended before it was set up ({})", wait_for(pid)?)),
        }
    }
}

/// Forks a child that runs `setup`, tells the parent, then blocks in read until the
/// parent writes a byte to the returned pipe, and exits 0 (1 if anything failed).
fn waiting_child(setup: impl FnOnce() -> Outcome) -> Result<(pid_t, File), String> {
    let ready = Ready::new()?;
    let (reader, go) = pipe().context("pipe")?;
    let child = spawn(|| {
        child_check("waiting child", || {
            setup()?;
            ready.tell()?;
            let count = read_fd(reader.as_raw_fd(), &mut [0]).context("read")?;
            ensure(count == 1, || "the child read EOF".into())
        })
    })?;
    ready.wait(child)?;
    Ok((child, go))
}

fn release(go: &File) -> Outcome {
    (&*go).write_all(b"g").context("write to the child")
}

fn interrupted_read() -> Outcome {
    for (flags, label) in [(libc::SA_RESTART, "SA_RESTART"), (0, "no SA_RESTART")] {
        let (reader, mut writer) = pipe().context("pipe")?;
        let ready = Ready::new()?;
        let child = spawn(|| {
            child_check(&format!("reader with {label}"), || {
                handle(libc::SIGUSR1, Action::Handle(note), flags, Signals::EMPTY)?;
                let before = delivered(libc::SIGUSR1);
                ready.tell()?;
                let mut buffer = [0; 16];
                let result = read_fd(reader.as_raw_fd(), &mut buffer);
                ensure(delivered(libc::SIGUSR1) - before == 1, || "the handler did not run".into())?;
                if flags == 0 {
                    return expect_failure("the child's read, interrupted", result, libc::EINTR);
                }
                let count = result.context("read")?;
                ensure(&buffer[..count] == b"data", || format!("read {:?}", &buffer[..count]))
            })
        })?;
        ready.wait(child)?;
        thread::sleep(CHILD_DELAY);
        send(child, libc::SIGUSR1)?;
        thread::sleep(CHILD_DELAY);
        writer.write_all(b"data").context("write")?;
        expect_exit(wait_for(child)?, 0)?;
        let result = if flags == 0 { "EINTR" } else { "restarted, the data" };
        println!("{label}: a child's read of an empty pipe, interrupted by its handler: {result}");
    }
    Ok(())
}

/// alarm(2): the seconds that were left of the previous alarm.
fn alarm(seconds: u32) -> u32 {
    // SAFETY: alarm only sets the process's real-time timer.
    unsafe { libc::alarm(seconds) }
}

/// pause(2): always fails, with EINTR once a handler has run.
fn pause() -> io::Result<c_int> {
    // SAFETY: pause only waits for a signal.
    check(unsafe { libc::pause() })
}

fn alarm_and_pause() -> Outcome {
    handle(libc::SIGALRM, Action::Handle(note), 0, Signals::EMPTY)?;
    expect_eq("alarm(5) with no alarm set", alarm(5), 0)?;
    expect_eq("alarm(1) then: seconds left of the previous one", alarm(1), 5)?;
    let before = delivered(libc::SIGALRM);
    let started = Instant::now();
    expect_failure("pause until SIGALRM", pause(), libc::EINTR)?;
    let waited = started.elapsed();
    expect_eq("SIGALRM deliveries", delivered(libc::SIGALRM) - before, 1)?;
    ensure(waited >= ALARM_FLOOR, || format!("alarm(1) fired after {waited:?}"))?;
    println!("alarm(1) fired after {} ms", waited.as_millis());
    expect_eq("alarm(0) after it fired", alarm(0), 0)
}

fn timeval(duration: Duration) -> libc::timeval {
    let seconds = duration.as_secs().try_into().expect("the test's times fit a time_t");
    libc::timeval { tv_sec: seconds, tv_usec: duration.subsec_micros().into() }
}

fn duration(time: libc::timeval) -> Duration {
    Duration::from_secs(time.tv_sec as u64) + Duration::from_micros(time.tv_usec as u64)
}

/// getitimer(ITIMER_REAL): (time left, interval).
fn real_timer() -> Result<(Duration, Duration), String> {
    let mut timer = libc::itimerval { it_interval: timeval(Duration::ZERO), it_value: timeval(Duration::ZERO) };
    // SAFETY: getitimer writes one itimerval into `timer`.
    check(unsafe { libc::getitimer(libc::ITIMER_REAL, &mut timer) }).context("getitimer")?;
    Ok((duration(timer.it_value), duration(timer.it_interval)))
}

fn interval_timer() -> Outcome {
    handle(libc::SIGALRM, Action::Handle(note), 0, Signals::EMPTY)?;
    let timer = libc::itimerval { it_interval: timeval(Duration::ZERO), it_value: timeval(TIMER) };
    let mut old = libc::itimerval { it_interval: timeval(Duration::ZERO), it_value: timeval(Duration::ZERO) };
    let before = delivered(libc::SIGALRM);
    let started = Instant::now();
    // SAFETY: setitimer reads `timer` and writes the old timer into `old`.
    check(unsafe { libc::setitimer(libc::ITIMER_REAL, &timer, &mut old) }).context("setitimer")?;
    expect_eq("setitimer: the old ITIMER_REAL", duration(old.it_value), Duration::ZERO)?;
    let (left, interval) = real_timer()?;
    ensure(left > Duration::ZERO && left <= TIMER && interval == Duration::ZERO, || {
        format!("getitimer after setting 200 ms: {left:?} left, interval {interval:?}")
    })?;
    println!("getitimer before it fired: {} ms left, no interval", left.as_millis());
    expect_failure("pause until the timer's SIGALRM", pause(), libc::EINTR)?;
    let waited = started.elapsed();
    expect_eq("SIGALRM deliveries", delivered(libc::SIGALRM) - before, 1)?;
    ensure(waited >= TIMER_FLOOR, || format!("the 200 ms timer fired after {waited:?}"))?;
    println!("the 200 ms timer fired after {} ms", waited.as_millis());
    expect_eq("getitimer after it fired", real_timer()?, (Duration::ZERO, Duration::ZERO))?;
    periodic_timer()
}

/// A periodic ITIMER_REAL fires again every interval until it is disarmed.
fn periodic_timer() -> Outcome {
    const PERIOD: Duration = Duration::from_millis(100);
    let arm = |value: Duration, interval: Duration| -> Outcome {
        let timer = libc::itimerval { it_interval: timeval(interval), it_value: timeval(value) };
        // SAFETY: setitimer reads `timer`; the old value is not wanted.
        check(unsafe { libc::setitimer(libc::ITIMER_REAL, &timer, std::ptr::null_mut()) }).context("setitimer")?;
        Ok(())
    };
    let before = delivered(libc::SIGALRM);
    arm(PERIOD, PERIOD)?;
    let (_, interval) = real_timer()?;
    expect_eq("getitimer: the interval of a periodic timer", interval, PERIOD)?;
    for _ in 0..4 {
        expect_failure("pause until the periodic SIGALRM", pause(), libc::EINTR)?;
    }
    arm(Duration::ZERO, Duration::ZERO)?;
    expect_eq("periodic SIGALRM deliveries", delivered(libc::SIGALRM) - before, 4)?;
    expect_eq("getitimer after disarming", real_timer()?, (Duration::ZERO, Duration::ZERO))?;
    println!("a 100 ms periodic timer fired 4 times, then was disarmed");
    Ok(())
}

fn suspend() -> Outcome {
    handle(libc::SIGUSR2, Action::Handle(note), 0, Signals::EMPTY)?;
    let old = change_blocked(libc::SIG_BLOCK, Signals::of(&[libc::SIGUSR2])).context("sigprocmask")?;
    let blocked = blocked_signals();
    let outcome = (|| {
        expect_eq("SIGUSR2 sent while blocked: deliveries", send_self(libc::SIGUSR2)?, 0)?;
        let before = delivered(libc::SIGUSR2);
        expect_failure(
            "sigsuspend unblocking the pending SIGUSR2",
            suspend_with(blocked.without(libc::SIGUSR2)),
            libc::EINTR,
        )?;
        expect_eq("SIGUSR2 deliveries", delivered(libc::SIGUSR2) - before, 1)?;
        let seen = Signals::from_bits(MASK_SEEN.load(Ordering::SeqCst));
        expect_eq("mask in the handler", seen, blocked)?;
        expect_eq("mask after sigsuspend", blocked_signals(), blocked)?;

        let parent = own_pid();
        let child = spawn(|| {
            thread::sleep(CHILD_DELAY);
            child_check("SIGUSR2 sender", || send(parent, libc::SIGUSR2))
        })?;
        let before = delivered(libc::SIGUSR2);
        let result = suspend_with(blocked.without(libc::SIGUSR2));
        expect_exit(wait_for(child)?, 0)?;
        expect_failure("sigsuspend until a child sends SIGUSR2", result, libc::EINTR)?;
        expect_eq("SIGUSR2 deliveries", delivered(libc::SIGUSR2) - before, 1)?;
        expect_eq("mask after sigsuspend", blocked_signals(), blocked)
    })();
    change_blocked(libc::SIG_SETMASK, old).context("sigprocmask")?;
    outcome
}

fn child_exit_signal() -> Outcome {
    handle(libc::SIGCHLD, Action::Handle(note), 0, Signals::EMPTY)?;
    let before = delivered(libc::SIGCHLD);
    let status = fork_and_wait(|| 3);
    handle(libc::SIGCHLD, Action::Default, 0, Signals::EMPTY)?;
    expect_exit(status?, 3)?;
    println!("wait4 reaped the child: exit status 3");
    expect_eq("SIGCHLD handler deliveries", delivered(libc::SIGCHLD) - before, 1)
}

fn default_actions() -> Outcome {
    for (signal, kills) in [
        (libc::SIGTERM, true),
        (libc::SIGKILL, true),
        (libc::SIGCHLD, false),
        (libc::SIGURG, false),
        (libc::SIGWINCH, false),
    ] {
        let name = signal_name(signal).unwrap_or("?");
        let (child, go) = waiting_child(|| {
            if signal == libc::SIGKILL { Ok(()) } else { handle(signal, Action::Default, 0, Signals::EMPTY) }
        })?;
        send(child, signal)?;
        if kills {
            expect_signal(wait_for(child)?, signal)?;
            println!("SIG{name}, default action: killed the child blocked in read");
        } else {
            release(&go)?;
            expect_exit(wait_for(child)?, 0)?;
            println!("SIG{name}, default action: ignored, the child carried on");
        }
    }
    let (child, go) = waiting_child(|| handle(libc::SIGTERM, Action::Ignore, 0, Signals::EMPTY))?;
    send(child, libc::SIGTERM)?;
    release(&go)?;
    expect_exit(wait_for(child)?, 0)?;
    println!("SIGTERM with SIG_IGN: the child carried on");
    Ok(())
}

fn wait_with(pid: pid_t, options: c_int) -> Result<ktest::WaitStatus, String> {
    match ulib::process::wait4(pid, options) {
        Ok(Some((reaped, status))) if reaped == pid => Ok(status),
        other => Err(format!("wait4({pid}, {options:#x}) gave {other:?}")),
    }
}

fn stop_and_continue() -> Outcome {
    let (child, go) = waiting_child(|| Ok(()))?;
    send(child, libc::SIGSTOP)?;
    let stopped = wait_with(child, libc::WUNTRACED)?;
    expect_eq("wait4 WUNTRACED after SIGSTOP: WSTOPSIG", stopped.stop_signal(), Some(libc::SIGSTOP))?;
    send(child, libc::SIGCONT)?;
    let continued = wait_with(child, libc::WCONTINUED)?;
    expect_eq("wait4 WCONTINUED after SIGCONT: WIFCONTINUED", libc::WIFCONTINUED(continued.raw()), true)?;
    release(&go)?;
    expect_exit(wait_for(child)?, 0)?;
    println!("the continued child's read went on: exit status 0");
    Ok(())
}

fn process_group() -> Outcome {
    let (first, _first_go) = waiting_child(|| setpgid(0, 0).context("setpgid(0, 0)"))?;
    let (second, _second_go) = waiting_child(|| setpgid(0, first).context("setpgid(0, first child)"))?;
    // SAFETY: getpgid only looks a process up.
    let groups = [first, second].map(|pid| unsafe { libc::getpgid(pid) });
    expect_eq("process groups of the two children", groups, [first, first])?;
    ensure(getpgrp() != first, || "the parent is in the children's group".into())?;
    send(-first, libc::SIGTERM)?;
    for child in [first, second] {
        expect_signal(wait_for(child)?, libc::SIGTERM)?;
    }
    println!("kill(-pgid, SIGTERM): both children killed, the parent not");
    Ok(())
}

/// rt_sigaction(2) itself: sets `signal` to SIG_DFL (or only reads its action).
fn raw_sigaction(signal: c_int, set: bool, mask_size: usize) -> io::Result<libc::c_long> {
    let new = KernelSigaction { handler: libc::SIG_DFL, flags: 0, restorer: 0, mask: 0 };
    let mut old = KernelSigaction { handler: 0, flags: 0, restorer: 0, mask: 0 };
    let new_pointer = if set { ptr::from_ref(&new) } else { ptr::null() };
    // SAFETY: rt_sigaction reads `new` (if given, a SIG_DFL action that needs no
    // restorer) and writes the old action into `old`, both kernel sigactions.
    check(unsafe {
        libc::syscall(libc::SYS_rt_sigaction, libc::c_long::from(signal), new_pointer, &raw mut old, mask_size)
    })
}

fn kill_errors() -> Outcome {
    send(0, 0)?;
    println!("kill(0, 0): the caller's process group exists");
    let reaped = spawn(|| 0)?;
    expect_exit(wait_for(reaped)?, 0)?;
    expect_failure("kill of a reaped child", kill(reaped, 0), libc::ESRCH)?;
    expect_failure("kill(INT_MAX, 0)", kill(libc::pid_t::MAX, 0), libc::ESRCH)?;
    expect_failure(&format!("kill with signal {BAD_SIGNAL}"), kill(own_pid(), BAD_SIGNAL), libc::EINVAL)?;
    expect_failure("kill with signal -1", kill(own_pid(), -1), libc::EINVAL)?;
    let size = size_of::<u64>();
    expect_failure("rt_sigaction(SIGKILL, SIG_DFL)", raw_sigaction(libc::SIGKILL, true, size), libc::EINVAL)?;
    expect_failure("rt_sigaction(SIGSTOP, SIG_DFL)", raw_sigaction(libc::SIGSTOP, true, size), libc::EINVAL)?;
    expect_eq(
        "rt_sigaction(SIGKILL) only reading",
        raw_sigaction(libc::SIGKILL, false, size).context("rt_sigaction")?,
        0,
    )?;
    expect_failure("rt_sigaction of signal 0", raw_sigaction(0, true, size), libc::EINVAL)?;
    expect_failure("rt_sigaction of signal 65", raw_sigaction(65, true, size), libc::EINVAL)?;
    expect_failure("rt_sigaction with a 16-byte mask", raw_sigaction(libc::SIGUSR1, true, 16), libc::EINVAL)
}

fn raised_segv() -> Outcome {
    let status = fork_and_wait(|| {
        child_check("SIGSEGV child", || {
            handle(libc::SIGSEGV, Action::Default, 0, Signals::EMPTY)?;
            // SAFETY: raise sends SIGSEGV to this thread; with SIG_DFL it ends the child.
            check(unsafe { libc::raise(libc::SIGSEGV) }).context("raise")?;
            Err("raise(SIGSEGV) returned".into())
        })
    })?;
    expect_signal(status, libc::SIGSEGV)?;
    println!("raise(SIGSEGV), default action: the child was killed by SIGSEGV");
    Ok(())
}

fn signals_test() -> Outcome {
    handler_before_kill_returns()?;
    pending_while_blocked()?;
    reset_handler()?;
    masks_in_handlers()?;
    alternate_stack()?;
    interrupted_read()?;
    alarm_and_pause()?;
    interval_timer()?;
    suspend()?;
    child_exit_signal()?;
    default_actions()?;
    stop_and_continue()?;
    process_group()?;
    kill_errors()?;
    raised_segv()
}

fn main() -> ExitCode {
    ktest::run(NAME, signals_test)
}
