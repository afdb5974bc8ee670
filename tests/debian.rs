//! Debian's own programs in Kestrel: the image `make debian-image` builds
//! (build/debian-image/os.iso, with the Makefile's DEBIAN_TEST_DEBS: dash,
//! coreutils, grep, sed, gawk, python3-minimal, nano and vim-tiny, and the
//! libraries they need, scripts/debian-root.sh). The programs run as they are,
//! dynamically linked: the kernel starts their loader (PT_INTERP).
//!
//! The differential tests run the same scripts with the same Debian binaries on
//! the host Linux (each through the tree's own loader and libraries, so the host
//! need not have these packages installed) and compare what they print.
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use kestrel::checks::differences;
use kestrel::session::{PROMPT, run, type_until};
use kestrel::{Boot, INIT_ENV, Machine, build_dir};

/// The scripts, in the repository and (mkinitramfs.sh copies them) in the image.
const SCRIPTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/debian");
const SCRIPTS_IN_IMAGE: &str = "/usr/share/tests/debian";
/// A tmpfs on the host, as Kestrel's /tmp is one: the scripts' files get the same
/// sizes and block counts on both sides.
const HOST_TMPFS: &str = "/dev/shm";

fn image_file(name: &str) -> PathBuf {
    let file = build_dir().join("debian-image").join(name);
    assert!(file.exists(), "{} is missing: run `make debian-image` (`make test` does)", file.display());
    file
}

/// The image's Debian tree (what scripts/debian-root.sh unpacked).
fn tree() -> PathBuf {
    image_file("debian-root")
}

fn boot(args: &str) -> Machine {
    Boot::new(args).iso(&image_file("os.iso")).start()
}

/// `path` in the tree with its symlinks followed inside the tree (an absolute
/// target from the tree's root, where /bin, /sbin, /lib and /lib64 are the
/// merged /usr's).
fn resolve_in_tree(tree: &Path, path: &str) -> PathBuf {
    let mut path = PathBuf::from(path);
    for _ in 0..16 {
        let in_tree = tree.join(path.strip_prefix("/").expect("absolute"));
        let Ok(target) = std::fs::read_link(&in_tree) else { return in_tree };
        path = if target.is_absolute() { target } else { path.parent().expect("parent").join(target) };
        for merged in ["/bin", "/sbin", "/lib", "/lib64"] {
            if let Ok(rest) = path.strip_prefix(merged) {
                path = Path::new("/usr").join(merged.trim_start_matches('/')).join(rest);
            }
        }
    }
    panic!("too many symlinks at {}", path.display());
}

/// The host command that runs the tree's program `program` (a path in the tree)
/// with the tree's loader and libraries, with `argv0` as its argv[0].
fn host_command(tree: &Path, program: &str, argv0: &str) -> Command {
    let mut command = Command::new(tree.join("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"));
    command.arg("--library-path").arg(tree.join("usr/lib/x86_64-linux-gnu"));
    command.arg("--argv0").arg(argv0).arg(resolve_in_tree(tree, program));
    command.env_clear().envs(INIT_ENV).env("TMPDIR", HOST_TMPFS);
    command
}

/// A folder on the host with a script for each program of the tree's /usr/bin
/// that runs it as `host_command` does, named as in Kestrel (`ls` runs the
/// tree's ls with argv[0] `ls`).
fn host_bin(tree: &Path, folder: &Path) {
    let loader = tree.join("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
    let libraries = tree.join("usr/lib/x86_64-linux-gnu");
    for entry in std::fs::read_dir(tree.join("usr/bin")).expect("the tree's /usr/bin") {
        let name = entry.expect("entry").file_name().into_string().expect("UTF-8 name");
        let program = resolve_in_tree(tree, &format!("/usr/bin/{name}"));
        let script = format!(
            "#!/bin/sh\nexec '{}' --library-path '{}' --argv0 '{name}' '{}' \"$@\"\n",
            loader.display(),
            libraries.display(),
            program.display()
        );
        let path = folder.join(&name);
        std::fs::write(&path, script).expect("write a host wrapper");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod a host wrapper");
    }
}

/// What the program printed in a log: the lines after init started that are
/// not the kernel's (`[    1.234] LEVEL ...`).
fn program_output(log: &str) -> Vec<&str> {
    let is_kernel_line = |line: &str| {
        line.strip_prefix('[').and_then(|rest| rest.split_once("] ")).is_some_and(|(time, _)| {
            time.trim_start().split_once('.').is_some_and(|(s, ms)| {
                s.chars().all(|c| c.is_ascii_digit()) && ms.len() == 3 && ms.chars().all(|c| c.is_ascii_digit())
            })
        })
    };
    log.lines()
        .skip_while(|line| !(is_kernel_line(line) && line.contains(" as pid 1")))
        .filter(|line| !is_kernel_line(line))
        .collect()
}

/// The user and group the host run's files belong to, as `ls -l` names them.
fn host_owner() -> (String, String) {
    let name = |flag: &str| {
        let out = Command::new("id").arg(flag).output().expect("run id");
        String::from_utf8(out.stdout).expect("UTF-8").trim().to_string()
    };
    (name("-un"), name("-gn"))
}

/// tests/debian/tools.sh, run by Debian's dash with Debian's coreutils, grep,
/// sed and gawk on PATH, prints the same checks on the host and in Kestrel
/// (`ls -l`, `sort`, `sha256sum`, GNU grep, sed and awk among them). The one
/// normalization: the host's files belong to whoever runs the test, Kestrel's to
/// root, so the host's user and group names in `ls -l` lines become root's.
#[test]
fn debian_dash_coreutils_grep_sed_and_gawk_behave_as_on_linux() {
    let tree = tree();
    let scratch = tempfile::tempdir().expect("temporary directory");
    host_bin(&tree, scratch.path());
    let script = format!("{SCRIPTS}/tools.sh");
    let host =
        host_command(&tree, "/usr/bin/dash", "dash").arg(&script).arg(scratch.path()).output().expect("run dash");
    let mut expected = String::from_utf8_lossy(&host.stdout).into_owned();
    assert!(host.status.success() && expected.ends_with("\ndone\n"), "on the host: {host:?}");
    let (user, group) = host_owner();
    if (user.as_str(), group.as_str()) != ("root", "root") {
        expected = expected.replace(&format!(" {user} {group} "), " root root ");
    }

    let mut m = boot(&format!("init=/usr/bin/dash -- {SCRIPTS_IN_IMAGE}/tools.sh /usr/bin"));
    let status = m.wait_exit(Duration::from_secs(600));
    let log = m.log();
    let report = differences(&expected, &log);
    assert!(report.is_empty(), "checks that differ from Linux:\n{report}\n----- serial log -----\n{log}");
    assert!(log.lines().any(|line| line == "done"), "the script did not finish\n{log}");
    assert_eq!(status.and_then(|s| s.code()), Some(kestrel::EXIT_SUCCESS), "dash did not exit with 0\n{log}");
}

/// tests/debian/python.py (lists, dicts, string formatting, file I/O,
/// os.listdir) prints the same with Debian's python3 on the host and in Kestrel.
#[test]
fn debian_python3_runs_a_script_as_on_linux() {
    let tree = tree();
    let python = tree.join("usr/bin/python3");
    let host = host_command(&tree, "/usr/bin/python3", &python.to_string_lossy())
        .arg(format!("{SCRIPTS}/python.py"))
        .output()
        .expect("run python3");
    let expected = String::from_utf8_lossy(&host.stdout).into_owned();
    assert!(host.status.success() && expected.ends_with("\ndone\n"), "on the host: {host:?}");

    let mut m = boot(&format!("init=/usr/bin/python3 -- {SCRIPTS_IN_IMAGE}/python.py"));
    let status = m.wait_exit(Duration::from_secs(600));
    let log = m.log();
    assert_eq!(program_output(&log), expected.lines().collect::<Vec<_>>(), "python's output\n{log}");
    assert_eq!(status.and_then(|s| s.code()), Some(kestrel::EXIT_SUCCESS), "python3 did not exit with 0\n{log}");
}

/// Boot the Debian image to Kestrel's shell, in /tmp.
fn shell_in_tmp() -> Machine {
    let mut m = boot("");
    kestrel::session::logged_in(&mut m, Duration::from_secs(90));
    run(&mut m, "cd /tmp", "/tmp # ");
    m
}

/// nano, started from Kestrel's shell on the serial console (TERM=vt102, getty's),
/// opens a new file, takes typed text and saves it.
#[test]
fn nano_edits_and_saves_a_file_on_the_serial_console() {
    let mut m = shell_in_tmp();
    type_until(&mut m, "/usr/bin/nano note.txt\n", "GNU nano");
    type_until(&mut m, "hello from nano\nsecond line", "second line");
    type_until(&mut m, "\x13", "Wrote 2 lines"); // Ctrl-S: save
    type_until(&mut m, "\x18", PROMPT); // Ctrl-X: exit
    run(&mut m, "cat note.txt", "hello from nano\nsecond line\n");
}

/// nano on the screen's first virtual console (root's automatic login on tty1),
/// typed on the PS/2 keyboard: its title bar on the first row and its help lines
/// on the last two (placed with the linux terminal's sequences), then the file
/// saved with Ctrl-S; it is read back from the serial line's shell.
#[test]
fn nano_draws_on_the_screen_console_and_saves_from_the_keyboard() {
    let mut m = shell_in_tmp();
    m.type_on_keyboard("cd /tmp\n");
    m.wait_for_screen_text("/tmp #");
    m.type_on_keyboard("/usr/bin/nano screen.txt\n");
    let screen = m.wait_for_screen_text("GNU nano");
    assert!(screen[0].contains("GNU nano") && screen[0].contains("screen.txt"), "{}", screen.join("\n"));
    assert!(screen[23].starts_with("^G Help") && screen[24].starts_with("^X Exit"), "{}", screen.join("\n"));
    m.type_on_keyboard("typed on the keyboard");
    m.monitor("sendkey ctrl-s");
    m.wait_for_screen_text("Wrote 1 line");
    m.monitor("sendkey ctrl-x");
    m.wait_for_screen_text("/tmp #"); // nano cleared the screen: tty1's shell is back
    run(&mut m, "cat screen.txt", "typed on the keyboard\n");
}

/// vim-tiny does the same with insert mode and `:wq`.
#[test]
fn vim_tiny_edits_and_saves_a_file_on_the_serial_console() {
    let mut m = shell_in_tmp();
    type_until(&mut m, "/usr/bin/vim.tiny note.txt\n", "\"note.txt\"");
    type_until(&mut m, "ihello from vim\nsecond line", "second line");
    type_until(&mut m, "\x1b:wq\r", PROMPT);
    run(&mut m, "cat note.txt", "hello from vim\nsecond line\n");
}
