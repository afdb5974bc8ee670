//! sed against GNU sed: each case runs `kbox sed ARGS` and the host's /usr/bin/sed
//! in fresh copies of the same folder of files, with the same standard input, and
//! compares standard output, the exit status, standard error (its text where the
//! case says so, else whether there is any) and the files left in the folder.
//! Skipped when the host has no GNU sed.
use std::fs;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

const GNU_SED: &str = "/usr/bin/sed";

/// The files every case starts with.
const FILES: &[(&str, &[u8])] = &[
    ("lines", b"one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n"),
    ("words", b"hello world\nfoo bar baz\nHello again\n\nthe end\n"),
    ("short", b"x\ny\n"),
    ("nonl", b"first\nlast without newline"),
    ("binary", b"caf\xc3\xa9 \xff\xfe raw\nplain a\n"),
    ("script.sed", b"# a comment\n/two/,/four/{\n  s/o/0/g\n  p\n}\n$a\\\nappended\n"),
    ("nuls", b"a\0b\0c\0"),
    ("tabs", b"a\tb\\c\x01\n"),
];

/// How much of standard error must be the same.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stderr {
    All,
    /// The first line (kbox follows a bad option with `Try 'sed --help'`, where GNU
    /// sed prints its whole usage).
    FirstLine,
    /// Whether there is any (regex-lite words its complaints its own way).
    Presence,
}

/// One case: the arguments, the standard input, and how standard error compares.
struct Case {
    args: &'static [&'static str],
    stdin: &'static str,
    stderr: Stderr,
}

const fn case(args: &'static [&'static str]) -> Case {
    Case { args, stdin: "", stderr: Stderr::All }
}

const fn input(args: &'static [&'static str], stdin: &'static str) -> Case {
    Case { args, stdin, stderr: Stderr::All }
}

const fn bad_option(args: &'static [&'static str]) -> Case {
    Case { args, stdin: "", stderr: Stderr::FirstLine }
}

const fn any_error(args: &'static [&'static str]) -> Case {
    Case { args, stdin: "", stderr: Stderr::Presence }
}

const CASES: &[Case] = &[
    // Printing, addresses and ranges.
    case(&["p", "short"]),
    case(&["-n", "2,4p", "lines"]),
    case(&["-n", "$p", "lines"]),
    case(&["-n", "$=", "lines", "words"]),
    case(&["-s", "-n", "$=", "lines", "words"]),
    case(&["-n", "/t/p", "lines"]),
    case(&["-n", "/^t/,/^f/p", "lines"]),
    case(&["-n", r"\,e$,p", "lines"]),
    case(&["-n", "/HELLO/Ip", "words"]),
    case(&["-n", "0,/o/p", "lines"]),
    case(&["-n", "1,/o/p", "lines"]),
    case(&["-n", "3,+2p", "lines"]),
    case(&["-n", "5,~4p", "lines"]),
    case(&["-n", "4,~4p", "lines"]),
    case(&["-n", "0~3p", "lines"]),
    case(&["-n", "2~3p", "lines"]),
    case(&["-n", "7,3p", "lines"]),
    case(&["2,8!d", "lines"]),
    case(&["-n", "/two/,/t/{/t/p}", "lines"]),
    case(&["-n", "2{p;p}", "lines"]),
    case(&["1~2{s/^/odd: /;b};s/^/even: /", "lines"]),
    // Deleting, changing, inserting, appending.
    case(&["3d", "lines"]),
    case(&["/e/d", "lines"]),
    case(&["2i\\\ninserted", "short"]),
    case(&["1a appended\\\nsecond line", "short"]),
    case(&["$a\\", "short"]),
    case(&["2c\\\nchanged", "lines"]),
    case(&["2,4c\\\nchanged", "lines"]),
    case(&["2,4!c\\\nchanged", "lines"]),
    case(&["1i\\  keeps blanks", "short"]),
    case(&["-e", "a\\", "-e", "split", "short"]),
    // Hold space, multiline commands.
    case(&["-n", "1!G;h;$p", "lines"]),
    case(&["$!N;s/\\n/ + /", "lines"]),
    case(&[":a;N;$!ba;s/\\n/,/g", "lines"]),
    case(&["$!N;P;D", "lines"]),
    case(&["N;N;D", "short"]),
    case(&["x;$!d;x;G", "lines"]),
    case(&["-n", "h;s/o/0/;H;x;l", "words"]),
    case(&["n;d", "lines"]),
    case(&["-n", "N;p", "lines"]),
    case(&["$!{n;n;n;n}", "short"]),
    case(&["z;s/^$/empty/", "short"]),
    // Substitution.
    case(&["s/o/0/", "lines"]),
    case(&["s/o/0/g", "words"]),
    case(&["s/o/0/2", "words"]),
    case(&["s/o/0/2g", "words"]),
    case(&["-n", "s/e/E/gp", "lines"]),
    case(&["s/HELLO/bye/I", "words"]),
    case(&["s|/|:|g", "lines"]),
    case(&[r"s/[/o]/|/g;s/[]/[:alpha:]]/_/2;\,[,],p", "words"]),
    case(&["s/a[/b/X/", "short"]),
    case(&["s,o,\\,,g", "words"]),
    case(&["s/\\(h\\)\\(e\\)/\\2\\1[&]/", "words"]),
    case(&["-E", "s/(o+)|(b)/<\\1|\\2>/g", "words"]),
    case(&["-r", "s/^([a-z]+) ([a-z]+)/\\2 \\1/", "words"]),
    case(&["s/\\w\\+/\\u&/g", "words"]),
    case(&["s/.*/\\U&/;s/O/\\l&/", "words"]),
    case(&["s/\\(.\\)\\(.*\\)/\\L\\2\\E-\\U\\1/", "words"]),
    case(&["s/ /\\n/;P;D", "words"]),
    case(&["s/ /\\\n/g", "words"]),
    case(&["N;s/^/>/Mg", "lines"]),
    case(&["s/x*/-/g", "short"]),
    case(&["s/o*/<&>/g", "words"]),
    case(&["s/$/ end/;s/^/start /", "short"]),
    case(&["s/\\`h/H/;s/o\\'/O/", "words"]),
    case(&["s/[[:upper:]]/#/g;s/[^a-z# ]/?/g", "words"]),
    case(&["/o/s//0/g", "lines"]),
    case(&["s/o/0/;ta;s/$/ (none)/;:a", "lines"]),
    case(&["s/o/0/;Ta;s/$/ (some)/;:a", "lines"]),
    case(&["-n", "s/e/E/w /dev/stdout", "lines"]),
    case(&["y/abcdefghij/ABCDEFGHIJ/", "words"]),
    case(&["y/o\\n/\\n /;N;y/\\n/|/", "lines"]),
    // Output commands, files, quitting.
    case(&["-n", "l", "tabs"]),
    case(&["-n", "l 5", "lines", "tabs"]),
    case(&["-l", "4", "-n", "l", "words"]),
    case(&["-n", "l;l 0", "binary"]),
    case(&["-n", "l 1;l 2", "short"]),
    case(&["=", "short"]),
    case(&["-n", "$=", "nonl"]),
    case(&["F", "short"]),
    case(&["3q", "lines"]),
    case(&["3q7", "lines"]),
    case(&["3Q", "lines"]),
    case(&["/four/Q 3", "lines"]),
    case(&["2r short", "lines"]),
    case(&["$r nosuch", "short"]),
    case(&["R short", "lines"]),
    case(&["-n", "/o/w out\n$r out", "lines"]),
    case(&["W /dev/stdout", "words"]),
    case(&["-n", "/e/p", "-", "short"]),
    // Scripts from files, options, bytes and newlines.
    case(&["-f", "script.sed", "lines"]),
    case(&["-e", "1d", "-f", "script.sed", "-e", "$d", "lines"]),
    case(&["-n", "--expression=2p", "--expression", "4p", "lines"]),
    case(&["#n\n/t/p", "lines"]),
    case(&["-n", "/two/{\np\n# comment\n}\n", "lines"]),
    case(&["p", "nonl"]),
    case(&["$d", "nonl"]),
    case(&["$a end", "nonl"]),
    case(&["", "nonl", "short"]),
    case(&["s/a/A/g", "binary"]),
    case(&["s/raw/RAW/;s/./(&)/", "binary"]),
    case(&["-z", "s/^/>/;2d", "nuls"]),
    case(&["-s", "1d;$s/$/ (last)/", "short", "words"]),
    case(&["-i", "s/o/0/g;1d", "lines", "short"]),
    case(&["-i.bak", "2d", "short"]),
    case(&["--in-place=.orig", "-n", "1p", "words"]),
    case(&["-n", "-i", "$p;F", "lines", "short"]),
    case(&["--posix", "-n", "2p", "short"]),
    input(&["s/in/IN/"], "standard\ninput\n"),
    input(&["-n", "$p", "-", "short"], "from stdin\n"),
    case(&["0,/one/d", "lines"]),
    case(&["-n", "/six/,+0p;/eight/,+1p", "lines"]),
    case(&[r"s/b*/x/2;s/a/\&\\&/", "words"]),
    case(&[
        "2{a after
n;s/^/next: /}",
        "lines",
    ]),
    case(&[
        "1r short
N;s/\n/ joined /",
        "lines",
    ]),
    case(&["$!N;s/\n/+/", "nonl"]),
    case(&["G;s/\n/|/", "short"]),
    case(&["G;s/\\n/|/", "short"]),
    case(&["$!N;s/\\n/+/", "nonl"]),
    case(&["1r short\nN;s/\\n/ joined /", "lines"]),
    case(&["-z", "=;a x", "nuls"]),
    case(&["-z", "N;G;l", "nuls"]),
    case(&[
        "-n",
        "s/o/0/w changed
$r changed",
        "lines",
    ]),
    case(&[
        "/two/,/four/{/three/c\
REPLACED
}",
        "lines",
    ]),
    case(&["D", "short"]),
    case(&["y/aw/AW/;s/ra/RA/", "binary"]),
    case(&["-s", "-n", "1F;$=", "short", "lines"]),
    case(&["2!{s/^/not two: /}", "short"]),
    case(&["-n", "/T/I{s//t/gp}", "lines"]),
    // Errors.
    case(&["p", "nosuch", "short"]),
    case(&["s/a/b", "short"]),
    case(&["-e", "p", "-e", "s/a/b/x", "short"]),
    case(&["-f", "nosuch"]),
    case(&["{p", "short"]),
    case(&["-e", "p", "-e", "{", "short"]),
    case(&["b nowhere", "short"]),
    case(&["w /nonexistent/dir/file", "short"]),
    case(&["y/abc/de/", "short"]),
    case(&["2,3!!p", "short"]),
    case(&["//d", "short"]),
    case(&["2s//x/", "short"]),
    case(&["-i", "p", "nosuch"]),
    input(&["-i", "p"], "x\n"),
    input(&["-i", "p", "-"], "x\n"),
    case(&["-i", "p", "."]),
    case(&["-i.bak", "p", "short", "nosuch", "lines"]),
    bad_option(&[]),
    bad_option(&["-n"]),
    bad_option(&["--bogus", "p"]),
    bad_option(&["-k", "p"]),
    bad_option(&["--expression"]),
    any_error(&["s/a\\(/x/", "short"]),
    any_error(&["/[a/p", "short"]),
];

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A fresh folder holding `FILES`.
fn folder() -> PathBuf {
    let number = NEXT.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("kbox-sed-{}-{number}", std::process::id()));
    let _ = fs::remove_dir_all(&path);
    fs::create_dir_all(&path).unwrap();
    for (name, contents) in FILES {
        fs::write(path.join(name), contents).unwrap();
    }
    path
}

/// What a run left: its output, error output, status, and the folder's files.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    stdout: String,
    stderr: String,
    status: Option<i32>,
    files: Vec<(String, String)>,
}

fn run(mut command: Command, case: &Case) -> Outcome {
    let folder = folder();
    let mut child = command
        .args(case.args)
        .current_dir(&folder)
        .env("LC_ALL", "C")
        .env_remove("POSIXLY_CORRECT")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // sed may finish without reading it all.
    let _ = child.stdin.take().unwrap().write_all(case.stdin.as_bytes());
    let output = child.wait_with_output().unwrap();
    let mut files: Vec<(String, String)> = fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .map(|path| (name(&path), String::from_utf8_lossy(&fs::read(&path).unwrap_or_default()).into_owned()))
        .collect();
    files.sort();
    fs::remove_dir_all(&folder).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    Outcome {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: match case.stderr {
            Stderr::All => stderr,
            Stderr::FirstLine => stderr.lines().next().unwrap_or_default().to_owned(),
            Stderr::Presence => (!stderr.is_empty()).to_string(),
        },
        status: output.status.code(),
        files,
    }
}

fn name(path: &Path) -> String {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    // The temporary files of -i have changing names; none must be left.
    if name.starts_with("sed") && name.len() > 3 { "sed-temporary".into() } else { name }
}

#[test]
fn sed_behaves_as_gnu_sed() {
    let gnu = Command::new(GNU_SED).arg("--version").output();
    if !gnu.is_ok_and(|output| String::from_utf8_lossy(&output.stdout).contains("GNU sed")) {
        eprintln!("skipped: no GNU sed at {GNU_SED}");
        return;
    }
    assert!(CASES.len() >= 50);
    let mut failures = Vec::new();
    for case in CASES {
        let mut ours = Command::new(env!("CARGO_BIN_EXE_kbox"));
        ours.arg("sed");
        let mut gnu = Command::new(GNU_SED);
        gnu.arg0("sed");
        let expected = run(gnu, case);
        let got = run(ours, case);
        if got != expected {
            failures
                .push(format!("sed {:?} (stdin {:?}):\n  gnu:  {expected:?}\n  kbox: {got:?}", case.args, case.stdin));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

#[test]
fn usage_and_version() {
    let run = |arg: &str| Command::new(env!("CARGO_BIN_EXE_kbox")).args(["sed", arg]).output().unwrap();
    let help = run("--help");
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).starts_with("Usage: sed [OPTION]..."));
    let version = run("--version");
    assert!(version.status.success());
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("sed "));
}
