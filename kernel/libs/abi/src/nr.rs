//! Linux x86-64 system-call numbers (`arch/x86/entry/syscalls/syscall_64.tbl`), and
//! their names for log lines.
//!
//! The constants are the upper-case syscall names: `nr::READ` is `read`, 0. Numbers
//! 335..=423 are unused on x86-64 (Linux skipped them to line up with other
//! architectures).

macro_rules! syscalls {
    ($($konst:ident $name:literal = $nr:literal;)*) => {
        $(#[doc = concat!("`", $name, "`")] pub const $konst: usize = $nr;)*

        /// Every (number, name) pair, in increasing order of number.
        pub const ALL: &[(usize, &str)] = &[$(($nr, $name),)*];
    };
}

/// The syscall's name (`"read"` for 0), for log lines such as unknown-syscall reports.
pub fn name(nr: usize) -> Option<&'static str> {
    ALL.binary_search_by_key(&nr, |&(number, _)| number).ok().map(|index| ALL[index].1)
}

syscalls! {
    READ "read" = 0;
    WRITE "write" = 1;
    OPEN "open" = 2;
    CLOSE "close" = 3;
    STAT "stat" = 4;
    FSTAT "fstat" = 5;
    LSTAT "lstat" = 6;
    POLL "poll" = 7;
    LSEEK "lseek" = 8;
    MMAP "mmap" = 9;
    MPROTECT "mprotect" = 10;
    MUNMAP "munmap" = 11;
    BRK "brk" = 12;
    RT_SIGACTION "rt_sigaction" = 13;
    RT_SIGPROCMASK "rt_sigprocmask" = 14;
    RT_SIGRETURN "rt_sigreturn" = 15;
    IOCTL "ioctl" = 16;
    PREAD64 "pread64" = 17;
    PWRITE64 "pwrite64" = 18;
    READV "readv" = 19;
    WRITEV "writev" = 20;
    ACCESS "access" = 21;
    PIPE "pipe" = 22;
    SELECT "select" = 23;
    SCHED_YIELD "sched_yield" = 24;
    MREMAP "mremap" = 25;
    MSYNC "msync" = 26;
    MINCORE "mincore" = 27;
    MADVISE "madvise" = 28;
    SHMGET "shmget" = 29;
    SHMAT "shmat" = 30;
    SHMCTL "shmctl" = 31;
    DUP "dup" = 32;
    DUP2 "dup2" = 33;
    PAUSE "pause" = 34;
    NANOSLEEP "nanosleep" = 35;
    GETITIMER "getitimer" = 36;
    ALARM "alarm" = 37;
    SETITIMER "setitimer" = 38;
    GETPID "getpid" = 39;
    SENDFILE "sendfile" = 40;
    SOCKET "socket" = 41;
    CONNECT "connect" = 42;
    ACCEPT "accept" = 43;
    SENDTO "sendto" = 44;
    RECVFROM "recvfrom" = 45;
    SENDMSG "sendmsg" = 46;
    RECVMSG "recvmsg" = 47;
    SHUTDOWN "shutdown" = 48;
    BIND "bind" = 49;
    LISTEN "listen" = 50;
    GETSOCKNAME "getsockname" = 51;
    GETPEERNAME "getpeername" = 52;
    SOCKETPAIR "socketpair" = 53;
    SETSOCKOPT "setsockopt" = 54;
    GETSOCKOPT "getsockopt" = 55;
    CLONE "clone" = 56;
    FORK "fork" = 57;
    VFORK "vfork" = 58;
    EXECVE "execve" = 59;
    EXIT "exit" = 60;
    WAIT4 "wait4" = 61;
    KILL "kill" = 62;
    UNAME "uname" = 63;
    SEMGET "semget" = 64;
    SEMOP "semop" = 65;
    SEMCTL "semctl" = 66;
    SHMDT "shmdt" = 67;
    MSGGET "msgget" = 68;
    MSGSND "msgsnd" = 69;
    MSGRCV "msgrcv" = 70;
    MSGCTL "msgctl" = 71;
    FCNTL "fcntl" = 72;
    FLOCK "flock" = 73;
    FSYNC "fsync" = 74;
    FDATASYNC "fdatasync" = 75;
    TRUNCATE "truncate" = 76;
    FTRUNCATE "ftruncate" = 77;
    GETDENTS "getdents" = 78;
    GETCWD "getcwd" = 79;
    CHDIR "chdir" = 80;
    FCHDIR "fchdir" = 81;
    RENAME "rename" = 82;
    MKDIR "mkdir" = 83;
    RMDIR "rmdir" = 84;
    CREAT "creat" = 85;
    LINK "link" = 86;
    UNLINK "unlink" = 87;
    SYMLINK "symlink" = 88;
    READLINK "readlink" = 89;
    CHMOD "chmod" = 90;
    FCHMOD "fchmod" = 91;
    CHOWN "chown" = 92;
    FCHOWN "fchown" = 93;
    LCHOWN "lchown" = 94;
    UMASK "umask" = 95;
    GETTIMEOFDAY "gettimeofday" = 96;
    GETRLIMIT "getrlimit" = 97;
    GETRUSAGE "getrusage" = 98;
    SYSINFO "sysinfo" = 99;
    TIMES "times" = 100;
    PTRACE "ptrace" = 101;
    GETUID "getuid" = 102;
    SYSLOG "syslog" = 103;
    GETGID "getgid" = 104;
    SETUID "setuid" = 105;
    SETGID "setgid" = 106;
    GETEUID "geteuid" = 107;
    GETEGID "getegid" = 108;
    SETPGID "setpgid" = 109;
    GETPPID "getppid" = 110;
    GETPGRP "getpgrp" = 111;
    SETSID "setsid" = 112;
    SETREUID "setreuid" = 113;
    SETREGID "setregid" = 114;
    GETGROUPS "getgroups" = 115;
    SETGROUPS "setgroups" = 116;
    SETRESUID "setresuid" = 117;
    GETRESUID "getresuid" = 118;
    SETRESGID "setresgid" = 119;
    GETRESGID "getresgid" = 120;
    GETPGID "getpgid" = 121;
    SETFSUID "setfsuid" = 122;
    SETFSGID "setfsgid" = 123;
    GETSID "getsid" = 124;
    CAPGET "capget" = 125;
    CAPSET "capset" = 126;
    RT_SIGPENDING "rt_sigpending" = 127;
    RT_SIGTIMEDWAIT "rt_sigtimedwait" = 128;
    RT_SIGQUEUEINFO "rt_sigqueueinfo" = 129;
    RT_SIGSUSPEND "rt_sigsuspend" = 130;
    SIGALTSTACK "sigaltstack" = 131;
    UTIME "utime" = 132;
    MKNOD "mknod" = 133;
    USELIB "uselib" = 134;
    PERSONALITY "personality" = 135;
    USTAT "ustat" = 136;
    STATFS "statfs" = 137;
    FSTATFS "fstatfs" = 138;
    SYSFS "sysfs" = 139;
    GETPRIORITY "getpriority" = 140;
    SETPRIORITY "setpriority" = 141;
    SCHED_SETPARAM "sched_setparam" = 142;
    SCHED_GETPARAM "sched_getparam" = 143;
    SCHED_SETSCHEDULER "sched_setscheduler" = 144;
    SCHED_GETSCHEDULER "sched_getscheduler" = 145;
    SCHED_GET_PRIORITY_MAX "sched_get_priority_max" = 146;
    SCHED_GET_PRIORITY_MIN "sched_get_priority_min" = 147;
    SCHED_RR_GET_INTERVAL "sched_rr_get_interval" = 148;
    MLOCK "mlock" = 149;
    MUNLOCK "munlock" = 150;
    MLOCKALL "mlockall" = 151;
    MUNLOCKALL "munlockall" = 152;
    VHANGUP "vhangup" = 153;
    MODIFY_LDT "modify_ldt" = 154;
    PIVOT_ROOT "pivot_root" = 155;
    _SYSCTL "_sysctl" = 156;
    PRCTL "prctl" = 157;
    ARCH_PRCTL "arch_prctl" = 158;
    ADJTIMEX "adjtimex" = 159;
    SETRLIMIT "setrlimit" = 160;
    CHROOT "chroot" = 161;
    SYNC "sync" = 162;
    ACCT "acct" = 163;
    SETTIMEOFDAY "settimeofday" = 164;
    MOUNT "mount" = 165;
    UMOUNT2 "umount2" = 166;
    SWAPON "swapon" = 167;
    SWAPOFF "swapoff" = 168;
    REBOOT "reboot" = 169;
    SETHOSTNAME "sethostname" = 170;
    SETDOMAINNAME "setdomainname" = 171;
    IOPL "iopl" = 172;
    IOPERM "ioperm" = 173;
    CREATE_MODULE "create_module" = 174;
    INIT_MODULE "init_module" = 175;
    DELETE_MODULE "delete_module" = 176;
    GET_KERNEL_SYMS "get_kernel_syms" = 177;
    QUERY_MODULE "query_module" = 178;
    QUOTACTL "quotactl" = 179;
    NFSSERVCTL "nfsservctl" = 180;
    GETPMSG "getpmsg" = 181;
    PUTPMSG "putpmsg" = 182;
    AFS_SYSCALL "afs_syscall" = 183;
    TUXCALL "tuxcall" = 184;
    SECURITY "security" = 185;
    GETTID "gettid" = 186;
    READAHEAD "readahead" = 187;
    SETXATTR "setxattr" = 188;
    LSETXATTR "lsetxattr" = 189;
    FSETXATTR "fsetxattr" = 190;
    GETXATTR "getxattr" = 191;
    LGETXATTR "lgetxattr" = 192;
    FGETXATTR "fgetxattr" = 193;
    LISTXATTR "listxattr" = 194;
    LLISTXATTR "llistxattr" = 195;
    FLISTXATTR "flistxattr" = 196;
    REMOVEXATTR "removexattr" = 197;
    LREMOVEXATTR "lremovexattr" = 198;
    FREMOVEXATTR "fremovexattr" = 199;
    TKILL "tkill" = 200;
    TIME "time" = 201;
    FUTEX "futex" = 202;
    SCHED_SETAFFINITY "sched_setaffinity" = 203;
    SCHED_GETAFFINITY "sched_getaffinity" = 204;
    SET_THREAD_AREA "set_thread_area" = 205;
    IO_SETUP "io_setup" = 206;
    IO_DESTROY "io_destroy" = 207;
    IO_GETEVENTS "io_getevents" = 208;
    IO_SUBMIT "io_submit" = 209;
    IO_CANCEL "io_cancel" = 210;
    GET_THREAD_AREA "get_thread_area" = 211;
    LOOKUP_DCOOKIE "lookup_dcookie" = 212;
    EPOLL_CREATE "epoll_create" = 213;
    EPOLL_CTL_OLD "epoll_ctl_old" = 214;
    EPOLL_WAIT_OLD "epoll_wait_old" = 215;
    REMAP_FILE_PAGES "remap_file_pages" = 216;
    GETDENTS64 "getdents64" = 217;
    SET_TID_ADDRESS "set_tid_address" = 218;
    RESTART_SYSCALL "restart_syscall" = 219;
    SEMTIMEDOP "semtimedop" = 220;
    FADVISE64 "fadvise64" = 221;
    TIMER_CREATE "timer_create" = 222;
    TIMER_SETTIME "timer_settime" = 223;
    TIMER_GETTIME "timer_gettime" = 224;
    TIMER_GETOVERRUN "timer_getoverrun" = 225;
    TIMER_DELETE "timer_delete" = 226;
    CLOCK_SETTIME "clock_settime" = 227;
    CLOCK_GETTIME "clock_gettime" = 228;
    CLOCK_GETRES "clock_getres" = 229;
    CLOCK_NANOSLEEP "clock_nanosleep" = 230;
    EXIT_GROUP "exit_group" = 231;
    EPOLL_WAIT "epoll_wait" = 232;
    EPOLL_CTL "epoll_ctl" = 233;
    TGKILL "tgkill" = 234;
    UTIMES "utimes" = 235;
    VSERVER "vserver" = 236;
    MBIND "mbind" = 237;
    SET_MEMPOLICY "set_mempolicy" = 238;
    GET_MEMPOLICY "get_mempolicy" = 239;
    MQ_OPEN "mq_open" = 240;
    MQ_UNLINK "mq_unlink" = 241;
    MQ_TIMEDSEND "mq_timedsend" = 242;
    MQ_TIMEDRECEIVE "mq_timedreceive" = 243;
    MQ_NOTIFY "mq_notify" = 244;
    MQ_GETSETATTR "mq_getsetattr" = 245;
    KEXEC_LOAD "kexec_load" = 246;
    WAITID "waitid" = 247;
    ADD_KEY "add_key" = 248;
    REQUEST_KEY "request_key" = 249;
    KEYCTL "keyctl" = 250;
    IOPRIO_SET "ioprio_set" = 251;
    IOPRIO_GET "ioprio_get" = 252;
    INOTIFY_INIT "inotify_init" = 253;
    INOTIFY_ADD_WATCH "inotify_add_watch" = 254;
    INOTIFY_RM_WATCH "inotify_rm_watch" = 255;
    MIGRATE_PAGES "migrate_pages" = 256;
    OPENAT "openat" = 257;
    MKDIRAT "mkdirat" = 258;
    MKNODAT "mknodat" = 259;
    FCHOWNAT "fchownat" = 260;
    FUTIMESAT "futimesat" = 261;
    NEWFSTATAT "newfstatat" = 262;
    UNLINKAT "unlinkat" = 263;
    RENAMEAT "renameat" = 264;
    LINKAT "linkat" = 265;
    SYMLINKAT "symlinkat" = 266;
    READLINKAT "readlinkat" = 267;
    FCHMODAT "fchmodat" = 268;
    FACCESSAT "faccessat" = 269;
    PSELECT6 "pselect6" = 270;
    PPOLL "ppoll" = 271;
    UNSHARE "unshare" = 272;
    SET_ROBUST_LIST "set_robust_list" = 273;
    GET_ROBUST_LIST "get_robust_list" = 274;
    SPLICE "splice" = 275;
    TEE "tee" = 276;
    SYNC_FILE_RANGE "sync_file_range" = 277;
    VMSPLICE "vmsplice" = 278;
    MOVE_PAGES "move_pages" = 279;
    UTIMENSAT "utimensat" = 280;
    EPOLL_PWAIT "epoll_pwait" = 281;
    SIGNALFD "signalfd" = 282;
    TIMERFD_CREATE "timerfd_create" = 283;
    EVENTFD "eventfd" = 284;
    FALLOCATE "fallocate" = 285;
    TIMERFD_SETTIME "timerfd_settime" = 286;
    TIMERFD_GETTIME "timerfd_gettime" = 287;
    ACCEPT4 "accept4" = 288;
    SIGNALFD4 "signalfd4" = 289;
    EVENTFD2 "eventfd2" = 290;
    EPOLL_CREATE1 "epoll_create1" = 291;
    DUP3 "dup3" = 292;
    PIPE2 "pipe2" = 293;
    INOTIFY_INIT1 "inotify_init1" = 294;
    PREADV "preadv" = 295;
    PWRITEV "pwritev" = 296;
    RT_TGSIGQUEUEINFO "rt_tgsigqueueinfo" = 297;
    PERF_EVENT_OPEN "perf_event_open" = 298;
    RECVMMSG "recvmmsg" = 299;
    FANOTIFY_INIT "fanotify_init" = 300;
    FANOTIFY_MARK "fanotify_mark" = 301;
    PRLIMIT64 "prlimit64" = 302;
    NAME_TO_HANDLE_AT "name_to_handle_at" = 303;
    OPEN_BY_HANDLE_AT "open_by_handle_at" = 304;
    CLOCK_ADJTIME "clock_adjtime" = 305;
    SYNCFS "syncfs" = 306;
    SENDMMSG "sendmmsg" = 307;
    SETNS "setns" = 308;
    GETCPU "getcpu" = 309;
    PROCESS_VM_READV "process_vm_readv" = 310;
    PROCESS_VM_WRITEV "process_vm_writev" = 311;
    KCMP "kcmp" = 312;
    FINIT_MODULE "finit_module" = 313;
    SCHED_SETATTR "sched_setattr" = 314;
    SCHED_GETATTR "sched_getattr" = 315;
    RENAMEAT2 "renameat2" = 316;
    SECCOMP "seccomp" = 317;
    GETRANDOM "getrandom" = 318;
    MEMFD_CREATE "memfd_create" = 319;
    KEXEC_FILE_LOAD "kexec_file_load" = 320;
    BPF "bpf" = 321;
    EXECVEAT "execveat" = 322;
    USERFAULTFD "userfaultfd" = 323;
    MEMBARRIER "membarrier" = 324;
    MLOCK2 "mlock2" = 325;
    COPY_FILE_RANGE "copy_file_range" = 326;
    PREADV2 "preadv2" = 327;
    PWRITEV2 "pwritev2" = 328;
    PKEY_MPROTECT "pkey_mprotect" = 329;
    PKEY_ALLOC "pkey_alloc" = 330;
    PKEY_FREE "pkey_free" = 331;
    STATX "statx" = 332;
    IO_PGETEVENTS "io_pgetevents" = 333;
    RSEQ "rseq" = 334;
    PIDFD_SEND_SIGNAL "pidfd_send_signal" = 424;
    IO_URING_SETUP "io_uring_setup" = 425;
    IO_URING_ENTER "io_uring_enter" = 426;
    IO_URING_REGISTER "io_uring_register" = 427;
    OPEN_TREE "open_tree" = 428;
    MOVE_MOUNT "move_mount" = 429;
    FSOPEN "fsopen" = 430;
    FSCONFIG "fsconfig" = 431;
    FSMOUNT "fsmount" = 432;
    FSPICK "fspick" = 433;
    PIDFD_OPEN "pidfd_open" = 434;
    CLONE3 "clone3" = 435;
    CLOSE_RANGE "close_range" = 436;
    OPENAT2 "openat2" = 437;
    PIDFD_GETFD "pidfd_getfd" = 438;
    FACCESSAT2 "faccessat2" = 439;
    PROCESS_MADVISE "process_madvise" = 440;
    EPOLL_PWAIT2 "epoll_pwait2" = 441;
    MOUNT_SETATTR "mount_setattr" = 442;
    QUOTACTL_FD "quotactl_fd" = 443;
    LANDLOCK_CREATE_RULESET "landlock_create_ruleset" = 444;
    LANDLOCK_ADD_RULE "landlock_add_rule" = 445;
    LANDLOCK_RESTRICT_SELF "landlock_restrict_self" = 446;
    MEMFD_SECRET "memfd_secret" = 447;
    PROCESS_MRELEASE "process_mrelease" = 448;
    FUTEX_WAITV "futex_waitv" = 449;
    SET_MEMPOLICY_HOME_NODE "set_mempolicy_home_node" = 450;
    CACHESTAT "cachestat" = 451;
    FCHMODAT2 "fchmodat2" = 452;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Syscalls the `libc` crate has no `SYS_*` constant for; their numbers sit
    /// between checked neighbours.
    const NOT_IN_LIBC: &[&str] = &["create_module", "get_kernel_syms", "query_module", "io_pgetevents", "cachestat"];

    #[test]
    fn numbers_are_linux_numbers() {
        let checked: &[(usize, libc::c_long, &str)] = &[
            (READ, libc::SYS_read, "read"),
            (WRITE, libc::SYS_write, "write"),
            (OPEN, libc::SYS_open, "open"),
            (CLOSE, libc::SYS_close, "close"),
            (STAT, libc::SYS_stat, "stat"),
            (FSTAT, libc::SYS_fstat, "fstat"),
            (LSTAT, libc::SYS_lstat, "lstat"),
            (POLL, libc::SYS_poll, "poll"),
            (LSEEK, libc::SYS_lseek, "lseek"),
            (MMAP, libc::SYS_mmap, "mmap"),
            (MPROTECT, libc::SYS_mprotect, "mprotect"),
            (MUNMAP, libc::SYS_munmap, "munmap"),
            (BRK, libc::SYS_brk, "brk"),
            (RT_SIGACTION, libc::SYS_rt_sigaction, "rt_sigaction"),
            (RT_SIGPROCMASK, libc::SYS_rt_sigprocmask, "rt_sigprocmask"),
            (RT_SIGRETURN, libc::SYS_rt_sigreturn, "rt_sigreturn"),
            (IOCTL, libc::SYS_ioctl, "ioctl"),
            (PREAD64, libc::SYS_pread64, "pread64"),
            (PWRITE64, libc::SYS_pwrite64, "pwrite64"),
            (READV, libc::SYS_readv, "readv"),
            (WRITEV, libc::SYS_writev, "writev"),
            (ACCESS, libc::SYS_access, "access"),
            (PIPE, libc::SYS_pipe, "pipe"),
            (SELECT, libc::SYS_select, "select"),
            (SCHED_YIELD, libc::SYS_sched_yield, "sched_yield"),
            (MREMAP, libc::SYS_mremap, "mremap"),
            (MSYNC, libc::SYS_msync, "msync"),
            (MINCORE, libc::SYS_mincore, "mincore"),
            (MADVISE, libc::SYS_madvise, "madvise"),
            (SHMGET, libc::SYS_shmget, "shmget"),
            (SHMAT, libc::SYS_shmat, "shmat"),
            (SHMCTL, libc::SYS_shmctl, "shmctl"),
            (DUP, libc::SYS_dup, "dup"),
            (DUP2, libc::SYS_dup2, "dup2"),
            (PAUSE, libc::SYS_pause, "pause"),
            (NANOSLEEP, libc::SYS_nanosleep, "nanosleep"),
            (GETITIMER, libc::SYS_getitimer, "getitimer"),
            (ALARM, libc::SYS_alarm, "alarm"),
            (SETITIMER, libc::SYS_setitimer, "setitimer"),
            (GETPID, libc::SYS_getpid, "getpid"),
            (SENDFILE, libc::SYS_sendfile, "sendfile"),
            (SOCKET, libc::SYS_socket, "socket"),
            (CONNECT, libc::SYS_connect, "connect"),
            (ACCEPT, libc::SYS_accept, "accept"),
            (SENDTO, libc::SYS_sendto, "sendto"),
            (RECVFROM, libc::SYS_recvfrom, "recvfrom"),
            (SENDMSG, libc::SYS_sendmsg, "sendmsg"),
            (RECVMSG, libc::SYS_recvmsg, "recvmsg"),
            (SHUTDOWN, libc::SYS_shutdown, "shutdown"),
            (BIND, libc::SYS_bind, "bind"),
            (LISTEN, libc::SYS_listen, "listen"),
            (GETSOCKNAME, libc::SYS_getsockname, "getsockname"),
            (GETPEERNAME, libc::SYS_getpeername, "getpeername"),
            (SOCKETPAIR, libc::SYS_socketpair, "socketpair"),
            (SETSOCKOPT, libc::SYS_setsockopt, "setsockopt"),
            (GETSOCKOPT, libc::SYS_getsockopt, "getsockopt"),
            (CLONE, libc::SYS_clone, "clone"),
            (FORK, libc::SYS_fork, "fork"),
            (VFORK, libc::SYS_vfork, "vfork"),
            (EXECVE, libc::SYS_execve, "execve"),
            (EXIT, libc::SYS_exit, "exit"),
            (WAIT4, libc::SYS_wait4, "wait4"),
            (KILL, libc::SYS_kill, "kill"),
            (UNAME, libc::SYS_uname, "uname"),
            (SEMGET, libc::SYS_semget, "semget"),
            (SEMOP, libc::SYS_semop, "semop"),
            (SEMCTL, libc::SYS_semctl, "semctl"),
            (SHMDT, libc::SYS_shmdt, "shmdt"),
            (MSGGET, libc::SYS_msgget, "msgget"),
            (MSGSND, libc::SYS_msgsnd, "msgsnd"),
            (MSGRCV, libc::SYS_msgrcv, "msgrcv"),
            (MSGCTL, libc::SYS_msgctl, "msgctl"),
            (FCNTL, libc::SYS_fcntl, "fcntl"),
            (FLOCK, libc::SYS_flock, "flock"),
            (FSYNC, libc::SYS_fsync, "fsync"),
            (FDATASYNC, libc::SYS_fdatasync, "fdatasync"),
            (TRUNCATE, libc::SYS_truncate, "truncate"),
            (FTRUNCATE, libc::SYS_ftruncate, "ftruncate"),
            (GETDENTS, libc::SYS_getdents, "getdents"),
            (GETCWD, libc::SYS_getcwd, "getcwd"),
            (CHDIR, libc::SYS_chdir, "chdir"),
            (FCHDIR, libc::SYS_fchdir, "fchdir"),
            (RENAME, libc::SYS_rename, "rename"),
            (MKDIR, libc::SYS_mkdir, "mkdir"),
            (RMDIR, libc::SYS_rmdir, "rmdir"),
            (CREAT, libc::SYS_creat, "creat"),
            (LINK, libc::SYS_link, "link"),
            (UNLINK, libc::SYS_unlink, "unlink"),
            (SYMLINK, libc::SYS_symlink, "symlink"),
            (READLINK, libc::SYS_readlink, "readlink"),
            (CHMOD, libc::SYS_chmod, "chmod"),
            (FCHMOD, libc::SYS_fchmod, "fchmod"),
            (CHOWN, libc::SYS_chown, "chown"),
            (FCHOWN, libc::SYS_fchown, "fchown"),
            (LCHOWN, libc::SYS_lchown, "lchown"),
            (UMASK, libc::SYS_umask, "umask"),
            (GETTIMEOFDAY, libc::SYS_gettimeofday, "gettimeofday"),
            (GETRLIMIT, libc::SYS_getrlimit, "getrlimit"),
            (GETRUSAGE, libc::SYS_getrusage, "getrusage"),
            (SYSINFO, libc::SYS_sysinfo, "sysinfo"),
            (TIMES, libc::SYS_times, "times"),
            (PTRACE, libc::SYS_ptrace, "ptrace"),
            (GETUID, libc::SYS_getuid, "getuid"),
            (SYSLOG, libc::SYS_syslog, "syslog"),
            (GETGID, libc::SYS_getgid, "getgid"),
            (SETUID, libc::SYS_setuid, "setuid"),
            (SETGID, libc::SYS_setgid, "setgid"),
            (GETEUID, libc::SYS_geteuid, "geteuid"),
            (GETEGID, libc::SYS_getegid, "getegid"),
            (SETPGID, libc::SYS_setpgid, "setpgid"),
            (GETPPID, libc::SYS_getppid, "getppid"),
            (GETPGRP, libc::SYS_getpgrp, "getpgrp"),
            (SETSID, libc::SYS_setsid, "setsid"),
            (SETREUID, libc::SYS_setreuid, "setreuid"),
            (SETREGID, libc::SYS_setregid, "setregid"),
            (GETGROUPS, libc::SYS_getgroups, "getgroups"),
            (SETGROUPS, libc::SYS_setgroups, "setgroups"),
            (SETRESUID, libc::SYS_setresuid, "setresuid"),
            (GETRESUID, libc::SYS_getresuid, "getresuid"),
            (SETRESGID, libc::SYS_setresgid, "setresgid"),
            (GETRESGID, libc::SYS_getresgid, "getresgid"),
            (GETPGID, libc::SYS_getpgid, "getpgid"),
            (SETFSUID, libc::SYS_setfsuid, "setfsuid"),
            (SETFSGID, libc::SYS_setfsgid, "setfsgid"),
            (GETSID, libc::SYS_getsid, "getsid"),
            (CAPGET, libc::SYS_capget, "capget"),
            (CAPSET, libc::SYS_capset, "capset"),
            (RT_SIGPENDING, libc::SYS_rt_sigpending, "rt_sigpending"),
            (RT_SIGTIMEDWAIT, libc::SYS_rt_sigtimedwait, "rt_sigtimedwait"),
            (RT_SIGQUEUEINFO, libc::SYS_rt_sigqueueinfo, "rt_sigqueueinfo"),
            (RT_SIGSUSPEND, libc::SYS_rt_sigsuspend, "rt_sigsuspend"),
            (SIGALTSTACK, libc::SYS_sigaltstack, "sigaltstack"),
            (UTIME, libc::SYS_utime, "utime"),
            (MKNOD, libc::SYS_mknod, "mknod"),
            (USELIB, libc::SYS_uselib, "uselib"),
            (PERSONALITY, libc::SYS_personality, "personality"),
            (USTAT, libc::SYS_ustat, "ustat"),
            (STATFS, libc::SYS_statfs, "statfs"),
            (FSTATFS, libc::SYS_fstatfs, "fstatfs"),
            (SYSFS, libc::SYS_sysfs, "sysfs"),
            (GETPRIORITY, libc::SYS_getpriority, "getpriority"),
            (SETPRIORITY, libc::SYS_setpriority, "setpriority"),
            (SCHED_SETPARAM, libc::SYS_sched_setparam, "sched_setparam"),
            (SCHED_GETPARAM, libc::SYS_sched_getparam, "sched_getparam"),
            (SCHED_SETSCHEDULER, libc::SYS_sched_setscheduler, "sched_setscheduler"),
            (SCHED_GETSCHEDULER, libc::SYS_sched_getscheduler, "sched_getscheduler"),
            (SCHED_GET_PRIORITY_MAX, libc::SYS_sched_get_priority_max, "sched_get_priority_max"),
            (SCHED_GET_PRIORITY_MIN, libc::SYS_sched_get_priority_min, "sched_get_priority_min"),
            (SCHED_RR_GET_INTERVAL, libc::SYS_sched_rr_get_interval, "sched_rr_get_interval"),
            (MLOCK, libc::SYS_mlock, "mlock"),
            (MUNLOCK, libc::SYS_munlock, "munlock"),
            (MLOCKALL, libc::SYS_mlockall, "mlockall"),
            (MUNLOCKALL, libc::SYS_munlockall, "munlockall"),
            (VHANGUP, libc::SYS_vhangup, "vhangup"),
            (MODIFY_LDT, libc::SYS_modify_ldt, "modify_ldt"),
            (PIVOT_ROOT, libc::SYS_pivot_root, "pivot_root"),
            (_SYSCTL, libc::SYS__sysctl, "_sysctl"),
            (PRCTL, libc::SYS_prctl, "prctl"),
            (ARCH_PRCTL, libc::SYS_arch_prctl, "arch_prctl"),
            (ADJTIMEX, libc::SYS_adjtimex, "adjtimex"),
            (SETRLIMIT, libc::SYS_setrlimit, "setrlimit"),
            (CHROOT, libc::SYS_chroot, "chroot"),
            (SYNC, libc::SYS_sync, "sync"),
            (ACCT, libc::SYS_acct, "acct"),
            (SETTIMEOFDAY, libc::SYS_settimeofday, "settimeofday"),
            (MOUNT, libc::SYS_mount, "mount"),
            (UMOUNT2, libc::SYS_umount2, "umount2"),
            (SWAPON, libc::SYS_swapon, "swapon"),
            (SWAPOFF, libc::SYS_swapoff, "swapoff"),
            (REBOOT, libc::SYS_reboot, "reboot"),
            (SETHOSTNAME, libc::SYS_sethostname, "sethostname"),
            (SETDOMAINNAME, libc::SYS_setdomainname, "setdomainname"),
            (IOPL, libc::SYS_iopl, "iopl"),
            (IOPERM, libc::SYS_ioperm, "ioperm"),
            (INIT_MODULE, libc::SYS_init_module, "init_module"),
            (DELETE_MODULE, libc::SYS_delete_module, "delete_module"),
            (QUOTACTL, libc::SYS_quotactl, "quotactl"),
            (NFSSERVCTL, libc::SYS_nfsservctl, "nfsservctl"),
            (GETPMSG, libc::SYS_getpmsg, "getpmsg"),
            (PUTPMSG, libc::SYS_putpmsg, "putpmsg"),
            (AFS_SYSCALL, libc::SYS_afs_syscall, "afs_syscall"),
            (TUXCALL, libc::SYS_tuxcall, "tuxcall"),
            (SECURITY, libc::SYS_security, "security"),
            (GETTID, libc::SYS_gettid, "gettid"),
            (READAHEAD, libc::SYS_readahead, "readahead"),
            (SETXATTR, libc::SYS_setxattr, "setxattr"),
            (LSETXATTR, libc::SYS_lsetxattr, "lsetxattr"),
            (FSETXATTR, libc::SYS_fsetxattr, "fsetxattr"),
            (GETXATTR, libc::SYS_getxattr, "getxattr"),
            (LGETXATTR, libc::SYS_lgetxattr, "lgetxattr"),
            (FGETXATTR, libc::SYS_fgetxattr, "fgetxattr"),
            (LISTXATTR, libc::SYS_listxattr, "listxattr"),
            (LLISTXATTR, libc::SYS_llistxattr, "llistxattr"),
            (FLISTXATTR, libc::SYS_flistxattr, "flistxattr"),
            (REMOVEXATTR, libc::SYS_removexattr, "removexattr"),
            (LREMOVEXATTR, libc::SYS_lremovexattr, "lremovexattr"),
            (FREMOVEXATTR, libc::SYS_fremovexattr, "fremovexattr"),
            (TKILL, libc::SYS_tkill, "tkill"),
            (TIME, libc::SYS_time, "time"),
            (FUTEX, libc::SYS_futex, "futex"),
            (SCHED_SETAFFINITY, libc::SYS_sched_setaffinity, "sched_setaffinity"),
            (SCHED_GETAFFINITY, libc::SYS_sched_getaffinity, "sched_getaffinity"),
            (SET_THREAD_AREA, libc::SYS_set_thread_area, "set_thread_area"),
            (IO_SETUP, libc::SYS_io_setup, "io_setup"),
            (IO_DESTROY, libc::SYS_io_destroy, "io_destroy"),
            (IO_GETEVENTS, libc::SYS_io_getevents, "io_getevents"),
            (IO_SUBMIT, libc::SYS_io_submit, "io_submit"),
            (IO_CANCEL, libc::SYS_io_cancel, "io_cancel"),
            (GET_THREAD_AREA, libc::SYS_get_thread_area, "get_thread_area"),
            (LOOKUP_DCOOKIE, libc::SYS_lookup_dcookie, "lookup_dcookie"),
            (EPOLL_CREATE, libc::SYS_epoll_create, "epoll_create"),
            (EPOLL_CTL_OLD, libc::SYS_epoll_ctl_old, "epoll_ctl_old"),
            (EPOLL_WAIT_OLD, libc::SYS_epoll_wait_old, "epoll_wait_old"),
            (REMAP_FILE_PAGES, libc::SYS_remap_file_pages, "remap_file_pages"),
            (GETDENTS64, libc::SYS_getdents64, "getdents64"),
            (SET_TID_ADDRESS, libc::SYS_set_tid_address, "set_tid_address"),
            (RESTART_SYSCALL, libc::SYS_restart_syscall, "restart_syscall"),
            (SEMTIMEDOP, libc::SYS_semtimedop, "semtimedop"),
            (FADVISE64, libc::SYS_fadvise64, "fadvise64"),
            (TIMER_CREATE, libc::SYS_timer_create, "timer_create"),
            (TIMER_SETTIME, libc::SYS_timer_settime, "timer_settime"),
            (TIMER_GETTIME, libc::SYS_timer_gettime, "timer_gettime"),
            (TIMER_GETOVERRUN, libc::SYS_timer_getoverrun, "timer_getoverrun"),
            (TIMER_DELETE, libc::SYS_timer_delete, "timer_delete"),
            (CLOCK_SETTIME, libc::SYS_clock_settime, "clock_settime"),
            (CLOCK_GETTIME, libc::SYS_clock_gettime, "clock_gettime"),
            (CLOCK_GETRES, libc::SYS_clock_getres, "clock_getres"),
            (CLOCK_NANOSLEEP, libc::SYS_clock_nanosleep, "clock_nanosleep"),
            (EXIT_GROUP, libc::SYS_exit_group, "exit_group"),
            (EPOLL_WAIT, libc::SYS_epoll_wait, "epoll_wait"),
            (EPOLL_CTL, libc::SYS_epoll_ctl, "epoll_ctl"),
            (TGKILL, libc::SYS_tgkill, "tgkill"),
            (UTIMES, libc::SYS_utimes, "utimes"),
            (VSERVER, libc::SYS_vserver, "vserver"),
            (MBIND, libc::SYS_mbind, "mbind"),
            (SET_MEMPOLICY, libc::SYS_set_mempolicy, "set_mempolicy"),
            (GET_MEMPOLICY, libc::SYS_get_mempolicy, "get_mempolicy"),
            (MQ_OPEN, libc::SYS_mq_open, "mq_open"),
            (MQ_UNLINK, libc::SYS_mq_unlink, "mq_unlink"),
            (MQ_TIMEDSEND, libc::SYS_mq_timedsend, "mq_timedsend"),
            (MQ_TIMEDRECEIVE, libc::SYS_mq_timedreceive, "mq_timedreceive"),
            (MQ_NOTIFY, libc::SYS_mq_notify, "mq_notify"),
            (MQ_GETSETATTR, libc::SYS_mq_getsetattr, "mq_getsetattr"),
            (KEXEC_LOAD, libc::SYS_kexec_load, "kexec_load"),
            (WAITID, libc::SYS_waitid, "waitid"),
            (ADD_KEY, libc::SYS_add_key, "add_key"),
            (REQUEST_KEY, libc::SYS_request_key, "request_key"),
            (KEYCTL, libc::SYS_keyctl, "keyctl"),
            (IOPRIO_SET, libc::SYS_ioprio_set, "ioprio_set"),
            (IOPRIO_GET, libc::SYS_ioprio_get, "ioprio_get"),
            (INOTIFY_INIT, libc::SYS_inotify_init, "inotify_init"),
            (INOTIFY_ADD_WATCH, libc::SYS_inotify_add_watch, "inotify_add_watch"),
            (INOTIFY_RM_WATCH, libc::SYS_inotify_rm_watch, "inotify_rm_watch"),
            (MIGRATE_PAGES, libc::SYS_migrate_pages, "migrate_pages"),
            (OPENAT, libc::SYS_openat, "openat"),
            (MKDIRAT, libc::SYS_mkdirat, "mkdirat"),
            (MKNODAT, libc::SYS_mknodat, "mknodat"),
            (FCHOWNAT, libc::SYS_fchownat, "fchownat"),
            (FUTIMESAT, libc::SYS_futimesat, "futimesat"),
            (NEWFSTATAT, libc::SYS_newfstatat, "newfstatat"),
            (UNLINKAT, libc::SYS_unlinkat, "unlinkat"),
            (RENAMEAT, libc::SYS_renameat, "renameat"),
            (LINKAT, libc::SYS_linkat, "linkat"),
            (SYMLINKAT, libc::SYS_symlinkat, "symlinkat"),
            (READLINKAT, libc::SYS_readlinkat, "readlinkat"),
            (FCHMODAT, libc::SYS_fchmodat, "fchmodat"),
            (FACCESSAT, libc::SYS_faccessat, "faccessat"),
            (PSELECT6, libc::SYS_pselect6, "pselect6"),
            (PPOLL, libc::SYS_ppoll, "ppoll"),
            (UNSHARE, libc::SYS_unshare, "unshare"),
            (SET_ROBUST_LIST, libc::SYS_set_robust_list, "set_robust_list"),
            (GET_ROBUST_LIST, libc::SYS_get_robust_list, "get_robust_list"),
            (SPLICE, libc::SYS_splice, "splice"),
            (TEE, libc::SYS_tee, "tee"),
            (SYNC_FILE_RANGE, libc::SYS_sync_file_range, "sync_file_range"),
            (VMSPLICE, libc::SYS_vmsplice, "vmsplice"),
            (MOVE_PAGES, libc::SYS_move_pages, "move_pages"),
            (UTIMENSAT, libc::SYS_utimensat, "utimensat"),
            (EPOLL_PWAIT, libc::SYS_epoll_pwait, "epoll_pwait"),
            (SIGNALFD, libc::SYS_signalfd, "signalfd"),
            (TIMERFD_CREATE, libc::SYS_timerfd_create, "timerfd_create"),
            (EVENTFD, libc::SYS_eventfd, "eventfd"),
            (FALLOCATE, libc::SYS_fallocate, "fallocate"),
            (TIMERFD_SETTIME, libc::SYS_timerfd_settime, "timerfd_settime"),
            (TIMERFD_GETTIME, libc::SYS_timerfd_gettime, "timerfd_gettime"),
            (ACCEPT4, libc::SYS_accept4, "accept4"),
            (SIGNALFD4, libc::SYS_signalfd4, "signalfd4"),
            (EVENTFD2, libc::SYS_eventfd2, "eventfd2"),
            (EPOLL_CREATE1, libc::SYS_epoll_create1, "epoll_create1"),
            (DUP3, libc::SYS_dup3, "dup3"),
            (PIPE2, libc::SYS_pipe2, "pipe2"),
            (INOTIFY_INIT1, libc::SYS_inotify_init1, "inotify_init1"),
            (PREADV, libc::SYS_preadv, "preadv"),
            (PWRITEV, libc::SYS_pwritev, "pwritev"),
            (RT_TGSIGQUEUEINFO, libc::SYS_rt_tgsigqueueinfo, "rt_tgsigqueueinfo"),
            (PERF_EVENT_OPEN, libc::SYS_perf_event_open, "perf_event_open"),
            (RECVMMSG, libc::SYS_recvmmsg, "recvmmsg"),
            (FANOTIFY_INIT, libc::SYS_fanotify_init, "fanotify_init"),
            (FANOTIFY_MARK, libc::SYS_fanotify_mark, "fanotify_mark"),
            (PRLIMIT64, libc::SYS_prlimit64, "prlimit64"),
            (NAME_TO_HANDLE_AT, libc::SYS_name_to_handle_at, "name_to_handle_at"),
            (OPEN_BY_HANDLE_AT, libc::SYS_open_by_handle_at, "open_by_handle_at"),
            (CLOCK_ADJTIME, libc::SYS_clock_adjtime, "clock_adjtime"),
            (SYNCFS, libc::SYS_syncfs, "syncfs"),
            (SENDMMSG, libc::SYS_sendmmsg, "sendmmsg"),
            (SETNS, libc::SYS_setns, "setns"),
            (GETCPU, libc::SYS_getcpu, "getcpu"),
            (PROCESS_VM_READV, libc::SYS_process_vm_readv, "process_vm_readv"),
            (PROCESS_VM_WRITEV, libc::SYS_process_vm_writev, "process_vm_writev"),
            (KCMP, libc::SYS_kcmp, "kcmp"),
            (FINIT_MODULE, libc::SYS_finit_module, "finit_module"),
            (SCHED_SETATTR, libc::SYS_sched_setattr, "sched_setattr"),
            (SCHED_GETATTR, libc::SYS_sched_getattr, "sched_getattr"),
            (RENAMEAT2, libc::SYS_renameat2, "renameat2"),
            (SECCOMP, libc::SYS_seccomp, "seccomp"),
            (GETRANDOM, libc::SYS_getrandom, "getrandom"),
            (MEMFD_CREATE, libc::SYS_memfd_create, "memfd_create"),
            (KEXEC_FILE_LOAD, libc::SYS_kexec_file_load, "kexec_file_load"),
            (BPF, libc::SYS_bpf, "bpf"),
            (EXECVEAT, libc::SYS_execveat, "execveat"),
            (USERFAULTFD, libc::SYS_userfaultfd, "userfaultfd"),
            (MEMBARRIER, libc::SYS_membarrier, "membarrier"),
            (MLOCK2, libc::SYS_mlock2, "mlock2"),
            (COPY_FILE_RANGE, libc::SYS_copy_file_range, "copy_file_range"),
            (PREADV2, libc::SYS_preadv2, "preadv2"),
            (PWRITEV2, libc::SYS_pwritev2, "pwritev2"),
            (PKEY_MPROTECT, libc::SYS_pkey_mprotect, "pkey_mprotect"),
            (PKEY_ALLOC, libc::SYS_pkey_alloc, "pkey_alloc"),
            (PKEY_FREE, libc::SYS_pkey_free, "pkey_free"),
            (STATX, libc::SYS_statx, "statx"),
            (RSEQ, libc::SYS_rseq, "rseq"),
            (PIDFD_SEND_SIGNAL, libc::SYS_pidfd_send_signal, "pidfd_send_signal"),
            (IO_URING_SETUP, libc::SYS_io_uring_setup, "io_uring_setup"),
            (IO_URING_ENTER, libc::SYS_io_uring_enter, "io_uring_enter"),
            (IO_URING_REGISTER, libc::SYS_io_uring_register, "io_uring_register"),
            (OPEN_TREE, libc::SYS_open_tree, "open_tree"),
            (MOVE_MOUNT, libc::SYS_move_mount, "move_mount"),
            (FSOPEN, libc::SYS_fsopen, "fsopen"),
            (FSCONFIG, libc::SYS_fsconfig, "fsconfig"),
            (FSMOUNT, libc::SYS_fsmount, "fsmount"),
            (FSPICK, libc::SYS_fspick, "fspick"),
            (PIDFD_OPEN, libc::SYS_pidfd_open, "pidfd_open"),
            (CLONE3, libc::SYS_clone3, "clone3"),
            (CLOSE_RANGE, libc::SYS_close_range, "close_range"),
            (OPENAT2, libc::SYS_openat2, "openat2"),
            (PIDFD_GETFD, libc::SYS_pidfd_getfd, "pidfd_getfd"),
            (FACCESSAT2, libc::SYS_faccessat2, "faccessat2"),
            (PROCESS_MADVISE, libc::SYS_process_madvise, "process_madvise"),
            (EPOLL_PWAIT2, libc::SYS_epoll_pwait2, "epoll_pwait2"),
            (MOUNT_SETATTR, libc::SYS_mount_setattr, "mount_setattr"),
            (QUOTACTL_FD, libc::SYS_quotactl_fd, "quotactl_fd"),
            (LANDLOCK_CREATE_RULESET, libc::SYS_landlock_create_ruleset, "landlock_create_ruleset"),
            (LANDLOCK_ADD_RULE, libc::SYS_landlock_add_rule, "landlock_add_rule"),
            (LANDLOCK_RESTRICT_SELF, libc::SYS_landlock_restrict_self, "landlock_restrict_self"),
            (MEMFD_SECRET, libc::SYS_memfd_secret, "memfd_secret"),
            (PROCESS_MRELEASE, libc::SYS_process_mrelease, "process_mrelease"),
            (FUTEX_WAITV, libc::SYS_futex_waitv, "futex_waitv"),
            (SET_MEMPOLICY_HOME_NODE, libc::SYS_set_mempolicy_home_node, "set_mempolicy_home_node"),
            (FCHMODAT2, libc::SYS_fchmodat2, "fchmodat2"),
        ];
        for &(ours, linux, name) in checked {
            assert_eq!(ours as libc::c_long, linux, "{name}");
            assert_eq!(super::name(ours), Some(name));
        }
        for &(_, name) in ALL {
            let is_checked = checked.iter().any(|&(_, _, checked_name)| checked_name == name);
            assert!(is_checked || NOT_IN_LIBC.contains(&name), "{name} is checked");
        }
    }

    #[test]
    fn names_are_found_by_number() {
        assert!(ALL.windows(2).all(|w| w[0].0 < w[1].0), "sorted, no duplicates");
        assert_eq!(name(READ), Some("read"));
        assert_eq!(name(EXIT_GROUP), Some("exit_group"));
        assert_eq!(name(NEWFSTATAT), Some("newfstatat"));
        assert_eq!(name(FCHMODAT2), Some("fchmodat2"));
        assert_eq!(name(335), None);
        assert_eq!(name(usize::MAX), None);
    }
}
