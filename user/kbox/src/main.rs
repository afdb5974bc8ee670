//! `kbox`: Kestrel's utilities in one binary, chosen by the name it runs under
//! (`/bin/ls -> kbox` runs ls), as busybox does; `kbox NAME ARGS...` runs one by name
//! and `kbox --list` prints the names, for the image build to make the links.
mod applets;
mod cli;
mod clock;
mod dump;
mod exec;
mod fileinfo;
mod human;
mod input;
mod mounts;
mod recurse;
mod target;
mod textdiff;
mod tty;
mod users;
mod walk;

use std::ffi::OsString;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "Usage: kbox NAME [ARG]...   or   NAME [ARG]...   (with NAME a link to kbox)
       kbox --list
Runs the utility NAME; --list prints the names, one per line.";

/// Which applet `argv0` names, and its arguments: the basename of argv[0], unless that
/// is `kbox` itself, when the first argument names it. `Err` is kbox's own answer.
fn choose(argv0: &OsString, mut args: Vec<OsString>) -> Result<(OsString, Vec<OsString>), u8> {
    let name = Path::new(argv0).file_name().map(OsString::from).unwrap_or_default();
    if name != "kbox" {
        return Ok((name, args));
    }
    if args.is_empty() {
        ulib::diag::report("kbox", "missing applet name\nTry 'kbox --help' for more information.");
        return Err(1);
    }
    let name = args.remove(0);
    let answer = |text: &str| {
        let mut stdout = io::stdout().lock();
        match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
            Ok(()) => 0,
            Err(_) => 1,
        }
    };
    match name.as_bytes() {
        b"--list" => {
            let names: String = applets::ALL.iter().map(|applet| format!("{}\n", applet.name)).collect();
            Err(answer(&names))
        }
        b"--help" => Err(answer(&format!("{USAGE}\n"))),
        _ => Ok((name, args)),
    }
}

fn main() -> ExitCode {
    // Like a C program, die quietly of SIGPIPE when a reader goes away (`yes | head`),
    // rather than std's default of ignoring it and failing writes with EPIPE. Should
    // that fail, writes fail with EPIPE instead, which is reported.
    let _ = ulib::jobctl::set_disposition(libc::SIGPIPE, ulib::jobctl::Disposition::Default);
    let mut args = std::env::args_os();
    let argv0 = args.next().unwrap_or_default();
    let status = match choose(&argv0, args.collect()) {
        Ok((name, args)) => match applets::find(&name.to_string_lossy()) {
            Some(applet) => cli::run(applet, args),
            None => {
                ulib::diag::report(&name.to_string_lossy(), "applet not found");
                127
            }
        },
        Err(status) => status,
    };
    ExitCode::from(status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::words;

    #[test]
    fn the_link_name_chooses() {
        assert_eq!(choose(&"/bin/ls".into(), words("-l /")), Ok(("ls".into(), words("-l /"))));
        assert_eq!(choose(&"cat".into(), Vec::new()), Ok(("cat".into(), Vec::new())));
    }

    #[test]
    fn kbox_takes_the_name_from_its_first_argument() {
        assert_eq!(choose(&"/bin/kbox".into(), words("ls -l")), Ok(("ls".into(), words("-l"))));
        assert_eq!(choose(&"kbox".into(), Vec::new()), Err(1));
    }

    #[test]
    fn applet_names_are_sorted_and_unique() {
        let names: Vec<&str> = applets::ALL.iter().map(|applet| applet.name).collect();
        assert!(names.windows(2).all(|pair| pair[0] < pair[1]), "{names:?}");
        assert!(names.iter().all(|name| applets::find(name).is_some()));
        assert!(applets::find("kbox").is_none());
    }

    #[test]
    fn every_usage_starts_with_its_name() {
        for applet in applets::ALL {
            let rest = applet.usage.strip_prefix(&format!("Usage: {}", applet.name));
            assert!(rest.is_some_and(|rest| rest.starts_with([' ', '\n'])), "{}", applet.name);
        }
    }
}
