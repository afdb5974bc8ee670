//! threaddemo: prints the rayon and tokio report (see the library), the same on
//! every run and on every machine, and exits 0.
//!
//! Usage: `threaddemo` (the report); `threaddemo --ktest` (the report, then the
//! verdict `KTEST PASS threaddemo` if the results are the expected ones, as the boot
//! test runs it as init).
use std::env;
use std::process::ExitCode;

use ktest::ensure;
use threaddemo::{DONE, RayonResults, TokioResults};

const NAME: &str = "threaddemo";
const USAGE: &str = "usage: threaddemo [--ktest]";

/// Computes and prints the report, line by line as the parts finish; the results
/// (or why the tokio part could not run).
fn report() -> Result<(RayonResults, TokioResults), String> {
    let rayon = RayonResults::compute();
    rayon.lines().iter().for_each(|line| println!("{line}"));
    let tokio = TokioResults::compute()?;
    tokio.lines().iter().for_each(|line| println!("{line}"));
    println!("{DONE}");
    Ok((rayon, tokio))
}

fn main() -> ExitCode {
    let args: Vec<_> = env::args_os().skip(1).collect();
    match args.iter().map(|arg| arg.to_str()).collect::<Vec<_>>()[..] {
        [] => match report() {
            Ok(_) => ExitCode::SUCCESS,
            Err(reason) => {
                eprintln!("threaddemo: {reason}");
                ExitCode::FAILURE
            }
        },
        [Some("--ktest")] => ktest::run(NAME, || {
            let (rayon, tokio) = report()?;
            let expected = (RayonResults::EXPECTED, TokioResults::EXPECTED);
            ensure(rayon == expected.0, || format!("rayon: expected {:?}, got {rayon:?}", expected.0))?;
            ensure(tokio == expected.1, || format!("tokio: expected {:?}, got {tokio:?}", expected.1))
        }),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
