//! futex(2) `op` decoding, the commands' timeouts and bitsets, and Linux's count rules.
use crate::{
    Command, FUTEX_CLOCK_REALTIME as RT, FUTEX_PRIVATE_FLAG as PRIV, Flags, Invalid, Timeout, Unsupported,
    requeue_limits, wake_limit,
};

const SUPPORTED: [(u32, Command); 7] = [
    (0, Command::Wait),
    (1, Command::Wake),
    (3, Command::Requeue),
    (4, Command::CmpRequeue),
    (5, Command::WakeOp),
    (9, Command::WaitBitset),
    (10, Command::WakeBitset),
];

const UNSUPPORTED: [(u32, Unsupported); 7] = [
    (2, Unsupported::Fd),
    (6, Unsupported::LockPi),
    (7, Unsupported::UnlockPi),
    (8, Unsupported::TrylockPi),
    (11, Unsupported::WaitRequeuePi),
    (12, Unsupported::CmpRequeuePi),
    (13, Unsupported::LockPi2),
];

#[test]
fn every_command_with_and_without_private() {
    for (n, cmd) in SUPPORTED {
        assert_eq!(Command::decode(n), Ok((cmd, Flags { private: false, clock_realtime: false })), "op {n}");
        assert_eq!(Command::decode(n | PRIV), Ok((cmd, Flags { private: true, clock_realtime: false })), "op {n}");
        assert_eq!(cmd.number(), n);
    }
    for (n, u) in UNSUPPORTED {
        assert_eq!(Command::decode(n), Err(Invalid::Unsupported(u)), "op {n}");
        assert_eq!(Command::decode(n | PRIV), Err(Invalid::Unsupported(u)), "op {n}");
        assert_eq!(u.number(), n);
    }
}

#[test]
fn clock_realtime_only_with_wait_bitset_wait_requeue_pi_and_lock_pi2() {
    for flags in [RT, RT | PRIV] {
        let private = flags & PRIV != 0;
        assert_eq!(Command::decode(9 | flags), Ok((Command::WaitBitset, Flags { private, clock_realtime: true })));
        // Linux lets these two past the clock check; they are then unsupported here.
        assert_eq!(Command::decode(11 | flags), Err(Invalid::Unsupported(Unsupported::WaitRequeuePi)));
        assert_eq!(Command::decode(13 | flags), Err(Invalid::Unsupported(Unsupported::LockPi2)));
        for n in [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 0x200] {
            assert_eq!(Command::decode(n | flags), Err(Invalid::ClockRealtime(n)), "op {n} | {flags:#x}");
        }
    }
}

#[test]
fn unknown_commands() {
    for n in [14, 15, 0x40, 0x200, 0x400, 0x201, 0x8000_0000, !(PRIV | RT)] {
        assert_eq!(Command::decode(n), Err(Invalid::UnknownCommand(n)), "op {n:#x}");
        assert_eq!(Command::decode(n | PRIV), Err(Invalid::UnknownCommand(n)), "op {n:#x}");
    }
    assert_eq!(Command::decode(u32::MAX), Err(Invalid::ClockRealtime(!(PRIV | RT))));
}

#[test]
fn every_low_op_decodes_as_linux_would() {
    let supported = |cmd: u32| SUPPORTED.iter().find(|s| s.0 == cmd).map(|s| s.1);
    for op in 0..0x1000u32 {
        let cmd = op & !(PRIV | RT);
        let want = if op & RT != 0 && !matches!(cmd, 9 | 11 | 13) {
            Err(Invalid::ClockRealtime(cmd))
        } else if let Some(c) = supported(cmd) {
            Ok((c, Flags { private: op & PRIV != 0, clock_realtime: op & RT != 0 }))
        } else if let Some(&(_, u)) = UNSUPPORTED.iter().find(|u| u.0 == cmd) {
            Err(Invalid::Unsupported(u))
        } else {
            Err(Invalid::UnknownCommand(cmd))
        };
        assert_eq!(Command::decode(op), want, "op {op:#x}");
    }
}

#[test]
fn numbers_match_the_host_headers() {
    assert_eq!(PRIV, libc::FUTEX_PRIVATE_FLAG as u32);
    assert_eq!(RT, libc::FUTEX_CLOCK_REALTIME as u32);
    let host = [
        (libc::FUTEX_WAIT, 0),
        (libc::FUTEX_WAKE, 1),
        (libc::FUTEX_FD, 2),
        (libc::FUTEX_REQUEUE, 3),
        (libc::FUTEX_CMP_REQUEUE, 4),
        (libc::FUTEX_WAKE_OP, 5),
        (libc::FUTEX_LOCK_PI, 6),
        (libc::FUTEX_UNLOCK_PI, 7),
        (libc::FUTEX_TRYLOCK_PI, 8),
        (libc::FUTEX_WAIT_BITSET, 9),
        (libc::FUTEX_WAKE_BITSET, 10),
        (libc::FUTEX_WAIT_REQUEUE_PI, 11),
        (libc::FUTEX_CMP_REQUEUE_PI, 12),
        (libc::FUTEX_LOCK_PI2, 13),
    ];
    for (h, n) in host {
        assert_eq!(h as u32, n);
    }
    assert_eq!(crate::FUTEX_BITSET_MATCH_ANY, libc::FUTEX_BITSET_MATCH_ANY as u32);
}

#[test]
fn timeouts_by_command() {
    let mono = Flags { private: true, clock_realtime: false };
    let real = Flags { private: true, clock_realtime: true };
    assert_eq!(Command::Wait.timeout(mono), Timeout::Relative);
    assert_eq!(Command::WaitBitset.timeout(mono), Timeout::Absolute { realtime: false });
    assert_eq!(Command::WaitBitset.timeout(real), Timeout::Absolute { realtime: true });
    for c in [Command::Wake, Command::WakeBitset, Command::Requeue, Command::CmpRequeue, Command::WakeOp] {
        assert_eq!(c.timeout(mono), Timeout::None);
    }
}

#[test]
fn bitsets_by_command() {
    assert_eq!(Command::Wait.bitset(5), u32::MAX);
    assert_eq!(Command::Wake.bitset(0), u32::MAX);
    assert_eq!(Command::WaitBitset.bitset(5), 5);
    assert_eq!(Command::WakeBitset.bitset(0), 0);
}

#[test]
fn wake_counts_of_zero_or_negative_wake_one() {
    assert_eq!(wake_limit(0), 1);
    assert_eq!(wake_limit(1), 1);
    assert_eq!(wake_limit(7), 7);
    assert_eq!(wake_limit(i32::MAX as u32), i32::MAX as u32);
    assert_eq!(wake_limit(0x8000_0000), 1);
    assert_eq!(wake_limit(u32::MAX), 1);
}

#[test]
fn negative_requeue_counts_are_refused() {
    assert_eq!(requeue_limits(0, 0), Some((0, 0)));
    assert_eq!(requeue_limits(1, i32::MAX as u32), Some((1, i32::MAX as u32)));
    assert_eq!(requeue_limits(u32::MAX, 0), None);
    assert_eq!(requeue_limits(0, 0x8000_0000), None);
}
