//! `sed [OPTION]... {SCRIPT | -e SCRIPT | -f FILE}... [FILE]...`: the stream editor,
//! as POSIX describes it with GNU's extensions and messages. The script is
//! compiled (`parse`) into commands with addresses (`address`), then run on each
//! line of the input (`exec`). Exit status: 0; 1 for a bad command line or script;
//! 2 when an input file could not be read; 4 for an I/O error; or `q`'s and `Q`'s.
mod address;
mod command;
mod exec;
mod input;
mod listing;
mod output;
mod parse;
mod regex;
mod replace;
mod script;
mod text;

use std::ffi::OsString;
use std::fs;
use std::os::unix::ffi::OsStrExt;

use ulib::args::Spec;
use ulib::diag::report;

use crate::cli;
use script::{Origin, Source};

const PROGRAM: &str = "sed";

pub const USAGE: &str = "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -l N, --line-length=N
                 specify the desired line-wrap length for the `l' command
  --posix
                 disable all GNU extensions (accepted; changes nothing here).
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
                 (for portability use POSIX -E).
  -s, --separate
                 consider files as separate rather than as a single,
                 continuous long stream.
  -u, --unbuffered
                 flush the output after each line
  -z, --null-data
                 separate lines by NUL characters
      --help     display this help and exit
      --version  output version information and exit

If no -e, --expression, -f, or --file option is given, then the first
non-option argument is taken as the sed script to interpret.  All
remaining arguments are names of input files; if no input files are
specified, then the standard input is read.";

const VERSION: &str = "sed (Kestrel kbox) 4.9\nA POSIX stream editor with GNU extensions.";

const SPEC: Spec = Spec {
    flags: "nErsuz",
    valued: "efl",
    optional: "i",
    long: &[
        "quiet",
        "silent",
        "in-place",
        "posix",
        "regexp-extended",
        "separate",
        "unbuffered",
        "null-data",
        "zero-terminated",
        "version",
    ],
    long_valued: &["expression", "file", "line-length"],
    ..Spec::NONE
};

/// What the command line asks for.
struct Request {
    pieces: Vec<(String, Origin)>,
    operands: Vec<OsString>,
    settings: exec::Settings,
    extended: bool,
    separate: bool,
    backup: Option<String>,
    version: bool,
}

/// Reads a `-f` file (`-` for standard input) as script text, without a final
/// newline.
fn script_file(name: &std::ffi::OsStr) -> Result<String, (String, u8)> {
    let contents = if name == "-" {
        let mut contents = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut contents).map(|_| contents)
    } else {
        fs::read(name)
    };
    let shown = std::path::Path::new(name).display().to_string();
    let mut contents =
        contents.map_err(|err| (format!("couldn't open file {shown}: {}", ulib::diag::error_text(&err)), 4))?;
    if contents.last() == Some(&b'\n') {
        contents.pop();
    }
    Ok(text::decode(&contents))
}

fn request(args: Vec<OsString>) -> Result<Request, u8> {
    let command_line = cli::parse(PROGRAM, args, &SPEC)?;
    let mut request = Request {
        pieces: Vec::new(),
        operands: command_line.operands.clone(),
        settings: exec::Settings {
            quiet: false,
            in_place: false,
            delimiter: b'\n',
            line_length: 70,
            unbuffered: false,
        },
        extended: false,
        separate: false,
        backup: None,
        version: false,
    };
    let mut expressions = 0;
    for (option, value) in command_line.in_order() {
        let short = match option {
            Ok(short) => short,
            Err("quiet" | "silent") => 'n',
            Err("expression") => 'e',
            Err("file") => 'f',
            Err("line-length") => 'l',
            Err("in-place") => 'i',
            Err("regexp-extended") => 'E',
            Err("separate") => 's',
            Err("null-data" | "zero-terminated") => 'z',
            Err("version") => 'V',
            Err("unbuffered") => 'u',
            // --posix changes nothing here.
            Err(_) => continue,
        };
        match short {
            'n' => request.settings.quiet = true,
            'e' => {
                expressions += 1;
                let text = text::decode(value.unwrap_or_default().as_bytes());
                request.pieces.push((text, Origin::Expression(expressions)));
            }
            'f' => {
                let name = value.unwrap_or_default();
                let text = script_file(name).map_err(|(message, status)| {
                    report(PROGRAM, message);
                    status
                })?;
                request.pieces.push((text, Origin::File(std::path::Path::new(name).display().to_string())));
            }
            'l' => {
                let text = value.unwrap_or_default().to_string_lossy();
                request.settings.line_length =
                    text.parse().map_err(|_| cli::usage_error(PROGRAM, format_args!("invalid line length: {text}")))?;
            }
            'i' => {
                request.settings.in_place = true;
                request.separate = true;
                request.backup = value.map(|suffix| suffix.to_string_lossy().into_owned());
            }
            'E' | 'r' => request.extended = true,
            's' => request.separate = true,
            'z' => request.settings.delimiter = 0,
            'V' => request.version = true,
            'u' => request.settings.unbuffered = true,
            _ => {}
        }
    }
    if request.pieces.is_empty() && !request.version {
        if request.operands.is_empty() {
            eprintln!("{USAGE}");
            return Err(1);
        }
        let script = request.operands.remove(0);
        request.pieces.push((text::decode(script.as_bytes()), Origin::Expression(1)));
    }
    Ok(request)
}

pub fn run(args: Vec<OsString>) -> u8 {
    let request = match request(args) {
        Ok(request) => request,
        Err(status) => return status,
    };
    if request.version {
        return cli::print_line(PROGRAM, VERSION);
    }
    let mut source = Source::new(request.pieces);
    let program = match parse::compile(&mut source, request.extended) {
        Ok(program) => program,
        Err(err) => {
            report(PROGRAM, &err);
            return err.status;
        }
    };
    if request.settings.in_place && request.operands.is_empty() {
        report(PROGRAM, "no input files");
        return 4;
    }
    let mut settings = request.settings;
    settings.quiet |= program.quiet;
    let mut outputs = match output::Outputs::new(&program.writes, settings.delimiter) {
        Ok(outputs) => outputs,
        Err(err) => {
            report(PROGRAM, err.message);
            return 4;
        }
    };
    outputs.backup = request.backup;
    let input = input::Input::new(request.operands, request.separate, settings.in_place, settings.delimiter);
    let machine = exec::Machine::new(program.commands, program.reads, settings, input, outputs);
    match machine.run() {
        Ok(status) => status,
        Err(failure) => {
            report(PROGRAM, failure.message);
            failure.status
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_script_compiles_or_is_refused(script in "[-0-9$!,~+/\\\\{};:#\n aAbcdDgGhHilnNpPqQrRstTwWxyz=&.*^()|IMgp]{0,24}") {
            let mut source = Source::new(vec![(script, Origin::Expression(1))]);
            let _ = parse::compile(&mut source, false);
        }
    }

    fn compile_error(script: &str) -> String {
        let mut source = Source::new(vec![(script.into(), Origin::Expression(1))]);
        parse::compile(&mut source, false).unwrap_err().to_string()
    }

    #[test]
    fn script_errors_in_gnu_words() {
        let cases = [
            ("s/a/b", "-e expression #1, char 5: unterminated `s' command"),
            ("s/a/b/q", "-e expression #1, char 7: unknown option to `s'"),
            ("p;k", "-e expression #1, char 3: unknown command: `k'"),
            ("{p", "-e expression #1, char 0: unmatched `{'"),
            ("p}", "-e expression #1, char 2: unexpected `}'"),
            ("3,p", "-e expression #1, char 3: unexpected `,'"),
            ("y/ab/c/", "-e expression #1, char 7: strings for `y' command are different lengths"),
            ("y/a", "-e expression #1, char 3: unterminated `y' command"),
            ("a", "-e expression #1, char 1: expected \\ after `a', `c' or `i'"),
            ("0p", "-e expression #1, char 2: invalid usage of line address 0"),
            ("0,5p", "-e expression #1, char 4: invalid usage of line address 0"),
            (":", "-e expression #1, char 1: \":\" lacks a label"),
            ("s/\\(a\\)/\\2/", "-e expression #1, char 11: invalid reference \\2 on `s' command's RHS"),
            ("r", "-e expression #1, char 1: missing filename in r/R/w/W commands"),
            ("p x", "-e expression #1, char 3: extra characters after command"),
            ("/abc", "-e expression #1, char 4: unterminated address regex"),
            ("s/a/b/gg", "-e expression #1, char 8: multiple `g' options to `s' command"),
            ("s/a/b/pp", "-e expression #1, char 8: multiple `p' options to `s' command"),
            ("s/a/b/0", "-e expression #1, char 7: number option to `s' command may not be zero"),
            ("1,2q", "-e expression #1, char 4: command only uses one address"),
            ("1:a", "-e expression #1, char 2: : doesn't want any addresses"),
            ("1#x", "-e expression #1, char 2: comments don't accept any addresses"),
            ("1!!p", "-e expression #1, char 3: multiple `!'s"),
            ("1", "-e expression #1, char 1: missing command"),
            ("b foo", "can't find label for jump to `foo'"),
        ];
        for (script, message) in cases {
            assert_eq!(compile_error(script), message, "{script}");
        }
        assert!(compile_error(r"s/\(x\)\1/y/").contains("back-references"));
    }

    #[test]
    fn scripts_that_compile() {
        for script in
            ["p;p", "/x/I,+2{s/a/b/gI;=}", "$!N;P;D", ":a;N;$!ba;s/\\n/ /g", "1~2d", "0,/x/d", "#n\np", "y/abc/xyz/"]
        {
            let mut source = Source::new(vec![(script.into(), Origin::Expression(1))]);
            assert!(parse::compile(&mut source, false).is_ok(), "{script}");
        }
    }
}
