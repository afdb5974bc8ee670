//! ktest-proc: procfs as on Linux: /proc/self links to the caller's pid (in a forked
//! child too), /proc/PID/stat (pid, command name in parentheses, state, ppid),
//! /proc/PID/cmdline (NUL-terminated argv), /proc/PID/status (Name, State, Pid, PPid),
//! a blocked child's directory listed in /proc (state S, then Z once it exits) and
//! gone after it is reaped, /proc/meminfo (MemTotal and MemFree in kB, agreeing with
//! sysinfo), /proc/uptime (two numbers, agreeing with sysinfo), /proc/mounts (/ and
//! /proc), /proc/cpuinfo, and /proc/self/exe (also for a program run through a
//! symbolic link, where it names the file the link leads to), /proc/self/maps
//! (the main thread's stack as `[stack]`), /proc/self/fd (a link per descriptor:
//! a file's path, " (deleted)" once unlinked, `pipe:[INO]` with the pipe's
//! inode, /dev/null), /proc/PID/environ (a child's environment as execve gave
//! it), /proc/self/mountinfo and /proc/filesystems (proc), /proc/sys/kernel
//! (ostype, osrelease and hostname agreeing with uname), /proc/PID/stat's process
//! group and session, and statfs/fstatfs's f_type for /proc, /dev and a pipe.
//!
//! Must run as a program called ktest-proc (the command name is checked).
use std::cell::Cell;
use std::env;
use std::fs;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::parent_id;
use std::process::{self, ExitCode};
use std::thread;
use std::time::{Duration, Instant};

use ktest::{
    Context, Outcome, child_check, ensure, expect_eq, expect_exit, expect_failure, fork_and_wait, pid_t, pipe, pipe2,
    spawn, sysinfo, text, wait_for,
};

const NAME: &str = "proc";
/// The command name: the executable's file name (at most 15 bytes on Linux).
const COMMAND: &str = "ktest-proc";
/// How long to wait for a child to reach a state.
const STATE_TIMEOUT: Duration = Duration::from_secs(10);
/// How far /proc/uptime may be from sysinfo's uptime, in seconds.
const UPTIME_SLACK: f64 = 2.0;

fn read_proc(path: &str) -> Result<String, String> {
    fs::read_to_string(path).context(format_args!("read {path}"))
}

/// The first fields of /proc/PID/stat: pid, comm (the text between the first `(` and
/// the last `)`), state and ppid.
#[derive(Debug, PartialEq)]
struct Stat {
    pid: pid_t,
    command: String,
    state: char,
    parent: pid_t,
}

fn parse_stat(line: &str) -> Result<Stat, String> {
    let bad = || format!("malformed stat line {line:?}");
    let (pid, rest) = line.split_once(" (").ok_or_else(bad)?;
    let close = rest.rfind(')').ok_or_else(bad)?;
    let mut fields = rest[close + 1..].split_ascii_whitespace();
    let state = fields.next().filter(|state| state.len() == 1).ok_or_else(bad)?;
    let parent = fields.next().ok_or_else(bad)?;
    Ok(Stat {
        pid: pid.parse().map_err(|_| bad())?,
        command: rest[..close].to_owned(),
        state: state.chars().next().ok_or_else(bad)?,
        parent: parent.parse().map_err(|_| bad())?,
    })
}

fn stat_of(pid: pid_t) -> Result<Stat, String> {
    parse_stat(&read_proc(&format!("/proc/{pid}/stat"))?)
}

/// The value of the `key:` line of a /proc file such as status or meminfo.
fn field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().find_map(|line| line.split_once(':').filter(|(name, _)| *name == key).map(|(_, value)| value.trim()))
}

/// The numeric directories in /proc.
fn listed_pids() -> Result<Vec<pid_t>, String> {
    let mut pids = Vec::new();
    for entry in fs::read_dir("/proc").context("opendir /proc")? {
        let name = entry.context("readdir /proc")?.file_name();
        if let Some(pid) = name.to_str().and_then(|name| name.parse().ok()) {
            pids.push(pid);
        }
    }
    Ok(pids)
}

/// Polls the child's stat until its state is `state`.
fn await_state(pid: pid_t, state: char) -> Result<Stat, String> {
    let start = Instant::now();
    loop {
        let stat = stat_of(pid)?;
        if stat.state == state || start.elapsed() > STATE_TIMEOUT {
            return Ok(stat);
        }
        thread::sleep(Duration::from_millis(10));
    }
}

fn self_files() -> Outcome {
    let pid = process::id() as pid_t;
    let link = fs::read_link("/proc/self").context("readlink /proc/self")?;
    expect_eq("readlink /proc/self", link.to_string_lossy().into_owned(), pid.to_string())?;
    let status = fork_and_wait(|| {
        child_check("child", || {
            let link = fs::read_link("/proc/self").context("readlink /proc/self")?;
            let own = process::id().to_string();
            ensure(link.as_os_str() == own.as_str(), || {
                format!("a child's /proc/self is {}, not {own}", link.display())
            })
        })
    })?;
    expect_exit(status, 0)?;
    println!("readlink /proc/self in a forked child: the child's pid");

    let expected = Stat { pid, command: COMMAND.into(), state: 'R', parent: parent_id() as pid_t };
    expect_eq("/proc/PID/stat: pid, comm, state, ppid", stat_of(pid)?, expected)?;
    let by_self = parse_stat(&read_proc("/proc/self/stat")?)?;
    expect_eq("/proc/self/stat: pid", by_self.pid, pid)?;

    let mut expected_cmdline = Vec::new();
    for arg in env::args_os() {
        expected_cmdline.extend_from_slice(arg.as_bytes());
        expected_cmdline.push(0);
    }
    let cmdline = fs::read(format!("/proc/{pid}/cmdline")).context("read cmdline")?;
    expect_eq("/proc/PID/cmdline: NUL-terminated argv", text(&cmdline), text(&expected_cmdline))?;

    let status = read_proc(&format!("/proc/{pid}/status"))?;
    let fields = ["Name", "Pid", "PPid"].map(|key| field(&status, key).unwrap_or("(missing)").to_owned());
    let expected = [COMMAND.to_owned(), pid.to_string(), parent_id().to_string()];
    expect_eq("/proc/PID/status: Name, Pid, PPid", fields, expected)?;
    let state = field(&status, "State").unwrap_or("(missing)");
    ensure(state.starts_with('R'), || format!("/proc/PID/status State is {state:?}"))?;
    println!("/proc/PID/status: State {state}");

    let exe = fs::read_link("/proc/self/exe").context("readlink /proc/self/exe")?;
    ensure(exe.is_absolute() && exe.ends_with(COMMAND), || format!("/proc/self/exe is {}", exe.display()))?;
    println!("readlink /proc/self/exe: {}", exe.display());
    Ok(())
}

fn child_directory() -> Outcome {
    let (mut reader, writer) = pipe().context("pipe")?;
    // The child closes its copy of the write end, so that it reads EOF once the parent
    // closes the last one.
    let writer = Cell::new(Some(writer));
    let child = spawn(|| {
        child_check("blocked child", || {
            drop(writer.take());
            let mut byte = [0];
            let count = reader.read(&mut byte).context("read")?;
            ensure(count == 0, || "the child read data instead of EOF".into())
        })
    })?;
    let own = process::id() as pid_t;
    let pids = listed_pids()?;
    ensure(pids.contains(&child) && pids.contains(&own), || format!("/proc lists {pids:?}, without {child} or {own}"))?;
    println!("/proc lists the running child {child} and this process");
    let blocked = await_state(child, 'S')?;
    expect_eq("the child blocked in read: state, ppid", (blocked.state, blocked.parent), ('S', own))?;
    drop(writer.take());
    let zombie = await_state(child, 'Z')?;
    expect_eq("the exited, unreaped child: state", zombie.state, 'Z')?;
    expect_exit(wait_for(child)?, 0)?;
    expect_failure("stat /proc/CHILD after reaping it", fs::metadata(format!("/proc/{child}")), libc::ENOENT)?;
    ensure(!listed_pids()?.contains(&child), || format!("/proc still lists the reaped child {child}"))?;
    println!("/proc no longer lists the reaped child");
    Ok(())
}

fn kilobytes(meminfo: &str, key: &str) -> Result<u64, String> {
    let value = field(meminfo, key).ok_or_else(|| format!("/proc/meminfo has no {key} line"))?;
    let number = value.strip_suffix(" kB").and_then(|number| number.trim().parse().ok());
    number.ok_or_else(|| format!("/proc/meminfo {key} is {value:?}, not a number of kB"))
}

/// A /proc/uptime number: digits, a point, two digits.
fn parse_centiseconds(number: &str) -> Option<f64> {
    let (whole, fraction) = number.split_once('.')?;
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit());
    (digits(whole) && fraction.len() == 2 && digits(fraction)).then(|| number.parse().ok())?
}

fn system_files() -> Outcome {
    let info = sysinfo()?;
    let meminfo = read_proc("/proc/meminfo")?;
    let (total, free) = (kilobytes(&meminfo, "MemTotal")?, kilobytes(&meminfo, "MemFree")?);
    ensure(0 < free && free <= total, || format!("MemTotal {total} kB, MemFree {free} kB"))?;
    println!("/proc/meminfo: MemTotal {total} kB, MemFree {free} kB");
    expect_eq("MemTotal against sysinfo's totalram, in kB", total, info.totalram * u64::from(info.mem_unit) / 1024)?;

    let uptime = read_proc("/proc/uptime")?;
    let numbers: Vec<Option<f64>> = uptime.trim_end_matches('\n').split(' ').map(parse_centiseconds).collect();
    let [Some(up), Some(idle)] = numbers[..] else {
        return Err(format!("/proc/uptime is {uptime:?}, not two numbers"));
    };
    ensure(uptime.ends_with('\n') && up > 0.0 && idle >= 0.0, || format!("/proc/uptime is {uptime:?}"))?;
    let since_boot = sysinfo()?.uptime as f64;
    ensure((up - since_boot).abs() <= UPTIME_SLACK, || format!("/proc/uptime says {up} s, sysinfo {since_boot} s"))?;
    println!("/proc/uptime: {up:.2} s up (sysinfo: {since_boot} s), {idle:.2} s idle");

    let mounts = read_proc("/proc/mounts")?;
    let mount_points: Vec<(&str, &str)> = mounts
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(' ').collect();
            (fields.len() == 6).then(|| (fields[1], fields[2]))
        })
        .collect();
    ensure(mount_points.iter().any(|&(point, _)| point == "/"), || format!("/proc/mounts has no /: {mounts:?}"))?;
    ensure(mount_points.contains(&("/proc", "proc")), || format!("/proc/mounts has no proc on /proc: {mounts:?}"))?;
    println!("/proc/mounts: / and proc on /proc among {} mounts", mount_points.len());

    let cpuinfo = read_proc("/proc/cpuinfo")?;
    ensure(!cpuinfo.trim().is_empty(), || "/proc/cpuinfo is empty".into())?;
    println!("/proc/cpuinfo: {} lines", cpuinfo.lines().count());
    Ok(())
}

/// The flag that makes this program check its /proc/self/exe against the path
/// that follows and exit 0 if they are equal.
const EXE_IS_FLAG: &str = "--exe-is";

/// A program run through a symbolic link: its /proc/self/exe names the file the
/// link leads to, not the link.
fn exe_through_a_link() -> Outcome {
    let real = fs::read_link("/proc/self/exe").context("readlink /proc/self/exe")?;
    let link = env::temp_dir().join(format!("ktest-proc-link-{}", process::id()));
    std::os::unix::fs::symlink(&real, &link).context("symlink")?;
    let argv = [link.as_os_str(), std::ffi::OsStr::new(EXE_IS_FLAG), real.as_os_str()]
        .map(|a| std::ffi::CString::new(a.as_bytes()).unwrap_or_default());
    let status = fork_and_wait(|| {
        let error = ulib::process::execve(&argv[0], &argv, &[]);
        eprintln!("execve {}: {error}", link.display());
        127
    });
    fs::remove_file(&link).context("remove the link")?;
    expect_exit(status?, 0)?;
    println!("a program run through a link: /proc/self/exe is {}", real.display());
    Ok(())
}

/// /proc/self/maps lists this thread's stack as a read-write `[stack]` region
/// holding the address of a local variable, in Linux's line format.
fn stack_in_maps() -> Outcome {
    let local = 7u64;
    let at = std::hint::black_box(&local) as *const u64 as u64;
    let maps = read_proc("/proc/self/maps")?;
    let stack = maps.lines().find(|l| l.ends_with("[stack]")).ok_or_else(|| format!("no [stack] line in\n{maps}"))?;
    let mut fields = stack.split_whitespace();
    let (range, perms) = (fields.next().unwrap_or(""), fields.next().unwrap_or(""));
    let (start, end) = range.split_once('-').ok_or_else(|| format!("bad range in {stack:?}"))?;
    let parse = |hex: &str| u64::from_str_radix(hex, 16).map_err(|e| format!("{hex}: {e}"));
    let (start, end) = (parse(start)?, parse(end)?);
    ensure((start..end).contains(&at), || format!("a local at {at:#x} is not in the [stack] line {stack:?}"))?;
    expect_eq("/proc/self/maps [stack] permissions", perms, "rw-p")
}

/// /proc/self/fd: the links name what each descriptor is open on.
fn descriptor_links() -> Outcome {
    let path = env::temp_dir().join(format!("ktest-proc-fd-{}", process::id()));
    let file = fs::File::create(&path).context("create a file")?;
    let null = fs::File::open("/dev/null").context("open /dev/null")?;
    let (read_end, _write_end) = pipe().context("pipe")?;
    let link = |fd: i32| fs::read_link(format!("/proc/self/fd/{fd}")).context(format_args!("readlink fd {fd}"));
    use std::os::fd::AsRawFd;
    expect_eq("/proc/self/fd of a file", link(file.as_raw_fd())?, path.clone())?;
    expect_eq("/proc/self/fd of /dev/null", link(null.as_raw_fd())?, std::path::PathBuf::from("/dev/null"))?;
    let ino_of = |end: &fs::File| {
        use std::os::unix::fs::MetadataExt;
        end.metadata().context("fstat a pipe").map(|m| m.ino())
    };
    let pipe_ino = ino_of(&read_end)?;
    let (other_pipe, _other_write_end) = pipe().context("pipe")?;
    ensure(ino_of(&other_pipe)? != pipe_ino, || format!("two pipes share inode number {pipe_ino}"))?;
    expect_eq(
        "/proc/self/fd of a pipe",
        link(read_end.as_raw_fd())?,
        std::path::PathBuf::from(format!("pipe:[{pipe_ino}]")),
    )?;
    let listed: Vec<i32> = fs::read_dir("/proc/self/fd")
        .context("list /proc/self/fd")?
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    for fd in [0, file.as_raw_fd(), null.as_raw_fd(), read_end.as_raw_fd()] {
        ensure(listed.contains(&fd), || format!("fd {fd} is not listed in /proc/self/fd: {listed:?}"))?;
    }
    fs::remove_file(&path).context("unlink the file")?;
    let deleted = format!("{} (deleted)", path.display());
    expect_eq("/proc/self/fd of an unlinked file", link(file.as_raw_fd())?, std::path::PathBuf::from(deleted))?;
    println!("/proc/self/fd: a file, /dev/null, a pipe, an unlinked file");
    Ok(())
}

/// /proc/PID/environ of a child holds the environment execve gave it.
fn child_environment() -> Outcome {
    // Close-on-exec: only the child's stdin (a dup) stays open in cat, so
    // closing the write end here gives it end of file.
    let (read_end, write_end) = pipe2(libc::O_CLOEXEC).context("pipe")?;
    let argv = [c"/bin/cat"].map(std::ffi::CString::from);
    let envp = [c"KTEST_PROC_ENV=kestrel-42", c"SECOND=2"].map(std::ffi::CString::from);
    use std::os::fd::IntoRawFd;
    let input = read_end.into_raw_fd();
    let pid = spawn(move || {
        // SAFETY: dup2 on descriptors this child owns; the shell then reads stdin.
        unsafe { libc::dup2(input, 0) };
        let error = ulib::process::execve(&argv[0], &argv, &envp);
        eprintln!("execve /bin/cat: {error}");
        127
    })?;
    let path = format!("/proc/{pid}/environ");
    let deadline = Instant::now() + STATE_TIMEOUT;
    let environ = loop {
        let bytes = fs::read(&path).context(format_args!("read {path}"))?;
        if bytes.starts_with(b"KTEST_PROC_ENV") || Instant::now() > deadline {
            break bytes;
        }
        thread::sleep(Duration::from_millis(10));
    };
    drop(write_end);
    expect_exit(wait_for(pid)?, 0)?;
    expect_eq(
        "a child's /proc/PID/environ",
        text(&environ).into_owned(),
        "KTEST_PROC_ENV=kestrel-42\0SECOND=2\0".into(),
    )?;
    println!("/proc/PID/environ: the child's two variables");
    Ok(())
}

/// The file-system magic numbers statfs reports (linux/magic.h).
/// (i128: glibc's f_type is signed, musl's unsigned.)
const TMPFS_MAGIC: i128 = 0x0102_1994;
const PROC_SUPER_MAGIC: i128 = 0x9fa0;
const PIPEFS_MAGIC: i128 = 0x5049_5045;

/// mountinfo, filesystems, sys/kernel, stat's groups, and statfs.
fn mounts_and_kernel_files() -> Outcome {
    let mountinfo = read_proc("/proc/self/mountinfo")?;
    let proc_line = mountinfo.lines().find(|l| l.split(' ').nth(4) == Some("/proc"));
    let proc_line = proc_line.ok_or_else(|| format!("no /proc in mountinfo:\n{mountinfo}"))?;
    let after_dash = proc_line.split(" - ").nth(1).unwrap_or("");
    ensure(after_dash.starts_with("proc proc "), || format!("mountinfo's /proc line is {proc_line:?}"))?;
    let filesystems = read_proc("/proc/filesystems")?;
    ensure(filesystems.lines().any(|l| l == "nodev\tproc"), || format!("/proc/filesystems: {filesystems:?}"))?;

    // SAFETY: uname fills the zeroed structure.
    let mut uts: libc::utsname = unsafe { std::mem::zeroed() };
    // SAFETY: as above; `uts` is valid for writes.
    ensure(unsafe { libc::uname(&mut uts) } == 0, || "uname failed".into())?;
    let field = |f: &[libc::c_char]| f.iter().take_while(|&&c| c != 0).map(|&c| c as u8 as char).collect::<String>();
    let kernel = |name: &str| read_proc(&format!("/proc/sys/kernel/{name}")).map(|t| t.trim_end().to_string());
    expect_eq("/proc/sys/kernel/ostype against uname", kernel("ostype")?, field(&uts.sysname))?;
    expect_eq("/proc/sys/kernel/osrelease against uname", kernel("osrelease")?, field(&uts.release))?;
    expect_eq("/proc/sys/kernel/hostname against uname", kernel("hostname")?, field(&uts.nodename))?;
    let pid_max: u64 = kernel("pid_max")?.parse().map_err(|e| format!("pid_max: {e}"))?;
    ensure(pid_max >= 32768, || format!("pid_max {pid_max}"))?;

    let stat = read_proc("/proc/self/stat")?;
    let after_comm = stat.rsplit_once(") ").map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_comm.split(' ').collect();
    // SAFETY: getpgrp and getsid(0) have no preconditions.
    let (pgrp, session) = unsafe { (libc::getpgrp(), libc::getsid(0)) };
    expect_eq("/proc/self/stat pgrp", fields.get(2).copied(), Some(pgrp.to_string().as_str()))?;
    expect_eq("/proc/self/stat session", fields.get(3).copied(), Some(session.to_string().as_str()))?;

    let magic_of = |path: &std::ffi::CStr| {
        // SAFETY: statfs fills the zeroed structure from a NUL-terminated path.
        let mut buf: libc::statfs = unsafe { std::mem::zeroed() };
        // SAFETY: as above.
        let r = unsafe { libc::statfs(path.as_ptr(), &mut buf) };
        (r == 0).then_some(i128::from(buf.f_type))
    };
    expect_eq("statfs(/proc).f_type", magic_of(c"/proc"), Some(PROC_SUPER_MAGIC))?;
    expect_eq("statfs(/dev).f_type", magic_of(c"/dev"), Some(TMPFS_MAGIC))?;
    expect_failure(
        "statfs of a missing path",
        magic_of(c"/no/such/path").ok_or(std::io::Error::last_os_error()),
        libc::ENOENT,
    )?;
    let (read_end, _write_end) = pipe().context("pipe")?;
    use std::os::fd::AsRawFd;
    // SAFETY: fstatfs fills the zeroed structure for an open descriptor.
    let mut buf: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    ensure(unsafe { libc::fstatfs(read_end.as_raw_fd(), &mut buf) } == 0, || "fstatfs of a pipe failed".into())?;
    expect_eq("fstatfs(pipe).f_type", i128::from(buf.f_type), PIPEFS_MAGIC)?;
    println!("mountinfo, filesystems, sys/kernel, stat's pgrp and session, statfs: as Linux");
    Ok(())
}

/// A system call neither Linux nor Kestrel has (nfsservctl, removed from Linux)
/// gives ENOSYS; Kestrel counts it in /proc/enosys ("NUMBER NAME COUNT").
fn unknown_calls_are_counted() -> Outcome {
    const NFSSERVCTL: libc::c_long = 180;
    for _ in 0..2 {
        // SAFETY: a system call that only returns ENOSYS.
        let r = unsafe { libc::syscall(NFSSERVCTL, 0, 0, 0) };
        expect_failure("nfsservctl", if r == -1 { Err(std::io::Error::last_os_error()) } else { Ok(r) }, libc::ENOSYS)?;
    }
    let Ok(counts) = fs::read_to_string("/proc/enosys") else {
        println!("no /proc/enosys (not Kestrel): the count is not checked");
        return Ok(());
    };
    let count = counts.lines().find_map(|l| l.strip_prefix("180 nfsservctl ")).and_then(|n| n.parse::<u64>().ok());
    ensure(count.is_some_and(|n| n >= 2), || format!("/proc/enosys does not count nfsservctl twice:\n{counts}"))?;
    println!("/proc/enosys: nfsservctl counted {}", count.unwrap_or(0));
    Ok(())
}

fn proc_test() -> Outcome {
    unknown_calls_are_counted()?;
    descriptor_links()?;
    child_environment()?;
    mounts_and_kernel_files()?;
    exe_through_a_link()?;
    stack_in_maps()?;
    self_files()?;
    child_directory()?;
    system_files()
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    if args.get(1).map(String::as_str) == Some(EXE_IS_FLAG) {
        let exe = fs::read_link("/proc/self/exe").unwrap_or_default();
        return if args.get(2).is_some_and(|expected| exe == std::path::Path::new(expected)) {
            ExitCode::SUCCESS
        } else {
            eprintln!("/proc/self/exe is {}", exe.display());
            ExitCode::FAILURE
        };
    }
    ktest::run(NAME, proc_test)
}
