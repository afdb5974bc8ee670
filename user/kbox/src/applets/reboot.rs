//! `reboot [-f]`: flushes the file systems with sync(2) and restarts the machine with
//! reboot(2); a failure (not root, say) is reported.
use std::ffi::{OsString, c_int};
use std::io;

use ulib::args::Spec;
use ulib::diag::{error_text, report};

use crate::cli;

const PROGRAM: &str = "reboot";

pub const USAGE: &str = "Usage: reboot [-f]
Sync the file systems and restart the machine.
  -f   force (accepted: there is no init system to ask)";

/// The command line of reboot and poweroff: `-f` only.
const SPEC: Spec = Spec { flags: "f", ..Spec::NONE };

/// sync(2), then reboot(2) with `command`: returns only when the kernel refused.
pub fn sync_and_reboot(program: &str, args: Vec<OsString>, command: c_int) -> u8 {
    match cli::parse(program, args, &SPEC) {
        Ok(command_line) if command_line.operands.is_empty() => {}
        Ok(command_line) => {
            let extra = ulib::diag::quoted(command_line.operands[0].display());
            return cli::usage_error(program, format_args!("extra operand {extra}"));
        }
        Err(status) => return status,
    }
    // SAFETY: sync and reboot take no pointers; reboot only returns when it fails.
    let result = unsafe {
        libc::sync();
        libc::reboot(command)
    };
    if result != 0 {
        report(program, error_text(&io::Error::last_os_error()));
    }
    1
}

pub fn run(args: Vec<OsString>) -> u8 {
    sync_and_reboot(PROGRAM, args, libc::LINUX_REBOOT_CMD_RESTART)
}
