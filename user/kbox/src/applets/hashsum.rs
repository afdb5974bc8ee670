//! `md5sum`, `sha1sum`, `sha256sum`, `sha512sum` (RustCrypto's digests): print the
//! digest of each file as GNU does (`HEX  NAME`, `HEX *NAME` with `-b`, BSD's
//! `MD5 (NAME) = HEX` with `--tag`, names holding `\` or a newline escaped), or
//! with `-c` check the lines of such listings with GNU's messages and warnings.
use std::ffi::{OsStr, OsString};
use std::io::{self, BufRead, Read, Write};
use std::os::unix::ffi::OsStrExt;

use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};
use ulib::args::Spec;
use ulib::diag::{report, report_error};

use crate::cli;
use crate::input;

/// One digest algorithm, and the program named after it.
#[derive(Debug)]
struct Algorithm {
    program: &'static str,
    /// The name in `--tag` lines: `MD5`, `SHA256`.
    tag: &'static str,
    /// The length of the digest in bytes.
    length: usize,
    digest: fn(&mut dyn Read) -> io::Result<Vec<u8>>,
}

fn digest_of<D: Digest + Write>(reader: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut hasher = D::new();
    io::copy(reader, &mut hasher)?;
    Ok(hasher.finalize().to_vec())
}

const MD5: Algorithm = Algorithm { program: "md5sum", tag: "MD5", length: 16, digest: digest_of::<Md5> };
const SHA1: Algorithm = Algorithm { program: "sha1sum", tag: "SHA1", length: 20, digest: digest_of::<Sha1> };
const SHA256: Algorithm = Algorithm { program: "sha256sum", tag: "SHA256", length: 32, digest: digest_of::<Sha256> };
const SHA512: Algorithm = Algorithm { program: "sha512sum", tag: "SHA512", length: 64, digest: digest_of::<Sha512> };

macro_rules! program {
    ($module:ident, $algorithm:ident, $name:literal, $bits:literal) => {
        pub mod $module {
            pub const USAGE: &str = concat!(
                "Usage: ",
                $name,
                " [OPTION]... [FILE]...
Print or check ",
                $bits,
                " checksums (standard input without FILE, or for -).
  -b, --binary          read in binary mode (the same as text here)
  -c, --check           read checksums from the FILEs and check them
      --tag             create a BSD-style checksum
  -t, --text            read in text mode (the default)
  -z, --zero            end each output line with NUL, not newline
Checking:
      --ignore-missing  don't fail or report status for missing files
      --quiet           don't print OK for each successfully verified file
      --status          don't output anything, status code shows success
      --strict          exit non-zero for improperly formatted checksum lines
  -w, --warn            warn about improperly formatted checksum lines"
            );

            pub fn run(args: Vec<std::ffi::OsString>) -> u8 {
                super::run(&super::$algorithm, args)
            }
        }
    };
}

program!(md5sum, MD5, "md5sum", "MD5 (128-bit)");
program!(sha1sum, SHA1, "sha1sum", "SHA1 (160-bit)");
program!(sha256sum, SHA256, "sha256sum", "SHA256 (256-bit)");
program!(sha512sum, SHA512, "sha512sum", "SHA512 (512-bit)");

const SPEC: Spec = Spec {
    flags: "bctwz",
    long: &["binary", "check", "tag", "text", "zero", "ignore-missing", "quiet", "status", "strict", "warn"],
    ..Spec::NONE
};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A name as GNU writes it in a listing: `\`, newline and carriage return escaped,
/// and whether it had to be (the line then starts with `\`).
fn escaped(name: &[u8]) -> (Vec<u8>, bool) {
    let mut text = Vec::with_capacity(name.len());
    for &byte in name {
        match byte {
            b'\\' => text.extend_from_slice(b"\\\\"),
            b'\n' => text.extend_from_slice(b"\\n"),
            b'\r' => text.extend_from_slice(b"\\r"),
            _ => text.push(byte),
        }
    }
    let changed = text.len() != name.len();
    (text, changed)
}

/// The inverse of `escaped`; None for a backslash before anything else.
fn unescaped(text: &[u8]) -> Option<Vec<u8>> {
    let mut name = Vec::with_capacity(text.len());
    let mut bytes = text.iter();
    while let Some(&byte) = bytes.next() {
        if byte != b'\\' {
            name.push(byte);
            continue;
        }
        name.push(match bytes.next()? {
            b'\\' => b'\\',
            b'n' => b'\n',
            b'r' => b'\r',
            _ => return None,
        });
    }
    Some(name)
}

/// How a listing line is written.
#[derive(Debug, Clone, Copy)]
struct Style {
    tag: bool,
    binary: bool,
    zero: bool,
}

/// One listing line for `digest` of `name`.
fn listing_line(algorithm: &Algorithm, style: Style, digest: &[u8], name: &[u8]) -> Vec<u8> {
    let (name, escape) = if style.zero { (name.to_vec(), false) } else { escaped(name) };
    let mut line = Vec::new();
    if escape {
        line.push(b'\\');
    }
    if style.tag {
        line.extend_from_slice(format!("{} (", algorithm.tag).as_bytes());
        line.extend_from_slice(&name);
        line.extend_from_slice(format!(") = {}", hex(digest)).as_bytes());
    } else {
        line.extend_from_slice(hex(digest).as_bytes());
        line.extend_from_slice(if style.binary { b" *" } else { b"  " });
        line.extend_from_slice(&name);
    }
    line.push(if style.zero { 0 } else { b'\n' });
    line
}

/// A line of a listing read back: the expected digest and the file's name.
fn parse_line(algorithm: &Algorithm, line: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let start = line.iter().position(|byte| !byte.is_ascii_whitespace())?;
    let mut line = &line[start..];
    let escape = line.first() == Some(&b'\\');
    if escape {
        line = &line[1..];
    }
    let (digest, name) = match line.strip_prefix(algorithm.tag.as_bytes()).and_then(|rest| rest.strip_prefix(b" (")) {
        Some(rest) => {
            let split = rest.windows(4).rposition(|window| window == b") = ")?;
            (&rest[split + 4..], &rest[..split])
        }
        None => {
            let digits = 2 * algorithm.length;
            let (digest, rest) = (line.get(..digits)?, line.get(digits..)?);
            let rest = rest.strip_prefix(b" ")?;
            let name = rest.strip_prefix(b" ").or_else(|| rest.strip_prefix(b"*")).unwrap_or(rest);
            (digest, name)
        }
    };
    if digest.len() != 2 * algorithm.length || name.is_empty() {
        return None;
    }
    let digest = digest
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    let name = if escape { unescaped(name)? } else { name.to_vec() };
    Some((digest, name))
}

/// What `-c` is asked to say.
#[derive(Debug, Clone, Copy, Default)]
struct CheckOptions {
    ignore_missing: bool,
    quiet: bool,
    status: bool,
    strict: bool,
    warn: bool,
}

/// The counts of one checked listing, for the warnings after it.
#[derive(Debug, Default, PartialEq, Eq)]
struct Tally {
    verified: usize,
    improper: usize,
    unreadable: usize,
    mismatched: usize,
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// Checks each line of the listing `reader`, called `shown` in messages, writing
/// `NAME: OK` or `NAME: FAILED` lines to `out`.
fn check_listing(
    algorithm: &Algorithm,
    options: CheckOptions,
    reader: &mut dyn BufRead,
    shown: &str,
    out: &mut impl Write,
) -> Result<Tally, input::CopyError> {
    let mut tally = Tally::default();
    let mut properly_formatted = 0;
    for (number, line) in reader.split(b'\n').enumerate() {
        let line = line.map_err(input::CopyError::Read)?;
        let Some((expected, name)) = parse_line(algorithm, &line) else {
            tally.improper += 1;
            if options.warn {
                report(
                    algorithm.program,
                    format_args!("{shown}: {}: improperly formatted {} checksum line", number + 1, algorithm.tag),
                );
            }
            continue;
        };
        properly_formatted += 1;
        // Here only a line break makes GNU escape the name.
        let mut result_line = if name.contains(&b'\n') || name.contains(&b'\r') {
            [&b"\\"[..], &escaped(&name).0].concat()
        } else {
            name.clone()
        };
        let name = OsStr::from_bytes(&name);
        let computed = input::open(name).and_then(|mut file| (algorithm.digest)(&mut file));
        let verdict: &[u8] = match computed {
            Err(err) if options.ignore_missing && err.kind() == io::ErrorKind::NotFound => continue,
            Err(err) => {
                report_error(algorithm.program, input::shown(name), &err);
                tally.unreadable += 1;
                b": FAILED open or read\n"
            }
            Ok(digest) if digest == expected => {
                tally.verified += 1;
                if options.quiet {
                    continue;
                }
                b": OK\n"
            }
            Ok(_) => {
                tally.verified += 1;
                tally.mismatched += 1;
                b": FAILED\n"
            }
        };
        if !options.status {
            result_line.extend_from_slice(verdict);
            out.write_all(&result_line).map_err(input::CopyError::Write)?;
        }
    }
    if properly_formatted == 0 {
        report(algorithm.program, format_args!("{shown}: no properly formatted checksum lines found"));
        return Ok(tally);
    }
    if !options.status {
        out.flush().map_err(input::CopyError::Write)?;
        let warn = |text: String| report(algorithm.program, format_args!("WARNING: {text}"));
        if tally.improper > 0 {
            warn(plural(tally.improper, "line is improperly formatted", "lines are improperly formatted"));
        }
        if tally.unreadable > 0 {
            warn(plural(tally.unreadable, "listed file could not be read", "listed files could not be read"));
        }
        if tally.mismatched > 0 {
            warn(plural(tally.mismatched, "computed checksum did NOT match", "computed checksums did NOT match"));
        }
    }
    if options.ignore_missing && tally.verified == 0 && tally.unreadable == 0 {
        report(algorithm.program, format_args!("{shown}: no file was verified"));
    }
    Ok(tally)
}

/// Whether a checked listing passes: something verified, every file read and
/// matching, and every line well formed unless `--strict` is not given.
fn passed(tally: &Tally, options: CheckOptions) -> bool {
    tally.verified + tally.unreadable > 0
        && tally.unreadable == 0
        && tally.mismatched == 0
        && !(options.strict && tally.improper > 0)
}

fn check(algorithm: &Algorithm, options: CheckOptions, operands: Vec<OsString>) -> u8 {
    let mut out = cli::stdout();
    let mut status = 0;
    for operand in input::operands_or_stdin(operands) {
        let shown = if operand == "-" { "'standard input'".to_owned() } else { input::shown(&operand) };
        let result = input::open(&operand)
            .map_err(input::CopyError::Read)
            .and_then(|mut reader| check_listing(algorithm, options, &mut *reader, &shown, &mut out));
        match result {
            Ok(tally) => status = status.max(u8::from(!passed(&tally, options))),
            Err(input::CopyError::Read(err)) => {
                report_error(algorithm.program, input::shown(&operand), &err);
                status = 1;
            }
            Err(input::CopyError::Write(err)) => return cli::write_failed(algorithm.program, &err),
        }
    }
    cli::finish(algorithm.program, out, Ok(status))
}

fn run(algorithm: &Algorithm, args: Vec<OsString>) -> u8 {
    let program = algorithm.program;
    let command_line = match cli::parse(program, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let long = |name: &str| command_line.long(name).is_some();
    let checking = command_line.has('c') || long("check");
    let binary = command_line.has('b') || long("binary");
    let text = command_line.has('t') || long("text");
    let options = CheckOptions {
        ignore_missing: long("ignore-missing"),
        quiet: long("quiet"),
        status: long("status"),
        strict: long("strict"),
        warn: command_line.has('w') || long("warn"),
    };
    if checking {
        if binary || text {
            return cli::usage_error(
                program,
                "the --binary and --text options are meaningless when verifying checksums",
            );
        }
        if long("tag") {
            return cli::usage_error(program, "the --tag option is meaningless when verifying checksums");
        }
        return check(algorithm, options, command_line.operands);
    }
    for (given, name) in [
        (options.ignore_missing, "--ignore-missing"),
        (options.quiet, "--quiet"),
        (options.status, "--status"),
        (options.strict, "--strict"),
        (options.warn, "--warn"),
    ] {
        if given {
            return cli::usage_error(
                program,
                format_args!("the {name} option is meaningful only when verifying checksums"),
            );
        }
    }
    if long("tag") && text {
        return cli::usage_error(program, "--tag does not support --text mode");
    }
    let style = Style { tag: long("tag"), binary, zero: command_line.has('z') || long("zero") };
    let mut out = cli::stdout();
    let mut status = 0;
    for operand in input::operands_or_stdin(command_line.operands) {
        match input::open(&operand).and_then(|mut reader| (algorithm.digest)(&mut reader)) {
            Ok(digest) => {
                if let Err(err) = out.write_all(&listing_line(algorithm, style, &digest, operand.as_bytes())) {
                    return cli::write_failed(program, &err);
                }
            }
            Err(err) => {
                report_error(program, input::shown(&operand), &err);
                status = 1;
            }
        }
    }
    cli::finish(program, out, Ok(status))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(algorithm: &Algorithm, data: &[u8]) -> String {
        hex(&(algorithm.digest)(&mut &data[..]).unwrap())
    }

    #[test]
    fn known_digests() {
        assert_eq!(digest(&MD5, b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(digest(&SHA1, b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(digest(&SHA256, b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert!(digest(&SHA512, b"abc").starts_with("ddaf35a193617abacc417349ae204131"));
        assert_eq!(digest(&SHA512, b"abc").len(), 128);
    }

    #[test]
    fn listing_lines() {
        let style = Style { tag: false, binary: false, zero: false };
        let digest = [0xab; 16];
        let line = listing_line(&MD5, style, &digest, b"a\\b");
        assert_eq!(line, format!("\\{}  a\\\\b\n", "ab".repeat(16)).into_bytes());
        let line = listing_line(&MD5, Style { binary: true, ..style }, &digest, b"f");
        assert_eq!(line, format!("{} *f\n", "ab".repeat(16)).into_bytes());
        let line = listing_line(&MD5, Style { tag: true, ..style }, &digest, b"f");
        assert_eq!(line, format!("MD5 (f) = {}\n", "ab".repeat(16)).into_bytes());
    }

    #[test]
    fn lines_read_back() {
        let digest = [0xab; 16];
        for style in [
            Style { tag: false, binary: false, zero: false },
            Style { tag: false, binary: true, zero: false },
            Style { tag: true, binary: false, zero: false },
        ] {
            for name in [&b"plain"[..], b"a b", b"new\nline", b"back\\slash", b"x) = y"] {
                let line = listing_line(&MD5, style, &digest, name);
                let line = line.strip_suffix(b"\n").unwrap();
                assert_eq!(parse_line(&MD5, line), Some((digest.to_vec(), name.to_vec())), "{style:?} {name:?}");
            }
        }
    }

    #[test]
    fn improper_lines() {
        assert_eq!(parse_line(&MD5, b"xx"), None);
        assert_eq!(parse_line(&MD5, b""), None);
        assert_eq!(parse_line(&MD5, format!("{}  ", "ab".repeat(16)).as_bytes()), None);
        assert_eq!(parse_line(&MD5, format!("{}  f", "zz".repeat(16)).as_bytes()), None);
        assert_eq!(parse_line(&SHA256, format!("{}  f", "ab".repeat(16)).as_bytes()), None);
        assert_eq!(parse_line(&SHA1, format!("MD5 (f) = {}", "ab".repeat(16)).as_bytes()), None);
        assert_eq!(parse_line(&MD5, format!("\\{}  a\\q", "ab".repeat(16)).as_bytes()), None);
    }

    proptest::proptest! {
        #[test]
        fn any_name_is_read_back(name in proptest::collection::vec(proptest::num::u8::ANY, 1..64), tag: bool, binary: bool) {
            let digest = [0x5a; 32];
            let line = listing_line(&SHA256, Style { tag, binary, zero: false }, &digest, &name);
            let line = line.strip_suffix(b"\n").unwrap();
            proptest::prop_assert!(!line.contains(&b'\n'));
            proptest::prop_assert_eq!(parse_line(&SHA256, line), Some((digest.to_vec(), name.clone())));
        }

        #[test]
        fn any_line_is_judged_without_panicking(line in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = parse_line(&MD5, &line);
        }
    }

    #[test]
    fn verdicts() {
        let options = CheckOptions::default();
        assert!(passed(&Tally { verified: 2, ..Tally::default() }, options));
        assert!(passed(&Tally { verified: 1, improper: 1, ..Tally::default() }, options));
        assert!(!passed(
            &Tally { verified: 1, improper: 1, ..Tally::default() },
            CheckOptions { strict: true, ..options }
        ));
        assert!(!passed(&Tally { verified: 1, mismatched: 1, ..Tally::default() }, options));
        assert!(!passed(&Tally { unreadable: 1, ..Tally::default() }, options));
        assert!(!passed(&Tally { improper: 3, ..Tally::default() }, options));
        assert!(!passed(&Tally::default(), CheckOptions { ignore_missing: true, ..options }));
    }
}
