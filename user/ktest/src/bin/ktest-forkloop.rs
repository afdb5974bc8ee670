//! ktest-forkloop: 10,000 times fork a child that exits at once and reap it, checking
//! each status, and compare free memory (sysinfo) before and after. With
//! `--exact` (the Kestrel boot test) the two figures must be equal: no frame leaks.
//! Without it they are only printed (Linux's page cache and other activity move
//! free memory).
use std::process::ExitCode;

use ktest::{Outcome, expect_exit, fork_and_wait, memory_outside_self};

const FORKS: u32 = 10_000;
/// Forks before the first measurement, so one-time growth (the parent's stack as
/// it prints progress, kernel tables) is done.
const WARM_UP: u32 = 1_000;
const PROGRESS_EVERY: u32 = 1_000;
const EXACT_FLAG: &str = "--exact";

fn fork_once(done: u32) -> Outcome {
    let status = fork_and_wait(|| 0)?;
    expect_exit(status, 0).map_err(|reason| format!("fork {done}: {reason}"))
}

fn fork_loop(exact: bool) -> Outcome {
    for done in 1..=WARM_UP {
        fork_once(done)?;
    }
    println!("forkloop: {WARM_UP} warm-up forks");
    let before = memory_outside_self()?;
    for done in 1..=FORKS {
        fork_once(done)?;
        if done % PROGRESS_EVERY == 0 {
            println!("forkloop: {done} forks");
        }
    }
    let after = memory_outside_self()?;
    println!("free memory + own resident memory: {before} bytes before the loop, {after} after");
    if exact && before != after {
        return Err(format!("{} bytes of memory leaked", before as i64 - after as i64));
    }
    Ok(())
}

fn main() -> ExitCode {
    let exact = std::env::args().any(|a| a == EXACT_FLAG);
    ktest::run("forkloop", || fork_loop(exact))
}
