//! md5sum, sha1sum, sha256sum and sha512sum against the host's GNU coreutils.
mod common;

use common::{folder, host_has, same};

const PROGRAMS: [&str; 4] = ["md5sum", "sha1sum", "sha256sum", "sha512sum"];

#[test]
fn digests_and_listings() {
    let big: Vec<u8> = (0..100_000u32).map(|n| (n * 7 % 251) as u8).collect();
    let dir = folder(&[("a", b"hello\n"), ("empty", b""), ("big", &big), ("back\\slash", b"x")]);
    for program in PROGRAMS.into_iter().filter(|program| host_has(program)) {
        same(dir.path(), program, &["a", "empty", "big"], b"", true);
        same(dir.path(), program, &["-"], b"standard input", true);
        same(dir.path(), program, &[], b"no operand", true);
        same(dir.path(), program, &["-b", "a", "back\\slash"], b"", true);
        same(dir.path(), program, &["--tag", "a", "-"], b"in", true);
        same(dir.path(), program, &["-z", "a"], b"", true);
        same(dir.path(), program, &["a", "nosuch", "."], b"", true);
        same(dir.path(), program, &["-x"], b"", true);
        same(dir.path(), program, &["--quiet", "a"], b"", true);
    }
}

#[test]
fn checking() {
    let dir = folder(&[("a", b"hello\n"), ("b", b"world\n"), ("c", b"")]);
    for program in PROGRAMS.into_iter().filter(|program| host_has(program)) {
        let listing = common::host(dir.path(), program, &["a", "b", "c", "back\\slash"], b"");
        std::fs::write(dir.path().join("good"), &listing.stdout).unwrap();
        let tagged = common::host(dir.path(), program, &["--tag", "a", "b"], b"");
        std::fs::write(dir.path().join("tagged"), &tagged.stdout).unwrap();
        std::fs::write(dir.path().join("back\\slash"), b"changed").unwrap();
        let mut bad = common::host(dir.path(), program, &["a", "b"], b"").stdout;
        bad.extend_from_slice(b"garbage line\n");
        bad.extend_from_slice(&listing.stdout[..listing.stdout.len() / 4]);
        bad.push(b'\n');
        std::fs::write(dir.path().join("bad"), &bad).unwrap();
        std::fs::write(dir.path().join("b"), b"changed\n").unwrap();
        for args in [
            &["-c", "good"][..],
            &["-c", "tagged"],
            &["-c", "bad"],
            &["-c", "-w", "bad"],
            &["-c", "--strict", "good"],
            &["-c", "--quiet", "good"],
            &["-c", "--status", "good"],
            &["-c", "--ignore-missing", "good"],
            &["-c", "nosuch"],
            &["-c", "a"],
            &["-c", "-b", "good"],
            &["--status", "a"],
        ] {
            same(dir.path(), program, args, b"", true);
        }
        same(dir.path(), program, &["-c"], &listing.stdout, true);
        same(dir.path(), program, &["-c", "-"], b"not a listing\n", true);
        std::fs::remove_file(dir.path().join("a")).unwrap();
        same(dir.path(), program, &["-c", "good"], b"", true);
        same(dir.path(), program, &["-c", "--ignore-missing", "good"], b"", true);
        std::fs::write(dir.path().join("a"), b"hello\n").unwrap();
        std::fs::write(dir.path().join("b"), b"world\n").unwrap();
    }
}
