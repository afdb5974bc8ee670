//! ktest-badelf: corrupt executables are refused or die, and the system carries on.
//! From a valid ELF64 x86-64 executable (this program's own, /proc/self/exe, unless
//! one is named) it makes deterministic mutations: byte flips in the ELF header
//! (e_ident, e_type, e_machine, e_entry, e_phoff, e_phentsize, e_phnum) and in
//! program headers (p_type, p_flags, p_offset, p_vaddr, p_filesz, p_memsz, p_align),
//! truncations (to 0, 1, 63 and 64 bytes, inside the program headers, mid-file),
//! huge p_filesz and p_memsz (u64::MAX, 1<<47), segments in kernel space or at
//! non-canonical addresses, two PT_LOADs at the same address, an entry outside every
//! segment, a PT_INTERP of /nonexistent (also without its NUL, and past the end of
//! the file), e_phnum 0xffff and 0, and segments whose file offset lies past the end
//! of the file. Each is written to a scratch file (mode 0755) and executed in a child
//! (argv ["x"], no environment, stdin, stdout and stderr on /dev/null, its own
//! process group, RLIMIT_CPU 5 s, RLIMIT_AS 256 MiB). Each must either be refused by
//! execve with ENOEXEC, EINVAL, ENOMEM, E2BIG, EACCES, EFAULT, ENOENT, ELIBBAD or EIO,
//! or run and then exit or die by any signal; one that still runs after 5 s is
//! killed and counted as a timeout. A close-on-exec pipe tells a failed execve (the
//! child writes its errno, then exits 100 + errno) from a program that ran. A summary
//! counts the outcomes (`badelf: 300 mutations: ENOEXEC 211, killed by SIGSEGV 40,
//! ...`), overall and for each kind of mutation. Afterwards the intact executable
//! still runs (with `--noop`: exit 0 at once), and a pipe round trip through a
//! child works.
//!
//! This program does nothing and exits 0 when argv[0] is `x` (a mutation that still
//! loads runs this way) or with `--noop`.
//!
//! Usage: `ktest-badelf [ELF] [--count N] [--seed S]` (300 mutations, seed 1 by
//! default); the scratch files go to a directory under /tmp (TMPDIR).
use std::collections::BTreeMap;
use std::env;
use std::ffi::{CStr, CString, OsString, c_int};
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::process::ExitCode;
use std::thread::sleep;
use std::time::{Duration, Instant};

use ktest::{
    Context, Outcome, Scratch, c_path, c_string, child_check, ensure, errno_name, expect_exit, operands, option_value,
    pipe2, set_limit, signal_name, spawn, wait_for,
};
use ulib::diag::error_text;
use ulib::jobctl::{kill, setpgid};
use ulib::process::{self, Fork, execve, exit_immediately, pid_t};

const NAME: &str = "badelf";
const DEFAULT_COUNT: usize = 300;
const DEFAULT_SEED: u64 = 1;
const NOOP_FLAG: &str = "--noop";
/// The argv[0] of every mutation: a mutation that still loads exits 0 at once.
const MUTANT_ARGV0: &str = "x";
const TIMEOUT: Duration = Duration::from_secs(5);
const CPU_SECONDS: u64 = 5;
const ADDRESS_SPACE: u64 = 256 << 20;
/// A child whose execve failed exits with this plus the errno.
const EXEC_FAILED_BASE: c_int = 100;
/// A child that could not prepare for execve (its limits, its descriptors) exits so.
const SETUP_FAILED: c_int = 99;
/// What execve may refuse a corrupt executable with.
const ACCEPTED_ERRNOS: [c_int; 9] = [
    libc::ENOEXEC,
    libc::EINVAL,
    libc::ENOMEM,
    libc::E2BIG,
    libc::EACCES,
    libc::EFAULT,
    libc::ENOENT,
    libc::ELIBBAD,
    libc::EIO,
];
const PROGRESS_EVERY: usize = 50;
const PAGE_SIZE: u64 = 4096;
const MIB: u64 = 1 << 20;

const ELF_HEADER_SIZE: usize = 64;
const PHDR_SIZE: usize = 56;
const PT_LOAD: u32 = 1;
const PT_INTERP: u32 = 3;
const EM_X86_64: u16 = 62;
const KERNEL_BASE: u64 = 0xffff_8000_0000_0000;
/// The first non-canonical address: bit 47 set, the bits above it clear.
const NON_CANONICAL: u64 = 0x0000_8000_0000_0000;
const INTERP_PATH: &[u8] = b"/nonexistent\0";
/// The huge sizes that segments are given, in turn.
const HUGE_SIZES: [(&str, usize, u64); 4] = [
    ("p_filesz", P_FILESZ, u64::MAX),
    ("p_memsz", P_MEMSZ, u64::MAX),
    ("p_filesz", P_FILESZ, 1 << 47),
    ("p_memsz", P_MEMSZ, 1 << 47),
];
/// The program header counts that e_phnum is given, in turn.
const PHNUMS: [u16; 2] = [0xffff, 0];

/// Offsets and sizes of the ELF header's fields that the flips hit.
const HEADER_FIELDS: [(&str, usize, usize); 7] = [
    ("e_ident", 0, 16),
    ("e_type", 16, 2),
    ("e_machine", 18, 2),
    ("e_entry", 24, 8),
    ("e_phoff", 32, 8),
    ("e_phentsize", 54, 2),
    ("e_phnum", 56, 2),
];
const E_MACHINE: usize = 18;
const E_ENTRY: usize = 24;
const E_PHOFF: usize = 32;
const E_PHENTSIZE: usize = 54;
const E_PHNUM: usize = 56;

/// Offsets and sizes of a program header's fields that the flips hit.
const PHDR_FIELDS: [(&str, usize, usize); 7] = [
    ("p_type", 0, 4),
    ("p_flags", 4, 4),
    ("p_offset", 8, 8),
    ("p_vaddr", 16, 8),
    ("p_filesz", 32, 8),
    ("p_memsz", 40, 8),
    ("p_align", 48, 8),
];
const P_OFFSET: usize = 8;
const P_VADDR: usize = 16;
const P_FILESZ: usize = 32;
const P_MEMSZ: usize = 40;

/// The kinds of mutation, taken in turn, with their names in the summary.
#[derive(Debug, Clone, Copy)]
enum Kind {
    HeaderFlip,
    PhdrFlip,
    Truncation,
    HugeSize,
    KernelSpace,
    NonCanonical,
    Overlap,
    EntryOutside,
    Interp,
    Phnum,
    PastEnd,
}

const KINDS: [(Kind, &str); 11] = [
    (Kind::HeaderFlip, "ELF header flips"),
    (Kind::PhdrFlip, "program header flips"),
    (Kind::Truncation, "truncations"),
    (Kind::HugeSize, "huge segment sizes"),
    (Kind::KernelSpace, "segments in kernel space"),
    (Kind::NonCanonical, "non-canonical segments"),
    (Kind::Overlap, "overlapping PT_LOADs"),
    (Kind::EntryOutside, "entry outside the segments"),
    (Kind::Interp, "PT_INTERP /nonexistent"),
    (Kind::Phnum, "e_phnum 0xffff or 0"),
    (Kind::PastEnd, "segments past the end of the file"),
];

/// xorshift64: a tiny deterministic generator, so that a seed names a run.
struct XorShift(u64);

impl XorShift {
    fn new(seed: u64) -> Self {
        let state = seed ^ 0x9e37_79b9_7f4a_7c15;
        Self(if state == 0 { 1 } else { state })
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number below `bound` (which is not 0).
    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    /// A byte that is not 0, to flip bits with.
    fn nonzero_byte(&mut self) -> u8 {
        (self.below(255) + 1) as u8
    }
}

fn u16_at(bytes: &[u8], offset: usize) -> u16 {
    u16::from_le_bytes([bytes[offset], bytes[offset + 1]])
}

fn u32_at(bytes: &[u8], offset: usize) -> u32 {
    u32::from_le_bytes(bytes[offset..offset + 4].try_into().expect("4 bytes"))
}

fn u64_at(bytes: &[u8], offset: usize) -> u64 {
    u64::from_le_bytes(bytes[offset..offset + 8].try_into().expect("8 bytes"))
}

fn put_u16(bytes: &mut [u8], offset: usize, value: u16) {
    bytes[offset..offset + 2].copy_from_slice(&value.to_le_bytes());
}

fn put_u32(bytes: &mut [u8], offset: usize, value: u32) {
    bytes[offset..offset + 4].copy_from_slice(&value.to_le_bytes());
}

fn put_u64(bytes: &mut [u8], offset: usize, value: u64) {
    bytes[offset..offset + 8].copy_from_slice(&value.to_le_bytes());
}

/// What the mutations need to know of the valid executable.
struct Elf {
    bytes: Vec<u8>,
    phoff: usize,
    phnum: usize,
    /// The indexes of the PT_LOAD program headers.
    loads: Vec<usize>,
    /// The indexes of the other program headers (to make a PT_INTERP of).
    others: Vec<usize>,
    /// The index of the PT_INTERP program header, if there is one.
    interp: Option<usize>,
}

impl Elf {
    /// Checks that `bytes` are an ELF64 little-endian x86-64 executable with
    /// 56-byte program headers inside the file and at least two PT_LOADs.
    fn parse(bytes: Vec<u8>) -> Result<Self, String> {
        ensure(bytes.len() >= ELF_HEADER_SIZE && bytes[..6] == *b"\x7fELF\x02\x01", || {
            "not an ELF64 little-endian file".into()
        })?;
        ensure(u16_at(&bytes, E_MACHINE) == EM_X86_64, || "not an x86-64 executable".into())?;
        ensure(usize::from(u16_at(&bytes, E_PHENTSIZE)) == PHDR_SIZE, || "program headers are not 56 bytes".into())?;
        let phoff = usize::try_from(u64_at(&bytes, E_PHOFF)).map_err(|_| "e_phoff is absurd")?;
        let phnum = usize::from(u16_at(&bytes, E_PHNUM));
        ensure(phoff.checked_add(phnum * PHDR_SIZE).is_some_and(|end| end <= bytes.len()), || {
            "the program headers are not inside the file".into()
        })?;
        let types: Vec<u32> = (0..phnum).map(|index| u32_at(&bytes, phoff + index * PHDR_SIZE)).collect();
        let loads: Vec<usize> = (0..phnum).filter(|&index| types[index] == PT_LOAD).collect();
        let others: Vec<usize> = (0..phnum).filter(|&index| types[index] != PT_LOAD).collect();
        let interp = (0..phnum).find(|&index| types[index] == PT_INTERP);
        ensure(loads.len() >= 2, || format!("{} PT_LOAD segments; the mutations need two", loads.len()))?;
        let in_user_half = |&index: &usize| {
            let phdr = phoff + index * PHDR_SIZE;
            u64_at(&bytes, phdr + P_VADDR)
                .checked_add(u64_at(&bytes, phdr + P_MEMSZ))
                .is_some_and(|end| end <= NON_CANONICAL)
        };
        ensure(loads.iter().all(in_user_half), || "a PT_LOAD segment lies outside the user half".into())?;
        ensure(!others.is_empty(), || "no program header to make a PT_INTERP of".into())?;
        Ok(Self { bytes, phoff, phnum, loads, others, interp })
    }

    /// The offset of program header `index`.
    fn phdr(&self, index: usize) -> usize {
        self.phoff + index * PHDR_SIZE
    }

    /// A field of program header `index`.
    fn phdr_u64(&self, index: usize, field: usize) -> u64 {
        u64_at(&self.bytes, self.phdr(index) + field)
    }

    /// Whether `address` lies in a PT_LOAD segment (as the file gives addresses).
    fn in_a_segment(&self, address: u64) -> bool {
        self.loads.iter().any(|&index| {
            let start = self.phdr_u64(index, P_VADDR);
            let size = self.phdr_u64(index, P_MEMSZ);
            address >= start && address - start < size
        })
    }

    /// The end of the highest PT_LOAD segment.
    fn highest_end(&self) -> u64 {
        self.loads
            .iter()
            .map(|&index| self.phdr_u64(index, P_VADDR).saturating_add(self.phdr_u64(index, P_MEMSZ)))
            .max()
            .unwrap_or(0)
    }

    fn pick_load(&self, rng: &mut XorShift) -> usize {
        self.loads[rng.below(self.loads.len())]
    }

    /// Mutation number `round` of `kind`: the bytes, and what was done.
    fn mutate(&self, kind: Kind, round: usize, rng: &mut XorShift) -> (Vec<u8>, String) {
        let mut bytes = self.bytes.clone();
        let what = match kind {
            Kind::HeaderFlip => {
                let (field, offset, size) = HEADER_FIELDS[rng.below(HEADER_FIELDS.len())];
                let byte = rng.below(size);
                let flip = rng.nonzero_byte();
                bytes[offset + byte] ^= flip;
                format!("{field} byte {byte} ^ {flip:#04x}")
            }
            Kind::PhdrFlip => {
                let index = rng.below(self.phnum);
                let (field, offset, size) = PHDR_FIELDS[rng.below(PHDR_FIELDS.len())];
                let byte = rng.below(size);
                let flip = rng.nonzero_byte();
                bytes[self.phdr(index) + offset + byte] ^= flip;
                format!("{field} of program header {index} byte {byte} ^ {flip:#04x}")
            }
            Kind::Truncation => {
                let table = self.phnum * PHDR_SIZE;
                let length = match round % 6 {
                    0 => 0,
                    1 => 1,
                    2 => 63,
                    3 => 64,
                    4 => self.phoff + 1 + rng.below(table - 1),
                    _ => self.phoff + table + rng.below((self.bytes.len() - self.phoff - table).max(1)),
                };
                bytes.truncate(length);
                format!("truncated to {length} bytes")
            }
            Kind::HugeSize => {
                let index = self.pick_load(rng);
                let (field, offset, value) = HUGE_SIZES[round % HUGE_SIZES.len()];
                put_u64(&mut bytes, self.phdr(index) + offset, value);
                format!("{field} of program header {index} = {value:#x}")
            }
            Kind::KernelSpace => {
                let index = self.pick_load(rng);
                let vaddr = KERNEL_BASE | (self.phdr_u64(index, P_VADDR) % PAGE_SIZE);
                put_u64(&mut bytes, self.phdr(index) + P_VADDR, vaddr);
                format!("p_vaddr of program header {index} = {vaddr:#x}")
            }
            Kind::NonCanonical => {
                let index = self.pick_load(rng);
                let high = rng.next() & 0x7fff_7fff_ffff_f000;
                let vaddr = NON_CANONICAL | high | (self.phdr_u64(index, P_VADDR) % PAGE_SIZE);
                put_u64(&mut bytes, self.phdr(index) + P_VADDR, vaddr);
                format!("p_vaddr of program header {index} = {vaddr:#x}")
            }
            Kind::Overlap => {
                let first = rng.below(self.loads.len());
                let second = (first + 1 + rng.below(self.loads.len() - 1)) % self.loads.len();
                let (moved, target) = (self.loads[first], self.loads[second]);
                let vaddr = self.phdr_u64(target, P_VADDR);
                put_u64(&mut bytes, self.phdr(moved) + P_VADDR, vaddr);
                format!("p_vaddr of program header {moved} = {vaddr:#x}, as program header {target}")
            }
            Kind::EntryOutside => {
                let above = (self.highest_end() + MIB).next_multiple_of(PAGE_SIZE);
                let candidates = [above, 0x7fff_ffff_f000, KERNEL_BASE, NON_CANONICAL, 0];
                let outside: Vec<u64> = candidates.into_iter().filter(|&address| !self.in_a_segment(address)).collect();
                let entry = outside[round % outside.len()];
                put_u64(&mut bytes, E_ENTRY, entry);
                format!("e_entry = {entry:#x}")
            }
            Kind::Interp => {
                let index = self.interp.unwrap_or_else(|| self.others[round / 3 % self.others.len()]);
                let (offset, size, how) = match round % 3 {
                    0 => (bytes.len(), INTERP_PATH.len(), "/nonexistent"),
                    1 => (bytes.len(), INTERP_PATH.len() - 1, "/nonexistent without its NUL"),
                    _ => (bytes.len() + 2 * PAGE_SIZE as usize, INTERP_PATH.len(), "past the end of the file"),
                };
                bytes.extend_from_slice(INTERP_PATH);
                let phdr = self.phdr(index);
                put_u32(&mut bytes, phdr, PT_INTERP);
                put_u64(&mut bytes, phdr + P_OFFSET, offset as u64);
                put_u64(&mut bytes, phdr + P_FILESZ, size as u64);
                format!("program header {index} is a PT_INTERP: {how}")
            }
            Kind::Phnum => {
                let phnum = PHNUMS[round % PHNUMS.len()];
                put_u16(&mut bytes, E_PHNUM, phnum);
                format!("e_phnum = {phnum:#x}")
            }
            Kind::PastEnd => {
                let index = self.pick_load(rng);
                let beyond = (self.bytes.len() as u64).next_multiple_of(PAGE_SIZE);
                let offset = self.phdr_u64(index, P_OFFSET) + beyond;
                put_u64(&mut bytes, self.phdr(index) + P_OFFSET, offset);
                format!("p_offset of program header {index} = {offset:#x}, past the end of the file")
            }
        };
        (bytes, what)
    }
}

/// How one executable fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Ran {
    Refused(c_int),
    Exited(c_int),
    Killed(c_int),
    TimedOut,
}

impl Ran {
    fn label(self) -> String {
        match self {
            Ran::Refused(errno) => errno_name(errno),
            Ran::Exited(code) => format!("exit {code}"),
            Ran::Killed(signal) => match signal_name(signal) {
                Some(name) => format!("killed by SIG{name}"),
                None => format!("killed by signal {signal}"),
            },
            Ran::TimedOut => "timeout".into(),
        }
    }

    fn acceptable(self) -> bool {
        match self {
            Ran::Refused(errno) => ACCEPTED_ERRNOS.contains(&errno),
            Ran::Exited(_) | Ran::Killed(_) | Ran::TimedOut => true,
        }
    }
}

/// In the child: its own process group, the standard descriptors on /dev/null, the
/// limits; then execve. Reports a failure as a tag and the errno on `report`.
fn exec_child(path: &CStr, argv: &[CString], devnull: &File, report: &File) -> c_int {
    let tell = |tag: u8, errno: c_int| {
        let mut message = [tag, 0, 0, 0, 0];
        message[1..].copy_from_slice(&errno.to_le_bytes());
        let _ = (&*report).write_all(&message);
    };
    let prepared = setpgid(0, 0)
        .and_then(|()| (0..3).try_for_each(|fd| ulib::fd::dup2(devnull.as_raw_fd(), fd)))
        .and_then(|()| set_limit(libc::RLIMIT_CPU, CPU_SECONDS, CPU_SECONDS))
        .and_then(|()| set_limit(libc::RLIMIT_AS, ADDRESS_SPACE, ADDRESS_SPACE));
    if let Err(err) = prepared {
        tell(b'S', err.raw_os_error().unwrap_or(0));
        return SETUP_FAILED;
    }
    let err = execve(path, argv, &[]);
    let errno = err.raw_os_error().unwrap_or(0);
    tell(b'E', errno);
    EXEC_FAILED_BASE + errno
}

/// Waits for `pid` for up to [`TIMEOUT`]; then kills its process group and reaps it.
fn wait_or_kill(pid: pid_t) -> Result<Option<process::WaitStatus>, String> {
    let start = Instant::now();
    let mut nap = Duration::from_micros(200);
    while start.elapsed() < TIMEOUT {
        match process::wait4(pid, libc::WNOHANG) {
            Ok(Some((_, status))) => return Ok(Some(status)),
            Ok(None) => sleep(nap),
            Err(err) => return Err(format!("wait4({pid}): {}", error_text(&err))),
        }
        nap = (nap * 2).min(Duration::from_millis(20));
    }
    // The group first (what the program may have forked), then the child itself in
    // case it never made its group.
    let _ = kill(-pid, libc::SIGKILL);
    kill(pid, libc::SIGKILL).context(format_args!("kill {pid}"))?;
    wait_for(pid)?;
    Ok(None)
}

/// Forks a child that executes `path` with `argv`, and finds out how it went.
fn run_image(path: &CStr, argv: &[CString], devnull: &File) -> Result<Ran, String> {
    let (mut reader, writer) = pipe2(libc::O_CLOEXEC).context("pipe2")?;
    let pid = match process::fork() {
        Ok(Fork::Child) => exit_immediately(exec_child(path, argv, devnull, &writer)),
        Ok(Fork::Parent { child }) => child,
        Err(err) => return Err(format!("fork: {}", error_text(&err))),
    };
    drop(writer);
    let status = wait_or_kill(pid)?;
    let mut report = Vec::new();
    reader.read_to_end(&mut report).context("read from the child's pipe")?;
    let Some(status) = status else { return Ok(Ran::TimedOut) };
    match report.as_slice() {
        [] => match (status.exit_code(), status.killing_signal()) {
            (Some(code), _) => Ok(Ran::Exited(code)),
            (None, Some(signal)) => Ok(Ran::Killed(signal)),
            (None, None) => Err(format!("child {pid}: {status}")),
        },
        [tag, errno @ ..] if errno.len() == 4 => {
            let errno = c_int::from_le_bytes(errno.try_into().expect("4 bytes"));
            let err = std::io::Error::from_raw_os_error(errno);
            ensure(*tag == b'E', || format!("child {pid}: before execve: {}", error_text(&err)))?;
            ensure(status.exit_code() == Some(EXEC_FAILED_BASE + errno), || {
                format!("child {pid}: execve failed with {}, but then {status}", errno_name(errno))
            })?;
            Ok(Ran::Refused(errno))
        }
        other => Err(format!("child {pid}: a garbled report {other:?}")),
    }
}

/// Writes `bytes` to a new file `path` with mode 0755 and closes it (an executable
/// still open for writing anywhere cannot be executed: ETXTBSY).
fn write_executable(path: &Path, bytes: &[u8]) -> Outcome {
    let mut file = OpenOptions::new().write(true).create_new(true).mode(0o755).open(path).context(path.display())?;
    file.write_all(bytes).context(format_args!("write {}", path.display()))?;
    file.set_permissions(fs::Permissions::from_mode(0o755)).context(format_args!("fchmod {}", path.display()))
}

/// The counts of outcomes, most frequent first: `ENOEXEC 211, killed by SIGSEGV 40`.
fn summary(counts: &BTreeMap<Ran, usize>) -> String {
    let mut counts: Vec<(Ran, usize)> = counts.iter().map(|(&ran, &count)| (ran, count)).collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts.iter().map(|(ran, count)| format!("{} {count}", ran.label())).collect::<Vec<_>>().join(", ")
}

/// Runs the intact executable with `--noop`: it must exit 0.
fn intact_runs(path: &CStr, devnull: &File) -> Outcome {
    let argv = [path.to_owned(), c_string(NOOP_FLAG.as_bytes())?];
    let ran = run_image(path, &argv, devnull)?;
    ensure(ran == Ran::Exited(0), || format!("the intact executable with {NOOP_FLAG}: {}", ran.label()))?;
    println!("badelf: the intact executable with {NOOP_FLAG}: exit 0");
    Ok(())
}

/// A pipe round trip through a child that echoes what it reads.
fn pipe_round_trip() -> Outcome {
    const MESSAGE: &[u8] = b"still alive";
    let (mut to_child_reader, mut to_child) = pipe2(libc::O_CLOEXEC).context("pipe2")?;
    let (mut from_child, mut from_child_writer) = pipe2(libc::O_CLOEXEC).context("pipe2")?;
    let child = spawn(|| {
        child_check("echo child", || {
            let mut buffer = [0; MESSAGE.len()];
            to_child_reader.read_exact(&mut buffer).context("read")?;
            from_child_writer.write_all(&buffer).context("write")
        })
    })?;
    drop((to_child_reader, from_child_writer));
    to_child.write_all(MESSAGE).context("write to the child")?;
    let mut echoed = Vec::new();
    from_child.read_to_end(&mut echoed).context("read from the child")?;
    expect_exit(wait_for(child)?, 0)?;
    ensure(echoed == MESSAGE, || format!("the child echoed {:?}", ktest::text(&echoed)))?;
    println!("badelf: a pipe round trip through a child works");
    Ok(())
}

fn badelf(args: &[OsString]) -> Outcome {
    let count = option_value(args, "count", DEFAULT_COUNT)?;
    let seed = option_value(args, "seed", DEFAULT_SEED)?;
    let given = operands(args, &["count", "seed"]);
    let source = given.first().map_or(Path::new("/proc/self/exe"), |path| Path::new(path));
    let elf = Elf::parse(fs::read(source).context(format_args!("read {}", source.display()))?)?;
    println!(
        "badelf: {} ({} bytes, {} program headers, {} PT_LOAD), {count} mutations, seed {seed}",
        source.display(),
        elf.bytes.len(),
        elf.phnum,
        elf.loads.len()
    );
    let devnull = File::options().read(true).write(true).open("/dev/null").context("open /dev/null")?;
    let scratch = Scratch::create_in(NAME, &env::temp_dir())?;
    let intact = c_path(scratch.join("intact")).context("path")?;
    write_executable(&scratch.join("intact"), &elf.bytes)?;
    intact_runs(&intact, &devnull)?;

    let mut rng = XorShift::new(seed);
    let mut totals = BTreeMap::new();
    let mut per_kind = vec![BTreeMap::new(); KINDS.len()];
    let argv = [c_string(MUTANT_ARGV0.as_bytes())?];
    for number in 0..count {
        let (kind, kind_name) = KINDS[number % KINDS.len()];
        let (bytes, what) = elf.mutate(kind, number / KINDS.len(), &mut rng);
        let path = scratch.join(format!("mutant-{number}"));
        write_executable(&path, &bytes)?;
        let ran = run_image(&c_path(&path).context("path")?, &argv, &devnull)
            .map_err(|reason| format!("mutation {number} ({kind_name}: {what}): {reason}"))?;
        ensure(ran.acceptable(), || format!("mutation {number} ({kind_name}: {what}): execve gave {}", ran.label()))?;
        if ran == Ran::TimedOut {
            println!("badelf: mutation {number} ({kind_name}: {what}) still ran after 5 s: killed");
        }
        fs::remove_file(&path).context(format_args!("unlink {}", path.display()))?;
        *totals.entry(ran).or_insert(0) += 1;
        *per_kind[number % KINDS.len()].entry(ran).or_insert(0) += 1;
        if (number + 1) % PROGRESS_EVERY == 0 {
            println!("badelf: {} mutations run", number + 1);
        }
    }
    for ((_, kind_name), counts) in KINDS.iter().zip(&per_kind) {
        let runs: usize = counts.values().sum();
        if runs > 0 {
            println!("badelf: {kind_name} ({runs}): {}", summary(counts));
        }
    }
    println!("badelf: {count} mutations: {}", summary(&totals));

    intact_runs(&intact, &devnull)?;
    pipe_round_trip()?;
    scratch.remove()
}

fn main() -> ExitCode {
    let args: Vec<OsString> = env::args_os().collect();
    if args.first().is_some_and(|arg0| arg0 == MUTANT_ARGV0) || args.iter().any(|arg| arg == NOOP_FLAG) {
        return ExitCode::SUCCESS;
    }
    ktest::run(NAME, || badelf(&args))
}
