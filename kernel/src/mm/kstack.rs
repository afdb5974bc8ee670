//! Kernel stacks: one slot each in the kernel-stack region (layout.rs), its
//! first page left unmapped as a guard so an overflow faults instead of
//! corrupting memory; and contained calls, which run on one.
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::panic::UnwindSafe;

use spin::Mutex;

use crate::arch::contain;
use crate::arch::cpu::without_interrupts;
use crate::arch::paging::{self, Access, MapError, PAGE_SIZE};
use crate::layout::{GUARD_PAGE_SIZE, KERNEL_STACK_SLOT, KERNEL_STACKS_BASE, KERNEL_STACKS_END};

use super::frames;

struct Slots {
    free: Vec<u64>,
    next: u64,
}

static SLOTS: Mutex<Slots> = Mutex::new(Slots { free: Vec::new(), next: 0 });
/// Free slots the list has room for from the start (the task table's size).
const FREE_SLOTS_KEPT: usize = 1024;

/// The pages of a stack (its slot but the guard page).
const PAGES: usize = ((KERNEL_STACK_SLOT - GUARD_PAGE_SIZE) / PAGE_SIZE) as usize;

#[derive(Debug)]
pub struct KernelStack {
    base: u64,
}

/// Build the page tables of the first `FREE_SLOTS_KEPT` slots now (a page mapped
/// and unmapped in each 2 MiB, whose table stays), so that how many stacks once
/// existed together never shows as page-table frames taken later (the exact
/// leak checks count free frames).
pub fn init() -> Result<(), MapError> {
    const TABLE_SPAN: u64 = 2 << 20;
    let end = KERNEL_STACKS_BASE + FREE_SLOTS_KEPT as u64 * KERNEL_STACK_SLOT;
    let data = Access { write: true, execute: false, user: false };
    for span in (KERNEL_STACKS_BASE..end).step_by(TABLE_SPAN as usize) {
        let frame = frames::alloc().ok_or(MapError::OutOfFrames)?;
        paging::map(paging::kernel_root(), span, frame, data).inspect_err(|_| frames::free(frame))?;
        frames::free(paging::unmap(paging::kernel_root(), span)?);
    }
    Ok(())
}

impl KernelStack {
    pub fn new() -> Result<Self, MapError> {
        let base = without_interrupts(|| {
            let mut slots = SLOTS.lock();
            if slots.free.capacity() == 0 {
                // Room for as many free slots as there are tasks at most, taken
                // once, so the list does not grow with how many stacks once
                // existed together (the exact leak checks count the heap).
                slots.free.reserve_exact(FREE_SLOTS_KEPT);
            }
            slots.free.pop().or_else(|| {
                let base = KERNEL_STACKS_BASE + slots.next * KERNEL_STACK_SLOT;
                (base < KERNEL_STACKS_END).then(|| {
                    slots.next += 1;
                    base
                })
            })
        })
        .ok_or(MapError::OutOfFrames)?;
        let stack = Self { base };
        let mut taken = [0; PAGES];
        for (count, slot) in taken.iter_mut().enumerate() {
            match frames::alloc() {
                Some(frame) => *slot = frame,
                None => {
                    taken[..count].iter().copied().for_each(frames::free);
                    return Err(MapError::OutOfFrames);
                }
            }
        }
        let data = Access { write: true, execute: false, user: false };
        paging::map_run(paging::kernel_root(), stack.bottom(), &taken, data)
            .inspect_err(|_| taken.iter().copied().for_each(frames::free))?;
        Ok(stack)
    }

    /// The lowest mapped byte (above the guard page).
    fn bottom(&self) -> u64 {
        self.base + GUARD_PAGE_SIZE
    }

    /// The initial stack pointer (one past the highest byte).
    pub fn top(&self) -> u64 {
        self.base + KERNEL_STACK_SLOT
    }
}

impl Drop for KernelStack {
    fn drop(&mut self) {
        paging::unmap_run(paging::kernel_root(), self.bottom(), PAGES, frames::free);
        let base = self.base;
        without_interrupts(|| SLOTS.lock().free.push(base));
    }
}

/// Run `f` contained on a kernel stack of its own (arch's contain.rs): `Err`
/// with the panic's text if it panicked, or overflowed the stack. That stack is
/// then leaked (its frames were abandoned, not unwound); otherwise it is freed.
pub fn run_contained<R>(f: impl FnOnce() -> R + UnwindSafe) -> Result<R, ContainedPanic> {
    let stack = KernelStack::new().map_err(|_| ContainedPanic::NoStack)?;
    let outcome = contain::run_on_stack(stack.top(), f);
    if outcome.is_err() {
        core::mem::forget(stack);
    }
    outcome.map_err(ContainedPanic::Panicked)
}

/// Why a contained call did not return.
#[derive(Debug)]
pub enum ContainedPanic {
    /// No kernel stack could be made for it (it did not run).
    NoStack,
    Panicked(String),
}

impl fmt::Display for ContainedPanic {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Self::NoStack => f.write_str("no memory for its stack"),
            Self::Panicked(text) => write!(f, "it panicked: {text}"),
        }
    }
}
