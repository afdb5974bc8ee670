//! Files: the VFS (tmpfs root from the initramfs, devfs at /dev with devpts at
//! /dev/pts, procfs at /proc), open files and descriptor tables, shared mappings
//! of files, pipes, terminals (the console and pseudo-terminals), and event files
//! (eventfd, epoll, timerfd, signalfd).
pub mod devfs;
pub mod epoll;
pub mod eventfd;
pub mod fdtable;
pub mod fifo;
pub mod file;
pub mod kmsg;
pub mod mapping;
pub mod mounts;
pub mod ops;
pub mod pipe;
pub mod processes;
pub mod procfs;
pub mod pty;
pub mod root;
pub mod signalfd;
pub mod socket;
pub mod timerfd;
pub mod tty;
pub mod vfs;

pub use fdtable::FdTable;
