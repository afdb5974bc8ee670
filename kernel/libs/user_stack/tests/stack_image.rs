//! Host tests of the initial stack: decode the built image the way a libc's `_start`
//! reads it (from rsp, following pointers into the image) and compare with the input.

mod common;

use common::{Decoded, UserMemory};
use kabi::Errno;
use kabi::auxv::{AT_ENTRY, AT_EXECFN, AT_NULL, AT_PAGESZ, AT_PHDR, AT_PLATFORM, AT_RANDOM};
use user_stack::{
    ARG_BYTES_CEILING, MAX_ARG_BYTES, MAX_ARG_STRLEN, PLATFORM, StackError, StackImage, StackInput, arg_limit, build,
};

const STACK_TOP: u64 = 0x7fff_ffff_f000;
const RANDOM: [u8; 16] = *b"0123456789abcdef";

/// The image as user space sees it.
fn decode(image: &StackImage, top: u64) -> Decoded {
    common::decode(image, top).unwrap()
}

fn aux_value(decoded: &Decoded, key: u64) -> u64 {
    let values: Vec<u64> = decoded.auxv.iter().filter(|&&(k, _)| k == key).map(|&(_, v)| v).collect();
    assert_eq!(values.len(), 1, "auxv key {key} appears once");
    values[0]
}

fn input<'a>(argv: &'a [&'a [u8]], envp: &'a [&'a [u8]]) -> StackInput<'a, &'a [u8]> {
    StackInput {
        argv,
        envp,
        auxv: &[(AT_PAGESZ, 4096), (AT_PHDR, 0x40_0040), (AT_ENTRY, 0x40_1000)],
        execfn: b"/bin/sh",
        random: RANDOM,
        stack_top: STACK_TOP,
        arg_limit: MAX_ARG_BYTES,
    }
}

#[test]
fn decodes_to_the_given_arguments_environment_and_auxv() {
    let argv: &[&[u8]] = &[b"/bin/sh", b"-c", b"echo hi"];
    let envp: &[&[u8]] = &[b"PATH=/bin", b"HOME=/"];
    let image = build(&input(argv, envp)).unwrap();
    let decoded = decode(&image, STACK_TOP);
    assert_eq!(decoded.argv, argv);
    assert_eq!(decoded.envp, envp);
    assert_eq!(aux_value(&decoded, AT_PAGESZ), 4096);
    assert_eq!(aux_value(&decoded, AT_PHDR), 0x40_0040);
    assert_eq!(aux_value(&decoded, AT_ENTRY), 0x40_1000);
    assert_eq!(decoded.auxv.len(), 6);

    let memory = UserMemory { image: &image, top: STACK_TOP };
    assert_eq!(memory.bytes(aux_value(&decoded, AT_RANDOM), 16).unwrap(), RANDOM);
    assert_eq!(memory.string(aux_value(&decoded, AT_EXECFN)).unwrap(), b"/bin/sh");
    assert_eq!(memory.string(aux_value(&decoded, AT_PLATFORM)).unwrap(), PLATFORM);
    // The 8 bytes under the top are the zero end marker.
    assert_eq!(memory.word(STACK_TOP - 8).unwrap(), 0);
}

#[test]
fn args_and_env_ranges_hold_the_strings() {
    let argv: &[&[u8]] = &[b"ls", b"-l", b"/"];
    let envp: &[&[u8]] = &[b"A=1", b"TERM=vt100"];
    let image = build(&input(argv, envp)).unwrap();
    let memory = UserMemory { image: &image, top: STACK_TOP };
    let args = memory.bytes(image.args.start, image.args.end - image.args.start).unwrap();
    assert_eq!(args, b"ls\0-l\0/\0");
    let env = memory.bytes(image.env.start, image.env.end - image.env.start).unwrap();
    assert_eq!(env, b"A=1\0TERM=vt100\0");
}

#[test]
fn rsp_is_aligned_for_any_number_of_arguments() {
    let strings: Vec<Vec<u8>> = (0..40).map(|i| vec![b'a' + (i % 26) as u8; i]).collect();
    let slices: Vec<&[u8]> = strings.iter().map(Vec::as_slice).collect();
    for top in [STACK_TOP, STACK_TOP - 8, STACK_TOP - 3] {
        for argc in 0..slices.len() {
            for envc in 0..4 {
                for auxc in 0..3 {
                    let auxv: Vec<(u64, u64)> = (0..auxc).map(|i| (100 + i, i)).collect();
                    let input = StackInput {
                        argv: &slices[..argc],
                        envp: &slices[argc % 7..argc % 7 + envc],
                        auxv: &auxv,
                        execfn: slices[argc],
                        random: RANDOM,
                        stack_top: top,
                        arg_limit: MAX_ARG_BYTES,
                    };
                    let decoded = decode(&build(&input).unwrap(), top);
                    assert_eq!(decoded.argv, input.argv);
                    assert_eq!(decoded.envp, input.envp);
                    assert_eq!(decoded.auxv[..auxv.len()], auxv);
                }
            }
        }
    }
}

#[test]
fn too_much_is_e2big() {
    let longest = vec![b'x'; MAX_ARG_STRLEN - 1];
    let too_long = vec![b'x'; MAX_ARG_STRLEN];
    let argv: &[&[u8]] = &[&too_long];
    assert_eq!(build(&input(argv, &[])), Err(StackError::StringTooLong));
    let envp: &[&[u8]] = &[&too_long];
    assert_eq!(build(&input(&[b"a"], envp)), Err(StackError::StringTooLong));
    assert_eq!(StackError::StringTooLong.errno(), Errno::E2BIG);

    // Against the limit count each string with its NUL and its pointer, and the
    // file name ("/bin/sh", 8 bytes with its NUL) once more, as Linux counts.
    let execfn = b"/bin/sh\0".len();
    let fits = MAX_ARG_BYTES - execfn - 9;
    let argv: &[&[u8]] = &[&longest[..fits]];
    let image = build(&input(argv, &[])).unwrap();
    assert_eq!(decode(&image, STACK_TOP).argv[0].len(), fits);
    let argv: &[&[u8]] = &[&longest[..fits + 1]];
    assert_eq!(build(&input(argv, &[])), Err(StackError::ArgumentsTooLarge));

    // Many small strings: each counts with its NUL and its pointer.
    let many = vec![b"0123456".as_slice(); (MAX_ARG_BYTES - execfn) / 16];
    assert!(build(&input(&many, &[])).is_ok());
    let too_many = vec![b"0123456".as_slice(); (MAX_ARG_BYTES - execfn) / 16 + 1];
    assert_eq!(build(&input(&too_many, &[])), Err(StackError::ArgumentsTooLarge));

    // A bigger stack limit gives more room, up to the ceiling.
    assert_eq!(arg_limit(8 << 20), 2 << 20);
    assert_eq!(arg_limit(1 << 20), 256 << 10);
    assert_eq!(arg_limit(64 << 10), MAX_ARG_BYTES);
    assert_eq!(arg_limit(u64::MAX), ARG_BYTES_CEILING);
    let piece = vec![b'y'; MAX_ARG_STRLEN - 1];
    let one_mib = vec![piece.as_slice(); 8];
    let with_8mib_stack = |argv| StackInput { arg_limit: arg_limit(8 << 20), ..input(argv, &[]) };
    assert!(build(&with_8mib_stack(&one_mib)).is_ok(), "1 MiB of arguments fits an 8 MiB stack");
    assert_eq!(build(&input(&one_mib, &[])), Err(StackError::ArgumentsTooLarge));
    let two_mib = vec![piece.as_slice(); 16];
    assert_eq!(build(&with_8mib_stack(&two_mib)), Err(StackError::ArgumentsTooLarge));
    assert_eq!(StackError::ArgumentsTooLarge.errno(), Errno::E2BIG);
}

#[test]
fn bad_input_is_refused() {
    let argv: &[&[u8]] = &[b"a\0b"];
    assert_eq!(build(&input(argv, &[])), Err(StackError::StringContainsNul));
    for key in [AT_NULL, AT_RANDOM, AT_EXECFN, AT_PLATFORM] {
        let bad = StackInput { auxv: &[(key, 1)], ..input(&[], &[]) };
        assert_eq!(build(&bad), Err(StackError::ReservedAuxvKey(key)));
    }
    let low = StackInput { stack_top: 64, ..input(&[b"a"], &[]) };
    assert_eq!(build(&low), Err(StackError::StackTopTooLow));
}
