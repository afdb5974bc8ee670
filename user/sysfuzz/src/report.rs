//! The lines sysfuzz prints that other programs match (boot tests, scripts): the
//! progress line, the final line, a call, and what a dry run and a replay print.
use crate::cli::{DRY_RUN_CALLS, Options};
use crate::generate::{Call, CallId, Context, Generator};

/// `sysfuzz: progress seed=S calls=N workers_killed=K elapsed=Xs`
pub fn progress_line(seed: u64, calls: u64, workers_killed: u64, elapsed_seconds: u64) -> String {
    format!("sysfuzz: progress seed={seed} calls={calls} workers_killed={workers_killed} elapsed={elapsed_seconds}s")
}

/// `sysfuzz: done seed=S calls=N workers_killed=K syscalls_per_second=R`
pub fn done_line(seed: u64, calls: u64, workers_killed: u64, per_second: u64) -> String {
    format!("sysfuzz: done seed={seed} calls={calls} workers_killed={workers_killed} syscalls_per_second={per_second}")
}

/// Calls per second over `millis` milliseconds (0 for no time at all).
pub fn rate(calls: u64, millis: u64) -> u64 {
    if millis == 0 { 0 } else { (u128::from(calls) * 1000 / u128::from(millis)) as u64 }
}

/// `sysfuzz: call SEED:WORKER:GEN:INDEX nr=NAME(n) args=[...]`
pub fn call_line(call: &Call) -> String {
    format!("sysfuzz: call {} {call}", call.id)
}

/// A dry run: a header, then the `--calls` first calls (100 if not given) shared
/// out among the workers as evenly as they would be, worker by worker, each
/// worker's first generation, with the dry run's stand-in pids.
pub fn dry_run_lines(options: &Options) -> Vec<String> {
    let total = options.calls.unwrap_or(DRY_RUN_CALLS);
    let workers = u64::from(options.workers);
    let mut lines = vec![format!("sysfuzz: dry run seed={} workers={} calls={total}", options.seed, options.workers)];
    for worker in 0..options.workers {
        let share = total / workers + u64::from(u64::from(worker) < total % workers);
        let mut generator = Generator::new(options.seed, worker, 0, Context::dry_run(worker));
        lines.extend((0..share).map(|_| call_line(&generator.next_call())));
    }
    lines
}

/// A replay's calls: those of `id`'s worker generation up to and including `id`,
/// generated with `context` (the pids), as call lines.
pub fn replay_calls(id: CallId, context: Context) -> Vec<Call> {
    let mut generator = Generator::new(id.seed, id.worker, id.generation, context);
    (0..=id.index).map(|_| generator.next_call()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_exact() {
        assert_eq!(progress_line(3, 1200, 1, 4), "sysfuzz: progress seed=3 calls=1200 workers_killed=1 elapsed=4s");
        assert_eq!(
            done_line(3, 1200, 1, 60),
            "sysfuzz: done seed=3 calls=1200 workers_killed=1 syscalls_per_second=60"
        );
        assert_eq!(rate(1200, 20_000), 60);
        assert_eq!(rate(5, 0), 0);
    }

    #[test]
    fn dry_runs_share_the_calls_out() {
        let options = Options { seed: 3, calls: Some(50), dry_run: true, ..Options::default() };
        let lines = dry_run_lines(&options);
        assert_eq!(lines[0], "sysfuzz: dry run seed=3 workers=4 calls=50");
        assert_eq!(lines.len(), 51);
        let per_worker =
            |worker: u32| lines.iter().filter(|l| l.starts_with(&format!("sysfuzz: call 3:{worker}:0:"))).count();
        assert_eq!([per_worker(0), per_worker(1), per_worker(2), per_worker(3)], [13, 13, 12, 12]);
        assert!(lines[1].starts_with("sysfuzz: call 3:0:0:0 nr="));
        assert_eq!(lines, dry_run_lines(&options), "reproducible");
    }

    #[test]
    fn a_replay_regenerates_the_same_calls() {
        let id = CallId { seed: 3, worker: 1, generation: 0, index: 12 };
        let options = Options { seed: 3, calls: Some(100), ..Options::default() };
        let dry: Vec<String> =
            dry_run_lines(&options).into_iter().filter(|l| l.starts_with("sysfuzz: call 3:1:")).collect();
        let replayed: Vec<String> = replay_calls(id, Context::dry_run(1)).iter().map(call_line).collect();
        assert_eq!(replayed.len(), 13);
        assert_eq!(replayed[..], dry[..13]);
        assert_eq!(replay_calls(id, Context::dry_run(1)).last().unwrap().id, id);
    }
}
