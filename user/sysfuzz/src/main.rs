//! sysfuzz, a system-call fuzzer for Kestrel: the entry point. It parses the
//! command line and runs a dry run (print the calls a seed generates, anywhere), a
//! replay, or a campaign; the last two issue random system calls and so refuse to
//! run on any kernel but Kestrel. `--noop` exits 0 at once (the post-check
//! executes the program that way).
mod run;

use std::io::{self, Write};
use std::process::ExitCode;

use sysfuzz::cli::{self, USAGE};
use sysfuzz::report;

fn main() -> ExitCode {
    if std::env::args().nth(1).is_some_and(|arg| arg == "--help") {
        println!("{USAGE}\nThrows reproducible random system calls at the kernel; `man sysfuzz` says more.");
        return ExitCode::SUCCESS;
    }
    let options = match cli::parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(reason) => {
            eprintln!("sysfuzz: {reason}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if options.noop {
        return ExitCode::SUCCESS;
    }
    if options.dry_run && options.replay.is_none() {
        // Stops quietly when the reader goes away (`| head`).
        let mut out = io::stdout().lock();
        for line in report::dry_run_lines(&options) {
            if writeln!(out, "{line}").is_err() {
                break;
            }
        }
        return ExitCode::SUCCESS;
    }
    if !options.dry_run {
        let kernel = run::kernel_name();
        if kernel != run::KERNEL {
            eprintln!(
                "sysfuzz: refusing to issue random system calls on {kernel}, not {}: run it inside Kestrel, \
                 or add --dry-run to print the calls",
                run::KERNEL
            );
            return ExitCode::from(2);
        }
    }
    match options.replay {
        Some(id) => run::replay::run(id, &options),
        None => run::supervisor::run(&options),
    }
}
