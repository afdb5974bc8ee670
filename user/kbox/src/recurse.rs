//! The walk `chmod`, `chown` and `chgrp` share: each operand and, with -R, what is
//! below it (symbolic links below an operand never followed), with GNU's messages for
//! what cannot be reached.
use std::ffi::OsString;
use std::fs::Metadata;
use std::path::Path;

use ulib::diag::{quoted, report_error};

use crate::walk::walk;

/// Calls `change` on each file with its metadata (of the link itself, unless it is
/// an operand and `follow_operands`); `change` says whether it succeeded. The status:
/// 1 when anything failed.
pub fn change_each(
    program: &str,
    operands: &[OsString],
    recursive: bool,
    follow_operands: bool,
    change: &mut dyn FnMut(&Path, &Metadata) -> bool,
) -> u8 {
    let mut status = 0;
    let depth = if recursive { usize::MAX } else { 0 };
    for operand in operands {
        walk(Path::new(operand), follow_operands, depth, &mut |visit| {
            let metadata = match visit.metadata {
                Ok(metadata) => metadata,
                Err(err) => {
                    report_error(program, format_args!("cannot access {}", quoted(visit.path.display())), err);
                    status = 1;
                    return false;
                }
            };
            if !change(visit.path, metadata) {
                status = 1;
            }
            if let Some(err) = visit.unreadable {
                report_error(program, format_args!("cannot read directory {}", quoted(visit.path.display())), err);
                status = 1;
            }
            true
        });
    }
    status
}
