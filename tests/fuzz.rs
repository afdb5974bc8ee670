//! The system-call fuzzer (user/sysfuzz) as init: worker processes make random
//! system calls with adversarial arguments, then a post-check forks, execs and
//! pipes. A run fails on a kernel panic, an exception report from kernel mode, no
//! output for 30 s (the fuzzer prints progress every 2 s), or no pass line; the
//! message names the seed and the last calls the workers reported.
//!
//! `make test` runs a bounded campaign (`bounded_campaign`: two seeds of 25 s);
//! `make fuzz SEED=S SEEDS=N MINUTES=M` runs `campaign` (ignored by `cargo test`):
//! seeds S..S+N, M minutes in all.
use std::time::{Duration, Instant};

use kestrel::{Boot, Machine};

/// How long the kernel may print nothing before the run counts as hung.
const SILENCE: Duration = Duration::from_secs(30);

/// The last lines of the fuzzer's own reports (worker endings, progress).
fn last_reports(log: &str) -> String {
    let lines: Vec<&str> = log.lines().filter(|l| l.starts_with("sysfuzz:")).collect();
    lines[lines.len().saturating_sub(8)..].join("\n")
}

/// Why a run failed, if it did, given its log so far and whether it ended.
fn verdict(log: &str) -> Option<&'static str> {
    if log.contains("KERNEL PANIC") {
        Some("kernel panic")
    } else if log.contains("in kernel mode") {
        Some("exception in kernel mode")
    } else if log.contains("KTEST FAIL") {
        Some("the fuzzer's verdict")
    } else {
        None
    }
}

/// One boot: `seconds` of fuzzing with `seed`; returns the system calls made.
fn fuzz(seed: u64, seconds: u64) -> u64 {
    let args = format!("init=/bin/sysfuzz -- --seed {seed} --seconds {seconds}");
    let m: Machine = Boot::new(&args).memory("256M").start();
    let limit = Duration::from_secs(seconds + 120);
    let (start, mut last_change, mut last_len) = (Instant::now(), Instant::now(), 0);
    let failure = loop {
        std::thread::sleep(Duration::from_millis(500));
        let log = m.log();
        if let Some(why) = verdict(&log) {
            break Some(why);
        }
        if log.contains("KTEST PASS sysfuzz") {
            break None;
        }
        if log.len() != last_len {
            (last_len, last_change) = (log.len(), Instant::now());
        } else if last_change.elapsed() > SILENCE {
            break Some("no output for 30 s (hang)");
        }
        if start.elapsed() > limit {
            break Some("did not finish in time");
        }
    };
    let log = m.log();
    if let Some(why) = failure {
        panic!("sysfuzz seed {seed}: {why}\nlast reports:\n{}\n----- serial log -----\n{log}", last_reports(&log));
    }
    let done = log.lines().find(|l| l.starts_with("sysfuzz: done")).unwrap_or_default();
    println!("{done}");
    done.split("calls=").nth(1).and_then(|r| r.split_whitespace().next()).and_then(|n| n.parse().ok()).unwrap_or(0)
}

#[test]
fn bounded_campaign() {
    for seed in [1, 2] {
        assert!(fuzz(seed, 25) > 0, "seed {seed} made no calls");
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
#[ignore = "run by `make fuzz`"]
fn campaign() {
    let first = env_number("KESTREL_FUZZ_SEED", 1);
    let seeds = env_number("KESTREL_FUZZ_SEEDS", 1).max(1);
    let minutes = env_number("KESTREL_FUZZ_MINUTES", 5).max(1);
    let seconds = (minutes * 60 / seeds).max(10);
    let mut calls = 0;
    for seed in first..first + seeds {
        calls += fuzz(seed, seconds);
    }
    println!(
        "sysfuzz campaign: seeds {first}..{}, {seconds} s each, {calls} system calls, no kernel failure",
        first + seeds - 1
    );
}
