//! `true`: do nothing, successfully.
use std::ffi::OsString;

pub const USAGE: &str = "Usage: true [ignored command line arguments]
Exit with a status code indicating success.";

pub fn run(_args: Vec<OsString>) -> u8 {
    0
}
