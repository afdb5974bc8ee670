//! `tar -c|-x|-t [-vzp] [-f ARCHIVE] [-C DIR] [FILE]...` (also the old `tar czf
//! ARCHIVE FILE...`), with the `tar` crate: creates ustar archives with GNU long
//! names (directories recursed, symbolic links kept, modes, times and owners
//! stored), lists them (`-v` as GNU's `drwxr-xr-x user/group 0 2026-01-02 03:04
//! d/`) and extracts them keeping modes, times and links, refusing `..` and
//! stripping a leading `/` with GNU's messages; `-z` through flate2, and gzip input
//! is recognised on reading. Statuses as GNU's: 0, or 2 after errors.
use std::ffi::{OsStr, OsString};
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use flate2::Compression;
use flate2::bufread::MultiGzDecoder;
use flate2::write::GzEncoder;
use tar::{Archive, Builder, EntryType, Header, HeaderMode};
use ulib::args::Spec;
use ulib::diag::{error_text, report};

use crate::clock;
use crate::fileinfo::mode_string;
use crate::users::Accounts;

const PROGRAM: &str = "tar";

pub const USAGE: &str = "Usage: tar [OPTION...] [FILE]...
Create, list or extract tar archives (also as `tar czf ARCHIVE FILE...`).
  -c, --create               create a new archive
  -t, --list                 list the contents of an archive
  -x, --extract, --get       extract files from an archive
  -C, --directory=DIR        change to directory DIR
  -f, --file=ARCHIVE         use archive file ARCHIVE (- for standard input or
                             output, the default)
  -p, --preserve-permissions extract modes as stored (the default for root)
  -v, --verbose              list the files processed
  -z, --gzip, --gunzip       filter the archive through gzip
Exit status is 0 when all went well, 2 after an error.";

const SPEC: Spec = Spec {
    flags: "ctxpvz",
    valued: "Cf",
    long: &[
        "create",
        "list",
        "extract",
        "get",
        "directory",
        "file",
        "preserve-permissions",
        "same-permissions",
        "verbose",
        "gzip",
        "gunzip",
    ],
    ..Spec::NONE
};

/// GNU tar's status after errors.
const FAILURE: u8 = 2;

/// Rewrites the old form `tar czf ARCHIVE FILE...` (a first argument of letters
/// without a dash, the values of its `f` and `C` following in order) as options.
fn old_style(mut args: Vec<OsString>) -> Vec<OsString> {
    let Some(first) = args.first().and_then(|arg| arg.to_str()).map(str::to_owned) else { return args };
    if first.is_empty() || first.starts_with('-') {
        return args;
    }
    args.remove(0);
    let mut values = args.into_iter();
    let mut rewritten = Vec::new();
    for letter in first.chars() {
        rewritten.push(OsString::from(format!("-{letter}")));
        if SPEC.valued.contains(letter)
            && let Some(value) = values.next()
        {
            rewritten.push(value);
        }
    }
    rewritten.extend(values);
    rewritten
}

/// The operation asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Create,
    List,
    Extract,
}

/// What the command line asks for.
#[derive(Debug)]
struct Options {
    mode: Mode,
    archive: OsString,
    directory: Option<OsString>,
    verbose: bool,
    gzip: bool,
    files: Vec<OsString>,
}

/// A bad command line, as GNU tar words it; 2.
fn usage_error(message: impl std::fmt::Display) -> u8 {
    report(PROGRAM, format_args!("{message}\nTry 'tar --help' or 'tar --usage' for more information."));
    FAILURE
}

/// `tar: message` for an error the run goes on after.
#[derive(Debug, Default)]
struct Errors {
    count: usize,
}

impl Errors {
    fn report(&mut self, message: impl std::fmt::Display) {
        report(PROGRAM, message);
        self.count += 1;
    }

    /// The status at the end, with GNU's last word after errors.
    fn status(&self) -> u8 {
        if self.count == 0 {
            return 0;
        }
        report(PROGRAM, "Exiting with failure status due to previous errors");
        FAILURE
    }
}

/// A fatal error: GNU's message and its last word; 2.
fn fatal(message: impl std::fmt::Display) -> u8 {
    report(PROGRAM, message);
    report(PROGRAM, "Error is not recoverable: exiting now");
    FAILURE
}

fn shown(path: impl AsRef<OsStr>) -> String {
    path.as_ref().to_string_lossy().into_owned()
}

/// A member name without what GNU strips from its start on creation and
/// extraction: leading `/`s, and everything up to its last `..` component. The
/// name and what was removed.
fn strip_leading(name: &[u8]) -> (&[u8], &[u8]) {
    let skip_slashes = |mut position: usize| {
        while name.get(position) == Some(&b'/') {
            position += 1;
        }
        position
    };
    let mut cut = skip_slashes(0);
    let mut position = cut;
    while position < name.len() {
        let begin = position;
        while position < name.len() && name[position] != b'/' {
            position += 1;
        }
        let component = &name[begin..position];
        position = skip_slashes(position);
        if component == b".." {
            cut = position;
        }
    }
    (&name[cut..], &name[..cut])
}

/// GNU's notice, once for each prefix removed from member names.
#[derive(Debug, Default)]
struct Stripped {
    told: Vec<Vec<u8>>,
}

impl Stripped {
    /// `name` with its prefix removed, telling of the prefix the first time.
    fn strip<'a>(&mut self, name: &'a [u8]) -> &'a [u8] {
        let (rest, prefix) = strip_leading(name);
        if !prefix.is_empty() && !self.told.iter().any(|told| told == prefix) {
            report(PROGRAM, format_args!("Removing leading `{}' from member names", String::from_utf8_lossy(prefix)));
            self.told.push(prefix.to_vec());
        }
        rest
    }
}

/// Whether a member name has a `..` component.
fn has_parent_component(name: &[u8]) -> bool {
    name.split(|&byte| byte == b'/').any(|part| part == b"..")
}

/// The line `-tv` and `-cv`/`-xv` with two `v`s would print for a header.
fn long_line(header: &Header, name: &[u8], link: Option<&[u8]>) -> String {
    let entry_type = header.entry_type();
    let type_bits = match entry_type {
        EntryType::Directory => 0o040000,
        EntryType::Symlink => 0o120000,
        EntryType::Char => 0o020000,
        EntryType::Block => 0o060000,
        EntryType::Fifo => 0o010000,
        _ => 0o100000,
    };
    let mode = mode_string(type_bits | header.mode().unwrap_or(0) & 0o7777);
    // The names stored, else the numbers, as GNU lists them.
    let name_or = |given: Option<&[u8]>, id: io::Result<u64>| match given {
        Some(given) if !given.is_empty() => String::from_utf8_lossy(given).into_owned(),
        _ => id.unwrap_or(0).to_string(),
    };
    let user = name_or(header.username_bytes(), header.uid());
    let group = name_or(header.groupname_bytes(), header.gid());
    let owner = format!("{user}/{group}");
    let size = if entry_type.is_file() { header.size().unwrap_or(0) } else { 0 };
    let width = 19usize.saturating_sub(owner.len() + 1).max(1);
    let time = clock::civil(header.mtime().unwrap_or(0) as i64, 0);
    let mut line = format!(
        "{mode} {owner} {size:>width$} {} {}",
        clock::format("%Y-%m-%d %H:%M", &time),
        String::from_utf8_lossy(name)
    );
    match (entry_type, link) {
        (EntryType::Symlink, Some(target)) => line.push_str(&format!(" -> {}", String::from_utf8_lossy(target))),
        (EntryType::Link, Some(target)) => line.push_str(&format!(" link to {}", String::from_utf8_lossy(target))),
        _ => {}
    }
    line
}

/// Where verbose lines go: standard error when the archive is written to
/// standard output, else standard output.
fn verbose_out(to_stdout: bool) -> Box<dyn Write> {
    if to_stdout { Box::new(io::stderr()) } else { Box::new(io::stdout()) }
}

/// Adds `path` (named `name` in the archive) and, for a directory, what it holds.
fn add(
    builder: &mut Builder<Box<dyn Write>>,
    path: &Path,
    name: &[u8],
    accounts: &Accounts,
    verbose: &mut Option<Box<dyn Write>>,
    errors: &mut Errors,
) -> io::Result<()> {
    let metadata = match fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(err) => {
            errors.report(format_args!("{}: Cannot stat: {}", shown(path), error_text(&err)));
            return Ok(());
        }
    };
    let mut header = Header::new_gnu();
    header.set_metadata_in_mode(&metadata, HeaderMode::Complete);
    if let Some(user) = accounts.user_name(metadata.uid()) {
        header.set_username(user)?;
    }
    if let Some(group) = accounts.group_name(metadata.gid()) {
        header.set_groupname(group)?;
    }
    let name_path = Path::new(OsStr::from_bytes(name));
    let file_type = metadata.file_type();
    let mut shown_name = name.to_vec();
    if file_type.is_dir() {
        if !shown_name.ends_with(b"/") {
            shown_name.push(b'/');
        }
        header.set_size(0);
        builder.append_data(&mut header, OsStr::from_bytes(&shown_name), io::empty())?;
    } else if file_type.is_symlink() {
        let target = match fs::read_link(path) {
            Ok(target) => target,
            Err(err) => {
                errors.report(format_args!("{}: Cannot readlink: {}", shown(path), error_text(&err)));
                return Ok(());
            }
        };
        header.set_size(0);
        builder.append_link(&mut header, name_path, target)?;
    } else if file_type.is_file() {
        let file = match File::open(path) {
            Ok(file) => file,
            Err(err) => {
                errors.report(format_args!("{}: Cannot open: {}", shown(path), error_text(&err)));
                return Ok(());
            }
        };
        builder.append_data(&mut header, name_path, BufReader::with_capacity(64 * 1024, file))?;
    } else {
        header.set_size(0);
        builder.append_data(&mut header, name_path, io::empty())?;
    }
    if let Some(out) = verbose {
        out.write_all(&shown_name)?;
        out.write_all(b"\n")?;
    }
    if file_type.is_dir() {
        let mut children: Vec<OsString> = match fs::read_dir(path) {
            Ok(entries) => entries.filter_map(|entry| entry.ok().map(|entry| entry.file_name())).collect(),
            Err(err) => {
                errors.report(format_args!("{}: Cannot open: {}", shown(path), error_text(&err)));
                return Ok(());
            }
        };
        children.sort();
        for child in children {
            let child_name = [&shown_name[..], child.as_bytes()].concat();
            add(builder, &path.join(&child), &child_name, accounts, verbose, errors)?;
        }
    }
    Ok(())
}

fn create(options: &Options, errors: &mut Errors) -> u8 {
    let to_stdout = options.archive == "-";
    let output: Box<dyn Write> = if to_stdout {
        Box::new(io::stdout().lock())
    } else {
        match File::create(&options.archive) {
            Ok(file) => Box::new(file),
            Err(err) => return fatal(format_args!("{}: Cannot open: {}", shown(&options.archive), error_text(&err))),
        }
    };
    let output: Box<dyn Write> = Box::new(BufWriter::with_capacity(64 * 1024, output));
    let output: Box<dyn Write> =
        if options.gzip { Box::new(GzEncoder::new(output, Compression::default())) } else { output };
    if let Some(directory) = &options.directory
        && let Err(err) = std::env::set_current_dir(directory)
    {
        return fatal(format_args!("{}: Cannot open: {}", shown(directory), error_text(&err)));
    }
    let mut builder = Builder::new(output);
    builder.mode(HeaderMode::Complete);
    let accounts = Accounts::load();
    let mut verbose = options.verbose.then(|| verbose_out(to_stdout));
    let mut stripped = Stripped::default();
    for file in &options.files {
        let name = stripped.strip(file.as_bytes());
        let name = if name.is_empty() { b"./".as_slice() } else { name };
        if let Err(err) = add(&mut builder, Path::new(file), name, &accounts, &mut verbose, errors) {
            return fatal(format_args!("{}: Cannot write: {}", shown(&options.archive), error_text(&err)));
        }
    }
    let finished = builder.into_inner().and_then(|mut output| output.flush());
    if let Err(err) = finished {
        return fatal(format_args!("{}: Cannot write: {}", shown(&options.archive), error_text(&err)));
    }
    errors.status()
}

/// The archive to read, gunzipped when it starts as gzip data does.
fn open_archive(options: &Options) -> Result<Box<dyn Read>, u8> {
    let input: Box<dyn Read> = if options.archive == "-" {
        Box::new(io::stdin().lock())
    } else {
        match File::open(&options.archive) {
            Ok(file) => Box::new(file),
            Err(err) => {
                return Err(fatal(format_args!("{}: Cannot open: {}", shown(&options.archive), error_text(&err))));
            }
        }
    };
    let mut input = BufReader::with_capacity(64 * 1024, input);
    let start = input
        .fill_buf()
        .map_err(|err| fatal(format_args!("{}: Read error: {}", shown(&options.archive), error_text(&err))))?;
    if options.gzip || start.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(MultiGzDecoder::new(input)))
    } else {
        Ok(Box::new(input))
    }
}

/// Whether member `name` is one the operands select (all without operands): an
/// operand names it or a directory above it.
fn selected(name: &[u8], files: &[OsString], found: &mut [bool]) -> bool {
    if files.is_empty() {
        return true;
    }
    let name = name.strip_suffix(b"/").unwrap_or(name);
    let mut any = false;
    for (file, found) in files.iter().zip(found.iter_mut()) {
        let file = file.as_bytes();
        let file = file.strip_suffix(b"/").unwrap_or(file);
        if name == file || name.starts_with(file) && name.get(file.len()) == Some(&b'/') {
            *found = true;
            any = true;
        }
    }
    any
}

/// Lists or extracts the archive's members.
fn read(options: &Options, errors: &mut Errors) -> u8 {
    let input = match open_archive(options) {
        Ok(input) => input,
        Err(status) => return status,
    };
    let destination = options.directory.clone().map_or_else(|| PathBuf::from("."), PathBuf::from);
    if options.mode == Mode::Extract && !destination.is_dir() {
        let err = fs::metadata(&destination).err().unwrap_or_else(|| io::Error::from_raw_os_error(libc::ENOTDIR));
        return fatal(format_args!("{}: Cannot open: {}", shown(&destination), error_text(&err)));
    }
    let mut archive = Archive::new(input);
    archive.set_preserve_permissions(true);
    archive.set_preserve_mtime(true);
    archive.set_preserve_ownerships(ulib::process::is_root());
    archive.set_overwrite(true);
    let mask = if ulib::process::is_root() { 0 } else { ulib::process::umask(0) };
    if !ulib::process::is_root() {
        ulib::process::umask(mask);
    }
    archive.set_mask(mask);
    let mut out = io::stdout().lock();
    let mut found = vec![false; options.files.len()];
    let mut stripped = Stripped::default();
    let mut directories = Vec::new();
    let entries = match archive.entries() {
        Ok(entries) => entries,
        Err(err) => return fatal(format_args!("{}: {}", shown(&options.archive), error_text(&err))),
    };
    for entry in entries {
        let mut entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                errors.report(format_args!("{}: {}", shown(&options.archive), error_text(&err)));
                break;
            }
        };
        let raw_name = entry.path_bytes().into_owned();
        if !selected(&raw_name, &options.files, &mut found) {
            continue;
        }
        let name = stripped.strip(&raw_name);
        let link = entry.link_name_bytes().map(|link| link.into_owned());
        if options.mode == Mode::List {
            let line = if options.verbose {
                long_line(entry.header(), &raw_name, link.as_deref())
            } else {
                String::from_utf8_lossy(&raw_name).into_owned()
            };
            if writeln!(out, "{line}").is_err() {
                return FAILURE;
            }
            continue;
        }
        if has_parent_component(&raw_name) {
            errors.report(format_args!("{}: Member name contains '..'", String::from_utf8_lossy(&raw_name)));
            continue;
        }
        if options.verbose {
            let _ = writeln!(out, "{}", String::from_utf8_lossy(&raw_name));
        }
        if name.is_empty() || name == b"." || name == b"./" {
            continue;
        }
        let target = destination.join(OsStr::from_bytes(name));
        // An existing file where a link or file goes is replaced, as GNU replaces it.
        if entry.header().entry_type() != EntryType::Directory
            && fs::symlink_metadata(&target).is_ok_and(|metadata| !metadata.is_dir())
        {
            let _ = fs::remove_file(&target);
        }
        match entry.unpack_in(&destination) {
            Ok(true) => {
                if entry.header().entry_type() == EntryType::Directory {
                    directories.push((target, entry.header().mtime().unwrap_or(0)));
                }
            }
            Ok(false) => errors.report(format_args!("{}: Member name contains '..'", String::from_utf8_lossy(name))),
            Err(err) => errors.report(format_args!("{}: {}", String::from_utf8_lossy(name), error_text(&err))),
        }
    }
    // Directories get their times last, once nothing more is created in them.
    for (directory, mtime) in directories.into_iter().rev() {
        let time = UNIX_EPOCH + Duration::from_secs(mtime);
        if let Ok(handle) = File::open(&directory) {
            let _ = handle.set_times(fs::FileTimes::new().set_modified(time).set_accessed(time));
        }
    }
    for (file, found) in options.files.iter().zip(found) {
        if !found {
            errors.report(format_args!("{}: Not found in archive", shown(file)));
        }
    }
    errors.status()
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match ulib::args::parse_spec(old_style(args), &SPEC) {
        Ok(command_line) => command_line,
        Err(ulib::args::ArgError::Help) => return crate::cli::help(PROGRAM),
        Err(err) => return usage_error(err),
    };
    let long = |name: &str| command_line.long(name).is_some();
    let mut modes = Vec::new();
    if command_line.has('c') || long("create") {
        modes.push(Mode::Create);
    }
    if command_line.has('t') || long("list") {
        modes.push(Mode::List);
    }
    if command_line.has('x') || long("extract") || long("get") {
        modes.push(Mode::Extract);
    }
    let mode = match modes[..] {
        [mode] => mode,
        [] => return usage_error("You must specify one of the '-Acdtrux', '--delete' or '--test-label' options"),
        _ => return usage_error("You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option"),
    };
    let value = |long: &str, short: char| command_line.long(long).flatten().or_else(|| command_line.value(short));
    let options = Options {
        mode,
        archive: value("file", 'f').map_or_else(|| "-".into(), OsStr::to_owned),
        directory: value("directory", 'C').map(OsStr::to_owned),
        verbose: command_line.has('v') || long("verbose"),
        gzip: command_line.has('z') || long("gzip") || long("gunzip"),
        files: command_line.operands.clone(),
    };
    let mut errors = Errors::default();
    match mode {
        Mode::Create if options.files.is_empty() => usage_error("Cowardly refusing to create an empty archive"),
        Mode::Create => create(&options, &mut errors),
        Mode::List | Mode::Extract => read(&options, &mut errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::words;

    #[test]
    fn the_old_form() {
        assert_eq!(old_style(words("czf a.tgz d e")), words("-c -z -f a.tgz d e"));
        assert_eq!(old_style(words("xfC a.tar dir f")), words("-x -f a.tar -C dir f"));
        assert_eq!(old_style(words("-cf a.tar d")), words("-cf a.tar d"));
    }

    #[test]
    fn member_names() {
        assert_eq!(strip_leading(b"//a/b"), (&b"a/b"[..], &b"//"[..]));
        assert_eq!(strip_leading(b"a/b"), (&b"a/b"[..], &b""[..]));
        assert_eq!(strip_leading(b"/../../x/../y"), (&b"y"[..], &b"/../../x/../"[..]));
        assert_eq!(strip_leading(b"a/../../evil"), (&b"evil"[..], &b"a/../../"[..]));
        assert_eq!(strip_leading(b"a/..b/c"), (&b"a/..b/c"[..], &b""[..]));
        assert_eq!(strip_leading(b"/.."), (&b""[..], &b"/.."[..]));
        assert!(has_parent_component(b"a/../b"));
        assert!(has_parent_component(b".."));
        assert!(!has_parent_component(b"a/..b/c.."));
    }

    proptest::proptest! {
        #[test]
        fn stripped_names_stay_inside(name in "[/.a]{0,12}") {
            let (rest, prefix) = strip_leading(name.as_bytes());
            proptest::prop_assert_eq!([prefix, rest].concat(), name.as_bytes());
            proptest::prop_assert!(!rest.starts_with(b"/"));
            proptest::prop_assert!(!rest.split(|&byte| byte == b'/').any(|part| part == b".."));
        }
    }

    #[test]
    fn selection() {
        let files = words("d x/");
        let mut found = vec![false, false];
        assert!(selected(b"d/", &files, &mut found));
        assert!(selected(b"d/f", &files, &mut found));
        assert!(!selected(b"dd/f", &files, &mut found));
        assert_eq!(found, [true, false]);
        assert!(selected(b"x", &files, &mut found));
        assert_eq!(found, [true, true]);
        assert!(selected(b"anything", &[], &mut []));
    }

    #[test]
    fn long_listing() {
        let mut header = Header::new_gnu();
        header.set_entry_type(EntryType::Regular);
        header.set_mode(0o644);
        header.set_size(3);
        header.set_mtime(clock::epoch_of(2026, 12, 6, 13, 35, 0) as u64);
        header.set_username("root").unwrap();
        header.set_groupname("root").unwrap();
        assert_eq!(long_line(&header, b"d/f", None), "-rw-r--r-- root/root         3 2026-12-06 13:35 d/f");
        header.set_entry_type(EntryType::Symlink);
        header.set_mode(0o777);
        assert_eq!(long_line(&header, b"d/l", Some(b"f")), "lrwxrwxrwx root/root         0 2026-12-06 13:35 d/l -> f");
    }
}
