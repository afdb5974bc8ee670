//! A namespace for tests (the crate's own, and others' with the `test-support`
//! feature): an in-memory tree of directories, files and symbolic links with mounts,
//! which asserts the resolver's side of the [`Namespace`] contract.

use alloc::vec;
use alloc::vec::Vec;

use kabi::Errno;

use crate::{Kind, NAME_MAX, Namespace};

/// A node of the mock: its index in [`Mock::nodes`].
pub type Id = usize;

/// The root directory.
pub const ROOT: Id = 0;

#[derive(Debug, Clone)]
pub enum Node {
    /// A directory: its physical parent (itself for a file system's root), its
    /// entries, whether the caller may search it, whether it has been removed
    /// ([`Namespace::is_removed`]).
    Dir {
        parent: Id,
        children: Vec<(Vec<u8>, Id)>,
        searchable: bool,
        removed: bool,
    },
    File,
    /// A symbolic link and its target.
    Link(Vec<u8>),
}

/// A namespace: nodes, and (mount point, mounted root) pairs.
#[derive(Debug, Clone)]
pub struct Mock {
    pub nodes: Vec<Node>,
    pub mounts: Vec<(Id, Id)>,
}

/// A namespace of the root directory alone.
impl Default for Mock {
    fn default() -> Mock {
        Mock {
            nodes: vec![Node::Dir { parent: ROOT, children: Vec::new(), searchable: true, removed: false }],
            mounts: Vec::new(),
        }
    }
}

impl Mock {
    /// The directories, in the order made.
    pub fn directories(&self) -> Vec<Id> {
        (0..self.nodes.len()).filter(|&id| matches!(self.nodes[id], Node::Dir { .. })).collect()
    }

    /// Adds `node` as `name` in the directory `dir`.
    pub fn add(&mut self, dir: Id, name: &str, node: Node) -> Id {
        let id = self.nodes.len();
        self.nodes.push(node);
        let Node::Dir { children, .. } = &mut self.nodes[dir] else { panic!("{dir} is not a directory") };
        children.push((name.as_bytes().to_vec(), id));
        id
    }

    pub fn dir(&mut self, parent: Id, name: &str) -> Id {
        self.add(parent, name, Node::Dir { parent, children: Vec::new(), searchable: true, removed: false })
    }

    pub fn file(&mut self, dir: Id, name: &str) -> Id {
        self.add(dir, name, Node::File)
    }

    pub fn link(&mut self, dir: Id, name: &str, target: &str) -> Id {
        self.add(dir, name, Node::Link(target.as_bytes().to_vec()))
    }

    /// A directory the caller may not search.
    pub fn locked_dir(&mut self, parent: Id, name: &str) -> Id {
        self.add(parent, name, Node::Dir { parent, children: Vec::new(), searchable: false, removed: false })
    }

    /// The root of a new file system, mounted over the directory `mount_point`. As a
    /// file system's root, its own parent is itself; the mount makes `..` leave it.
    pub fn mount(&mut self, mount_point: Id) -> Id {
        let id = self.nodes.len();
        self.nodes.push(Node::Dir { parent: id, children: Vec::new(), searchable: true, removed: false });
        self.mounts.push((mount_point, id));
        id
    }

    /// Marks the directory `dir` removed (its entries are gone; it is still in use).
    pub fn remove(&mut self, dir: Id) {
        let Node::Dir { removed, .. } = &mut self.nodes[dir] else { panic!("{dir} is not a directory") };
        *removed = true;
    }

    /// The node at `path` (absolute, plain names only), found without the resolver.
    pub fn node(&self, path: &str) -> Id {
        path.split('/')
            .filter(|name| !name.is_empty())
            .fold(ROOT, |dir, name| self.child(&dir, name.as_bytes()).unwrap_or_else(|_| panic!("no {name} in {path}")))
    }
}

impl Namespace for Mock {
    type Node = Id;

    fn root(&self) -> Id {
        ROOT
    }

    fn kind(&self, node: &Id) -> Kind {
        match self.nodes[*node] {
            Node::Dir { .. } => Kind::Directory,
            Node::File => Kind::Other,
            Node::Link(_) => Kind::Symlink,
        }
    }

    fn child(&self, dir: &Id, name: &[u8]) -> Result<Id, Errno> {
        assert!(!name.is_empty() && name != b"." && name != b".." && !name.contains(&b'/'), "bad name {name:?}");
        assert!(name.len() <= NAME_MAX, "name of {} bytes", name.len());
        let Node::Dir { children, .. } = &self.nodes[*dir] else { panic!("child of non-directory {dir}") };
        let id = children.iter().find(|(entry, _)| entry == name).map(|&(_, id)| id).ok_or(Errno::ENOENT)?;
        Ok(self.mounts.iter().find(|&&(point, _)| point == id).map_or(id, |&(_, root)| root))
    }

    fn parent(&self, dir: &Id) -> Id {
        if let Some(&(point, _)) = self.mounts.iter().find(|&&(_, root)| root == *dir) {
            return self.parent(&point);
        }
        let Node::Dir { parent, .. } = self.nodes[*dir] else { panic!("parent of non-directory {dir}") };
        parent
    }

    fn read_link(&self, link: &Id) -> Result<Vec<u8>, Errno> {
        let Node::Link(target) = &self.nodes[*link] else { panic!("read_link of non-link {link}") };
        Ok(target.clone())
    }

    fn may_search(&self, dir: &Id) -> bool {
        let Node::Dir { searchable, .. } = self.nodes[*dir] else { panic!("may_search of non-directory {dir}") };
        searchable
    }

    fn is_removed(&self, dir: &Id) -> bool {
        let Node::Dir { removed, .. } = self.nodes[*dir] else { panic!("is_removed of non-directory {dir}") };
        removed
    }
}
