//! `ls [-1aACdhlnrRt] [--color[=WHEN]] [FILE]...`: lists files and directories, sorted
//! by name in byte order (the C locale), in columns across the terminal when standard
//! output is one and one per line otherwise. `-l` shows GNU's long format: mode, link
//! count, owner and group (names from /etc/passwd and /etc/group), size, modification
//! date and `-> target` for links. Names are coloured on a terminal (directories blue,
//! executables green, links cyan). Files named as operands come first, then each
//! directory's contents, under a `dir:` header when there are several; -R lists the
//! subdirectories below them too (never through symbolic links), each under its header.
use std::cmp::Ordering;
use std::env;
use std::ffi::OsString;
use std::fs::{self, Metadata};
use std::io::{self, IsTerminal, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use ulib::args::Spec;
use ulib::diag::{quoted, report_error};
use ulib::term::window_size;

use crate::cli;
use crate::clock;
use crate::fileinfo::{self, TYPE_BLOCK_DEVICE, TYPE_CHAR_DEVICE, TYPE_DIRECTORY, TYPE_FIFO, TYPE_MASK, TYPE_REGULAR};
use crate::fileinfo::{TYPE_SOCKET, TYPE_SYMLINK};
use crate::human::human_size;
use crate::users::Accounts;
use crate::walk::child;

const PROGRAM: &str = "ls";

pub const USAGE: &str = "Usage: ls [OPTION]... [FILE]...
List information about the FILEs (the current directory by default).
  -a             do not ignore entries starting with .
  -A             do not list implied . and ..
  -C             list entries by columns
  -d             list directories themselves, not their contents
  -h             with -l, print sizes like 1K 234M 2G
  -l             use a long listing format
  -n             like -l, but list numeric user and group IDs
  -r             reverse order while sorting
  -R             list subdirectories recursively
  -t             sort by time, newest first
  -1             list one file per line
  --color[=WHEN] color the names: 'always' (the default of --color), 'auto' (on a
                 terminal: the default) or 'never'
Exit status is 0 if OK, 1 if minor problems (e.g., cannot access subdirectory),
2 if serious trouble (e.g., cannot access command-line argument).";

const SPEC: Spec = Spec { flags: "aACdhlnrRt1", long: &["color"], ..Spec::NONE };

/// GNU's colours for the file types it colours by default.
fn colour(metadata: &Metadata) -> Option<&'static str> {
    match metadata.mode() & TYPE_MASK {
        TYPE_DIRECTORY => Some("01;34"),
        TYPE_SYMLINK => Some("01;36"),
        TYPE_FIFO => Some("40;33"),
        TYPE_SOCKET => Some("01;35"),
        TYPE_CHAR_DEVICE | TYPE_BLOCK_DEVICE => Some("40;33;01"),
        TYPE_REGULAR if metadata.mode() & 0o111 != 0 => Some("01;32"),
        _ => None,
    }
}

/// The date column: month, day and time for the last six months, else the year.
fn date_column(mtime: i64, now: i64) -> String {
    const SIX_MONTHS: i64 = 31_556_952 / 2;
    let recent = mtime <= now && now - mtime < SIX_MONTHS;
    let format = if recent { "%b %e %H:%M" } else { "%b %e  %Y" };
    clock::format(format, &clock::civil(mtime, 0))
}

/// One listed file.
struct Entry {
    /// What the listing shows: the operand, or the name in its directory.
    name: OsString,
    metadata: Metadata,
    link_target: Option<PathBuf>,
}

impl Entry {
    fn new(name: OsString, path: &Path, metadata: Metadata) -> Self {
        let link_target = if metadata.file_type().is_symlink() { fs::read_link(path).ok() } else { None };
        Self { name, metadata, link_target }
    }
}

/// The size column: the size, or a device's `major, minor`.
#[derive(Debug, PartialEq, Eq)]
enum SizeField {
    Size(String),
    Device(u64, u64),
}

/// An entry's `-l` columns before alignment.
#[derive(Debug)]
struct LongRow {
    mode: String,
    links: u64,
    owner: String,
    group: String,
    size: SizeField,
    date: String,
}

/// The `-l` lines' prefixes (everything before the name), aligned as GNU aligns them:
/// counts and sizes to the right, names of owners and groups to the left.
fn align_long(rows: &[LongRow]) -> Vec<String> {
    let widest = |width: fn(&LongRow) -> usize| rows.iter().map(width).max().unwrap_or(0);
    let links = widest(|row| row.links.to_string().len());
    let owner = widest(|row| row.owner.len());
    let group = widest(|row| row.group.len());
    let major = widest(|row| match row.size {
        SizeField::Device(major, _) => major.to_string().len(),
        SizeField::Size(_) => 0,
    });
    let minor = widest(|row| match row.size {
        SizeField::Device(_, minor) => minor.to_string().len(),
        SizeField::Size(_) => 0,
    });
    let device_width = if major > 0 { major + 2 + minor } else { 0 };
    let size = widest(|row| match &row.size {
        SizeField::Size(size) => size.len(),
        SizeField::Device(..) => 0,
    })
    .max(device_width);
    rows.iter()
        .map(|row| {
            let size_text = match &row.size {
                SizeField::Size(text) => text.clone(),
                SizeField::Device(major_number, minor_number) => {
                    format!("{major_number:>major$}, {minor_number:>minor$}")
                }
            };
            format!(
                "{} {:>links$} {:<owner$} {:<group$} {size_text:>size$} {} ",
                row.mode, row.links, row.owner, row.group, row.date
            )
        })
        .collect()
}

/// How many rows, and each column's width with the two spaces after it, to show
/// names of `widths` in columns (filled top to bottom) within `line_width`: as many
/// columns as fit, by GNU's rule (every column at least 3 wide, the total less than
/// the line).
fn column_layout(widths: &[usize], line_width: usize) -> (usize, Vec<usize>) {
    const MIN_COLUMN_WIDTH: usize = 3;
    let layout = |columns: usize| {
        let rows = widths.len().div_ceil(columns);
        let mut column_widths = vec![MIN_COLUMN_WIDTH; columns];
        for (index, width) in widths.iter().enumerate() {
            let column = index / rows;
            let spaced = width + if column + 1 == columns { 0 } else { 2 };
            column_widths[column] = column_widths[column].max(spaced);
        }
        (rows, column_widths)
    };
    let most = widths.len().min(line_width / MIN_COLUMN_WIDTH);
    (2..=most)
        .rev()
        .map(layout)
        .find(|(_, column_widths)| column_widths.iter().sum::<usize>() < line_width)
        .unwrap_or_else(|| layout(1))
}

/// Moves from column `from` to column `to` as GNU ls does, with tabs (every 8
/// columns) where they fit and spaces elsewhere.
fn indent(line: &mut Vec<u8>, mut from: usize, to: usize) {
    const TAB_SIZE: usize = 8;
    while from < to {
        if to / TAB_SIZE > (from + 1) / TAB_SIZE {
            line.push(b'\t');
            from += TAB_SIZE - from % TAB_SIZE;
        } else {
            line.push(b' ');
            from += 1;
        }
    }
}

/// How names are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Long,
    OnePerLine,
    Columns(usize),
}

/// The listing's settings and state.
struct Lister<W: Write> {
    out: W,
    format: Format,
    show_all: bool,
    almost_all: bool,
    directories_as_files: bool,
    recursive: bool,
    human: bool,
    numeric_ids: bool,
    reverse: bool,
    by_time: bool,
    colour: bool,
    /// Whether the colour reset that GNU writes before the first colour is out.
    colour_started: bool,
    accounts: Accounts,
    now: i64,
    status: u8,
}

impl<W: Write> Lister<W> {
    fn complain(&mut self, subject: impl std::fmt::Display, err: &io::Error, status: u8) {
        report_error(PROGRAM, subject, err);
        self.status = self.status.max(status);
    }

    fn sort(&self, entries: &mut [Entry]) {
        entries.sort_by(|a, b| {
            let order = if self.by_time {
                (b.metadata.mtime(), b.metadata.mtime_nsec()).cmp(&(a.metadata.mtime(), a.metadata.mtime_nsec()))
            } else {
                Ordering::Equal
            };
            order.then_with(|| a.name.as_bytes().cmp(b.name.as_bytes()))
        });
        if self.reverse {
            entries.reverse();
        }
    }

    /// The name as shown, coloured when colour is on.
    fn shown_name(&mut self, entry: &Entry) -> Vec<u8> {
        let name = entry.name.as_bytes();
        match colour(&entry.metadata).filter(|_| self.colour) {
            Some(code) => {
                let reset = if self.colour_started { "" } else { "\x1b[0m" };
                self.colour_started = true;
                [format!("{reset}\x1b[{code}m").as_bytes(), name, b"\x1b[0m"].concat()
            }
            None => name.to_vec(),
        }
    }

    fn long_row(&self, entry: &Entry) -> LongRow {
        let metadata = &entry.metadata;
        let size = if fileinfo::is_device(metadata.mode()) {
            let (major, minor) = fileinfo::major_minor(metadata.rdev());
            SizeField::Device(major, minor)
        } else if self.human {
            SizeField::Size(human_size(metadata.size()))
        } else {
            SizeField::Size(metadata.size().to_string())
        };
        let (owner, group) = if self.numeric_ids {
            (metadata.uid().to_string(), metadata.gid().to_string())
        } else {
            (self.accounts.user_or_number(metadata.uid()), self.accounts.group_or_number(metadata.gid()))
        };
        LongRow {
            mode: fileinfo::mode_string(metadata.mode()),
            links: metadata.nlink(),
            owner,
            group,
            size,
            date: date_column(metadata.mtime(), self.now),
        }
    }

    /// Writes `entries` in the listing's format.
    fn write_entries(&mut self, entries: &[Entry]) -> io::Result<()> {
        match self.format {
            Format::Long => {
                let rows: Vec<LongRow> = entries.iter().map(|entry| self.long_row(entry)).collect();
                for (prefix, entry) in align_long(&rows).into_iter().zip(entries) {
                    let mut line = prefix.into_bytes();
                    line.extend(self.shown_name(entry));
                    if let Some(target) = &entry.link_target {
                        line.extend_from_slice(b" -> ");
                        line.extend_from_slice(target.as_os_str().as_bytes());
                    }
                    line.push(b'\n');
                    self.out.write_all(&line)?;
                }
            }
            Format::OnePerLine => {
                for entry in entries {
                    let mut line = self.shown_name(entry);
                    line.push(b'\n');
                    self.out.write_all(&line)?;
                }
            }
            Format::Columns(line_width) => {
                let widths: Vec<usize> =
                    entries.iter().map(|entry| entry.name.to_string_lossy().chars().count()).collect();
                let (rows, column_widths) = column_layout(&widths, line_width);
                for row in 0..rows {
                    let mut line = Vec::new();
                    let (mut index, mut position) = (row, 0);
                    for width in &column_widths {
                        line.extend(self.shown_name(&entries[index]));
                        let next = index + rows;
                        if next >= entries.len() {
                            break;
                        }
                        indent(&mut line, position + widths[index], position + width);
                        position += width;
                        index = next;
                    }
                    line.push(b'\n');
                    self.out.write_all(&line)?;
                }
            }
        }
        Ok(())
    }

    /// The entries of `directory` that the listing shows (`.` and `..` with `-a`).
    fn read_directory(&mut self, directory: &Path) -> Option<Vec<Entry>> {
        let names: io::Result<Vec<OsString>> =
            fs::read_dir(directory).and_then(|entries| entries.map(|entry| Ok(entry?.file_name())).collect());
        let mut names = match names {
            Ok(names) => names,
            Err(err) => {
                self.complain(format_args!("cannot open directory {}", quoted(directory.display())), &err, 2);
                return None;
            }
        };
        if self.show_all {
            names.extend([".".into(), "..".into()]);
        }
        let mut entries = Vec::new();
        for name in names {
            if name.as_bytes().starts_with(b".") && !self.show_all && !self.almost_all {
                continue;
            }
            let path = directory.join(&name);
            match fs::symlink_metadata(&path) {
                Ok(metadata) => entries.push(Entry::new(name, &path, metadata)),
                Err(err) => self.complain(format_args!("cannot access {}", quoted(path.display())), &err, 1),
            }
        }
        self.sort(&mut entries);
        Some(entries)
    }

    /// Lists a directory's entries (after a blank line when output came before, under a
    /// `dir:` header when asked), and with -R then each subdirectory's in the same way.
    fn list_directory(&mut self, directory: &Path, after_output: bool, with_header: bool) -> io::Result<()> {
        if after_output {
            self.out.write_all(b"\n")?;
        }
        if with_header {
            self.out.write_all(directory.as_os_str().as_bytes())?;
            self.out.write_all(b":\n")?;
        }
        let Some(entries) = self.read_directory(directory) else { return Ok(()) };
        if self.format == Format::Long {
            let blocks = entries.iter().map(|entry| entry.metadata.blocks()).sum::<u64>().div_ceil(2);
            let total = if self.human { human_size(blocks * 1024) } else { blocks.to_string() };
            writeln!(self.out, "total {total}")?;
        }
        self.write_entries(&entries)?;
        if self.recursive {
            for entry in
                entries.iter().filter(|entry| entry.metadata.is_dir() && entry.name != "." && entry.name != "..")
            {
                self.list_directory(&child(directory, &entry.name), true, true)?;
            }
        }
        Ok(())
    }

    /// Lists the operands: files first, then directories, as GNU ls orders them.
    fn operands(&mut self, operands: Vec<OsString>) -> io::Result<()> {
        let with_headers = operands.len() > 1;
        let mut files = Vec::new();
        let mut directories = Vec::new();
        for operand in operands {
            let path = PathBuf::from(&operand);
            // A symbolic link to a directory lists the directory, except with -l or -d.
            let follow = self.format != Format::Long && !self.directories_as_files;
            let looked_up =
                fs::symlink_metadata(&path).map(|metadata| match metadata.file_type().is_symlink() && follow {
                    true => fs::metadata(&path).unwrap_or(metadata),
                    false => metadata,
                });
            match looked_up {
                Ok(metadata) if metadata.is_dir() && !self.directories_as_files => {
                    directories.push(Entry::new(operand, &path, metadata));
                }
                Ok(metadata) => files.push(Entry::new(operand, &path, metadata)),
                Err(err) => self.complain(format_args!("cannot access {}", quoted(path.display())), &err, 2),
            }
        }
        self.sort(&mut files);
        self.sort(&mut directories);
        self.write_entries(&files)?;
        let with_headers = with_headers || self.recursive;
        for (index, directory) in directories.iter().enumerate() {
            let after_output = index > 0 || !files.is_empty();
            self.list_directory(Path::new(&directory.name), after_output, with_headers)?;
        }
        Ok(())
    }
}

/// The terminal width for columns: $COLUMNS, else the terminal's, else 80.
fn line_width() -> usize {
    let from_environment =
        env::var("COLUMNS").ok().and_then(|columns| columns.parse().ok()).filter(|&columns| columns > 0);
    from_environment.or_else(|| window_size(io::stdout()).map(|(_, columns)| columns)).unwrap_or(80)
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let terminal = io::stdout().is_terminal();
    let colour = match command_line.long("color") {
        None => terminal,
        Some(None) => true,
        Some(Some(when)) => match when.as_bytes() {
            b"always" | b"yes" | b"force" => true,
            b"never" | b"no" | b"none" => false,
            b"auto" | b"tty" | b"if-tty" => terminal,
            _ => {
                let choices = "Valid arguments are:\n  - 'always', 'yes', 'force'\n  - 'never', 'no', 'none'\n  - 'auto', 'tty', 'if-tty'";
                let message = format!("invalid argument {} for '--color'\n{choices}", quoted(when.display()));
                // GNU ls exits with 1 here, not its usual 2 for a bad command line.
                cli::usage_error(PROGRAM, message);
                return 1;
            }
        },
    };
    let format = match command_line.last_of("lnC1") {
        Some('l' | 'n') => Format::Long,
        Some('C') => Format::Columns(line_width()),
        Some(_) => Format::OnePerLine,
        None if terminal => Format::Columns(line_width()),
        None => Format::OnePerLine,
    };
    let mut lister = Lister {
        out: cli::stdout(),
        format,
        show_all: command_line.has('a'),
        almost_all: command_line.has('A'),
        directories_as_files: command_line.has('d'),
        recursive: command_line.has('R'),
        human: command_line.has('h'),
        numeric_ids: command_line.has('n'),
        reverse: command_line.has('r'),
        by_time: command_line.has('t'),
        colour,
        colour_started: false,
        accounts: if format == Format::Long { Accounts::load() } else { Accounts::default() },
        now: clock::now().epoch,
        status: 0,
    };
    let mut operands = command_line.operands;
    if operands.is_empty() {
        operands.push(".".into());
    }
    let result = lister.operands(operands);
    let status = lister.status;
    cli::finish(PROGRAM, lister.out, result.map(|()| status))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{PermissionsExt, symlink};

    #[test]
    fn dates_recent_and_old() {
        let now = 1_795_305_328; // Sat Nov 21 23:55:28 2026
        assert_eq!(date_column(now - 60, now), "Nov 21 23:54");
        assert_eq!(date_column(now - 200 * 86_400, now), "May  5  2026");
        assert_eq!(date_column(now + 3600, now), "Nov 22  2026");
    }

    #[test]
    fn long_rows_align() {
        let row = |links, owner: &str, size| LongRow {
            mode: "-rw-r--r--".into(),
            links,
            owner: owner.into(),
            group: "root".into(),
            size,
            date: "Nov 21 23:55".into(),
        };
        let rows = [row(1, "root", SizeField::Size("286".into())), row(12, "kestrel", SizeField::Size("7".into()))];
        assert_eq!(
            align_long(&rows),
            ["-rw-r--r--  1 root    root 286 Nov 21 23:55 ", "-rw-r--r-- 12 kestrel root   7 Nov 21 23:55 "]
        );
        let devices = [row(1, "root", SizeField::Device(1, 3)), row(1, "root", SizeField::Device(136, 10))];
        let lines = align_long(&devices);
        assert!(lines[0].contains(" root   1,  3 Nov"), "{lines:?}");
        assert!(lines[1].contains(" root 136, 10 Nov"), "{lines:?}");
    }

    #[test]
    fn columns_fill_down_then_across() {
        assert_eq!(column_layout(&[3, 3, 3, 3], 80), (1, vec![5, 5, 5, 3]));
        // Four columns would need 5+5+5+3 = 18, not less than 18; three fill two.
        assert_eq!(column_layout(&[3, 3, 3, 3], 18), (2, vec![5, 5, 3]));
        // What GNU ls does with names 10, 1, 1, 1 and 1 long (checked on coreutils 9.1).
        assert_eq!(column_layout(&[10, 1, 1, 1, 1], 20), (2, vec![12, 3, 3]));
        assert_eq!(column_layout(&[10, 1, 1, 1, 1], 17), (3, vec![12, 3]));
        assert_eq!(column_layout(&[50, 50], 20), (2, vec![50]));
        assert_eq!(column_layout(&[], 80).0, 0);
    }

    #[test]
    fn indents_with_tabs_where_they_fit() {
        let mut line = Vec::new();
        indent(&mut line, 1, 12);
        assert_eq!(line, b"\t    ");
        line.clear();
        indent(&mut line, 10, 12);
        assert_eq!(line, b"  ");
    }

    fn test_lister(format: Format) -> Lister<Vec<u8>> {
        Lister {
            out: Vec::new(),
            format,
            show_all: false,
            almost_all: false,
            directories_as_files: false,
            recursive: false,
            human: false,
            numeric_ids: true,
            reverse: false,
            by_time: false,
            colour: false,
            colour_started: false,
            accounts: Accounts::default(),
            now: clock::now().epoch,
            status: 0,
        }
    }

    #[test]
    fn lists_a_directory_and_reports_a_missing_path() {
        let directory = std::env::temp_dir().join(format!("kbox-ls-test-{}", std::process::id()));
        fs::create_dir_all(directory.join("sub")).unwrap();
        fs::write(directory.join("file"), b"12345").unwrap();
        fs::set_permissions(directory.join("file"), fs::Permissions::from_mode(0o644)).unwrap();
        symlink("file", directory.join("link")).unwrap();
        fs::write(directory.join(".hidden"), b"").unwrap();
        let mut lister = test_lister(Format::Long);
        let missing = directory.join("missing");
        lister.operands(vec![directory.clone().into(), missing.into()]).unwrap();
        let listing = String::from_utf8(lister.out).unwrap();
        let mut short = test_lister(Format::OnePerLine);
        short.almost_all = true;
        short.colour = true;
        short.operands(vec![directory.clone().into()]).unwrap();
        let short_listing = String::from_utf8(short.out).unwrap();
        fs::remove_dir_all(&directory).unwrap();
        assert_eq!(lister.status, 2);
        let lines: Vec<&str> = listing.lines().collect();
        assert_eq!(lines[0], format!("{}:", directory.display()));
        assert!(lines[1].starts_with("total "));
        assert!(lines[2].starts_with("-rw-r--r-- 1 ") && lines[2].contains(" 5 ") && lines[2].ends_with(" file"));
        assert!(lines[3].starts_with("lrwxrwxrwx 1 ") && lines[3].ends_with(" link -> file"), "{}", lines[3]);
        assert!(lines[4].starts_with("drwx") && lines[4].ends_with(" sub"));
        assert_eq!(lines.len(), 5);
        assert_eq!(short_listing, ".hidden\nfile\n\x1b[0m\x1b[01;36mlink\x1b[0m\n\x1b[01;34msub\x1b[0m\n");
    }
}
