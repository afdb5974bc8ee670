//! Redirections (XCU 2.7), applied in order: files opened for `<`, `>` (refused on
//! an existing regular file under `set -C`), `>|`, `>>` and `<>`; `<&` and `>&`
//! copying or closing a descriptor; here-documents read from a pipe (written at
//! once when they fit in it, else by a forked writer). For the shell itself
//! (builtins, functions, compound commands), what each descriptor was is saved
//! first and put back after.
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};

use shparse::ast::{Redirect, RedirectOp};
use ulib::diag::error_text;
use ulib::fd;
use ulib::process::{self, Fork};

use crate::shell::Shell;

/// What a here-document can hold and still be written into its pipe at once.
const PIPE_SIZE: usize = 4096;

/// Descriptors the redirections replaced, with copies of what they were (`None`:
/// it was closed), to put back.
#[derive(Debug, Default)]
pub struct Saved(Vec<(RawFd, Option<OwnedFd>)>);

fn open(op: RedirectOp, path: &str, noclobber: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    match op {
        RedirectOp::Read => options.read(true),
        RedirectOp::Append => options.append(true).create(true),
        RedirectOp::ReadWrite => options.read(true).write(true).create(true),
        RedirectOp::Write if noclobber => {
            if fs::metadata(path).is_ok_and(|metadata| metadata.is_file()) {
                return Err(io::Error::from_raw_os_error(libc::EEXIST));
            }
            options.write(true).create(true)
        }
        _ => options.write(true).create(true).truncate(true),
    };
    options.open(path)
}

/// A pipe whose reading end gives `body`.
fn here_document(body: &str) -> io::Result<OwnedFd> {
    let (reader, mut writer) = io::pipe()?;
    if body.len() <= PIPE_SIZE {
        writer.write_all(body.as_bytes())?;
        return Ok(reader.into());
    }
    match process::fork()? {
        Fork::Child => {
            drop(reader);
            let _ = writer.write_all(body.as_bytes());
            process::exit_immediately(0);
        }
        Fork::Parent { .. } => Ok(reader.into()),
    }
}

impl Shell {
    /// Applies `redirects` to this process, in order; with `save`, keeps a copy of
    /// each descriptor first, for [`Shell::restore`]. On an error, what was applied
    /// is put back and the message is returned.
    pub fn redirect(&mut self, redirects: &[Redirect], save: bool) -> Result<Saved, String> {
        let mut saved = Saved::default();
        for redirect in redirects {
            if let Err(message) = self.redirect_one(redirect, save.then_some(&mut saved)) {
                self.restore(saved);
                return Err(message);
            }
        }
        Ok(saved)
    }

    fn redirect_one(&mut self, redirect: &Redirect, saved: Option<&mut Saved>) -> Result<(), String> {
        let Some(target) = self.string(&redirect.target) else {
            return Err(String::new());
        };
        if let Some(saved) = saved
            && !saved.0.iter().any(|(fd, _)| *fd == redirect.fd)
        {
            saved.0.push((redirect.fd, fd::duplicate(redirect.fd).ok()));
        }
        let result = match (redirect.op, target.as_str()) {
            (RedirectOp::HereDoc, body) => here_document(body).and_then(|file| fd::install(file, redirect.fd)),
            (RedirectOp::DupRead | RedirectOp::DupWrite, "-") => fd::close(redirect.fd).or(Ok(())),
            (RedirectOp::DupRead | RedirectOp::DupWrite, number) => match number.parse::<RawFd>() {
                Ok(from) if from == redirect.fd => {
                    if fd::is_open(from) {
                        Ok(())
                    } else {
                        Err(io::Error::from_raw_os_error(libc::EBADF))
                    }
                }
                Ok(from) => fd::dup2(from, redirect.fd),
                Err(_) => return Err(format!("{number}: Bad file descriptor number")),
            },
            (op, path) => {
                open(op, path, self.options.is_set('C')).and_then(|file| fd::install(file.into(), redirect.fd))
            }
        };
        result.map_err(|err| match err.raw_os_error() {
            Some(libc::EEXIST) => format!("{target}: cannot overwrite existing file"),
            _ => format!("{target}: {}", error_text(&err)),
        })
    }

    /// Puts back the descriptors [`Shell::redirect`] saved.
    pub fn restore(&mut self, saved: Saved) {
        let _ = io::stdout().flush();
        for (fd, copy) in saved.0.into_iter().rev() {
            let _ = match copy {
                Some(copy) => fd::dup2(copy.as_raw_fd(), fd),
                None => fd::close(fd),
            };
        }
    }
}
