//! ktest-spawn: `std::process::Command`, which on musl spawns through
//! posix_spawn (clone with CLONE_VM|CLONE_VFORK, then execve): output is captured,
//! exit statuses come back, a missing program is NotFound, stdin can be piped.
use std::io::{ErrorKind, Write};
use std::process::{Command, ExitCode, Stdio};

use ktest::{Outcome, ensure, expect_eq, find_executable};

const NAME: &str = "spawn";

fn program(name: &str) -> Result<std::path::PathBuf, String> {
    find_executable(name).ok_or_else(|| format!("no {name} on PATH"))
}

fn spawning() -> Outcome {
    let output = Command::new(program("echo")?).arg("spawned").output().map_err(|e| format!("echo: {e}"))?;
    expect_eq("echo's output", output.stdout.as_slice(), b"spawned\n".as_slice())?;
    ensure(output.status.success(), || format!("echo exited with {}", output.status))?;
    println!("Command captured echo's output and status");

    let status = Command::new(program("false")?).status().map_err(|e| format!("false: {e}"))?;
    expect_eq("false's exit code", status.code(), Some(1))?;
    println!("Command reported false's exit code 1");

    let missing = Command::new("/nonexistent/program").status();
    match missing {
        Err(e) if e.kind() == ErrorKind::NotFound => println!("a missing program: NotFound"),
        other => return Err(format!("a missing program gave {other:?}")),
    }

    let mut child = Command::new(program("cat")?)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cat: {e}"))?;
    child.stdin.take().ok_or("no stdin pipe")?.write_all(b"through a pipe\n").map_err(|e| e.to_string())?;
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    expect_eq("cat's output", output.stdout.as_slice(), b"through a pipe\n".as_slice())?;
    println!("Command piped stdin through cat");
    Ok(())
}

fn main() -> ExitCode {
    ktest::run(NAME, spawning)
}
