//! `shparse`: the shell's language without side effects — the tokenizer and parser
//! that turn a command line into a syntax tree ([`ast`]), and the expansions that turn
//! its words into arguments ([`expand`], [`glob`]) given closures and traits for what
//! they need from the outside (variables, directory listings), so all of it is tested
//! on the host.
//!
//! The language is POSIX sh's simple commands: words with `'...'`, `"..."` and
//! backslash quoting, `$NAME`, `${NAME}`, the special parameters, `~`, `*`, `?` and
//! `[...]` patterns, `NAME=value` prefixes, redirections (`<`, `>`, `>|`, `>>`, `<&`,
//! `>&`, each with an optional descriptor number), pipelines, `&&`, `||`, `;`, `&`,
//! newlines and `#` comments. Compound commands (`if`, `for`, `( )`, `{ }`) and
//! command substitution are not part of it.
pub mod ast;
pub mod expand;
pub mod glob;
mod lex;
mod parse;

pub use lex::is_name;
pub use parse::{ParseError, parse};
