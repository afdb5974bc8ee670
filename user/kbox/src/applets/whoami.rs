//! `whoami`: prints the name of the effective user, from /etc/passwd (as GNU's,
//! an error when the uid has no name).
use std::ffi::OsString;

use ulib::args::Spec;
use ulib::diag::report;

use crate::cli;
use ulib::accounts::Accounts;

const PROGRAM: &str = "whoami";

pub const USAGE: &str = "Usage: whoami
Print the user name associated with the current effective user ID.";

pub fn run(args: Vec<OsString>) -> u8 {
    if let Err(status) = cli::parse_without_operands(PROGRAM, args, &Spec::NONE) {
        return status;
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    let uid = unsafe { libc::geteuid() };
    match Accounts::load().user_name(uid) {
        Some(name) => cli::print_line(PROGRAM, name),
        None => {
            report(PROGRAM, format_args!("cannot find name for user ID {uid}"));
            1
        }
    }
}
