//! `ramfs`: the kernel's in-memory root file system, filled from the cpio (newc)
//! initramfs (DESIGN.md, Decision 7).
//!
//! - [`Tree`] owns the root and resolves paths ([`Tree::lookup`]) the way Linux does:
//!   `.`, `..` (physical, root's `..` is root), repeated and trailing slashes, symbolic
//!   links (at most 40 per lookup), and Linux's errors.
//! - [`Inode`]s are shared through [`InodeRef`] (`Arc<Inode>`): an open file keeps its
//!   inode alive after the name is gone, as on Linux. Each inode locks its own state
//!   (`spin::Mutex`), so the tree can grow into a writable tmpfs without a global lock.
//! - [`Tree::from_cpio`] builds the tree from a cpio newc archive.
//! - [`path`] holds the pure path-text rules (limits, splitting into components).
#![cfg_attr(not(test), no_std)]

extern crate alloc;

mod cpio;
mod inode;
pub mod path;
mod tree;

#[cfg(test)]
mod test_archive;

pub use cpio::LoadError;
pub use inode::{DirEntry, FileType, Inode, InodeRef, Metadata};
pub use tree::{MAX_SYMLINKS, ROOT_INO, Tree};
