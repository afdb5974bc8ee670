//! A worker: the forked child that sets up its fuzzing environment (own process
//! group, /dev/null as stdout and stderr, the pool at its numbers, the arena, a
//! periodic SIGALRM that breaks blocking calls) and then loops: generate a call,
//! record it, issue it. Its upkeep puts back every so often what the calls may have
//! taken (the arena, the pool, the directory, the thread pointer, the alarm). From
//! the first call on it uses raw syscalls only, no libc and no heap.
use std::ffi::c_int;

use sysfuzz::layout::{
    self, ARENA_BASE, ARENA_LEN, BACKUP_FD_BASE, EXEC_PATH_TEXT, FdKind, GUARD_PAGE, PAGE, POOL_END, POOL_FDS,
    RECORD_FD, SCRATCH_LEN, scratch,
};
use sysfuzz::prng::{Purpose, Rng};
use sysfuzz::record::{RECORD_SIZE, Record};
use sysfuzz::rules::effective_nr;
use sysfuzz::{Call, Context, Generator};

use super::raw;

/// Full upkeep (a fresh arena and pool) every so many calls.
pub const MAINTAIN_EVERY: u64 = 512;
/// The alarm re-armed and SIGALRM unblocked every so many calls.
const REARM_EVERY: u64 = 64;
/// Ended children reaped every so many calls (and after each fork).
const REAP_EVERY: u64 = 32;
/// SIGALRM's period: no blocking call lasts longer than this unless a call
/// changed the alarm.
const ALARM_PERIOD_US: u64 = 100_000;
/// Descriptors past the pool closed by the upkeep (the calls open them from here).
const CLOSED_BY_UPKEEP: c_int = 64;

/// A worker's exit codes besides those of fuzzed exit calls.
pub const EXIT_SETUP: c_int = 120;
pub const EXIT_RECORD: c_int = 121;
pub const EXIT_ARENA: c_int = 122;
pub const EXIT_ORPHANED: c_int = 123;

/// What a worker's exit code means, if it is one of the above.
pub fn exit_meaning(code: c_int) -> Option<&'static str> {
    match code {
        EXIT_SETUP => Some("set-up failed"),
        EXIT_RECORD => Some("record file unusable"),
        EXIT_ARENA => Some("arena could not be mapped"),
        EXIT_ORPHANED => Some("supervisor gone"),
        _ => None,
    }
}

/// What a worker is given.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    pub seed: u64,
    pub worker: u32,
    pub generation: u32,
    pub supervisor_pid: i32,
    /// The record file's path, NUL-terminated (None: a replay, which records nothing).
    pub record_path: Option<[u8; 64]>,
}

/// `path` NUL-terminated in a fixed buffer (no heap: a fuzzed brk may take it).
pub fn path_buffer(path: &str) -> [u8; 64] {
    let mut buffer = [0; 64];
    assert!(path.len() < buffer.len(), "{path} is too long");
    buffer[..path.len()].copy_from_slice(path.as_bytes());
    buffer
}

#[derive(Debug)]
pub struct Worker {
    params: Params,
    pid: i32,
    fs_base: u64,
}

extern "C" fn on_alarm(_: c_int) {}

impl Worker {
    /// Sets up the environment in a freshly forked child; exits on failure.
    pub fn set_up(params: Params) -> Self {
        // SAFETY: setpgid(0, 0) only makes this process the leader of a new group.
        if unsafe { libc::setpgid(0, 0) } != 0 {
            raw::exit_now(EXIT_SETUP);
        }
        for signal in [libc::SIGPIPE, libc::SIGHUP, libc::SIGIO, libc::SIGINT, libc::SIGTERM] {
            // The defaults: a worker may die of these (the supervisor ignores or
            // catches some of them).
            let _ = ktest::set_action(signal, ktest::Action::Default, 0, ktest::Signals::EMPTY);
        }
        // SIGTTIN and SIGTTOU stay ignored (inherited): a worker reading the
        // terminal from its background group gets EIO instead of stopping until
        // the hang timeout.
        let worker = Self { params, pid: raw::getpid(), fs_base: raw::fs_base() };
        if let Some(path) = params.record_path {
            worker.open_record(&path);
        }
        // Everything the supervisor had open besides the backups goes.
        for fd in POOL_END..256 {
            raw::close(fd);
        }
        worker.maintain(0);
        worker
    }

    /// The context its calls are generated in.
    pub fn context(&self) -> Context {
        Context { own_pid: self.pid, supervisor_pid: self.params.supervisor_pid }
    }

    fn open_record(&self, path: &[u8; 64]) {
        let end = path.iter().position(|&b| b == 0).expect("a NUL-terminated path");
        let fd = raw::open(&path[..=end], libc::O_WRONLY | libc::O_CLOEXEC);
        if fd < 0 || raw::dup2(fd as c_int, RECORD_FD) < 0 {
            raw::exit_now(EXIT_RECORD);
        }
        raw::close(fd as c_int);
    }

    /// The upkeep: a fresh arena (scratch filled for `round`, the guard page
    /// inaccessible), the pool back at its numbers, /dev/null on 1 and 2 and nothing
    /// on 0, descriptors the calls opened closed, the workers' directory as current
    /// directory, the thread pointer, the alarm; and the end if the supervisor is
    /// gone (the worker then belongs to init, and nothing would ever stop it).
    pub fn maintain(&self, round: u64) {
        // SAFETY: the arena is reached by address only: no reference points into it.
        if unsafe { raw::mmap_fixed(ARENA_BASE, ARENA_LEN, libc::PROT_READ | libc::PROT_WRITE) } != ARENA_BASE as i64 {
            raw::exit_now(EXIT_ARENA);
        }
        // SAFETY: the scratch pages were just mapped readable and writable, and this
        // is the only reference to them while it lives.
        let scratch_bytes = unsafe { std::slice::from_raw_parts_mut(ARENA_BASE as *mut u8, SCRATCH_LEN as usize) };
        let p = &self.params;
        layout::fill_scratch(
            scratch_bytes,
            &mut Rng::for_stream(p.seed, p.worker, p.generation, Purpose::Fill { round }),
        );
        // SAFETY: the guard page is in the arena, which nothing refers to.
        unsafe { raw::mprotect(GUARD_PAGE, PAGE, libc::PROT_NONE) };
        for (fd, _) in POOL_FDS {
            // A kind the supervisor could not open (/dev/tty) stays a closed number.
            if raw::dup2(BACKUP_FD_BASE + fd, fd) < 0 {
                raw::close(fd);
            }
        }
        let dev_null = BACKUP_FD_BASE + layout::pool_fd(FdKind::DevNull);
        raw::dup2(dev_null, 1);
        raw::dup2(dev_null, 2);
        raw::close(0);
        for fd in POOL_END..POOL_END + CLOSED_BY_UPKEEP {
            raw::close(fd);
        }
        raw::fchdir(BACKUP_FD_BASE + layout::pool_fd(FdKind::Directory));
        raw::set_fs_base(self.fs_base);
        self.rearm_alarm();
        if raw::getppid() != p.supervisor_pid {
            raw::exit_now(EXIT_ORPHANED);
        }
    }

    fn rearm_alarm(&self) {
        raw::set_handler(libc::SIGALRM, on_alarm);
        raw::unblock(libc::SIGALRM);
        raw::alarm_every(ALARM_PERIOD_US);
    }

    /// Writes the record of `call`; a record file that will not take it is put
    /// back once, and then the worker ends.
    fn record(&self, call: &Call) {
        let bytes = Record { call: *call, pid: self.pid as u32 }.encode();
        for attempt in 0..3 {
            if raw::pwrite(RECORD_FD, &bytes, 0) == RECORD_SIZE as i64 {
                return;
            }
            if let (1, Some(path)) = (attempt, self.params.record_path) {
                self.open_record(&path);
            }
        }
        raw::exit_now(EXIT_RECORD);
    }

    /// Issues `call` (with /bin/true in place for an exec call that runs it) and
    /// returns the kernel's result.
    pub fn issue(&self, call: &Call) -> i64 {
        let exec_slot = scratch(layout::EXEC_PATH);
        let runs_true = runs_true(call);
        if runs_true {
            // The arena is fresh (maintain ran just before): writable.
            // SAFETY: the slot is in the scratch page, mapped writable, which no
            // reference points into.
            unsafe {
                std::ptr::copy_nonoverlapping(EXEC_PATH_TEXT.as_ptr(), exec_slot as *mut u8, EXEC_PATH_TEXT.len())
            };
        }
        let result = if is_fork_like(call) {
            // SAFETY: the rules took CLONE_VM and CLONE_PARENT out; the child exits
            // at once.
            unsafe { raw::fork_like6(call.nr, call.args) }
        } else {
            // SAFETY: the rules keep the call off the worker's stack, code, record
            // and backups, and away from other processes (sysfuzz::rules).
            unsafe { raw::syscall6(call.nr, call.args) }
        };
        if runs_true {
            // SAFETY: as above; a failed exec call changes no mapping.
            unsafe { std::ptr::write_bytes(exec_slot as *mut u8, 0, EXEC_PATH_TEXT.len()) };
        }
        result
    }

    /// The campaign loop: never returns (the supervisor kills the worker).
    pub fn run(self) -> ! {
        let p = self.params;
        let mut generator = Generator::new(p.seed, p.worker, p.generation, self.context());
        loop {
            let call = generator.next_call();
            let index = call.id.index;
            if (index > 0 && index.is_multiple_of(MAINTAIN_EVERY)) || runs_true(&call) {
                self.maintain(index / MAINTAIN_EVERY);
            } else if index.is_multiple_of(REARM_EVERY) {
                self.rearm_alarm();
            }
            self.record(&call);
            let result = self.issue(&call);
            if disturbs_alarm(&call) {
                self.rearm_alarm();
            }
            if (is_fork_like(&call) && result > 0) || index.is_multiple_of(REAP_EVERY) {
                for _ in 0..64 {
                    if raw::reap_one() <= 0 {
                        break;
                    }
                }
            }
        }
    }
}

/// Whether `call` is an exec call given the /bin/true slot as its path (which then
/// needs a fresh, writable arena to write the path into).
fn runs_true(call: &Call) -> bool {
    let exec_slot = scratch(layout::EXEC_PATH);
    match effective_nr(call.nr) as usize {
        kabi::nr::EXECVE => call.args[0] == exec_slot,
        kabi::nr::EXECVEAT => call.args[1] == exec_slot,
        _ => false,
    }
}

/// Whether `call` may have changed the alarm, SIGALRM's action or the signal
/// mask: the worker's alarm is put back after it (else the next blocking call
/// could wait until the hang timeout).
fn disturbs_alarm(call: &Call) -> bool {
    use kabi::nr::{ALARM, RT_SIGACTION, RT_SIGPROCMASK, SETITIMER};
    matches!(effective_nr(call.nr) as usize, ALARM | SETITIMER | RT_SIGPROCMASK | RT_SIGACTION)
}

/// Whether `call` may create a process (whose child must exit at once).
fn is_fork_like(call: &Call) -> bool {
    matches!(effective_nr(call.nr) as usize, kabi::nr::CLONE | kabi::nr::FORK | kabi::nr::VFORK | kabi::nr::CLONE3)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    use sysfuzz::CallId;

    /// In a forked child (never in the test process): a worker's set-up, its
    /// record, a benign call, its arena and its alarm. No generated call is made.
    #[test]
    fn a_worker_sets_up_records_and_issues() {
        let path = format!("/tmp/sysfuzz-test-{}.rec", std::process::id());
        fs::write(&path, b"").unwrap();
        let params = Params {
            seed: 5,
            worker: 2,
            generation: 1,
            supervisor_pid: std::process::id() as i32,
            record_path: Some(path_buffer(&path)),
        };
        let call = Call {
            id: CallId { seed: 5, worker: 2, generation: 1, index: 7 },
            nr: kabi::nr::GETPID as u64,
            args: [0; 6],
        };
        let child = ktest::spawn(|| {
            // The pool's backups: /dev/null for all (fchdir to it fails, harmlessly).
            let null = raw::open(b"/dev/null\0", libc::O_RDWR) as c_int;
            for (fd, _) in POOL_FDS {
                raw::dup2(null, BACKUP_FD_BASE + fd);
            }
            let worker = Worker::set_up(params);
            worker.record(&call);
            if worker.issue(&call) != i64::from(raw::getpid()) {
                return 1;
            }
            // SAFETY: the scratch page is mapped and readable after set-up.
            let first = unsafe { std::slice::from_raw_parts(scratch(layout::FUZZ_FILE_PATH) as *const u8, 15) };
            if first != b"/tmp/fuzz-file\0" {
                return 2;
            }
            let zero = raw::open(b"/dev/zero\0", libc::O_RDONLY);
            let read = |addr: u64| {
                // SAFETY: read stores one byte at `addr`: the last scratch byte, or the
                // guard page (which must refuse it).
                unsafe { raw::syscall6(kabi::nr::READ as u64, [zero as u64, addr, 1, 0, 0, 0]) }
            };
            if read(layout::GUARD_EDGE) != 1 || raw::errno_of(read(GUARD_PAGE)) != Some(libc::EFAULT) {
                return 3;
            }
            // The alarm breaks a read that would block for ever.
            let mut ends = [0 as c_int; 2];
            // SAFETY: pipe stores two descriptors into `ends`.
            unsafe { raw::syscall6(kabi::nr::PIPE as u64, [ends.as_mut_ptr() as u64, 0, 0, 0, 0, 0]) };
            let mut byte = [0u8];
            // SAFETY: read stores at most one byte into `byte`.
            let blocked =
                unsafe { raw::syscall6(kabi::nr::READ as u64, [ends[0] as u64, byte.as_mut_ptr() as u64, 1, 0, 0, 0]) };
            if raw::errno_of(blocked) != Some(libc::EINTR) {
                return 4;
            }
            0
        })
        .unwrap();
        let status = ktest::wait_for(child).unwrap();
        let bytes = fs::read(&path).unwrap();
        fs::remove_file(&path).unwrap();
        ktest::expect_exit(status, 0).unwrap();
        assert_eq!(Record::decode(&bytes), Some(Record { call, pid: child as u32 }));
    }
}
