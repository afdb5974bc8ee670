//! Files: the root file tree (from the initramfs), open files and descriptor
//! tables, and the console TTY.
pub mod fdtable;
pub mod file;
pub mod root;
pub mod tty;

pub use fdtable::FdTable;
