//! File-system boot tests: the user/ktest programs for files, directories,
//! symlinks, descriptors, close-on-exec, pipes, /proc and /dev run as init and
//! check results and errno values against Linux's (they pass on Linux too), and a
//! leak test creates and deletes 10,000 files.
use kestrel::run_ktest;

#[test]
fn files_create_write_append_truncate_rename_unlink() {
    run_ktest("files", "");
}

#[test]
fn directories_and_getdents64() {
    run_ktest("dirs", "");
}

#[test]
fn symlinks_and_eloop() {
    run_ktest("symlinks", "");
}

#[test]
fn dup_family_and_redirection() {
    run_ktest("dup", "");
}

#[test]
fn close_on_exec_across_execve() {
    run_ktest("cloexec", "");
}

#[test]
fn pipes_eof_sigpipe_nonblocking_poll() {
    run_ktest("pipes", "");
}

#[test]
fn proc_lists_processes_and_system_files() {
    run_ktest("proc", "");
}

#[test]
fn dev_null_zero_full_random() {
    run_ktest("dev", "");
}

#[test]
fn ten_thousand_files_leak_no_frames() {
    let log = run_ktest("fileleak", "norandmaps -- --exact");
    assert!(log.contains("free memory + own resident memory: "), "{log}");
}

#[test]
fn filling_the_file_system_gives_enospc_and_deleting_frees_it() {
    let log = run_ktest("enospc", "");
    assert!(log.contains("before the file system filled up"), "{log}");
}

/// eventfd's counter, semaphore mode, limits, poll readiness and a blocked
/// reader woken from another thread (tests/guest-c/eventfd.c, musl).
#[test]
fn eventfd_counts_blocks_and_polls_as_on_linux() {
    run_ktest("eventfd", "");
}

/// select/pselect6, epoll, timerfd and signalfd as event loops use them
/// (tests/guest-c/events.c, musl; the same program passes on Linux).
#[test]
fn select_epoll_timerfd_signalfd_as_on_linux() {
    run_ktest("events", "");
}

/// AF_UNIX sockets: socketpair, paths and abstract names, listen/connect/accept,
/// stream, datagram and seqpacket data, SCM_RIGHTS and SCM_CREDENTIALS,
/// shutdown, options and poll (tests/guest-c/unix.c, musl).
#[test]
fn unix_sockets_behave_as_on_linux() {
    run_ktest("unix", "");
}

/// Named pipes: mkfifo and mknod, opens that wait for the other end in either
/// order, O_NONBLOCK and O_RDWR (tests/guest-c/fifo.c, musl).
#[test]
fn named_pipes_behave_as_on_linux() {
    run_ktest("fifo", "");
}

/// Pseudo-terminals: /dev/ptmx and devpts, the slave's lock, canonical and raw
/// mode, echo, ^C to the foreground group, SIGTTIN, the window size and SIGWINCH,
/// /dev/tty, hang-ups both ways, poll, and a shell on a slave
/// (tests/guest-c/pty.c, musl; the same program passes on Linux).
#[test]
fn pseudo_terminals_behave_as_on_linux() {
    run_ktest("pty", "");
}

/// The same with glibc's posix_openpt, grantpt, unlockpt and ptsname.
#[test]
fn pseudo_terminals_with_glibc() {
    run_ktest("ptyglibc", "");
}

/// mount(2) and umount2(2): tmpfs mounts with their own size, device and
/// statfs, EXDEV, EBUSY, read-only remounts, noexec, MNT_DETACH and MNT_EXPIRE,
/// stacked mounts, a second proc, and the errors (tests/guest-c/mount.c, musl;
/// the same program passes on Linux as root).
#[test]
fn mounts_behave_as_on_linux() {
    run_ktest("mount", "");
}

/// Debian's busybox mounts a tmpfs, df and mount report it as Linux's would,
/// and umount removes it (busybox-static, fetched by scripts/fetch-debs.sh).
#[test]
fn busybox_mount_df_and_umount() {
    use kestrel::session::{run, shell};
    let mut m = shell();
    run(&mut m, "mkdir /tmp/m; /usr/bin/busybox mount -t tmpfs -o size=1m,mode=700 scratch /tmp/m; echo $?", "\n0\n");
    run(
        &mut m,
        "/usr/bin/busybox mount | grep scratch",
        "scratch on /tmp/m type tmpfs (rw,relatime,size=1024k,mode=700)",
    );
    run(
        &mut m,
        "/usr/bin/busybox df -k /tmp/m | grep scratch",
        "scratch                   1024         0      1024   0% /tmp/m",
    );
    run(&mut m, "echo data > /tmp/m/f; /usr/bin/busybox umount /tmp/m; ls /tmp/m; echo listed", "\nlisted\n");
    run(&mut m, "/usr/bin/busybox umount /tmp/m", "umount: can't unmount /tmp/m: Invalid argument");
}
