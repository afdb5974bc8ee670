//! The System V initial process stack for execve (argc, argv, envp, auxv and the
//! strings they point to), built as a byte image for the kernel to copy below the
//! stack top.
//!
//! Layout, from the stack top down (as Linux builds it, `fs/exec.c` and
//! `fs/binfmt_elf.c: create_elf_tables`):
//!
//! ```text
//! stack_top ->  +------------------------------+
//!               | 8 zero bytes (end marker)    |
//!               | execfn\0                     |  AT_EXECFN
//!               | envp[0]\0 ... envp[n-1]\0    |  StackImage::env
//!               | argv[0]\0 ... argv[n-1]\0    |  StackImage::args
//!               | "x86_64\0"                   |  AT_PLATFORM
//!               | 16 random bytes              |  AT_RANDOM
//!               | zero padding                 |  (so that rsp ends 16-aligned)
//!               | auxv: (key, value)...        |
//!               |       (AT_NULL, 0)           |
//!               | envp pointers, NULL          |
//!               | argv pointers, NULL          |
//! rsp ------->  | argc                         |  rsp % 16 == 0
//!               +------------------------------+
//! ```
//!
//! The kernel maps the stack pages, copies `StackImage::bytes` to `rsp..stack_top`,
//! and enters user mode with that rsp (the ABI wants rsp 16-aligned at the entry point,
//! pointing at argc). An empty argv is passed through as argc 0: inserting Linux's
//! empty `argv[0]` for that case is the exec code's choice.
#![cfg_attr(not(test), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use core::fmt;
use core::ops::Range;

use kabi::Errno;
use kabi::auxv::{AT_EXECFN, AT_NULL, AT_PLATFORM, AT_RANDOM};

/// The longest single argument or environment string, with its NUL
/// (Linux's `MAX_ARG_STRLEN`, 32 pages).
pub const MAX_ARG_STRLEN: usize = 32 * 4096;

/// The least room argv and envp always get, whatever the stack limit (the classic
/// `ARG_MAX`, 32 pages).
pub const MAX_ARG_BYTES: usize = 128 * 1024;
/// The most room they get with any stack limit: 3/4 of Linux's default 8 MiB.
pub const ARG_BYTES_CEILING: usize = 6 << 20;

/// How many bytes argv and envp may take under a stack limit of `stack_limit`
/// bytes (RLIMIT_STACK), as Linux's `bprm_stack_limits`: a quarter of it, at
/// least `MAX_ARG_BYTES` and at most `ARG_BYTES_CEILING`. Counted against it:
/// every string with its NUL, the executed file name once more, and one pointer
/// per string (argv counts as at least one).
pub fn arg_limit(stack_limit: u64) -> usize {
    usize::try_from(stack_limit / 4).unwrap_or(usize::MAX).clamp(MAX_ARG_BYTES, ARG_BYTES_CEILING)
}

/// The string `AT_PLATFORM` points at.
pub const PLATFORM: &[u8] = b"x86_64";

/// What the new program is started with.
#[derive(Debug, Clone, Copy)]
pub struct StackInput<'a, S: AsRef<[u8]>> {
    /// The argument strings, without NULs (none may contain one).
    pub argv: &'a [S],
    /// The environment strings (`NAME=value`), without NULs.
    pub envp: &'a [S],
    /// The auxiliary vector without `AT_NULL`, `AT_RANDOM`, `AT_EXECFN` and
    /// `AT_PLATFORM`, which this crate adds with the addresses it chooses.
    pub auxv: &'a [(u64, u64)],
    /// The file name execve was given, for `AT_EXECFN`.
    pub execfn: &'a [u8],
    /// The bytes `AT_RANDOM` points at.
    pub random: [u8; 16],
    /// The user address just above the stack: the image ends here.
    pub stack_top: u64,
    /// The room argv and envp may take (`arg_limit` of the stack limit).
    pub arg_limit: usize,
}

/// The initial stack, ready to copy to user memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackImage {
    /// The bytes for `rsp..stack_top`.
    pub bytes: Vec<u8>,
    /// The initial stack pointer: it points at argc and is 16-byte aligned.
    pub rsp: u64,
    /// Where the argv strings lie, NUL-separated (Linux's `arg_start..arg_end`, what
    /// /proc/PID/cmdline shows).
    pub args: Range<u64>,
    /// Where the envp strings lie (Linux's `env_start..env_end`).
    pub env: Range<u64>,
}

/// Why the stack cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StackError {
    /// One string is longer than `MAX_ARG_STRLEN` with its NUL.
    StringTooLong,
    /// argv and envp together take more than the `arg_limit`.
    ArgumentsTooLarge,
    /// A string contains a NUL byte (user strings end at their first NUL, so only a
    /// kernel bug gets here).
    StringContainsNul,
    /// The caller's auxv has a key this crate places itself.
    ReservedAuxvKey(u64),
    /// The image does not fit below `stack_top`.
    StackTopTooLow,
}

impl StackError {
    /// The errno execve fails with: E2BIG for arguments that are too big, EINVAL for
    /// the rest.
    pub fn errno(self) -> Errno {
        match self {
            StackError::StringTooLong | StackError::ArgumentsTooLarge | StackError::StackTopTooLow => Errno::E2BIG,
            StackError::StringContainsNul | StackError::ReservedAuxvKey(_) => Errno::EINVAL,
        }
    }
}

impl fmt::Display for StackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StackError::StringTooLong => write!(f, "a string is over {MAX_ARG_STRLEN} bytes"),
            StackError::ArgumentsTooLarge => {
                write!(f, "argv and envp take more room than the stack limit allows")
            }
            StackError::StringContainsNul => write!(f, "a string contains a NUL byte"),
            StackError::ReservedAuxvKey(key) => write!(f, "auxv key {key} is placed here"),
            StackError::StackTopTooLow => write!(f, "the stack image does not fit"),
        }
    }
}

/// The auxv keys `build` adds itself, and `AT_NULL`.
const RESERVED_AUXV_KEYS: [u64; 4] = [AT_NULL, AT_RANDOM, AT_EXECFN, AT_PLATFORM];

const WORD: u64 = 8;

/// The size of `string` in user memory with its NUL, if it is a valid one.
fn checked_string_size(string: &[u8]) -> Result<u64, StackError> {
    if string.contains(&0) {
        return Err(StackError::StringContainsNul);
    }
    if string.len() + 1 > MAX_ARG_STRLEN {
        return Err(StackError::StringTooLong);
    }
    Ok(string.len() as u64 + 1)
}

/// The size of a string table (NUL-terminated strings, one after another).
fn string_table_size<S: AsRef<[u8]>>(strings: &[S]) -> Result<u64, StackError> {
    strings.iter().try_fold(0, |total, string| Ok(total + checked_string_size(string.as_ref())?))
}

/// Builds the initial stack image for `input`.
pub fn build<S: AsRef<[u8]>>(input: &StackInput<'_, S>) -> Result<StackImage, StackError> {
    let argv_size = string_table_size(input.argv)?;
    let envp_size = string_table_size(input.envp)?;
    let execfn_size = checked_string_size(input.execfn)?;
    let pointer_count = (input.argv.len().max(1) + input.envp.len()) as u64;
    if execfn_size + argv_size + envp_size + pointer_count * WORD > input.arg_limit as u64 {
        return Err(StackError::ArgumentsTooLarge);
    }
    if let Some(&(key, _)) = input.auxv.iter().find(|(key, _)| RESERVED_AUXV_KEYS.contains(key)) {
        return Err(StackError::ReservedAuxvKey(key));
    }

    // The string area, from the top down.
    let below = |address: u64, size: u64| address.checked_sub(size).ok_or(StackError::StackTopTooLow);
    let end_marker = below(input.stack_top, WORD)?;
    let execfn = below(end_marker, execfn_size)?;
    let env = below(execfn, envp_size)?..execfn;
    let args = below(env.start, argv_size)?..env.start;
    let platform = below(args.start, PLATFORM.len() as u64 + 1)?;
    let random = below(platform, input.random.len() as u64)?;

    // The pointer block: argc, argv and envp with their NULLs, auxv with AT_NULL.
    let auxv_len = input.auxv.len() as u64 + RESERVED_AUXV_KEYS.len() as u64;
    let block_words = 1 + (input.argv.len() as u64 + 1) + (input.envp.len() as u64 + 1) + 2 * auxv_len;
    let rsp = below(random, block_words * WORD)? & !15;

    let mut image = ImageWriter { bytes: alloc::vec![0; (input.stack_top - rsp) as usize], base: rsp };
    image.put(execfn, input.execfn);
    image.put(platform, PLATFORM);
    image.put(random, &input.random);

    let mut words = rsp;
    let mut push_word = |image: &mut ImageWriter, value: u64| {
        image.put(words, &value.to_le_bytes());
        words += WORD;
    };
    push_word(&mut image, input.argv.len() as u64);
    for (strings, area) in [(input.argv, &args), (input.envp, &env)] {
        let mut string_address = area.start;
        for string in strings {
            let string = string.as_ref();
            image.put(string_address, string);
            push_word(&mut image, string_address);
            string_address += string.len() as u64 + 1;
        }
        push_word(&mut image, 0);
    }
    let added_auxv = [(AT_RANDOM, random), (AT_EXECFN, execfn), (AT_PLATFORM, platform), (AT_NULL, 0)];
    for &(key, value) in input.auxv.iter().chain(&added_auxv) {
        push_word(&mut image, key);
        push_word(&mut image, value);
    }

    Ok(StackImage { bytes: image.bytes, rsp, args, env })
}

/// The image under construction: bytes for user addresses `base..`.
struct ImageWriter {
    bytes: Vec<u8>,
    base: u64,
}

impl ImageWriter {
    /// Writes `data` at user address `address` (the zeroed image already holds the NULs).
    fn put(&mut self, address: u64, data: &[u8]) {
        let offset = (address - self.base) as usize;
        self.bytes[offset..offset + data.len()].copy_from_slice(data);
    }
}
