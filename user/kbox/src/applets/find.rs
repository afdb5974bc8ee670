//! `find [PATH]... [EXPRESSION]`: walks each PATH (default `.`) and prints the paths
//! that the expression selects: tests `-name GLOB`, `-iname GLOB`, `-type [fdlbcps]`,
//! `-path GLOB`, negated with `!` or `-not`, all joined by an implied AND; `-print`;
//! and the options `-maxdepth N`, `-mindepth N`.
use std::ffi::OsString;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use ulib::diag::{quoted, report, report_error};

use crate::cli;
use crate::fileinfo;
use crate::walk::{self, Visit};

const PROGRAM: &str = "find";

pub const USAGE: &str = "Usage: find [PATH]... [EXPRESSION]
Print the files under each PATH (default: the current directory) that EXPRESSION
selects (default: all). EXPRESSION is made of these, all of which must hold:
  -name GLOB     the base name matches the shell pattern GLOB
  -iname GLOB    like -name, ignoring case
  -path GLOB     the whole path matches GLOB
  -type C        the file is of type C: f, d, l, b, c, p or s
  ! TEST, -not TEST   TEST does not hold
  -print         print the path (the default action)
  -maxdepth N    descend at most N levels below the PATHs
  -mindepth N    ignore the paths less than N levels below the PATHs";

/// One test of the expression.
#[derive(Debug, PartialEq, Eq)]
enum Test {
    Name(Vec<u8>),
    IName(Vec<u8>),
    Path(Vec<u8>),
    Type(char),
    Not(Box<Test>),
}

impl Test {
    fn holds(&self, visit: &Visit) -> bool {
        match self {
            Test::Name(glob) => ulib::glob::matches(glob, &base_name(visit.path), false),
            Test::IName(glob) => ulib::glob::matches(glob, &base_name(visit.path), true),
            Test::Path(glob) => ulib::glob::matches(glob, visit.path.as_os_str().as_bytes(), false),
            Test::Type(kind) => visit.metadata.is_ok_and(|metadata| match fileinfo::type_letter(metadata.mode()) {
                '-' => *kind == 'f',
                letter => letter == *kind,
            }),
            Test::Not(test) => !test.holds(visit),
        }
    }
}

/// The name `-name` matches: the last component, `/` itself for the root.
fn base_name(path: &Path) -> Vec<u8> {
    crate::applets::basename::basename(path.as_os_str().as_bytes(), b"")
}

/// The parsed command line.
#[derive(Debug, PartialEq, Eq)]
struct Query {
    paths: Vec<OsString>,
    tests: Vec<Test>,
    min_depth: usize,
    max_depth: usize,
}

/// Reads the command line; `Err` is the complaint.
fn parse(args: Vec<OsString>) -> Result<Query, String> {
    let mut args = args.into_iter().peekable();
    let mut paths = Vec::new();
    while let Some(arg) = args.next_if(|arg| !arg.as_bytes().starts_with(b"-") && arg != "!" || arg == "-") {
        paths.push(arg);
    }
    if paths.is_empty() {
        paths.push(".".into());
    }
    let mut query = Query { paths, tests: Vec::new(), min_depth: 0, max_depth: usize::MAX };
    let mut negate = false;
    while let Some(arg) = args.next() {
        let word = arg.to_string_lossy().into_owned();
        let mut value = || args.next().ok_or_else(|| format!("missing argument to '{word}'"));
        let test = match word.as_str() {
            "!" | "-not" => {
                negate = !negate;
                continue;
            }
            "-print" | "-a" | "-and" => continue,
            "-name" => Test::Name(value()?.as_bytes().to_vec()),
            "-iname" => Test::IName(value()?.as_bytes().to_vec()),
            "-path" | "-wholename" => Test::Path(value()?.as_bytes().to_vec()),
            "-type" => match value()?.as_bytes() {
                [kind] if b"fdlbcps".contains(kind) => Test::Type(char::from(*kind)),
                other => return Err(format!("Unknown argument to -type: {}", String::from_utf8_lossy(other))),
            },
            "-maxdepth" | "-mindepth" => {
                let text = value()?;
                let depth = text.to_str().and_then(|text| text.parse().ok()).ok_or_else(|| {
                    format!(
                        "Expected a positive decimal integer argument to {word}, but got {}",
                        quoted(text.display())
                    )
                })?;
                if word == "-maxdepth" {
                    query.max_depth = depth;
                } else {
                    query.min_depth = depth;
                }
                continue;
            }
            _ if word.starts_with('-') => return Err(format!("unknown predicate {}", quoted(&word))),
            _ => return Err(format!("paths must precede expression: {}", quoted(&word))),
        };
        query.tests.push(if std::mem::take(&mut negate) { Test::Not(Box::new(test)) } else { test });
    }
    if negate {
        return Err("expected an expression after '!'".into());
    }
    Ok(query)
}

pub fn run(args: Vec<OsString>) -> u8 {
    let query = match parse(args) {
        Ok(query) => query,
        Err(problem) => {
            report(PROGRAM, problem);
            return 1;
        }
    };
    let mut out = cli::stdout();
    let mut status = 0;
    let mut result: io::Result<()> = Ok(());
    for path in &query.paths {
        walk::walk(Path::new(path), false, query.max_depth, &mut |visit| {
            if let Err(err) = visit.metadata {
                report_error(PROGRAM, quoted(visit.path.display()), err);
                status = 1;
                return false;
            }
            if visit.depth >= query.min_depth && query.tests.iter().all(|test| test.holds(visit)) && result.is_ok() {
                let mut line = visit.path.as_os_str().as_bytes().to_vec();
                line.push(b'\n');
                result = out.write_all(&line);
            }
            if let Some(err) = visit.unreadable {
                report_error(PROGRAM, quoted(visit.path.display()), err);
                status = 1;
            }
            result.is_ok()
        });
    }
    cli::finish(PROGRAM, out, result.map(|()| status))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::words;
    use std::fs;

    #[test]
    fn command_lines() {
        let query = parse(words("a b -name *.rs ! -type d -maxdepth 2")).unwrap();
        assert_eq!(query.paths, words("a b"));
        assert_eq!(query.tests, [Test::Name(b"*.rs".to_vec()), Test::Not(Box::new(Test::Type('d')))]);
        assert_eq!(query.max_depth, 2);
        assert_eq!(parse(Vec::new()).unwrap().paths, words("."));
        assert_eq!(parse(words("-type x")).unwrap_err(), "Unknown argument to -type: x");
        assert_eq!(parse(words("-name")).unwrap_err(), "missing argument to '-name'");
        assert_eq!(parse(words("-bogus")).unwrap_err(), "unknown predicate '-bogus'");
        assert_eq!(parse(words(". -type f x")).unwrap_err(), "paths must precede expression: 'x'");
    }

    #[test]
    fn tests_hold() {
        let base = std::env::temp_dir().join(format!("kbox-find-{}", std::process::id()));
        fs::create_dir_all(base.join("Sub")).unwrap();
        fs::write(base.join("Sub/main.RS"), b"").unwrap();
        let mut found = Vec::new();
        let query =
            parse(vec![base.clone().into(), "-iname".into(), "*.rs".into(), "-type".into(), "f".into()]).unwrap();
        walk::walk(&base, false, usize::MAX, &mut |visit| {
            if query.tests.iter().all(|test| test.holds(visit)) {
                found.push(visit.path.to_path_buf());
            }
            true
        });
        fs::remove_dir_all(&base).unwrap();
        assert_eq!(found, [base.join("Sub/main.RS")]);
        assert_eq!(base_name(Path::new("/")), b"/");
        assert_eq!(base_name(Path::new("a/b/")), b"b");
    }
}
