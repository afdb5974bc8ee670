//! ktest-pipefill: fill as many pipes as the descriptor limit allows with 64 KiB
//! each (about 130 MB at 2,000 pipes), close them all, and compare free memory
//! (sysinfo) before and after: it must come back to within 1% (the kernel gives
//! pipe contents and heap memory back). With `--exact` (the Kestrel boot test),
//! free memory plus this program's own and the kernel heap's unused bytes must be
//! the same before and after, as ktest-forkloop checks.
//!
//! Usage: `ktest-pipefill [--exact]`.
use std::process::ExitCode;

use ktest::{Outcome, ensure, free_memory, get_limit, memory_outside_self, pipe2, set_limit};

const NAME: &str = "pipefill";
const PIPE_BYTES: usize = 64 << 10;
/// Pipes to fill at most (two descriptors each; the limit is raised to fit).
const PIPES: usize = 2036;
const EXACT_FLAG: &str = "--exact";

fn fill_twice() -> Outcome {
    let exact = std::env::args().any(|a| a == EXACT_FLAG);
    fill(false)?;
    fill(exact)
}

fn fill(exact: bool) -> Outcome {
    let nofile = get_limit(libc::RLIMIT_NOFILE).map_err(|e| format!("getrlimit: {e}"))?;
    let wanted = (2 * PIPES as u64 + 16).min(nofile.hard);
    set_limit(libc::RLIMIT_NOFILE, wanted, nofile.hard).map_err(|e| format!("setrlimit: {e}"))?;
    let data = vec![0x6bu8; PIPE_BYTES];
    let mut pipes = Vec::with_capacity(PIPES);
    let (free_before, outside_before) = (free_memory()?, memory_outside_self()?);
    let mut stored = 0usize;
    let stop = loop {
        if pipes.len() == PIPES {
            break "all pipes filled".to_string();
        }
        let (reader, mut writer) = match pipe2(libc::O_NONBLOCK) {
            Ok(ends) => ends,
            Err(e) => break format!("pipe2: {}", ktest::errno_name(e.raw_os_error().unwrap_or(0))),
        };
        match std::io::Write::write(&mut writer, &data) {
            Ok(n) => stored += n,
            Err(e) => break format!("write: {}", ktest::errno_name(e.raw_os_error().unwrap_or(0))),
        }
        pipes.push((reader, writer));
    };
    let free_full = free_memory()?;
    println!("pipefill: {} pipes hold {} MB ({stop})", pipes.len(), stored / 1_000_000);
    drop(pipes);
    let (free_after, outside_after) = (free_memory()?, memory_outside_self()?);
    println!(
        "pipefill: free memory {} MB before, {} MB full, {} MB after closing them",
        free_before / 1_000_000,
        free_full / 1_000_000,
        free_after / 1_000_000
    );
    ensure(stored >= PIPE_BYTES * 100, || format!("only {stored} bytes went into pipes"))?;
    let lost = free_before.saturating_sub(free_after);
    ensure(lost * 100 <= free_before, || format!("{lost} bytes of free memory did not come back"))?;
    ensure(!exact || outside_before == outside_after, || {
        format!("memory outside this program: {outside_before} before, {outside_after} after")
    })
}

fn main() -> ExitCode {
    ktest::run(NAME, fill_twice)
}
