//! Host tests of the initial stack: decode the built image the way a libc's `_start`
//! reads it (from rsp, following pointers into the image) and compare with the input.

use kabi::Errno;
use kabi::auxv::{AT_ENTRY, AT_EXECFN, AT_NULL, AT_PAGESZ, AT_PHDR, AT_PLATFORM, AT_RANDOM};
use user_stack::{
    ARG_BYTES_CEILING, MAX_ARG_BYTES, MAX_ARG_STRLEN, PLATFORM, StackError, StackImage, StackInput, arg_limit, build,
};

const STACK_TOP: u64 = 0x7fff_ffff_f000;
const RANDOM: [u8; 16] = *b"0123456789abcdef";

/// What user space sees at its entry point.
#[derive(Debug)]
struct Decoded {
    argv: Vec<Vec<u8>>,
    envp: Vec<Vec<u8>>,
    /// Without the final AT_NULL pair, which `decode` checks is there.
    auxv: Vec<(u64, u64)>,
}

/// Reads the image as user memory `image.rsp..top`.
struct UserMemory<'a> {
    image: &'a StackImage,
    top: u64,
}

impl UserMemory<'_> {
    fn offset(&self, address: u64) -> usize {
        assert!((self.image.rsp..self.top).contains(&address), "{address:#x} is outside the image");
        (address - self.image.rsp) as usize
    }

    fn word(&self, address: u64) -> u64 {
        let offset = self.offset(address);
        u64::from_le_bytes(self.image.bytes[offset..offset + 8].try_into().unwrap())
    }

    fn bytes(&self, address: u64, len: usize) -> &[u8] {
        let offset = self.offset(address);
        &self.image.bytes[offset..offset + len]
    }

    fn string(&self, address: u64) -> Vec<u8> {
        let offset = self.offset(address);
        let rest = &self.image.bytes[offset..];
        let len = rest.iter().position(|&b| b == 0).expect("string ends with NUL");
        rest[..len].to_vec()
    }

    /// Reads NULL-terminated pointers to strings from `address`; returns them and the
    /// address after the NULL.
    fn string_table(&self, mut address: u64) -> (Vec<Vec<u8>>, u64) {
        let mut strings = Vec::new();
        loop {
            let pointer = self.word(address);
            address += 8;
            if pointer == 0 {
                return (strings, address);
            }
            strings.push(self.string(pointer));
        }
    }
}

fn decode(image: &StackImage, top: u64) -> Decoded {
    assert_eq!(image.rsp % 16, 0, "rsp is 16-byte aligned");
    assert_eq!(image.rsp + image.bytes.len() as u64, top, "the image ends at the top");
    let memory = UserMemory { image, top };
    let argc = memory.word(image.rsp);
    let (argv, envp_address) = memory.string_table(image.rsp + 8);
    assert_eq!(argv.len() as u64, argc);
    let (envp, mut auxv_address) = memory.string_table(envp_address);
    let mut auxv = Vec::new();
    loop {
        let (key, value) = (memory.word(auxv_address), memory.word(auxv_address + 8));
        auxv_address += 16;
        if key == AT_NULL {
            assert_eq!(value, 0);
            break;
        }
        auxv.push((key, value));
    }
    Decoded { argv, envp, auxv }
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
    assert_eq!(memory.bytes(aux_value(&decoded, AT_RANDOM), 16), RANDOM);
    assert_eq!(memory.string(aux_value(&decoded, AT_EXECFN)), b"/bin/sh");
    assert_eq!(memory.string(aux_value(&decoded, AT_PLATFORM)), PLATFORM);
    // The 8 bytes under the top are the zero end marker.
    assert_eq!(memory.word(STACK_TOP - 8), 0);
}

#[test]
fn args_and_env_ranges_hold_the_strings() {
    let argv: &[&[u8]] = &[b"ls", b"-l", b"/"];
    let envp: &[&[u8]] = &[b"A=1", b"TERM=vt100"];
    let image = build(&input(argv, envp)).unwrap();
    let memory = UserMemory { image: &image, top: STACK_TOP };
    let args = memory.bytes(image.args.start, (image.args.end - image.args.start) as usize);
    assert_eq!(args, b"ls\0-l\0/\0");
    let env = memory.bytes(image.env.start, (image.env.end - image.env.start) as usize);
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
