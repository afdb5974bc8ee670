//! `#!` interpreter lines, as Linux's binfmt_script reads them: the first line of
//! a file that starts with `#!`, within the first 256 bytes, names an interpreter
//! (up to the first blank) and at most one argument (the rest of the line, blanks
//! at both ends removed). execve then runs the interpreter with the script's path.
#![cfg_attr(not(test), no_std)]

/// Bytes of the file Linux looks at (BINPRM_BUF_SIZE).
pub const LINE_LIMIT: usize = 256;
/// How many interpreters may lead to one another before ELOOP (Linux's bprm
/// depth limit: the program and four interpreters).
pub const MAX_DEPTH: usize = 4;

/// An interpreter line: the interpreter's path and its optional argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interpreter<'a> {
    pub path: &'a [u8],
    pub argument: Option<&'a [u8]>,
}

/// Why a `#!` line cannot be used (execve's ENOEXEC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadLine {
    /// Nothing but blanks after `#!`.
    NoInterpreter,
    /// The interpreter's name runs past the 256 bytes looked at.
    TooLong,
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// The interpreter of `file`, if it starts with `#!` (None: not a script).
pub fn parse(file: &[u8]) -> Option<Result<Interpreter<'_>, BadLine>> {
    if !file.starts_with(b"#!") {
        return None;
    }
    let window = &file[..file.len().min(LINE_LIMIT)];
    let window_rest = &window[2..];
    let (line, complete) = match window_rest.iter().position(|&b| b == b'\n') {
        Some(end) => (&window_rest[..end], true),
        None => (window_rest, window.len() == file.len()),
    };
    let start = line.iter().position(|&b| !is_blank(b)).unwrap_or(line.len());
    let line = &line[start..];
    let end = line.iter().rposition(|&b| !is_blank(b)).map_or(0, |i| i + 1);
    let line = &line[..end];
    if line.is_empty() {
        return Some(Err(BadLine::NoInterpreter));
    }
    let path_end = line.iter().position(|&b| is_blank(b)).unwrap_or(line.len());
    if !complete && path_end == line.len() {
        // The name may go on past what was read (Linux 5.0's rule).
        return Some(Err(BadLine::TooLong));
    }
    let (path, after) = line.split_at(path_end);
    let argument = after.iter().position(|&b| !is_blank(b)).map(|i| &after[i..]);
    Some(Ok(Interpreter { path, argument }))
}

#[cfg(test)]
mod tests;
