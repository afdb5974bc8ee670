//! cmp against the host's GNU diffutils.
mod common;

use common::{folder, host_has, same};

#[test]
fn differences_and_ends() {
    if !host_has("cmp") {
        return;
    }
    let long_a: Vec<u8> = (1..3000).flat_map(|n| format!("{n}\n").into_bytes()).collect();
    let mut long_b = long_a.clone();
    long_b[9000] ^= 1;
    long_b[100] = b'Z';
    let dir = folder(&[
        ("c1", b"abcdef\nxyz"),
        ("c2", b"abXdef\nxyQ"),
        ("c3", b"ab"),
        ("empty", b""),
        ("e1", b"a\n"),
        ("e2", b"a\nb"),
        ("b1", b"\x01\xff\n"),
        ("b2", b"\x02\x7f\n"),
        ("long_a", &long_a),
        ("long_b", &long_b),
    ]);
    let cases: &[&[&str]] = &[
        &["c1", "c2"],
        &["c1", "c1"],
        &["-l", "c1", "c2"],
        &["-b", "c1", "c2"],
        &["-lb", "b1", "b2"],
        &["-b", "b1", "b2"],
        &["c1", "c3"],
        &["c3", "c1"],
        &["-l", "c1", "c3"],
        &["-s", "c1", "c3"],
        &["-s", "c1", "c2"],
        &["c1", "empty"],
        &["e1", "e2"],
        &["-n", "2", "c1", "c2"],
        &["-n", "x", "c1", "c2"],
        &["-i", "3", "c1", "c2"],
        &["-i", "2:3", "c1", "c2"],
        &["c1", "c2", "3", "3"],
        &["c1", "c2", "x"],
        &["c1", "nosuch"],
        &["nosuch", "c1"],
        &["-l", "long_a", "long_b"],
        &["long_a", "long_b"],
        &[],
        &["-x", "c1"],
        &["a", "b", "c", "d", "e"],
    ];
    for args in cases {
        same(dir.path(), "cmp", args, b"", true);
    }
    same(dir.path(), "cmp", &["c1"], b"abcdef\nxyz", true);
    same(dir.path(), "cmp", &["-l", "-", "c2"], b"abcdef\nxyz", true);
    same(dir.path(), "cmp", &["c1", "-"], b"", true);
}
