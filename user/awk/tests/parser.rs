//! The parser on untrusted text: any input gives a program or a syntax error, never
//! a panic or a hang; and the grammar's harder corners parse as awk reads them.
use awk::ast::{Expr, Pattern, Stmt};
use awk::parser::parse;
use proptest::prelude::*;

/// Pieces of awk to build plausible programs from.
const PIECES: &[&str] = &[
    "BEGIN", "END", "function", "f(", "g", "(", ")", "{", "}", "[", "]", ";", "\n", ",", "$", "+", "-", "*", "/", "%",
    "^", "!", "<", ">", ">>", "|", "?", ":", "~", "!~", "++", "--", "=", "+=", "==", "&&", "||", "in", "if", "else",
    "while", "for", "do", "getline", "print", "printf", "next", "exit", "return", "delete", "length", "substr",
    "split", "x", "a", "1", "2.5", "\"s\"", "/re/", "#c\n", "\\\n", " ",
];

/// Whether `text` parses, on a thread with the stack the `awk` program gives its
/// parser (a debug build's frames outgrow a test thread's stack).
fn parses(text: String) -> bool {
    std::thread::Builder::new()
        .stack_size(awk::interp::STACK_SIZE)
        .spawn(move || parse(&text).is_ok())
        .unwrap()
        .join()
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_text_parses_or_fails_cleanly(text in "\\PC{0,80}") {
        parses(text);
    }

    #[test]
    fn any_token_soup_parses_or_fails_cleanly(pieces in prop::collection::vec(prop::sample::select(PIECES), 0..40)) {
        parses(pieces.concat());
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let nested = format!("BEGIN {{ x = {}1{} }}", "(".repeat(90), ")".repeat(90));
    assert!(parses(nested));
    let deep = format!("BEGIN {{ x = {}1{} }}", "(".repeat(100_000), ")".repeat(100_000));
    assert!(!parses(deep));
    let unary = format!("BEGIN {{ x = {}1 }}", "-".repeat(100_000));
    assert!(!parses(unary));
    let blocks = format!("BEGIN {}{}", "{".repeat(100_000), "}".repeat(100_000));
    assert!(!parses(blocks));
}

fn only_statement(text: &str) -> Stmt {
    let mut program = parse(text).unwrap();
    program.begin.remove(0).remove(0)
}

#[test]
fn slash_is_division_after_an_operand_and_a_regex_before_one() {
    let Stmt::Expr(Expr::Assign(_, value)) = only_statement("BEGIN { y = x /2/ 3 }") else { panic!() };
    assert!(matches!(*value, Expr::Binary(..)));
    let Stmt::Expr(Expr::Assign(_, value)) = only_statement("BEGIN { y = /2/ }") else { panic!() };
    assert!(matches!(*value, Expr::Regex(_)));
}

#[test]
fn print_redirections_and_groupings() {
    assert!(matches!(only_statement("BEGIN { print 1, 2 > \"f\" }"), Stmt::Print(args, Some(_)) if args.len() == 2));
    assert!(matches!(only_statement("BEGIN { print (1, 2) > \"f\" }"), Stmt::Print(args, Some(_)) if args.len() == 2));
    assert!(matches!(only_statement("BEGIN { print (1 > 2) }"), Stmt::Print(args, None) if args.len() == 1));
    assert!(matches!(only_statement("BEGIN { print (1)(2) }"), Stmt::Print(args, None) if args.len() == 1));
    assert!(matches!(only_statement("BEGIN { print \"a\" | \"cat\" }"), Stmt::Print(_, Some(_))));
}

#[test]
fn items_and_ranges() {
    let program = parse("/a/, /b/\nNR > 1 { print }\n{ x++ }").unwrap();
    assert!(matches!(program.items[0].pattern, Pattern::Range(..)));
    assert!(program.items[0].action.is_none());
    assert!(matches!(program.items[2].pattern, Pattern::All));
}

#[test]
fn array_parameters_are_found_through_calls() {
    let program = parse("function g(a) { a[1] = 1 } function f(b, s) { g(b); return s } BEGIN { f(x) }").unwrap();
    let f = program.functions.iter().find(|function| function.name == "f").unwrap();
    assert_eq!(f.array_params, [true, false]);
}

#[test]
fn errors_name_the_line_and_token() {
    let err = parse("BEGIN {\n  x = 1 +\n}").unwrap_err();
    assert_eq!((err.line, err.message.as_str()), (2, "syntax error at or near end of line"));
    let err = parse("BEGIN {\n\n  x = 1 + }").unwrap_err();
    assert_eq!((err.line, err.message.as_str()), (3, "syntax error at or near }"));
    let err = parse("BEGIN { getline < }").unwrap_err();
    assert_eq!(err.message, "syntax error at or near }");
    assert!(parse("function f(a, a) { }").is_err());
    assert!(parse("BEGIN { return 1 }").is_err());
    assert!(parse("BEGIN { break }").is_err());
    assert!(parse("BEGIN { while (1) { if (1) break; continue } }").is_ok());
    assert!(parse("BEGIN { (1, 2) }").is_err());
    assert!(parse("BEGIN { 1 = 2 }").is_err());
}
