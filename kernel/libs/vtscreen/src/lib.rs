//! Virtual consoles on one screen (Linux's VTs): each [`Vt`] keeps its own cells,
//! cursor, escape-sequence state (`cellterm`) and a history of the lines that
//! scrolled off its top; only the visible one also draws on the [`Display`], and
//! showing another (or scrolling back through a history) redraws the display
//! from those cells. [`keys`] turns PS/2 scancodes into the bytes a key sends or
//! the console's own commands (Alt-Fn, Shift-PageUp/PageDown); [`hid`] does the
//! same for a USB keyboard's boot-protocol reports, with software key repeat.
#![cfg_attr(not(test), no_std)]

extern crate alloc;

pub mod hid;
pub mod keys;
mod screen;
mod vt;

pub use screen::{Cell, Screen};
pub use vt::{Display, Vt};

#[cfg(test)]
mod tests;
