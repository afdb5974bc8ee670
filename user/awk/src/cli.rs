//! awk's command line: `awk [-F fs] [-v var=value]... [-f progfile]... ['program']
//! [argument...]`, and running it.
use std::ffi::OsString;
use std::io::{Read, Write};

use ulib::args::{ArgError, Spec, parse_spec};

use crate::interp::{Interp, assignment};
use crate::lexer::unescape;
use crate::parser;

pub const PROGRAM: &str = "awk";

pub const USAGE: &str = "Usage: awk [-F fs] [-v var=value]... 'program' [file...]
   or: awk [-F fs] [-v var=value]... -f progfile... [file...]
Run an awk program on the files (standard input without any).
  -F fs          use fs as the input field separator (FS)
  -v var=value   assign value to var before the program starts
  -f progfile    read the program from progfile (several may be given)
  --version      show the version";

const SPEC: Spec = Spec { valued: "Fvf", long: &["version"], stop_at_operand: true, ..Spec::NONE };

/// The exit status of a usage error, a syntax error or a fatal error.
pub const STATUS_TROUBLE: i32 = 2;

/// Runs awk with `args` (without argv[0]); the exit status. Messages go to stderr.
pub fn main(args: Vec<OsString>) -> i32 {
    let line = match parse_spec(args, &SPEC) {
        Ok(line) => line,
        Err(ArgError::Help) => {
            let _ = writeln!(std::io::stdout(), "{USAGE}");
            return 0;
        }
        Err(err) => {
            ulib::diag::report(PROGRAM, err);
            eprintln!("{USAGE}");
            return STATUS_TROUBLE;
        }
    };
    if line.long("version").is_some() {
        let _ = writeln!(std::io::stdout(), "awk (Kestrel) 0.1.0");
        return 0;
    }
    let mut operands: Vec<String> = line.operands.iter().map(|arg| arg.to_string_lossy().into_owned()).collect();
    let mut text = String::new();
    let files: Vec<_> = line.values('f').collect();
    if files.is_empty() {
        if operands.is_empty() {
            ulib::diag::report(PROGRAM, "no program given");
            eprintln!("{USAGE}");
            return STATUS_TROUBLE;
        }
        text = operands.remove(0);
    }
    for file in files {
        let name = file.to_string_lossy();
        let read = if name == "-" {
            std::io::stdin().read_to_string(&mut text).map(|_| ())
        } else {
            std::fs::read(file).map(|bytes| text.push_str(&String::from_utf8_lossy(&bytes)))
        };
        if let Err(err) = read {
            ulib::diag::report(PROGRAM, format_args!("couldn't open file {name} ({})", ulib::diag::error_text(&err)));
            return STATUS_TROUBLE;
        }
        text.push('\n');
    }
    let program = match parser::parse(&text) {
        Ok(program) => program,
        Err(err) => {
            ulib::diag::report(PROGRAM, format_args!("line {}: {}", err.line, err.message));
            return STATUS_TROUBLE;
        }
    };
    let mut argv = vec![PROGRAM.to_owned()];
    argv.extend(operands);
    let mut interp = Interp::new(
        &program,
        &argv,
        std::env::vars_os()
            .map(|(name, value)| (name.to_string_lossy().into_owned(), value.to_string_lossy().into_owned())),
    );
    if let Some(fs) = line.value('F') {
        let fs = fs.to_string_lossy();
        let fs = if fs == "t" { "\t".to_owned() } else { unescape(&fs) };
        if let Err(message) = interp.assign_text("FS", &fs) {
            ulib::diag::report(PROGRAM, message);
            return STATUS_TROUBLE;
        }
    }
    for assign in line.values('v') {
        let assign = assign.to_string_lossy();
        let Some((name, value)) = assignment(&assign) else {
            ulib::diag::report(PROGRAM, format_args!("improper assignment: -v {assign}"));
            return STATUS_TROUBLE;
        };
        if let Err(message) = interp.assign_text(name, value) {
            ulib::diag::report(PROGRAM, message);
            return STATUS_TROUBLE;
        }
    }
    match interp.run() {
        Ok(status) => status,
        Err(message) => {
            ulib::diag::report(PROGRAM, message);
            STATUS_TROUBLE
        }
    }
}
