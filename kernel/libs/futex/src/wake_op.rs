//! FUTEX_WAKE_OP's operation word (`val3`): an atomic operation on the second futex word
//! and a comparison of its old value that decides whether the second futex's waiters are
//! woken, as Linux's futex_atomic_op_inuser (`kernel/futex/waitwake.c`) and x86's
//! arch_futex_atomic_op_inuser (`arch/x86/include/asm/futex.h`) do.
//!
//! Layout: bit 31 FUTEX_OP_OPARG_SHIFT, bits 28..31 the operation, 24..28 the comparison,
//! 12..24 the operand and 0..12 the comparison's argument, both sign-extended from 12 bits.
//!
//! Errors: an unknown operation (5..=7) makes Linux's arch code return ENOSYS before
//! touching the word. An unknown comparison (6..=15) is only noticed after the operation
//! has been applied, so Linux stores the new value and then returns ENOSYS without waking
//! anyone. [`WakeOp::decode`] refuses both up front, so for a bad comparison Kestrel leaves
//! the word untouched where Linux would have changed it; only a malformed `val3` can tell.

use crate::op::Invalid;

/// FUTEX_OP_OPARG_SHIFT, as it sits in `val3`: the operand is `1 << oparg`.
const OPARG_SHIFT: u32 = 8 << 28;

/// The operation applied to the second futex word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// FUTEX_OP_SET (0): store the operand.
    Set,
    /// FUTEX_OP_ADD (1): add it, wrapping.
    Add,
    /// FUTEX_OP_OR (2).
    Or,
    /// FUTEX_OP_ANDN (3): clear the operand's bits.
    AndN,
    /// FUTEX_OP_XOR (4).
    Xor,
}

/// The comparison of the word's old value with the argument, both as signed `int`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    /// FUTEX_OP_CMP_EQ (0).
    Eq,
    /// FUTEX_OP_CMP_NE (1).
    Ne,
    /// FUTEX_OP_CMP_LT (2).
    Lt,
    /// FUTEX_OP_CMP_LE (3).
    Le,
    /// FUTEX_OP_CMP_GT (4).
    Gt,
    /// FUTEX_OP_CMP_GE (5).
    Ge,
}

/// A decoded FUTEX_WAKE_OP word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WakeOp {
    pub op: Op,
    /// The operand, with FUTEX_OP_OPARG_SHIFT already applied.
    pub oparg: i32,
    pub cmp: Cmp,
    pub cmparg: i32,
}

impl WakeOp {
    /// Decodes `val3`. With FUTEX_OP_OPARG_SHIFT the operand becomes `1 << (oparg & 31)`:
    /// Linux masks a shift outside 0..=31 (including the negative ones sign extension
    /// gives) with a rate-limited warning rather than refusing it.
    pub fn decode(val3: u32) -> Result<WakeOp, Invalid> {
        let op_field = (val3 >> 28) & 7;
        let cmp_field = (val3 >> 24) & 15;
        let mut oparg = sign_extend_12((val3 >> 12) & 0xfff);
        let cmparg = sign_extend_12(val3 & 0xfff);
        if val3 & OPARG_SHIFT != 0 {
            oparg = (1u32 << (oparg & 31)) as i32;
        }
        let op = match op_field {
            0 => Op::Set,
            1 => Op::Add,
            2 => Op::Or,
            3 => Op::AndN,
            4 => Op::Xor,
            _ => return Err(Invalid::WakeOpOp(op_field)),
        };
        let cmp = match cmp_field {
            0 => Cmp::Eq,
            1 => Cmp::Ne,
            2 => Cmp::Lt,
            3 => Cmp::Le,
            4 => Cmp::Gt,
            5 => Cmp::Ge,
            _ => return Err(Invalid::WakeOpCmp(cmp_field)),
        };
        Ok(WakeOp { op, oparg, cmp, cmparg })
    }

    /// The value to store in place of `old`. The kernel applies it atomically (a
    /// compare-exchange loop over user memory), keeping the `old` it replaced.
    pub const fn apply(self, old: u32) -> u32 {
        let arg = self.oparg as u32;
        match self.op {
            Op::Set => arg,
            Op::Add => old.wrapping_add(arg),
            Op::Or => old | arg,
            Op::AndN => old & !arg,
            Op::Xor => old ^ arg,
        }
    }

    /// Whether the second futex's waiters are woken: `old` (the value before the
    /// operation) compared with the argument, both signed as Linux's `int`s are.
    pub const fn compare(self, old: u32) -> bool {
        let old = old as i32;
        let arg = self.cmparg;
        match self.cmp {
            Cmp::Eq => old == arg,
            Cmp::Ne => old != arg,
            Cmp::Lt => old < arg,
            Cmp::Le => old <= arg,
            Cmp::Gt => old > arg,
            Cmp::Ge => old >= arg,
        }
    }
}

/// The low 12 bits of `bits` as a signed number (Linux's `sign_extend32(bits, 11)`).
const fn sign_extend_12(bits: u32) -> i32 {
    ((bits << 20) as i32) >> 20
}
