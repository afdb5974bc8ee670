//! `gzip`, `gunzip` and `zcat` (flate2 with miniz_oxide): compress each FILE to
//! FILE.gz (or decompress FILE.gz to FILE) keeping its mode and times and removing
//! it unless `-k`, or stream with `-c` or no FILE; `-l` lists, `-t` tests; several
//! members decompress one after another. GNU gzip's messages and statuses: 0, 1 for
//! an error, 2 for a warning (a file skipped, trailing garbage).
use std::ffi::{OsStr, OsString};
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use flate2::Compression;
use flate2::bufread::GzDecoder;
use ulib::args::Spec;
use ulib::diag::{error_text, report};
use ulib::term::Termios;

use crate::cli;
use crate::clock;

/// The three names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Name {
    Gzip,
    Gunzip,
    Zcat,
}

macro_rules! program {
    ($module:ident, $name:ident, $summary:literal) => {
        pub mod $module {
            pub const USAGE: &str = concat!(
                "Usage: ",
                stringify!($module),
                " [OPTION]... [FILE]...\n",
                $summary,
                "\n",
                include_str!("gz.options")
            );

            pub fn run(args: Vec<std::ffi::OsString>) -> u8 {
                super::run(super::Name::$name, args)
            }
        }
    };
}

program!(gzip, Gzip, "Compress or uncompress FILEs (by default, compress FILES in-place).");
program!(gunzip, Gunzip, "Uncompress FILEs (by default, in-place).");
program!(zcat, Zcat, "Uncompress FILEs to standard output.");

const SPEC: Spec = Spec {
    flags: "cdfhklnNqtv123456789",
    valued: "S",
    long: &[
        "stdout",
        "to-stdout",
        "decompress",
        "uncompress",
        "force",
        "keep",
        "list",
        "no-name",
        "name",
        "quiet",
        "test",
        "verbose",
        "fast",
        "best",
        "suffix",
    ],
    ..Spec::NONE
};

/// GNU gzip's statuses.
const ERROR: u8 = 1;
const WARNING: u8 = 2;

/// What the command line asks for.
#[derive(Debug, Clone)]
struct Options {
    decompress: bool,
    stdout: bool,
    force: bool,
    keep: bool,
    list: bool,
    test: bool,
    verbose: bool,
    quiet: bool,
    /// Store the name and time in the header (not `-n`).
    name: bool,
    level: u32,
    suffix: String,
}

/// `gzip: message` on stderr, unless `-q` (a warning) or always (an error); GNU puts
/// some after an empty line.
fn complain(options: &Options, status: u8, message: impl std::fmt::Display) -> u8 {
    if status == ERROR || !options.quiet {
        report("gzip", message);
    }
    status
}

/// The bytes that a header and trailer take, for the ratios: 10 + name + 8.
fn overhead(stored_name: Option<&[u8]>) -> u64 {
    18 + stored_name.map_or(0, |name| name.len() as u64 + 1)
}

/// How much smaller the compressed data is, in percent of `uncompressed`.
fn ratio(uncompressed: u64, compressed: u64, overhead: u64) -> f64 {
    if uncompressed == 0 {
        return 0.0;
    }
    (uncompressed as f64 - (compressed as f64 - overhead as f64)) * 100.0 / uncompressed as f64
}

/// Compresses `input` to `output`: the bytes read and written.
fn compress(
    input: &mut dyn Read,
    output: &mut dyn Write,
    level: u32,
    name: Option<&[u8]>,
    mtime: u32,
) -> Result<(u64, u64), Failure> {
    let mut builder = flate2::GzBuilder::new().operating_system(3).mtime(mtime);
    if let Some(name) = name {
        builder = builder.filename(name);
    }
    let mut counter = Counter { inner: output, count: 0 };
    let mut encoder = builder.write(&mut counter, Compression::new(level));
    let read = copy(input, &mut encoder)?;
    encoder.try_finish().map_err(Failure::Write)?;
    drop(encoder);
    Ok((read, counter.count))
}

/// A writer that counts what passes.
struct Counter<'a> {
    inner: &'a mut dyn Write,
    count: u64,
}

impl Write for Counter<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(bytes)?;
        self.count += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// What went wrong in a compression or decompression.
#[derive(Debug)]
enum Failure {
    Read(io::Error),
    Write(io::Error),
    NotGzip,
    Truncated,
    Corrupt(&'static str),
}

fn copy(input: &mut dyn Read, output: &mut dyn Write) -> Result<u64, Failure> {
    crate::input::copy(input, output).map_err(|err| match err {
        crate::input::CopyError::Read(err) => Failure::Read(err),
        crate::input::CopyError::Write(err) => Failure::Write(err),
    })
}

/// What decompressing found besides the data.
#[derive(Debug, Default, PartialEq, Eq)]
struct Decompressed {
    read: u64,
    written: u64,
    trailing_garbage: bool,
}

/// Decompresses every member of `input` to `output`.
fn decompress(input: &mut dyn BufRead, output: &mut dyn Write) -> Result<Decompressed, Failure> {
    let mut result = Decompressed::default();
    let mut reader = CountingReader { inner: input, count: 0 };
    let mut first = true;
    loop {
        let start = reader.fill_buf().map_err(Failure::Read)?;
        if start.is_empty() {
            if first {
                return Err(Failure::Truncated);
            }
            break;
        }
        if !start.starts_with(&[0x1f]) || start.len() >= 2 && start[1] != 0x8b {
            if first {
                return Err(Failure::NotGzip);
            }
            // Zeros after the last member are padding (from tape blocks); else garbage.
            let mut rest = Vec::new();
            reader.read_to_end(&mut rest).map_err(Failure::Read)?;
            result.trailing_garbage = rest.iter().any(|&byte| byte != 0);
            break;
        }
        first = false;
        let mut decoder = GzDecoder::new(&mut reader);
        match io::copy(&mut decoder, output) {
            Ok(written) => result.written += written,
            Err(err) if err.kind() == io::ErrorKind::UnexpectedEof => return Err(Failure::Truncated),
            Err(err) if decoder.header().is_none() && err.kind() != io::ErrorKind::BrokenPipe => {
                return Err(Failure::NotGzip);
            }
            Err(err) if err.to_string().contains("checksum") => return Err(Failure::Corrupt("crc error")),
            Err(err) if err.kind() == io::ErrorKind::InvalidInput || err.kind() == io::ErrorKind::InvalidData => {
                return Err(Failure::Corrupt("format violated"));
            }
            Err(err) => return Err(Failure::Write(err)),
        }
    }
    result.read = reader.count;
    Ok(result)
}

/// A reader that counts what is consumed.
struct CountingReader<'a> {
    inner: &'a mut dyn BufRead,
    count: u64,
}

impl Read for CountingReader<'_> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let length = self.inner.read(buffer)?;
        self.count += length as u64;
        Ok(length)
    }
}

impl BufRead for CountingReader<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.count += amount as u64;
        self.inner.consume(amount);
    }
}

/// The header's stored name, its size with the trailer, the CRC and ISIZE of a
/// whole compressed file; None when it is not gzip.
#[derive(Debug, PartialEq, Eq)]
struct Listing {
    overhead: u64,
    mtime: u32,
    crc: u32,
    uncompressed: u32,
}

fn listing(data: &[u8]) -> Option<Listing> {
    if data.len() < 18 || data[..3] != [0x1f, 0x8b, 8] {
        return None;
    }
    let flags = data[3];
    let mut position = 10;
    if flags & 4 != 0 {
        position += 2 + usize::from(u16::from_le_bytes([*data.get(10)?, *data.get(11)?]));
    }
    for flag in [8, 16] {
        if flags & flag != 0 {
            position += data.get(position..)?.iter().position(|&byte| byte == 0)? + 1;
        }
    }
    if flags & 2 != 0 {
        position += 2;
    }
    let trailer = data.get(data.len() - 8..)?;
    Some(Listing {
        overhead: position as u64 + 8,
        mtime: u32::from_le_bytes(data[4..8].try_into().ok()?),
        crc: u32::from_le_bytes(trailer[..4].try_into().ok()?),
        uncompressed: u32::from_le_bytes(trailer[4..].try_into().ok()?),
    })
}

/// Whether `fd` is a terminal.
fn is_terminal(fd: i32) -> bool {
    Termios::get(fd).is_ok()
}

/// `name` without `suffix` (or `.tgz` made `.tar`), when it has it.
fn uncompressed_name(name: &OsStr, suffix: &str) -> Option<OsString> {
    let bytes = name.as_bytes();
    if let Some(stem) = bytes.strip_suffix(b".tgz").filter(|stem| !stem.is_empty()) {
        return Some(OsStr::from_bytes(&[stem, b".tar"].concat()).to_owned());
    }
    let stem = bytes.strip_suffix(suffix.as_bytes()).filter(|stem| !stem.is_empty() && !stem.ends_with(b"/"))?;
    Some(OsStr::from_bytes(stem).to_owned())
}

fn suffixed(name: &OsStr, suffix: &str) -> OsString {
    let mut name = name.to_owned();
    name.push(suffix);
    name
}

/// Creates `path` for writing (not over an existing file).
fn create(path: &Path) -> io::Result<File> {
    fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)
}

/// Gives `to` the mode and times of `from`.
fn copy_attributes(from: &fs::Metadata, to: &File) -> io::Result<()> {
    let times = fs::FileTimes::new().set_accessed(from.accessed()?).set_modified(from.modified()?);
    to.set_times(times)?;
    to.set_permissions(fs::Permissions::from_mode(from.permissions().mode() & 0o7777))
}

/// A file left alone, with a warning; `-q` silences both the warning and its status.
fn skipped(options: &Options, message: impl std::fmt::Display) -> u8 {
    if options.quiet { 0 } else { complain(options, WARNING, message) }
}

/// `complain`, after an empty line, as GNU words its complaints about the data.
fn complain_on_new_line(options: &Options, status: u8, message: impl std::fmt::Display) -> u8 {
    if status == ERROR || !options.quiet {
        let _ = io::stderr().write_all(b"\n");
    }
    complain(options, status, message)
}

/// Reports a failed compression or decompression of `shown`; its status.
fn failed(options: &Options, shown: &str, failure: Failure) -> u8 {
    match failure {
        Failure::Read(err) | Failure::Write(err) => {
            complain(options, ERROR, format_args!("{shown}: {}", error_text(&err)))
        }
        Failure::NotGzip => complain_on_new_line(options, ERROR, format_args!("{shown}: not in gzip format")),
        Failure::Truncated => complain_on_new_line(options, ERROR, format_args!("{shown}: unexpected end of file")),
        Failure::Corrupt(what) => {
            complain_on_new_line(options, ERROR, format_args!("{shown}: invalid compressed data--{what}"))
        }
    }
}

/// The header line of `-l`.
fn list_heading(verbose: bool) -> &'static str {
    if verbose {
        "method  crc     date  time           compressed        uncompressed  ratio uncompressed_name"
    } else {
        "         compressed        uncompressed  ratio uncompressed_name"
    }
}

/// One line of `-l`.
fn list_line(verbose: bool, compressed: u64, listing: &Listing, name: &str) -> String {
    let uncompressed = u64::from(listing.uncompressed);
    let mut line = String::new();
    if verbose {
        let time = clock::civil(i64::from(listing.mtime), 0);
        line.push_str(&format!("defla {:08x} {} ", listing.crc, clock::format("%b %e %H:%M", &time)));
    }
    let percent = ratio(uncompressed, compressed, listing.overhead);
    line.push_str(&format!("{compressed:>19} {uncompressed:>19} {percent:5.1}% {name}"));
    line
}

/// The state of a run over the operands.
struct Run<'a> {
    options: &'a Options,
    out: io::StdoutLock<'static>,
    /// `-l`'s totals: compressed, uncompressed, files, and the last overhead.
    totals: (u64, u64, usize, u64),
}

impl Run<'_> {
    /// Compresses or decompresses standard input to standard output.
    fn stream(&mut self) -> u8 {
        let options = self.options;
        let stdin = io::stdin();
        let mut input = stdin.lock();
        if options.list {
            return self.list(&mut input, "stdin", "stdout");
        }
        let result = if options.decompress {
            if options.test {
                decompress(&mut input, &mut io::sink()).map(|done| done.trailing_garbage)
            } else {
                decompress(&mut input, &mut self.out).map(|done| done.trailing_garbage)
            }
        } else {
            compress(&mut input, &mut self.out, options.level, None, 0).map(|_| false)
        };
        match result {
            Ok(false) => 0,
            Ok(true) => complain_on_new_line(options, WARNING, "stdin: decompression OK, trailing garbage ignored"),
            Err(failure) => failed(options, "stdin", failure),
        }
    }

    /// `-l` for one compressed input.
    fn list(&mut self, input: &mut dyn Read, shown: &str, name: &str) -> u8 {
        let options = self.options;
        let mut data = Vec::new();
        if let Err(err) = input.read_to_end(&mut data) {
            return complain(options, ERROR, format_args!("{shown}: {}", error_text(&err)));
        }
        let Some(found) = listing(&data) else {
            return failed(options, shown, Failure::NotGzip);
        };
        if self.totals.2 == 0 {
            let _ = writeln!(self.out, "{}", list_heading(options.verbose));
        }
        let _ = writeln!(self.out, "{}", list_line(options.verbose, data.len() as u64, &found, name));
        self.totals = (
            self.totals.0 + data.len() as u64,
            self.totals.1 + u64::from(found.uncompressed),
            self.totals.2 + 1,
            found.overhead,
        );
        0
    }

    /// Writes `-l`'s totals line when more than one file was listed.
    fn list_totals(&mut self) {
        let (compressed, uncompressed, files, overhead) = self.totals;
        if files > 1 {
            let percent = ratio(uncompressed, compressed, overhead);
            let padding = if self.options.verbose { " ".repeat(34) } else { String::new() };
            let _ = writeln!(self.out, "{padding}{compressed:>19} {uncompressed:>19} {percent:5.1}% (totals)");
        }
    }

    /// Does the work for one operand.
    fn operand(&mut self, operand: &OsStr) -> u8 {
        if operand == "-" {
            return self.stream();
        }
        let options = self.options;
        let shown = operand.to_string_lossy().into_owned();
        let mut source = operand.to_owned();
        let mut target = None;
        if options.decompress {
            target = uncompressed_name(operand, &options.suffix);
            if target.is_none() && !Path::new(operand).exists() {
                let with_suffix = suffixed(operand, &options.suffix);
                if Path::new(&with_suffix).exists() {
                    target = Some(operand.to_owned());
                    source = with_suffix;
                }
            }
        }
        let shown_source = source.to_string_lossy().into_owned();
        let metadata = match fs::metadata(&source) {
            Ok(metadata) => metadata,
            Err(err) => {
                let missing = if options.decompress && target.is_none() {
                    suffixed(operand, &options.suffix).to_string_lossy().into_owned()
                } else {
                    shown.clone()
                };
                return complain(options, ERROR, format_args!("{missing}: {}", error_text(&err)));
            }
        };
        if metadata.is_dir() {
            return skipped(options, format_args!("{shown_source} is a directory -- ignored"));
        }
        if !metadata.is_file() && !options.stdout && !options.test && !options.list {
            return skipped(options, format_args!("{shown_source} is not a directory or a regular file - ignored"));
        }
        let to_stdout = options.stdout || options.test || options.list;
        if options.decompress && target.is_none() && !to_stdout {
            return skipped(options, format_args!("{shown_source}: unknown suffix -- ignored"));
        }
        if !options.decompress && !to_stdout && uncompressed_name(&source, &options.suffix).is_some() && !options.force
        {
            // A warning that, in GNU's gzip, leaves the status alone.
            return complain(
                options,
                0,
                format_args!("{shown_source} already has {} suffix -- unchanged", options.suffix),
            );
        }
        let mut input = match File::open(&source) {
            Ok(file) => BufReader::with_capacity(64 * 1024, file),
            Err(err) => return complain(options, ERROR, format_args!("{shown_source}: {}", error_text(&err))),
        };
        let name = Path::new(&source).file_name().map(|name| name.as_bytes().to_vec()).unwrap_or_default();
        if options.list {
            let listed = target.as_deref().unwrap_or(&source).to_string_lossy().into_owned();
            return self.list(&mut input, &shown_source, &listed);
        }
        let mtime =
            metadata.modified().ok().map_or(0, |time| clock::timestamp(time).0.clamp(0, u32::MAX.into()) as u32);
        let stored_name = options.name.then_some(name.as_slice());
        if to_stdout {
            let mut sink = io::sink();
            let output: &mut dyn Write = if options.test { &mut sink } else { &mut self.out };
            let result = if options.decompress {
                decompress(&mut input, output).map(|done| done.trailing_garbage)
            } else {
                compress(&mut input, output, options.level, stored_name, if options.name { mtime } else { 0 })
                    .map(|_| false)
            };
            return match result {
                Ok(garbage) => {
                    if options.test && options.verbose {
                        let _ = writeln!(io::stderr(), "{shown_source}:\t OK");
                    }
                    if garbage {
                        complain_on_new_line(
                            options,
                            WARNING,
                            format_args!("{shown_source}: decompression OK, trailing garbage ignored"),
                        )
                    } else {
                        0
                    }
                }
                Err(failure) => failed(options, &shown_source, failure),
            };
        }
        let target = target.unwrap_or_else(|| suffixed(&source, &options.suffix));
        let shown_target = target.to_string_lossy().into_owned();
        if fs::symlink_metadata(&target).is_ok() {
            if !options.force {
                return complain(options, WARNING, format_args!("{shown_target} already exists;\tnot overwritten"));
            }
            if let Err(err) = fs::remove_file(&target) {
                return complain(options, ERROR, format_args!("{shown_target}: {}", error_text(&err)));
            }
        }
        let mut output = match create(Path::new(&target)) {
            Ok(file) => io::BufWriter::with_capacity(64 * 1024, file),
            Err(err) => return complain(options, ERROR, format_args!("{shown_target}: {}", error_text(&err))),
        };
        let result = if options.decompress {
            decompress(&mut input, &mut output).map(|done| (done.written, done.read, done.trailing_garbage))
        } else {
            compress(&mut input, &mut output, options.level, stored_name, if options.name { mtime } else { 0 })
                .map(|(read, written)| (read, written, false))
        };
        let finished = result.and_then(|counts| {
            let file = output.into_inner().map_err(|err| Failure::Write(err.into_error()))?;
            copy_attributes(&metadata, &file).map_err(Failure::Write)?;
            Ok(counts)
        });
        let (uncompressed, compressed, garbage) = match finished {
            Ok(counts) => counts,
            Err(failure) => {
                let _ = fs::remove_file(&target);
                return failed(options, &shown_source, failure);
            }
        };
        let mut status = 0;
        if garbage {
            status = complain_on_new_line(
                options,
                WARNING,
                format_args!("{shown_source}: decompression OK, trailing garbage ignored"),
            );
        }
        if options.verbose {
            let stored = if options.decompress { Some(&name[..]) } else { stored_name };
            let percent = ratio(uncompressed, compressed, overhead(stored));
            let done = if options.keep { "created" } else { "replaced with" };
            let _ = writeln!(io::stderr(), "{shown_source}:\t{percent:5.1}% -- {done} {shown_target}");
        }
        if !options.keep
            && let Err(err) = fs::remove_file(&source)
        {
            return complain(options, ERROR, format_args!("{shown_source}: {}", error_text(&err)));
        }
        status
    }
}

/// A bad command line, as gzip words it; 1.
fn usage_error(name: &str, message: impl std::fmt::Display) -> u8 {
    report(name, format_args!("{message}\nTry `{name} --help' for more information."));
    ERROR
}

fn run(program: Name, args: Vec<OsString>) -> u8 {
    let name = match program {
        Name::Gzip => "gzip",
        Name::Gunzip => "gunzip",
        Name::Zcat => "zcat",
    };
    let command_line = match ulib::args::parse_spec(args, &SPEC) {
        Ok(command_line) => command_line,
        Err(ulib::args::ArgError::Help) => return cli::help(name),
        Err(err) => return usage_error(name, err),
    };
    if command_line.has('h') {
        return cli::help(name);
    }
    let long = |option: &str| command_line.long(option).is_some();
    let level = match command_line.last_of("123456789") {
        Some(digit) => digit.to_digit(10).unwrap_or(6),
        None if long("best") => 9,
        None if long("fast") => 1,
        None => 6,
    };
    let suffix = command_line
        .long("suffix")
        .flatten()
        .or_else(|| command_line.value('S'))
        .map_or_else(|| ".gz".to_owned(), |suffix| suffix.to_string_lossy().into_owned());
    if suffix.is_empty() {
        return usage_error(name, "invalid suffix ''");
    }
    let options = Options {
        decompress: program != Name::Gzip
            || command_line.has('d')
            || long("decompress")
            || long("uncompress")
            || command_line.has('t')
            || long("test")
            || command_line.has('l')
            || long("list"),
        stdout: program == Name::Zcat || command_line.has('c') || long("stdout") || long("to-stdout"),
        force: command_line.has('f') || long("force"),
        keep: command_line.has('k') || long("keep"),
        list: command_line.has('l') || long("list"),
        test: command_line.has('t') || long("test"),
        verbose: command_line.last_of("qv").is_some_and(|flag| flag == 'v') || long("verbose"),
        quiet: command_line.last_of("qv").is_some_and(|flag| flag == 'q') || long("quiet"),
        name: !(command_line.has('n') || long("no-name")),
        level,
        suffix,
    };
    let operands = if command_line.operands.is_empty() { vec![OsString::from("-")] } else { command_line.operands };
    let streams = operands.iter().any(|operand| operand == "-");
    if streams && !options.force && !options.test && !options.list {
        if !options.decompress && is_terminal(1) {
            report(
                "gzip",
                "compressed data not written to a terminal. Use -f to force compression.\nFor help, type: gzip -h",
            );
            return ERROR;
        }
        if options.decompress && is_terminal(0) {
            report(
                "gzip",
                "compressed data not read from a terminal. Use -f to force decompression.\nFor help, type: gzip -h",
            );
            return ERROR;
        }
    }
    let mut run = Run { options: &options, out: io::stdout().lock(), totals: (0, 0, 0, 0) };
    let mut status = 0u8;
    for operand in &operands {
        let result = run.operand(operand);
        // An error outranks a warning.
        status = match (status, result) {
            (ERROR, _) | (_, ERROR) => ERROR,
            (old, new) => old.max(new),
        };
    }
    if options.list {
        run.list_totals();
    }
    let out = run.out;
    cli::finish("gzip", out, Ok(status))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gzipped(data: &[u8], name: Option<&[u8]>) -> Vec<u8> {
        let mut out = Vec::new();
        compress(&mut &data[..], &mut out, 6, name, 12345).ok().unwrap();
        out
    }

    #[test]
    fn round_trip_and_members() {
        let data: Vec<u8> = (0..50_000u32).flat_map(|n| n.to_string().into_bytes()).collect();
        let mut both = gzipped(&data, Some(b"name"));
        both.extend(gzipped(b"second", None));
        let mut out = Vec::new();
        let done = decompress(&mut &both[..], &mut out).ok().unwrap();
        assert_eq!(out, [&data[..], b"second"].concat());
        assert_eq!((done.written, done.read, done.trailing_garbage), (out.len() as u64, both.len() as u64, false));
    }

    #[test]
    fn bad_input() {
        let mut sink = io::sink();
        assert!(matches!(decompress(&mut &b"plain text"[..], &mut sink), Err(Failure::NotGzip)));
        assert!(matches!(decompress(&mut &b""[..], &mut sink), Err(Failure::Truncated)));
        let whole = gzipped(b"some data here", None);
        assert!(matches!(decompress(&mut &whole[..whole.len() - 3], &mut sink), Err(Failure::Truncated)));
        let mut corrupt = whole.clone();
        let crc = corrupt.len() - 8;
        corrupt[crc] ^= 1;
        assert!(matches!(decompress(&mut &corrupt[..], &mut sink), Err(Failure::Corrupt("crc error"))));
        let mut garbage = whole.clone();
        garbage.extend_from_slice(b"junk");
        assert!(decompress(&mut &garbage[..], &mut sink).ok().unwrap().trailing_garbage);
        let mut padded = whole;
        padded.extend_from_slice(&[0; 100]);
        assert!(!decompress(&mut &padded[..], &mut sink).ok().unwrap().trailing_garbage);
    }

    #[test]
    fn listings() {
        let data = gzipped(b"hello\n", Some(b"a"));
        let found = listing(&data).unwrap();
        assert_eq!((found.overhead, found.mtime, found.uncompressed), (20, 12345, 6));
        assert_eq!(found.crc, 0x363a3020);
        assert_eq!(listing(b"not gzip at all, not at all"), None);
        let line = list_line(false, 28, &found, "a");
        assert_eq!(line, format!("{:>19} {:>19} -33.3% a", 28, 6));
    }

    #[test]
    fn names() {
        assert_eq!(uncompressed_name(OsStr::new("a.gz"), ".gz"), Some("a".into()));
        assert_eq!(uncompressed_name(OsStr::new("x.tgz"), ".gz"), Some("x.tar".into()));
        assert_eq!(uncompressed_name(OsStr::new(".gz"), ".gz"), None);
        assert_eq!(uncompressed_name(OsStr::new("a"), ".gz"), None);
        assert_eq!(uncompressed_name(OsStr::new("a.z"), ".z"), Some("a".into()));
    }

    proptest::proptest! {
        #[test]
        fn any_data_survives_a_round_trip(data in proptest::collection::vec(proptest::num::u8::ANY, 0..4096), level in 1u32..10) {
            let mut compressed = Vec::new();
            compress(&mut &data[..], &mut compressed, level, Some(b"f"), 0).ok().unwrap();
            let mut out = Vec::new();
            decompress(&mut &compressed[..], &mut out).ok().unwrap();
            proptest::prop_assert_eq!(out, data);
        }

        #[test]
        fn any_input_is_judged_without_panicking(data in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let mut with_magic = vec![0x1f, 0x8b, 8];
            with_magic.extend_from_slice(&data);
            for input in [&data[..], &with_magic[..]] {
                let _ = decompress(&mut &input[..], &mut io::sink());
                let _ = listing(input);
            }
        }
    }

    #[test]
    fn ratios() {
        assert_eq!(format!("{:5.1}", ratio(6, 28, 20)), "-33.3");
        assert_eq!(format!("{:5.1}", ratio(12, 56, 20)), "-200.0");
        assert_eq!(ratio(0, 20, 20), 0.0);
    }
}
