//! Differential tests: the built kbox applets and the host's GNU tools (coreutils,
//! diffutils, findutils, debianutils) run on the same files in a scratch directory,
//! in the C locale and UTC, must print the same and exit the same.
use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A scratch directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("kbox-gnu-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        Scratch(path)
    }

    fn write(&self, name: &str, text: &[u8]) {
        let path = self.0.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Runs `program` (the GNU tool, or kbox's applet of that name) in `dir`.
fn run(kbox: bool, dir: &Path, program: &str, args: &[&str], input: &[u8]) -> Output {
    let mut command = if kbox {
        let mut command = Command::new(env!("CARGO_BIN_EXE_kbox"));
        command.arg(program);
        command
    } else {
        Command::new(program)
    };
    let mut child = command
        .args(args)
        .current_dir(dir)
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("{program}: {err}"));
    // A program that fails before reading its input closes the pipe: no matter.
    let _ = child.stdin.take().unwrap().write_all(input);
    child.wait_with_output().unwrap()
}

/// Both runs, compared: output, errors and status.
fn same(dir: &Path, program: &str, args: &[&str], input: &[u8]) {
    same_in(dir, dir, program, args, input);
}

/// The same, for commands that change files: GNU's in `gnu_dir`, ours in `our_dir`.
fn same_in(gnu_dir: &Path, our_dir: &Path, program: &str, args: &[&str], input: &[u8]) {
    let gnu = run(false, gnu_dir, program, args, input);
    let ours = run(true, our_dir, program, args, input);
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    assert_eq!(
        (text(&ours.stdout), text(&ours.stderr), ours.status.code()),
        (text(&gnu.stdout), text(&gnu.stderr), gnu.status.code()),
        "{program} {args:?}"
    );
}

#[test]
fn diff_formats() {
    let scratch = Scratch::new("diff");
    let numbers: String = (1..=30).map(|n| format!("{n}\n")).collect();
    let edited = numbers.replace("3\n", "three\n").replace("17\n18\n", "").replace("25\n", "25\n25.5\n");
    scratch.write("a", numbers.as_bytes());
    scratch.write("b", edited.as_bytes());
    scratch.write("c", b"x\ny");
    scratch.write("d", b"x\nY\n");
    scratch.write("e", b"Hello  World\nfoo\n");
    scratch.write("f", b"hello world \nfoo\n");
    scratch.write("A/f", numbers.as_bytes());
    scratch.write("B/f", edited.as_bytes());
    scratch.write("A/s/g", b"1\n");
    scratch.write("B/s/g", b"2\n");
    scratch.write("A/only", b"x\n");
    scratch.write("B/new", b"y\n");
    let dir = &scratch.0;
    for args in [
        &["a", "b"][..],
        &["-u", "a", "b"],
        &["-c", "a", "b"],
        &["-U", "1", "a", "b"],
        &["-C", "0", "a", "b"],
        &["-U", "10", "a", "b"],
        &["c", "d"],
        &["-u", "c", "d"],
        &["-c", "c", "d"],
        &["e", "f"],
        &["-i", "e", "f"],
        &["-b", "e", "f"],
        &["-w", "e", "f"],
        &["-q", "a", "b"],
        &["a", "a"],
        &["a", "missing"],
        &["A", "B"],
        &["-r", "A", "B"],
        &["-ru", "A", "B"],
        &["-rN", "A", "B"],
        &["-rq", "A", "B"],
        &["a", "A"],
        &["-u", "/dev/null", "a"],
        &["a"],
        &["-z", "a", "b"],
    ] {
        same(dir, "diff", args, b"");
    }
}

/// Texts made of a few distinct lines, so that the diffs have to choose.
#[test]
fn diff_of_generated_texts() {
    let scratch = Scratch::new("diffgen");
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |limit: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % limit
    };
    for round in 0..40 {
        let mut text = |count: u64| -> String { (0..count).map(|_| format!("line {}\n", next(6))).collect() };
        let (old, new) = (text(12), text(12));
        scratch.write("old", old.as_bytes());
        scratch.write("new", new.as_bytes());
        for format in ["-u", "-c", "-n"] {
            let args: &[&str] = if format == "-n" { &["old", "new"] } else { &[format, "old", "new"] };
            let gnu = run(false, &scratch.0, "diff", args, b"");
            let ours = run(true, &scratch.0, "diff", args, b"");
            assert_eq!(ours.status.code(), gnu.status.code(), "round {round}");
            // Where several shortest scripts exist the two may choose differently;
            // both must then still change as many lines.
            let count = |output: &Output, marks: &[&str]| {
                String::from_utf8_lossy(&output.stdout)
                    .lines()
                    .filter(|line| marks.iter().any(|mark| line.starts_with(mark)))
                    .count()
            };
            let marks: &[&str] = match format {
                "-u" => &["-line", "+line"],
                "-c" => &["- ", "+ ", "! "],
                _ => &["< ", "> "],
            };
            assert_eq!(count(&ours, marks), count(&gnu, marks), "round {round} {format}\n{old}\n{new}");
        }
    }
}

#[test]
fn chmod_modes() {
    let scratch = Scratch::new("chmod");
    let modes = [
        "755",
        "0644",
        "4755",
        "u+x",
        "go-w",
        "a=r",
        "u=rwx,g=rx,o=",
        "+x",
        "-w",
        "=",
        "u=g",
        "o=u",
        "g+u",
        "u+s,g+s",
        "o+t",
        "+t",
        "a+X",
        "go=X",
        "a-x+r",
        "u-w=rx",
        "ug=rw,o-rwx",
        "=rw",
        "u+q",
        "",
        "9",
        "a+rwxst",
        "g-s",
    ];
    for start in [0o644, 0o711, 0o2750, 0o600] {
        for mode in modes {
            for kind in ["file", "dir"] {
                let set_up = |name: &str| {
                    let path = scratch.0.join(name);
                    let _ = fs::remove_dir(&path);
                    let _ = fs::remove_file(&path);
                    if kind == "dir" {
                        fs::create_dir(&path).unwrap()
                    } else {
                        fs::write(&path, b"").unwrap()
                    }
                    fs::set_permissions(&path, fs::Permissions::from_mode(start)).unwrap();
                };
                set_up("gnu");
                set_up("ours");
                let gnu = run(false, &scratch.0, "chmod", &[mode, "gnu"], b"");
                let ours = run(true, &scratch.0, "chmod", &[mode, "ours"], b"");
                let mode_of = |name: &str| fs::metadata(scratch.0.join(name)).unwrap().permissions().mode() & 0o7777;
                let what = format!("chmod {mode} on a {kind} of mode {start:o}");
                assert_eq!(ours.status.code(), gnu.status.code(), "{what}");
                assert_eq!(format!("{:o}", mode_of("ours")), format!("{:o}", mode_of("gnu")), "{what}");
            }
        }
    }
    let (gnu, ours) = (Scratch::new("chmod-gnu"), Scratch::new("chmod-ours"));
    for scratch in [&gnu, &ours] {
        scratch.write("d/e/f", b"");
        fs::set_permissions(scratch.0.join("d/e/f"), fs::Permissions::from_mode(0o644)).unwrap();
    }
    for args in [
        &["-R", "u+w", "d", "missing"][..],
        &["-v", "644", "d/e/f"],
        &["-c", "600", "d/e/f"],
        &["-c", "600", "d/e/f"],
        &["-Rv", "go-rwx", "d"],
        &["u+x"],
        &["u+z", "d"],
    ] {
        same_in(&gnu.0, &ours.0, "chmod", args, b"");
    }
}

#[test]
fn xargs_batches() {
    let dir = std::env::temp_dir();
    let input = b"a b c\nd 'e f' g\\ h\n\ni j \nk\n";
    for args in [
        &[][..],
        &["-n", "2"],
        &["-L", "1"],
        &["-L", "2", "echo", "x"],
        &["-I", "{}", "echo", "[{}]", "x{}y"],
        &["-s", "12"],
        &["-t", "-n", "3", "echo"],
        &["-n", "0"],
        &["-x", "-n", "3", "-s", "10"],
        &["-n", "3", "-s", "10"],
        &["-n", "x"],
        &["-n1", "sh", "-c", "exit $(($1 == 1))", "sh"],
        &["sh", "-c", "exit 255"],
        &["nosuchcommand"],
    ] {
        same(&dir, "xargs", args, input);
    }
    same(&dir, "xargs", &["-0", "-n", "1"], b"a b\0c\nd\0");
    same(&dir, "xargs", &[], b"");
    same(&dir, "xargs", &["-r"], b"");
    same(&dir, "xargs", &[], b"'unterminated");
}

#[test]
fn du_df_and_ls() {
    let scratch = Scratch::new("du");
    scratch.write("a/f", &[7; 10_000]);
    scratch.write("a/b/g", b"x");
    scratch.write("small", b"y");
    fs::hard_link(scratch.0.join("a/f"), scratch.0.join("a/b/link")).unwrap();
    std::os::unix::fs::symlink("f", scratch.0.join("a/sym")).unwrap();
    let dir = &scratch.0;
    for args in [
        &[][..],
        &["-a"],
        &["-s"],
        &["-sh", "."],
        &["-c", "a", "small"],
        &["-d", "1"],
        &["-ah"],
        &["-sk", "a", "a"],
        &["missing"],
        &["-x", "."],
    ] {
        let sorted = |output: Output| {
            let mut lines: Vec<String> = String::from_utf8_lossy(&output.stdout).lines().map(String::from).collect();
            lines.sort();
            (lines, String::from_utf8_lossy(&output.stderr).into_owned(), output.status.code())
        };
        assert_eq!(sorted(run(true, dir, "du", args, b"")), sorted(run(false, dir, "du", args, b"")), "du {args:?}");
    }
    for args in
        [&["/proc"][..], &["-T", "/proc", "/dev"], &["-i", "/dev"], &["-P", "/dev"], &["-h", "/dev"], &["missing"]]
    {
        same(dir, "df", args, b"");
    }
    for args in
        [&["-R"][..], &["-R", "a/", "small"], &["-Ra", "a"], &["-R1", "."], &["-Rd", "a"], &["-R", "missing", "a"]]
    {
        same(dir, "ls", args, b"");
    }
}

#[test]
fn which_id_groups_and_test() {
    let scratch = Scratch::new("which");
    scratch.write("bin/tool", b"");
    scratch.write("bin/plain", b"");
    fs::set_permissions(scratch.0.join("bin/tool"), fs::Permissions::from_mode(0o755)).unwrap();
    let dir = &scratch.0;
    for args in [&["sh"][..], &["-a", "sh", "ls"], &["nosuchprogram", "sh"], &["./bin/tool"], &["./bin/plain"], &[]] {
        same(dir, "which", args, b"");
    }
    for args in [
        &[][..],
        &["root"],
        &["-a"],
        &["-ru"],
        &["-Gn"],
        &["-un", "root"],
        &["-n"],
        &["-g", "-G"],
        &["0"],
        &["nosuchuser"],
        &["--groups", "--name", "root"],
        &["-zG"],
    ] {
        same(dir, "id", args, b"");
    }
    for args in [&["root"][..], &["nosuchuser"], &["0"]] {
        same(dir, "groups", args, b"");
    }
    for args in [
        &["a", "=", "a"][..],
        &["a", "=", "b"],
        &["-n", ""],
        &["-z", ""],
        &["!", "-d", "bin"],
        &["-d", "bin", "-a", "-x", "bin/tool"],
        &["-x", "bin/plain", "-o", "-f", "bin/plain"],
        &["(", "1", "-lt", "2", ")"],
        &["10", "-ge", "9"],
        &["bin/tool", "-ef", "bin/tool"],
        &[],
        &["-k", "bin"],
    ] {
        let gnu = run(false, dir, "/usr/bin/test", args, b"");
        let ours = run(true, dir, "test", args, b"");
        assert_eq!(ours.status.code(), gnu.status.code(), "test {args:?}");
    }
}
