//! tar against the host's GNU tar: each one's archives read by the other, and the
//! same listings, messages and statuses.
mod common;

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use common::{folder, host, host_has, kbox, same};

/// A tree with a file, an executable, a symbolic link, an empty folder and a name
/// longer than ustar's 100 bytes, all with fixed times.
fn tree(dir: &Path) {
    let long = "n".repeat(120);
    fs::create_dir_all(dir.join("d/sub/empty")).unwrap();
    fs::write(dir.join("d/f"), b"hi\n").unwrap();
    fs::write(dir.join("d/sub/run"), b"#!/bin/sh\n").unwrap();
    fs::set_permissions(dir.join("d/sub/run"), fs::Permissions::from_mode(0o750)).unwrap();
    fs::write(dir.join("d/sub").join(&long), b"long name\n").unwrap();
    symlink("f", dir.join("d/l")).unwrap();
    let time = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    for path in ["d/f", "d/sub/run", "d/sub/empty", "d/sub", "d"] {
        let file = fs::File::open(dir.join(path)).unwrap();
        file.set_times(fs::FileTimes::new().set_modified(time).set_accessed(time)).unwrap();
    }
}

/// The same tree as `tree` makes: names, kinds, modes, times and contents.
fn assert_tree(dir: &Path) {
    let long = "n".repeat(120);
    assert_eq!(fs::read(dir.join("d/f")).unwrap(), b"hi\n");
    assert_eq!(fs::read(dir.join("d/sub").join(&long)).unwrap(), b"long name\n");
    assert_eq!(fs::read_link(dir.join("d/l")).unwrap(), Path::new("f"));
    assert!(dir.join("d/sub/empty").is_dir());
    let run = fs::metadata(dir.join("d/sub/run")).unwrap();
    assert_eq!(run.permissions().mode() & 0o777, 0o750);
    let time = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    assert_eq!(run.modified().unwrap(), time);
    assert_eq!(fs::metadata(dir.join("d")).unwrap().modified().unwrap(), time);
}

#[test]
fn archives_are_read_by_the_other() {
    if !host_has("tar") {
        return;
    }
    let dir = folder(&[]);
    tree(dir.path());
    for (create, extract, args) in [
        ("kbox", "host", ["cf", "a.tar"]),
        ("kbox", "host", ["-czf", "a.tgz"]),
        ("host", "kbox", ["cf", "b.tar"]),
        ("host", "kbox", ["-czf", "b.tgz"]),
    ] {
        let run = |who: &str, dir: &Path, args: &[&str]| {
            if who == "kbox" { kbox(dir, "tar", args, b"") } else { host(dir, "tar", args, b"") }
        };
        let mut create_args = args.to_vec();
        create_args.push("d");
        let created = run(create, dir.path(), &create_args);
        assert_eq!(created.status, Some(0), "{create} {args:?}: {}", created.stderr);
        let out = dir.path().join(format!("out-{}", args[1]));
        fs::create_dir(&out).unwrap();
        let archive = dir.path().join(args[1]);
        let extracted = run(extract, dir.path(), &["-xf", archive.to_str().unwrap(), "-C", out.to_str().unwrap()]);
        assert_eq!(extracted.status, Some(0), "{extract} {args:?}: {}", extracted.stderr);
        assert_tree(&out);
        same(dir.path(), "tar", &["tvf", args[1]], b"", true);
        same(dir.path(), "tar", &["-tf", args[1], "d/sub"], b"", true);
    }
    let piped = kbox(dir.path(), "tar", &["-czf", "-", "d"], b"");
    let sorted = |listing: Vec<u8>| {
        let mut lines: Vec<String> = String::from_utf8(listing).unwrap().lines().map(str::to_owned).collect();
        lines.sort();
        lines
    };
    let listed = host(dir.path(), "tar", &["-tzf", "-"], &piped.stdout).stdout;
    assert_eq!(sorted(listed), sorted(host(dir.path(), "tar", &["-tf", "b.tar"], b"").stdout));
    let verbose = kbox(dir.path(), "tar", &["-cvf", "-", "d/sub/run"], b"");
    assert_eq!(verbose.stderr, "d/sub/run\n");
}

#[test]
fn messages_and_statuses() {
    if !host_has("tar") {
        return;
    }
    let dir = folder(&[("plain", b"not an archive at all, really not; it is text\n")]);
    tree(dir.path());
    assert_eq!(host(dir.path(), "tar", &["cf", "a.tar", "d"], b"").status, Some(0));
    let cases: &[&[&str]] = &[
        &["cf", "x.tar", "nosuch"],
        &["cf", "x.tar", "d/f", "nosuch"],
        &["tf", "nosuch.tar"],
        &["f", "a.tar"],
        &["cf", "e.tar"],
        &["tf", "a.tar", "nosuch", "d/f"],
        &["xf", "a.tar", "-C", "nosuch-dir"],
        &["-tvf", "a.tar"],
        &["-xvf", "a.tar", "-C", "d/sub/empty", "d/f"],
        &["tf", "x.tar"],
    ];
    for args in cases {
        same(dir.path(), "tar", args, b"", true);
    }
    // Absolute names lose their leading /, with GNU's message, both ways.
    let absolute = dir.path().join("d/f");
    same(dir.path(), "tar", &["cf", "abs.tar", absolute.to_str().unwrap()], b"", true);
    same(dir.path(), "tar", &["tf", "abs.tar"], b"", true);
}

/// A one-member ustar archive holding `contents` under `name`, made by hand (GNU
/// tar itself will not store such names).
fn archive_with(name: &str, contents: &[u8]) -> Vec<u8> {
    let mut header = [0u8; 512];
    header[..name.len()].copy_from_slice(name.as_bytes());
    let mut field = |offset: usize, text: String| header[offset..offset + text.len()].copy_from_slice(text.as_bytes());
    field(100, "0000644\0".into());
    field(108, "0000000\0".into());
    field(116, "0000000\0".into());
    field(124, format!("{:011o}\0", contents.len()));
    field(136, "14600000000\0".into());
    field(257, "ustar\0".into());
    field(263, "00".into());
    header[156] = b'0';
    header[148..156].copy_from_slice(b"        ");
    let sum: u32 = header.iter().map(|&byte| u32::from(byte)).sum();
    header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    let mut archive = header.to_vec();
    archive.extend_from_slice(contents);
    archive.resize(archive.len().div_ceil(512) * 512 + 1024, 0);
    archive
}

#[test]
fn dangerous_names_are_refused() {
    if !host_has("tar") {
        return;
    }
    let dir = folder(&[]);
    fs::write(dir.path().join("up.tar"), archive_with("../evil", b"evil\n")).unwrap();
    fs::write(dir.path().join("inside.tar"), archive_with("a/../../evil", b"evil\n")).unwrap();
    fs::write(dir.path().join("root.tar"), archive_with("/abs/evil", b"evil\n")).unwrap();
    for archive in ["up.tar", "inside.tar", "root.tar"] {
        let outs = ["ours", "theirs"].map(|side| {
            let out = dir.path().join(format!("{side}-{archive}"));
            fs::create_dir_all(out.join("deeper")).unwrap();
            out.join("deeper")
        });
        let ours = kbox(dir.path(), "tar", &["xf", archive, "-C", outs[0].to_str().unwrap()], b"");
        let theirs = host(dir.path(), "tar", &["xf", archive, "-C", outs[1].to_str().unwrap()], b"");
        assert_eq!((ours.status, &ours.stderr), (theirs.status, &theirs.stderr), "{archive}");
        let listing = |out: &Path| {
            let mut names: Vec<_> =
                fs::read_dir(out.parent().unwrap()).unwrap().map(|entry| entry.unwrap().file_name()).collect();
            names.sort();
            (names, out.join("evil").exists(), out.join("abs/evil").exists())
        };
        assert_eq!(listing(&outs[0]), listing(&outs[1]), "{archive}");
        same(dir.path(), "tar", &["tvf", archive], b"", true);
    }
}
