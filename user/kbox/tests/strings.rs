//! strings against the host's GNU binutils.
mod common;

use common::{folder, host_has, same};

#[test]
fn strings_like_binutils() {
    if !host_has("strings") {
        return;
    }
    let mut binary: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    binary.extend_from_slice(b"\0a long enough string\0\x7f\x80tab\there\r\nline\x0bfeed\x0c");
    let dir =
        folder(&[("s.bin", b"ab\0hello world\tx\x01\x02longer string here\nnext line\xffabcd"), ("bin", &binary)]);
    let cases: &[&[&str]] = &[
        &["s.bin"],
        &["-a", "bin"],
        &["-n", "2", "-t", "x", "s.bin"],
        &["-t", "d", "-f", "s.bin", "bin"],
        &["-o", "bin"],
        &["-3", "bin"],
        &["-w", "bin"],
        &["-n", "1", "-w", "-t", "o", "bin"],
        &["--bytes=6", "--radix=x", "bin"],
        &["-n", "0", "s.bin"],
        &["-n", "x", "s.bin"],
        &["nosuch", "s.bin"],
        &["."],
    ];
    for args in cases {
        same(dir.path(), "strings", args, b"", true);
    }
    same(dir.path(), "strings", &[], b"from standard input\0x", true);
    same(dir.path(), "strings", &["-f"], b"from standard input\0x", true);
    same(dir.path(), "strings", &["-t", "q", "s.bin"], b"", false);
}
