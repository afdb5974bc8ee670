//! `tee [-a] [FILE]...`: copies standard input to standard output and to each FILE
//! (appending with `-a`), going on with the others when one fails.
use std::ffi::OsString;
use std::fs::OpenOptions;
use std::io::{self, Read, Write};

use ulib::args::Spec;
use ulib::diag::report_error;
use ulib::jobctl::{self, Disposition};

use crate::cli;
use crate::input;

const PROGRAM: &str = "tee";

pub const USAGE: &str = "Usage: tee [OPTION]... [FILE]...
Copy standard input to each FILE, and also to standard output.
  -a   append to the given FILEs, do not overwrite
  -i   ignore interrupt signals";

const SPEC: Spec = Spec { flags: "ai", ..Spec::NONE };

/// One place the input goes; `None` once writing to it has failed.
struct Output {
    name: String,
    writer: Option<Box<dyn Write>>,
}

/// Copies `reader` to every output, as it arrives. Returns whether everything was
/// read and written.
fn copy_to_all(reader: &mut impl Read, outputs: &mut [Output]) -> bool {
    let mut buffer = vec![0; 64 * 1024];
    let mut ok = true;
    loop {
        let length = match reader.read(&mut buffer) {
            Ok(0) => return ok,
            Ok(length) => length,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => {
                report_error(PROGRAM, "-", &err);
                return false;
            }
        };
        for output in outputs.iter_mut() {
            let Some(writer) = output.writer.as_mut() else { continue };
            if let Err(err) = writer.write_all(&buffer[..length]).and_then(|()| writer.flush()) {
                report_error(PROGRAM, &output.name, &err);
                output.writer = None;
                ok = false;
            }
        }
        if outputs.iter().all(|output| output.writer.is_none()) {
            return false;
        }
    }
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    if command_line.has('i')
        && let Err(err) = jobctl::set_disposition(libc::SIGINT, Disposition::Ignore)
    {
        report_error(PROGRAM, "cannot ignore interrupts", &err);
        return 1;
    }
    let append = command_line.has('a');
    let mut ok = true;
    let mut outputs = vec![Output { name: "standard output".into(), writer: Some(Box::new(io::stdout())) }];
    for operand in &command_line.operands {
        let opened = OpenOptions::new().write(true).create(true).append(append).truncate(!append).open(operand);
        match opened {
            Ok(file) => outputs.push(Output { name: input::shown(operand), writer: Some(Box::new(file)) }),
            Err(err) => {
                report_error(PROGRAM, input::shown(operand), &err);
                ok = false;
            }
        }
    }
    ok &= copy_to_all(&mut io::stdin().lock(), &mut outputs);
    u8::from(!ok)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    #[derive(Clone, Default)]
    struct Shared(Rc<RefCell<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().write(bytes)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn every_output_gets_everything_even_after_one_fails() {
        let (first, second) = (Shared::default(), Shared::default());
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::from_raw_os_error(libc::ENOSPC))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut outputs = vec![
            Output { name: "a".into(), writer: Some(Box::new(first.clone())) },
            Output { name: "full".into(), writer: Some(Box::new(Full)) },
            Output { name: "b".into(), writer: Some(Box::new(second.clone())) },
        ];
        let data = vec![7u8; 100_000];
        assert!(!copy_to_all(&mut data.as_slice(), &mut outputs));
        assert_eq!(*first.0.borrow(), data);
        assert_eq!(*second.0.borrow(), data);
        assert!(outputs[1].writer.is_none());
    }
}
