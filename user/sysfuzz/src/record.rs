//! The record a worker writes (pwrite at offset 0 of its record file) before every
//! call: the call's identity, number and arguments, and the worker's pid, in a
//! fixed 96-byte little-endian layout. The supervisor reads it to count calls and
//! to name the call a hung or dead worker was in.
use crate::generate::{Call, CallId};

pub const RECORD_SIZE: usize = 96;
const MAGIC: [u8; 8] = *b"SYSFUZZ1";

/// Offsets of the fields.
const SEED: usize = 8;
const WORKER: usize = 16;
const GENERATION: usize = 20;
const INDEX: usize = 24;
const PID: usize = 32;
const NR: usize = 40;
const ARGS: usize = 48;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    pub call: Call,
    pub pid: u32,
}

impl Record {
    pub fn encode(&self) -> [u8; RECORD_SIZE] {
        let mut bytes = [0; RECORD_SIZE];
        let id = self.call.id;
        bytes[..8].copy_from_slice(&MAGIC);
        bytes[SEED..SEED + 8].copy_from_slice(&id.seed.to_le_bytes());
        bytes[WORKER..WORKER + 4].copy_from_slice(&id.worker.to_le_bytes());
        bytes[GENERATION..GENERATION + 4].copy_from_slice(&id.generation.to_le_bytes());
        bytes[INDEX..INDEX + 8].copy_from_slice(&id.index.to_le_bytes());
        bytes[PID..PID + 4].copy_from_slice(&self.pid.to_le_bytes());
        bytes[NR..NR + 8].copy_from_slice(&self.call.nr.to_le_bytes());
        for (i, arg) in self.call.args.iter().enumerate() {
            bytes[ARGS + 8 * i..ARGS + 8 * i + 8].copy_from_slice(&arg.to_le_bytes());
        }
        bytes
    }

    /// The record in `bytes`, or None if they are not a whole record (an empty
    /// file: the worker has not started its first call).
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        if bytes.len() < RECORD_SIZE || bytes[..8] != MAGIC {
            return None;
        }
        let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
        let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        let id =
            CallId { seed: u64_at(SEED), worker: u32_at(WORKER), generation: u32_at(GENERATION), index: u64_at(INDEX) };
        let args = std::array::from_fn(|i| u64_at(ARGS + 8 * i));
        Some(Self { call: Call { id, nr: u64_at(NR), args }, pid: u32_at(PID) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{Context, calls};

    #[test]
    fn records_round_trip() {
        for call in calls(77, 3, 5, Context::dry_run(3), 1000) {
            let record = Record { call, pid: 4242 };
            let bytes = record.encode();
            assert_eq!(Record::decode(&bytes), Some(record));
        }
    }

    #[test]
    fn the_layout_is_fixed() {
        let call = Call {
            id: CallId { seed: 1, worker: 2, generation: 3, index: 4 },
            nr: 5,
            args: [6, 7, 8, 9, 10, u64::MAX],
        };
        let bytes = Record { call, pid: 11 }.encode();
        assert_eq!(&bytes[..8], b"SYSFUZZ1");
        assert_eq!(
            (bytes[8], bytes[16], bytes[20], bytes[24], bytes[32], bytes[40], bytes[48]),
            (1, 2, 3, 4, 11, 5, 6)
        );
        assert_eq!(bytes[88..96], [0xff; 8]);
    }

    #[test]
    fn partial_or_foreign_bytes_are_no_record() {
        assert_eq!(Record::decode(&[]), None);
        let call = Call { id: CallId { seed: 1, worker: 0, generation: 0, index: 0 }, nr: 0, args: [0; 6] };
        let bytes = Record { call, pid: 1 }.encode();
        assert_eq!(Record::decode(&bytes[..RECORD_SIZE - 1]), None);
        let mut foreign = bytes;
        foreign[0] = b'X';
        assert_eq!(Record::decode(&foreign), None);
    }
}
