//! Signals: the standard Linux signals with their names, strsignal texts and default
//! actions, and the `rt_sigaction`, `rt_sigprocmask` and `sigaltstack` constants.

/// What happens when a signal arrives with no handler installed (`signal(7)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultAction {
    /// Terminate the process.
    Terminate,
    /// Terminate the process and dump core (the wait status has the core bit).
    CoreDump,
    /// Ignore the signal.
    Ignore,
    /// Stop the process.
    Stop,
    /// Continue the process if it is stopped.
    Continue,
}

macro_rules! signals {
    ($($name:ident = $value:literal, $action:ident, $text:literal;)*) => {
        /// A standard Linux signal (1..=31). Real-time signals (32..=64) are plain
        /// numbers; their default action is to terminate.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum Signal {
            $(#[doc = $text] $name = $value,)*
        }

        impl Signal {
            /// Every standard signal, in increasing order of number.
            pub const ALL: &[Signal] = &[$(Signal::$name,)*];

            /// The symbolic name, such as `"SIGSEGV"`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Signal::$name => stringify!($name),)*
                }
            }

            /// The text `strsignal` gives on Linux (glibc), such as
            /// `"Segmentation fault"`; shells print it for killed children.
            pub const fn description(self) -> &'static str {
                match self {
                    $(Signal::$name => $text,)*
                }
            }

            /// What the signal does when no handler is installed.
            pub const fn default_action(self) -> DefaultAction {
                match self {
                    $(Signal::$name => DefaultAction::$action,)*
                }
            }

            /// The signal with this number, if it is a standard one.
            pub const fn from_raw(number: u32) -> Option<Signal> {
                match number {
                    $($value => Some(Signal::$name),)*
                    _ => None,
                }
            }
        }
    };
}

signals! {
    SIGHUP = 1, Terminate, "Hangup";
    SIGINT = 2, Terminate, "Interrupt";
    SIGQUIT = 3, CoreDump, "Quit";
    SIGILL = 4, CoreDump, "Illegal instruction";
    SIGTRAP = 5, CoreDump, "Trace/breakpoint trap";
    SIGABRT = 6, CoreDump, "Aborted";
    SIGBUS = 7, CoreDump, "Bus error";
    SIGFPE = 8, CoreDump, "Floating point exception";
    SIGKILL = 9, Terminate, "Killed";
    SIGUSR1 = 10, Terminate, "User defined signal 1";
    SIGSEGV = 11, CoreDump, "Segmentation fault";
    SIGUSR2 = 12, Terminate, "User defined signal 2";
    SIGPIPE = 13, Terminate, "Broken pipe";
    SIGALRM = 14, Terminate, "Alarm clock";
    SIGTERM = 15, Terminate, "Terminated";
    SIGSTKFLT = 16, Terminate, "Stack fault";
    SIGCHLD = 17, Ignore, "Child exited";
    SIGCONT = 18, Continue, "Continued";
    SIGSTOP = 19, Stop, "Stopped (signal)";
    SIGTSTP = 20, Stop, "Stopped";
    SIGTTIN = 21, Stop, "Stopped (tty input)";
    SIGTTOU = 22, Stop, "Stopped (tty output)";
    SIGURG = 23, Ignore, "Urgent I/O condition";
    SIGXCPU = 24, CoreDump, "CPU time limit exceeded";
    SIGXFSZ = 25, CoreDump, "File size limit exceeded";
    SIGVTALRM = 26, Terminate, "Virtual timer expired";
    SIGPROF = 27, Terminate, "Profiling timer expired";
    SIGWINCH = 28, Ignore, "Window changed";
    SIGIO = 29, Terminate, "I/O possible";
    SIGPWR = 30, Terminate, "Power failure";
    SIGSYS = 31, CoreDump, "Bad system call";
}

impl Signal {
    /// This signal's bit in a 64-bit signal mask (bit `number - 1`).
    pub const fn mask_bit(self) -> u64 {
        1 << (self as u8 - 1)
    }
}

impl core::fmt::Display for Signal {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// The number of signals (`_NSIG`); signal numbers are 1..=64.
pub const NSIG: u32 = 64;
/// The first real-time signal number as the kernel counts (libcs reserve a few).
pub const SIGRTMIN: u32 = 32;
/// The signals no mask can block and no handler can catch: SIGKILL and SIGSTOP.
pub const UNBLOCKABLE_MASK: u64 = Signal::SIGKILL.mask_bit() | Signal::SIGSTOP.mask_bit();

// Special handler values in `SigAction::sa_handler`.
pub const SIG_DFL: u64 = 0;
pub const SIG_IGN: u64 = 1;

// `SigAction::sa_flags`.
pub const SA_NOCLDSTOP: u64 = 0x1;
pub const SA_NOCLDWAIT: u64 = 0x2;
pub const SA_SIGINFO: u64 = 0x4;
/// `sa_restorer` is set: return from the handler through it (x86-64 libcs always set it).
pub const SA_RESTORER: u64 = 0x0400_0000;
pub const SA_ONSTACK: u64 = 0x0800_0000;
pub const SA_RESTART: u64 = 0x1000_0000;
pub const SA_NODEFER: u64 = 0x4000_0000;
pub const SA_RESETHAND: u64 = 0x8000_0000;

// rt_sigprocmask `how`.
pub const SIG_BLOCK: u32 = 0;
pub const SIG_UNBLOCK: u32 = 1;
pub const SIG_SETMASK: u32 = 2;

// sigaltstack.
pub const SS_ONSTACK: i32 = 1;
pub const SS_DISABLE: i32 = 2;
pub const MINSIGSTKSZ: u64 = 2048;
pub const SIGSTKSZ: u64 = 8192;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_linux_numbers() {
        let pairs = [
            (Signal::SIGHUP, libc::SIGHUP),
            (Signal::SIGINT, libc::SIGINT),
            (Signal::SIGQUIT, libc::SIGQUIT),
            (Signal::SIGILL, libc::SIGILL),
            (Signal::SIGTRAP, libc::SIGTRAP),
            (Signal::SIGABRT, libc::SIGABRT),
            (Signal::SIGBUS, libc::SIGBUS),
            (Signal::SIGFPE, libc::SIGFPE),
            (Signal::SIGKILL, libc::SIGKILL),
            (Signal::SIGUSR1, libc::SIGUSR1),
            (Signal::SIGSEGV, libc::SIGSEGV),
            (Signal::SIGUSR2, libc::SIGUSR2),
            (Signal::SIGPIPE, libc::SIGPIPE),
            (Signal::SIGALRM, libc::SIGALRM),
            (Signal::SIGTERM, libc::SIGTERM),
            (Signal::SIGSTKFLT, libc::SIGSTKFLT),
            (Signal::SIGCHLD, libc::SIGCHLD),
            (Signal::SIGCONT, libc::SIGCONT),
            (Signal::SIGSTOP, libc::SIGSTOP),
            (Signal::SIGTSTP, libc::SIGTSTP),
            (Signal::SIGTTIN, libc::SIGTTIN),
            (Signal::SIGTTOU, libc::SIGTTOU),
            (Signal::SIGURG, libc::SIGURG),
            (Signal::SIGXCPU, libc::SIGXCPU),
            (Signal::SIGXFSZ, libc::SIGXFSZ),
            (Signal::SIGVTALRM, libc::SIGVTALRM),
            (Signal::SIGPROF, libc::SIGPROF),
            (Signal::SIGWINCH, libc::SIGWINCH),
            (Signal::SIGIO, libc::SIGIO),
            (Signal::SIGPWR, libc::SIGPWR),
            (Signal::SIGSYS, libc::SIGSYS),
        ];
        assert_eq!(pairs.len(), Signal::ALL.len());
        for (signal, linux) in pairs {
            assert_eq!(signal as i32, linux, "{signal}");
            assert_eq!(Signal::from_raw(linux as u32), Some(signal));
        }
        assert_eq!(Signal::from_raw(0), None);
        assert_eq!(Signal::from_raw(SIGRTMIN), None);
        assert_eq!(Signal::SIGSEGV.description(), "Segmentation fault");
        assert_eq!(Signal::SIGCHLD.default_action(), DefaultAction::Ignore);
        assert_eq!(UNBLOCKABLE_MASK, (1 << 8) | (1 << 18));
    }

    #[test]
    fn constants_are_linux_values() {
        assert_eq!(NSIG, 64);
        assert_eq!(SIG_DFL, libc::SIG_DFL as u64);
        assert_eq!(SIG_IGN, libc::SIG_IGN as u64);
        let flags: &[(u64, libc::c_int, &str)] = &[
            (SA_NOCLDSTOP, libc::SA_NOCLDSTOP, "SA_NOCLDSTOP"),
            (SA_NOCLDWAIT, libc::SA_NOCLDWAIT, "SA_NOCLDWAIT"),
            (SA_SIGINFO, libc::SA_SIGINFO, "SA_SIGINFO"),
            (SA_ONSTACK, libc::SA_ONSTACK, "SA_ONSTACK"),
            (SA_RESTART, libc::SA_RESTART, "SA_RESTART"),
            (SA_NODEFER, libc::SA_NODEFER, "SA_NODEFER"),
            (SA_RESETHAND, libc::SA_RESETHAND, "SA_RESETHAND"),
        ];
        for &(ours, linux, name) in flags {
            assert_eq!(ours, linux as u32 as u64, "{name}");
        }
        assert_eq!(SIG_BLOCK, libc::SIG_BLOCK as u32);
        assert_eq!(SIG_UNBLOCK, libc::SIG_UNBLOCK as u32);
        assert_eq!(SIG_SETMASK, libc::SIG_SETMASK as u32);
        assert_eq!(SS_ONSTACK, libc::SS_ONSTACK);
        assert_eq!(SS_DISABLE, libc::SS_DISABLE);
        assert_eq!(MINSIGSTKSZ, libc::MINSIGSTKSZ as u64);
        assert_eq!(SIGSTKSZ, libc::SIGSTKSZ as u64);
    }
}
