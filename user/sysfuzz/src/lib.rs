//! sysfuzz's pure part, tested on the host: the PRNG (`prng`), the fuzzing
//! material's layout (`layout`), call generation from a seed (`generate`), the
//! safety rules (`rules`), the record a worker leaves before each call (`record`),
//! syscall names (`names`), the command line (`cli`) and the lines the program
//! prints (`report`). The binary (src/main.rs and src/run/) issues the calls inside
//! Kestrel; nothing here issues a system call.
pub mod cli;
pub mod generate;
pub mod layout;
pub mod names;
pub mod prng;
pub mod record;
pub mod report;
pub mod rules;

pub use generate::{Call, CallId, Context, Generator};
