//! gzip, gunzip and zcat against the host's GNU gzip: the same messages, statuses
//! and resulting files, and each one's compressed data read by the other.
mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{folder, host, host_has, kbox};

/// A folder's setup, the program, its arguments, and whether to compare stdout.
type Case<'a> = (&'a dyn Fn(&Path), &'a str, &'a [&'a str], bool);

const TEXT: &[u8] = b"hello\nhello\nhello, gzip\n";

/// The files of `dir`, sorted, with the contents of those not ending in `.gz`.
fn files(dir: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    let mut names: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            let contents = (!name.ends_with(".gz") && entry.path().is_file()).then(|| fs::read(entry.path()).unwrap());
            (name, contents)
        })
        .collect();
    names.sort();
    names
}

/// Runs `name args` in two fresh folders made by `setup`, kbox's and the host's,
/// and compares what they print (stdout too unless it is compressed data), their
/// statuses and the files left.
fn same_fresh(setup: &dyn Fn(&Path), name: &str, args: &[&str], stdin: &[u8], compare_stdout: bool) {
    let (ours_dir, theirs_dir) = (folder(&[]), folder(&[]));
    setup(ours_dir.path());
    setup(theirs_dir.path());
    let ours = kbox(ours_dir.path(), name, args, stdin);
    let theirs = host(theirs_dir.path(), name, args, stdin);
    assert_eq!(ours.stderr, theirs.stderr, "{name} {args:?}: stderr");
    assert_eq!(ours.status, theirs.status, "{name} {args:?}: status; {}", ours.stderr);
    if compare_stdout {
        assert_eq!(String::from_utf8_lossy(&ours.stdout), String::from_utf8_lossy(&theirs.stdout), "{name} {args:?}");
    }
    assert_eq!(files(ours_dir.path()), files(theirs_dir.path()), "{name} {args:?}: files");
}

fn gzipped_by_host(dir: &Path, name: &str, contents: &[u8]) {
    fs::write(dir.join(name), contents).unwrap();
    assert_eq!(host(dir, "gzip", &[name], b"").status, Some(0));
}

#[test]
fn compressed_data_is_read_by_the_other() {
    if !host_has("gzip") {
        return;
    }
    let big: Vec<u8> = (0..200_000u32).flat_map(|n| format!("{n} ").into_bytes()).collect();
    let dir = folder(&[("big", &big), ("text", TEXT)]);
    fs::set_permissions(dir.path().join("big"), fs::Permissions::from_mode(0o640)).unwrap();
    let before = fs::metadata(dir.path().join("big")).unwrap();
    for level in ["-1", "-6", "-9"] {
        let ours = kbox(dir.path(), "gzip", &["-c", level, "big"], b"");
        assert_eq!(ours.status, Some(0));
        assert_eq!(host(dir.path(), "gzip", &["-dc"], &ours.stdout).stdout, big, "{level}");
    }
    assert_eq!(kbox(dir.path(), "gzip", &["big", "text"], b"").status, Some(0));
    assert!(!dir.path().join("big").exists());
    let after = fs::metadata(dir.path().join("big.gz")).unwrap();
    assert_eq!(after.permissions().mode() & 0o777, 0o640);
    assert_eq!(after.modified().unwrap(), before.modified().unwrap());
    let listed = host(dir.path(), "gzip", &["-lN", "big.gz"], b"");
    assert!(String::from_utf8_lossy(&listed.stdout).contains(" big\n"), "the name is stored");
    assert_eq!(host(dir.path(), "gzip", &["-t", "big.gz", "text.gz"], b"").status, Some(0));
    assert_eq!(host(dir.path(), "gzip", &["-d", "big.gz"], b"").status, Some(0));
    assert_eq!(fs::read(dir.path().join("big")).unwrap(), big);
    let theirs = host(dir.path(), "gzip", &["-c", "big"], b"").stdout;
    let mut two = theirs.clone();
    two.extend_from_slice(&kbox(dir.path(), "gzip", &[], TEXT).stdout);
    assert_eq!(kbox(dir.path(), "zcat", &[], &two).stdout, [&big[..], TEXT].concat());
    assert_eq!(kbox(dir.path(), "gunzip", &["-c"], &theirs).stdout, big);
}

#[test]
fn files_messages_and_statuses() {
    if !host_has("gzip") {
        return;
    }
    let plain = |dir: &Path| {
        fs::write(dir.join("a"), TEXT).unwrap();
        fs::write(dir.join("b"), b"bee\n").unwrap();
        fs::create_dir(dir.join("d")).unwrap();
    };
    let compressed = |dir: &Path| {
        gzipped_by_host(dir, "a", TEXT);
        gzipped_by_host(dir, "c", b"sea\n");
        fs::write(dir.join("plain"), b"not compressed\n").unwrap();
        fs::write(dir.join("junk.gz"), b"junk").unwrap();
        let member = fs::read(dir.join("c.gz")).unwrap();
        fs::write(dir.join("garbage.gz"), [&member[..], b"garbage"].concat()).unwrap();
        fs::write(dir.join("short.gz"), &member[..member.len() - 5]).unwrap();
        fs::write(dir.join("twice.gz"), [&member[..], &member[..]].concat()).unwrap();
    };
    let cases: &[Case] = &[
        (&plain, "gzip", &["a", "b"], true),
        (&plain, "gzip", &["-k", "a"], true),
        (&plain, "gzip", &["d"], true),
        (&plain, "gzip", &["nosuch", "a"], true),
        (&plain, "gzip", &["-x"], true),
        (&compressed, "gzip", &["a.gz"], true),
        (&compressed, "gzip", &["plain", "plain"], true),
        (&compressed, "gunzip", &["a.gz", "c"], true),
        (&compressed, "gunzip", &["plain"], true),
        (&compressed, "gunzip", &["junk.gz"], true),
        (&compressed, "gunzip", &["garbage.gz"], true),
        (&compressed, "gunzip", &["short.gz"], true),
        (&compressed, "gunzip", &["-k", "twice.gz"], true),
        (&compressed, "gunzip", &["nosuch"], true),
        (&compressed, "gzip", &["-d", "-q", "plain", "a.gz"], true),
        (&compressed, "zcat", &["a.gz", "c", "twice.gz"], true),
        (&compressed, "zcat", &["plain"], true),
        (&compressed, "gzip", &["-t", "a.gz", "twice.gz"], true),
        (&compressed, "gzip", &["-tv", "a.gz"], true),
        (&compressed, "gzip", &["-t", "junk.gz"], true),
        (&compressed, "gzip", &["-l", "a.gz"], true),
        (&compressed, "gzip", &["-l", "a.gz", "c.gz"], true),
        (&compressed, "gzip", &["-lv", "a.gz"], true),
    ];
    for (setup, name, args, stdout) in cases {
        same_fresh(*setup, name, args, b"", *stdout);
    }
    same_fresh(&plain, "gzip", &["-d"], b"not gzip", true);
    same_fresh(&plain, "gzip", &["-dc"], b"", true);
    same_fresh(&plain, "gzip", &["-c", "a"], b"", false);
    let existing = |dir: &Path| {
        plain(dir);
        fs::write(dir.join("a.gz"), b"in the way").unwrap();
    };
    same_fresh(&existing, "gzip", &["a"], b"", true);
    same_fresh(&existing, "gzip", &["-f", "a"], b"", true);
}
