//! `ulib`: what Kestrel's user programs share — Linux-style diagnostics and quoting,
//! command-line options, shell patterns, and processes through libc's fork, execve
//! (with a PATH search) and wait4, with signal names, libc results as `io::Result`s,
//! file modes as chmod takes them, and the expressions of `test`.
pub mod args;
pub mod diag;
pub mod escape;
pub mod fd;
pub mod glob;
pub mod jobctl;
pub mod mode;
pub mod printf;
pub mod process;
pub mod sys;
pub mod term;
pub mod testexpr;
