//! `echo` as dash has it (only `-n`, as the first operand; backslash escapes always
//! decoded: `\a \b \c \e \f \n \r \t \v \\`, octal `\0NNN` and `\NNN`, no `\x`) and
//! `printf` (through `ulib::printf`).
use ulib::escape::{self, Escape, Octal};
use ulib::printf::render;

use crate::shell::Shell;

/// What dash's `echo` writes for `args`.
fn echo_output(args: &[String]) -> Vec<u8> {
    let (newline, words) = match args.first() {
        Some(flag) if flag == "-n" => (false, &args[1..]),
        _ => (true, args),
    };
    let mut output = Vec::new();
    for (index, word) in words.iter().enumerate() {
        if index > 0 {
            output.push(b' ');
        }
        let bytes = word.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] != b'\\' || bytes.get(i + 1) == Some(&b'x') {
                output.push(bytes[i]);
                i += 1;
                continue;
            }
            let (escape, length) = escape::decode(&bytes[i + 1..], Octal::ZeroPrefixed);
            match escape {
                Escape::Bytes(decoded) => output.extend_from_slice(&decoded),
                Escape::Stop => return output,
            }
            i += 1 + length;
        }
    }
    if newline {
        output.push(b'\n');
    }
    output
}

impl Shell {
    pub(super) fn echo(&mut self, args: &[String]) -> i32 {
        self.print_bytes("echo", &echo_output(args))
    }

    pub(super) fn printf(&mut self, args: &[String]) -> i32 {
        let args = args.strip_prefix(&["--".to_string()]).unwrap_or(args);
        let Some((format, args)) = args.split_first() else {
            return self.fail("printf: usage: printf format [arg ...]", 2);
        };
        let args: Vec<Vec<u8>> = args.iter().map(|arg| arg.as_bytes().to_vec()).collect();
        let (output, complaints, stopped_by) = render(format.as_bytes(), &args);
        let mut status = self.print_bytes("printf", &output);
        for complaint in complaints.iter().filter(|complaint| !complaint.starts_with("warning")) {
            status = self.fail(format_args!("printf: {complaint}"), 1);
        }
        if let Some(problem) = stopped_by {
            status = self.fail(format_args!("printf: {problem}"), 1);
        }
        status
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echo(words: &[&str]) -> String {
        let words: Vec<String> = words.iter().map(|word| word.to_string()).collect();
        String::from_utf8(echo_output(&words)).unwrap()
    }

    #[test]
    fn echo_like_dash() {
        assert_eq!(echo(&["a", "b"]), "a b\n");
        assert_eq!(echo(&[]), "\n");
        assert_eq!(echo(&["-n", "a"]), "a");
        assert_eq!(echo(&["-n", "-n", "a"]), "-n a");
        assert_eq!(echo(&["-e", "a"]), "-e a\n");
        assert_eq!(echo(&[r"a\tb\\c"]), "a\tb\\c\n");
        assert_eq!(echo(&[r"\0101\101\x41"]), "AA\\x41\n");
        assert_eq!(echo(&[r"a\cb", "c"]), "a");
        assert_eq!(echo(&[r"\q"]), "\\q\n");
    }
}
