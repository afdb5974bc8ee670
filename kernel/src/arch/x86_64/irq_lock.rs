//! A spinlock that keeps interrupts off while it is held (a `lock_api` raw mutex,
//! for the kernel heap): a holder can then never be preempted, so code that
//! allocates with interrupts already off cannot spin forever on a lock held by a
//! preempted process.
use core::sync::atomic::{AtomicBool, Ordering};

use x86_64::instructions::interrupts;

#[derive(Debug)]
pub struct IrqSpinlock {
    locked: AtomicBool,
    /// Whether interrupts were on before the holder took the lock.
    interrupts_were_on: AtomicBool,
}

// SAFETY: `lock` returns only once this CPU holds `locked` exclusively (swapped from
// false to true), and `unlock` releases it; interrupts stay off in between, so the
// holder runs to completion on the one CPU.
unsafe impl lock_api::RawMutex for IrqSpinlock {
    #[allow(clippy::declare_interior_mutable_const)] // lock_api's required initializer
    const INIT: Self = Self { locked: AtomicBool::new(false), interrupts_were_on: AtomicBool::new(false) };

    type GuardMarker = lock_api::GuardNoSend;

    fn lock(&self) {
        while !self.try_lock() {
            core::hint::spin_loop();
        }
    }

    fn try_lock(&self) -> bool {
        let were_on = interrupts::are_enabled();
        interrupts::disable();
        if self.locked.compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed).is_ok() {
            self.interrupts_were_on.store(were_on, Ordering::Relaxed);
            true
        } else {
            if were_on {
                interrupts::enable();
            }
            false
        }
    }

    unsafe fn unlock(&self) {
        let were_on = self.interrupts_were_on.load(Ordering::Relaxed);
        self.locked.store(false, Ordering::Release);
        if were_on {
            interrupts::enable();
        }
    }
}
