//! `shparse`: the shell's language without side effects — the parser that turns
//! text into a syntax tree ([`ast`], [`parse`]), and the expansions that turn its
//! words into fields ([`expand`]: parameters, field splitting, [`pattern`]
//! matching, [`glob`] for pathnames, [`arith`] for `$((...))`), given traits for
//! what they need from the shell (variables, running command substitutions,
//! directory listings), so all of it is tested on the host.
//!
//! The language is POSIX.1-2017's shell command language (XCU chapter 2).
pub mod arith;
pub mod ast;
pub mod expand;
pub mod glob;
pub mod parse;
pub mod pattern;

pub use parse::word_is_name as is_name;
pub use parse::{ParseError, Parser, parse, parse_with};
