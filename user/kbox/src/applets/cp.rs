//! `cp [-afpPrR] SOURCE DEST`, `cp ... SOURCE... DIRECTORY`: copies files, keeping
//! their mode; with `-r`, directories and their contents, symbolic links as links;
//! with `-p`, modification and access times too.
use std::ffi::OsString;
use std::fs::{self, File, FileTimes, Metadata, OpenOptions};
use std::io;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt, symlink};
use std::path::Path;

use ulib::args::Spec;
use ulib::diag::{quoted, report, report_error};

use crate::cli;
use crate::input::{self, CopyError};
use crate::target;

const PROGRAM: &str = "cp";

pub const USAGE: &str = "Usage: cp [OPTION]... SOURCE DEST
  or:  cp [OPTION]... SOURCE... DIRECTORY
Copy SOURCE to DEST, or multiple SOURCE(s) to DIRECTORY. The mode is kept.
  -a       same as -pPR
  -f       (accepted: an existing destination is always overwritten)
  -p       also keep the access and modification times
  -P       never follow symbolic links in SOURCE (the default with -r)
  -r, -R   copy directories recursively";

const SPEC: Spec = Spec { flags: "afpPrR", ..Spec::NONE };

/// How `copy` works.
#[derive(Debug, Clone, Copy)]
pub struct Copying {
    pub recursive: bool,
    pub keep_times: bool,
    /// Copy what a symbolic link points at (else the link itself).
    pub follow_links: bool,
}

fn times_of(metadata: &Metadata) -> FileTimes {
    let at = |seconds: i64, nanos: i64| {
        let offset = std::time::Duration::new(seconds.unsigned_abs(), nanos as u32);
        if seconds >= 0 { std::time::UNIX_EPOCH + offset } else { std::time::UNIX_EPOCH - offset }
    };
    FileTimes::new()
        .set_accessed(at(metadata.atime(), metadata.atime_nsec()))
        .set_modified(at(metadata.mtime(), metadata.mtime_nsec()))
}

impl Copying {
    /// Copies `source` to `destination`, reporting failures as `program`'s; returns
    /// whether everything was copied.
    pub fn copy(&self, program: &str, source: &Path, destination: &Path) -> bool {
        let Some((metadata, existing)) =
            target::source_and_destination(program, source, destination, self.follow_links)
        else {
            return false;
        };
        if metadata.is_dir() {
            return self.copy_directory(program, source, destination, &metadata, existing.ok());
        }
        let result = if metadata.file_type().is_symlink() {
            fs::read_link(source).and_then(|target| {
                if existing.is_ok() {
                    fs::remove_file(destination)?;
                }
                symlink(target, destination)
            })
        } else {
            self.copy_file(source, destination, &metadata)
        };
        match result {
            Ok(()) => true,
            Err(err) => {
                report_error(program, format_args!("cannot create {}", quoted(destination.display())), &err);
                false
            }
        }
    }

    fn copy_file(&self, source: &Path, destination: &Path, metadata: &Metadata) -> io::Result<()> {
        let mut reader = File::open(source)?;
        let mode = metadata.mode() & 0o7777;
        let mut writer = OpenOptions::new().write(true).create(true).truncate(true).mode(mode).open(destination)?;
        input::copy(&mut reader, &mut writer).map_err(|(CopyError::Read(err) | CopyError::Write(err))| err)?;
        writer.set_permissions(fs::Permissions::from_mode(mode))?;
        if self.keep_times {
            writer.set_times(times_of(metadata))?;
        }
        Ok(())
    }

    fn copy_directory(
        &self,
        program: &str,
        source: &Path,
        destination: &Path,
        metadata: &Metadata,
        existing: Option<Metadata>,
    ) -> bool {
        let complain = |what: &str, path: &Path, err: &io::Error| {
            report_error(program, format_args!("{what} {}", quoted(path.display())), err);
            false
        };
        if !self.recursive {
            report(program, format_args!("-r not specified; omitting directory {}", quoted(source.display())));
            return false;
        }
        // The destination's would-be real path, to refuse copying a directory into itself.
        let parent = destination.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
        if let (Ok(from), Ok(parent), Some(name)) =
            (source.canonicalize(), parent.canonicalize(), destination.file_name())
            && parent.join(name).starts_with(&from)
        {
            let (source, destination) = (quoted(source.display()), quoted(destination.display()));
            report(program, format_args!("cannot copy a directory, {source}, into itself, {destination}"));
            return false;
        }
        match existing {
            Some(existing) if !existing.is_dir() => {
                let (destination, source) = (quoted(destination.display()), quoted(source.display()));
                report(program, format_args!("cannot overwrite non-directory {destination} with directory {source}"));
                return false;
            }
            Some(_) => {}
            None => {
                if let Err(err) = fs::create_dir(destination) {
                    return complain("cannot create directory", destination, &err);
                }
            }
        }
        let entries = match fs::read_dir(source) {
            Ok(entries) => entries,
            Err(err) => return complain("cannot access", source, &err),
        };
        let inner = Copying { follow_links: false, ..*self };
        let mut ok = true;
        for entry in entries {
            match entry {
                Ok(entry) => ok &= inner.copy(program, &entry.path(), &destination.join(entry.file_name())),
                Err(err) => ok = complain("cannot access", source, &err),
            }
        }
        let mode = fs::Permissions::from_mode(metadata.mode() & 0o7777);
        let finished = fs::set_permissions(destination, mode).and_then(|()| match self.keep_times {
            true => File::open(destination)?.set_times(times_of(metadata)),
            false => Ok(()),
        });
        match finished {
            Ok(()) => ok,
            Err(err) => complain("cannot set the mode or times of", destination, &err),
        }
    }
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let recursive = "arR".chars().any(|flag| command_line.has(flag));
    let copying = Copying {
        recursive,
        keep_times: command_line.has('p') || command_line.has('a'),
        follow_links: !recursive && !command_line.has('P'),
    };
    let pairs = match target::pairs(PROGRAM, command_line.operands, true) {
        Ok(pairs) => pairs,
        Err(status) => return status,
    };
    let mut status = 0;
    for (source, destination) in pairs {
        if !copying.copy(PROGRAM, &source, &destination) {
            status = 1;
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_a_tree_with_modes_links_and_times() {
        let base = std::env::temp_dir().join(format!("kbox-cp-{}", std::process::id()));
        let source = base.join("source");
        fs::create_dir_all(source.join("sub")).unwrap();
        fs::write(source.join("sub/tool"), b"#!/bin/sh\n").unwrap();
        fs::set_permissions(source.join("sub/tool"), fs::Permissions::from_mode(0o750)).unwrap();
        symlink("sub/tool", source.join("link")).unwrap();
        File::options().write(true).open(source.join("sub/tool")).unwrap().set_modified(std::time::UNIX_EPOCH).unwrap();
        let copying = Copying { recursive: true, keep_times: true, follow_links: false };
        let copy = base.join("copy");
        assert!(copying.copy("cp", &source, &copy));
        let tool = fs::metadata(copy.join("sub/tool")).unwrap();
        let link = fs::read_link(copy.join("link")).unwrap();
        let into_itself = copying.copy("cp", &source, &source.join("sub/inner"));
        let flat = Copying { recursive: false, ..copying }.copy("cp", &source, &base.join("flat"));
        let same = copying.copy("cp", &source.join("link"), &source.join("link"));
        fs::remove_dir_all(&base).unwrap();
        assert_eq!(tool.mode() & 0o7777, 0o750);
        assert_eq!(tool.mtime(), 0);
        assert_eq!(link, Path::new("sub/tool"));
        assert!(!into_itself && !flat && !same);
    }
}
