//! Expansion tests against a fake shell: variables, positional parameters, a
//! command substitution that prints its words, and a few files.
use std::collections::BTreeMap;

use super::*;
use crate::ast::Command;
use crate::glob::tests::FakeDirs;
use crate::parse;

struct Fake {
    vars: BTreeMap<String, String>,
    args: Vec<String>,
    nounset: bool,
    noglob: bool,
    dirs: FakeDirs,
}

impl Dirs for Fake {
    fn entries(&self, dir: &str) -> Vec<String> {
        self.dirs.entries(dir)
    }

    fn exists(&self, path: &str) -> bool {
        self.dirs.exists(path)
    }
}

impl Env for Fake {
    fn var(&self, name: &str) -> Option<String> {
        match name {
            "#" => Some(self.args.len().to_string()),
            _ => self.vars.get(name).cloned(),
        }
    }

    fn positional(&self) -> Vec<String> {
        self.args.clone()
    }

    fn assign(&mut self, name: &str, value: &str) -> Result<(), String> {
        if name == "RO" {
            return Err("RO: is read only".into());
        }
        self.vars.insert(name.into(), value.into());
        Ok(())
    }

    /// `echo words...` prints its words (expanded) with a newline, twice for `twice`.
    fn substitute(&mut self, list: &List) -> String {
        let Command::Simple(simple) = &list.items[0].and_or.first.commands[0] else { return String::new() };
        let words = expand_fields(&simple.words, self).unwrap();
        let line = format!("{}\n", words[1..].join(" "));
        if words[0] == "twice" { line.repeat(2) } else { line }
    }

    fn home(&self, user: &str) -> Option<String> {
        match user {
            "" => self.vars.get("HOME").cloned(),
            "root" => Some("/root".into()),
            _ => None,
        }
    }

    fn nounset(&self) -> bool {
        self.nounset
    }

    fn noglob(&self) -> bool {
        self.noglob
    }
}

fn fake() -> Fake {
    let vars = [
        ("HOME", "/home/k"),
        ("A", "one"),
        ("SPACED", "  a   b\tc  "),
        ("STAR", "*.rs"),
        ("EMPTY", ""),
        ("PATH", "/usr/lib/file.tar.gz"),
        ("COLONS", "a::b:"),
        ("RO", "fixed"),
    ];
    Fake {
        vars: vars.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect(),
        args: vec!["a b".into(), "".into(), "c".into()],
        nounset: false,
        noglob: false,
        dirs: FakeDirs::new(&["/home/", "/home/a.rs", "/home/b.rs", "/home/c.txt", "/home/k/", "/home/k/x"]),
    }
}

fn words(source: &str) -> Vec<Word> {
    let list = parse(source).unwrap();
    let Command::Simple(simple) = &list.items[0].and_or.first.commands[0] else { panic!("{source}") };
    simple.words.clone()
}

fn fields_in(source: &str, env: &mut Fake) -> Vec<String> {
    expand_fields(&words(source), env).unwrap_or_else(|err| panic!("{source}: {err}"))
}

/// The fields of the words of `source`'s first command (the first word dropped).
fn fields(source: &str) -> Vec<String> {
    fields_in(&format!("x {source}"), &mut fake())[1..].to_vec()
}

fn error(source: &str) -> String {
    expand_fields(&words(&format!("x {source}")), &mut fake()).unwrap_err().0
}

#[test]
fn plain_and_quoted_words() {
    assert_eq!(fields("a 'b c' \"d\" e\\ f"), ["a", "b c", "d", "e f"]);
    assert_eq!(fields("'' \"\" $EMPTY \"$EMPTY\" $NOPE"), ["", "", ""]);
}

#[test]
fn parameters() {
    assert_eq!(fields("$A ${A}s \"$A\" x$A '$A'"), ["one", "ones", "one", "xone", "$A"]);
    assert_eq!(fields("${#A} ${#NOPE} $#"), ["3", "0", "3"]);
}

#[test]
fn parameter_operators() {
    assert_eq!(fields("${NOPE:-d} ${EMPTY:-d} ${EMPTY-d} ${A:-d}"), ["d", "d", "one"]);
    assert_eq!(fields("${NOPE:+x} ${EMPTY:+x} ${EMPTY+x} ${A:+x}"), ["x", "x"]);
    assert_eq!(fields("${NOPE:-a b} \"${NOPE:-a b}\""), ["a", "b", "a b"]);
    assert_eq!(
        fields("${PATH#*/} ${PATH##*/} ${PATH%.*} ${PATH%%.*}"),
        ["usr/lib/file.tar.gz", "file.tar.gz", "/usr/lib/file.tar", "/usr/lib/file"]
    );
    assert_eq!(
        fields("${PATH#\"*\"} \"${STAR%\".rs\"}\" ${STAR%\"*\".rs} \"${PATH##*/}\""),
        ["/usr/lib/file.tar.gz", "*", "file.tar.gz"]
    );
}

#[test]
fn assigning_defaults() {
    let mut env = fake();
    assert_eq!(fields_in("x ${N:=new value} $N", &mut env)[1..], ["new", "value", "new", "value"]);
    assert_eq!(env.vars.get("N").map(String::as_str), Some("new value"));
    assert_eq!(fields_in("x ${RO:=y}", &mut env)[1..], ["fixed"]);
    let mut env = fake();
    env.vars.remove("RO");
    assert!(expand_fields(&words("x ${RO:=y}"), &mut env).is_err());
    assert_eq!(error("${1:=x}"), "1: bad variable name");
}

#[test]
fn errors() {
    assert_eq!(error("${NOPE?}"), "NOPE: parameter not set");
    assert_eq!(error("${EMPTY:?}"), "EMPTY: parameter not set or null");
    assert_eq!(error("${NOPE:?no $A here}"), "NOPE: no one here");
    let mut env = fake();
    env.nounset = true;
    assert_eq!(expand_fields(&words("x $NOPE"), &mut env).unwrap_err().0, "NOPE: parameter not set");
    assert_eq!(fields_in("x ${NOPE:-ok} $@", &mut env)[1..], ["ok", "a", "b", "c"]);
    assert_eq!(error("$((1/0))"), "arithmetic expression: division by zero: \"1/0\"");
}

#[test]
fn positional_parameters() {
    assert_eq!(fields("\"$@\""), ["a b", "", "c"]);
    assert_eq!(fields("$@"), ["a", "b", "c"]);
    assert_eq!(fields("$*"), ["a", "b", "c"]);
    assert_eq!(fields("\"$*\""), ["a b  c"]);
    assert_eq!(fields("\"x$@y\""), ["xa b", "", "cy"]);
    let mut env = fake();
    env.args.clear();
    assert_eq!(fields_in("x \"$@\" \"$*\"", &mut env)[1..], [""]);
    env.vars.insert("IFS".into(), ":".into());
    env.args = vec!["a".into(), "b".into()];
    assert_eq!(fields_in("x \"$*\"", &mut env)[1..], ["a:b"]);
    env.vars.insert("IFS".into(), "".into());
    assert_eq!(fields_in("x \"$*\" $*", &mut env)[1..], ["ab", "a", "b"]);
}

#[test]
fn field_splitting() {
    assert_eq!(fields("$SPACED"), ["a", "b", "c"]);
    assert_eq!(fields("x${SPACED}y"), ["x", "a", "b", "c", "y"]);
    assert_eq!(fields("\"$SPACED\""), ["  a   b\tc  "]);
    assert_eq!(fields("\"\"$SPACED"), ["", "a", "b", "c"]);
    let mut env = fake();
    env.vars.insert("IFS".into(), ":".into());
    assert_eq!(fields_in("x $COLONS", &mut env)[1..], ["a", "", "b"]);
    env.vars.insert("IFS".into(), ": ".into());
    env.vars.insert("V".into(), "  :x a : b  c::".into());
    assert_eq!(fields_in("x $V", &mut env)[1..], ["", "x", "a", "b", "c", ""]);
    env.vars.insert("IFS".into(), "".into());
    assert_eq!(fields_in("x $SPACED", &mut env)[1..], ["  a   b\tc  "]);
    env.vars.remove("IFS");
    assert_eq!(fields_in("x $SPACED", &mut env)[1..], ["a", "b", "c"]);
}

#[test]
fn command_substitution() {
    assert_eq!(fields("$(echo a b) \"$(echo a  b)\" `echo x`"), ["a", "b", "a b", "x"]);
    assert_eq!(fields("\"$(twice x)\""), ["x\nx"]);
    assert_eq!(fields("$(echo $A)$A"), ["oneone"]);
}

#[test]
fn arithmetic() {
    assert_eq!(fields("$((1 + 2 * 3)) $((A2 = 4)) $(( ${#A} * 2 ))"), ["7", "4", "6"]);
    let mut env = fake();
    assert_eq!(fields_in("x $((n += 5)) $((n * 2))", &mut env)[1..], ["5", "10"]);
    assert_eq!(env.vars.get("n").map(String::as_str), Some("5"));
}

#[test]
fn tildes() {
    assert_eq!(fields("~ ~/x ~root '~' a~ ~nobody/x"), ["/home/k", "/home/k/x", "/root", "~", "a~", "~nobody/x"]);
}

#[test]
fn pathnames() {
    assert_eq!(fields("*.rs ?.txt [ab].rs"), ["a.rs", "b.rs", "c.txt", "a.rs", "b.rs"]);
    assert_eq!(fields("*.none '*.rs' \\*.rs \"*\".rs"), ["*.none", "*.rs", "*.rs", "*.rs"]);
    assert_eq!(fields("$STAR \"$STAR\""), ["a.rs", "b.rs", "*.rs"]);
    assert_eq!(fields("~/*"), ["/home/k/x"]);
    let mut env = fake();
    env.noglob = true;
    assert_eq!(fields_in("x *.rs", &mut env)[1..], ["*.rs"]);
}

#[test]
fn strings_and_patterns() {
    let mut env = fake();
    let list = parse("X=$SPACED*~ Y=~/a:~/b Z=\"$A\"'$A' W=$@").unwrap();
    let Command::Simple(simple) = &list.items[0].and_or.first.commands[0] else { panic!() };
    let values: Vec<String> =
        simple.assignments.iter().map(|assignment| expand_string(&assignment.value, &mut env).unwrap()).collect();
    assert_eq!(values, ["  a   b\tc  *~", "/home/k/a:/home/k/b", "one$A", "a b  c"]);
    let pattern = |source: &str, env: &mut Fake| expand_pattern(&words(source)[0], env).unwrap();
    assert_eq!(pattern("a*'*'\"?\"$STAR", &mut env), "a*\\*\\?*.rs");
    assert_eq!(pattern("\"$STAR\"", &mut env), "\\*.rs");
}
