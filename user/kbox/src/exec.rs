//! Running a command in place of this process, as `env`, `nohup` and `time` do:
//! execvp with the current environment, and the status for a command that could not
//! be run (127 not found, 126 otherwise).
use std::ffi::{CString, OsString};
use std::io;
use std::os::unix::ffi::OsStringExt;

/// execvp of `command` (its first word searched in PATH) with this environment;
/// returns only when it could not be run, with the error.
pub fn exec(command: &[OsString]) -> io::Error {
    let argv: Option<Vec<CString>> = command.iter().map(|arg| CString::new(arg.clone().into_vec()).ok()).collect();
    let Some(argv) = argv.filter(|argv| !argv.is_empty()) else {
        return io::Error::from_raw_os_error(libc::EINVAL);
    };
    let path = std::env::var_os("PATH");
    ulib::process::execvp(&command[0], path.as_deref(), &argv, &ulib::process::current_environment())
}

/// The status for a command that could not be run: 127 when it was not found,
/// else 126.
pub fn failed_status(err: &io::Error) -> u8 {
    if err.kind() == io::ErrorKind::NotFound { 127 } else { 126 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(failed_status(&io::Error::from_raw_os_error(libc::ENOENT)), 127);
        assert_eq!(failed_status(&io::Error::from_raw_os_error(libc::EACCES)), 126);
    }

    #[test]
    fn nothing_to_run() {
        assert_eq!(exec(&[]).raw_os_error(), Some(libc::EINVAL));
        assert_eq!(exec(&["/nonexistent/program".into()]).raw_os_error(), Some(libc::ENOENT));
    }
}
