//! ktest-exec: execve's errors (ENOENT for a missing file, EACCES for a directory,
//! ENOEXEC for a file that is executable but not ELF — EACCES if it has no execute
//! bit, as on Linux), after which the process carries on; then execve of itself with
//! new argv and envp, which the new image checks before printing the verdict.
//!
//! Usage: `ktest-exec [NON-ELF-FILE]` (default /usr/share/ktest/not-elf, from the initramfs). The program's own path is
//! argv[0], or /bin/argv[0] when argv[0] holds no `/` (there is no /proc/self/exe).
use std::env;
use std::ffi::{CStr, OsStr, OsString};
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::process::ExitCode;

use ktest::{Outcome, c_string, ensure, expect_errno, own_path};
use ulib::process::execve;

const NAME: &str = "exec";
/// argv[1] of the re-executed image.
const NEW_IMAGE_FLAG: &str = "--new-image";
/// The arguments after it, and the whole environment, that the new image must see.
const NEW_IMAGE_ARGS: [&str; 2] = ["two words", ""];
const NEW_IMAGE_ENVIRONMENT: [(&str, &str); 2] = [("KTEST_EXEC", "set by the parent"), ("KTEST_EMPTY", "")];
const DEFAULT_NON_ELF: &str = "/usr/share/ktest/not-elf";

/// Runs execve, which must fail with `errno`.
fn expect_exec_failure(path: &CStr, errno: i32, what: &str) -> Outcome {
    let err = execve(path, &[path.to_owned()], &[]);
    expect_errno(&format!("execve {what}"), &err, errno)?;
    println!("execve {what}: {}", ulib::diag::error_text(&err));
    Ok(())
}

fn before_exec(args: &[OsString]) -> Outcome {
    expect_exec_failure(c"/nonexistent/ktest-missing", libc::ENOENT, "of a missing file")?;
    expect_exec_failure(c"/", libc::EACCES, "of a directory")?;

    let non_elf = args.get(1).map_or(OsStr::new(DEFAULT_NON_ELF), |path| path.as_os_str());
    let mode = fs::metadata(non_elf)
        .map_err(|err| format!("{}: {}", non_elf.display(), ulib::diag::error_text(&err)))?
        .permissions()
        .mode();
    let (errno, what) = if mode & 0o111 != 0 {
        (libc::ENOEXEC, "of an executable non-ELF file")
    } else {
        (libc::EACCES, "of a non-ELF file without execute permission")
    };
    expect_exec_failure(&c_string(non_elf.as_bytes())?, errno, what)?;

    let path = own_path(&args[0])?;
    let mut argv = vec![path.clone(), c_string(NEW_IMAGE_FLAG.as_bytes())?];
    for arg in NEW_IMAGE_ARGS {
        argv.push(c_string(arg.as_bytes())?);
    }
    let envp = NEW_IMAGE_ENVIRONMENT
        .iter()
        .map(|(name, value)| c_string(format!("{name}={value}").as_bytes()))
        .collect::<Result<Vec<_>, _>>()?;
    println!("execve {} {NEW_IMAGE_FLAG} ...", path.to_string_lossy());
    let err = execve(&path, &argv, &envp);
    Err(format!("execve {}: {}", path.to_string_lossy(), ulib::diag::error_text(&err)))
}

fn in_new_image(args: &[OsString]) -> Outcome {
    println!("new image: argv {args:?}");
    ensure(args[2..] == NEW_IMAGE_ARGS.map(OsString::from), || {
        format!("new image: expected arguments {NEW_IMAGE_ARGS:?}, got {:?}", &args[2..])
    })?;
    let environment: Vec<(OsString, OsString)> = env::vars_os().collect();
    let expected = NEW_IMAGE_ENVIRONMENT.map(|(name, value)| (name.into(), value.into()));
    ensure(environment == expected, || format!("new image: expected environment {expected:?}, got {environment:?}"))?;
    println!("new image: argv and environment are as passed");
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<OsString> = env::args_os().collect();
    if args.get(1).is_some_and(|arg| arg == NEW_IMAGE_FLAG) {
        ktest::run(NAME, || in_new_image(&args))
    } else if args.is_empty() {
        ktest::run(NAME, || Err("argv is empty: no path to execute".into()))
    } else {
        ktest::run(NAME, || before_exec(&args))
    }
}
