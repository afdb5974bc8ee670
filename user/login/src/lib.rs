//! What `getty`, `login`, `passwd` and `su` share: the shadow file's hashes, asking
//! for a password with echo off, and becoming a user (ids, groups, environment,
//! login shell).
pub mod auth;
pub mod cli;
pub mod issue;
pub mod password;
pub mod session;
pub mod shadow;
