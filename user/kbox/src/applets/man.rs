//! `man [SECTION] NAME...`, `man -k KEYWORD`, `man -f NAME`: shows the manual pages
//! of /usr/share/man (the `manpages` crate), through $MANPAGER, $PAGER or `more`
//! when standard output is a terminal; -k lists the pages whose name or summary
//! contains KEYWORD (apropos), -f the summary of NAME (whatis). Status 16 when a
//! page is missing, as man-db's.
use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::process::{Command, Stdio};

use ulib::args::Spec;
use ulib::diag::report;

use crate::cli;

const PROGRAM: &str = "man";

pub const USAGE: &str = "Usage: man [SECTION] NAME...
  or:  man -k KEYWORD
  or:  man -f NAME...
Show the manual page of each command NAME (a program or a shell builtin).
  -k   list the pages whose name or summary contains KEYWORD (apropos)
  -f   print the one-line summary of each NAME (whatis)
Pages are in /usr/share/man (or the folders of $MANPATH); `help` lists them all.
On a terminal the page goes through $MANPAGER, $PAGER or more.";

const SPEC: Spec = Spec { flags: "fk", ..Spec::NONE };

/// man-db's status for a page it could not find.
const NOT_FOUND: u8 = 16;

/// Writes `text` to standard output, through a pager when that is a terminal.
fn show(text: &str) -> io::Result<()> {
    let pager = std::env::var("MANPAGER").or_else(|_| std::env::var("PAGER")).unwrap_or_else(|_| "more".into());
    if !io::stdout().is_terminal() || pager.is_empty() {
        let mut stdout = io::stdout().lock();
        return stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
    }
    let mut child = Command::new("/bin/sh").arg("-c").arg(&pager).stdin(Stdio::piped()).spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        // The pager may quit before reading it all (q): that is no error.
        let _ = stdin.write_all(text.as_bytes());
    }
    child.wait().map(|_| ())
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse_with_operands(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let dirs = manpages::folders();
    let names: Vec<String> = command_line.operands.iter().map(|name| name.to_string_lossy().into_owned()).collect();
    if command_line.has('k') || command_line.has('f') {
        let pages = manpages::index_all(&dirs);
        let mut text = String::new();
        let mut status = 0;
        for name in &names {
            let found: Vec<&(String, String)> = if command_line.has('k') {
                manpages::search(&pages, name)
            } else {
                pages.iter().filter(|(page, _)| page == name).collect()
            };
            if found.is_empty() {
                report(PROGRAM, format_args!("{name}: nothing appropriate."));
                status = NOT_FOUND;
            }
            text.push_str(&manpages::listing(found.iter().map(|(page, summary)| (page.as_str(), summary.as_str()))));
        }
        return match show(&text) {
            Ok(()) => status,
            Err(err) => cli::write_failed(PROGRAM, &err),
        };
    }
    // `man 1 ls`: a section number first is accepted (there is one section).
    let names = match names.split_first() {
        Some((first, rest)) if !rest.is_empty() && first.chars().all(|c| c.is_ascii_digit()) => rest,
        _ => &names[..],
    };
    let mut status = 0;
    for name in names {
        match manpages::find(&dirs, name) {
            Ok(page) => {
                if let Err(err) = show(&page) {
                    return cli::write_failed(PROGRAM, &err);
                }
            }
            Err(_) => {
                report(PROGRAM, format_args!("No manual entry for {name}"));
                status = NOT_FOUND;
            }
        }
    }
    status
}
