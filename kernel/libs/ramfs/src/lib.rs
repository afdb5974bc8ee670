//! `ramfs`: the kernel's root file system, a writable tmpfs with Linux's semantics,
//! first filled from the cpio (newc) initramfs (docs/ARCHITECTURE.md, "Files").
//!
//! - [`Tree`] owns the root and resolves paths ([`Tree::lookup`], [`Tree::lookup_as`],
//!   [`Tree::lookup_parent`]) the way Linux does, with the `pathwalk` crate: `.`, `..`
//!   (physical, root's `..` is root), repeated and trailing slashes, symbolic links (at
//!   most 40 per lookup), search permission, and Linux's errors.
//! - The tree's namespace calls ([`Tree::open`], [`Tree::create`] (regular files and
//!   socket names), [`Tree::mkdir`], [`Tree::unlink`],
//!   [`Tree::rename`], ...) check permissions and fail as Linux's tmpfs does; the
//!   kernel's syscalls map to them one to one.
//! - A [`SharedMapping`] of a regular file maps the file's own pages (`MAP_SHARED`,
//!   and `MAP_PRIVATE` until a page is written, when the kernel copies it); pages
//!   a truncate cuts off while it exists wait for the kernel to unmap them
//!   ([`Inode::take_cut_pages`]).
//! - [`Inode`]s are shared through [`InodeRef`] (`Arc<Inode>`): an open file keeps its
//!   inode and data alive after the name is gone, as on Linux. Each inode locks its own
//!   state (`spin::Mutex`); changes to names are serialized by one lock per tree.
//! - File data lives in 4 KiB [`Page`]s from a [`PageAllocator`] the kernel provides
//!   (physical frames, freed on drop), so it can run out (`ENOSPC`) and be counted
//!   ([`Tree::pages_in_use`]).
//! - The crate has no clock: calls that change times take "now" as a [`Timestamp`].
//! - [`Tree::from_cpio`] builds the tree from a cpio newc archive.
//! - It keeps no extended attributes ([`xattr::missing`]).
#![cfg_attr(not(test), no_std)]

extern crate alloc;

mod access;
mod cpio;
mod data;
mod inode;
mod mapping;
mod name_index;
mod namespace;
mod time;
mod tree;
pub mod xattr;

#[cfg(any(test, feature = "test-support"))]
pub mod test_archive;
#[cfg(any(test, feature = "test-support"))]
pub mod test_pages;

pub use access::{Access, Credentials, permitted};
pub use cpio::LoadError;
pub use data::{MAX_FILE_SIZE, PAGE_SIZE, Page, PageAllocator, Source};
pub use inode::{DirEntry, FileType, Inode, InodeRef, Metadata};
/// `renameat2` flags (`RENAME_WHITEOUT`, 4, is not supported).
pub use kabi::fs::{RENAME_EXCHANGE, RENAME_NOREPLACE};
pub use mapping::SharedMapping;
pub use name_index::seed_name_hashes;
pub use namespace::RenameFlags;
pub use pathwalk::MAX_SYMLINKS;
pub use time::{SetTime, Timestamp};
pub use tree::{LastComponent, ParentPath, ROOT_INO, Tree};
