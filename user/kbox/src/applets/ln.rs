//! `ln [-fnsv] TARGET [LINK]`, `ln ... TARGET... DIRECTORY`: makes hard links, or
//! symbolic links with `-s` (whose target text is kept as given).
use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::symlink;
use std::path::Path;

use ulib::args::Spec;
use ulib::diag::{quoted, report_error};

use crate::cli;
use crate::target;

const PROGRAM: &str = "ln";

pub const USAGE: &str = "Usage: ln [OPTION]... TARGET [LINK_NAME]
  or:  ln [OPTION]... TARGET... DIRECTORY
Create a link to TARGET with the name LINK_NAME (by default TARGET's name in the
current directory), or links to each TARGET in DIRECTORY. Hard links by default.
  -f   remove existing destination files
  -n   treat LINK_NAME as a normal file if it is a symbolic link to a directory
  -s   make symbolic links instead of hard links
  -v   print the name of each linked file";

const SPEC: Spec = Spec { flags: "fnsv", ..Spec::NONE };

struct Linker {
    symbolic: bool,
    force: bool,
    verbose: bool,
}

impl Linker {
    fn link(&self, target: &Path, link: &Path) -> bool {
        if !self.symbolic
            && let Err(err) = fs::symlink_metadata(target)
        {
            report_error(PROGRAM, format_args!("failed to access {}", quoted(target.display())), &err);
            return false;
        }
        if self.force && fs::symlink_metadata(link).is_ok_and(|metadata| !metadata.is_dir()) {
            // Whatever stops the removal stops the link too, and is reported then.
            let _ = fs::remove_file(link);
        }
        let (made, kind) =
            if self.symbolic { (symlink(target, link), "symbolic") } else { (fs::hard_link(target, link), "hard") };
        match made {
            Ok(()) => {
                if self.verbose {
                    // The link exists; a failing report of it changes nothing.
                    let _ = writeln!(io::stdout(), "{} -> {}", quoted(link.display()), quoted(target.display()));
                }
                true
            }
            Err(err) => {
                report_error(PROGRAM, format_args!("failed to create {kind} link {}", quoted(link.display())), &err);
                false
            }
        }
    }
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let linker =
        Linker { symbolic: command_line.has('s'), force: command_line.has('f'), verbose: command_line.has('v') };
    let follow_last = !command_line.has('n');
    let mut operands = command_line.operands;
    if operands.len() == 1 {
        operands.push(".".into());
    }
    let pairs = match target::pairs(PROGRAM, operands, follow_last) {
        Ok(pairs) => pairs,
        Err(status) => return status,
    };
    let mut status = 0;
    for (target, link) in pairs {
        if !linker.link(&target, &link) {
            status = 1;
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hard_and_symbolic_links() {
        let base = std::env::temp_dir().join(format!("kbox-ln-{}", std::process::id()));
        fs::create_dir_all(&base).unwrap();
        fs::write(base.join("file"), b"x").unwrap();
        let hard = Linker { symbolic: false, force: false, verbose: false };
        let soft = Linker { symbolic: true, force: false, verbose: false };
        assert!(hard.link(&base.join("file"), &base.join("hard")));
        assert!(soft.link(Path::new("file"), &base.join("soft")));
        assert!(!soft.link(Path::new("other"), &base.join("soft")));
        assert!(Linker { force: true, ..soft }.link(Path::new("other"), &base.join("soft")));
        assert!(!hard.link(&base.join("missing"), &base.join("nothing")));
        let target = fs::read_link(base.join("soft")).unwrap();
        let content = fs::read_to_string(base.join("hard")).unwrap();
        fs::remove_dir_all(&base).unwrap();
        assert_eq!(target, Path::new("other"));
        assert_eq!(content, "x");
    }
}
