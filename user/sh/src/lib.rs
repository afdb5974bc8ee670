//! `sh`, Kestrel's shell, as a library so that its parts are tested on the host
//! (`main.rs` only picks how to run). The language is parsed and expanded by
//! `shparse`, lines are edited by `lineedit`; this crate runs what they produce:
//! [`shell`] reads commands, [`run`] runs lists and pipelines, [`simple`] simple
//! commands, [`compound`] compound commands, [`redirect`] redirections,
//! [`pipeline`] forked children and jobs, [`expand`] expansions, [`traps`] traps,
//! [`prompt`] PS1 and PS2, and [`builtins`] the builtins.
pub mod builtins;
pub mod complete;
pub mod compound;
pub mod expand;
pub mod history;
pub mod input;
pub mod jobs;
pub mod lookup;
pub mod options;
pub mod pipeline;
pub mod prompt;
pub mod redirect;
pub mod run;
pub mod shell;
pub mod simple;
pub mod traps;
pub mod vars;
