//! ktest-fpu: each process keeps its own SSE state. Parent and child, with distinct
//! values, hold all 16 xmm registers across a sched_yield system call and check them,
//! many times, and compare a long floating-point computation done while yielding
//! with the same one done without.
use std::arch::asm;
use std::hint::black_box;
use std::process::ExitCode;
use std::thread;

use ktest::{Outcome, ensure, expect_exit, spawn, wait_for};

const ROUNDS: u32 = 500;
const SERIES_STEPS: u32 = 20_000;
const PARENT_SEED: f64 = 1.5;
const CHILD_SEED: f64 = -3.75;

/// Loads the 16 xmm registers with values from `base`, makes one sched_yield system
/// call, and checks the registers still hold them.
fn xmm_registers_survive_yield(base: f64) -> Outcome {
    let expected: [f64; 16] = std::array::from_fn(|index| base + index as f64 / 8.0);
    let mut registers = expected;
    // SAFETY: one sched_yield system call, which touches no memory of ours; the
    // registers the syscall instruction and the kernel may change (rax for the result,
    // rcx and r11) are declared, and the xmm registers are in-out operands.
    unsafe {
        asm!(
            "syscall",
            inout("rax") libc::SYS_sched_yield => _,
            out("rcx") _,
            out("r11") _,
            inout("xmm0") registers[0], inout("xmm1") registers[1],
            inout("xmm2") registers[2], inout("xmm3") registers[3],
            inout("xmm4") registers[4], inout("xmm5") registers[5],
            inout("xmm6") registers[6], inout("xmm7") registers[7],
            inout("xmm8") registers[8], inout("xmm9") registers[9],
            inout("xmm10") registers[10], inout("xmm11") registers[11],
            inout("xmm12") registers[12], inout("xmm13") registers[13],
            inout("xmm14") registers[14], inout("xmm15") registers[15],
            options(nostack),
        );
    }
    match (0..16).find(|&index| registers[index].to_bits() != expected[index].to_bits()) {
        None => Ok(()),
        Some(index) => {
            Err(format!("xmm{index} held {} before sched_yield and {} after", expected[index], registers[index]))
        }
    }
}

/// A long chain of SSE arithmetic from `seed`, yielding the CPU every `yield_every`
/// steps if asked to.
fn float_series(seed: f64, yield_every: Option<u32>) -> f64 {
    let mut x = seed;
    let mut sum = 0.0;
    for step in 1..=SERIES_STEPS {
        x = (x * x + 1.0).sqrt() * 0.999 + f64::from(step).recip();
        sum += x / f64::from(step);
        if yield_every.is_some_and(|every| step % every == 0) {
            thread::yield_now();
        }
    }
    sum
}

fn exercise(who: &str, seed: f64) -> Outcome {
    let expected = float_series(black_box(seed), None);
    for round in 0..ROUNDS {
        xmm_registers_survive_yield(seed + f64::from(round))
            .map_err(|reason| format!("{who}, round {round}: {reason}"))?;
    }
    let yielding = float_series(black_box(seed), Some(16));
    ensure(yielding.to_bits() == expected.to_bits(), || {
        format!("{who}: the series gave {yielding} while yielding and {expected} without")
    })?;
    println!("{who}: xmm0-15 survived {ROUNDS} yields; series = {expected}");
    Ok(())
}

fn fpu() -> Outcome {
    let child = spawn(|| match exercise("child", CHILD_SEED) {
        Ok(()) => 0,
        Err(reason) => {
            println!("{reason}");
            1
        }
    })?;
    let parent_outcome = exercise("parent", PARENT_SEED);
    let child_status = wait_for(child)?;
    parent_outcome?;
    expect_exit(child_status, 0).map_err(|reason| format!("child: {reason}"))
}

fn main() -> ExitCode {
    ktest::run("fpu", fpu)
}
