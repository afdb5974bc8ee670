//! `make bench`: boots `test=bench` and prints the kernel's figures. Ignored by
//! `cargo test`; figures are printed, never asserted (machines differ).
use std::time::Duration;

use kestrel::{Boot, OrLog};

#[test]
#[ignore = "run by `make bench`"]
fn kernel_figures() {
    let mut m = Boot::new("test=bench").memory("512M").start();
    m.expect_success(Duration::from_secs(180)).or_log(&m);
    println!("Kestrel figures (QEMU TCG, 512 MiB):");
    for line in m.log().lines().filter_map(|l| l.split("BENCH ").nth(1)) {
        println!("  {line}");
    }
}
