//! `halt [-d DELAY] [-n] [-f]`: asks init to halt the machine (SIGUSR1), or with
//! `-f` does it at once (reboot's logic with LINUX_REBOOT_CMD_HALT).
use std::ffi::OsString;

use crate::applets::reboot;

const PROGRAM: &str = "halt";

pub const USAGE: &str = "Usage: halt [-d DELAY] [-n] [-f]
Halt the system: init runs its shutdown sequence.
  -d DELAY   wait DELAY seconds first
  -n         do not sync
  -f         force: halt at once, without init";

pub fn run(args: Vec<OsString>) -> u8 {
    reboot::shut_down(PROGRAM, args, libc::SIGUSR1, libc::LINUX_REBOOT_CMD_HALT)
}
