//! `chgrp [-Rhcfv] GROUP FILE...`: `chown :GROUP` in chgrp's words.
use std::ffi::OsString;

use ulib::diag::{quoted, report};

use super::chown::{Chown, Owner, SPEC, group_id};
use crate::cli;
use crate::users::Accounts;

const PROGRAM: &str = "chgrp";

pub const USAGE: &str = "Usage: chgrp [OPTION]... GROUP FILE...
Change the group of each FILE to GROUP (a name or a number).
  -c   like verbose but report only when a change is made
  -f   suppress most error messages
  -h   affect symbolic links instead of any referenced file
  -v   output a diagnostic for every file processed
  -R   operate on files and directories recursively";

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse_with_operands(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let (group, operands) = command_line.operands.split_first().expect("an operand");
    if operands.is_empty() {
        return cli::usage_error(PROGRAM, format_args!("missing operand after {}", quoted(group.display())));
    }
    let accounts = Accounts::load();
    let Some(gid) = group_id(&accounts, &group.to_string_lossy()) else {
        report(PROGRAM, format_args!("invalid group: {}", quoted(group.display())));
        return 1;
    };
    let chgrp = Chown {
        program: PROGRAM,
        owner: Owner { uid: None, gid: Some(gid) },
        accounts,
        dereference: !command_line.has('h'),
        verbose: command_line.last_of("cv"),
        silent: command_line.has('f'),
    };
    chgrp.run(operands, command_line.has('R'))
}
