//! Where sed writes: standard output, or the temporary file that replaces the input
//! file with `-i` (renamed over it, with its mode, once the file is done), and the
//! files of `w` (`/dev/stdout` and `/dev/stderr` being sed's own). A line whose
//! input had no final newline is written without one, and gets it once anything
//! more is written after it, as GNU does.
use std::ffi::OsStr;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::text;

/// One destination.
pub struct Sink {
    writer: Box<dyn Write>,
    /// The last line went out without its newline.
    missing_newline: bool,
    /// The line delimiter (a newline, or NUL with `-z`).
    delimiter: u8,
}

impl Sink {
    pub fn new(writer: Box<dyn Write>, delimiter: u8) -> Self {
        Self { writer, missing_newline: false, delimiter }
    }

    /// Writes `line` and, when `delimited`, the line delimiter.
    pub fn line(&mut self, line: &str, delimited: bool) -> io::Result<()> {
        let mut bytes = Vec::with_capacity(line.len() + 1);
        text::encode_into(line, &mut bytes);
        if delimited {
            bytes.push(self.delimiter);
        }
        self.raw(&bytes)?;
        self.missing_newline = !delimited;
        Ok(())
    }

    /// Writes `bytes` as they are.
    pub fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        if std::mem::take(&mut self.missing_newline) {
            self.writer.write_all(&[self.delimiter])?;
        }
        self.writer.write_all(bytes)
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// A file being edited in place.
struct InPlace {
    sink: Sink,
    temporary: PathBuf,
    target: PathBuf,
}

/// A file that `w` writes.
enum Target {
    Stdout,
    Stderr,
    File(Sink),
}

/// A failure of an output, with the name sed gives it in its message.
#[derive(Debug)]
pub struct OutputError {
    pub message: String,
}

impl OutputError {
    fn new(what: impl std::fmt::Display, err: &io::Error) -> Self {
        Self { message: format!("{what}: {}", ulib::diag::error_text(err)) }
    }
}

/// All of sed's outputs.
pub struct Outputs {
    stdout: Sink,
    stderr: Sink,
    in_place: Option<InPlace>,
    files: Vec<Target>,
    /// With `-i`: the backup suffix, if any (`*` in it stands for the file's name).
    pub backup: Option<String>,
}

impl Outputs {
    /// Opens (truncating) the files `w` writes.
    pub fn new(names: &[String], delimiter: u8) -> Result<Self, OutputError> {
        let mut files = Vec::new();
        for name in names {
            files.push(match name.as_str() {
                "/dev/stdout" => Target::Stdout,
                "/dev/stderr" => Target::Stderr,
                _ => {
                    let file = File::create(text::path(name))
                        .map_err(|err| OutputError::new(format_args!("couldn't open file {name}"), &err))?;
                    Target::File(Sink::new(Box::new(BufWriter::new(file)), delimiter))
                }
            });
        }
        Ok(Self {
            stdout: Sink::new(Box::new(BufWriter::with_capacity(16 * 1024, io::stdout())), delimiter),
            stderr: Sink::new(Box::new(io::stderr()), delimiter),
            in_place: None,
            files,
            backup: None,
        })
    }

    /// Where the pattern space, `=`, `i` and the rest go.
    pub fn main(&mut self) -> &mut Sink {
        match &mut self.in_place {
            Some(in_place) => &mut in_place.sink,
            None => &mut self.stdout,
        }
    }

    /// The file of a `w` command.
    pub fn file(&mut self, index: usize) -> &mut Sink {
        match &mut self.files[index] {
            Target::Stdout => &mut self.stdout,
            Target::Stderr => &mut self.stderr,
            Target::File(sink) => sink,
        }
    }

    /// Starts editing `target` (a regular file) in place: output goes to a new file
    /// beside it.
    pub fn begin_in_place(&mut self, target: &OsStr) -> Result<(), OutputError> {
        self.end_in_place()?;
        let target = PathBuf::from(target);
        let shown = target.display().to_string();
        let metadata =
            fs::metadata(&target).map_err(|err| OutputError::new(format_args!("couldn't edit {shown}"), &err))?;
        let directory = target.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let (temporary, file) = create_temporary(directory).map_err(|err| {
            OutputError::new(format_args!("couldn't open temporary file {}/sedXXXXXX", directory.display()), &err)
        })?;
        let _ = file.set_permissions(fs::Permissions::from_mode(metadata.permissions().mode() & 0o7777));
        let delimiter = self.stdout.delimiter;
        let sink = Sink::new(Box::new(BufWriter::new(file)), delimiter);
        self.in_place = Some(InPlace { sink, temporary, target });
        Ok(())
    }

    /// Finishes the file being edited in place, if any: the new text replaces it
    /// (the old one kept under the backup name when there is a suffix).
    pub fn end_in_place(&mut self) -> Result<(), OutputError> {
        let Some(mut in_place) = self.in_place.take() else { return Ok(()) };
        let shown = in_place.target.display().to_string();
        in_place.sink.flush().map_err(|err| OutputError::new(format_args!("couldn't write {shown}"), &err))?;
        drop(in_place.sink);
        let renamed = match &self.backup {
            Some(suffix) => fs::rename(&in_place.target, backup_name(&in_place.target, suffix))
                .map_err(|err| OutputError::new(format_args!("cannot rename {shown}"), &err)),
            None => Ok(()),
        }
        .and_then(|()| {
            fs::rename(&in_place.temporary, &in_place.target)
                .map_err(|err| OutputError::new(format_args!("cannot rename {}", in_place.temporary.display()), &err))
        });
        if renamed.is_err() {
            let _ = fs::remove_file(&in_place.temporary);
        }
        renamed
    }

    /// Flushes everything.
    pub fn flush(&mut self) -> Result<(), OutputError> {
        for target in &mut self.files {
            if let Target::File(sink) = target {
                sink.flush().map_err(|err| OutputError::new("couldn't flush", &err))?;
            }
        }
        self.stdout.flush().map_err(|err| OutputError::new("couldn't flush stdout", &err))
    }
}

/// A new file in `directory`, named `sedNNNNNN`.
fn create_temporary(directory: &Path) -> io::Result<(PathBuf, File)> {
    let seed = std::process::id();
    let mut last = None;
    for attempt in 0..100u32 {
        let path = directory.join(format!("sed{:06}", (seed.wrapping_mul(31).wrapping_add(attempt)) % 1_000_000));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => last = Some(err),
            Err(err) => return Err(err),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::from(io::ErrorKind::AlreadyExists)))
}

/// The backup's name: the suffix appended, or with `*` in it, each `*` replaced by
/// the file's name (`-i 'old/*'` puts the backup in old/).
fn backup_name(target: &Path, suffix: &str) -> PathBuf {
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    if suffix.contains('*') {
        let backup = PathBuf::from(suffix.replace('*', &name));
        if backup.is_absolute() || backup.components().count() > 1 {
            return backup;
        }
        return target.with_file_name(backup);
    }
    let mut backup = target.as_os_str().to_owned();
    backup.push(suffix);
    PathBuf::from(backup)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_newline_comes_before_more_output() {
        struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
                self.0.borrow_mut().write(bytes)
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let out = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let mut sink = Sink::new(Box::new(Shared(out.clone())), b'\n');
        sink.line("a", false).unwrap();
        sink.line("b", true).unwrap();
        sink.line("c", false).unwrap();
        assert_eq!(*out.borrow(), b"a\nb\nc");
    }

    #[test]
    fn backup_names() {
        assert_eq!(backup_name(Path::new("d/f"), ".bak"), PathBuf::from("d/f.bak"));
        assert_eq!(backup_name(Path::new("d/f"), "old_*"), PathBuf::from("d/old_f"));
        assert_eq!(backup_name(Path::new("f"), "bak/*"), PathBuf::from("bak/f"));
    }
}
