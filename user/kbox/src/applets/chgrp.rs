//! `chgrp [-Rhcfv] GROUP FILE...`: `chown :GROUP` in chgrp's words.
use std::ffi::OsString;

use ulib::diag::quoted;

use super::chown::{Owner, group_id, run_as};

const PROGRAM: &str = "chgrp";

pub const USAGE: &str = "Usage: chgrp [OPTION]... GROUP FILE...
Change the group of each FILE to GROUP (a name or a number).
  -c   like verbose but report only when a change is made
  -f   suppress most error messages
  -h   affect symbolic links instead of any referenced file
  -v   output a diagnostic for every file processed
  -R   operate on files and directories recursively";

pub fn run(args: Vec<OsString>) -> u8 {
    run_as(PROGRAM, args, |accounts, group| match group_id(accounts, group) {
        Some(gid) => Ok(Owner { uid: None, gid: Some(gid) }),
        None => Err(format!("invalid group: {}", quoted(group))),
    })
}
