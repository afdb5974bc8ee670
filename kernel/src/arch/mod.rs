//! Architecture-specific code. Kestrel runs on x86-64 only.
mod x86_64;

pub use self::x86_64::*;
