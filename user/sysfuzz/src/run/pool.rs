//! The descriptor pool the supervisor opens once and the workers inherit: one of
//! every kind of file the kernel has, each kept at `BACKUP_FD_BASE + n` (its pool
//! number n is where a worker copies it), and the files and directory behind it,
//! which [`Pool::remove_files`] removes at the end.
use std::ffi::c_int;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::fd::{IntoRawFd, RawFd};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use ktest::Context as _;
use sysfuzz::layout::{self, BACKUP_FD_BASE, FdKind, POOL_FDS};

/// Which pool descriptors are open (a /dev/tty may not be).
#[derive(Debug)]
pub struct Pool {
    open: Vec<(c_int, FdKind)>,
    missing: Vec<(c_int, FdKind, String)>,
}

impl Pool {
    /// Creates the workers' directory and the regular file, opens everything and
    /// moves each descriptor to its backup number.
    pub fn create() -> Result<Self, String> {
        if Path::new(layout::WORK_DIR).exists() {
            fs::remove_dir_all(layout::WORK_DIR).context(format_args!("removing the old {}", layout::WORK_DIR))?;
        }
        fs::create_dir(layout::WORK_DIR).context(format_args!("mkdir {}", layout::WORK_DIR))?;
        let mut pool = Self { open: Vec::new(), missing: Vec::new() };
        let (pipe_read, pipe_write) = pipe_with_data()?;
        for (fd, kind) in POOL_FDS {
            let opened = match kind {
                FdKind::PipeRead => Ok(pipe_read),
                FdKind::PipeWrite => Ok(pipe_write),
                other => open(other),
            };
            match opened {
                Ok(opened) => {
                    ktest::dup2(opened, BACKUP_FD_BASE + fd).context(format_args!("dup2 {}", kind.describe()))?;
                    ktest::close_fd(opened).context("close")?;
                    pool.open.push((fd, kind));
                }
                Err(reason) if kind == FdKind::Tty => pool.missing.push((fd, kind, reason)),
                Err(reason) => return Err(reason),
            }
        }
        Ok(pool)
    }

    /// `3=/tmp/fuzz-file 4=/tmp/sysfuzz-dir ... 9=/dev/tty(unavailable: ...)`
    pub fn describe(&self) -> String {
        let mut all: Vec<String> = self.open.iter().map(|(fd, kind)| format!("{fd}={}", kind.describe())).collect();
        all.extend(self.missing.iter().map(|(fd, kind, why)| format!("{fd}={}(unavailable: {why})", kind.describe())));
        all.join(" ")
    }

    /// Empties the regular file, which the calls may have made large.
    pub fn truncate_file(&self) {
        // SAFETY: ftruncate changes only the file behind the backup descriptor.
        unsafe { libc::ftruncate(BACKUP_FD_BASE + layout::pool_fd(FdKind::RegularFile), 0) };
    }

    /// Closes the backups (once no worker needs them).
    pub fn close(&self) {
        for (fd, _) in &self.open {
            let _ = ktest::close_fd(BACKUP_FD_BASE + fd);
        }
    }

    /// Removes the regular file and the workers' directory (with whatever the
    /// calls made in it); the reasons it could not, if any.
    pub fn remove_files(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (what, result) in [
            (layout::FUZZ_FILE, fs::remove_file(layout::FUZZ_FILE)),
            (layout::WORK_DIR, fs::remove_dir_all(layout::WORK_DIR)),
        ] {
            if let Err(err) = result
                && err.kind() != std::io::ErrorKind::NotFound
            {
                problems.push(format!("removing {what}: {err}"));
            }
        }
        problems
    }
}

/// Opens a descriptor of `kind` (read-write where the kind allows; not a pipe).
fn open(kind: FdKind) -> Result<RawFd, String> {
    let path = match kind {
        FdKind::RegularFile => {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(true)
                .open(layout::FUZZ_FILE)
                .context(format_args!("creating {}", layout::FUZZ_FILE))?;
            let contents: Vec<u8> = (0..8192u32).map(|i| (i % 251) as u8).collect();
            file.write_all(&contents).context(format_args!("writing {}", layout::FUZZ_FILE))?;
            return Ok(file.into_raw_fd());
        }
        other => other.describe(),
    };
    let flags = match kind {
        FdKind::Directory => libc::O_RDONLY | libc::O_DIRECTORY,
        // Read-only: no call can write garbage to the console through it.
        FdKind::Tty => libc::O_RDONLY | libc::O_NOCTTY,
        FdKind::ProcStat => libc::O_RDONLY,
        _ => libc::O_RDWR,
    };
    let file = OpenOptions::new()
        .read(true)
        .write(flags & libc::O_ACCMODE == libc::O_RDWR)
        .custom_flags(flags & !libc::O_ACCMODE)
        .open(path)
        .context(format_args!("opening {path}"))?;
    Ok(file.into_raw_fd())
}

/// The pool's pipe, with 1 KiB waiting in it to be read: (read end, write end).
fn pipe_with_data() -> Result<(RawFd, RawFd), String> {
    let (reader, mut writer) = ktest::pipe().context("pipe")?;
    writer.write_all(&[0x5a; 1024]).context("filling the pipe")?;
    Ok((reader.into_raw_fd(), writer.into_raw_fd()))
}
