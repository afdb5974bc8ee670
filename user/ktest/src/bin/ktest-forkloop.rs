//! ktest-forkloop: 10,000 times fork a child that exits at once and reap it, checking
//! each status (the kernel's boot test compares free memory before and after).
use std::process::ExitCode;

use ktest::{Outcome, expect_exit, fork_and_wait};

const FORKS: u32 = 10_000;
const PROGRESS_EVERY: u32 = 1_000;

fn fork_loop() -> Outcome {
    for done in 1..=FORKS {
        let status = fork_and_wait(|| 0)?;
        expect_exit(status, 0).map_err(|reason| format!("fork {done}: {reason}"))?;
        if done % PROGRESS_EVERY == 0 {
            println!("forkloop: {done} forks");
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    ktest::run("forkloop", fork_loop)
}
