//! POSIX awk: the lexer, the parser into the tree of `ast.rs`, and the interpreter
//! (`interp/`); `cli.rs` reads awk's command line. The `awk` program is `main.rs`.
pub mod ast;
pub mod cli;
pub mod interp;
pub mod lexer;
pub mod parser;
pub mod regex;
pub mod specials;
