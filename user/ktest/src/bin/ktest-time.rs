//! ktest-time: clocks, the vDSO and the vsyscall page, as Linux gives them:
//! - the vDSO: AT_SYSINFO_EHDR points at the ELF image that /proc/self/maps names
//!   `[vdso]` (r-x, with its data `[vvar]` mapped too); its dynamic symbols, found as
//!   musl finds them (DT_HASH, DT_VERSYM, DT_VERDEF), include `__vdso_clock_gettime`,
//!   `__vdso_gettimeofday`, `__vdso_time`, `__vdso_clock_getres` and
//!   `__vdso_getcpu` with version LINUX_2.6; a forked child has it at the same place
//!   and can call it;
//! - each clock read three ways agrees: the system call, then the vDSO, then the C
//!   library, then the system call again never go back (REALTIME, MONOTONIC,
//!   MONOTONIC_RAW, BOOTTIME, TAI); a coarse clock is at most a little behind its
//!   precise one; gettimeofday and time(), through libc, the vDSO and the system
//!   call, agree with CLOCK_REALTIME;
//! - nanosecond resolution: successive readings are less than 1 ms apart and most
//!   are not whole milliseconds; CLOCK_MONOTONIC never goes back over 100 000
//!   readings (through libc, with system calls in between); clock_getres gives
//!   1 ns for the precise clocks and the run-time clocks through every path, a
//!   tick (1 µs to 100 ms) for the coarse ones; a 20 ms nanosleep lasts at least
//!   20 ms of CLOCK_MONOTONIC;
//! - clock_settime and settimeofday refuse bad times with EINVAL (nanoseconds out
//!   of range, a negative second, microseconds over 10^6) and clocks that cannot be
//!   set (MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, unknown ids) with EINVAL, another
//!   CPU-time clock with EPERM; on Kestrel (root) CLOCK_REALTIME is set to 10^9 s and
//!   read back through every path, a time before the boot is EINVAL, the time zone
//!   is set and read back (system call and vDSO) and a zone beyond 15 hours is
//!   EINVAL; then the clock is put back. On Linux the host's clock is left alone;
//! - CPU time: a busy loop in user mode makes getrusage (RUSAGE_SELF and
//!   RUSAGE_THREAD) and times() user time grow by about as much as the thread's
//!   CPU-time clock, a loop of system calls makes system time grow; a thread's busy
//!   loop makes the process clock grow but not the main thread's, and its clock, by
//!   its id (pthread_getcpuclockid's encoding), read before and after the thread
//!   reads its own, brackets that reading; a child's busy loop shows in
//!   RUSAGE_CHILDREN and times()'s children's time once it is reaped;
//!   clock_getcpuclockid's clock reads the process clock, and one of a pid that
//!   does not exist is EINVAL; clock_nanosleep on MONOTONIC_RAW and
//!   CLOCK_THREAD_CPUTIME_ID (the system call) is EOPNOTSUPP;
//! - the vsyscall page (if /proc/self/maps shows `[vsyscall]`): time at
//!   0xffffffffff600400, gettimeofday at +0 and getcpu at +0x800, called through
//!   function pointers, work; in a child, reading the page (execute-only mode),
//!   calling elsewhere in it, and passing time() a bad pointer each end in SIGSEGV;
//! - the cost of clock_gettime(CLOCK_MONOTONIC) through the vDSO, libc and the
//!   system call, printed in ns per call (the least of five rounds); on Kestrel the
//!   vDSO and libc must be at least twice as fast as the system call (libc uses the
//!   vDSO).
//!
//! A busy host may stop the emulator a while (its clocks go on, the time counts as
//! the running thread's): the checks that such a stall could spoil are ordered
//! readings, or tried a few times.
//!
//! Usage: `ktest-time`.
use std::ffi::{c_int, c_long, c_uint, c_void};
use std::mem::{self, MaybeUninit};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use std::{io, ptr, slice, thread};

use ktest::{
    Context, Outcome, child_check, disable_core_dumps, ensure, expect_eq, expect_exit, expect_failure, expect_signal,
    fork_and_wait, getpid, gettid, on_kestrel, pid_t,
};
use libc::{clockid_t, timespec, timeval};

const NAME: &str = "time";
const NSEC_PER_SEC: i64 = 1_000_000_000;
const MS: i64 = 1_000_000;
/// Clocks read from the hardware counter.
const PRECISE: [(clockid_t, &str); 5] = [
    (libc::CLOCK_REALTIME, "CLOCK_REALTIME"),
    (libc::CLOCK_MONOTONIC, "CLOCK_MONOTONIC"),
    (libc::CLOCK_MONOTONIC_RAW, "CLOCK_MONOTONIC_RAW"),
    (libc::CLOCK_BOOTTIME, "CLOCK_BOOTTIME"),
    (libc::CLOCK_TAI, "CLOCK_TAI"),
];
/// Coarse clocks, with their precise counterparts.
const COARSE: [(clockid_t, clockid_t, &str); 2] = [
    (libc::CLOCK_REALTIME_COARSE, libc::CLOCK_REALTIME, "CLOCK_REALTIME_COARSE"),
    (libc::CLOCK_MONOTONIC_COARSE, libc::CLOCK_MONOTONIC, "CLOCK_MONOTONIC_COARSE"),
];
/// How far a coarse clock may be behind its precise one (a tick, with room for a
/// busy host).
const COARSE_LAG: i64 = 100 * MS;
/// How often a check that a stall of the whole machine can spoil (a busy host
/// stops an emulator for a while; its clocks go on) is tried before it fails.
const ATTEMPTS: usize = 5;
/// The CPU time each busy loop burns.
const BUSY: i64 = 300 * MS;
const VSYSCALL_PAGE: usize = 0xffff_ffff_ff60_0000;

type ClockGettime = unsafe extern "C" fn(clockid_t, *mut timespec) -> c_int;
type Gettimeofday = unsafe extern "C" fn(*mut timeval, *mut c_void) -> c_int;
/// time(): `i64` is 64 bits on x86-64.
type Time = unsafe extern "C" fn(*mut i64) -> i64;
type Getcpu = unsafe extern "C" fn(*mut c_uint, *mut c_uint, *mut c_void) -> c_long;

fn nanos(ts: &timespec) -> i64 {
    ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec
}

fn zero_timespec() -> timespec {
    timespec { tv_sec: 0, tv_nsec: 0 }
}

/// clock_gettime, the raw system call.
fn sys_clock(clock: clockid_t) -> io::Result<i64> {
    let mut ts = zero_timespec();
    // SAFETY: clock_gettime writes one struct timespec into `ts`.
    ktest::check(unsafe { libc::syscall(libc::SYS_clock_gettime, c_long::from(clock), &raw mut ts) })?;
    Ok(nanos(&ts))
}

/// clock_gettime through the C library.
fn libc_clock(clock: clockid_t) -> io::Result<i64> {
    let mut ts = zero_timespec();
    // SAFETY: clock_gettime writes one struct timespec into `ts`.
    ktest::check(unsafe { libc::clock_gettime(clock, &mut ts) })?;
    Ok(nanos(&ts))
}

/// clock_getres, the raw system call, with the resolution in nanoseconds.
fn sys_clock_res(clock: clockid_t) -> io::Result<i64> {
    let mut ts = zero_timespec();
    // SAFETY: clock_getres writes one struct timespec into `ts`.
    ktest::check(unsafe { libc::syscall(libc::SYS_clock_getres, c_long::from(clock), &raw mut ts) })?;
    Ok(nanos(&ts))
}

/// clock_settime, the raw system call.
fn sys_clock_settime(clock: clockid_t, sec: i64, nsec: i64) -> io::Result<()> {
    let ts = timespec { tv_sec: sec, tv_nsec: nsec };
    // SAFETY: clock_settime reads one struct timespec from `ts`.
    ktest::check(unsafe { libc::syscall(libc::SYS_clock_settime, c_long::from(clock), &raw const ts) }).map(drop)
}

/// A `struct timezone`: minutes west of Greenwich, daylight-saving kind.
type Zone = [c_int; 2];

/// settimeofday, the raw system call (either part may be absent).
fn sys_settimeofday(tv: Option<timeval>, tz: Option<Zone>) -> io::Result<()> {
    let tv_ptr = tv.as_ref().map_or(ptr::null(), ptr::from_ref);
    let tz_ptr = tz.as_ref().map_or(ptr::null(), ptr::from_ref);
    // SAFETY: settimeofday reads a struct timeval and a struct timezone from live
    // values (or nothing for NULL).
    ktest::check(unsafe { libc::syscall(libc::SYS_settimeofday, tv_ptr, tz_ptr) }).map(drop)
}

/// gettimeofday, the raw system call: the time in nanoseconds (microsecond
/// resolution) and the time zone.
fn sys_gettimeofday() -> io::Result<(i64, (c_int, c_int))> {
    let mut tv = timeval { tv_sec: 0, tv_usec: 0 };
    let mut tz = [0 as c_int; 2];
    // SAFETY: gettimeofday writes a struct timeval and a struct timezone (two ints).
    ktest::check(unsafe { libc::syscall(libc::SYS_gettimeofday, &raw mut tv, tz.as_mut_ptr()) })?;
    Ok((tv.tv_sec * NSEC_PER_SEC + tv.tv_usec * 1000, (tz[0], tz[1])))
}

/// clock_nanosleep, the raw system call, for a short relative sleep.
fn sys_clock_nanosleep(clock: clockid_t) -> io::Result<()> {
    let ts = timespec { tv_sec: 0, tv_nsec: 1000 };
    // SAFETY: clock_nanosleep reads one struct timespec; no time left is asked for.
    ktest::check(unsafe {
        libc::syscall(
            libc::SYS_clock_nanosleep,
            c_long::from(clock),
            0 as c_long,
            &raw const ts,
            ptr::null::<timespec>(),
        )
    })
    .map(drop)
}

/// The vDSO's image: where it is mapped and its bytes.
struct Image {
    base: usize,
    bytes: &'static [u8],
}

/// The `[name]` mapping in /proc/self/maps: start, end, permissions.
fn named_mapping(name: &str) -> Result<Option<(usize, usize, String)>, String> {
    let maps = std::fs::read_to_string("/proc/self/maps").context("read /proc/self/maps")?;
    let tag = format!("[{name}]");
    let Some(line) = maps.lines().find(|line| line.split_whitespace().last() == Some(tag.as_str())) else {
        return Ok(None);
    };
    let mut fields = line.split_whitespace();
    let range = fields.next().unwrap_or_default();
    let perms = fields.next().unwrap_or_default().to_owned();
    let bad = || format!("malformed maps line {line:?}");
    let (start, end) = range.split_once('-').ok_or_else(bad)?;
    let parse = |hex: &str| usize::from_str_radix(hex, 16).map_err(|_| bad());
    Ok(Some((parse(start)?, parse(end)?, perms)))
}

impl Image {
    /// The vDSO AT_SYSINFO_EHDR gives, which /proc/self/maps must name `[vdso]`.
    fn find() -> Result<Image, String> {
        // SAFETY: getauxval only reads the auxiliary vector.
        let base = unsafe { libc::getauxval(libc::AT_SYSINFO_EHDR) } as usize;
        ensure(base != 0, || "no AT_SYSINFO_EHDR in the auxiliary vector".into())?;
        let (start, end, perms) = named_mapping("vdso")?.ok_or("/proc/self/maps has no [vdso]")?;
        ensure(start == base, || format!("[vdso] is at {start:#x}, AT_SYSINFO_EHDR says {base:#x}"))?;
        ensure(perms == "r-xp", || format!("[vdso] has permissions {perms}, not r-xp"))?;
        let (_, _, vvar_perms) = named_mapping("vvar")?.ok_or("/proc/self/maps has no [vvar]")?;
        ensure(vvar_perms == "r--p", || format!("[vvar] has permissions {vvar_perms}, not r--p"))?;
        // SAFETY: the kernel maps the vDSO readable at start..end for the life of the
        // process (as /proc/self/maps just said), and nothing writes it.
        let bytes = unsafe { slice::from_raw_parts(start as *const u8, end - start) };
        Ok(Image { base, bytes })
    }

    fn bytes<const N: usize>(&self, offset: usize) -> Result<[u8; N], String> {
        offset
            .checked_add(N)
            .and_then(|end| self.bytes.get(offset..end))
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| format!("vDSO offset {offset:#x} is outside its image"))
    }

    fn u16(&self, offset: usize) -> Result<u16, String> {
        self.bytes(offset).map(u16::from_le_bytes)
    }

    fn u32(&self, offset: usize) -> Result<u32, String> {
        self.bytes(offset).map(u32::from_le_bytes)
    }

    fn u64(&self, offset: usize) -> Result<usize, String> {
        self.bytes(offset).map(|b| u64::from_le_bytes(b) as usize)
    }

    fn string(&self, offset: usize) -> Result<&[u8], String> {
        let rest = self.bytes.get(offset..).ok_or("a vDSO string is outside its image")?;
        Ok(&rest[..rest.iter().position(|&b| b == 0).ok_or("an unterminated vDSO string")?])
    }

    /// The address of the function symbol `name` of version `version`, looked up as
    /// musl's __vdsosym looks it up.
    fn symbol(&self, name: &str, version: &str) -> Result<usize, String> {
        const PT_LOAD: u32 = 1;
        const PT_DYNAMIC: u32 = 2;
        const DT_HASH: usize = 4;
        const DT_STRTAB: usize = 5;
        const DT_SYMTAB: usize = 6;
        const DT_VERSYM: usize = 0x6fff_fff0;
        const DT_VERDEF: usize = 0x6fff_fffc;
        ensure(self.bytes.starts_with(b"\x7fELF\x02\x01"), || "the vDSO is not a 64-bit ELF image".into())?;
        let (phoff, phentsize, phnum) = (self.u64(0x20)?, usize::from(self.u16(0x36)?), usize::from(self.u16(0x38)?));
        // Offsets in the image of addresses in the vDSO's own terms.
        let (mut bias, mut dynamic) = (None, None);
        for i in 0..phnum {
            let ph = phoff + i * phentsize;
            match self.u32(ph)? {
                PT_LOAD => bias = Some(self.u64(ph + 8)?.wrapping_sub(self.u64(ph + 16)?)),
                PT_DYNAMIC => dynamic = Some(self.u64(ph + 8)?),
                _ => {}
            }
        }
        let (bias, dynamic) = (bias.ok_or("no PT_LOAD")?, dynamic.ok_or("no PT_DYNAMIC")?);
        let (mut hash, mut strtab, mut symtab, mut versym, mut verdef) = (None, None, None, None, None);
        for entry in (dynamic..).step_by(16) {
            let (tag, value) = (self.u64(entry)?, self.u64(entry + 8)?.wrapping_add(bias));
            match tag {
                0 => break,
                DT_HASH => hash = Some(value),
                DT_STRTAB => strtab = Some(value),
                DT_SYMTAB => symtab = Some(value),
                DT_VERSYM => versym = Some(value),
                DT_VERDEF => verdef = Some(value),
                _ => {}
            }
        }
        let hash = hash.ok_or("no DT_HASH (musl needs it)")?;
        let (strtab, symtab) = (strtab.ok_or("no DT_STRTAB")?, symtab.ok_or("no DT_SYMTAB")?);
        let (versym, verdef) = (versym.ok_or("no DT_VERSYM")?, verdef.ok_or("no DT_VERDEF")?);
        for i in 0..self.u32(hash + 4)? as usize {
            let sym = symtab + i * 24;
            let (info, shndx) = (self.bytes::<1>(sym + 4)?[0], self.u16(sym + 6)?);
            let function = info & 0xf == 2 && matches!(info >> 4, 1 | 2); // STT_FUNC, global or weak
            if !function || shndx == 0 || self.string(strtab + self.u32(sym)? as usize)? != name.as_bytes() {
                continue;
            }
            if self.version_name(verdef, strtab, self.u16(versym + 2 * i)? & 0x7fff)? == version.as_bytes() {
                return Ok(self.base + self.u64(sym + 8)?.wrapping_add(bias));
            }
        }
        Err(format!("the vDSO has no {name}@{version}"))
    }

    /// The name of version index `index` in the version definitions at `verdef`.
    fn version_name(&self, verdef: usize, strtab: usize, index: u16) -> Result<&[u8], String> {
        let mut def = verdef;
        loop {
            if self.u16(def + 4)? == index {
                let aux = def + self.u32(def + 12)? as usize;
                return self.string(strtab + self.u32(aux)? as usize);
            }
            match self.u32(def + 16)? {
                0 => return Err(format!("no version definition {index}")),
                next => def += next as usize,
            }
        }
    }
}

/// The vDSO's functions.
struct Vdso {
    base: usize,
    clock_gettime: ClockGettime,
    clock_getres: ClockGettime,
    gettimeofday: Gettimeofday,
    time: Time,
    getcpu: Getcpu,
}

impl Vdso {
    fn find() -> Result<Vdso, String> {
        let image = Image::find()?;
        let symbol = |name| image.symbol(name, "LINUX_2.6");
        let (clock_gettime, clock_getres) = (symbol("__vdso_clock_gettime")?, symbol("__vdso_clock_getres")?);
        let (gettimeofday, time, getcpu) =
            (symbol("__vdso_gettimeofday")?, symbol("__vdso_time")?, symbol("__vdso_getcpu")?);
        println!("vdso: at {:#x}, symbols of version LINUX_2.6 found", image.base);
        // SAFETY: each address is that of the vDSO function of this name, whose C
        // prototype is the type it becomes (Linux's vDSO ABI).
        unsafe {
            Ok(Vdso {
                base: image.base,
                clock_gettime: mem::transmute::<usize, ClockGettime>(clock_gettime),
                clock_getres: mem::transmute::<usize, ClockGettime>(clock_getres),
                gettimeofday: mem::transmute::<usize, Gettimeofday>(gettimeofday),
                time: mem::transmute::<usize, Time>(time),
                getcpu: mem::transmute::<usize, Getcpu>(getcpu),
            })
        }
    }

    fn clock(&self, clock: clockid_t) -> io::Result<i64> {
        let mut ts = zero_timespec();
        // SAFETY: the vDSO's clock_gettime writes one struct timespec into `ts`; it
        // returns 0 or a negative errno.
        let result = unsafe { (self.clock_gettime)(clock, &mut ts) };
        if result < 0 { Err(io::Error::from_raw_os_error(-result)) } else { Ok(nanos(&ts)) }
    }

    fn res(&self, clock: clockid_t) -> io::Result<i64> {
        let mut ts = zero_timespec();
        // SAFETY: as for clock_gettime.
        let result = unsafe { (self.clock_getres)(clock, &mut ts) };
        if result < 0 { Err(io::Error::from_raw_os_error(-result)) } else { Ok(nanos(&ts)) }
    }

    /// gettimeofday: the time in nanoseconds and the time zone.
    fn gettimeofday(&self) -> Result<(i64, (c_int, c_int)), String> {
        let mut tv = timeval { tv_sec: 0, tv_usec: 0 };
        let mut tz = [0 as c_int; 2];
        // SAFETY: the vDSO's gettimeofday writes a struct timeval and a struct
        // timezone (two ints).
        let result = unsafe { (self.gettimeofday)(&mut tv, tz.as_mut_ptr().cast()) };
        ensure(result == 0, || format!("vDSO gettimeofday returned {result}"))?;
        Ok((tv.tv_sec * NSEC_PER_SEC + tv.tv_usec * 1000, (tz[0], tz[1])))
    }
}

/// Checks that readings `a <= b <= c <= d` taken in that order never go back.
fn in_order(what: &str, readings: [(&str, i64); 4]) -> Outcome {
    for pair in readings.windows(2) {
        let ((first, a), (second, b)) = (pair[0], pair[1]);
        ensure(a <= b, || format!("{what}: {second} ({b}) is before the {first} read before it ({a})"))?;
    }
    Ok(())
}

fn vdso_found_and_shared_with_a_child(vdso: &Vdso) -> Outcome {
    let base = vdso.base;
    let status = fork_and_wait(|| {
        child_check("child", || {
            // SAFETY: getauxval only reads the auxiliary vector.
            let child_base = unsafe { libc::getauxval(libc::AT_SYSINFO_EHDR) } as usize;
            ensure(child_base == base, || format!("the child's vDSO is at {child_base:#x}, not {base:#x}"))?;
            let child = Vdso::find()?;
            let (before, now) = (sys_clock(libc::CLOCK_MONOTONIC), child.clock(libc::CLOCK_MONOTONIC));
            ensure(matches!((before, now), (Ok(b), Ok(n)) if b <= n), || "the child's vDSO clock is wrong".into())
        })
    })?;
    expect_exit(status, 0)?;
    println!("vdso: a forked child has it at the same address and reads the clock through it");
    Ok(())
}

fn clocks_agree(vdso: &Vdso) -> Outcome {
    for (clock, name) in PRECISE {
        let first = sys_clock(clock).context(format_args!("clock_gettime({name})"))?;
        let through_vdso = vdso.clock(clock).context(format_args!("vDSO clock_gettime({name})"))?;
        let through_libc = libc_clock(clock).context(format_args!("libc clock_gettime({name})"))?;
        let last = sys_clock(clock).context(format_args!("clock_gettime({name})"))?;
        in_order(
            name,
            [("system call", first), ("vDSO", through_vdso), ("libc", through_libc), ("system call", last)],
        )?;
    }
    println!("clocks: system call, vDSO and libc readings of the precise clocks are in order");
    for (coarse, precise, name) in COARSE {
        for path in ["system call", "vDSO"] {
            let mut lag = Ok(0);
            for _ in 0..ATTEMPTS {
                let reading = if path == "vDSO" { vdso.clock(coarse) } else { sys_clock(coarse) };
                let reading = reading.context(format_args!("{path} clock_gettime({name})"))?;
                let now = sys_clock(precise).context("clock_gettime")?;
                lag = if reading <= now { Ok(now - reading) } else { Err(format!("{reading} is after {now}")) };
                if lag.as_ref().is_ok_and(|&lag| lag < COARSE_LAG) {
                    break;
                }
            }
            let lag = lag.map_err(|why| format!("{path} {name}: {why}"))?;
            ensure(lag < COARSE_LAG, || format!("{path} {name} is {lag} ns behind its precise clock"))?;
        }
    }
    println!("clocks: the coarse clocks are at most {} ms behind the precise ones", COARSE_LAG / MS);
    let before = sys_clock(libc::CLOCK_REALTIME).context("clock_gettime")?;
    let (through_vdso, _) = vdso.gettimeofday()?;
    let (through_sys, _) = sys_gettimeofday().context("gettimeofday")?;
    let mut tv = timeval { tv_sec: 0, tv_usec: 0 };
    // SAFETY: gettimeofday writes one struct timeval; no time zone is asked for.
    ktest::check(unsafe { libc::gettimeofday(&mut tv, ptr::null_mut()) }).context("libc gettimeofday")?;
    let through_libc = tv.tv_sec * NSEC_PER_SEC + tv.tv_usec * 1000;
    let after = sys_clock(libc::CLOCK_REALTIME).context("clock_gettime")?;
    // Microseconds: each reading may be up to 1 µs below the clock it truncates.
    let floor = before - before % 1000;
    let readings = [("clock", floor), ("vDSO", through_vdso), ("system call", through_sys), ("libc", through_libc)];
    in_order("gettimeofday", readings)?;
    ensure(through_libc <= after, || format!("libc gettimeofday read {through_libc}, the clock after it {after}"))?;
    let mut stored: i64 = 0;
    // SAFETY: the vDSO's time stores one i64 into `stored`.
    let from_vdso = unsafe { (vdso.time)(&mut stored) };
    // SAFETY: time stores nothing when given NULL.
    let from_libc = unsafe { libc::time(ptr::null_mut()) };
    // SAFETY: the time system call stores nothing when given NULL.
    let from_sys = unsafe { libc::syscall(libc::SYS_time, ptr::null_mut::<i64>()) };
    let now = sys_clock(libc::CLOCK_REALTIME).context("clock_gettime")? / NSEC_PER_SEC;
    for (path, seconds) in [("vDSO", from_vdso), ("libc", from_libc), ("system call", from_sys)] {
        ensure(seconds <= now && now - seconds <= 1, || format!("{path} time() is {seconds}, the clock {now} s"))?;
    }
    expect_eq("vDSO time() stores what it returns", stored, from_vdso)?;
    let mut cpu: c_uint = 99;
    // SAFETY: the vDSO's getcpu stores the CPU number into `cpu`; node and cache are NULL.
    let result = unsafe { (vdso.getcpu)(&mut cpu, ptr::null_mut(), ptr::null_mut()) };
    // SAFETY: sysconf only reads a system setting.
    let cpus = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_CONF) };
    ensure(result == 0 && c_long::from(cpu) < cpus, || format!("vDSO getcpu: {result}, CPU {cpu} of {cpus}"))?;
    println!("clocks: gettimeofday, time() and getcpu agree through every path");
    Ok(())
}

fn nanosecond_resolution(vdso: &Vdso) -> Outcome {
    const PAIRS: usize = 1000;
    let (mut closest, mut whole_ms, mut whole_us) = (i64::MAX, 0, 0);
    for _ in 0..PAIRS {
        let a = vdso.clock(libc::CLOCK_MONOTONIC).context("vDSO clock_gettime")?;
        let b = vdso.clock(libc::CLOCK_MONOTONIC).context("vDSO clock_gettime")?;
        closest = closest.min(b - a);
        whole_ms += usize::from(b % MS == 0);
        whole_us += usize::from(b % 1000 == 0);
    }
    ensure(closest < MS, || format!("successive readings are at least {closest} ns apart"))?;
    ensure(whole_ms < PAIRS / 10, || format!("{whole_ms} of {PAIRS} readings are whole milliseconds"))?;
    ensure(whole_us < PAIRS, || "every reading is a whole microsecond".into())?;
    println!("resolution: successive readings as close as {closest} ns, {whole_ms} of {PAIRS} whole milliseconds");
    let mut last = libc_clock(libc::CLOCK_MONOTONIC).context("clock_gettime")?;
    for i in 0..100_000 {
        let now = if i % 1000 == 0 { sys_clock(libc::CLOCK_MONOTONIC) } else { libc_clock(libc::CLOCK_MONOTONIC) };
        let now = now.context("clock_gettime")?;
        ensure(now >= last, || format!("CLOCK_MONOTONIC went back from {last} to {now} at reading {i}"))?;
        last = now;
    }
    println!("monotonic: 100000 readings never go back");
    for (clock, name) in PRECISE.into_iter().chain([
        (libc::CLOCK_PROCESS_CPUTIME_ID, "CLOCK_PROCESS_CPUTIME_ID"),
        (libc::CLOCK_THREAD_CPUTIME_ID, "CLOCK_THREAD_CPUTIME_ID"),
    ]) {
        expect_eq(&format!("clock_getres({name})"), sys_clock_res(clock).context("clock_getres")?, 1)?;
        expect_eq(&format!("vDSO clock_getres({name})"), vdso.res(clock).context("vDSO clock_getres")?, 1)?;
    }
    for (clock, _, name) in COARSE {
        let res = sys_clock_res(clock).context("clock_getres")?;
        ensure((1000..=100 * MS).contains(&res), || format!("clock_getres({name}) is {res} ns"))?;
        expect_eq(
            &format!("vDSO clock_getres({name}) = system call's"),
            vdso.res(clock).context("clock_getres")?,
            res,
        )?;
    }
    expect_failure("clock_getres(100)", sys_clock_res(100), libc::EINVAL)?;
    let start = sys_clock(libc::CLOCK_MONOTONIC).context("clock_gettime")?;
    thread::sleep(Duration::from_millis(20));
    let slept = sys_clock(libc::CLOCK_MONOTONIC).context("clock_gettime")? - start;
    ensure(slept >= 20 * MS, || format!("a 20 ms sleep lasted {slept} ns of CLOCK_MONOTONIC"))?;
    println!("sleep: 20 ms lasted {} µs", slept / 1000);
    Ok(())
}

fn setting_the_clock(vdso: &Vdso) -> Outcome {
    let now = sys_clock(libc::CLOCK_REALTIME).context("clock_gettime")?;
    let (sec, nsec) = (now / NSEC_PER_SEC, now % NSEC_PER_SEC);
    let realtime = libc::CLOCK_REALTIME;
    expect_failure("clock_settime(10^9 ns)", sys_clock_settime(realtime, sec, NSEC_PER_SEC), libc::EINVAL)?;
    expect_failure("clock_settime(-1 ns)", sys_clock_settime(realtime, sec, -1), libc::EINVAL)?;
    expect_failure("clock_settime(second -1)", sys_clock_settime(realtime, -1, 0), libc::EINVAL)?;
    expect_failure("clock_settime(MONOTONIC)", sys_clock_settime(libc::CLOCK_MONOTONIC, sec, nsec), libc::EINVAL)?;
    let process_clock = libc::CLOCK_PROCESS_CPUTIME_ID;
    expect_failure("clock_settime(PROCESS_CPUTIME_ID)", sys_clock_settime(process_clock, 1, 0), libc::EINVAL)?;
    expect_failure("clock_settime(100)", sys_clock_settime(100, sec, nsec), libc::EINVAL)?;
    let mut own: clockid_t = 0;
    // SAFETY: clock_getcpuclockid stores a clock id into `own`.
    expect_eq("clock_getcpuclockid(0)", unsafe { libc::clock_getcpuclockid(0, &mut own) }, 0)?;
    expect_failure("clock_settime(clock_getcpuclockid(0))", sys_clock_settime(own, 1, 0), libc::EPERM)?;
    let bad_tv = timeval { tv_sec: sec, tv_usec: 1_000_001 };
    expect_failure("settimeofday(10^6 + 1 µs)", sys_settimeofday(Some(bad_tv), None), libc::EINVAL)?;
    let negative_tv = timeval { tv_sec: sec, tv_usec: -1 };
    expect_failure("settimeofday(-1 µs)", sys_settimeofday(Some(negative_tv), None), libc::EINVAL)?;
    if !on_kestrel() {
        println!("settime: skipped setting the clock: it is the host's (Linux)");
        return Ok(());
    }
    let set_at = sys_clock(libc::CLOCK_MONOTONIC).context("clock_gettime")?;
    let result = set_and_read_back(vdso);
    let elapsed = sys_clock(libc::CLOCK_MONOTONIC).context("clock_gettime")? - set_at;
    let restored = now + elapsed;
    sys_clock_settime(realtime, restored / NSEC_PER_SEC, restored % NSEC_PER_SEC).context("putting the clock back")?;
    sys_settimeofday(None, Some([0, 0])).context("time zone back")?;
    result
}

/// On Kestrel: set CLOCK_REALTIME and the time zone and read them back.
fn set_and_read_back(vdso: &Vdso) -> Outcome {
    const SET: i64 = 1_000_000_000;
    sys_clock_settime(libc::CLOCK_REALTIME, SET, 500 * MS).context("clock_settime(10^9 s)")?;
    for (path, reading) in [
        ("system call", sys_clock(libc::CLOCK_REALTIME)),
        ("vDSO", vdso.clock(libc::CLOCK_REALTIME)),
        ("libc", libc_clock(libc::CLOCK_REALTIME)),
        ("vDSO gettimeofday", vdso.gettimeofday().map(|(ns, _)| ns).map_err(io::Error::other)),
    ] {
        let ns = reading.context(path)?;
        ensure((SET * NSEC_PER_SEC + 500 * MS..(SET + 2) * NSEC_PER_SEC).contains(&ns), || {
            format!("{path}: the clock set to 10^9.5 s reads {ns} ns")
        })?;
    }
    let sys_time = sys_clock(libc::CLOCK_TAI).context("clock_gettime(CLOCK_TAI)")?;
    ensure(sys_time / NSEC_PER_SEC == SET, || format!("CLOCK_TAI reads {sys_time} ns"))?;
    println!("settime: CLOCK_REALTIME set to 10^9.5 s reads so through every path");
    expect_failure("clock_settime(before the boot)", sys_clock_settime(libc::CLOCK_REALTIME, 0, 0), libc::EINVAL)?;
    let zone = [-60, 0];
    sys_settimeofday(None, Some(zone)).context("settimeofday(zone -60)")?;
    expect_eq("gettimeofday's zone", sys_gettimeofday().context("gettimeofday")?.1, (-60, 0))?;
    expect_eq("vDSO gettimeofday's zone", vdso.gettimeofday()?.1, (-60, 0))?;
    let far = [16 * 60, 0];
    expect_failure("settimeofday(zone 16 hours)", sys_settimeofday(None, Some(far)), libc::EINVAL)
}

/// getrusage's user and system time, in nanoseconds.
fn rusage(who: c_int) -> Result<(i64, i64), String> {
    let mut usage = MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes one struct rusage into `usage`.
    ktest::check(unsafe { libc::getrusage(who, usage.as_mut_ptr()) }).context("getrusage")?;
    // SAFETY: zeroed, then filled by getrusage: plain integers.
    let usage = unsafe { usage.assume_init() };
    let ns = |tv: timeval| tv.tv_sec * NSEC_PER_SEC + tv.tv_usec * 1000;
    Ok((ns(usage.ru_utime), ns(usage.ru_stime)))
}

/// times(): the return value and the four times, in clock ticks.
fn times() -> Result<(i64, [i64; 4]), String> {
    let mut tms = MaybeUninit::<libc::tms>::zeroed();
    // SAFETY: times writes one struct tms into `tms`.
    let ticks = unsafe { libc::times(tms.as_mut_ptr()) };
    ensure(ticks != -1, || "times failed".into())?;
    // SAFETY: zeroed, then filled by times: plain integers.
    let tms = unsafe { tms.assume_init() };
    Ok((ticks, [tms.tms_utime, tms.tms_stime, tms.tms_cutime, tms.tms_cstime]))
}

fn thread_clock() -> Result<i64, String> {
    libc_clock(libc::CLOCK_THREAD_CPUTIME_ID).context("clock_gettime(CLOCK_THREAD_CPUTIME_ID)")
}

/// Run `work` until the calling thread has used `cpu` ns of CPU time.
fn burn(cpu: i64, mut work: impl FnMut()) -> Outcome {
    let start = thread_clock()?;
    while thread_clock()? - start < cpu {
        for _ in 0..1000 {
            work();
        }
    }
    Ok(())
}

/// A little arithmetic the compiler cannot fold away.
fn spin() {
    let rounds = std::hint::black_box(100u64);
    std::hint::black_box((0..rounds).fold(std::hint::black_box(1u64), |a, b| a.wrapping_mul(31).wrapping_add(b)));
}

fn cpu_time() -> Outcome {
    let ticks_per_second = 100; // USER_HZ
    let clock_tick = NSEC_PER_SEC / ticks_per_second;
    let (self_before, thread_before, times_before) =
        (rusage(libc::RUSAGE_SELF)?, rusage(libc::RUSAGE_THREAD)?, times()?);
    burn(BUSY, spin)?;
    let (self_after, thread_after, times_after) = (rusage(libc::RUSAGE_SELF)?, rusage(libc::RUSAGE_THREAD)?, times()?);
    for (who, before, after) in
        [("RUSAGE_SELF", self_before, self_after), ("RUSAGE_THREAD", thread_before, thread_after)]
    {
        let user = after.0 - before.0;
        ensure(user >= BUSY / 2, || {
            format!("{who}: {} ms of busy loop added {} ms of user time", BUSY / MS, user / MS)
        })?;
    }
    let utime = (times_after.1[0] - times_before.1[0]) * clock_tick;
    ensure(utime >= BUSY / 2, || format!("times(): the busy loop added {} ms of user time", utime / MS))?;
    ensure(times_after.0 > times_before.0, || "times() did not count up".into())?;
    println!("cpu: {} ms of busy loop added {} ms of user time", BUSY / MS, (self_after.0 - self_before.0) / MS);
    let before = rusage(libc::RUSAGE_SELF)?;
    burn(BUSY, || {
        // SAFETY: getppid has no preconditions.
        unsafe { libc::syscall(libc::SYS_getppid) };
    })?;
    let system = rusage(libc::RUSAGE_SELF)?.1 - before.1;
    ensure(system > 0, || "a loop of system calls added no system time".into())?;
    println!("cpu: {} ms of system calls added {} ms of system time", BUSY / MS, system / MS);

    let process_clock = || libc_clock(libc::CLOCK_PROCESS_CPUTIME_ID).context("clock_gettime(PROCESS_CPUTIME_ID)");
    let (main_before, process_before) = (thread_clock()?, process_clock()?);
    ensure(process_before >= main_before, || "the process clock is behind the main thread's".into())?;
    let started = AtomicBool::new(false);
    let (own, by_id) = thread::scope(|scope| {
        let worker = scope.spawn(|| -> Result<(i64, [i64; 2]), String> {
            started.store(true, Ordering::SeqCst);
            burn(200 * MS, spin)?;
            // pthread_getcpuclockid's encoding: (-tid - 1) * 8 + 6.
            let id = (-gettid() - 1) * 8 + 6;
            let by_id = || sys_clock(id).context("clock_gettime(the thread's clock id)");
            let before = by_id()?;
            let own = thread_clock()?;
            Ok((own, [before, by_id()?]))
        });
        worker.join().map_err(|_| "the busy thread panicked".to_string())?
    })?;
    ensure(started.load(Ordering::SeqCst), || "the thread did not run".into())?;
    ensure(by_id[0] <= own && own <= by_id[1], || format!("the thread's clock by id reads {by_id:?}, itself {own}"))?;
    let (process_grew, main_grew) = (process_clock()? - process_before, thread_clock()? - main_before);
    ensure(process_grew >= 200 * MS, || format!("a thread's 200 ms added {} ms to the process", process_grew / MS))?;
    // The thread's time is in the process's, not in the main thread's (which a
    // stall of the machine while it runs may still lengthen).
    ensure(process_grew - main_grew >= 200 * MS, || {
        format!("the process clock grew {} ms, the waiting main thread's {} ms", process_grew / MS, main_grew / MS)
    })?;
    println!("cpu: a thread's 200 ms show in the process clock, not in the main thread's");

    let own = {
        let mut id: clockid_t = 0;
        // SAFETY: clock_getcpuclockid stores a clock id into `id`.
        ensure(unsafe { libc::clock_getcpuclockid(getpid(), &mut id) } == 0, || "clock_getcpuclockid".into())?;
        id
    };
    let (by_id, process) = (sys_clock(own).context("clock_gettime(own process clock)")?, process_clock()?);
    ensure(by_id <= process, || format!("the process clock by id reads {by_id}, after it {process}"))?;
    let missing: pid_t = 999_999;
    expect_failure("clock_gettime(clock of a missing pid)", sys_clock((-missing - 1) * 8 + 2), libc::EINVAL)?;
    expect_failure("clock_nanosleep(MONOTONIC_RAW)", sys_clock_nanosleep(libc::CLOCK_MONOTONIC_RAW), libc::EOPNOTSUPP)?;
    let thread_clock_id = libc::CLOCK_THREAD_CPUTIME_ID;
    expect_failure("clock_nanosleep(THREAD_CPUTIME_ID)", sys_clock_nanosleep(thread_clock_id), libc::EOPNOTSUPP)?;

    let (children_before, times_before) = (rusage(libc::RUSAGE_CHILDREN)?, times()?);
    expect_exit(fork_and_wait(|| child_check("busy child", || burn(BUSY, spin)))?, 0)?;
    let (children_after, times_after) = (rusage(libc::RUSAGE_CHILDREN)?, times()?);
    let (child_user, child_system) = (children_after.0 - children_before.0, children_after.1 - children_before.1);
    ensure(child_user >= BUSY / 2, || {
        format!(
            "a child's {} ms busy loop added {} ms of user time ({} ms of system time)",
            BUSY / MS,
            child_user / MS,
            child_system / MS
        )
    })?;
    let cutime = (times_after.1[2] - times_before.1[2]) * clock_tick;
    ensure(cutime >= BUSY / 2, || format!("times(): a child's busy loop added {} ms of cutime", cutime / MS))?;
    println!("cpu: a reaped child's {} ms show as {} ms of children's user time", BUSY / MS, child_user / MS);
    Ok(())
}

fn vsyscall_page() -> Outcome {
    let Some((start, _, perms)) = named_mapping("vsyscall")? else {
        println!("vsyscall: skipped: /proc/self/maps shows no [vsyscall] (vsyscall=none)");
        return Ok(());
    };
    ensure(start == VSYSCALL_PAGE, || format!("[vsyscall] is at {start:#x}"))?;
    // SAFETY: the vsyscall entry points are functions with these C prototypes at
    // these fixed addresses (Linux's legacy ABI), present as maps says.
    let (gettimeofday, time, getcpu) = unsafe {
        (
            mem::transmute::<usize, Gettimeofday>(VSYSCALL_PAGE),
            mem::transmute::<usize, Time>(VSYSCALL_PAGE + 0x400),
            mem::transmute::<usize, Getcpu>(VSYSCALL_PAGE + 0x800),
        )
    };
    let mut stored: i64 = 0;
    // SAFETY: time stores one i64 into `stored`.
    let seconds = unsafe { time(&mut stored) };
    let now = sys_clock(libc::CLOCK_REALTIME).context("clock_gettime")? / NSEC_PER_SEC;
    ensure(seconds == stored && now - seconds <= 1 && seconds <= now, || {
        format!("vsyscall time() returned {seconds} and stored {stored}; the clock is at {now} s")
    })?;
    let mut tv = timeval { tv_sec: 0, tv_usec: 0 };
    // SAFETY: gettimeofday writes one struct timeval; no time zone is asked for.
    let result = unsafe { gettimeofday(&mut tv, ptr::null_mut()) };
    let now = sys_clock(libc::CLOCK_REALTIME).context("clock_gettime")?;
    let reading = tv.tv_sec * NSEC_PER_SEC + tv.tv_usec * 1000;
    ensure(result == 0 && reading <= now && now - reading < NSEC_PER_SEC, || {
        format!("vsyscall gettimeofday returned {result}, read {reading} ns; the clock is at {now}")
    })?;
    let mut cpu: c_uint = 99;
    // SAFETY: getcpu stores the CPU number into `cpu`; node and cache are NULL.
    let result = unsafe { getcpu(&mut cpu, ptr::null_mut(), ptr::null_mut()) };
    ensure(result == 0 && cpu < 64, || format!("vsyscall getcpu returned {result}, CPU {cpu}"))?;
    println!("vsyscall: time, gettimeofday and getcpu through the fixed addresses work");
    disable_core_dumps()?;
    if perms == "--xp" {
        // SAFETY: the child only reads the vsyscall page, which must kill it.
        let status = fork_and_wait(|| c_int::from(unsafe { ptr::read_volatile(VSYSCALL_PAGE as *const u8) }))?;
        expect_signal(status, libc::SIGSEGV)?;
        println!("vsyscall: reading the execute-only page: SIGSEGV");
    }
    // SAFETY: the child calls into the page where no entry point is, which must kill it.
    let misaligned = unsafe { mem::transmute::<usize, Time>(VSYSCALL_PAGE + 0x100) };
    // SAFETY: as above; the call must not return.
    expect_signal(fork_and_wait(|| unsafe { misaligned(ptr::null_mut()) } as c_int)?, libc::SIGSEGV)?;
    // SAFETY: time() is given an address nothing is mapped at, which must kill the child.
    expect_signal(fork_and_wait(|| unsafe { time(16 as *mut i64) } as c_int)?, libc::SIGSEGV)?;
    println!("vsyscall: a call between entry points, and time() with a bad pointer: SIGSEGV");
    Ok(())
}

/// Nanoseconds per call of `read`: the least over `ATTEMPTS` rounds of `calls`
/// calls (a stall of the machine only lengthens a round).
fn cost(calls: u32, mut read: impl FnMut() -> io::Result<i64>) -> Result<i64, String> {
    let mut least = i64::MAX;
    for _ in 0..ATTEMPTS {
        let start = sys_clock(libc::CLOCK_MONOTONIC).context("clock_gettime")?;
        for _ in 0..calls {
            read().context("clock_gettime")?;
        }
        least = least.min((sys_clock(libc::CLOCK_MONOTONIC).context("clock_gettime")? - start) / i64::from(calls));
    }
    Ok(least)
}

fn costs(vdso: &Vdso) -> Outcome {
    let monotonic = libc::CLOCK_MONOTONIC;
    let through_vdso = cost(20_000, || vdso.clock(monotonic))?;
    let through_libc = cost(20_000, || libc_clock(monotonic))?;
    let through_sys = cost(4_000, || sys_clock(monotonic))?;
    println!(
        "cost: clock_gettime(CLOCK_MONOTONIC) {through_vdso} ns/call through the vDSO, {through_libc} ns through libc, \
         {through_sys} ns through the system call"
    );
    if on_kestrel() {
        ensure(through_vdso * 2 < through_sys && through_libc * 2 < through_sys, || {
            "the vDSO (or libc) is not twice as fast as the system call: does it enter the kernel?".into()
        })?;
    }
    Ok(())
}

fn time_test() -> Outcome {
    let vdso = Vdso::find()?;
    vdso_found_and_shared_with_a_child(&vdso)?;
    clocks_agree(&vdso)?;
    nanosecond_resolution(&vdso)?;
    setting_the_clock(&vdso)?;
    cpu_time()?;
    vsyscall_page()?;
    costs(&vdso)
}

fn main() -> ExitCode {
    ktest::run(NAME, time_test)
}
