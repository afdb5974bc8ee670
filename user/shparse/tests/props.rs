//! Property tests of the shell parser: arbitrary text (and text made of the
//! language's special characters and reserved words) parses or fails without a
//! panic, whole or fed a piece at a time, and expands without one; arithmetic on
//! any text evaluates or fails without one; simple commands of safe words,
//! pipelines and and-or lists parse back to the words and structure they were
//! written from; quoting any string in single quotes, double quotes or
//! backslashes gives that string back.

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm};
use shparse::arith::{ArithVars, eval};
use shparse::ast::{Command, Compound, Connector, List, Part, Simple, Word};
use shparse::expand::{Env, expand_fields, expand_pattern, expand_string};
use shparse::glob::Dirs;
use shparse::{ParseError, Parser, parse};

/// `cases` cases (`PROPTEST_CASES` sets another number, for a longer run), drawn
/// with the XorShift generator (ChaCha dominates the run time in debug builds),
/// without regression files in the source tree (a failure prints its input; it
/// becomes a plain `#[test]`).
fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|value| value.parse().ok()).unwrap_or(cases);
    Config { cases, failure_persistence: None, rng_algorithm: RngAlgorithm::XorShift, ..Config::default() }
}

/// A word that is plain text to the shell: no quotes, operators, blanks, `$`, `~`,
/// `#`, `=`, braces or glob characters, and no reserved word.
fn safe_word() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_./,:@%+-]{1,10}".prop_filter("reserved", |word| {
        !["if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "in"]
            .contains(&word.as_str())
    })
}

/// Blanks between words: spaces and tabs, at least one.
fn blanks() -> impl Strategy<Value = String> {
    "[ \t]{1,3}"
}

/// The plain words of a word that is all unquoted text.
fn text_of(word: &Word) -> Option<&str> {
    match &word.0[..] {
        [Part::Text(text)] => Some(text),
        _ => None,
    }
}

fn simple(command: &Command) -> Option<&Simple> {
    match command {
        Command::Simple(simple) => Some(simple),
        _ => None,
    }
}

/// A shell of a few variables and files; command substitutions print their words.
struct Fake {
    vars: BTreeMap<String, String>,
    depth: usize,
}

impl Dirs for Fake {
    fn entries(&self, dir: &str) -> Vec<String> {
        match dir {
            "" | "/home/" => vec!["a.rs".into(), "b.txt".into(), ".hidden".into(), "src".into()],
            "/" => vec!["bin".into(), "home".into()],
            "src/" | "/home/src/" => vec!["main.rs".into()],
            _ => Vec::new(),
        }
    }

    fn exists(&self, path: &str) -> bool {
        matches!(path, "" | "/" | "a.rs" | "b.txt" | "src" | "src/" | "src/main.rs" | "/bin" | "/home" | "/home/")
    }
}

impl Env for Fake {
    fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }

    fn positional(&self) -> Vec<String> {
        vec!["a b".into(), String::new()]
    }

    fn assign(&mut self, name: &str, value: &str) -> Result<(), String> {
        self.vars.insert(name.into(), value.into());
        Ok(())
    }

    fn substitute(&mut self, list: &List) -> String {
        if self.depth > 4 {
            return String::new();
        }
        self.depth += 1;
        let mut output = String::new();
        let _ = expand_list(list, self, &mut |fields| output.push_str(&fields.join(" ")));
        self.depth -= 1;
        output
    }

    fn home(&self, user: &str) -> Option<String> {
        user.is_empty().then(|| "/home".into())
    }

    fn nounset(&self) -> bool {
        false
    }

    fn noglob(&self) -> bool {
        false
    }
}

impl ArithVars for Fake {
    fn get(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }

    fn set(&mut self, name: &str, value: i64) -> Result<(), String> {
        self.vars.insert(name.into(), value.to_string());
        Ok(())
    }
}

fn fake() -> Fake {
    let vars = [("HOME", "/home"), ("IFS_HEAVY", " a  *\tb "), ("STAR", "*"), ("EMPTY", ""), ("N", "12")];
    Fake { vars: vars.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect(), depth: 0 }
}

/// Expands every word in `list` (errors are fine: they are reported, not panics),
/// giving the fields of each simple command to `out`.
fn expand_list(list: &List, env: &mut Fake, out: &mut dyn FnMut(Vec<String>)) -> Result<(), TestCaseError> {
    for item in &list.items {
        let pipelines = std::iter::once(&item.and_or.first).chain(item.and_or.rest.iter().map(|(_, p)| p));
        for command in pipelines.flat_map(|pipeline| &pipeline.commands) {
            match command {
                Command::Simple(simple) => {
                    if let Ok(fields) = expand_fields(&simple.words, env) {
                        out(fields);
                    }
                    for assignment in &simple.assignments {
                        prop_assert!(shparse::is_name(&assignment.name));
                        let _ = expand_string(&assignment.value, env);
                    }
                    for redirect in &simple.redirects {
                        prop_assert!(redirect.fd >= 0);
                        let _ = expand_string(&redirect.target, env);
                    }
                }
                Command::Compound(compound, _) => expand_compound(compound, env, out)?,
                Command::Function { name, body } => {
                    prop_assert!(shparse::is_name(name));
                    expand_compound(&body.body, env, out)?;
                }
            }
        }
    }
    Ok(())
}

fn expand_compound(compound: &Compound, env: &mut Fake, out: &mut dyn FnMut(Vec<String>)) -> Result<(), TestCaseError> {
    match compound {
        Compound::Group(list) | Compound::Subshell(list) => expand_list(list, env, out),
        Compound::If { branches, otherwise } => {
            for (condition, body) in branches {
                expand_list(condition, env, out)?;
                expand_list(body, env, out)?;
            }
            otherwise.iter().try_for_each(|list| expand_list(list, env, out))
        }
        Compound::Loop { condition, body, .. } => {
            expand_list(condition, env, out)?;
            expand_list(body, env, out)
        }
        Compound::For { name, words, body } => {
            prop_assert!(shparse::is_name(name));
            let _ = expand_fields(words.as_deref().unwrap_or_default(), env);
            expand_list(body, env, out)
        }
        Compound::Case { word, arms } => {
            let _ = expand_string(word, env);
            for arm in arms {
                for pattern in &arm.patterns {
                    let _ = expand_pattern(pattern, env);
                }
                expand_list(&arm.body, env, out)?;
            }
            Ok(())
        }
    }
}

/// Parses `source` whole; when it parses, expands every word of it (which must
/// not panic either) and checks that each item's text is part of the source (its lines joined). Also
/// feeds it to a parser a line at a time, which must not panic.
fn parse_and_expand(source: &str) -> Result<Result<List, ParseError>, TestCaseError> {
    let parsed = parse(source);
    match &parsed {
        Ok(list) => {
            let joined = source.replace("\\\n", "");
            for item in &list.items {
                prop_assert!(joined.contains(&item.text.replace("\\\n", "")), "item text {:?}", item.text);
            }
            expand_list(list, &mut fake(), &mut |_| {})?;
        }
        Err(error) => prop_assert!(!error.to_string().is_empty()),
    }
    let mut parser = Parser::new("");
    let none = |_: &str| None;
    for line in source.split_inclusive('\n') {
        parser.feed(line);
        while let Ok(Some(_)) = parser.next_command(&none) {}
    }
    parser.finish();
    while let Ok(Some(_)) = parser.next_command(&none) {}
    Ok(parsed)
}

/// Text made of the shell's special characters and a few letters and digits.
fn shellish() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("'"),
        Just("\""),
        Just("\\"),
        Just("$"),
        Just("${"),
        Just("}"),
        Just("{"),
        Just("|"),
        Just("||"),
        Just("&"),
        Just("&&"),
        Just(";"),
        Just(";;"),
        Just("<"),
        Just(">"),
        Just(">>"),
        Just(">&"),
        Just("<&"),
        Just(">|"),
        Just("2"),
        Just("10"),
        Just("99999999999"),
        Just("-"),
        Just("("),
        Just(")"),
        Just("`"),
        Just("#"),
        Just("~"),
        Just("/"),
        Just("*"),
        Just("?"),
        Just("["),
        Just("]"),
        Just("!"),
        Just("="),
        Just("a"),
        Just("A_1"),
        Just("?"),
        Just("@"),
        Just(" "),
        Just("\t"),
        Just("\n"),
        Just("\\\n"),
        Just("é"),
        Just("€"),
        Just("$?"),
        Just("$$"),
        Just("$1"),
        Just("${#}"),
        Just("${A}"),
        Just("${1x}"),
        Just("x=y"),
        Just("$("),
        Just("$(("),
        Just("))"),
        Just("${x:-"),
        Just("${#"),
        Just("${x%%"),
        Just("<<E\n"),
        Just("<<-'E'\n"),
        Just("E\n"),
        Just("if "),
        Just("then "),
        Just("else "),
        Just("fi"),
        Just("while "),
        Just("do "),
        Just("done"),
        Just("for i in "),
        Just("case x in "),
        Just("esac"),
        Just("f() "),
        Just("{ "),
        Just(" }"),
        Just("!"),
        Just("+"),
        Just("0x"),
    ];
    prop::collection::vec(pieces, 0..30).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(config(1024))]

    /// Arbitrary text never panics.
    #[test]
    fn any_text_never_panics(source in any::<String>()) {
        let _parsed_or_not = parse_and_expand(&source)?;
    }

    /// Text dense in the language's special characters never panics.
    #[test]
    fn special_characters_never_panic(source in shellish()) {
        let _parsed_or_not = parse_and_expand(&source)?;
    }

    /// A simple command of safe words parses to those words, as plain text.
    #[test]
    fn safe_words_round_trip(
        words in prop::collection::vec((safe_word(), blanks()), 1..10),
        leading in "[ \t]{0,2}",
        end in prop::sample::select(vec!["", "\n", ";", " ;", "  \n"]),
    ) {
        let mut source = leading.clone();
        for (index, (word, blank)) in words.iter().enumerate() {
            if index > 0 {
                source.push_str(blank);
            }
            source.push_str(word);
        }
        let text = source.trim_start().to_owned();
        source.push_str(end);
        let list = parse_and_expand(&source)?.map_err(|error| TestCaseError::fail(format!("{source:?}: {error}")))?;
        prop_assert_eq!(list.items.len(), 1);
        let item = &list.items[0];
        prop_assert_eq!(&item.text, &text);
        prop_assert!(!item.background && item.and_or.rest.is_empty());
        prop_assert_eq!(item.and_or.first.commands.len(), 1);
        let command = simple(&item.and_or.first.commands[0]).expect("a simple command");
        prop_assert!(command.assignments.is_empty() && command.redirects.is_empty());
        let parsed: Vec<&str> = command.words.iter().map(|word| text_of(word).unwrap_or("<not plain text>")).collect();
        let written: Vec<&str> = words.iter().map(|(word, _)| word.as_str()).collect();
        prop_assert_eq!(&parsed, &written);
        // Expanding plain words (no patterns here) gives them back too.
        prop_assert_eq!(expand_fields(&command.words, &mut fake()).unwrap(), written);
    }

    /// Lists of pipelines of simple commands, joined by `&&` and `||`, ended by `;`,
    /// `&` or a newline, parse back to the same structure and item texts.
    #[test]
    fn command_lists_round_trip(
        items in prop::collection::vec(
            (
                prop::collection::vec(
                    // A pipeline's commands' words, and whether `&&` (else `||`) follows it.
                    (prop::collection::vec(prop::collection::vec(safe_word(), 1..4), 1..4), any::<bool>()),
                    1..4,
                ),
                prop::sample::select(vec![";", "&", "\n", " & ", " ;\n\n"]),
            ),
            1..5,
        ),
    ) {
        let mut source = String::new();
        let mut texts = Vec::new();
        for (and_or, end) in &items {
            let mut text = String::new();
            for (index, (pipeline, _)) in and_or.iter().enumerate() {
                if index > 0 {
                    // The connector before this pipeline is the previous one's flag.
                    text.push_str(if and_or[index - 1].1 { " && " } else { " || " });
                }
                let commands: Vec<String> = pipeline.iter().map(|words| words.join(" ")).collect();
                text.push_str(&commands.join(" | "));
            }
            source.push_str(&text);
            source.push_str(end);
            texts.push(text);
        }
        let list = parse_and_expand(&source)?.map_err(|error| TestCaseError::fail(format!("{source:?}: {error}")))?;
        prop_assert_eq!(list.items.len(), items.len());
        for ((item, (and_or, end)), text) in list.items.iter().zip(&items).zip(&texts) {
            prop_assert_eq!(&item.text, text);
            prop_assert_eq!(item.background, end.trim() == "&");
            let pipelines: Vec<_> = std::iter::once(&item.and_or.first).chain(item.and_or.rest.iter().map(|(_, p)| p)).collect();
            prop_assert_eq!(pipelines.len(), and_or.len());
            for (index, (connector, _)) in item.and_or.rest.iter().enumerate() {
                prop_assert_eq!(*connector == Connector::And, and_or[index].1);
            }
            for (pipeline, (written, _)) in pipelines.iter().zip(and_or) {
                let parsed: Vec<Vec<&str>> = pipeline
                    .commands
                    .iter()
                    .map(|command| simple(command).map_or(Vec::new(), |command| command.words.iter().map(|word| text_of(word).unwrap_or("<?>")).collect()))
                    .collect();
                prop_assert_eq!(&parsed, written);
            }
        }
    }

    /// Any string, quoted in single quotes, double quotes or with backslashes, is one
    /// word that expands to the string itself.
    #[test]
    fn quoting_round_trips(text in any::<String>(), style in 0u8..3, glob_too in any::<bool>()) {
        let quoted = match style {
            0 => format!("'{}'", text.replace('\'', "'\\''")),
            1 => {
                let mut quoted = String::from("\"");
                for char in text.chars() {
                    if matches!(char, '$' | '`' | '"' | '\\') {
                        quoted.push('\\');
                    }
                    quoted.push(char);
                }
                quoted.push('"');
                quoted
            }
            _ => {
                let mut quoted = String::from("''");
                for char in text.chars() {
                    if char == '\n' {
                        quoted.push_str("'\n'");
                    } else {
                        quoted.push('\\');
                        quoted.push(char);
                    }
                }
                quoted
            }
        };
        let source = format!("echo {quoted}");
        let list = parse(&source).map_err(|error| TestCaseError::fail(format!("{source:?}: {error}")))?;
        prop_assert_eq!(list.items.len(), 1);
        let command = simple(&list.items[0].and_or.first.commands[0]).expect("a simple command");
        prop_assert_eq!(command.words.len(), 2);
        prop_assert_eq!(expand_string(&command.words[1], &mut fake()).unwrap(), text.clone());
        if glob_too {
            // Quoted pattern characters match only themselves: the field stays as is.
            prop_assert_eq!(expand_fields(&command.words[1..], &mut fake()).unwrap(), vec![text]);
        }
    }

    /// Arithmetic on any text, or on text of its own characters, gives a value or
    /// an error.
    #[test]
    fn arithmetic_never_panics(
        any_text in any::<String>(),
        text in "[-+*/%<>=!~&|^?:() 0-9a-fxN]{0,40}",
    ) {
        let _ = eval(&any_text, &mut fake());
        let _ = eval(&text, &mut fake());
    }
}
