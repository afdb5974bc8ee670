//! od and hexdump against the host's GNU coreutils and util-linux.
mod common;

use common::{folder, host_has, same};

fn samples() -> tempfile::TempDir {
    let mut mixed: Vec<u8> = (0..=255u8).collect();
    mixed.extend_from_slice(&[0; 100]);
    mixed.extend_from_slice(b"hello\nworld\x00\x01\x7f\xc3\xa9 abcdefghijklmnopqrstuvwxyz");
    folder(&[
        ("o1", b"hello\nworld\x00\x01\x7f\xc3\xa9 abcdefghijklmnopqrstuvwxyz"),
        ("mixed", &mixed),
        ("zeros", &[0; 64]),
        ("abc", b"abc"),
        ("empty", b""),
        ("o16", b"0123456789abcdef"),
    ])
}

#[test]
fn od_like_coreutils() {
    if !host_has("od") {
        return;
    }
    let dir = samples();
    let cases: &[&[&str]] = &[
        &["o1"],
        &["mixed"],
        &["-c", "mixed"],
        &["-a", "mixed"],
        &["-b", "zeros"],
        &["-v", "-b", "zeros"],
        &["-A", "x", "-t", "x1z", "o1"],
        &["-A", "d", "-t", "d1u2", "mixed"],
        &["-A", "n", "-t", "x8", "mixed"],
        &["-t", "o4", "-t", "d8", "-t", "u1", "o1"],
        &["-t", "dCz", "-c", "mixed"],
        &["-t", "x", "-t", "d", "-t", "o", "-t", "u", "abc"],
        &["-t", "dSuIxL", "o1"],
        &["-d", "-i", "-l", "-o", "-s", "-x", "o1"],
        &["-j", "3", "-N", "10", "-a", "o1"],
        &["-j", "0x10", "-N", "010", "o1"],
        &["-j", "40", "o1", "o16", "-c"],
        &["-j", "100", "o1"],
        &["-N", "x", "o1"],
        &["-A", "q", "o1"],
        &["-t", "q", "o1"],
        &["-t", "x3", "o1"],
        &["-t", "c2", "o1"],
        &["empty"],
        &["-A", "n", "empty"],
        &["nosuch", "abc"],
        &["--format=x2", "--address-radix=d", "abc"],
    ];
    for args in cases {
        same(dir.path(), "od", args, b"", true);
    }
    same(dir.path(), "od", &["-c"], b"from\tstdin\n", true);
    same(dir.path(), "od", &["-c", "abc", "-", "o16"], b"in the middle", true);
}

#[test]
fn hexdump_like_util_linux() {
    if !host_has("hexdump") {
        return;
    }
    let dir = samples();
    let cases: &[&[&str]] = &[
        &["o1"],
        &["mixed"],
        &["-C", "mixed"],
        &["-C", "o1"],
        &["zeros"],
        &["-C", "zeros"],
        &["-v", "-C", "zeros"],
        &["abc"],
        &["-C", "abc"],
        &["empty"],
        &["-C", "empty"],
        &["-C", "-n", "5", "-s", "2", "o1"],
        &["-s", "100", "o1"],
        &["-C", "-s", "3", "-n", "30", "o1", "o16"],
        &["-s", "1K", "mixed"],
        &["nosuch"],
    ];
    for args in cases {
        same(dir.path(), "hexdump", args, b"", true);
    }
    same(dir.path(), "hexdump", &["-C"], b"from\tstdin\n", true);
}
