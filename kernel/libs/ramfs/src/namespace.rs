//! The calls that change names, with Linux's rules, permission checks and errors in
//! Linux's order: `open` (with `O_CREAT`, `O_EXCL`, `O_TRUNC`, ...), creating files,
//! directories, symlinks and hard links, `unlink`, `rmdir` and `rename`/`renameat2`.
//!
//! Each takes its place in the tree as a [`ParentPath`] from [`Tree::lookup_parent`]
//! (except `open`, which must follow a final symlink to create its target), the
//! caller's [`Credentials`], and "now" for the times it changes: a directory whose
//! entries change gets a new mtime and ctime, an inode that gains or loses a name a new
//! ctime, a new inode all three times "now".

use kabi::Errno;
use kabi::fs::{
    O_ACCMODE, O_CREAT, O_DIRECTORY, O_EXCL, O_NOATIME, O_NOFOLLOW, O_PATH, O_RDONLY, O_TMPFILE, O_TRUNC, O_WRONLY,
    RENAME_EXCHANGE, RENAME_NOREPLACE, S_ISGID, S_ISVTX, S_IXGRP,
};
use pathwalk::{FinalName, FinalWalk, Parent};

use crate::access::{Access, Credentials};
use crate::inode::{Attributes, FileType, Inode, InodeRef};
use crate::time::Timestamp;
use crate::tree::{LastComponent, Names, ParentPath, Tree, existing, find_entry};
use alloc::sync::Arc;

/// What `renameat2` was asked to do besides a plain rename.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenameFlags {
    /// `RENAME_NOREPLACE`: fail with `EEXIST` rather than replace.
    pub no_replace: bool,
    /// `RENAME_EXCHANGE`: swap the two names, which must both exist.
    pub exchange: bool,
}

impl RenameFlags {
    /// Decodes `renameat2` flags; `EINVAL` for unknown bits, `RENAME_EXCHANGE` with
    /// another flag, and `RENAME_WHITEOUT` (there are no device nodes to leave). Linux
    /// checks these before it looks at the paths.
    pub fn from_raw(flags: u32) -> Result<RenameFlags, Errno> {
        let no_replace = flags & RENAME_NOREPLACE != 0;
        let exchange = flags & RENAME_EXCHANGE != 0;
        if flags & !(RENAME_NOREPLACE | RENAME_EXCHANGE) != 0 || (no_replace && exchange) {
            return Err(Errno::EINVAL);
        }
        Ok(RenameFlags { no_replace, exchange })
    }
}

impl Tree {
    /// `open`/`openat`: the inode `path` names, made first when `O_CREAT` asks for it.
    ///
    /// `flags` are Linux's open flags; this handles the access mode (read and write
    /// permission, `EISDIR` for writing a directory), `O_CREAT` (creating a regular
    /// file with permission bits `mode`, umask already applied; a final symlink is
    /// followed and a dangling one's target created; a trailing slash is `EISDIR`),
    /// `O_EXCL` (`EEXIST` if the name exists, even as a symlink), `O_TRUNC` (empties an
    /// existing regular file), `O_NOFOLLOW` (a final symlink is `ELOOP`), `O_DIRECTORY`
    /// (`ENOTDIR` for anything else; with `O_CREAT`, `EINVAL`), `O_NOATIME` (`EPERM`
    /// unless the owner or root) and `O_PATH` (only looks up). `O_TMPFILE` is
    /// `EOPNOTSUPP`. The other flags (`O_APPEND`, `O_CLOEXEC`, ...) are the open file's,
    /// so the caller's. A file made here may be opened in any mode.
    pub fn open(
        &self,
        cwd: &InodeRef,
        path: &[u8],
        flags: u32,
        mode: u32,
        credentials: &Credentials<'_>,
        now: Timestamp,
    ) -> Result<InodeRef, Errno> {
        if flags & O_TMPFILE & !O_DIRECTORY != 0 {
            return Err(Errno::EOPNOTSUPP);
        }
        let mut must_be_directory = flags & O_DIRECTORY != 0;
        if flags & O_PATH != 0 {
            let inode = self.lookup_as(cwd, path, flags & O_NOFOLLOW == 0, credentials)?;
            if must_be_directory && inode.file_type() != FileType::Directory {
                return Err(Errno::ENOTDIR);
            }
            return Ok(inode);
        }
        let create = flags & O_CREAT != 0;
        if create && must_be_directory {
            return Err(Errno::EINVAL);
        }
        let exclusive = create && flags & O_EXCL != 0;
        let follow_final_symlink = flags & O_NOFOLLOW == 0 && !exclusive;
        let names = Names { tree: self, credentials };
        let mut walk = FinalWalk::new(&names, &Some(cwd.clone()), path)?;
        let (inode, created) = loop {
            let Parent { dir, last, trailing_slash } = walk.parent()?;
            let directory = existing(dir)?;
            let name = match last {
                FinalName::Name(name) => name,
                FinalName::Dot => break (directory, false),
                FinalName::DotDot => break (directory.parent()?, false),
                FinalName::Root => break (self.root.clone(), false),
            };
            let found = if create {
                if trailing_slash {
                    return Err(Errno::EISDIR);
                }
                match self.find_or_create(&directory, name, mode, credentials, now)? {
                    (inode, true) => break (inode, true),
                    (inode, false) => inode,
                }
            } else {
                must_be_directory |= trailing_slash;
                find_entry(&directory, name)?.ok_or(Errno::ENOENT)?
            };
            if found.file_type() == FileType::Symlink && (follow_final_symlink || trailing_slash) {
                walk.follow_link(&Some(found))?;
                continue;
            }
            break (found, false);
        };
        if created {
            return Ok(inode);
        }
        let flags = if must_be_directory { flags | O_DIRECTORY } else { flags };
        self.open_found(inode, flags, credentials, now)
    }

    /// The rest of [`Tree::open`] once the final component is found: an existing
    /// inode, not a link to follow (its walk's caller made the walk's checks).
    /// `O_CREAT` (with `O_EXCL`: `EEXIST`) and `O_DIRECTORY` are checked against it,
    /// then the access mode, `O_NOATIME` and `O_TRUNC`; `O_PATH` and `O_TMPFILE` are
    /// not for this (see `open`).
    pub fn open_found(
        &self,
        inode: InodeRef,
        flags: u32,
        credentials: &Credentials<'_>,
        now: Timestamp,
    ) -> Result<InodeRef, Errno> {
        if flags & O_CREAT != 0 {
            if flags & O_EXCL != 0 {
                return Err(Errno::EEXIST);
            }
            if inode.file_type() == FileType::Directory {
                return Err(Errno::EISDIR);
            }
        }
        if flags & O_DIRECTORY != 0 && inode.file_type() != FileType::Directory {
            return Err(Errno::ENOTDIR);
        }
        let access_mode = flags & O_ACCMODE;
        let truncate = flags & O_TRUNC != 0;
        let want = Access { read: access_mode != O_WRONLY, write: access_mode != O_RDONLY || truncate, execute: false };
        match inode.file_type() {
            FileType::Symlink => return Err(Errno::ELOOP),
            FileType::Directory if want.write => return Err(Errno::EISDIR),
            _ => {}
        }
        if !inode.may_access(credentials, want) {
            return Err(Errno::EACCES);
        }
        if inode.file_type() == FileType::Socket {
            return Err(Errno::ENXIO); // sockets are reached by connect, never opened
        }
        if flags & O_NOATIME != 0 && !credentials.owns(inode.attributes().uid) {
            return Err(Errno::EPERM);
        }
        if truncate && inode.file_type() == FileType::Regular {
            inode.truncate(0, now)?;
        }
        Ok(inode)
    }

    /// The regular file `name` in `directory`, made if missing; whether it was made.
    fn find_or_create(
        &self,
        directory: &InodeRef,
        name: &[u8],
        mode: u32,
        credentials: &Credentials<'_>,
        now: Timestamp,
    ) -> Result<(InodeRef, bool), Errno> {
        let _namespace = self.namespace.lock();
        if let Some(existing) = find_entry(directory, name)? {
            return Ok((existing, false));
        }
        may_create(directory, credentials)?;
        let attributes = new_attributes(directory, FileType::Regular, mode, credentials, now);
        let file = Inode::new_regular(self.allocate_ino(), attributes, self.store.clone());
        add(directory, name, &file, now);
        Ok((file, true))
    }

    /// `mknod` of a regular file (or `open` with `O_CREAT | O_EXCL`, less the
    /// opening), of a named pipe, or of a socket (`bind` of a Unix-domain socket
    /// to a path): an empty
    /// inode with permission bits `mode` (umask already applied). Errors as
    /// [`Tree::mkdir`] (`EEXIST` if the name exists, which `bind` reports as
    /// `EADDRINUSE`), `ENOENT` for a trailing slash on a missing name, `EINVAL` for
    /// other kinds.
    pub fn create(
        &self,
        at: &ParentPath,
        kind: FileType,
        mode: u32,
        credentials: &Credentials<'_>,
        now: Timestamp,
    ) -> Result<InodeRef, Errno> {
        if !matches!(kind, FileType::Regular | FileType::Socket | FileType::Fifo) {
            return Err(Errno::EINVAL);
        }
        let _namespace = self.namespace.lock();
        let name = name_to_create(at, false)?;
        may_create(&at.directory, credentials)?;
        let attributes = new_attributes(&at.directory, kind, mode, credentials, now);
        let ino = self.allocate_ino();
        let inode = match kind {
            FileType::Socket => Inode::new_socket(ino, attributes),
            FileType::Fifo => Inode::new_fifo(ino, attributes),
            _ => Inode::new_regular(ino, attributes, self.store.clone()),
        };
        add(&at.directory, name, &inode, now);
        Ok(inode)
    }

    /// `mkdir`: an empty directory with permission bits `mode` (umask already applied;
    /// set-id bits other than sticky dropped, set-group-id inherited from a set-group-id
    /// parent, whose group it takes). `EEXIST` if the name exists (or is `.`, `..` or
    /// the root), `ENAMETOOLONG`, `ENOENT` in a removed directory, `EACCES` without
    /// write and search permission on the parent.
    pub fn mkdir(
        &self,
        at: &ParentPath,
        mode: u32,
        credentials: &Credentials<'_>,
        now: Timestamp,
    ) -> Result<InodeRef, Errno> {
        let _namespace = self.namespace.lock();
        let name = name_to_create(at, true)?;
        may_create(&at.directory, credentials)?;
        let attributes = new_attributes(&at.directory, FileType::Directory, mode, credentials, now);
        let directory = Inode::new_directory(self.allocate_ino(), attributes);
        add(&at.directory, name, &directory, now);
        Ok(directory)
    }

    /// `symlink`: a link to `target` (stored as given, never checked). `ENOENT` for an
    /// empty target, `ENAMETOOLONG` for one of `PATH_MAX` bytes or more; otherwise
    /// errors as [`Tree::create`].
    pub fn symlink(
        &self,
        target: &[u8],
        at: &ParentPath,
        credentials: &Credentials<'_>,
        now: Timestamp,
    ) -> Result<InodeRef, Errno> {
        pathwalk::check_path(target)?;
        let _namespace = self.namespace.lock();
        let name = name_to_create(at, false)?;
        may_create(&at.directory, credentials)?;
        let attributes = new_attributes(&at.directory, FileType::Symlink, 0o777, credentials, now);
        let link = Inode::new_symlink(self.allocate_ino(), attributes, target);
        add(&at.directory, name, &link, now);
        Ok(link)
    }

    /// `link`: a new name for `inode` (which the caller looked up, following a final
    /// symlink or not). Errors as [`Tree::create`], then `EPERM` for a directory
    /// and `ENOENT` for an inode with no names left.
    pub fn link(
        &self,
        inode: &InodeRef,
        at: &ParentPath,
        credentials: &Credentials<'_>,
        now: Timestamp,
    ) -> Result<(), Errno> {
        let _namespace = self.namespace.lock();
        let name = name_to_create(at, false)?;
        may_create(&at.directory, credentials)?;
        if inode.file_type() == FileType::Directory {
            return Err(Errno::EPERM);
        }
        if inode.nlink() == 0 {
            return Err(Errno::ENOENT);
        }
        add(&at.directory, name, inode, now);
        inode.changed(now);
        Ok(())
    }

    /// `unlink`: removes a name of anything but a directory. `EISDIR` for a directory
    /// (or `.`, `..`, the root), `ENOENT` if missing, `ENOTDIR` for a trailing slash
    /// after a non-directory, `EACCES` without write and search permission on the
    /// parent, `EPERM` in a sticky directory when the caller owns neither it nor the
    /// file. The inode and its data live on while open.
    pub fn unlink(&self, at: &ParentPath, credentials: &Credentials<'_>, now: Timestamp) -> Result<(), Errno> {
        let LastComponent::Name(name) = &at.last else {
            return Err(Errno::EISDIR);
        };
        let _namespace = self.namespace.lock();
        let victim = find_entry(&at.directory, name)?.ok_or(Errno::ENOENT)?;
        if at.trailing_slash {
            return Err(if victim.file_type() == FileType::Directory { Errno::EISDIR } else { Errno::ENOTDIR });
        }
        may_delete(&at.directory, &victim, false, credentials)?;
        remove(&at.directory, name, &victim, now);
        Ok(())
    }

    /// `rmdir`: removes an empty directory. `EINVAL` for `.`, `ENOTEMPTY` for `..`,
    /// `EBUSY` for the root, `ENOENT` if missing, `ENOTDIR` for a non-directory,
    /// `ENOTEMPTY` if it has entries, and permission errors as [`Tree::unlink`]. A
    /// removed directory still open or someone's cwd has no entries, lists nothing
    /// (`ENOENT`) and takes no new ones (`ENOENT`).
    pub fn rmdir(&self, at: &ParentPath, credentials: &Credentials<'_>, now: Timestamp) -> Result<(), Errno> {
        let name = match &at.last {
            LastComponent::Name(name) => name,
            LastComponent::Dot => return Err(Errno::EINVAL),
            LastComponent::DotDot => return Err(Errno::ENOTEMPTY),
            LastComponent::Root => return Err(Errno::EBUSY),
        };
        let _namespace = self.namespace.lock();
        let victim = find_entry(&at.directory, name)?.ok_or(Errno::ENOENT)?;
        may_delete(&at.directory, &victim, true, credentials)?;
        if !victim.is_empty_directory() {
            return Err(Errno::ENOTEMPTY);
        }
        remove(&at.directory, name, &victim, now);
        Ok(())
    }

    /// `rename`/`renameat2` from `from` to `to`, as one step: `to` names the old inode
    /// until it names the new one.
    ///
    /// In Linux's order: `EBUSY` when either final component is `.`, `..` or the root
    /// (`EEXIST` for `to` with `no_replace`); `ENOENT` if `from` is missing; `EEXIST`
    /// if `to` exists with `no_replace`; with `exchange`, `ENOENT` if `to` is missing;
    /// `ENOTDIR` for a trailing slash after a non-directory; `EINVAL` when a directory
    /// would move into itself or its own subtree; `ENOTEMPTY` (`EINVAL` with
    /// `exchange`) when `to` is an ancestor of `from`. Renaming an inode onto another
    /// name of itself does nothing. Then the permission checks of [`Tree::unlink`] on
    /// both parents (creating needs write and search on `to`'s directory, a removed one
    /// is `ENOENT`); `ENOTDIR` for a directory over a non-directory, `EISDIR` for the
    /// reverse; `EACCES` for moving a directory to another parent without write
    /// permission on it (its `..` changes); `ENOTEMPTY` for replacing a directory that
    /// has entries.
    pub fn rename(
        &self,
        from: &ParentPath,
        to: &ParentPath,
        flags: RenameFlags,
        credentials: &Credentials<'_>,
        now: Timestamp,
    ) -> Result<(), Errno> {
        let LastComponent::Name(old_name) = &from.last else {
            return Err(Errno::EBUSY);
        };
        let LastComponent::Name(new_name) = &to.last else {
            return Err(if flags.no_replace { Errno::EEXIST } else { Errno::EBUSY });
        };
        let _namespace = self.namespace.lock();
        let source = find_entry(&from.directory, old_name)?.ok_or(Errno::ENOENT)?;
        let target = find_entry(&to.directory, new_name)?;
        if flags.no_replace && target.is_some() {
            return Err(Errno::EEXIST);
        }
        let source_is_directory = source.file_type() == FileType::Directory;
        let target_is_directory = target.as_ref().is_some_and(|target| target.file_type() == FileType::Directory);
        if flags.exchange {
            if target.is_none() {
                return Err(Errno::ENOENT);
            }
            if !target_is_directory && to.trailing_slash {
                return Err(Errno::ENOTDIR);
            }
        }
        if !source_is_directory && (from.trailing_slash || (!flags.exchange && to.trailing_slash)) {
            return Err(Errno::ENOTDIR);
        }
        let same_directory = Arc::ptr_eq(&from.directory, &to.directory);
        if !same_directory {
            if is_ancestor(&source, &to.directory) {
                return Err(Errno::EINVAL);
            }
            if target.as_ref().is_some_and(|target| is_ancestor(target, &from.directory)) {
                return Err(if flags.exchange { Errno::EINVAL } else { Errno::ENOTEMPTY });
            }
        }
        if target.as_ref().is_some_and(|target| Arc::ptr_eq(target, &source)) {
            return Ok(());
        }
        may_delete(&from.directory, &source, source_is_directory, credentials)?;
        match &target {
            None => may_create(&to.directory, credentials)?,
            Some(target) => {
                let as_directory = if flags.exchange { target_is_directory } else { source_is_directory };
                may_delete(&to.directory, target, as_directory, credentials)?;
            }
        }
        if !same_directory {
            let moves_directory = |inode: &InodeRef| inode.file_type() == FileType::Directory;
            let may_write = |inode: &InodeRef| inode.may_access(credentials, Access::WRITE);
            if moves_directory(&source) && !may_write(&source) {
                return Err(Errno::EACCES);
            }
            if flags.exchange && target.as_ref().is_some_and(|target| moves_directory(target) && !may_write(target)) {
                return Err(Errno::EACCES);
            }
        }
        if !flags.exchange && target_is_directory && target.as_ref().is_some_and(|target| !target.is_empty_directory())
        {
            return Err(Errno::ENOTEMPTY);
        }
        let (Some(old_entries), Some(new_entries)) = (from.directory.directory(), to.directory.directory()) else {
            return Err(Errno::ENOTDIR);
        };
        match target {
            Some(target) if flags.exchange => {
                old_entries.lock().swap(old_name, target.clone());
                new_entries.lock().swap(new_name, source.clone());
                if !same_directory {
                    to.directory.adopted(&from.directory, &source);
                    from.directory.adopted(&to.directory, &target);
                }
                target.changed(now);
            }
            target => {
                new_entries.lock().put(new_name, source.clone());
                old_entries.lock().remove(old_name);
                to.directory.adopted(&from.directory, &source);
                if let Some(target) = target {
                    to.directory.lost_name(&target);
                    target.changed(now);
                }
            }
        }
        from.directory.modified(now);
        to.directory.modified(now);
        source.changed(now);
        Ok(())
    }
}

/// Links `inode` into `directory` as `name`, which is free.
fn add(directory: &InodeRef, name: &[u8], inode: &InodeRef, now: Timestamp) {
    if let Some(entries) = directory.directory() {
        entries.lock().put(name, inode.clone());
        directory.gained_name(inode);
        directory.modified(now);
    }
}

/// Unlinks `name`, which names `victim`, from `directory`.
fn remove(directory: &InodeRef, name: &[u8], victim: &InodeRef, now: Timestamp) {
    if let Some(entries) = directory.directory() {
        entries.lock().remove(name);
        directory.lost_name(victim);
        directory.modified(now);
        victim.changed(now);
    }
}

/// The name `at` asks to create, checked as Linux's `filename_create` does: `EEXIST`
/// for `.`, `..` and the root, `ENOENT`/`ENAMETOOLONG` from looking it up, `EEXIST` if
/// it exists, and `ENOENT` for a trailing slash unless a directory is being made.
fn name_to_create(at: &ParentPath, making_directory: bool) -> Result<&[u8], Errno> {
    let LastComponent::Name(name) = &at.last else {
        return Err(Errno::EEXIST);
    };
    if find_entry(&at.directory, name)?.is_some() {
        return Err(Errno::EEXIST);
    }
    if at.trailing_slash && !making_directory {
        return Err(Errno::ENOENT);
    }
    Ok(name)
}

/// Whether the caller may add a name to `directory` (`may_create`): `ENOENT` if it was
/// removed, `EACCES` without write and search permission.
fn may_create(directory: &InodeRef, credentials: &Credentials<'_>) -> Result<(), Errno> {
    if directory.is_dead() {
        return Err(Errno::ENOENT);
    }
    if !directory.may_access(credentials, Access::WRITE_SEARCH) {
        return Err(Errno::EACCES);
    }
    Ok(())
}

/// Whether the caller may remove `victim` from `directory` (`may_delete`): `EACCES`
/// without write and search permission; `EPERM` in a sticky directory unless the caller
/// owns the victim or the directory or is root; then the victim must be a directory
/// when `as_directory` (`ENOTDIR`) and must not be one otherwise (`EISDIR`).
fn may_delete(
    directory: &InodeRef,
    victim: &InodeRef,
    as_directory: bool,
    credentials: &Credentials<'_>,
) -> Result<(), Errno> {
    if !directory.may_access(credentials, Access::WRITE_SEARCH) {
        return Err(Errno::EACCES);
    }
    let directory_attributes = directory.attributes();
    if directory_attributes.permissions & S_ISVTX != 0
        && !credentials.owns(victim.attributes().uid)
        && credentials.uid != directory_attributes.uid
    {
        return Err(Errno::EPERM);
    }
    match (as_directory, victim.file_type() == FileType::Directory) {
        (true, false) => Err(Errno::ENOTDIR),
        (false, true) => Err(Errno::EISDIR),
        _ => Ok(()),
    }
}

/// Whether `inode` is `directory` or one of its ancestors (walking `..` up to the root).
fn is_ancestor(inode: &InodeRef, directory: &InodeRef) -> bool {
    if inode.file_type() != FileType::Directory {
        return false;
    }
    let mut current = directory.clone();
    loop {
        if Arc::ptr_eq(&current, inode) {
            return true;
        }
        match current.parent() {
            Ok(parent) if !Arc::ptr_eq(&parent, &current) => current = parent,
            _ => return false,
        }
    }
}

/// The attributes of a new inode of `kind` in `parent` (Linux's `vfs_prepare_mode` and
/// `inode_init_owner`): the caller's uid and gid, all times `now`, and `mode` limited to
/// what the kind may have; in a set-group-id directory the parent's group, and a
/// directory inherits set-group-id while a file made by an outsider to that group
/// loses it (if group-executable).
fn new_attributes(
    parent: &Inode,
    kind: FileType,
    mode: u32,
    credentials: &Credentials<'_>,
    now: Timestamp,
) -> Attributes {
    let parent_attributes = parent.attributes();
    let mut permissions = mode
        & match kind {
            FileType::Directory => 0o1777,
            FileType::Regular | FileType::Socket | FileType::Fifo => 0o7777,
            FileType::Symlink => 0o777,
        };
    let mut gid = credentials.gid;
    if parent_attributes.permissions & S_ISGID != 0 {
        gid = parent_attributes.gid;
        if kind == FileType::Directory {
            permissions |= S_ISGID;
        } else if permissions & (S_ISGID | S_IXGRP) == S_ISGID | S_IXGRP
            && !credentials.in_group_or_root(parent_attributes.gid)
        {
            permissions &= !S_ISGID;
        }
    }
    Attributes::new(permissions, credentials.uid, gid, now)
}

#[cfg(test)]
mod tests;
