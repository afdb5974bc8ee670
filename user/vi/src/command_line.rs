//! The `:` command line: line ranges (`N`, `.`, `$`, `%`, `N,M`, with `+N`/`-N`)
//! and the commands (`w`, `q`, `wq`, `x`, `n`, `e`, `r`, `s`, `d`, `set`, `help`, a bare
//! line number), parsed into what the editor then does.

/// Lines from `start` to `end` (from 0, inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ex {
    /// `w`, `w!`, `wq` (`quit`), `x` (`only_if_modified` too).
    Write {
        file: Option<String>,
        force: bool,
        quit: bool,
        only_if_modified: bool,
    },
    Quit {
        force: bool,
    },
    /// `n`: the next file of the argument list.
    Next {
        force: bool,
    },
    Edit {
        file: Option<String>,
        force: bool,
    },
    /// `r FILE`: read it in below the line.
    Read {
        file: String,
        below: usize,
    },
    Goto(usize),
    Substitute {
        range: Range,
        pattern: String,
        replacement: String,
        global: bool,
    },
    Delete(Range),
    Set(Vec<String>),
    Help,
    Nothing,
}

/// One address: its line (from 0, maybe past the end) and the rest of the text.
fn address(text: &str, current: usize, last: usize) -> Option<(isize, &str)> {
    let (mut line, mut rest) = match text.chars().next()? {
        '.' => (current as isize, &text[1..]),
        '$' => (last as isize, &text[1..]),
        '0'..='9' => {
            let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
            (text[..digits].parse::<isize>().unwrap_or(isize::MAX / 2) - 1, &text[digits..])
        }
        '+' | '-' => (current as isize, text),
        _ => return None,
    };
    while let Some(sign @ ('+' | '-')) = rest.chars().next() {
        let digits = rest[1..].find(|c: char| !c.is_ascii_digit()).map_or(rest.len(), |end| end + 1);
        let amount = if digits == 1 { 1 } else { rest[1..digits].parse::<isize>().unwrap_or(isize::MAX / 2) };
        line += if sign == '+' { amount } else { -amount };
        rest = &rest[digits..];
    }
    Some((line, rest))
}

/// The text between delimiters of `s/pattern/replacement/`, with `\` and the
/// delimiter escaped by `\` (kept for the pattern, a delimiter's `\` dropped).
fn delimited(text: &str, delimiter: char) -> (String, &str) {
    let mut out = String::new();
    let mut chars = text.char_indices();
    while let Some((at, char)) = chars.next() {
        if char == delimiter {
            return (out, &text[at + char.len_utf8()..]);
        }
        if char == '\\' {
            match chars.next() {
                Some((_, next)) if next == delimiter => out.push(next),
                Some((_, next)) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(char);
        }
    }
    (out, "")
}

/// Parses a command line, with the cursor on line `current` of lines up to `last`
/// (both from 0). Errors are vim's messages.
pub fn parse(line: &str, current: usize, last: usize) -> Result<Ex, String> {
    let text = line.trim_start_matches([' ', ':']);
    let invalid = || "E16: Invalid range".to_string();
    let (range, text) = if let Some(rest) = text.strip_prefix('%') {
        (Some((0, last as isize)), rest)
    } else if let Some((start, rest)) = address(text, current, last) {
        match rest.strip_prefix(',').or_else(|| rest.strip_prefix(';')) {
            Some(rest) => {
                let (end, rest) = address(rest, current, last).ok_or_else(invalid)?;
                (Some((start, end)), rest)
            }
            None => (Some((start, start)), rest),
        }
    } else {
        (None, text)
    };
    let text = text.trim_start();
    let name_end = text.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(text.len());
    // `s` takes its delimiter right after it: `s/a/b/`, `s#a#b#`.
    let substitute = text.starts_with('s') && !text[1..].starts_with(|c: char| c.is_ascii_alphabetic());
    let (name, rest) = text.split_at(if substitute { 1 } else { name_end });
    let (force, argument) = match rest.strip_prefix('!') {
        Some(argument) => (true, argument.trim()),
        None => (false, rest.trim()),
    };
    let file = (!argument.is_empty()).then(|| argument.to_string());
    if name.is_empty() {
        return match range {
            Some((_, end)) => Ok(Ex::Goto(end.clamp(0, last as isize) as usize)),
            None => Ok(Ex::Nothing),
        };
    }
    let lines = match range {
        Some((start, end)) if start < 0 || end < 0 || start as usize > last || end as usize > last => {
            return Err(invalid());
        }
        Some((start, end)) if start > end => Range { start: end as usize, end: start as usize },
        Some((start, end)) => Range { start: start as usize, end: end as usize },
        None => Range { start: current, end: current },
    };
    let is = |short: &str, long: &str| name.len() >= short.len() && long.starts_with(name);
    Ok(if is("w", "write") {
        Ex::Write { file, force, quit: false, only_if_modified: false }
    } else if is("wq", "wq") {
        Ex::Write { file, force, quit: true, only_if_modified: false }
    } else if is("x", "xit") || is("exi", "exit") {
        Ex::Write { file, force, quit: true, only_if_modified: true }
    } else if is("q", "quit") {
        Ex::Quit { force }
    } else if is("n", "next") {
        Ex::Next { force }
    } else if is("e", "edit") {
        Ex::Edit { file, force }
    } else if is("r", "read") {
        Ex::Read { file: file.ok_or("E32: No file name")?, below: lines.end }
    } else if is("d", "delete") {
        Ex::Delete(lines)
    } else if is("se", "set") {
        Ex::Set(argument.split_whitespace().map(str::to_string).collect())
    } else if is("h", "help") {
        Ex::Help
    } else if name == "s" {
        let mut chars = rest.chars();
        let delimiter = chars.next().filter(|c| !c.is_alphanumeric() && !matches!(c, '\\' | '"' | '|' | ' '));
        let Some(delimiter) = delimiter else { return Err("E35: No previous regular expression".into()) };
        let (pattern, rest) = delimited(&rest[delimiter.len_utf8()..], delimiter);
        let (replacement, flags) = delimited(rest, delimiter);
        let flags = flags.trim();
        if let Some(bad) = flags.chars().find(|&flag| flag != 'g') {
            return Err(format!("E488: Trailing characters: {bad}"));
        }
        Ex::Substitute { range: lines, pattern, replacement, global: flags.contains('g') }
    } else {
        return Err(format!("E492: Not an editor command: {}", line.trim_start_matches(':')));
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(file: Option<&str>, force: bool, quit: bool, only_if_modified: bool) -> Ex {
        Ex::Write { file: file.map(str::to_string), force, quit, only_if_modified }
    }

    #[test]
    fn file_commands() {
        assert_eq!(parse("w", 0, 9), Ok(write(None, false, false, false)));
        assert_eq!(parse("w! /tmp/x", 0, 9), Ok(write(Some("/tmp/x"), true, false, false)));
        assert_eq!(parse("write", 0, 9), Ok(write(None, false, false, false)));
        assert_eq!(parse("wq", 0, 9), Ok(write(None, false, true, false)));
        assert_eq!(parse("x", 0, 9), Ok(write(None, false, true, true)));
        assert_eq!(parse("q!", 0, 9), Ok(Ex::Quit { force: true }));
        assert_eq!(parse("quit", 0, 9), Ok(Ex::Quit { force: false }));
        assert_eq!(parse("n!", 0, 9), Ok(Ex::Next { force: true }));
        assert_eq!(parse("e! f", 0, 9), Ok(Ex::Edit { file: Some("f".into()), force: true }));
        assert_eq!(parse("r f", 2, 9), Ok(Ex::Read { file: "f".into(), below: 2 }));
        assert_eq!(parse("r", 2, 9), Err("E32: No file name".into()));
        assert_eq!(parse("foo", 0, 9), Err("E492: Not an editor command: foo".into()));
        assert_eq!(parse("", 0, 9), Ok(Ex::Nothing));
        assert_eq!(parse("set nu list", 0, 9), Ok(Ex::Set(vec!["nu".into(), "list".into()])));
        assert_eq!(parse("help", 0, 9), Ok(Ex::Help));
    }

    #[test]
    fn ranges() {
        assert_eq!(parse("5", 0, 9), Ok(Ex::Goto(4)));
        assert_eq!(parse("50", 0, 9), Ok(Ex::Goto(9)));
        assert_eq!(parse("$", 0, 9), Ok(Ex::Goto(9)));
        assert_eq!(parse(".+2", 3, 9), Ok(Ex::Goto(5)));
        assert_eq!(parse("2,4d", 0, 9), Ok(Ex::Delete(Range { start: 1, end: 3 })));
        assert_eq!(parse("%d", 0, 9), Ok(Ex::Delete(Range { start: 0, end: 9 })));
        assert_eq!(parse(".,$d", 4, 9), Ok(Ex::Delete(Range { start: 4, end: 9 })));
        assert_eq!(parse("d", 4, 9), Ok(Ex::Delete(Range { start: 4, end: 4 })));
        assert_eq!(parse("1,20d", 0, 9), Err("E16: Invalid range".into()));
    }

    #[test]
    fn substitutions() {
        let range = Range { start: 0, end: 9 };
        assert_eq!(
            parse("%s/a\\/b/c/g", 0, 9),
            Ok(Ex::Substitute { range, pattern: "a/b".into(), replacement: "c".into(), global: true })
        );
        assert_eq!(
            parse("s#x\\.#y", 3, 9),
            Ok(Ex::Substitute {
                range: Range { start: 3, end: 3 },
                pattern: "x\\.".into(),
                replacement: "y".into(),
                global: false
            })
        );
        assert_eq!(parse("s/a/b/q", 0, 9), Err("E488: Trailing characters: q".into()));
        assert!(matches!(parse("set nu", 0, 9), Ok(Ex::Set(_))));
    }
}
