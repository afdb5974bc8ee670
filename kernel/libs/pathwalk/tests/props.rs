//! Property tests of path resolution over generated namespaces (directories, files,
//! symlinks with any targets, loops included, unsearchable and removed directories,
//! mounts): `resolve` and `resolve_parent` agree with a plain recursive resolver
//! written from Linux's rules, a `FinalWalk` that follows final links as `open` does
//! agrees with `resolve`, repeated slashes and `./` change nothing, huge paths are
//! `ENAMETOOLONG`, and nothing panics or hangs on any byte path.

use kabi::Errno;
use pathwalk::testing::{Id, Mock, Node, ROOT};
use pathwalk::{FinalName, FinalWalk, Kind, MAX_SYMLINKS, NAME_MAX, Namespace, PATH_MAX, Parent};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm};

/// `cases` cases (`PROPTEST_CASES` sets another number, for a longer run), drawn
/// with the XorShift generator (ChaCha dominates the run time in debug builds),
/// without regression files in the source tree (a failure prints its input; it
/// becomes a plain `#[test]`).
fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|value| value.parse().ok()).unwrap_or(cases);
    Config { cases, failure_persistence: None, rng_algorithm: RngAlgorithm::XorShift, ..Config::default() }
}

// ---------------------------------------------------------------------------------
// The reference: Linux's rules, written as directly as they are said. The limits on
// the path text (empty, `PATH_MAX` bytes) are the crate's `check_path`, which its
// unit tests pin at the edges.

fn components(text: &[u8]) -> Vec<&[u8]> {
    text.split(|&byte| byte == b'/').filter(|component| !component.is_empty()).collect()
}

/// Looks `name` up in `dir`: `dir` must be a directory (`ENOTDIR`) the caller may
/// search (`EACCES`); `.` is `dir`, `..` its parent; a name in a removed directory is
/// `ENOENT`, a name over `NAME_MAX` bytes `ENAMETOOLONG`.
fn reference_step(ns: &Mock, dir: Id, name: &[u8]) -> Result<Id, Errno> {
    if ns.kind(&dir) != Kind::Directory {
        return Err(Errno::ENOTDIR);
    }
    if !ns.may_search(&dir) {
        return Err(Errno::EACCES);
    }
    match name {
        b"." => Ok(dir),
        b".." => Ok(ns.parent(&dir)),
        _ if ns.is_removed(&dir) => Err(Errno::ENOENT),
        _ if name.len() > NAME_MAX => Err(Errno::ENAMETOOLONG),
        _ => ns.child(&dir, name),
    }
}

/// Follows `link`, found in `dir`: one more link (`ELOOP` past 40), its target
/// (`ENOENT` when empty) resolved from `dir`, final links followed.
fn reference_follow(ns: &Mock, dir: Id, link: Id, links: &mut usize) -> Result<Id, Errno> {
    if *links >= MAX_SYMLINKS {
        return Err(Errno::ELOOP);
    }
    *links += 1;
    let target = ns.read_link(&link)?;
    if target.is_empty() {
        return Err(Errno::ENOENT);
    }
    reference_walk(ns, dir, &target, true, links)
}

/// Resolves `text` from `start` (from the root when absolute): each component looked
/// up, links in the middle followed, the final one when `follow_final` or a slash
/// follows it; a trailing slash wants a directory.
fn reference_walk(ns: &Mock, start: Id, text: &[u8], follow_final: bool, links: &mut usize) -> Result<Id, Errno> {
    let mut current = if text.starts_with(b"/") { ns.root() } else { start };
    let names = components(text);
    let trailing_slash = !names.is_empty() && text.ends_with(b"/");
    for (index, name) in names.iter().enumerate() {
        let is_final = index + 1 == names.len();
        let next = reference_step(ns, current, name)?;
        current = if ns.kind(&next) == Kind::Symlink && (!is_final || follow_final || trailing_slash) {
            reference_follow(ns, current, next, links)?
        } else {
            next
        };
    }
    if trailing_slash && ns.kind(&current) != Kind::Directory {
        return Err(Errno::ENOTDIR);
    }
    Ok(current)
}

fn reference_resolve(ns: &Mock, cwd: Id, path: &[u8], follow_final: bool) -> Result<Id, Errno> {
    pathwalk::check_path(path)?;
    reference_walk(ns, cwd, path, follow_final, &mut 0)
}

/// What `resolve_parent` gives, as (directory, final component, trailing slash).
fn reference_parent(ns: &Mock, cwd: Id, path: &[u8]) -> Result<(Id, FinalName<'static>, Vec<u8>, bool), Errno> {
    pathwalk::check_path(path)?;
    let mut current = if path.starts_with(b"/") { ns.root() } else { cwd };
    let names = components(path);
    let Some((&last, middle)) = names.split_last() else {
        return Ok((current, FinalName::Root, Vec::new(), false));
    };
    let mut links = 0;
    for name in middle {
        let next = reference_step(ns, current, name)?;
        current = if ns.kind(&next) == Kind::Symlink { reference_follow(ns, current, next, &mut links)? } else { next };
    }
    if ns.kind(&current) != Kind::Directory {
        return Err(Errno::ENOTDIR);
    }
    if !ns.may_search(&current) {
        return Err(Errno::EACCES);
    }
    let trailing_slash = path.ends_with(b"/");
    match last {
        b"." => Ok((current, FinalName::Dot, Vec::new(), trailing_slash)),
        b".." => Ok((current, FinalName::DotDot, Vec::new(), trailing_slash)),
        _ if last.len() > NAME_MAX => Err(if ns.is_removed(&current) { Errno::ENOENT } else { Errno::ENAMETOOLONG }),
        _ => Ok((current, FinalName::Name(b""), last.to_vec(), trailing_slash)),
    }
}

/// `resolve_parent`'s answer in the reference's form.
fn parent_as_tuple(parent: Parent<'_, Id>) -> (Id, FinalName<'static>, Vec<u8>, bool) {
    let (last, name) = match parent.last {
        FinalName::Name(name) => (FinalName::Name(b""), name.to_vec()),
        FinalName::Dot => (FinalName::Dot, Vec::new()),
        FinalName::DotDot => (FinalName::DotDot, Vec::new()),
        FinalName::Root => (FinalName::Root, Vec::new()),
    };
    (parent.dir, last, name, parent.trailing_slash)
}

/// Resolves as `open` without `O_CREAT` does: a [`FinalWalk`] whose caller looks the
/// final name up and follows a link found there; a trailing slash (of the path or
/// of a link's target) follows a final link and wants a directory at the end.
fn open_like(ns: &Mock, cwd: Id, path: &[u8]) -> Result<Id, Errno> {
    let mut walk = FinalWalk::new(ns, &cwd, path)?;
    let mut must_be_directory = false;
    let found = loop {
        let Parent { dir, last, trailing_slash } = walk.parent()?;
        must_be_directory |= trailing_slash;
        let found = match last {
            FinalName::Dot | FinalName::Root => break dir,
            FinalName::DotDot => break ns.parent(&dir),
            FinalName::Name(name) => {
                if ns.is_removed(&dir) {
                    return Err(Errno::ENOENT);
                }
                pathwalk::check_name(name)?;
                ns.child(&dir, name)?
            }
        };
        if ns.kind(&found) != Kind::Symlink {
            break found;
        }
        walk.follow_link(&found)?;
    };
    if must_be_directory && ns.kind(&found) != Kind::Directory {
        return Err(Errno::ENOTDIR);
    }
    Ok(found)
}

// ---------------------------------------------------------------------------------
// Generated namespaces and paths.

const NAMES: [&str; 5] = ["a", "b", "c", "d", "e"];

/// A path text: names (a few of them, so that paths meet the namespace), `.`, `..`,
/// sometimes an overlong name, with single or repeated slashes, absolute or not,
/// with a trailing slash or not.
fn path_text() -> impl Strategy<Value = Vec<u8>> {
    let component = prop_oneof![
        8 => prop::sample::select(NAMES.to_vec()).prop_map(|name| name.as_bytes().to_vec()),
        2 => Just(b".".to_vec()),
        2 => Just(b"..".to_vec()),
        1 => (NAME_MAX..NAME_MAX + 2).prop_map(|len| vec![b'x'; len]),
        1 => prop::collection::vec(any::<u8>().prop_filter("no slash", |&byte| byte != b'/' && byte != 0), 1..4),
    ];
    (any::<bool>(), prop::collection::vec((component, 1usize..4), 0..6), 0usize..3).prop_map(
        |(absolute, components, trailing)| {
            let mut path = if absolute { b"/".to_vec() } else { Vec::new() };
            for (index, (component, slashes)) in components.iter().enumerate() {
                if index > 0 {
                    path.extend(std::iter::repeat_n(b'/', *slashes));
                }
                path.extend_from_slice(component);
            }
            path.extend(std::iter::repeat_n(b'/', trailing));
            path
        },
    )
}

/// What one generated node is.
#[derive(Debug, Clone)]
enum Spec {
    Dir {
        searchable: bool,
        removed: bool,
    },
    File,
    Link(Vec<u8>),
    /// A new file system's root, mounted over an existing directory.
    Mount(Index),
}

fn spec() -> impl Strategy<Value = Spec> {
    prop_oneof![
        4 => (prop::bool::weighted(0.9), prop::bool::weighted(0.05))
            .prop_map(|(searchable, removed)| Spec::Dir { searchable, removed }),
        2 => Just(Spec::File),
        4 => prop_oneof![
            8 => path_text(),
            1 => Just(Vec::new()),
            1 => (0usize..3).prop_map(|slashes| vec![b'/'; slashes + 1]),
        ]
        .prop_map(Spec::Link),
        1 => any::<Index>().prop_map(Spec::Mount),
    ]
}

/// A namespace of up to 30 nodes: each one named in a directory made before it.
fn namespace() -> impl Strategy<Value = Mock> {
    prop::collection::vec((any::<Index>(), prop::sample::select(NAMES.to_vec()), spec()), 0..30).prop_map(|specs| {
        let mut ns = Mock::default();
        for (parent, name, spec) in specs {
            if let Spec::Mount(point) = spec {
                let points: Vec<Id> = ns
                    .directories()
                    .into_iter()
                    .filter(|&dir| dir != ROOT && !ns.mounts.iter().any(|&(p, r)| p == dir || r == dir))
                    .collect();
                if !points.is_empty() {
                    ns.mount(*point.get(&points));
                }
                continue;
            }
            let directories = ns.directories();
            let dir = *parent.get(&directories);
            if ns.child(&dir, name.as_bytes()).is_ok() {
                continue;
            }
            let node = match spec {
                Spec::Dir { searchable, removed } => {
                    Node::Dir { parent: dir, children: Vec::new(), searchable, removed }
                }
                Spec::File => Node::File,
                Spec::Link(target) => Node::Link(target),
                Spec::Mount(_) => unreachable!("handled above"),
            };
            ns.add(dir, name, node);
        }
        ns
    })
}

/// The path with every run of slashes made one slash.
fn collapse_slashes(path: &[u8]) -> Vec<u8> {
    let mut collapsed = Vec::with_capacity(path.len());
    for &byte in path {
        if !(byte == b'/' && collapsed.last() == Some(&b'/')) {
            collapsed.push(byte);
        }
    }
    collapsed
}

/// The errors the crate documents (the mock's `child` gives only `ENOENT`).
fn documented(result: &Result<Id, Errno>) -> bool {
    match result {
        Ok(_) => true,
        Err(error) => [Errno::ENOENT, Errno::ENOTDIR, Errno::ENAMETOOLONG, Errno::ELOOP, Errno::EACCES].contains(error),
    }
}

proptest! {
    #![proptest_config(config(1024))]

    /// `resolve` and `resolve_parent` give what the reference gives: the same node or
    /// the same error, from any directory.
    #[test]
    fn resolution_agrees_with_the_reference(
        ns in namespace(),
        cwd in any::<Index>(),
        paths in prop::collection::vec(path_text(), 1..8),
    ) {
        let cwd = *cwd.get(&ns.directories());
        for path in &paths {
            for follow in [false, true] {
                let resolved = pathwalk::resolve(&ns, &cwd, path, follow);
                prop_assert!(documented(&resolved), "{resolved:?}");
                prop_assert_eq!(resolved, reference_resolve(&ns, cwd, path, follow), "path {:?} follow {}", String::from_utf8_lossy(path), follow);
            }
            let parent = pathwalk::resolve_parent(&ns, &cwd, path).map(parent_as_tuple);
            prop_assert_eq!(parent, reference_parent(&ns, cwd, path), "parent of {:?}", String::from_utf8_lossy(path));
        }
    }

    /// A `FinalWalk` whose caller follows final links, as `open` does, resolves as
    /// `resolve` does when following them.
    #[test]
    fn a_final_walk_agrees_with_resolve(
        ns in namespace(),
        cwd in any::<Index>(),
        paths in prop::collection::vec(path_text(), 1..8),
    ) {
        let cwd = *cwd.get(&ns.directories());
        for path in &paths {
            prop_assert_eq!(open_like(&ns, cwd, path), pathwalk::resolve(&ns, &cwd, path, true), "{:?}", String::from_utf8_lossy(path));
        }
    }

    /// Repeated slashes count as one, and `./` before a component changes nothing.
    #[test]
    fn slashes_and_dots_normalise(
        ns in namespace(),
        cwd in any::<Index>(),
        path in path_text(),
        at in any::<Index>(),
        follow in any::<bool>(),
    ) {
        let cwd = *cwd.get(&ns.directories());
        let resolved = pathwalk::resolve(&ns, &cwd, &path, follow);
        prop_assert_eq!(pathwalk::resolve(&ns, &cwd, &collapse_slashes(&path), follow), resolved);
        // `./` inserted at the start of a component.
        let starts: Vec<usize> = (0..path.len()).filter(|&i| path[i] != b'/' && (i == 0 || path[i - 1] == b'/')).collect();
        if !starts.is_empty() {
            let start = *at.get(&starts);
            let mut dotted = path[..start].to_vec();
            dotted.extend_from_slice(b"./");
            dotted.extend_from_slice(&path[start..]);
            prop_assert_eq!(pathwalk::resolve(&ns, &cwd, &dotted, follow), resolved, "{:?}", String::from_utf8_lossy(&dotted));
        }
        // A directory it leads to is also where `path/.` leads.
        if let Ok(node) = resolved
            && ns.kind(&node) == Kind::Directory && ns.may_search(&node)
        {
            let mut with_dot = path.clone();
            with_dot.extend_from_slice(b"/.");
            if with_dot.len() < PATH_MAX {
                prop_assert_eq!(pathwalk::resolve(&ns, &cwd, &with_dot, true), Ok(node));
            }
        }
    }

    /// Arbitrary bytes as a path, and paths near and past `PATH_MAX`: no panic, the
    /// reference's answer, `ENAMETOOLONG` from `PATH_MAX` bytes on.
    #[test]
    fn any_bytes_and_huge_paths(
        ns in namespace(),
        raw in prop::collection::vec(prop_oneof![Just(b'/'), Just(b'.'), Just(b'a'), any::<u8>()], 0..64),
        unit in path_text(),
        len in prop_oneof![Just(PATH_MAX - 1), Just(PATH_MAX), Just(PATH_MAX + 1), 0usize..20_000],
    ) {
        for follow in [false, true] {
            prop_assert_eq!(pathwalk::resolve(&ns, &ROOT, &raw, follow), reference_resolve(&ns, ROOT, &raw, follow));
        }
        // A long path made of one unit repeated, cut at `len` bytes.
        let mut unit = unit;
        unit.push(b'/');
        let huge: Vec<u8> = unit.iter().copied().cycle().take(len).collect();
        let resolved = pathwalk::resolve(&ns, &ROOT, &huge, true);
        if huge.len() >= PATH_MAX {
            prop_assert_eq!(resolved, Err(Errno::ENAMETOOLONG));
            prop_assert_eq!(pathwalk::resolve_parent(&ns, &ROOT, &huge).err(), Some(Errno::ENAMETOOLONG));
            prop_assert!(FinalWalk::new(&ns, &ROOT, &huge).is_err_and(|error| error == Errno::ENAMETOOLONG));
        } else {
            prop_assert_eq!(resolved, reference_resolve(&ns, ROOT, &huge, true));
        }
    }
}

proptest! {
    #![proptest_config(config(128))]

    /// A chain of links `l0 -> l1 -> ... -> target`, perhaps closed into a loop:
    /// resolves when it follows at most 40 links, `ELOOP` otherwise, and terminates.
    #[test]
    fn link_chains_and_loops(length in 1usize..60, looped in any::<bool>(), nested in any::<bool>()) {
        let mut ns = Mock::default();
        let target = ns.file(ROOT, "target");
        for n in 0..length {
            let next = if n + 1 < length { format!("l{}", n + 1) } else if looped { "l0".into() } else { "target".into() };
            // Nested: each target ends in `/.`, pushing a new frame on every link.
            let text = if nested && n + 1 < length { format!("{next}/.") } else { next };
            ns.link(ROOT, &format!("l{n}"), &text);
        }
        let resolved = pathwalk::resolve(&ns, &ROOT, b"/l0", true);
        if looped || length > MAX_SYMLINKS {
            prop_assert_eq!(resolved, Err(Errno::ELOOP));
        } else if nested && length > 1 {
            // `lN/.` where lN ends at a file: not a directory.
            prop_assert_eq!(resolved, Err(Errno::ENOTDIR));
        } else {
            prop_assert_eq!(resolved, Ok(target));
        }
        prop_assert_eq!(resolved, reference_resolve(&ns, ROOT, b"/l0", true));
    }
}
