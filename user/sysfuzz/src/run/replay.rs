//! `--replay SEED:WORKER[:GEN]:INDEX`: regenerates that worker generation's calls
//! up to INDEX and prints them, then (not in a dry run) issues only the last one in
//! a forked worker set up as in the campaign (pool, arena filled as at its last
//! upkeep before INDEX), and reports what the call returned and how the worker
//! ended.
use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use ktest::{errno_name, signal_name};
use sysfuzz::cli::Options;
use sysfuzz::layout::REPLAY_RESULT_FD;
use sysfuzz::report::{call_line, replay_calls};
use sysfuzz::{CallId, Context};
use ulib::process::{self as uproc, Fork};

use super::pool::Pool;
use super::raw;
use super::worker::{MAINTAIN_EVERY, Params, Worker};

pub fn run(id: CallId, options: &Options) -> ExitCode {
    println!("sysfuzz: replay {id}: {} calls", id.index + 1);
    if options.dry_run {
        let calls = replay_calls(id, Context::dry_run(id.worker));
        for call in &calls {
            println!("{}", call_line(call));
        }
        println!("sysfuzz: replay (dry run, stand-in pids) would issue {id}");
        return ExitCode::SUCCESS;
    }
    match issue(id, options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(reason) => {
            println!("sysfuzz: replay: {reason}");
            ExitCode::FAILURE
        }
    }
}

fn issue(id: CallId, options: &Options) -> Result<(), String> {
    let pool = Pool::create()?;
    let (mut result_read, result_write) = ktest::pipe().map_err(|err| format!("pipe: {err}"))?;
    let supervisor_pid = std::process::id() as i32;
    let _ = io::stdout().flush();
    let child = match uproc::fork().map_err(|err| format!("fork: {err}"))? {
        Fork::Child => {
            let params = Params {
                seed: id.seed,
                worker: id.worker,
                generation: id.generation,
                supervisor_pid,
                record_path: None,
            };
            // The pids of the calls are this child's, so it prints them.
            // SAFETY: getpid has no preconditions.
            let context = Context { own_pid: unsafe { libc::getpid() }, supervisor_pid };
            let calls = replay_calls(id, context);
            for call in &calls {
                println!("{}", call_line(call));
            }
            println!("sysfuzz: replay issuing {id}");
            let _ = io::stdout().flush();
            raw::dup2(result_write.as_raw_fd(), REPLAY_RESULT_FD);
            let worker = Worker::set_up(params);
            worker.maintain(id.index / MAINTAIN_EVERY);
            let last = calls.last().expect("at least one call");
            let result = worker.issue(last);
            raw::write(REPLAY_RESULT_FD, &result.to_le_bytes());
            raw::exit_now(0)
        }
        Fork::Parent { child } => child,
    };
    drop(result_write);
    let status = wait_with_timeout(child, Duration::from_millis(options.timeout_ms));
    // Without blocking: a process the call made may still hold the write end.
    let _ = ktest::fcntl(result_read.as_raw_fd(), libc::F_SETFL, libc::O_NONBLOCK);
    let mut bytes = Vec::new();
    let _ = result_read.read_to_end(&mut bytes);
    match <[u8; 8]>::try_from(bytes.as_slice()) {
        Ok(word) => {
            let result = i64::from_le_bytes(word);
            match raw::errno_of(result) {
                Some(errno) => println!("sysfuzz: replay returned -{errno} ({})", errno_name(errno)),
                None => println!("sysfuzz: replay returned {result:#x}"),
            }
        }
        Err(_) => println!("sysfuzz: replay: the call did not return"),
    }
    match status {
        Some(status) => match (status.exit_code(), status.killing_signal()) {
            (Some(code), _) => println!("sysfuzz: replay worker (pid {child}) exited with status {code}"),
            (None, Some(signal)) => println!(
                "sysfuzz: replay worker (pid {child}) was killed by signal {signal} ({})",
                signal_name(signal).unwrap_or("real-time")
            ),
            (None, None) => println!("sysfuzz: replay worker (pid {child}) ended with wait status {:#x}", status.raw()),
        },
        None => println!("sysfuzz: replay worker (pid {child}) hung for {} ms, killed", options.timeout_ms),
    }
    pool.close();
    for problem in pool.remove_files() {
        println!("sysfuzz: warning: {problem}");
    }
    Ok(())
}

/// Waits for `child` up to `timeout`; kills its group and it after that (None).
fn wait_with_timeout(child: i32, timeout: Duration) -> Option<ktest::WaitStatus> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Ok(Some((_, status))) = uproc::wait4(child, libc::WNOHANG) {
            return Some(status);
        }
        if Instant::now() >= deadline {
            // SAFETY: kill takes plain integers; `child` is ours and above 1.
            unsafe {
                libc::kill(-child, libc::SIGKILL);
                libc::kill(child, libc::SIGKILL);
            }
            let _ = uproc::wait4(child, 0);
            return None;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
