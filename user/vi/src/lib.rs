//! `vi`: a small screen editor in the manner of vi, its editing logic pure and
//! host-tested: the text (`buffer`), undo groups (`undo`), motions (`motion`),
//! normal mode's command language (`normal`), `:` commands (`command_line`),
//! searching (`search`), files (`files`), the editor state machine (`editor`),
//! what the screen shows (`render`) and the bytes that update a terminal
//! (`screen`). `main.rs` and `terminal.rs` connect it to a real terminal.
pub mod buffer;
pub mod command_line;
pub mod editor;
pub mod files;
pub mod input;
pub mod motion;
pub mod normal;
pub mod render;
pub mod screen;
pub mod search;
pub mod undo;

#[cfg(test)]
mod tests;
