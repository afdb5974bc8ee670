//! `false`: do nothing, unsuccessfully.
use std::ffi::OsString;

pub const USAGE: &str = "Usage: false [ignored command line arguments]
Exit with a status code indicating failure.";

pub fn run(_args: Vec<OsString>) -> u8 {
    1
}
