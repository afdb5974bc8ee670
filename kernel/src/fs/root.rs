//! The root file tree, unpacked from the initramfs (a cpio archive GRUB loaded as a
//! module) at boot, and the path operations syscalls need.
use alloc::vec::Vec;

use kabi::Errno;
use ramfs::{FileType, InodeRef, Tree};

static TREE: spin::Once<Tree> = spin::Once::new();

/// Unpack the initramfs. Returns the number of bytes it held.
pub fn init(initramfs: &[u8]) -> Result<usize, ramfs::LoadError> {
    let tree = Tree::from_cpio(initramfs)?;
    TREE.call_once(|| tree);
    Ok(initramfs.len())
}

pub fn tree() -> &'static Tree {
    TREE.get().expect("root file system unpacked")
}

pub fn root_dir() -> InodeRef {
    tree().root().clone()
}

pub fn lookup(cwd: &InodeRef, path: &[u8], follow: bool) -> Result<InodeRef, Errno> {
    tree().lookup(cwd, path, follow)
}

/// Whether the owner may execute `inode` (everything runs as root, which Linux
/// still requires to find an execute bit somewhere).
fn executable(inode: &InodeRef) -> bool {
    inode.metadata().mode & 0o111 != 0
}

/// The contents of the program at `path`, for execve: EACCES for a directory or a
/// file without an execute bit.
pub fn read_executable(cwd: &InodeRef, path: &[u8]) -> Result<Vec<u8>, Errno> {
    let inode = lookup(cwd, path, true)?;
    if inode.file_type() != FileType::Regular || !executable(&inode) {
        return Err(Errno::EACCES);
    }
    read_all(&inode)
}

/// A regular file's whole contents.
pub fn read_all(inode: &InodeRef) -> Result<Vec<u8>, Errno> {
    let mut data = alloc::vec![0u8; inode.metadata().size as usize];
    let mut done = 0;
    while done < data.len() {
        match inode.read(done as u64, &mut data[done..])? {
            0 => break,
            n => done += n,
        }
    }
    data.truncate(done);
    Ok(data)
}

/// The absolute path of a directory, for getcwd.
pub fn path_of(dir: &InodeRef) -> Result<Vec<u8>, Errno> {
    tree().path_of(dir)
}
