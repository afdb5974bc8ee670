//! `du [-achksx] [-d N] [FILE]...`: disk use (st_blocks, as GNU counts it) of each
//! FILE and the directories below it, a file with several hard links counted once.
use std::collections::HashSet;
use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use ulib::args::Spec;
use ulib::diag::{quoted, report_error};

use crate::cli;
use crate::human::human_size;
use crate::walk::child;

const PROGRAM: &str = "du";

pub const USAGE: &str = "Usage: du [OPTION]... [FILE]...
Summarize device usage of the set of FILEs, recursively for directories.
  -a         write counts for all files, not just directories
  -c         produce a grand total
  -d N       print the total for a directory only if it is N or fewer levels
             below the command line argument
  -h         print sizes in human readable format (e.g., 1K 234M 2G)
  -k         like --block-size=1K (the default)
  -s         display only a total for each argument
  -x         skip directories on different file systems";

const SPEC: Spec = Spec { flags: "achksx", valued: "d", ..Spec::NONE };

struct Du<W: Write> {
    out: W,
    all: bool,
    human: bool,
    max_depth: usize,
    one_file_system: Option<u64>,
    /// Files already counted: those with several links, and (with several operands,
    /// which may overlap) every file.
    seen: HashSet<(u64, u64)>,
    remember_all: bool,
    status: u8,
}

impl<W: Write> Du<W> {
    fn print(&mut self, bytes: u64, path: &Path) -> io::Result<()> {
        let size = if self.human { human_size(bytes) } else { bytes.div_ceil(1024).to_string() };
        write!(self.out, "{size}\t")?;
        self.out.write_all(path.as_os_str().as_bytes())?;
        self.out.write_all(b"\n")
    }

    /// The bytes `path` and what is below it use, printing as it goes.
    fn measure(&mut self, path: &Path, metadata: &fs::Metadata, depth: usize) -> io::Result<u64> {
        let linked = metadata.nlink() > 1 && !metadata.is_dir();
        if (linked || self.remember_all) && !self.seen.insert((metadata.dev(), metadata.ino())) {
            return Ok(0);
        }
        let mut bytes = metadata.blocks() * 512;
        let other_device = self.one_file_system.is_some_and(|device| device != metadata.dev());
        if metadata.is_dir() && !other_device {
            match fs::read_dir(path) {
                Ok(entries) => {
                    for entry in entries {
                        let name = entry?.file_name();
                        let child = child(path, &name);
                        match fs::symlink_metadata(&child) {
                            Ok(metadata) => bytes += self.measure(&child, &metadata, depth + 1)?,
                            Err(err) => self.fail("cannot access", &child, &err),
                        }
                    }
                }
                Err(err) => self.fail("cannot read directory", path, &err),
            }
        }
        if depth <= self.max_depth && (metadata.is_dir() || self.all || depth == 0) {
            self.print(bytes, path)?;
        }
        Ok(bytes)
    }

    fn fail(&mut self, what: &str, path: &Path, err: &io::Error) {
        report_error(PROGRAM, format_args!("{what} {}", quoted(path.display())), err);
        self.status = 1;
    }
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let mut max_depth = usize::MAX;
    if let Some(depth) = command_line.value('d') {
        match depth.to_str().and_then(|depth| depth.parse().ok()) {
            Some(depth) => max_depth = depth,
            None => {
                return cli::usage_error(PROGRAM, format_args!("invalid maximum depth {}", quoted(depth.display())));
            }
        }
    }
    if command_line.has('s') {
        if command_line.value('d').is_some_and(|depth| depth != "0") {
            return cli::usage_error(PROGRAM, "cannot both summarize and show all entries");
        }
        if command_line.has('a') {
            return cli::usage_error(PROGRAM, "cannot both summarize and show all entries");
        }
        max_depth = 0;
    }
    let mut operands = command_line.operands.clone();
    if operands.is_empty() {
        operands.push(".".into());
    }
    let mut du = Du {
        out: cli::stdout(),
        all: command_line.has('a'),
        human: command_line.last_of("hk") == Some('h'),
        max_depth,
        one_file_system: None,
        seen: HashSet::new(),
        remember_all: operands.len() > 1,
        status: 0,
    };
    let result = (|| {
        let mut total = 0;
        for operand in &operands {
            let path = Path::new(operand);
            match fs::symlink_metadata(path) {
                Ok(metadata) => {
                    du.one_file_system = command_line.has('x').then(|| metadata.dev());
                    total += du.measure(path, &metadata, 0)?;
                }
                Err(err) => du.fail("cannot access", path, &err),
            }
        }
        if command_line.has('c') {
            du.print(total, Path::new("total"))?;
        }
        Ok(du.status)
    })();
    cli::finish(PROGRAM, du.out, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn du_of(path: &Path, all: bool, max_depth: usize) -> String {
        let mut du = Du {
            out: Vec::new(),
            all,
            human: false,
            max_depth,
            one_file_system: None,
            seen: HashSet::new(),
            remember_all: false,
            status: 0,
        };
        let metadata = fs::symlink_metadata(path).unwrap();
        du.measure(path, &metadata, 0).unwrap();
        String::from_utf8(du.out).unwrap()
    }

    #[test]
    fn directories_after_their_contents_hard_links_once() {
        let base = std::env::temp_dir().join(format!("kbox-du-{}", std::process::id()));
        fs::create_dir_all(base.join("d/e")).unwrap();
        fs::write(base.join("d/e/f"), vec![1; 10000]).unwrap();
        fs::hard_link(base.join("d/e/f"), base.join("d/g")).unwrap();
        let block = |path: &str| fs::symlink_metadata(base.join(path)).unwrap().blocks() * 512;
        let text = du_of(&base.join("d"), true, usize::MAX);
        let lines: Vec<&str> = text.lines().collect();
        let base_text = base.display();
        assert_eq!(lines.len(), 3, "{text}");
        let file = block("d/e/f");
        let file_line = |name: &str| format!("{}\t{base_text}/d/{name}", file.div_ceil(1024));
        let first_link = lines.contains(&file_line("e/f").as_str());
        assert!(first_link != lines.contains(&file_line("g").as_str()), "one link of two: {text}");
        let e_size = (block("d/e") + if first_link { file } else { 0 }).div_ceil(1024);
        assert!(lines.contains(&format!("{e_size}\t{base_text}/d/e").as_str()), "{text}");
        let total = block("d") + block("d/e") + file;
        assert_eq!(lines[2], format!("{}\t{base_text}/d", total.div_ceil(1024)));
        let summary = du_of(&base.join("d"), false, 0);
        assert_eq!(summary, format!("{}\t{base_text}/d\n", total.div_ceil(1024)));
        fs::remove_dir_all(&base).unwrap();
    }
}
