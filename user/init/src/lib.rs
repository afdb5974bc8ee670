//! init's pure parts, host-tested: the inittab format and the respawn rate limit.
pub mod inittab;
pub mod respawn;
