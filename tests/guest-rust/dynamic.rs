//! A Rust program built for the host's target (x86_64-unknown-linux-gnu: glibc,
//! dynamically linked, with libgcc_s for unwinding) whose output is the same on
//! Linux and on Kestrel: formatting, collections, threads and channels, a caught
//! panic (unwinding through libgcc_s), its own file name. tests/dynamic.rs compares
//! its lines ("dyn: ...") with the same binary's on the host.
use std::collections::{BTreeMap, HashSet};
use std::sync::mpsc;
use std::thread;

fn main() {
    let words = "the quick brown fox jumps over the lazy dog the end";
    let mut counts = BTreeMap::new();
    for word in words.split_whitespace() {
        *counts.entry(word).or_insert(0) += 1;
    }
    println!("dyn: word counts {counts:?}");
    let distinct: HashSet<char> = words.chars().filter(|c| c.is_alphabetic()).collect();
    println!("dyn: {} distinct letters", distinct.len());

    let mut values = vec![3.5f64, -1.25, 1e10, 0.0, 2.75];
    values.sort_by(f64::total_cmp);
    println!("dyn: sorted {values:?}, formatted {:>10.3}|{:<8x}|{:+e}", values[1], 48879, 1234.5);

    let (sender, receiver) = mpsc::channel();
    let workers: Vec<_> = (1..=4u64)
        .map(|n| {
            let sender = sender.clone();
            thread::spawn(move || sender.send((n, (1..=n * 1000).sum::<u64>())).unwrap())
        })
        .collect();
    drop(sender);
    workers.into_iter().for_each(|worker| worker.join().unwrap());
    let mut sums: Vec<(u64, u64)> = receiver.iter().collect();
    sums.sort();
    println!("dyn: thread sums {sums:?}");

    std::panic::set_hook(Box::new(|_| {}));
    let caught = std::panic::catch_unwind(|| -> u32 { panic!("unwound") });
    let message = caught.err().and_then(|payload| payload.downcast_ref::<&str>().map(|s| s.to_string()));
    println!("dyn: caught panic {message:?}");

    let name = std::env::current_exe().ok().and_then(|path| path.file_name().map(|n| n.to_string_lossy().into_owned()));
    println!("dyn: running as {name:?}");
    println!("dyn: all checks passed");
}
