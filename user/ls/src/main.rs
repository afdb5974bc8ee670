//! `ls [-al1] [path...]`: lists files and directories, one name per line, sorted by
//! name (byte order); `-a` shows dot files, `-l` adds the mode string and size (`-1`,
//! one per line, is what ls always does here). Files named on the command line come
//! first, then each directory's contents, under a `dir:` header when there are several.
use std::ffi::{OsStr, OsString};
use std::fs::{self, Metadata};
use std::io::{self, BufWriter, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ulib::diag::{report, report_error};

const PROGRAM: &str = "ls";

// File-type bits of st_mode, as Linux defines them.
const TYPE_MASK: u32 = 0o170_000;
const TYPE_SOCKET: u32 = 0o140_000;
const TYPE_SYMLINK: u32 = 0o120_000;
const TYPE_REGULAR: u32 = 0o100_000;
const TYPE_BLOCK_DEVICE: u32 = 0o060_000;
const TYPE_DIRECTORY: u32 = 0o040_000;
const TYPE_CHAR_DEVICE: u32 = 0o020_000;
const TYPE_FIFO: u32 = 0o010_000;
const SET_UID: u32 = 0o4000;
const SET_GID: u32 = 0o2000;
const STICKY: u32 = 0o1000;

/// `drwxr-xr-x`: the file type, then read/write/execute for owner, group and others,
/// with set-user-ID, set-group-ID and sticky shown as s/S and t/T in the execute places.
fn mode_string(mode: u32) -> String {
    let kind = match mode & TYPE_MASK {
        TYPE_DIRECTORY => 'd',
        TYPE_SYMLINK => 'l',
        TYPE_CHAR_DEVICE => 'c',
        TYPE_BLOCK_DEVICE => 'b',
        TYPE_FIFO => 'p',
        TYPE_SOCKET => 's',
        TYPE_REGULAR => '-',
        _ => '?',
    };
    let mut text = String::from(kind);
    let classes = [(6, SET_UID, 's'), (3, SET_GID, 's'), (0, STICKY, 't')];
    for (shift, special_bit, special_char) in classes {
        let bits = (mode >> shift) & 0o7;
        text.push(if bits & 0o4 != 0 { 'r' } else { '-' });
        text.push(if bits & 0o2 != 0 { 'w' } else { '-' });
        let execute = bits & 0o1 != 0;
        text.push(match (mode & special_bit != 0, execute) {
            (true, true) => special_char,
            (true, false) => special_char.to_ascii_uppercase(),
            (false, true) => 'x',
            (false, false) => '-',
        });
    }
    text
}

/// What `-l` shows besides the name.
#[derive(Debug, PartialEq, Eq)]
struct Details {
    mode: u32,
    size: u64,
    link_target: Option<PathBuf>,
}

impl Details {
    fn of(path: &Path, metadata: &Metadata) -> Self {
        let link_target = if metadata.file_type().is_symlink() { fs::read_link(path).ok() } else { None };
        Self { mode: metadata.mode(), size: metadata.size(), link_target }
    }
}

/// One output line (with its newline): the name, after the details when there are any.
fn entry_line(name: &OsStr, details: Option<&Details>) -> Vec<u8> {
    let mut line = Vec::new();
    if let Some(details) = details {
        line.extend_from_slice(format!("{} {:>8} ", mode_string(details.mode), details.size).as_bytes());
    }
    line.extend_from_slice(name.as_bytes());
    if let Some(target) = details.and_then(|details| details.link_target.as_ref()) {
        line.extend_from_slice(b" -> ");
        line.extend_from_slice(target.as_os_str().as_bytes());
    }
    line.push(b'\n');
    line
}

/// The names a directory listing shows, sorted: dot files only with `-a`, which also
/// adds `.` and `..` (read_dir leaves those out).
fn listed_names(entries: Vec<OsString>, show_all: bool) -> Vec<OsString> {
    let mut names: Vec<OsString> =
        entries.into_iter().filter(|name| show_all || !name.as_bytes().starts_with(b".")).collect();
    if show_all {
        names.extend([".".into(), "..".into()]);
    }
    names.sort();
    names
}

/// Writes listings to `out`, reporting unreadable paths on stderr as it goes.
struct Lister<W: Write> {
    out: W,
    show_all: bool,
    long: bool,
    failed: bool,
}

impl<W: Write> Lister<W> {
    /// One line for `path`, shown as `name`; `metadata` is only needed for `-l`.
    fn entry(&mut self, name: &OsStr, path: &Path, metadata: Option<&Metadata>) -> io::Result<()> {
        let details = metadata.map(|metadata| Details::of(path, metadata));
        self.out.write_all(&entry_line(name, details.as_ref()))
    }

    fn directory(&mut self, directory: &Path) -> io::Result<()> {
        let entries =
            match fs::read_dir(directory).and_then(|entries| entries.map(|entry| Ok(entry?.file_name())).collect()) {
                Ok(entries) => entries,
                Err(err) => {
                    self.complain(directory, &err);
                    return Ok(());
                }
            };
        for name in listed_names(entries, self.show_all) {
            let path = directory.join(&name);
            if !self.long {
                self.entry(&name, &path, None)?;
                continue;
            }
            match fs::symlink_metadata(&path) {
                Ok(metadata) => self.entry(&name, &path, Some(&metadata))?,
                Err(err) => self.complain(&path, &err),
            }
        }
        Ok(())
    }

    fn complain(&mut self, path: &Path, err: &io::Error) {
        report_error(PROGRAM, path.display(), err);
        self.failed = true;
    }

    /// Lists the operands: files first, then directories, as GNU ls orders them.
    fn operands(&mut self, mut operands: Vec<OsString>) -> io::Result<()> {
        let with_headers = operands.len() > 1;
        operands.sort();
        let mut directories = Vec::new();
        let mut files = Vec::new();
        for operand in operands {
            let path = PathBuf::from(&operand);
            // Without -l a symbolic link to a directory lists the directory.
            let looked_up = if self.long {
                fs::symlink_metadata(&path)
            } else {
                fs::metadata(&path).or_else(|_| fs::symlink_metadata(&path))
            };
            match looked_up {
                Ok(metadata) if metadata.is_dir() => directories.push(path),
                Ok(metadata) => files.push((operand, metadata)),
                Err(err) => self.complain(&path, &err),
            }
        }
        for (name, metadata) in &files {
            let metadata = self.long.then_some(metadata);
            self.entry(name, Path::new(name), metadata)?;
        }
        for (index, directory) in directories.iter().enumerate() {
            if index > 0 || !files.is_empty() {
                self.out.write_all(b"\n")?;
            }
            if with_headers {
                self.out.write_all(directory.as_os_str().as_bytes())?;
                self.out.write_all(b":\n")?;
            }
            self.directory(directory)?;
        }
        self.out.flush()
    }
}

fn main() -> ExitCode {
    let command_line = match ulib::args::parse(std::env::args_os().skip(1), "al1") {
        Ok(command_line) => command_line,
        Err(invalid) => {
            report(PROGRAM, invalid);
            return ExitCode::FAILURE;
        }
    };
    let mut lister = Lister {
        out: BufWriter::new(io::stdout().lock()),
        show_all: command_line.has('a'),
        long: command_line.has('l'),
        failed: false,
    };
    let mut operands = command_line.operands;
    if operands.is_empty() {
        operands.push(".".into());
    }
    if let Err(err) = lister.operands(operands) {
        report_error(PROGRAM, "write error", &err);
        return ExitCode::FAILURE;
    }
    if lister.failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn mode_strings() {
        assert_eq!(mode_string(TYPE_DIRECTORY | 0o755), "drwxr-xr-x");
        assert_eq!(mode_string(TYPE_REGULAR | 0o644), "-rw-r--r--");
        assert_eq!(mode_string(TYPE_SYMLINK | 0o777), "lrwxrwxrwx");
        assert_eq!(mode_string(TYPE_CHAR_DEVICE | 0o620), "crw--w----");
        assert_eq!(mode_string(TYPE_BLOCK_DEVICE | 0o660), "brw-rw----");
        assert_eq!(mode_string(TYPE_FIFO | 0o600), "prw-------");
        assert_eq!(mode_string(TYPE_SOCKET | 0o777), "srwxrwxrwx");
        assert_eq!(mode_string(0o000), "?---------");
    }

    #[test]
    fn special_bits() {
        assert_eq!(mode_string(TYPE_REGULAR | SET_UID | 0o755), "-rwsr-xr-x");
        assert_eq!(mode_string(TYPE_REGULAR | SET_UID | 0o644), "-rwSr--r--");
        assert_eq!(mode_string(TYPE_REGULAR | SET_GID | 0o755), "-rwxr-sr-x");
        assert_eq!(mode_string(TYPE_REGULAR | SET_GID | 0o640), "-rw-r-S---");
        assert_eq!(mode_string(TYPE_DIRECTORY | STICKY | 0o777), "drwxrwxrwt");
        assert_eq!(mode_string(TYPE_DIRECTORY | STICKY | 0o770), "drwxrwx--T");
    }

    #[test]
    fn short_and_long_lines() {
        assert_eq!(entry_line(OsStr::new("motd"), None), b"motd\n");
        let file = Details { mode: TYPE_REGULAR | 0o644, size: 286, link_target: None };
        assert_eq!(
            String::from_utf8(entry_line(OsStr::new("motd"), Some(&file))).unwrap(),
            "-rw-r--r--      286 motd\n"
        );
        let link = Details { mode: TYPE_SYMLINK | 0o777, size: 7, link_target: Some("busybox".into()) };
        assert_eq!(
            String::from_utf8(entry_line(OsStr::new("sh"), Some(&link))).unwrap(),
            "lrwxrwxrwx        7 sh -> busybox\n"
        );
    }

    #[test]
    fn names_are_sorted_and_dot_files_hidden() {
        let entries = ["b", ".hidden", "a", "B"].map(OsString::from).to_vec();
        assert_eq!(listed_names(entries, false), ["B", "a", "b"].map(OsString::from));
    }

    #[test]
    fn all_shows_dot_files_and_the_two_links() {
        let entries = ["b", ".hidden"].map(OsString::from).to_vec();
        assert_eq!(listed_names(entries, true), [".", "..", ".hidden", "b"].map(OsString::from));
    }

    #[test]
    fn lists_a_directory_and_reports_a_missing_path() {
        let directory = std::env::temp_dir().join(format!("ls-test-{}", std::process::id()));
        fs::create_dir_all(directory.join("sub")).unwrap();
        fs::write(directory.join("file"), b"12345").unwrap();
        fs::set_permissions(directory.join("file"), fs::Permissions::from_mode(0o644)).unwrap();
        let mut lister = Lister { out: Vec::new(), show_all: false, long: true, failed: false };
        let missing = directory.join("missing");
        lister.operands(vec![directory.clone().into(), missing.into()]).unwrap();
        let listing = String::from_utf8(lister.out).unwrap();
        fs::remove_dir_all(&directory).unwrap();
        assert!(lister.failed);
        let lines: Vec<&str> = listing.lines().collect();
        assert_eq!(lines[0], format!("{}:", directory.display()));
        assert_eq!(lines[1], "-rw-r--r--        5 file");
        assert!(lines[2].starts_with("drwx") && lines[2].ends_with(" sub"));
        assert_eq!(lines.len(), 3);
    }
}
