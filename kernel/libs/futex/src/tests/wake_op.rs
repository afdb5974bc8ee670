//! FUTEX_WAKE_OP words: decoding, the operation and the signed comparison, by hand-worked
//! Linux cases.
use proptest::prelude::*;

use crate::{Cmp, Invalid, Op, WakeOp};

/// The uapi FUTEX_OP macro (`op` may include FUTEX_OP_OPARG_SHIFT, 8).
fn futex_op(op: u32, oparg: i32, cmp: u32, cmparg: i32) -> u32 {
    ((op & 0xf) << 28) | ((cmp & 0xf) << 24) | ((oparg as u32 & 0xfff) << 12) | (cmparg as u32 & 0xfff)
}

fn decode(op: u32, oparg: i32, cmp: u32, cmparg: i32) -> WakeOp {
    WakeOp::decode(futex_op(op, oparg, cmp, cmparg)).unwrap()
}

#[test]
fn the_helper_matches_the_host_macro() {
    for (op, oparg, cmp, cmparg) in [(0, 0, 4, 1), (1, -1, 2, -2), (8 | 2, 31, 5, 2047), (4, -2048, 3, -2048)] {
        assert_eq!(futex_op(op, oparg, cmp, cmparg), libc::FUTEX_OP(op as i32, oparg, cmp as i32, cmparg) as u32);
    }
    assert_eq!(libc::FUTEX_OP_OPARG_SHIFT, 8);
    assert_eq!(
        [libc::FUTEX_OP_SET, libc::FUTEX_OP_ADD, libc::FUTEX_OP_OR, libc::FUTEX_OP_ANDN, libc::FUTEX_OP_XOR],
        [0, 1, 2, 3, 4]
    );
    assert_eq!(
        [
            libc::FUTEX_OP_CMP_EQ,
            libc::FUTEX_OP_CMP_NE,
            libc::FUTEX_OP_CMP_LT,
            libc::FUTEX_OP_CMP_LE,
            libc::FUTEX_OP_CMP_GT,
            libc::FUTEX_OP_CMP_GE
        ],
        [0, 1, 2, 3, 4, 5]
    );
}

#[test]
fn glibcs_old_condvar_word() {
    // FUTEX_OP_CLEAR_WAKE_IF_GT_ONE: store 0, wake the second futex if it was above 1.
    let w = WakeOp::decode(0x0400_0001).unwrap();
    assert_eq!(w, WakeOp { op: Op::Set, oparg: 0, cmp: Cmp::Gt, cmparg: 1 });
    assert_eq!(w.apply(7), 0);
    assert!(w.compare(2));
    assert!(!w.compare(1));
    assert!(!w.compare(0xffff_ffff), "-1 is not greater than 1");
}

#[test]
fn each_operation() {
    assert_eq!(decode(0, 5, 0, 0).apply(0xdead), 5);
    assert_eq!(decode(1, 5, 0, 0).apply(10), 15);
    assert_eq!(decode(1, 1, 0, 0).apply(u32::MAX), 0, "ADD wraps");
    assert_eq!(decode(2, 0x0f0, 0, 0).apply(0x00f), 0x0ff);
    assert_eq!(decode(3, 0x00f, 0, 0).apply(0x0ff), 0x0f0);
    assert_eq!(decode(4, 0x0ff, 0, 0).apply(0x0f0), 0x00f);
}

#[test]
fn negative_operands_are_sign_extended() {
    let w = decode(1, -1, 2, -2);
    assert_eq!(w.oparg, -1);
    assert_eq!(w.cmparg, -2);
    assert_eq!(w.apply(5), 4, "ADD -1");
    assert_eq!(w.apply(0), u32::MAX);
    assert_eq!(decode(0, -2048, 0, 0).apply(0), 0xffff_f800);
    assert_eq!(decode(0, 2047, 0, 0).apply(0), 0x7ff);
    assert_eq!(decode(3, -1, 0, 0).apply(0x1234), 0, "ANDN with all bits set");
    assert_eq!(decode(4, -1, 0, 0).apply(0x0f0f_0f0f), 0xf0f0_f0f0);
    assert_eq!(decode(0, 0, 0, -2048).cmparg, -2048);
    assert_eq!(decode(0, 0, 0, 2047).cmparg, 2047);
}

#[test]
fn comparisons_are_signed() {
    let lt = decode(0, 0, 2, -2);
    assert!(lt.compare(0xffff_fffd), "-3 < -2");
    assert!(!lt.compare(0xffff_fffe), "-2 < -2");
    assert!(!lt.compare(5), "5 < -2 is false, though 5 < 0xfffffffe unsigned");
    let ge = decode(0, 0, 5, 0);
    assert!(!ge.compare(0x8000_0000), "i32::MIN >= 0");
    assert!(ge.compare(0x7fff_ffff));
}

#[test]
fn each_comparison_at_its_boundary() {
    // Old values 9, 10 and 11 against 10, for EQ, NE, LT, LE, GT and GE.
    let want = [
        [false, true, false],
        [true, false, true],
        [true, false, false],
        [true, true, false],
        [false, false, true],
        [false, true, true],
    ];
    for (cmp, want) in (0..).zip(want) {
        let w = decode(0, 0, cmp, 10);
        assert_eq!([w.compare(9), w.compare(10), w.compare(11)], want, "cmp {cmp}");
    }
}

#[test]
fn oparg_shift() {
    let w = decode(8 | 2, 5, 0, 0);
    assert_eq!(w.oparg, 32);
    assert_eq!(w.apply(1), 33);
    assert_eq!(decode(8 | 1, 0, 0, 0).oparg, 1);
    assert_eq!(decode(8, 31, 0, 0).apply(0), 0x8000_0000);
    // Out-of-range shifts are masked with 31, as Linux does (with a warning).
    assert_eq!(decode(8, -1, 0, 0).apply(0), 0x8000_0000);
    assert_eq!(decode(8, 32, 0, 0).apply(0), 1);
    assert_eq!(decode(8, 33, 0, 0).apply(0), 2);
    assert_eq!(decode(8, -2048, 0, 0).apply(0), 1);
    assert_eq!(decode(8 | 3, 4, 0, 0).apply(0xff), 0xef, "ANDN of 1 << 4");
}

#[test]
fn unknown_operations_and_comparisons_are_refused() {
    for op in 5..8 {
        assert_eq!(WakeOp::decode(futex_op(op, 0, 0, 0)), Err(Invalid::WakeOpOp(op)));
        assert_eq!(WakeOp::decode(futex_op(8 | op, 0, 0, 0)), Err(Invalid::WakeOpOp(op)));
        assert_eq!(WakeOp::decode(futex_op(op, 0, 9, 0)), Err(Invalid::WakeOpOp(op)), "op is checked first");
    }
    for cmp in 6..16 {
        assert_eq!(WakeOp::decode(futex_op(0, 0, cmp, 0)), Err(Invalid::WakeOpCmp(cmp)));
    }
}

proptest! {
    #[test]
    fn decode_accepts_exactly_the_linux_words(val3 in any::<u32>()) {
        let valid = (val3 >> 28) & 7 < 5 && (val3 >> 24) & 15 < 6;
        prop_assert_eq!(WakeOp::decode(val3).is_ok(), valid);
    }

    #[test]
    fn apply_and_compare_follow_the_c_expressions(val3 in any::<u32>(), old in any::<u32>()) {
        if let Ok(w) = WakeOp::decode(val3) {
            let raw = ((val3 >> 12) & 0xfff) as i32;
            let mut oparg = if raw >= 0x800 { raw - 0x1000 } else { raw };
            if val3 >> 31 == 1 {
                oparg = 1i32.wrapping_shl((oparg & 31) as u32);
            }
            let new = match (val3 >> 28) & 7 {
                0 => oparg as u32,
                1 => (old as i32).wrapping_add(oparg) as u32,
                2 => old | oparg as u32,
                3 => old & !(oparg as u32),
                _ => old ^ oparg as u32,
            };
            prop_assert_eq!(w.apply(old), new);
            let c = (val3 & 0xfff) as i32;
            let cmparg = if c >= 0x800 { c - 0x1000 } else { c };
            let o = old as i32;
            let holds = [o == cmparg, o != cmparg, o < cmparg, o <= cmparg, o > cmparg, o >= cmparg];
            prop_assert_eq!(w.compare(old), holds[((val3 >> 24) & 15) as usize]);
        }
    }
}
