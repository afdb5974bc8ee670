//! lmbench's lat_sig figures: installing a handler (sigaction) and the delivery
//! of a signal to the process's own handler (kill of itself, the handler runs,
//! sigreturn).
use std::sync::atomic::{AtomicU32, Ordering};

use ktest::{Outcome, ensure};

use crate::{report, seconds_each};

const ROUNDS: u32 = 50_000;
static CAUGHT: AtomicU32 = AtomicU32::new(0);

extern "C" fn count_it(_: libc::c_int) {
    CAUGHT.fetch_add(1, Ordering::Relaxed);
}

/// A sigaction for SIGUSR1 that runs `count_it`.
fn counting_action() -> libc::sigaction {
    // SAFETY: an all-zero sigaction is valid (empty mask, no flags).
    let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
    action.sa_sigaction = count_it as extern "C" fn(libc::c_int) as usize;
    action
}

pub fn figures() -> Outcome {
    let action = counting_action();
    let seconds = seconds_each(ROUNDS, || {
        // SAFETY: a valid sigaction for SIGUSR1; the old one is not asked for.
        let result = unsafe { libc::sigaction(libc::SIGUSR1, &action, std::ptr::null_mut()) };
        ensure(result == 0, || format!("sigaction: {}", std::io::Error::last_os_error()))
    })?;
    report("signal_install", seconds * 1e9, "ns");
    // SAFETY: getpid has no arguments.
    let me = unsafe { libc::getpid() };
    let before = CAUGHT.load(Ordering::Relaxed);
    let seconds = seconds_each(ROUNDS, || {
        // SAFETY: SIGUSR1 to this process, whose handler counts it.
        let result = unsafe { libc::kill(me, libc::SIGUSR1) };
        ensure(result == 0, || format!("kill: {}", std::io::Error::last_os_error()))
    })?;
    let caught = CAUGHT.load(Ordering::Relaxed) - before;
    ensure(caught == ROUNDS, || format!("{caught} of {ROUNDS} signals reached the handler"))?;
    report("signal_delivery", seconds * 1e9, "ns");
    // SAFETY: back to the default action.
    unsafe { libc::signal(libc::SIGUSR1, libc::SIG_DFL) };
    Ok(())
}
