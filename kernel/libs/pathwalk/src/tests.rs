//! Host tests: a tmpfs-like tree in the mock namespace of [`crate::testing`] (with
//! devfs mounted at `/dev` and procfs at `/proc`), and Linux's resolution rules
//! checked against it.

use super::*;
use crate::testing::{Id, Mock, ROOT};

/// ```text
/// /bin/sh  /etc/motd  /usr/lib/libc/  /usr/lib/back -> ../../etc
/// /lib -> usr/lib        /lib_link -> lib      /lib_slash -> usr/lib/
/// /abs -> /etc           /motd -> etc/motd     /motd_link -> motd
/// /motd_slash -> etc/motd/                     /dangling -> nowhere
/// /empty -> ""           /loop1 -> loop2       /loop2 -> loop1
/// /root_link -> /        /slashes -> ///       /up -> ..
/// /long_target -> a×256
/// /chain/cN -> cN+1 (N < 40), /chain/c40 -> /usr        (flat chain)
/// /nest/mN -> mN+1/. (N < 40), /nest/m40 -> /usr        (nested chain)
/// /locked/ (not searchable): inner, sub/
/// /dev: tmpfs dir (with `hidden`) under devfs: null, pts/0, stdin -> /proc/self/fd/0
/// /proc: tmpfs dir under procfs: self -> 1, 1/fd/0 -> /dev/pts/0, 1/cwd -> /usr
/// ```
fn sample() -> Mock {
    let mut ns = Mock::default();
    let bin = ns.dir(ROOT, "bin");
    ns.file(bin, "sh");
    let etc = ns.dir(ROOT, "etc");
    ns.file(etc, "motd");
    let usr = ns.dir(ROOT, "usr");
    let lib = ns.dir(usr, "lib");
    ns.dir(lib, "libc");
    ns.link(lib, "back", "../../etc");
    ns.link(ROOT, "lib", "usr/lib");
    ns.link(ROOT, "lib_link", "lib");
    ns.link(ROOT, "lib_slash", "usr/lib/");
    ns.link(ROOT, "abs", "/etc");
    ns.link(ROOT, "motd", "etc/motd");
    ns.link(ROOT, "motd_link", "motd");
    ns.link(ROOT, "motd_slash", "etc/motd/");
    ns.link(ROOT, "dangling", "nowhere");
    ns.link(ROOT, "empty", "");
    ns.link(ROOT, "loop1", "loop2");
    ns.link(ROOT, "loop2", "loop1");
    ns.link(ROOT, "root_link", "/");
    ns.link(ROOT, "slashes", "///");
    ns.link(ROOT, "up", "..");
    ns.link(ROOT, "long_target", &"a".repeat(NAME_MAX + 1));
    let chain = ns.dir(ROOT, "chain");
    let nest = ns.dir(ROOT, "nest");
    for n in 0..MAX_SYMLINKS {
        ns.link(chain, &format!("c{n}"), &format!("c{}", n + 1));
        ns.link(nest, &format!("m{n}"), &format!("m{}/.", n + 1));
    }
    ns.link(chain, &format!("c{MAX_SYMLINKS}"), "/usr");
    ns.link(nest, &format!("m{MAX_SYMLINKS}"), "/usr");
    let locked = ns.locked_dir(ROOT, "locked");
    ns.file(locked, "inner");
    ns.dir(locked, "sub");

    let dev_point = ns.dir(ROOT, "dev");
    ns.file(dev_point, "hidden");
    let dev = ns.mount(dev_point);
    ns.file(dev, "null");
    let pts = ns.dir(dev, "pts");
    ns.file(pts, "0");
    ns.link(dev, "stdin", "/proc/self/fd/0");
    let proc_point = ns.dir(ROOT, "proc");
    let proc = ns.mount(proc_point);
    ns.link(proc, "self", "1");
    let pid = ns.dir(proc, "1");
    let fd = ns.dir(pid, "fd");
    ns.link(fd, "0", "/dev/pts/0");
    ns.link(pid, "cwd", "/usr");
    ns
}

fn find(ns: &Mock, path: &str) -> Result<Id, Errno> {
    resolve(ns, &ROOT, path.as_bytes(), true)
}

fn find_nofollow(ns: &Mock, path: &str) -> Result<Id, Errno> {
    resolve(ns, &ROOT, path.as_bytes(), false)
}

fn parent_of<'p>(ns: &Mock, cwd: Id, path: &'p str) -> Result<Parent<'p, Id>, Errno> {
    resolve_parent(ns, &cwd, path.as_bytes())
}

fn parent(dir: Id, last: FinalName<'_>, trailing_slash: bool) -> Result<Parent<'_, Id>, Errno> {
    Ok(Parent { dir, last, trailing_slash })
}

#[test]
fn absolute_and_relative_paths() {
    let ns = sample();
    let (usr, lib) = (ns.node("/usr"), ns.node("/usr/lib"));
    assert_eq!(resolve(&ns, &usr, b"lib", true), Ok(lib));
    assert_eq!(resolve(&ns, &lib, b"/usr", true), Ok(usr));
    assert_eq!(resolve(&ns, &usr, b".", true), Ok(usr));
    assert_eq!(resolve(&ns, &usr, b"lib/libc", false), Ok(ns.node("/usr/lib/libc")));
    assert_eq!(find(&ns, "/"), Ok(ROOT));
    assert_eq!(find(&ns, "etc/motd"), Ok(ns.node("/etc/motd")));
}

#[test]
fn repeated_slashes_and_dots() {
    let ns = sample();
    let lib = ns.node("/usr/lib");
    assert_eq!(find(&ns, "///usr//lib/"), Ok(lib));
    assert_eq!(find(&ns, "usr/./lib/."), Ok(lib));
    assert_eq!(find(&ns, "//usr/lib//.//"), Ok(lib));
    assert_eq!(find(&ns, "//"), Ok(ROOT));
    assert_eq!(find(&ns, "./././"), Ok(ROOT));
}

#[test]
fn dot_dot_is_physical_and_stops_at_the_root() {
    let ns = sample();
    let (usr, lib, etc) = (ns.node("/usr"), ns.node("/usr/lib"), ns.node("/etc"));
    assert_eq!(resolve(&ns, &lib, b"..", true), Ok(usr));
    assert_eq!(resolve(&ns, &lib, b"../../..", true), Ok(ROOT));
    assert_eq!(find(&ns, "/.."), Ok(ROOT));
    assert_eq!(find(&ns, "/../../etc/.."), Ok(ROOT));
    // /lib -> usr/lib: its `..` is /usr, not /.
    assert_eq!(find(&ns, "/lib/.."), Ok(usr));
    assert_eq!(find(&ns, "/lib/libc/../.."), Ok(usr));
    assert_eq!(find(&ns, "/lib/../lib"), Ok(lib));
    // A relative target is resolved from the link's directory, `..` included.
    assert_eq!(find(&ns, "/usr/lib/back"), Ok(etc));
    assert_eq!(find(&ns, "/up"), Ok(ROOT));
    assert_eq!(find(&ns, "/up/etc"), Ok(etc));
}

#[test]
fn empty_and_missing_paths_are_enoent() {
    let ns = sample();
    assert_eq!(find(&ns, ""), Err(Errno::ENOENT));
    assert_eq!(find_nofollow(&ns, ""), Err(Errno::ENOENT));
    assert_eq!(find(&ns, "/nope"), Err(Errno::ENOENT));
    assert_eq!(find(&ns, "/usr/nope/x"), Err(Errno::ENOENT));
    assert_eq!(find(&ns, "nope/"), Err(Errno::ENOENT));
}

#[test]
fn dangling_links_are_enoent_when_followed() {
    let ns = sample();
    let dangling = ns.node("/dangling");
    assert_eq!(find(&ns, "/dangling"), Err(Errno::ENOENT));
    assert_eq!(find(&ns, "/dangling/x"), Err(Errno::ENOENT));
    assert_eq!(find_nofollow(&ns, "/dangling"), Ok(dangling));
    assert_eq!(find_nofollow(&ns, "/dangling/"), Err(Errno::ENOENT), "a trailing slash follows");
}

#[test]
fn empty_link_targets_are_enoent() {
    let ns = sample();
    assert_eq!(find(&ns, "/empty"), Err(Errno::ENOENT));
    assert_eq!(find(&ns, "/empty/x"), Err(Errno::ENOENT));
    assert_eq!(find_nofollow(&ns, "/empty/"), Err(Errno::ENOENT));
    assert_eq!(find_nofollow(&ns, "/empty"), Ok(ns.node("/empty")));
}

#[test]
fn non_directories_before_more_path_or_a_trailing_slash_are_enotdir() {
    let ns = sample();
    let motd = ns.node("/etc/motd");
    for path in ["/etc/motd/x", "/etc/motd/", "/etc/motd//", "/etc/motd/.", "/etc/motd/..", "/motd/", "/motd/x"] {
        assert_eq!(find(&ns, path), Err(Errno::ENOTDIR), "{path}");
        assert_eq!(find_nofollow(&ns, path), Err(Errno::ENOTDIR), "{path}");
    }
    // The check comes before the name's length.
    assert_eq!(find(&ns, &format!("/etc/motd/{}", "a".repeat(NAME_MAX + 1))), Err(Errno::ENOTDIR));
    // A starting directory that is a file.
    assert_eq!(resolve(&ns, &motd, b"x", true), Err(Errno::ENOTDIR));
    assert_eq!(resolve(&ns, &motd, b".", true), Err(Errno::ENOTDIR));
    assert_eq!(resolve(&ns, &motd, b"/etc", true), Ok(ns.node("/etc")));
}

#[test]
fn trailing_slashes_follow_links_and_require_directories() {
    let ns = sample();
    let lib = ns.node("/usr/lib");
    assert_eq!(find_nofollow(&ns, "/usr/lib/"), Ok(lib));
    assert_eq!(find_nofollow(&ns, "/lib"), Ok(ns.node("/lib")));
    assert_eq!(find_nofollow(&ns, "/lib/"), Ok(lib));
    assert_eq!(find_nofollow(&ns, "/lib//"), Ok(lib));
    // The slash makes the whole final resolution follow: lib_link -> lib -> usr/lib.
    assert_eq!(find_nofollow(&ns, "/lib_link/"), Ok(lib));
    assert_eq!(find_nofollow(&ns, "/motd_link/"), Err(Errno::ENOTDIR));
    assert_eq!(find(&ns, "/motd_link"), Ok(ns.node("/etc/motd")));
    assert_eq!(find_nofollow(&ns, "/motd_link"), Ok(ns.node("/motd_link")));
}

#[test]
fn link_targets_with_a_trailing_slash_require_directories() {
    let ns = sample();
    assert_eq!(find(&ns, "/lib_slash"), Ok(ns.node("/usr/lib")));
    assert_eq!(find(&ns, "/lib_slash/libc"), Ok(ns.node("/usr/lib/libc")));
    assert_eq!(find_nofollow(&ns, "/lib_slash"), Ok(ns.node("/lib_slash")));
    assert_eq!(find(&ns, "/motd_slash"), Err(Errno::ENOTDIR));
    assert_eq!(find_nofollow(&ns, "/motd_slash"), Ok(ns.node("/motd_slash")));
}

#[test]
fn symlinks_are_followed_with_relative_and_absolute_targets() {
    let ns = sample();
    let (libc, motd, usr) = (ns.node("/usr/lib/libc"), ns.node("/etc/motd"), ns.node("/usr"));
    assert_eq!(find(&ns, "/lib/libc"), Ok(libc), "relative target");
    assert_eq!(find(&ns, "/abs/motd"), Ok(motd), "absolute target");
    assert_eq!(find(&ns, "/motd"), Ok(motd), "final link followed");
    assert_eq!(find_nofollow(&ns, "/motd"), Ok(ns.node("/motd")), "final link kept");
    assert_eq!(find(&ns, "/lib_link/libc"), Ok(libc), "link to a link");
    assert_eq!(resolve(&ns, &usr, b"../lib/libc", true), Ok(libc));
    assert_eq!(find(&ns, "/usr/lib/back/motd"), Ok(motd));
    // Targets of only slashes name the root.
    assert_eq!(find(&ns, "/root_link"), Ok(ROOT));
    assert_eq!(find_nofollow(&ns, "/root_link/"), Ok(ROOT));
    assert_eq!(find(&ns, "/root_link/etc/motd"), Ok(motd));
    assert_eq!(find(&ns, "/slashes"), Ok(ROOT));
    assert_eq!(find(&ns, "/slashes/usr/lib/libc"), Ok(libc));
}

#[test]
fn forty_links_resolve_and_the_forty_first_is_eloop() {
    let ns = sample();
    let (usr, lib) = (ns.node("/usr"), ns.node("/usr/lib"));
    // c1 ... c40: 40 links one after another.
    assert_eq!(find(&ns, "/chain/c1"), Ok(usr));
    assert_eq!(find(&ns, "/chain/c1/lib"), Ok(lib));
    assert_eq!(find(&ns, "/chain/c0"), Err(Errno::ELOOP));
    assert_eq!(find(&ns, "/chain/c0/lib"), Err(Errno::ELOOP));
    assert_eq!(find_nofollow(&ns, "/chain/c0/"), Err(Errno::ELOOP));
    assert_eq!(find_nofollow(&ns, "/chain/c0"), Ok(ns.node("/chain/c0")));
    // m1 ... m40: each followed in the middle of the previous target, 40 levels deep.
    assert_eq!(find(&ns, "/nest/m1"), Ok(usr));
    assert_eq!(find(&ns, "/nest/m1/lib"), Ok(lib));
    assert_eq!(find(&ns, "/nest/m0"), Err(Errno::ELOOP));
    assert_eq!(find(&ns, "/nest/m0/lib"), Err(Errno::ELOOP));
}

#[test]
fn every_link_of_the_resolution_counts() {
    let ns = sample();
    let usr = ns.node("/usr");
    // c21 follows 20 links, c20 follows 21.
    assert_eq!(find(&ns, "/chain/c21/../chain/c21"), Ok(usr));
    assert_eq!(find(&ns, "/chain/c20/../chain/c21"), Err(Errno::ELOOP));
    assert_eq!(find(&ns, "/nest/m21/../nest/m20"), Err(Errno::ELOOP));
    assert_eq!(find(&ns, "/nest/m21/../chain/c21"), Ok(usr));
}

#[test]
fn symlink_loops_are_eloop() {
    let ns = sample();
    assert_eq!(find(&ns, "/loop1"), Err(Errno::ELOOP));
    assert_eq!(find(&ns, "/loop1/x"), Err(Errno::ELOOP));
    assert_eq!(find_nofollow(&ns, "/loop1/"), Err(Errno::ELOOP));
    assert_eq!(find_nofollow(&ns, "/loop1"), Ok(ns.node("/loop1")), "not followed, no loop");
}

#[test]
fn overlong_names_and_paths_are_enametoolong() {
    let ns = sample();
    let longest_name = format!("/{}", "a".repeat(NAME_MAX));
    assert_eq!(find(&ns, &longest_name), Err(Errno::ENOENT));
    let long_name = format!("/{}", "a".repeat(NAME_MAX + 1));
    assert_eq!(find(&ns, &long_name), Err(Errno::ENAMETOOLONG));
    assert_eq!(find(&ns, "/long_target"), Err(Errno::ENAMETOOLONG), "in a link target too");
    assert_eq!(find(&ns, &"/".repeat(PATH_MAX - 1)), Ok(ROOT));
    assert_eq!(find(&ns, &"/".repeat(PATH_MAX)), Err(Errno::ENAMETOOLONG));
    let long_path = "./".repeat(PATH_MAX / 2);
    assert_eq!(find(&ns, &long_path), Err(Errno::ENAMETOOLONG));
    assert_eq!(find(&ns, &long_path[1..]), Ok(ROOT));
}

#[test]
fn directories_without_search_permission_are_eacces() {
    let ns = sample();
    let locked = ns.node("/locked");
    // Naming the directory itself needs no search of it.
    assert_eq!(find(&ns, "/locked"), Ok(locked));
    assert_eq!(find(&ns, "/locked/"), Ok(locked));
    for path in ["/locked/inner", "/locked/nope", "/locked/.", "/locked/..", "/locked/sub/x"] {
        assert_eq!(find(&ns, path), Err(Errno::EACCES), "{path}");
    }
    assert_eq!(resolve(&ns, &locked, b"inner", true), Err(Errno::EACCES));
    assert_eq!(resolve(&ns, &locked, b"/etc", true), Ok(ns.node("/etc")));
}

#[test]
fn mounts_are_transparent() {
    let ns = sample();
    let (dev, proc) = (ns.node("/dev"), ns.node("/proc"));
    let (dev_point, _) = ns.mounts[0];
    assert_ne!(dev, dev_point, "the mounted root hides the tmpfs directory");
    assert_eq!(find(&ns, "/dev/hidden"), Err(Errno::ENOENT));
    assert_eq!(find(&ns, "/dev/null"), Ok(ns.node("/dev/null")));
    assert_eq!(find(&ns, "/dev/.."), Ok(ROOT));
    assert_eq!(find(&ns, "/dev/pts/../.."), Ok(ROOT));
    assert_eq!(find(&ns, "/dev/../proc/1/fd/../../.."), Ok(ROOT));
    assert_eq!(resolve(&ns, &proc, b"../dev/null", true), Ok(ns.node("/dev/null")));
    // stdin -> /proc/self/fd/0, self -> 1, 0 -> /dev/pts/0: across both mounts.
    assert_eq!(find(&ns, "/dev/stdin"), Ok(ns.node("/dev/pts/0")));
    assert_eq!(find(&ns, "/proc/self/.."), Ok(proc));
    assert_eq!(find(&ns, "/proc/self/cwd/.."), Ok(ROOT));
    assert_eq!(find(&ns, "/proc/self/cwd/lib/libc"), Ok(ns.node("/usr/lib/libc")));
}

#[test]
fn parent_of_ordinary_paths() {
    let ns = sample();
    let (etc, usr, lib) = (ns.node("/etc"), ns.node("/usr"), ns.node("/usr/lib"));
    assert_eq!(parent_of(&ns, ROOT, "etc/motd"), parent(etc, FinalName::Name(b"motd"), false));
    assert_eq!(parent_of(&ns, ROOT, "/usr/lib/libc"), parent(lib, FinalName::Name(b"libc"), false));
    assert_eq!(parent_of(&ns, usr, "new"), parent(usr, FinalName::Name(b"new"), false));
    assert_eq!(parent_of(&ns, ROOT, "usr/lib/../c"), parent(usr, FinalName::Name(b"c"), false));
    assert_eq!(parent_of(&ns, ROOT, "usr/"), parent(ROOT, FinalName::Name(b"usr"), true));
    assert_eq!(parent_of(&ns, ROOT, "//etc//x//"), parent(etc, FinalName::Name(b"x"), true));
    let longest = "a".repeat(NAME_MAX);
    assert_eq!(parent_of(&ns, etc, &longest), parent(etc, FinalName::Name(longest.as_bytes()), false));
}

#[test]
fn parent_of_root_dot_and_dot_dot() {
    let ns = sample();
    let (usr, lib) = (ns.node("/usr"), ns.node("/usr/lib"));
    assert_eq!(parent_of(&ns, usr, "/"), parent(ROOT, FinalName::Root, false));
    assert_eq!(parent_of(&ns, usr, "///"), parent(ROOT, FinalName::Root, false));
    assert_eq!(parent_of(&ns, usr, "."), parent(usr, FinalName::Dot, false));
    assert_eq!(parent_of(&ns, usr, "./"), parent(usr, FinalName::Dot, true));
    assert_eq!(parent_of(&ns, usr, ".."), parent(usr, FinalName::DotDot, false));
    assert_eq!(parent_of(&ns, usr, "/.."), parent(ROOT, FinalName::DotDot, false));
    assert_eq!(parent_of(&ns, ROOT, "usr/."), parent(usr, FinalName::Dot, false));
    assert_eq!(parent_of(&ns, ROOT, "usr/lib/.."), parent(lib, FinalName::DotDot, false));
    assert_eq!(parent_of(&ns, ROOT, "lib/.."), parent(lib, FinalName::DotDot, false), "the link is followed");
}

#[test]
fn parent_leaves_the_final_link_alone_but_follows_the_others() {
    let ns = sample();
    let (usr, lib, etc) = (ns.node("/usr"), ns.node("/usr/lib"), ns.node("/etc"));
    assert_eq!(parent_of(&ns, ROOT, "lib"), parent(ROOT, FinalName::Name(b"lib"), false));
    assert_eq!(parent_of(&ns, ROOT, "lib/"), parent(ROOT, FinalName::Name(b"lib"), true));
    assert_eq!(parent_of(&ns, ROOT, "dangling"), parent(ROOT, FinalName::Name(b"dangling"), false));
    assert_eq!(parent_of(&ns, ROOT, "dangling/"), parent(ROOT, FinalName::Name(b"dangling"), true));
    assert_eq!(parent_of(&ns, ROOT, "loop1"), parent(ROOT, FinalName::Name(b"loop1"), false));
    assert_eq!(parent_of(&ns, ROOT, "empty"), parent(ROOT, FinalName::Name(b"empty"), false));
    assert_eq!(parent_of(&ns, ROOT, "lib/new"), parent(lib, FinalName::Name(b"new"), false));
    assert_eq!(parent_of(&ns, ROOT, "abs/x"), parent(etc, FinalName::Name(b"x"), false));
    assert_eq!(parent_of(&ns, ROOT, "chain/c1/x"), parent(usr, FinalName::Name(b"x"), false));
    assert_eq!(parent_of(&ns, ROOT, "nest/m1/x"), parent(usr, FinalName::Name(b"x"), false));
    assert_eq!(parent_of(&ns, ROOT, "/dev/stdin"), parent(ns.node("/dev"), FinalName::Name(b"stdin"), false));
    assert_eq!(parent_of(&ns, ROOT, "/dev/stdin/.."), Err(Errno::ENOTDIR), "stdin leads to a file");
    assert_eq!(parent_of(&ns, ROOT, "/proc/self/fd/x"), parent(ns.node("/proc/1/fd"), FinalName::Name(b"x"), false));
}

#[test]
fn parent_errors() {
    let ns = sample();
    let motd = ns.node("/etc/motd");
    assert_eq!(parent_of(&ns, ROOT, ""), Err(Errno::ENOENT));
    assert_eq!(parent_of(&ns, ROOT, "nope/x"), Err(Errno::ENOENT));
    assert_eq!(parent_of(&ns, ROOT, "dangling/x"), Err(Errno::ENOENT));
    assert_eq!(parent_of(&ns, ROOT, "empty/x"), Err(Errno::ENOENT));
    assert_eq!(parent_of(&ns, ROOT, "etc/motd/x"), Err(Errno::ENOTDIR));
    assert_eq!(parent_of(&ns, ROOT, "etc/motd/."), Err(Errno::ENOTDIR));
    assert_eq!(parent_of(&ns, ROOT, "motd/x"), Err(Errno::ENOTDIR), "a link to a file in the middle");
    assert_eq!(parent_of(&ns, motd, "x"), Err(Errno::ENOTDIR));
    assert_eq!(parent_of(&ns, motd, "/"), parent(ROOT, FinalName::Root, false));
    assert_eq!(parent_of(&ns, ROOT, "locked/x"), Err(Errno::EACCES));
    assert_eq!(parent_of(&ns, ROOT, "locked/."), Err(Errno::EACCES));
    assert_eq!(parent_of(&ns, ROOT, "locked"), parent(ROOT, FinalName::Name(b"locked"), false));
    assert_eq!(parent_of(&ns, ROOT, "loop1/x"), Err(Errno::ELOOP));
    assert_eq!(parent_of(&ns, ROOT, "chain/c0/x"), Err(Errno::ELOOP));
    assert_eq!(parent_of(&ns, ROOT, "nest/m0/x"), Err(Errno::ELOOP));
    assert_eq!(parent_of(&ns, ROOT, &format!("/{}", "a".repeat(NAME_MAX + 1))), Err(Errno::ENAMETOOLONG));
    assert_eq!(parent_of(&ns, ROOT, &"/".repeat(PATH_MAX)), Err(Errno::ENAMETOOLONG));
}

#[test]
fn parent_then_child_agrees_with_resolve() {
    let ns = sample();
    for path in
        ["etc/motd", "/usr/lib/libc", "lib/libc", "lib", "/dev/null", "/dev/stdin", "proc/self/fd/0", "nest/m1/lib"]
    {
        let found = parent_of(&ns, ROOT, path).unwrap();
        let FinalName::Name(name) = found.last else { panic!("{path}: {:?}", found.last) };
        assert_eq!(ns.child(&found.dir, name), find_nofollow(&ns, path), "{path}");
    }
}

#[test]
fn path_and_name_limits_are_linux_limits() {
    assert_eq!(check_path(b""), Err(Errno::ENOENT));
    assert_eq!(check_path(&[b'a'; PATH_MAX - 1]), Ok(()));
    assert_eq!(check_path(&[b'a'; PATH_MAX]), Err(Errno::ENAMETOOLONG));
    assert_eq!(check_name(&[b'a'; NAME_MAX]), Ok(()));
    assert_eq!(check_name(&[b'a'; NAME_MAX + 1]), Err(Errno::ENAMETOOLONG));
}

#[test]
fn names_in_a_removed_directory_are_enoent_before_their_length_is_checked() {
    let mut ns = sample();
    let gone = ns.dir(ROOT, "gone");
    ns.remove(gone);
    let long = format!("/gone/{}", "a".repeat(NAME_MAX + 1));
    assert_eq!(find(&ns, &long), Err(Errno::ENOENT));
    assert_eq!(find(&ns, &format!("{long}/x")), Err(Errno::ENOENT));
    assert_eq!(parent_of(&ns, ROOT, &long), Err(Errno::ENOENT));
    assert_eq!(find(&ns, "/gone/x"), Err(Errno::ENOENT));
    assert_eq!(parent_of(&ns, ROOT, "/gone/x"), parent(gone, FinalName::Name(b"x"), false));
    assert_eq!(find(&ns, "/gone/."), Ok(gone), "`.` and `..` still resolve");
    assert_eq!(find(&ns, "/gone/.."), Ok(ROOT));
}

#[test]
fn a_final_walk_lets_the_caller_follow_the_final_link() {
    let ns = sample();
    let (etc, lib) = (ns.node("/etc"), ns.node("/usr/lib"));
    let mut walk = FinalWalk::new(&ns, &ROOT, b"/motd_link").unwrap();
    assert_eq!(walk.parent(), parent(ROOT, FinalName::Name(b"motd_link"), false));
    assert_eq!(walk.parent(), parent(ROOT, FinalName::Name(b"motd_link"), false), "until a link is followed");
    walk.follow_link(&ns.node("/motd_link")).unwrap();
    assert_eq!(walk.parent(), parent(ROOT, FinalName::Name(b"motd"), false));
    walk.follow_link(&ns.node("/motd")).unwrap();
    assert_eq!(walk.parent(), parent(etc, FinalName::Name(b"motd"), false), "from the link's directory");
    let mut walk = FinalWalk::new(&ns, &lib, b"back/").unwrap();
    assert_eq!(walk.parent(), parent(lib, FinalName::Name(b"back"), true));
    walk.follow_link(&ns.node("/usr/lib/back")).unwrap();
    assert_eq!(walk.parent(), parent(ROOT, FinalName::Name(b"etc"), false));
    let long = "a".repeat(NAME_MAX + 1);
    let mut walk = FinalWalk::new(&ns, &etc, long.as_bytes()).unwrap();
    assert_eq!(walk.parent(), parent(etc, FinalName::Name(long.as_bytes()), false), "left to the caller");
    assert!(FinalWalk::new(&ns, &ROOT, b"").is_err_and(|e| e == Errno::ENOENT));
    assert!(FinalWalk::new(&ns, &ROOT, &[b'/'; PATH_MAX]).is_err_and(|e| e == Errno::ENAMETOOLONG));
    assert_eq!(FinalWalk::new(&ns, &ROOT, b"locked/x").unwrap().parent(), Err(Errno::EACCES));
    assert_eq!(FinalWalk::new(&ns, &ROOT, b"/").unwrap().parent(), parent(ROOT, FinalName::Root, false));
}

#[test]
fn a_final_walk_counts_every_link() {
    let ns = sample();
    // c21 in the middle follows 20 links; following c21 itself and its 19 successors
    // at the end makes 40, one more is ELOOP.
    let mut walk = FinalWalk::new(&ns, &ROOT, b"/chain/c21/../chain/c21").unwrap();
    for n in 21..41 {
        let name = format!("c{n}");
        assert_eq!(walk.parent(), parent(ns.node("/chain"), FinalName::Name(name.as_bytes()), false));
        walk.follow_link(&ns.node(&format!("/chain/{name}"))).unwrap();
    }
    assert_eq!(walk.parent(), parent(ROOT, FinalName::Name(b"usr"), false));
    let mut walk = FinalWalk::new(&ns, &ROOT, b"/chain/c20/../chain/c21").unwrap();
    for n in 21..40 {
        walk.parent().unwrap();
        walk.follow_link(&ns.node(&format!("/chain/c{n}"))).unwrap();
    }
    walk.parent().unwrap();
    assert_eq!(walk.follow_link(&ns.node("/chain/c40")), Err(Errno::ELOOP));
}
