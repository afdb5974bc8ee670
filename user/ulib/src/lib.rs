//! `ulib`: what Kestrel's user programs share — Linux-style diagnostics, short-flag
//! parsing, and processes through libc's fork, execve and wait4.
pub mod args;
pub mod diag;
pub mod process;
