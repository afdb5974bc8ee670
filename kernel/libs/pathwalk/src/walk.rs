//! The walk shared by `resolve` and `resolve_parent`: every component but the last,
//! following links through an explicit stack of pending path texts (Linux's
//! `link_path_walk` with its `nd->stack`).

use alloc::borrow::Cow;
use alloc::vec::Vec;
use core::ops::Range;

use kabi::Errno;

use crate::{Kind, MAX_SYMLINKS, Namespace, check_name};

/// Where [`Walker::walk_to_last`] stopped.
pub(crate) enum Last {
    /// No component is left: the text walked was all slashes, so it named the root
    /// (which the walk is at).
    Root,
    /// The final component: `name` indexes the walk's final text
    /// ([`Walker::final_text`]), which is the path itself unless a final link was
    /// followed.
    Component { name: Range<usize>, trailing_slash: bool },
}

/// A path text still to walk: the path, or the target of a followed link.
struct Frame<'p> {
    text: Cow<'p, [u8]>,
    /// How much of `text` is walked.
    position: usize,
}

/// A stack of frames whose bottom one is held inline: most walks follow no link,
/// so they allocate nothing. (`links` is empty whenever `bottom` is.)
#[derive(Default)]
struct Frames<'p> {
    bottom: Option<Frame<'p>>,
    links: Vec<Frame<'p>>,
}

impl<'p> Frames<'p> {
    fn len(&self) -> usize {
        usize::from(self.bottom.is_some()) + self.links.len()
    }

    fn first(&self) -> Option<&Frame<'p>> {
        self.bottom.as_ref()
    }

    fn last_mut(&mut self) -> Option<&mut Frame<'p>> {
        self.links.last_mut().or(self.bottom.as_mut())
    }

    fn push(&mut self, frame: Frame<'p>) {
        if self.bottom.is_none() {
            self.bottom = Some(frame);
        } else {
            self.links.push(frame);
        }
    }

    fn pop(&mut self) {
        if self.links.pop().is_none() {
            self.bottom = None;
        }
    }

    fn clear(&mut self) {
        self.links.clear();
        self.bottom = None;
    }
}

/// The state of one resolution.
pub(crate) struct Walker<'n, 'p, N: Namespace> {
    ns: &'n N,
    /// The directory the next component is looked up in.
    current: N::Node,
    /// The texts still to walk, the innermost (most recently followed link) last.
    /// Each holds another component, except one just pushed that is all slashes (and
    /// is dropped at once), so a component is the final one of the whole walk exactly
    /// when it is the last of the only frame. At most [`MAX_SYMLINKS`] + 1 frames.
    frames: Frames<'p>,
    /// Links followed so far, in the whole resolution.
    links_followed: usize,
}

impl<'n, 'p, N: Namespace> Walker<'n, 'p, N> {
    /// A walk of `path` (already checked) from `cwd`, or from the root when absolute.
    pub(crate) fn new(ns: &'n N, cwd: &N::Node, path: &'p [u8]) -> Self {
        let mut walker = Walker { ns, current: cwd.clone(), frames: Frames::default(), links_followed: 0 };
        walker.push_text(Cow::Borrowed(path));
        walker
    }

    /// The node the walk is at: the directory the final component is looked up in.
    pub(crate) fn current(&self) -> &N::Node {
        &self.current
    }

    pub(crate) fn set_current(&mut self, node: N::Node) {
        self.current = node;
    }

    pub(crate) fn into_current(self) -> N::Node {
        self.current
    }

    /// The text the final component of [`Last::Component`] indexes.
    pub(crate) fn final_text(&self, name: Range<usize>) -> &[u8] {
        self.frames.first().map_or(&[], |frame| &frame.text[name])
    }

    /// Walks every component but the final one, following the links among them.
    pub(crate) fn walk_to_last(&mut self) -> Result<Last, Errno> {
        loop {
            let depth = self.frames.len();
            let Some(frame) = self.frames.last_mut() else {
                return Ok(Last::Root);
            };
            let text = &frame.text[frame.position..];
            let Some(name) = first_component(text) else {
                // A path or link target of only slashes: the walk is at the root.
                self.frames.pop();
                continue;
            };
            // Only slashes after it (checked up to the first other byte).
            let is_last_of_frame = text[name.end..].iter().all(|&byte| byte == b'/');
            if is_last_of_frame && depth == 1 {
                let trailing_slash = name.end < text.len();
                let start = frame.position;
                return Ok(Last::Component { name: start + name.start..start + name.end, trailing_slash });
            }
            let next = step(self.ns, &self.current, &text[name.clone()])?;
            if is_last_of_frame {
                self.frames.pop();
            } else {
                frame.position += name.end;
            }
            if self.ns.kind(&next) == Kind::Symlink {
                // In the middle of the walk, links are always followed; a relative
                // target starts from `current`, the directory holding the link.
                self.follow(&next)?;
            } else {
                self.current = next;
            }
        }
    }

    /// [`walk_to_last`](Self::walk_to_last), then checks that the final component's
    /// directory is one the caller may search (Linux checks it before it looks at the
    /// final component), unless the path named the root.
    pub(crate) fn walk_to_parent(&mut self) -> Result<Last, Errno> {
        let last = self.walk_to_last()?;
        if let Last::Component { .. } = last {
            check_searchable(self.ns, &self.current)?;
        }
        Ok(last)
    }

    /// Follows `link`, the final component: its target replaces the walked text, to
    /// be walked by the next [`walk_to_last`](Self::walk_to_last).
    pub(crate) fn follow_final_link(&mut self, link: &N::Node) -> Result<(), Errno> {
        self.frames.clear();
        self.follow(link)
    }

    /// Counts one more link (`ELOOP` past [`MAX_SYMLINKS`]) and schedules its target.
    fn follow(&mut self, link: &N::Node) -> Result<(), Errno> {
        if self.links_followed >= MAX_SYMLINKS {
            return Err(Errno::ELOOP);
        }
        self.links_followed += 1;
        let target = self.ns.read_link(link)?;
        if target.is_empty() {
            return Err(Errno::ENOENT);
        }
        self.push_text(Cow::Owned(target));
        Ok(())
    }

    /// Schedules `text` to be walked next, jumping to the root when it is absolute.
    fn push_text(&mut self, text: Cow<'p, [u8]>) {
        if text.first() == Some(&b'/') {
            self.current = self.ns.root();
        }
        self.frames.push(Frame { text, position: 0 });
    }
}

/// Looks up one component (`.`, `..` or a name) in `dir`, after checking that `dir`
/// is a directory the caller may search. The result is not followed if a link.
pub(crate) fn step<N: Namespace>(ns: &N, dir: &N::Node, name: &[u8]) -> Result<N::Node, Errno> {
    check_searchable(ns, dir)?;
    match name {
        b"." => Ok(dir.clone()),
        b".." => Ok(ns.parent(dir)),
        _ => {
            // Linux's order: a removed directory, then the file system's length check.
            if ns.is_removed(dir) {
                return Err(Errno::ENOENT);
            }
            check_name(name)?;
            ns.child(dir, name)
        }
    }
}

/// `ENOTDIR` unless `dir` is a directory, then `EACCES` unless the caller may search
/// it (Linux's order: the walk checks the kind after each step, `may_lookup` before
/// the next).
pub(crate) fn check_searchable<N: Namespace>(ns: &N, dir: &N::Node) -> Result<(), Errno> {
    if ns.kind(dir) != Kind::Directory {
        Err(Errno::ENOTDIR)
    } else if !ns.may_search(dir) {
        Err(Errno::EACCES)
    } else {
        Ok(())
    }
}

/// Where the first component of `text` is, skipping the slashes before it; `None`
/// when `text` is empty or all slashes.
fn first_component(text: &[u8]) -> Option<Range<usize>> {
    let start = text.iter().position(|&byte| byte != b'/')?;
    let end = text[start..].iter().position(|&byte| byte == b'/').map_or(text.len(), |length| start + length);
    Some(start..end)
}
