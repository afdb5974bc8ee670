//! Signals waiting for delivery, a thread's or a process's: which are pending,
//! and the details (siginfo) those that carry them brought.
use alloc::collections::BTreeMap;

use kabi::SigInfo;
use kabi::signal::Signal;

/// si_code of a signal the kernel sent.
pub const SI_KERNEL: i32 = 0x80;

#[derive(Debug, Clone, Default)]
pub struct Pending {
    set: u64,
    /// The details of one pending signal, held inline: the usual single pending
    /// signal costs no allocation.
    first: Option<(u8, SigInfo)>,
    /// Those of the others (a signal's details are in one place or the other).
    info: BTreeMap<u8, SigInfo>,
}

fn bit(number: u8) -> u64 {
    1 << (number - 1)
}

impl Pending {
    /// The pending signals, bit `n - 1` for signal `n`.
    pub fn set(&self) -> u64 {
        self.set
    }

    /// Mark `signal` pending with `info` (a standard signal pending already keeps
    /// one instance, with the newest details).
    pub fn add(&mut self, signal: Signal, info: SigInfo) {
        let number = signal as u8;
        self.set |= bit(number);
        match &mut self.first {
            Some((held, details)) if *held == number => *details = info,
            None if !self.info.contains_key(&number) => self.first = Some((number, info)),
            _ => {
                self.info.insert(number, info);
            }
        }
    }

    /// Take the lowest pending signal in `mask` with its details (a kernel
    /// siginfo for one that brought none).
    pub fn take(&mut self, mask: u64) -> Option<SigInfo> {
        let chosen = self.set & mask;
        if chosen == 0 {
            return None;
        }
        let number = chosen.trailing_zeros() as u8 + 1;
        self.set &= !bit(number);
        let info = match self.first {
            Some((held, details)) if held == number => {
                self.first = None;
                Some(details)
            }
            _ => self.info.remove(&number),
        };
        self.release_if_empty();
        Some(info.unwrap_or(SigInfo { si_signo: i32::from(number), si_code: SI_KERNEL, ..SigInfo::default() }))
    }

    /// Forget the pending signals in `mask` and their details.
    pub fn discard(&mut self, mask: u64) {
        if self.set & mask == 0 {
            return;
        }
        self.set &= !mask;
        if self.first.is_some_and(|(number, _)| mask & bit(number) != 0) {
            self.first = None;
        }
        self.info.retain(|&number, _| mask & bit(number) == 0);
        self.release_if_empty();
    }

    /// An emptied B-tree keeps its root node; a new one holds no memory, so the
    /// kernel heap is the same whether a signal was ever pending or not (the
    /// exact leak checks compare it).
    fn release_if_empty(&mut self) {
        if self.info.is_empty() {
            self.info = BTreeMap::new();
        }
    }
}
