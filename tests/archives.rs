//! kbox's data, archive and process utilities at Kestrel's shell prompt: tar's
//! create, list and extract with gzip, compared with cmp; a gzip round trip;
//! sha256sum against a digest computed on the host; top's batch frame listing the
//! shell; and time -p's real time.
use std::io::Write;
use std::process::{Command, Stdio};

use kestrel::session::{run, shell};

const CONTENT: &str = "kestrel archive test\n";

/// The SHA-256 of `data`, as the host's sha256sum computes it.
fn host_sha256(data: &str) -> String {
    let mut child = Command::new("sha256sum").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("sha256sum");
    child.stdin.take().unwrap().write_all(data.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    String::from_utf8(output.stdout).unwrap().split_whitespace().next().unwrap().to_owned()
}

#[test]
fn tar_gzip_sha256sum_top_and_time() {
    let mut m = shell();
    run(&mut m, "mkdir -p /tmp/a/d/sub /tmp/b && cd /tmp/a", "");
    run(&mut m, &format!("printf '{}' > d/f && ln -s f d/l && seq 1 3000 > d/sub/n", CONTENT.replace('\n', "\\n")), "");
    run(&mut m, "tar czf /tmp/t.tgz d; echo made-$?", "made-0\n");
    run(&mut m, "tar tzvf /tmp/t.tgz | grep sub/n", "root/root     13893 ");
    run(&mut m, "tar -tzvf /tmp/t.tgz d/l", "d/l -> f\n");
    run(&mut m, "tar -xzf /tmp/t.tgz -C /tmp/b; echo x-$?", "x-0\n");
    run(&mut m, "cmp d/sub/n /tmp/b/d/sub/n && cmp d/f /tmp/b/d/l; echo cmp-$?", "cmp-0\n");
    run(&mut m, "printf x >> /tmp/b/d/f; cmp d/f /tmp/b/d/f", "cmp: EOF on d/f after byte 21, line 1\n");

    run(&mut m, "cp d/sub/n big && gzip -v big", "replaced with big.gz\n");
    run(&mut m, "gzip -l big.gz", "uncompressed_name\n");
    run(&mut m, "gunzip big.gz; cmp big d/sub/n; echo round-trip-$?", "round-trip-0\n");
    run(&mut m, "zcat /tmp/t.tgz | tar tf - | tail -1", "d/sub/n\n");

    run(&mut m, "sha256sum d/f", &format!("{}  d/f\n", host_sha256(CONTENT)));
    run(&mut m, "sha256sum d/f > sums; sha256sum -c sums", "d/f: OK\n");

    run(&mut m, "top -b -n 1 > frame; head -1 frame", "top - ");
    run(
        &mut m,
        "head -7 frame | tail -1",
        "PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND\n",
    );
    let before = m.log().len();
    run(&mut m, "tail -n +8 frame", "\n");
    let listed = m.log()[before..].to_owned();
    let shell_line = listed.lines().map(str::trim).find(|line| {
        // The login shell is `-sh`.
        line.ends_with(" -sh") && line.split_whitespace().next().is_some_and(|pid| pid.parse::<u32>().is_ok())
    });
    assert!(shell_line.is_some(), "top does not list the shell: {listed}");

    let before = m.log().len();
    run(&mut m, "time -p sleep 1", "sys ");
    let log = m.log()[before..].to_owned();
    let real: f64 = log
        .lines()
        .find_map(|line| line.trim().strip_prefix("real "))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or_else(|| panic!("no real time in {log}"));
    assert!((1.0..5.0).contains(&real), "real {real}: {log}");
}
