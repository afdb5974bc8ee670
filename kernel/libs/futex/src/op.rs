//! Decoding futex(2)'s `op` argument and its counts, as Linux 6.x's do_futex
//! (`kernel/futex/syscalls.c`), futex_wake (`waitwake.c`) and futex_requeue (`requeue.c`)
//! do. Every refusal here is ENOSYS in Linux.

/// Selects a process-private futex (keyed by address space and address) rather than a
/// shared one.
pub const FUTEX_PRIVATE_FLAG: u32 = 128;
/// Measures an absolute timeout against CLOCK_REALTIME instead of CLOCK_MONOTONIC.
pub const FUTEX_CLOCK_REALTIME: u32 = 256;

/// Linux 6.x's FUTEX_CMD_MASK: the command is every bit but the two flags, so any other
/// set bit makes an unknown command. (Newer trees add FUTEX_ROBUST_UNLOCK, 512, and
/// FUTEX_ROBUST_LIST32, 1024, as modifiers; 6.x, and this decoder, reject them as unknown.)
const FUTEX_CMD_MASK: u32 = !(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);

const FUTEX_WAIT: u32 = 0;
const FUTEX_WAKE: u32 = 1;
const FUTEX_FD: u32 = 2;
const FUTEX_REQUEUE: u32 = 3;
const FUTEX_CMP_REQUEUE: u32 = 4;
const FUTEX_WAKE_OP: u32 = 5;
const FUTEX_LOCK_PI: u32 = 6;
const FUTEX_UNLOCK_PI: u32 = 7;
const FUTEX_TRYLOCK_PI: u32 = 8;
const FUTEX_WAIT_BITSET: u32 = 9;
const FUTEX_WAKE_BITSET: u32 = 10;
const FUTEX_WAIT_REQUEUE_PI: u32 = 11;
const FUTEX_CMP_REQUEUE_PI: u32 = 12;
const FUTEX_LOCK_PI2: u32 = 13;

/// The futex commands this crate implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Wait,
    Wake,
    Requeue,
    CmpRequeue,
    WakeOp,
    WaitBitset,
    WakeBitset,
}

/// Futex commands Linux has that this crate does not implement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsupported {
    /// FUTEX_FD: removed from Linux in 2.6.26; 6.x has no case for it and returns ENOSYS.
    Fd,
    LockPi,
    UnlockPi,
    TrylockPi,
    WaitRequeuePi,
    CmpRequeuePi,
    LockPi2,
}

/// The flag bits of `op`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flags {
    /// FUTEX_PRIVATE_FLAG: key the futex by address space and address. Without it the
    /// futex is shared (Linux's FLAGS_SHARED).
    pub private: bool,
    /// FUTEX_CLOCK_REALTIME: only ever set together with [`Command::WaitBitset`].
    pub clock_realtime: bool,
}

/// A refused futex operation or FUTEX_WAKE_OP word. Linux returns ENOSYS for every case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    /// `op & FUTEX_CMD_MASK` is no futex command (do_futex falls out of its switch).
    UnknownCommand(u32),
    /// A command Linux has but this crate does not implement.
    Unsupported(Unsupported),
    /// FUTEX_CLOCK_REALTIME with this command (`op & FUTEX_CMD_MASK`), which does not take it.
    ClockRealtime(u32),
    /// FUTEX_WAKE_OP's operation (bits 28..31) is 5, 6 or 7.
    WakeOpOp(u32),
    /// FUTEX_WAKE_OP's comparison (bits 24..28) is 6 or more.
    WakeOpCmp(u32),
}

/// What futex(2)'s fourth argument (`utime`) is for a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeout {
    /// Not a timeout: ignored (FUTEX_WAKE, FUTEX_WAKE_BITSET), or a count passed as a
    /// number, `val2` (FUTEX_REQUEUE, FUTEX_CMP_REQUEUE, FUTEX_WAKE_OP).
    None,
    /// A relative timespec (NULL: wait forever), measured on CLOCK_MONOTONIC:
    /// FUTEX_WAIT. Linux adds it to the monotonic clock's now (futex_init_timeout).
    Relative,
    /// An absolute timespec (NULL: wait forever) on CLOCK_REALTIME if `realtime`, else
    /// CLOCK_MONOTONIC: FUTEX_WAIT_BITSET.
    Absolute { realtime: bool },
}

impl Command {
    /// Splits futex(2)'s `op` into command and flags, checking in do_futex's order:
    /// first FUTEX_CLOCK_REALTIME, which Linux 6.x accepts only with FUTEX_WAIT_BITSET,
    /// FUTEX_WAIT_REQUEUE_PI and FUTEX_LOCK_PI2 (ENOSYS otherwise, unknown commands
    /// included: 4.5 had allowed FUTEX_WAIT | FUTEX_CLOCK_REALTIME, but tglx's April 2021
    /// "Revert 337f13046ff0", also sent to stable, refused it again, FUTEX_WAIT's timeout
    /// being relative); then the command itself.
    pub fn decode(op: u32) -> Result<(Command, Flags), Invalid> {
        let cmd = op & FUTEX_CMD_MASK;
        let flags = Flags { private: op & FUTEX_PRIVATE_FLAG != 0, clock_realtime: op & FUTEX_CLOCK_REALTIME != 0 };
        if flags.clock_realtime && !matches!(cmd, FUTEX_WAIT_BITSET | FUTEX_WAIT_REQUEUE_PI | FUTEX_LOCK_PI2) {
            return Err(Invalid::ClockRealtime(cmd));
        }
        let unsupported = |u| Err(Invalid::Unsupported(u));
        let command = match cmd {
            FUTEX_WAIT => Command::Wait,
            FUTEX_WAKE => Command::Wake,
            FUTEX_REQUEUE => Command::Requeue,
            FUTEX_CMP_REQUEUE => Command::CmpRequeue,
            FUTEX_WAKE_OP => Command::WakeOp,
            FUTEX_WAIT_BITSET => Command::WaitBitset,
            FUTEX_WAKE_BITSET => Command::WakeBitset,
            FUTEX_FD => return unsupported(Unsupported::Fd),
            FUTEX_LOCK_PI => return unsupported(Unsupported::LockPi),
            FUTEX_UNLOCK_PI => return unsupported(Unsupported::UnlockPi),
            FUTEX_TRYLOCK_PI => return unsupported(Unsupported::TrylockPi),
            FUTEX_WAIT_REQUEUE_PI => return unsupported(Unsupported::WaitRequeuePi),
            FUTEX_CMP_REQUEUE_PI => return unsupported(Unsupported::CmpRequeuePi),
            FUTEX_LOCK_PI2 => return unsupported(Unsupported::LockPi2),
            _ => return Err(Invalid::UnknownCommand(cmd)),
        };
        Ok((command, flags))
    }

    /// The command's number in `op`.
    pub const fn number(self) -> u32 {
        match self {
            Command::Wait => FUTEX_WAIT,
            Command::Wake => FUTEX_WAKE,
            Command::Requeue => FUTEX_REQUEUE,
            Command::CmpRequeue => FUTEX_CMP_REQUEUE,
            Command::WakeOp => FUTEX_WAKE_OP,
            Command::WaitBitset => FUTEX_WAIT_BITSET,
            Command::WakeBitset => FUTEX_WAKE_BITSET,
        }
    }

    /// What the `utime` argument means for this command with these flags.
    pub const fn timeout(self, flags: Flags) -> Timeout {
        match self {
            Command::Wait => Timeout::Relative,
            Command::WaitBitset => Timeout::Absolute { realtime: flags.clock_realtime },
            Command::Wake | Command::WakeBitset | Command::Requeue | Command::CmpRequeue | Command::WakeOp => {
                Timeout::None
            }
        }
    }

    /// The bitset a wait or wake uses: `val3` for the BITSET commands (EINVAL if zero,
    /// which the table's `wait` also refuses), [`crate::FUTEX_BITSET_MATCH_ANY`] for the
    /// rest. Requeue and wake-op ignore bitsets.
    pub const fn bitset(self, val3: u32) -> u32 {
        match self {
            Command::WaitBitset | Command::WakeBitset => val3,
            _ => crate::FUTEX_BITSET_MATCH_ANY,
        }
    }
}

impl Unsupported {
    /// The command's number in `op`.
    pub const fn number(self) -> u32 {
        match self {
            Unsupported::Fd => FUTEX_FD,
            Unsupported::LockPi => FUTEX_LOCK_PI,
            Unsupported::UnlockPi => FUTEX_UNLOCK_PI,
            Unsupported::TrylockPi => FUTEX_TRYLOCK_PI,
            Unsupported::WaitRequeuePi => FUTEX_WAIT_REQUEUE_PI,
            Unsupported::CmpRequeuePi => FUTEX_CMP_REQUEUE_PI,
            Unsupported::LockPi2 => FUTEX_LOCK_PI2,
        }
    }
}

/// How many waiters FUTEX_WAKE, FUTEX_WAKE_BITSET and each half of FUTEX_WAKE_OP wake for
/// the count `val`. Linux takes the count as an `int` and tests `++ret >= nr_wake` only
/// after waking a matching waiter (futex_wake, futex_wake_op), so 0 and every count that is
/// negative as an `int` (`val >= 2^31`, u32::MAX included) wake one waiter, not none or all.
pub const fn wake_limit(val: u32) -> u32 {
    if val as i32 <= 0 { 1 } else { val }
}

/// FUTEX_REQUEUE's and FUTEX_CMP_REQUEUE's counts: `val` waiters to wake and `val2` (the
/// `utime` argument taken as a number) to requeue. Linux's futex_requeue returns EINVAL
/// when either is negative as an `int`, before looking up the futexes or comparing the
/// word; that is `None` here. Zero means none.
pub const fn requeue_limits(val: u32, val2: u32) -> Option<(u32, u32)> {
    if (val as i32) < 0 || (val2 as i32) < 0 { None } else { Some((val, val2)) }
}
