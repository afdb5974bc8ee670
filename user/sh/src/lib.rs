//! `sh`, Kestrel's shell, as a library so that its parts are tested on the host
//! (`main.rs` only picks how to run). The language is parsed and expanded by
//! `shparse`, lines are edited by `lineedit`; this crate runs what they produce.
pub mod builtins;
pub mod complete;
pub mod exec;
pub mod history;
pub mod jobs;
pub mod lookup;
pub mod prompt;
pub mod shell;
pub mod vars;
