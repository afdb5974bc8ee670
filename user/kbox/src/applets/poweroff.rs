//! `poweroff [-f]`: flushes the file systems and powers the machine off (reboot's
//! logic with LINUX_REBOOT_CMD_POWER_OFF).
use std::ffi::OsString;

use crate::applets::reboot;

const PROGRAM: &str = "poweroff";

pub const USAGE: &str = "Usage: poweroff [-f]
Sync the file systems and power the machine off.
  -f   force (accepted: there is no init system to ask)";

pub fn run(args: Vec<OsString>) -> u8 {
    reboot::sync_and_reboot(PROGRAM, args, libc::LINUX_REBOOT_CMD_POWER_OFF)
}
