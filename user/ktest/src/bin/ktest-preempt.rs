//! ktest-preempt: the scheduler takes the CPU from a process that never makes a
//! system call. A child spins forever; the parent sleeps 200 ms, SIGKILLs it and
//! reaps it (without preemption the parent would never run again). Then two children
//! spin for 300 ms of wall-clock time each, and both must finish.
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

use ktest::{Outcome, expect_exit, expect_signal, spawn, wait_for};

const SPIN_TIME: Duration = Duration::from_millis(300);

/// Spins (reading the clock) until `SPIN_TIME` has passed, then reports.
fn spin_for_a_while(id: u32) -> i32 {
    let start = Instant::now();
    let mut clock_reads: u64 = 0;
    while start.elapsed() < SPIN_TIME {
        clock_reads += 1;
    }
    println!("spinner {id}: done after {clock_reads} clock reads");
    0
}

fn preemption() -> Outcome {
    let spinner = spawn(|| {
        loop {
            std::hint::spin_loop();
        }
    })?;
    println!("child {spinner} spins forever; sleeping 200 ms");
    thread::sleep(Duration::from_millis(200));
    // SAFETY: kill has no memory-safety preconditions; `spinner` is our child.
    let killed = unsafe { libc::kill(spinner, libc::SIGKILL) };
    if killed != 0 {
        return Err(format!("kill: {}", std::io::Error::last_os_error()));
    }
    expect_signal(wait_for(spinner)?, libc::SIGKILL)?;
    println!("the parent ran again and killed the spinning child");

    let start = Instant::now();
    let first = spawn(|| spin_for_a_while(1))?;
    let second = spawn(|| spin_for_a_while(2))?;
    expect_exit(wait_for(first)?, 0)?;
    expect_exit(wait_for(second)?, 0)?;
    println!("two spinners of {} ms each finished in {} ms", SPIN_TIME.as_millis(), start.elapsed().as_millis());
    Ok(())
}

fn main() -> ExitCode {
    ktest::run("preempt", preemption)
}
