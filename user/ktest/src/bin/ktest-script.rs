//! ktest-script: `#!` scripts run by execve, as Linux's binfmt_script runs them:
//! the interpreter gets `interpreter [argument] path argv[1..]` (the argument is
//! the rest of the line, one word even with blanks in it); a script whose
//! interpreter is a script works; a missing interpreter is ENOENT, an empty `#!`
//! line ENOEXEC, and a script that names itself ELOOP.
//!
//! Usage: `ktest-script`. (`ktest-script --show-argv ...` is the interpreter the
//! scripts name: it prints its argv, one per line, and exits 0.)
use std::env;
use std::ffi::CString;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::ExitCode;

use ktest::{Context, Outcome, Scratch, ensure, expect_eq, fork_and_wait, pipe};

const NAME: &str = "script";
const SHOW_ARGV: &str = "--show-argv";

fn write_script(path: &Path, text: &str) -> Outcome {
    fs::write(path, text).context(format_args!("write {}", path.display()))?;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).context("chmod")
}

fn c(text: &[u8]) -> CString {
    CString::new(text).unwrap_or_default()
}

/// execve `path` with `args` in a child whose stdout is a pipe; the child's
/// output, or the errno execve failed with.
fn run(path: &Path, args: &[&str]) -> Result<Result<String, i32>, String> {
    let (mut reader, writer) = pipe().context("pipe")?;
    let argv: Vec<CString> =
        core::iter::once(c(path.as_os_str().as_bytes())).chain(args.iter().map(|a| c(a.as_bytes()))).collect();
    let status = fork_and_wait(|| {
        // SAFETY: dup2 onto stdout in the child.
        unsafe { libc::dup2(std::os::fd::AsRawFd::as_raw_fd(&writer), 1) };
        let error = ulib::process::execve(&argv[0], &argv, &[]);
        100 + error.raw_os_error().unwrap_or(0)
    })?;
    drop(writer);
    let mut out = String::new();
    std::io::Read::read_to_string(&mut reader, &mut out).context("read the child's output")?;
    match status.exit_code() {
        Some(0) => Ok(Ok(out)),
        Some(code) if code > 100 => Ok(Err(code - 100)),
        _ => Err(format!("the child ended with {status}")),
    }
}

fn scripts() -> Outcome {
    let me = fs::read_link("/proc/self/exe").context("readlink /proc/self/exe")?;
    let me = me.to_string_lossy().into_owned();
    let scratch = Scratch::create(NAME)?;
    let plain = scratch.join("plain");
    write_script(&plain, &format!("#!{me} {SHOW_ARGV}\nthe rest is not read\n"))?;
    let shown = run(&plain, &["x", "y z"])?.map_err(|e| format!("execve of a script: errno {e}"))?;
    let expected = format!("{me}\n{SHOW_ARGV}\n{}\nx\ny z\n", plain.display());
    expect_eq("argv of a script's interpreter", shown, expected)?;

    let spaced = scratch.join("spaced");
    write_script(&spaced, &format!("#!  {me}   {SHOW_ARGV} and more  \n"))?;
    let shown = run(&spaced, &[])?.map_err(|e| format!("execve: errno {e}"))?;
    let expected = format!("{me}\n{SHOW_ARGV} and more\n{}\n", spaced.display());
    expect_eq("one argument, blanks inside kept", shown, expected)?;

    let nested = scratch.join("nested");
    write_script(&nested, &format!("#!{}\n", plain.display()))?;
    let shown = run(&nested, &["a"])?.map_err(|e| format!("execve of a script run by a script: errno {e}"))?;
    let expected = format!("{me}\n{SHOW_ARGV}\n{}\n{}\na\n", plain.display(), nested.display());
    expect_eq("argv through two interpreters", shown, expected)?;

    for (what, text, errno) in [
        ("a missing interpreter", "#!/nonexistent/interpreter\n".to_string(), libc::ENOENT),
        ("an empty #! line", "#!\n".to_string(), libc::ENOEXEC),
        ("a script that names itself", format!("#!{}\n", scratch.join("loop").display()), libc::ELOOP),
    ] {
        let path = scratch.join(if errno == libc::ELOOP { "loop".to_string() } else { format!("bad-{errno}") });
        write_script(&path, &text)?;
        let result = run(&path, &[])?;
        ensure(result == Err(errno), || format!("{what}: expected {}, got {result:?}", ktest::errno_name(errno)))?;
        println!("{what}: {}", ktest::errno_name(errno));
    }
    scratch.remove()
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    if args.get(1).is_some_and(|a| a.starts_with(SHOW_ARGV)) {
        for arg in &args {
            println!("{arg}");
        }
        return ExitCode::SUCCESS;
    }
    ktest::run(NAME, scripts)
}
