//! Property tests of the initial stack: any argv, envp, auxv, execfn and stack top
//! give either an image that decodes (as a libc's `_start` reads it) to exactly the
//! input, with rsp 16-byte aligned, or the error the input deserves (E2BIG for too
//! much), never a panic or an arithmetic overflow.

mod common;

use common::{UserMemory, decode};
use kabi::Errno;
use kabi::auxv::{AT_EXECFN, AT_NULL, AT_PLATFORM, AT_RANDOM};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm};
use user_stack::{MAX_ARG_BYTES, MAX_ARG_STRLEN, PLATFORM, StackError, StackImage, StackInput, build};

/// `cases` cases (`PROPTEST_CASES` sets another number, for a longer run), drawn
/// with the XorShift generator (ChaCha dominates the run time in debug builds),
/// without regression files in the source tree (a failure prints its input; it
/// becomes a plain `#[test]`).
fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|value| value.parse().ok()).unwrap_or(cases);
    Config { cases, failure_persistence: None, rng_algorithm: RngAlgorithm::XorShift, ..Config::default() }
}

/// The stack size the image needs, computed apart from the crate: the end marker,
/// the strings, the platform string and the random bytes, then the pointer block
/// (argc, argv and envp with NULLs, auxv with the four added pairs) and alignment.
fn needed_below_top(argv: &[Vec<u8>], envp: &[Vec<u8>], auxv_len: usize, execfn: &[u8]) -> u128 {
    let strings: u128 = argv.iter().chain(envp).map(|string| string.len() as u128 + 1).sum();
    let area = 8 + execfn.len() as u128 + 1 + strings + PLATFORM.len() as u128 + 1 + 16;
    let block = 8 * (1 + argv.len() as u128 + 1 + envp.len() as u128 + 1 + 2 * (auxv_len as u128 + 4));
    area + block
}

/// The error the input deserves, whichever of several the crate reports first.
fn deserved(argv: &[Vec<u8>], envp: &[Vec<u8>], auxv: &[(u64, u64)], execfn: &[u8]) -> Vec<StackError> {
    let mut errors = Vec::new();
    let all = || argv.iter().chain(envp).map(Vec::as_slice).chain([execfn]);
    if all().any(|string| string.contains(&0)) {
        errors.push(StackError::StringContainsNul);
    }
    if all().any(|string| string.len() + 1 > MAX_ARG_STRLEN) {
        errors.push(StackError::StringTooLong);
    }
    let strings: usize = argv.iter().chain(envp).map(|string| string.len() + 1).sum();
    let total = strings + execfn.len() + 1 + 8 * (argv.len().max(1) + envp.len());
    if total > MAX_ARG_BYTES {
        errors.push(StackError::ArgumentsTooLarge);
    }
    if let Some(&(key, _)) = auxv.iter().find(|(key, _)| [AT_NULL, AT_RANDOM, AT_EXECFN, AT_PLATFORM].contains(key)) {
        errors.push(StackError::ReservedAuxvKey(key));
    }
    errors
}

/// Builds the stack for the input and checks the result against it.
fn check(
    argv: &[Vec<u8>],
    envp: &[Vec<u8>],
    auxv: &[(u64, u64)],
    execfn: &[u8],
    stack_top: u64,
) -> Result<Option<StackImage>, TestCaseError> {
    let random: [u8; 16] = std::array::from_fn(|i| i as u8 ^ 0xa5);
    let input = StackInput { argv, envp, auxv, execfn, random, stack_top, arg_limit: MAX_ARG_BYTES };
    let deserved = deserved(argv, envp, auxv, execfn);
    let needed = needed_below_top(argv, envp, auxv.len(), execfn);
    match build(&input) {
        Ok(image) => {
            prop_assert!(deserved.is_empty(), "built despite {deserved:?}");
            let decoded = decode(&image, stack_top)?;
            prop_assert_eq!(&decoded.argv, argv);
            prop_assert_eq!(&decoded.envp, envp);
            prop_assert_eq!(&decoded.auxv[..auxv.len()], auxv);
            let added: Vec<u64> = decoded.auxv[auxv.len()..].iter().map(|&(key, _)| key).collect();
            prop_assert_eq!(added, [AT_RANDOM, AT_EXECFN, AT_PLATFORM]);
            let memory = UserMemory { image: &image, top: stack_top };
            let value = |key| decoded.auxv[auxv.len()..].iter().find(|&&(k, _)| k == key).map_or(0, |&(_, v)| v);
            prop_assert_eq!(memory.bytes(value(AT_RANDOM), 16)?, &random[..]);
            prop_assert_eq!(memory.string(value(AT_EXECFN))?, execfn);
            prop_assert_eq!(memory.string(value(AT_PLATFORM))?, PLATFORM);
            prop_assert_eq!(memory.word(stack_top - 8)?, 0, "the end marker");
            // The argument and environment areas hold the strings, NUL-separated.
            let joined =
                |strings: &[Vec<u8>]| strings.iter().flat_map(|s| s.iter().copied().chain([0])).collect::<Vec<u8>>();
            prop_assert!(image.args.start <= image.args.end && image.args.end == image.env.start);
            prop_assert_eq!(memory.bytes(image.args.start, image.args.end - image.args.start)?, &joined(argv)[..]);
            prop_assert_eq!(memory.bytes(image.env.start, image.env.end - image.env.start)?, &joined(envp)[..]);
            // No more than 15 bytes of alignment beyond what is needed.
            prop_assert!((image.bytes.len() as u128) >= needed && (image.bytes.len() as u128) < needed + 16);
            prop_assert!(needed <= u128::from(stack_top));
            Ok(Some(image))
        }
        Err(error) => {
            if deserved.is_empty() {
                prop_assert_eq!(error, StackError::StackTopTooLow);
                prop_assert!(needed > u128::from(stack_top), "needs {needed} bytes, has {stack_top}");
            } else {
                prop_assert!(deserved.contains(&error), "{error:?}, not one of {deserved:?}");
            }
            let errno = error.errno();
            let too_big =
                matches!(error, StackError::StringTooLong | StackError::ArgumentsTooLarge | StackError::StackTopTooLow);
            prop_assert_eq!(errno == Errno::E2BIG, too_big);
            prop_assert!(!error.to_string().is_empty());
            Ok(None)
        }
    }
}

/// A string: usually short and printable, sometimes with a NUL or any bytes.
fn string() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        8 => prop::collection::vec(1u8.., 0..24),
        1 => prop::collection::vec(any::<u8>(), 0..8),
    ]
}

/// A stack top: a usual one, anything (unaligned, tiny, near the end of the
/// address space).
fn stack_top() -> impl Strategy<Value = u64> {
    prop_oneof![
        4 => Just(0x7fff_ffff_f000u64),
        1 => 0u64..4096,
        1 => (0u64..64).prop_map(|low| u64::MAX - low),
        2 => any::<u64>(),
    ]
}

fn auxv() -> impl Strategy<Value = Vec<(u64, u64)>> {
    prop::collection::vec((prop_oneof![5u64..50, 0u64..40, any::<u64>()], any::<u64>()), 0..24)
}

proptest! {
    #![proptest_config(config(1024))]

    /// Small inputs of every kind.
    #[test]
    fn small_inputs_decode_or_fail_rightly(
        argv in prop::collection::vec(string(), 0..16),
        envp in prop::collection::vec(string(), 0..16),
        auxv in auxv(),
        execfn in string(),
        top in stack_top(),
    ) {
        check(&argv, &envp, &auxv, &execfn, top)?;
    }
}

proptest! {
    #![proptest_config(config(96))]

    /// Totals around `MAX_ARG_BYTES`, strings around `MAX_ARG_STRLEN`, and many tiny
    /// strings: E2BIG exactly when the limits say.
    #[test]
    fn sizes_near_the_limits(
        big in prop_oneof![
            Just(0usize),
            (MAX_ARG_STRLEN - 2..MAX_ARG_STRLEN + 1),
            (MAX_ARG_BYTES - 64..MAX_ARG_BYTES + 8),
            0usize..MAX_ARG_BYTES,
        ],
        in_env in any::<bool>(),
        count in prop_oneof![0usize..8, (MAX_ARG_BYTES / 16 - 4)..(MAX_ARG_BYTES / 16 + 4), 0usize..20_000],
        small_len in 0usize..9,
        top in prop_oneof![Just(0x7fff_ffff_f000u64), (0u64..0x4_0000)],
    ) {
        let big = vec![b'x'; big];
        let many = vec![vec![b'y'; small_len]; count];
        let (argv, envp) = if in_env { (many, vec![big]) } else { ([vec![big], many].concat(), Vec::new()) };
        check(&argv, &envp, &[], b"/bin/prog", top)?;
    }
}
