//! `reboot [-f]`: flushes the file systems with sync(2) and restarts the machine with
//! reboot(2); a failure (not root, say) is reported.
use std::ffi::{OsString, c_int};

use ulib::args::Spec;
use ulib::diag::{error_text, report};
use ulib::sys::check;

use crate::cli;

const PROGRAM: &str = "reboot";

pub const USAGE: &str = "Usage: reboot [-f]
Sync the file systems and restart the machine.
  -f   force (accepted: there is no init system to ask)";

/// The command line of reboot and poweroff: `-f` only.
const SPEC: Spec = Spec { flags: "f", ..Spec::NONE };

/// sync(2), then reboot(2) with `command`: returns only when the kernel refused.
pub fn sync_and_reboot(program: &str, args: Vec<OsString>, command: c_int) -> u8 {
    if let Err(status) = cli::parse_without_operands(program, args, &SPEC) {
        return status;
    }
    // SAFETY: sync and reboot take no pointers; reboot only returns when it fails.
    let result = unsafe {
        libc::sync();
        libc::reboot(command)
    };
    if let Err(err) = check(result) {
        report(program, error_text(&err));
    }
    1
}

pub fn run(args: Vec<OsString>) -> u8 {
    sync_and_reboot(PROGRAM, args, libc::LINUX_REBOOT_CMD_RESTART)
}
