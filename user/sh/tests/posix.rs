//! The POSIX language run by the shell binary on the host, each test a script
//! whose standard output and status are what dash gives (checked by hand against
//! dash; the full differential suite is tests/sh in the workspace).
use std::process::{Command, Stdio};

const SH: &str = env!("CARGO_BIN_EXE_sh");

/// Runs `script` with `sh -c`: its standard output and status.
fn run(script: &str) -> (String, i32) {
    let output = Command::new(SH)
        .arg("-c")
        .arg(script)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .expect("run sh");
    (String::from_utf8(output.stdout).unwrap(), output.status.code().unwrap_or(-1))
}

fn out(script: &str) -> String {
    run(script).0
}

#[test]
fn compound_commands_nest_across_lines() {
    let script = "for i in 1 2 3\ndo\n  if [ $i = 2 ]; then\n    echo two\n  elif [ $i = 3 ]\n  then echo three\n  else\n    while false; do :; done\n    until true; do :; done\n    echo one\n  fi\ndone\n{ echo group; } ; (echo sub)";
    assert_eq!(out(script), "one\ntwo\nthree\ngroup\nsub\n");
    assert_eq!(out("case abc in a|x) echo 1;; a*c) echo 2;; *) echo 3;; esac"), "2\n");
    assert_eq!(out("set -- x y; for a; do echo $a; done; for b in; do echo never; done"), "x\ny\n");
}

#[test]
fn break_and_continue_take_levels() {
    let script = "for i in 1 2 3; do for j in a b c; do [ $j = b ] && continue 2; [ $i = 3 ] && break 2; echo $i$j; done; done; echo out";
    assert_eq!(out(script), "1a\n2a\nout\n");
}

#[test]
fn functions_locals_and_return() {
    let script = "a=1; f() { local a=2; g; echo \"f a=$a\"; return 4; }; g() { echo \"g a=$a\"; }; f; echo \"$? a=$a\"";
    assert_eq!(out(script), "g a=2\nf a=2\n4 a=1\n");
    assert_eq!(out("v=0; s() ( v=1 ); s; echo $v; f() { echo $# \"$1\"; }; f 'a b' c"), "0\n2 a b\n");
}

#[test]
fn command_substitution_nests_and_strips_newlines() {
    assert_eq!(out("echo \"$(echo \"$(echo 'in  ner')\")\" `echo \"b \\`echo q\\`\"`"), "in  ner b q\n");
    assert_eq!(out("x=$(printf 'a\\n\\n\\n'); echo \"[$x]\"; x=$(exit 3); echo $?"), "[a]\n3\n");
}

#[test]
fn arithmetic() {
    assert_eq!(
        out("x=5; : $((x += 2)) $((x *= 3)); echo $x $((x % 4)) $((x > 20 ? 1 : 0)) $((1 << 4 | 1))"),
        "21 1 1 17\n"
    );
    assert_eq!(run("echo $((1 / 0)); echo after"), (String::new(), 2));
}

#[test]
fn parameter_expansions_and_splitting() {
    let script =
        "v=/a/b.tar.gz; echo ${v##*/} ${v#*/} ${v%.*} ${v%%.*} ${#v} ${u:-d} ${u-e} ${u:+x}${v:+y} ${w:=set} $w";
    assert_eq!(out(script), "b.tar.gz a/b.tar.gz /a/b.tar /a/b 11 d e y set set\n");
    assert_eq!(
        out("IFS=:; x='a::b:'; set -- $x; echo $#; IFS=' '; set -- \"\" \"a b\"; printf '[%s]' \"$@\" $*"),
        "3\n[][a b][a][b]"
    );
    assert_eq!(run("echo ${u?gone}; echo after"), (String::new(), 2));
}

#[test]
fn here_documents() {
    let script = "x=1\ncat <<EOF; cat <<'Q'\n$x $((x+1)) \\$x\nEOF\n$x\nQ\ncat <<-E\n\t\ttabs\n\tE\n";
    assert_eq!(out(script), "1 2 $x\n$x\ntabs\n");
}

#[test]
fn redirections() {
    let directory = std::env::temp_dir().join(format!("sh-posix-redirect-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let script = format!(
        "cd {} && echo a > f && set -C && {{ echo b > f; }} 2>/dev/null; echo $?; echo c >| f; exec 3<>f; read l <&3; echo $l; exec 3>&-; echo x >&3 2>/dev/null || echo closed",
        directory.display()
    );
    assert_eq!(out(&script), "2\nc\nclosed\n");
    std::fs::remove_dir_all(directory).unwrap();
}

#[test]
fn set_e_exceptions() {
    assert_eq!(
        run("set -e; if false; then :; fi; false || true; ! true; false && true; echo alive; false; echo dead"),
        ("alive\n".into(), 1)
    );
    assert_eq!(run("set -e; f() { false; echo no; }; f || echo caught; f"), ("no\n".into(), 1));
}

#[test]
fn traps_run_on_signals_and_exit() {
    assert_eq!(
        run("trap 'echo usr1' USR1; kill -USR1 $$; echo after; trap 'echo bye $?' EXIT; exit 3"),
        ("usr1\nafter\nbye 3\n".into(), 3)
    );
    assert_eq!(run("trap 'echo int; exit 5' INT; kill -INT $$; echo never"), ("int\n".into(), 5));
}

#[test]
fn builtins() {
    assert_eq!(
        out("while getopts ab: o -a -b v -c; do echo $o${OPTARG:+=$OPTARG}; done 2>/dev/null; echo $OPTIND"),
        "a\nb=v\n?\n5\n"
    );
    assert_eq!(out("printf 'x\\\\\\ny z\\n' | { read -r a b; echo \"$a|$b\"; }"), "x\\|\n");
    assert_eq!(
        out("alias hi='echo hello'\nhi there; eval 'echo $((2+2))'; command -v cd; type :"),
        "hello there\n4\ncd\n: is a special shell builtin\n"
    );
    assert_eq!(out("echo 'a\\tb\\c' more; printf '%3d|%-3s|%x\\n' 7 ab 255"), "a\tb  7|ab |ff\n");
    assert_eq!(run("readonly r=1; r=2; echo no"), (String::new(), 2));
    assert_eq!(run("shift 3; echo no"), (String::new(), 2));
}

#[test]
fn exit_statuses() {
    assert_eq!(run("/nonexistent/x; echo $?").0, "127\n");
    assert_eq!(run("/; echo $?").0, "126\n");
    assert_eq!(run("sh -c 'kill -TERM $$'; echo $?").0, "143\n");
    assert_eq!(run("echo before\nif then\necho after"), ("before\n".into(), 2));
}
