//! `read [-r] [-p prompt] name...`: one line from standard input, read a byte at a
//! time (so nothing after it is taken), split by IFS into the variables, the last
//! one taking the rest of the line. Without `-r`, a backslash quotes the next
//! character and a backslash-newline continues the line.
use ulib::fd;

use crate::shell::{STATUS_USAGE, Shell};

/// The values for `count` variables from `line` (characters, each with whether a
/// backslash quoted it), split by `ifs`.
pub fn split_line(line: &[(char, bool)], ifs: &str, count: usize) -> Vec<String> {
    let is_ifs = |&(char, quoted): &(char, bool)| !quoted && ifs.contains(char);
    let is_white = |item: &(char, bool)| is_ifs(item) && matches!(item.0, ' ' | '\t' | '\n');
    let mut rest = line;
    while rest.first().is_some_and(is_white) {
        rest = &rest[1..];
    }
    let mut values = Vec::with_capacity(count);
    while values.len() + 1 < count && !rest.is_empty() {
        let end = rest.iter().position(is_ifs).unwrap_or(rest.len());
        values.push(rest[..end].iter().map(|&(char, _)| char).collect());
        rest = &rest[end..];
        while rest.first().is_some_and(is_white) {
            rest = &rest[1..];
        }
        if rest.first().is_some_and(|item| is_ifs(item) && !is_white(item)) {
            rest = &rest[1..];
            while rest.first().is_some_and(is_white) {
                rest = &rest[1..];
            }
        }
    }
    if values.len() < count {
        let mut last = rest;
        while last.last().is_some_and(is_white) {
            last = &last[..last.len() - 1];
        }
        values.push(last.iter().map(|&(char, _)| char).collect());
    }
    values.resize(count, String::new());
    values
}

impl Shell {
    pub(super) fn read(&mut self, args: &[String]) -> i32 {
        let mut raw = false;
        let mut args = args;
        while let Some(option) = args.first().filter(|arg| arg.starts_with('-') && arg.len() > 1) {
            args = &args[1..];
            match option.as_str() {
                "--" => break,
                "-r" => raw = true,
                "-p" => {
                    let Some(prompt) = args.first() else {
                        return self.fail("read: -p: option requires an argument", STATUS_USAGE);
                    };
                    let _ = fd::write_all(2, prompt.as_bytes());
                    args = &args[1..];
                }
                _ => return self.fail(format_args!("read: {option}: invalid option"), STATUS_USAGE),
            }
        }
        if args.is_empty() {
            return self.fail("read: arg count", STATUS_USAGE);
        }
        let mut bytes = Vec::new();
        let mut quoted_at = Vec::new();
        let mut ended = false;
        loop {
            match fd::read_byte(0) {
                Ok(Some(b'\n')) => {
                    ended = true;
                    break;
                }
                Ok(Some(b'\\')) if !raw => match fd::read_byte(0) {
                    Ok(Some(b'\n')) => {}
                    Ok(Some(byte)) => {
                        quoted_at.push(bytes.len());
                        bytes.push(byte);
                    }
                    _ => break,
                },
                Ok(Some(byte)) => bytes.push(byte),
                Ok(None) => break,
                Err(err) => return self.fail(format_args!("read: {}", ulib::diag::error_text(&err)), 1),
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        let mut offset = 0;
        let line: Vec<(char, bool)> = text
            .chars()
            .map(|char| {
                let quoted = quoted_at.contains(&offset);
                offset += char.len_utf8();
                (char, quoted)
            })
            .collect();
        let ifs = self.vars.get("IFS").unwrap_or(" \t\n").to_string();
        for (name, value) in args.iter().zip(split_line(&line, &ifs, args.len())) {
            if let Err(message) = self.assign(name, &value) {
                return self.fail(format_args!("read: {message}"), STATUS_USAGE);
            }
        }
        if ended { 0 } else { 1 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str, ifs: &str, count: usize) -> Vec<String> {
        let line: Vec<(char, bool)> = line.chars().map(|char| (char, false)).collect();
        split_line(&line, ifs, count)
    }

    #[test]
    fn splitting() {
        assert_eq!(split("  a  b   c  ", " \t\n", 2), ["a", "b   c"]);
        assert_eq!(split("  a  ", " \t\n", 1), ["a"]);
        assert_eq!(split("a", " \t\n", 3), ["a", "", ""]);
        assert_eq!(split("a:b::c", ":", 4), ["a", "b", "", "c"]);
        assert_eq!(split("a : b", " :", 2), ["a", "b"]);
        assert_eq!(split("a b", "", 2), ["a b", ""]);
    }

    #[test]
    fn quoted_separators_stay() {
        let line: Vec<(char, bool)> = vec![('a', false), (' ', true), ('b', false), (' ', false), ('c', false)];
        assert_eq!(split_line(&line, " ", 2), ["a b", "c"]);
    }
}
