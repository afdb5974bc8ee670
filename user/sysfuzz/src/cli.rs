//! The command line: `sysfuzz [--seed N] [--workers W] [--seconds S] [--calls C]
//! [--timeout-ms T] [--dry-run] [--replay SEED:WORKER[:GEN]:INDEX]`, each value
//! also as `--name=value`, numbers in decimal or 0x hex; plus `--noop` (exit 0 at
//! once: the post-check executes the program that way).
use crate::generate::CallId;

pub const USAGE: &str = "usage: sysfuzz [--seed N] [--workers W] [--seconds S] [--calls C] [--timeout-ms T] \
                         [--dry-run] [--replay SEED:WORKER[:GEN]:INDEX]";

/// The most workers a campaign runs.
pub const MAX_WORKERS: u32 = 64;
/// The shortest hang timeout (the supervisor looks every 100 ms).
pub const MIN_TIMEOUT_MS: u64 = 200;
/// How many calls a dry run prints when `--calls` is not given.
pub const DRY_RUN_CALLS: u64 = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub seed: u64,
    pub workers: u32,
    pub seconds: u64,
    /// Stop after this many calls in all (or after `seconds`, whichever is first).
    pub calls: Option<u64>,
    pub timeout_ms: u64,
    pub dry_run: bool,
    pub replay: Option<CallId>,
    pub noop: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            seed: 1,
            workers: 4,
            seconds: 20,
            calls: None,
            timeout_ms: 2000,
            dry_run: false,
            replay: None,
            noop: false,
        }
    }
}

/// A number in decimal or with a 0x prefix in hex.
pub fn number(text: &str) -> Result<u64, String> {
    let parsed = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    };
    parsed.map_err(|_| format!("'{text}' is not a number"))
}

/// Parses the arguments after the program name (a bare `--` is skipped).
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
    let mut options = Options::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name.to_owned(), Some(value.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = || inline.clone().or_else(|| args.next()).ok_or_else(|| format!("{name} needs a value"));
        match name.as_str() {
            "--" => {}
            "--seed" => options.seed = number(&value()?)?,
            "--workers" => options.workers = u32::try_from(number(&value()?)?).unwrap_or(u32::MAX),
            "--seconds" => options.seconds = number(&value()?)?,
            "--calls" => options.calls = Some(number(&value()?)?),
            "--timeout-ms" => options.timeout_ms = number(&value()?)?,
            "--replay" => options.replay = Some(value()?.parse()?),
            "--dry-run" | "--noop" if inline.is_some() => return Err(format!("{name} takes no value")),
            "--dry-run" => options.dry_run = true,
            "--noop" => options.noop = true,
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    if !(1..=MAX_WORKERS).contains(&options.workers) {
        return Err(format!("--workers must be 1 to {MAX_WORKERS}"));
    }
    if options.timeout_ms < MIN_TIMEOUT_MS {
        return Err(format!("--timeout-ms must be at least {MIN_TIMEOUT_MS}"));
    }
    if let Some(id) = options.replay
        && id.worker >= MAX_WORKERS
    {
        return Err(format!("--replay: worker {} is out of range", id.worker));
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_words(line: &str) -> Result<Options, String> {
        parse(line.split_whitespace().map(str::to_owned))
    }

    #[test]
    fn defaults() {
        let options = parse_words("").unwrap();
        assert_eq!(options, Options::default());
        assert_eq!((options.seed, options.workers, options.seconds, options.timeout_ms), (1, 4, 20, 2000));
    }

    #[test]
    fn every_option() {
        let options =
            parse_words("-- --seed 0x10 --workers=2 --seconds 5 --calls 50 --timeout-ms 500 --dry-run").unwrap();
        assert_eq!(
            options,
            Options {
                seed: 16,
                workers: 2,
                seconds: 5,
                calls: Some(50),
                timeout_ms: 500,
                dry_run: true,
                replay: None,
                noop: false
            }
        );
        let replay = parse_words("--replay 3:1:17").unwrap().replay.unwrap();
        assert_eq!(replay, CallId { seed: 3, worker: 1, generation: 0, index: 17 });
        assert!(parse_words("--noop").unwrap().noop);
    }

    #[test]
    fn mistakes() {
        for line in [
            "--seed",
            "--seed x",
            "--workers 0",
            "--workers 65",
            "--timeout-ms 10",
            "--frobnicate",
            "--dry-run=1",
            "--replay 1:2",
            "--replay 1:99:0",
        ] {
            assert!(parse_words(line).is_err(), "{line}");
        }
    }
}
