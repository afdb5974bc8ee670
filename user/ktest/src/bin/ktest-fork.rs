//! ktest-fork: fork, the child's exit status through wait4 (WIFEXITED, WEXITSTATUS),
//! the child's parent id, ECHILD once no child is left, and WNOHANG returning 0 while
//! a child (sleeping 100 ms in nanosleep) still runs.
use std::os::unix::process::parent_id;
use std::process::{self, ExitCode};
use std::thread;
use std::time::Duration;

use ktest::{Outcome, expect_errno, expect_exit, spawn, wait_for};

fn fork_test() -> Outcome {
    let parent = process::id();
    let child = spawn(|| if parent_id() == parent { 42 } else { 43 })?;
    println!("forked child {child}");
    let status = wait_for(child)?;
    expect_exit(status, 42)?;
    println!("child exited with status 42 and saw its parent's pid");

    match ulib::process::wait4(-1, 0) {
        Ok(reaped) => return Err(format!("wait4 with no children returned {reaped:?}")),
        Err(err) => expect_errno("wait4 with no children", &err, libc::ECHILD)?,
    }
    println!("wait4 with no children: ECHILD");

    let sleeper = spawn(|| {
        thread::sleep(Duration::from_millis(100));
        7
    })?;
    match ulib::process::wait4(sleeper, libc::WNOHANG) {
        Ok(None) => println!("WNOHANG on a running child: 0"),
        Ok(Some((_, status))) => {
            return Err(format!("WNOHANG on a sleeping child reaped it ({status})"));
        }
        Err(err) => return Err(format!("wait4 WNOHANG: {err}")),
    }
    expect_exit(wait_for(sleeper)?, 7)?;
    println!("the sleeping child exited with status 7");
    Ok(())
}

fn main() -> ExitCode {
    ktest::run("fork", fork_test)
}
