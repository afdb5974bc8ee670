//! ktest-hello: std's println, argv, and the environment as execve passed them.
use std::env;
use std::process::ExitCode;

use ktest::{Outcome, ensure};

fn hello() -> Outcome {
    println!("hello from ktest");
    let args: Vec<_> = env::args_os().collect();
    println!("argc {}, argv {args:?}", args.len());
    ensure(args.first().is_some_and(|argv0| !argv0.is_empty()), || "argv[0] is missing or empty".into())?;
    let variables: Vec<_> = env::vars_os().collect();
    println!("{} environment variables", variables.len());
    for (name, value) in &variables {
        println!("  {}={}", name.display(), value.display());
        ensure(env::var_os(name).as_ref() == Some(value), || {
            format!("{} does not read back as {}", name.display(), value.display())
        })?;
    }
    Ok(())
}

fn main() -> ExitCode {
    ktest::run("hello", hello)
}
