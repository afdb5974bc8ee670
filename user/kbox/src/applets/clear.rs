//! `clear`: clears the terminal (cursor home, erase the screen, as the ANSI/VT100
//! sequences that Kestrel's console and xterm-like terminals understand).
use std::ffi::OsString;
use std::io::Write;

use ulib::args::Spec;

use crate::cli;

const PROGRAM: &str = "clear";

pub const USAGE: &str = "Usage: clear
Clear the terminal screen.";

const CLEAR_SCREEN: &[u8] = b"\x1b[H\x1b[2J";

pub fn run(args: Vec<OsString>) -> u8 {
    if let Err(status) = cli::parse_without_operands(PROGRAM, args, &Spec::NONE) {
        return status;
    }
    let mut out = cli::stdout();
    let result = out.write_all(CLEAR_SCREEN).map(|()| 0);
    cli::finish(PROGRAM, out, result)
}
