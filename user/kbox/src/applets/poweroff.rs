//! `poweroff [-d DELAY] [-n] [-f]`: asks init to power the machine off (SIGUSR2),
//! or with `-f` does it at once (reboot's logic with LINUX_REBOOT_CMD_POWER_OFF).
use std::ffi::OsString;

use crate::applets::reboot;

const PROGRAM: &str = "poweroff";

pub const USAGE: &str = "Usage: poweroff [-d DELAY] [-n] [-f]
Power the system off: init runs its shutdown sequence.
  -d DELAY   wait DELAY seconds first
  -n         do not sync
  -f         force: power off at once, without init";

pub fn run(args: Vec<OsString>) -> u8 {
    reboot::shut_down(PROGRAM, args, libc::SIGUSR2, libc::LINUX_REBOOT_CMD_POWER_OFF)
}
