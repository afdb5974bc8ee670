//! ktest-fileleak: creates and deletes 10,000 files of 5000 bytes (each needs two
//! pages), 100 at a time, checking each one's data, and compares free memory
//! plus its own resident memory (sysinfo, /proc/self/status) before and after. With `--exact` (the Kestrel boot test) the two figures
//! must be equal: the file system leaks no pages, inodes or names. Without it they are
//! only printed (Linux's page cache and other activity move free memory).
//!
//! Usage: `ktest-fileleak [--exact] [DIR]`: works in DIR/ktest-fileleak-PID (default
//! under /tmp).
use std::fs;
use std::process::ExitCode;

use ktest::{Context, Outcome, Scratch, ensure, memory_outside_self};

const NAME: &str = "fileleak";
const FILES: usize = 10_000;
/// Files that exist at once: made, then all deleted, before the next batch.
const BATCH: usize = 100;
/// One batch before the first measurement, so one-time growth (the directory's
/// table, the program's heap and stdout buffer) is done.
const WARM_UP: usize = PROGRESS_EVERY;
const FILE_SIZE: usize = 5000;
const PROGRESS_EVERY: usize = 1_000;
const EXACT_FLAG: &str = "--exact";

fn contents(index: usize) -> Vec<u8> {
    (0..FILE_SIZE).map(|offset| (index + offset) as u8).collect()
}

/// Makes files `first..first + BATCH`, reads each back, then deletes them all.
fn batch(scratch: &Scratch, first: usize) -> Outcome {
    let names: Vec<_> = (first..first + BATCH).map(|index| scratch.join(format!("f{index}"))).collect();
    for (index, path) in (first..).zip(&names) {
        fs::write(path, contents(index)).context(format_args!("write {}", path.display()))?;
    }
    for (index, path) in (first..).zip(&names) {
        let data = fs::read(path).context(format_args!("read {}", path.display()))?;
        ensure(data == contents(index), || format!("{} does not read back as written", path.display()))?;
    }
    for path in &names {
        fs::remove_file(path).context(format_args!("unlink {}", path.display()))?;
    }
    Ok(())
}

/// Makes and deletes files `first..first + count` in batches, with progress lines.
fn run(scratch: &Scratch, first: usize, count: usize) -> Outcome {
    for start in (first..first + count).step_by(BATCH) {
        batch(scratch, start)?;
        let done = start + BATCH - first;
        if done.is_multiple_of(PROGRESS_EVERY) {
            println!("fileleak: {done} files made and deleted");
        }
    }
    Ok(())
}

fn file_loop(exact: bool) -> Outcome {
    let scratch = Scratch::create(NAME)?;
    // The warm-up takes the same path as the measured loop (progress lines
    // included), so one-time growth of the program's own memory comes before the
    // first measurement.
    run(&scratch, 0, WARM_UP)?;
    let before = memory_outside_self()?;
    run(&scratch, WARM_UP, FILES)?;
    let after = memory_outside_self()?;
    println!("free memory + own resident memory: {before} bytes before the loop, {after} after");
    scratch.remove()?;
    if exact && before != after {
        return Err(format!("{} bytes of memory leaked", before as i64 - after as i64));
    }
    Ok(())
}

fn main() -> ExitCode {
    let exact = std::env::args().any(|arg| arg == EXACT_FLAG);
    ktest::run(NAME, || file_loop(exact))
}
