//! Tests of `#!` line parsing against Linux's binfmt_script behaviour.
use proptest::prelude::*;

use super::*;

fn ok<'a>(path: &'a [u8], argument: Option<&'a [u8]>) -> Option<Result<Interpreter<'a>, BadLine>> {
    Some(Ok(Interpreter { path, argument }))
}

#[test]
fn interpreter_and_one_argument() {
    assert_eq!(parse(b"#!/bin/sh\necho hi\n"), ok(b"/bin/sh", None));
    assert_eq!(parse(b"#! /bin/sh -e \nx"), ok(b"/bin/sh", Some(b"-e")));
    assert_eq!(parse(b"#!/usr/bin/env  python3 -u\n"), ok(b"/usr/bin/env", Some(b"python3 -u")));
    assert_eq!(parse(b"#!/bin/sh"), ok(b"/bin/sh", None));
    assert_eq!(parse(b"#!\t/bin/sh\t-x\t\n"), ok(b"/bin/sh", Some(b"-x")));
}

#[test]
fn not_scripts_and_bad_lines() {
    assert_eq!(parse(b"\x7fELF"), None);
    assert_eq!(parse(b"# !/bin/sh"), None);
    assert_eq!(parse(b"#!\n/bin/sh"), Some(Err(BadLine::NoInterpreter)));
    assert_eq!(parse(b"#!   \n"), Some(Err(BadLine::NoInterpreter)));
    let mut long = b"#!/".to_vec();
    long.extend(core::iter::repeat_n(b'a', 300));
    assert_eq!(parse(&long), Some(Err(BadLine::TooLong)));
}

#[test]
fn a_long_argument_is_cut_at_the_limit() {
    let mut line = b"#!/bin/sh ".to_vec();
    line.extend(core::iter::repeat_n(b'x', 400));
    let parsed = parse(&line).unwrap().unwrap();
    assert_eq!(parsed.path, b"/bin/sh");
    assert_eq!(parsed.argument.map(<[u8]>::len), Some(LINE_LIMIT - 10));
}

proptest! {
    #[test]
    fn never_panics_and_stays_in_the_first_line(file in proptest::collection::vec(any::<u8>(), 0..600)) {
        if let Some(Ok(i)) = parse(&file) {
            prop_assert!(!i.path.is_empty());
            prop_assert!(!i.path.contains(&b'\n') && !i.path.contains(&b' '));
            prop_assert!(i.argument.is_none_or(|a| !a.contains(&b'\n') && !a.is_empty()));
        }
    }
}
