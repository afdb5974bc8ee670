//! ktest-users: users, groups and permission checks as Linux has them.
//!
//! Root (the test itself) reads a 0600 and a 0000 file, chowns files, signals init,
//! removes another user's file from the sticky /tmp, but cannot execute a file
//! without an execute bit. Forked children drop privileges:
//!
//! - to uid and gid 1000 with no supplementary groups (setgroups([]), setresgid,
//!   setresuid): getres*id and /proc/self/status show 1000; EACCES opening root's
//!   0600 file, creating or removing names in root's 0755 directory, for
//!   access(R_OK) and for utimensat "now" without write permission; EPERM for
//!   chown, chmod and explicit times of root's file, for kill(init), kill and
//!   setpriority and prlimit of the (root) parent, for getting root back (setuid,
//!   setresuid, setgid, setgroups), for sethostname and reboot, for chown of its
//!   own file to root or chgrp to a group it is not in, and for removing or
//!   renaming root's file in the sticky /tmp (drwxrwxrwt), where its own new file
//!   is 1000:1000; EACCES lowering its nice value; setfsuid(0) changes nothing; a
//!   set-user-ID root program it runs has effective and saved uid 0 and AT_SECURE;
//! - to 1000 in group 10: the group's bits let it read a root:10 0640 file; a
//!   file it makes in a set-group-ID directory of group 10 is 1000:10;
//! - to real and effective uid 1000 with 0 saved: denied, then root again with
//!   setresuid(-1, 0, -1); setfsuid(1000) alone denies root's file.
//!
//! Usage: `ktest-users` (works in /tmp). On Linux it must run as root; otherwise it
//! says so and checks only what an ordinary user can: that privilege stays out of
//! reach.
use std::env;
use std::ffi::{CString, c_int};
use std::fs::{self, File, OpenOptions, Permissions};
use std::io;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt, chown};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::ptr;

use ktest::{
    Context, Outcome, Scratch, c_path, check, child_check, expect_eq, expect_exit, expect_failure, fork_and_wait,
    get_limit, prlimit,
};

const NAME: &str = "users";
/// The ordinary user of /etc/passwd, and their group.
const USER: u32 = 1000;
const GROUP: u32 = 1000;
/// A supplementary group (wheel).
const WHEEL: u32 = 10;
/// Passed to a copy of this program made set-user-ID root: it checks its ids.
const PROBE_FLAG: &str = "--expect-setuid-root";
const INIT: libc::pid_t = 1;

fn resuid() -> io::Result<(u32, u32, u32)> {
    let (mut real, mut effective, mut saved) = (0, 0, 0);
    // SAFETY: getresuid stores three ids into the three variables.
    check(unsafe { libc::getresuid(&mut real, &mut effective, &mut saved) })?;
    Ok((real, effective, saved))
}

fn resgid() -> io::Result<(u32, u32, u32)> {
    let (mut real, mut effective, mut saved) = (0, 0, 0);
    // SAFETY: getresgid stores three ids into the three variables.
    check(unsafe { libc::getresgid(&mut real, &mut effective, &mut saved) })?;
    Ok((real, effective, saved))
}

fn set_groups(groups: &[libc::gid_t]) -> io::Result<()> {
    // SAFETY: setgroups reads `groups.len()` ids from `groups`.
    check(unsafe { libc::setgroups(groups.len(), groups.as_ptr()) }).map(drop)
}

fn set_uid(uid: u32) -> io::Result<()> {
    // SAFETY: setuid takes no pointers.
    check(unsafe { libc::setuid(uid) }).map(drop)
}

fn set_gid(gid: u32) -> io::Result<()> {
    // SAFETY: setgid takes no pointers.
    check(unsafe { libc::setgid(gid) }).map(drop)
}

fn group_count() -> io::Result<c_int> {
    // SAFETY: a size of 0 only asks for the count.
    check(unsafe { libc::getgroups(0, ptr::null_mut()) })
}

fn set_resuid(real: u32, effective: u32, saved: u32) -> io::Result<()> {
    // SAFETY: setresuid takes no pointers.
    check(unsafe { libc::setresuid(real, effective, saved) }).map(drop)
}

fn set_resgid(real: u32, effective: u32, saved: u32) -> io::Result<()> {
    // SAFETY: setresgid takes no pointers.
    check(unsafe { libc::setresgid(real, effective, saved) }).map(drop)
}

/// setfsuid: the previous file-system uid (the call cannot fail).
fn set_fsuid(uid: u32) -> u32 {
    // SAFETY: setfsuid takes no pointers.
    unsafe { libc::setfsuid(uid) as u32 }
}

fn kill(pid: libc::pid_t, signal: c_int) -> io::Result<()> {
    // SAFETY: kill takes no pointers.
    check(unsafe { libc::kill(pid, signal) }).map(drop)
}

fn set_nice(pid: libc::pid_t, nice: c_int) -> io::Result<()> {
    // SAFETY: setpriority takes no pointers.
    check(unsafe { libc::setpriority(libc::PRIO_PROCESS, pid as libc::id_t, nice) }).map(drop)
}

fn access(path: &Path, mode: c_int) -> io::Result<()> {
    let path = c_path(path)?;
    // SAFETY: `path` is a NUL-terminated string.
    check(unsafe { libc::access(path.as_ptr(), mode) }).map(drop)
}

/// utimensat on `path`: both times "now" (NULL), or both set to the epoch.
fn touch(path: &Path, now: bool) -> io::Result<()> {
    let path = c_path(path)?;
    let epoch = [libc::timespec { tv_sec: 0, tv_nsec: 0 }; 2];
    let times = if now { ptr::null() } else { epoch.as_ptr() };
    // SAFETY: `path` is a NUL-terminated string; `times` is NULL or two timespecs.
    check(unsafe { libc::utimensat(libc::AT_FDCWD, path.as_ptr(), times, 0) }).map(drop)
}

/// execve of `path` with argv `[path, args...]` and no environment; returns only
/// on failure.
fn execute(path: &Path, args: &[&str]) -> io::Error {
    let Ok(program) = c_path(path) else { return io::ErrorKind::InvalidInput.into() };
    let args: Vec<CString> = args.iter().filter_map(|arg| CString::new(*arg).ok()).collect();
    let argv: Vec<*const libc::c_char> =
        std::iter::once(program.as_ptr()).chain(args.iter().map(|a| a.as_ptr())).chain([ptr::null()]).collect();
    let envp = [ptr::null::<libc::c_char>()];
    // SAFETY: argv and envp are NULL-terminated arrays of NUL-terminated strings
    // that outlive the call.
    unsafe { libc::execve(program.as_ptr(), argv.as_ptr(), envp.as_ptr()) };
    io::Error::last_os_error()
}

/// A new file at `path` with `contents` and exactly `mode`.
fn make_file(path: &Path, contents: &[u8], mode: u32) -> Outcome {
    fs::write(path, contents).context(format_args!("write {}", path.display()))?;
    fs::set_permissions(path, Permissions::from_mode(mode)).context(format_args!("chmod {}", path.display()))
}

/// The mode bits (permissions and set-id bits, in octal) of `path`, and its owner.
fn mode_and_owner(path: &Path) -> Result<(String, u32, u32), String> {
    let metadata = fs::metadata(path).context(format_args!("stat {}", path.display()))?;
    Ok((format!("{:04o}", metadata.mode() & 0o7777), metadata.uid(), metadata.gid()))
}

/// The text of the file at `path`.
fn read_text(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).context(format_args!("read {}", path.display()))
}

/// The `Uid:` or `Gid:` line of /proc/self/status.
fn status_line(key: &str) -> Result<String, String> {
    let status = fs::read_to_string("/proc/self/status").context("read /proc/self/status")?;
    status.lines().find(|line| line.starts_with(key)).map(str::to_owned).ok_or_else(|| format!("no {key} line"))
}

/// Drops to uid and gid 1000 with `groups` as supplementary groups, as a login
/// program does: groups first, then the group, then the user.
fn become_user(groups: &[libc::gid_t]) -> Outcome {
    set_groups(groups).context("setgroups")?;
    set_resgid(GROUP, GROUP, GROUP).context("setresgid")?;
    set_resuid(USER, USER, USER).context("setresuid")
}

/// The files the test makes: in its scratch directory (root's, 0755) and in /tmp.
struct Files {
    scratch: Scratch,
    /// root's, 0600.
    secret: PathBuf,
    /// root's, 0000.
    locked: PathBuf,
    /// root's, 0644.
    public: PathBuf,
    /// root:10, 0640.
    wheel_only: PathBuf,
    /// A directory of group 10, 2777.
    shared: PathBuf,
    /// A copy of this program, root's, 4755.
    setuid_probe: PathBuf,
    /// root's, 0666, in /tmp.
    roots_in_tmp: PathBuf,
    /// The one the user makes in /tmp.
    users_in_tmp: PathBuf,
}

impl Files {
    fn make() -> Result<Files, String> {
        let scratch = Scratch::create_in(NAME, Path::new("/tmp"))?;
        fs::set_permissions(scratch.path(), Permissions::from_mode(0o755)).context("chmod the scratch directory")?;
        let tmp = |suffix: &str| PathBuf::from(format!("/tmp/ktest-{NAME}-{}-{suffix}", std::process::id()));
        let files = Files {
            secret: scratch.join("secret"),
            locked: scratch.join("locked"),
            public: scratch.join("public"),
            wheel_only: scratch.join("wheel-only"),
            shared: scratch.join("shared"),
            setuid_probe: scratch.join("setuid-probe"),
            roots_in_tmp: tmp("root"),
            users_in_tmp: tmp("user"),
            scratch,
        };
        make_file(&files.secret, b"secret", 0o600)?;
        make_file(&files.locked, b"locked", 0o000)?;
        make_file(&files.public, b"public", 0o644)?;
        make_file(&files.wheel_only, b"wheel", 0o640)?;
        chown(&files.wheel_only, None, Some(WHEEL)).context("chgrp wheel-only")?;
        fs::create_dir(&files.shared).context("mkdir shared")?;
        chown(&files.shared, None, Some(WHEEL)).context("chgrp shared")?;
        fs::set_permissions(&files.shared, Permissions::from_mode(0o2777)).context("chmod shared")?;
        let program = fs::read("/proc/self/exe").context("read /proc/self/exe")?;
        make_file(&files.setuid_probe, &program, 0o4755)?;
        make_file(&files.roots_in_tmp, b"root's", 0o666)?;
        Ok(files)
    }

    /// Removes what the test made (the user's file in /tmp only if it is left).
    fn remove(self) -> Outcome {
        let _ = fs::remove_file(&self.users_in_tmp);
        fs::remove_file(&self.roots_in_tmp).context("remove root's file from /tmp")?;
        self.scratch.remove()
    }
}

/// What root may do: read any file, change owners, signal anyone; not execute a
/// file without an execute bit.
fn root_may(files: &Files) -> Outcome {
    expect_eq("root: getresuid", resuid().context("getresuid")?, (0, 0, 0))?;
    expect_eq("root: Uid line", status_line("Uid:")?, "Uid:\t0\t0\t0\t0".to_owned())?;
    expect_eq("root: /tmp", mode_and_owner(Path::new("/tmp"))?, ("1777".to_owned(), 0, 0))?;
    expect_eq("root: reads its 0600 file", read_text(&files.secret)?.as_str(), "secret")?;
    expect_eq("root: reads a 0000 file", read_text(&files.locked)?.as_str(), "locked")?;
    access(&files.locked, libc::R_OK | libc::W_OK).context("access(locked, R_OK | W_OK)")?;
    expect_failure(
        "root: access(X_OK) of a file with no execute bit",
        access(&files.public, libc::X_OK),
        libc::EACCES,
    )?;
    expect_failure(
        "root: execve of a file with no execute bit",
        Err::<(), _>(execute(&files.public, &[])),
        libc::EACCES,
    )?;
    chown(&files.public, Some(USER), Some(GROUP)).context("chown public 1000:1000")?;
    expect_eq("root: chown public", mode_and_owner(&files.public)?, ("0644".to_owned(), USER, GROUP))?;
    chown(&files.public, Some(0), Some(0)).context("chown public 0:0")?;
    kill(INIT, 0).context("kill(1, 0)")?;
    println!("root: kill(1, 0) succeeds");
    Ok(())
}

/// The ordinary user, with no supplementary groups.
fn user_may_not(files: &Files) -> Outcome {
    // SAFETY: getppid cannot fail.
    let parent = unsafe { libc::getppid() };
    become_user(&[])?;
    expect_eq("user: getresuid", resuid().context("getresuid")?, (USER, USER, USER))?;
    expect_eq("user: getresgid", resgid().context("getresgid")?, (GROUP, GROUP, GROUP))?;
    expect_eq("user: getgroups count", group_count().context("getgroups")?, 0)?;
    expect_eq("user: Uid line", status_line("Uid:")?, "Uid:\t1000\t1000\t1000\t1000".to_owned())?;
    expect_eq("user: Gid line", status_line("Gid:")?, "Gid:\t1000\t1000\t1000\t1000".to_owned())?;

    expect_failure("user: open root's 0600 file", File::open(&files.secret), libc::EACCES)?;
    expect_failure("user: access(R_OK) of root's 0600 file", access(&files.secret, libc::R_OK), libc::EACCES)?;
    expect_eq("user: reads root's 0644 file", read_text(&files.public)?.as_str(), "public")?;
    let new_file = OpenOptions::new().write(true).create_new(true).open(files.scratch.join("new"));
    expect_failure("user: create a file in root's 0755 directory", new_file, libc::EACCES)?;
    expect_failure("user: mkdir in root's 0755 directory", fs::create_dir(files.scratch.join("d")), libc::EACCES)?;
    expect_failure("user: unlink in root's 0755 directory", fs::remove_file(&files.public), libc::EACCES)?;
    expect_failure("user: chown root's file", chown(&files.public, Some(USER), None), libc::EPERM)?;
    expect_failure(
        "user: chmod root's file",
        fs::set_permissions(&files.public, Permissions::from_mode(0o666)),
        libc::EPERM,
    )?;
    expect_failure("user: utimensat of root's file to given times", touch(&files.public, false), libc::EPERM)?;
    expect_failure("user: utimensat of root's file to now", touch(&files.public, true), libc::EACCES)?;
    expect_failure("user: open root:10 0640 outside group 10", File::open(&files.wheel_only), libc::EACCES)?;

    expect_failure("user: kill(1, 0)", kill(INIT, 0), libc::EPERM)?;
    expect_failure("user: kill(root parent, 0)", kill(parent, 0), libc::EPERM)?;
    kill(ktest::getpid(), 0).context("kill(self, 0)")?;
    expect_failure("user: setpriority of the root parent", set_nice(parent, 5), libc::EPERM)?;
    expect_failure("user: prlimit of the root parent", prlimit(parent, libc::RLIMIT_NOFILE, None), libc::EPERM)?;
    if get_limit(libc::RLIMIT_NICE).context("getrlimit RLIMIT_NICE")?.soft == 0 {
        expect_failure("user: lower its own nice value", set_nice(0, -1), libc::EACCES)?;
    } else {
        println!("user: RLIMIT_NICE is not 0 here: lowering nice not checked");
    }

    expect_failure("user: setuid(0)", set_uid(0), libc::EPERM)?;
    expect_failure("user: setresuid(-1, 0, -1)", set_resuid(u32::MAX, 0, u32::MAX), libc::EPERM)?;
    expect_failure("user: setgid(0)", set_gid(0), libc::EPERM)?;
    expect_failure("user: setgroups([0])", set_groups(&[0]), libc::EPERM)?;
    // SAFETY: sethostname reads 4 bytes of the literal.
    expect_failure("user: sethostname", check(unsafe { libc::sethostname(c"nope".as_ptr(), 4) }), libc::EPERM)?;
    // SAFETY: reboot with an unknown command: Linux refuses it for want of privilege
    // before it looks at the command (root would get EINVAL).
    let reboot = check(unsafe {
        libc::syscall(libc::SYS_reboot, libc::LINUX_REBOOT_MAGIC1, libc::LINUX_REBOOT_MAGIC2, 0, ptr::null::<u8>())
    });
    expect_failure("user: reboot", reboot, libc::EPERM)?;
    expect_eq("user: setfsuid(0) returns", set_fsuid(0), USER)?;
    expect_eq("user: the fs uid after", set_fsuid(u32::MAX), USER)?;
    expect_eq("user: getresuid at the end", resuid().context("getresuid")?, (USER, USER, USER))?;

    let mine = OpenOptions::new().write(true).create_new(true).mode(0o644).open(&files.users_in_tmp);
    let mine = mine.context("user: create a file in /tmp")?;
    let metadata = mine.metadata().context("fstat")?;
    expect_eq("user: its file in /tmp is", (metadata.uid(), metadata.gid()), (USER, GROUP))?;
    expect_failure("user: unlink root's file in /tmp", fs::remove_file(&files.roots_in_tmp), libc::EPERM)?;
    let moved = files.scratch.join("moved");
    expect_failure("user: rename root's file in /tmp", fs::rename(&files.roots_in_tmp, &moved), libc::EPERM)?;
    expect_failure("user: chown its file to root", chown(&files.users_in_tmp, Some(0), None), libc::EPERM)?;
    expect_failure("user: chgrp its file to group 0", chown(&files.users_in_tmp, None, Some(0)), libc::EPERM)?;
    chown(&files.users_in_tmp, Some(USER), Some(GROUP)).context("chown its own file to itself")?;
    fs::set_permissions(&files.users_in_tmp, Permissions::from_mode(0o600)).context("chmod its own file")?;
    run_setuid_probe(files)
}

/// A set-user-ID root program run by the user: effective and saved uid 0.
fn run_setuid_probe(files: &Files) -> Outcome {
    // SAFETY: struct statvfs is integers only, so all-zero bytes are a valid value.
    let mut fs_info: libc::statvfs = unsafe { std::mem::zeroed() };
    let path = c_path(&files.setuid_probe).context("probe path")?;
    // SAFETY: `path` is a NUL-terminated string; statvfs fills the struct.
    check(unsafe { libc::statvfs(path.as_ptr(), &mut fs_info) }).context("statvfs")?;
    if fs_info.f_flag & libc::ST_NOSUID != 0 {
        println!("user: {} is on a nosuid mount: set-user-ID not checked", files.setuid_probe.display());
        return Ok(());
    }
    let status = fork_and_wait(|| {
        let err = execute(&files.setuid_probe, &[PROBE_FLAG]);
        println!("user: execve of the set-user-ID probe: {err}");
        1
    })?;
    expect_exit(status, 0).map_err(|e| format!("the set-user-ID probe: {e}"))
}

/// The probe's side: getresuid must be (1000, 0, 0) and AT_SECURE set.
fn setuid_probe() -> ExitCode {
    // SAFETY: getauxval only reads the auxiliary vector.
    let secure = unsafe { libc::getauxval(libc::AT_SECURE) };
    let ids = resuid();
    println!("set-user-ID probe: getresuid {ids:?}, AT_SECURE {secure}");
    if matches!(ids, Ok((USER, 0, 0))) && secure != 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// The user in group 10: group bits, and a set-group-ID directory's group.
fn member_of_wheel(files: &Files) -> Outcome {
    become_user(&[WHEEL])?;
    expect_eq("wheel member: reads root:10 0640", read_text(&files.wheel_only)?.as_str(), "wheel")?;
    let made = files.shared.join("made");
    File::create(&made).context("create in the set-group-ID directory")?;
    let (_, uid, gid) = mode_and_owner(&made)?;
    expect_eq("wheel member: its file in a set-group-ID directory is", (uid, gid), (USER, WHEEL))?;
    chown(&made, None, Some(GROUP)).context("chgrp to its own group")?;
    chown(&made, None, Some(WHEEL)).context("chgrp to a supplementary group")
}

/// Real and effective uid 1000 with 0 saved: root's file is denied, then root
/// comes back; the file-system uid alone decides file access.
fn saved_and_fs_uids(files: &Files) -> Outcome {
    let fs_uid = set_fsuid(USER);
    expect_eq("root: setfsuid(1000) returns", fs_uid, 0)?;
    expect_failure("fs uid 1000: open root's 0600 file", File::open(&files.secret), libc::EACCES)?;
    kill(INIT, 0).context("fs uid 1000: kill(1, 0) (the effective uid is 0)")?;
    expect_eq("root: setfsuid(0) returns", set_fsuid(0), USER)?;
    File::open(&files.secret).context("fs uid 0 again: open secret")?;
    set_resuid(USER, USER, 0).context("setresuid(1000, 1000, 0)")?;
    expect_eq("saved root: getresuid", resuid().context("getresuid")?, (USER, USER, 0))?;
    expect_failure("saved root: open root's 0600 file", File::open(&files.secret), libc::EACCES)?;
    set_resuid(u32::MAX, 0, u32::MAX).context("setresuid(-1, 0, -1)")?;
    expect_eq("root again: getresuid", resuid().context("getresuid")?, (USER, 0, 0))?;
    File::open(&files.secret).context("root again: open secret")?;
    set_uid(USER).context("setuid(1000)")?;
    expect_eq("setuid(1000) as root: getresuid", resuid().context("getresuid")?, (USER, USER, USER))?;
    expect_failure("then setuid(0)", set_uid(0), libc::EPERM)
}

/// Runs `check` in a forked child and requires it to pass.
fn in_child(what: &str, check: impl FnOnce() -> Outcome) -> Outcome {
    let status = fork_and_wait(|| child_check(what, check))?;
    expect_exit(status, 0).map_err(|e| format!("{what}: {e}"))
}

fn all_checks(files: &Files) -> Outcome {
    root_may(files)?;
    in_child("user", || user_may_not(files))?;
    in_child("wheel member", || member_of_wheel(files))?;
    in_child("saved and fs uids", || saved_and_fs_uids(files))?;
    expect_eq("root: the user's file in /tmp", mode_and_owner(&files.users_in_tmp)?, ("0600".to_owned(), USER, GROUP))?;
    fs::remove_file(&files.users_in_tmp).context("root: unlink the user's file from the sticky /tmp")?;
    println!("root: removed the user's file from /tmp");
    Ok(())
}

/// Without root (on Linux): privilege stays out of reach.
fn ordinary_user() -> Outcome {
    println!("not root: the checks that drop privileges are skipped; run as root for all of them");
    let (real, effective, _) = resuid().context("getresuid")?;
    // SAFETY: getuid and geteuid cannot fail.
    let ids = unsafe { (libc::getuid(), libc::geteuid()) };
    expect_eq("getuid and geteuid", ids, (real, effective))?;
    expect_failure("setuid(0)", set_uid(0), libc::EPERM)?;
    expect_failure("setgroups([0])", set_groups(&[0]), libc::EPERM)?;
    expect_failure("kill(1, 0)", kill(INIT, 0), libc::EPERM)
}

fn main() -> ExitCode {
    if env::args().any(|arg| arg == PROBE_FLAG) {
        return setuid_probe();
    }
    ktest::run(NAME, || {
        // SAFETY: geteuid cannot fail.
        if unsafe { libc::geteuid() } != 0 {
            return ordinary_user();
        }
        let files = Files::make()?;
        let outcome = all_checks(&files);
        let removed = files.remove();
        outcome.and(removed)
    })
}
