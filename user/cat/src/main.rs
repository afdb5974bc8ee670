//! `cat [file...]`: copies the files, or standard input for `-` or no operand, to
//! standard output, reporting each file that cannot be read and going on.
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use ulib::diag::{report, report_error};

const PROGRAM: &str = "cat";

/// Where one piece of the output comes from.
#[derive(Debug, PartialEq, Eq)]
enum Input {
    Stdin,
    File(OsString),
}

/// The inputs named by the operands, in order.
fn inputs(operands: Vec<OsString>) -> Vec<Input> {
    if operands.is_empty() {
        return vec![Input::Stdin];
    }
    operands.into_iter().map(|operand| if operand == "-" { Input::Stdin } else { Input::File(operand) }).collect()
}

/// Which side of a copy failed.
#[derive(Debug)]
enum CopyError {
    Read(io::Error),
    Write(io::Error),
}

/// Copies `reader` to `writer` through one buffer (plain read and write calls).
fn copy_all(reader: &mut impl Read, writer: &mut impl Write) -> Result<(), CopyError> {
    let mut buffer = vec![0; 64 * 1024];
    loop {
        let length = match reader.read(&mut buffer) {
            Ok(0) => return Ok(()),
            Ok(length) => length,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(CopyError::Read(err)),
        };
        writer.write_all(&buffer[..length]).map_err(CopyError::Write)?;
    }
}

fn main() -> ExitCode {
    let command_line = match ulib::args::parse(std::env::args_os().skip(1), "") {
        Ok(command_line) => command_line,
        Err(invalid) => {
            report(PROGRAM, invalid);
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = io::stdout().lock();
    let mut status = ExitCode::SUCCESS;
    for input in inputs(command_line.operands) {
        let (name, copied) = match input {
            Input::Stdin => ("-".into(), copy_all(&mut io::stdin().lock(), &mut stdout)),
            Input::File(path) => {
                let name = Path::new(&path).display().to_string();
                match File::open(&path) {
                    Ok(mut file) => (name, copy_all(&mut file, &mut stdout)),
                    Err(err) => (name, Err(CopyError::Read(err))),
                }
            }
        };
        match copied {
            Ok(()) => {}
            Err(CopyError::Read(err)) => {
                report_error(PROGRAM, name, &err);
                status = ExitCode::FAILURE;
            }
            Err(CopyError::Write(err)) => {
                report_error(PROGRAM, "write error", &err);
                return ExitCode::FAILURE;
            }
        }
    }
    if let Err(err) = stdout.flush() {
        report_error(PROGRAM, "write error", &err);
        return ExitCode::FAILURE;
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operands(line: &str) -> Vec<OsString> {
        line.split_whitespace().map(OsString::from).collect()
    }

    #[test]
    fn no_operands_reads_stdin() {
        assert_eq!(inputs(Vec::new()), vec![Input::Stdin]);
    }

    #[test]
    fn dash_is_stdin_between_files() {
        assert_eq!(inputs(operands("a - b")), vec![Input::File("a".into()), Input::Stdin, Input::File("b".into())]);
    }

    #[test]
    fn copies_everything() {
        let data: Vec<u8> = (0..200_000u32).map(|n| n as u8).collect();
        let mut output = Vec::new();
        copy_all(&mut data.as_slice(), &mut output).unwrap();
        assert_eq!(output, data);
    }

    #[test]
    fn read_failure_is_a_read_error() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::from_raw_os_error(21))
            }
        }
        let mut output = Vec::new();
        assert!(matches!(copy_all(&mut Broken, &mut output), Err(CopyError::Read(_))));
    }

    #[test]
    fn write_failure_is_a_write_error() {
        let mut full = [0u8; 4];
        let mut writer = &mut full[..];
        assert!(matches!(copy_all(&mut &b"too long for four bytes"[..], &mut writer), Err(CopyError::Write(_))));
    }
}
