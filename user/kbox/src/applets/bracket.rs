//! `[ EXPRESSION ]`: `test` (the module `test`) with the closing `]` it requires.
use std::ffi::OsString;

use super::test::{expressions, status, strings};

pub const USAGE: &str = concat!("Usage: [ EXPRESSION ]\n  or:  test EXPRESSION\n", expressions!());

pub fn run(args: Vec<OsString>) -> u8 {
    status("[", &strings(args), true)
}
