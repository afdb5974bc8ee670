//! `stat [-L] [-c FORMAT] FILE...`: shows what the file system knows of each file, in
//! GNU stat's default layout, or as FORMAT says (`%n %N %s %b %B %o %f %F %a %A %u %U
//! %g %G %i %h %d %D %t %T %x %X %y %Y %z %Z %w %W %%`, with widths such as `%-10s`).
use std::ffi::{CString, OsString};
use std::fs::{self, Metadata};
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use ulib::args::Spec;
use ulib::diag::{quoted, report_error};

use crate::cli;
use crate::clock;
use crate::fileinfo;
use ulib::accounts::Accounts;

const PROGRAM: &str = "stat";

pub const USAGE: &str = "Usage: stat [OPTION]... FILE...
Display file or file system status.
  -L          follow links
  -c FORMAT   use the specified FORMAT instead of the default, with a newline after
              each use; sequences: %n name, %N quoted name (-> target for links),
              %s size, %b blocks, %B block size of %b, %o I/O block, %f raw mode (hex),
              %F type, %a octal mode, %A mode string, %u/%U owner id/name, %g/%G group
              id/name, %i inode, %h links, %d/%D device (decimal/hex), %Hd %Ld device
              major/minor, %t/%T %Hr %Lr device type major/minor, %x/%X access,
              %y/%Y modification, %z/%Z change, %w/%W birth time (text/seconds)";

const SPEC: Spec = Spec { flags: "L", valued: "c", ..Spec::NONE };

const REGULAR_FORMAT: &str = "  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n\
Device: %Hd,%Ld\tInode: %-11i Links: %h\n";
const DEVICE_FORMAT: &str = "  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n\
Device: %Hd,%Ld\tInode: %-11i Links: %-5h Device type: %Hr,%Lr\n";
const COMMON_FORMAT: &str = "Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n\
Access: %x\nModify: %y\nChange: %z\n Birth: %w";

/// One file, as the format sees it.
struct Subject<'a> {
    name: &'a Path,
    metadata: &'a Metadata,
    link_target: Option<std::path::PathBuf>,
    accounts: &'a Accounts,
    /// Whether `%N` shows names bare, as the default layout does.
    bare_names: bool,
    /// When the file was made, if the file system and kernel say.
    birth: Option<(i64, i64)>,
}

/// The file's birth time from statx(2), which std does not ask for on musl.
fn birth_time(path: &Path, follow: bool) -> Option<(i64, i64)> {
    let path = CString::new(path.as_os_str().as_bytes()).ok()?;
    let flags = if follow { 0 } else { libc::AT_SYMLINK_NOFOLLOW };
    // SAFETY: statx is plain integers, for which all-zero is a valid value.
    let mut buffer: libc::statx = unsafe { std::mem::zeroed() };
    // SAFETY: `path` is NUL-terminated and statx writes one statx to `buffer`.
    let result = unsafe { libc::statx(libc::AT_FDCWD, path.as_ptr(), flags, libc::STATX_BTIME, &mut buffer) };
    (result == 0 && buffer.stx_mask & libc::STATX_BTIME != 0)
        .then_some((buffer.stx_btime.tv_sec, buffer.stx_btime.tv_nsec.into()))
}

fn time_text(seconds: i64, nanos: i64) -> String {
    clock::format("%Y-%m-%d %H:%M:%S.%N %z", &clock::civil(seconds, nanos as u32))
}

impl Subject<'_> {
    /// The text of one `%` sequence (without flags and width), or `None` if unknown.
    fn field(&self, code: &str) -> Option<String> {
        let metadata = self.metadata;
        let (device_major, device_minor) = fileinfo::major_minor(metadata.dev());
        let (type_major, type_minor) = fileinfo::major_minor(metadata.rdev());
        let birth = self.birth;
        let name = || self.name.display().to_string();
        Some(match code {
            "n" => name(),
            "N" => {
                let show = |text: String| if self.bare_names { text } else { quoted(text) };
                match &self.link_target {
                    Some(target) => format!("{} -> {}", show(name()), show(target.display().to_string())),
                    None => show(name()),
                }
            }
            "s" => metadata.size().to_string(),
            "b" => metadata.blocks().to_string(),
            "B" => "512".into(),
            "o" => metadata.blksize().to_string(),
            "f" => format!("{:x}", metadata.mode()),
            "F" => fileinfo::type_name(metadata).into(),
            "a" => format!("{:o}", metadata.mode() & 0o7777),
            "A" => fileinfo::mode_string(metadata.mode()),
            "u" => metadata.uid().to_string(),
            "U" => self.accounts.user_name(metadata.uid()).unwrap_or("UNKNOWN").into(),
            "g" => metadata.gid().to_string(),
            "G" => self.accounts.group_name(metadata.gid()).unwrap_or("UNKNOWN").into(),
            "i" => metadata.ino().to_string(),
            "h" => metadata.nlink().to_string(),
            "d" => metadata.dev().to_string(),
            "D" => format!("{:x}", metadata.dev()),
            "Hd" => device_major.to_string(),
            "Ld" => device_minor.to_string(),
            "t" => format!("{type_major:x}"),
            "T" => format!("{type_minor:x}"),
            "Hr" => type_major.to_string(),
            "Lr" => type_minor.to_string(),
            "x" => time_text(metadata.atime(), metadata.atime_nsec()),
            "X" => metadata.atime().to_string(),
            "y" => time_text(metadata.mtime(), metadata.mtime_nsec()),
            "Y" => metadata.mtime().to_string(),
            "z" => time_text(metadata.ctime(), metadata.ctime_nsec()),
            "Z" => metadata.ctime().to_string(),
            "w" => birth.map_or_else(|| "-".into(), |(seconds, nanos)| time_text(seconds, nanos)),
            "W" => birth.map_or(0, |(seconds, _)| seconds).to_string(),
            _ => return None,
        })
    }

    /// `format` with its sequences replaced; unknown ones stay as they are.
    fn render(&self, format: &str) -> String {
        let mut out = String::new();
        let mut rest = format;
        while let Some(percent) = rest.find('%') {
            out.push_str(&rest[..percent]);
            rest = &rest[percent + 1..];
            if let Some(after) = rest.strip_prefix('%') {
                out.push('%');
                rest = after;
                continue;
            }
            let spec_length = rest.find(|char: char| !matches!(char, '-' | '0'..='9' | '.')).unwrap_or(rest.len());
            let spec = &rest[..spec_length];
            let after_spec = &rest[spec_length..];
            let code_length = match after_spec.as_bytes() {
                [b'H' | b'L', b'd' | b'r', ..] => 2,
                [] => 0,
                _ => after_spec.chars().next().map_or(0, char::len_utf8),
            };
            let code = &after_spec[..code_length];
            match self.field(code) {
                Some(value) => out.push_str(&apply_spec(spec, value, code)),
                None => {
                    out.push('%');
                    out.push_str(spec);
                    out.push_str(code);
                }
            }
            rest = &after_spec[code_length..];
        }
        out.push_str(rest);
        out
    }
}

/// `value` with printf's `-`, `0`, width and precision from `spec` (zeros only for
/// the numeric `code`s).
fn apply_spec(spec: &str, mut value: String, code: &str) -> String {
    let left = spec.starts_with('-');
    let unsigned = spec.trim_start_matches('-');
    let zero = unsigned.starts_with('0') && !left && code.chars().all(|char| "asbBohigduUGgXYZW".contains(char));
    let (width, precision) = match unsigned.split_once('.') {
        Some((width, precision)) => (width, precision.parse().ok()),
        None => (unsigned, None),
    };
    let width: usize = width.parse().unwrap_or(0);
    if let Some(precision) = precision {
        value = value.chars().take(precision).collect();
    }
    match (left, zero) {
        (true, _) => format!("{value:<width$}"),
        (false, true) => format!("{value:0>width$}"),
        (false, false) => format!("{value:>width$}"),
    }
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse_with_operands(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let custom = command_line.value('c').map(|format| format.to_string_lossy().into_owned());
    let accounts = Accounts::load();
    let mut out = cli::stdout();
    let mut status = 0;
    let mut result = Ok(());
    for operand in &command_line.operands {
        let path = Path::new(operand);
        let looked_up = if command_line.has('L') { fs::metadata(path) } else { fs::symlink_metadata(path) };
        let metadata = match looked_up {
            Ok(metadata) => metadata,
            Err(err) => {
                report_error(PROGRAM, format_args!("cannot statx {}", quoted(path.display())), &err);
                status = 1;
                continue;
            }
        };
        let link_target = if metadata.is_symlink() { fs::read_link(path).ok() } else { None };
        let birth = birth_time(path, command_line.has('L'));
        let subject = Subject {
            name: path,
            metadata: &metadata,
            link_target,
            accounts: &accounts,
            bare_names: custom.is_none(),
            birth,
        };
        let text = match &custom {
            Some(format) => subject.render(format),
            None => {
                let first = if fileinfo::is_device(metadata.mode()) { DEVICE_FORMAT } else { REGULAR_FORMAT };
                subject.render(&format!("{first}{COMMON_FORMAT}"))
            }
        };
        let mut bytes = text.into_bytes();
        bytes.push(b'\n');
        result = result.and_then(|()| out.write_all(&bytes));
    }
    cli::finish(PROGRAM, out, result.map(|()| status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs() {
        assert_eq!(apply_spec("-10", "1205".into(), "s"), "1205      ");
        assert_eq!(apply_spec("04", "644".into(), "a"), "0644");
        assert_eq!(apply_spec("10.10", "-rw-r--r--".into(), "A"), "-rw-r--r--");
        assert_eq!(apply_spec("5", "0".into(), "u"), "    0");
        assert_eq!(apply_spec("08", "root".into(), "n"), "    root");
        assert_eq!(apply_spec("", "x".into(), "n"), "x");
    }

    #[test]
    fn formats() {
        let metadata = fs::symlink_metadata("/").unwrap();
        let accounts = Accounts::from_text("root:x:0:0::/root:/bin/sh\n", "root:x:0:\n");
        let subject = Subject {
            name: Path::new("/"),
            metadata: &metadata,
            link_target: None,
            accounts: &accounts,
            bare_names: false,
            birth: None,
        };
        assert_eq!(subject.render("%n|%N|%F|%%|%q|%5"), "/|'/'|directory|%|%q|%5");
        assert_eq!(subject.render("%A"), fileinfo::mode_string(metadata.mode()));
        let default = subject.render(&format!("{REGULAR_FORMAT}{COMMON_FORMAT}"));
        let lines: Vec<&str> = default.lines().collect();
        assert_eq!(lines.len(), 8);
        assert!(lines[1].starts_with("  Size: ") && lines[1].ends_with(" directory"));
        assert!(lines[2].starts_with("Device: ") && lines[2].contains("\tInode: "));
        assert!(lines[5].starts_with("Modify: ") && lines[5].ends_with(" +0000"));
        assert_eq!(lines[7], " Birth: -");
        assert!(birth_time(Path::new("/nonexistent-kbox"), false).is_none());
    }
}
