//! Short command-line flags as the utilities take them: clusters such as `-la`,
//! anywhere before `--`; `-` alone is an operand (standard input, for `cat`).
use std::ffi::OsString;
use std::fmt;

/// Flags and operands, in the order given.
#[derive(Debug, PartialEq, Eq)]
pub struct CommandLine {
    flags: Vec<char>,
    pub operands: Vec<OsString>,
}

impl CommandLine {
    /// Whether `flag` was given at least once.
    pub fn has(&self, flag: char) -> bool {
        self.flags.contains(&flag)
    }
}

/// A flag the program does not know; displays as GNU's `invalid option -- 'x'`.
#[derive(Debug, PartialEq, Eq)]
pub struct InvalidOption(pub char);

impl fmt::Display for InvalidOption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid option -- '{}'", self.0)
    }
}

/// Splits `args` (without argv[0]) into the flags out of `known` and the operands.
pub fn parse(args: impl IntoIterator<Item = OsString>, known: &str) -> Result<CommandLine, InvalidOption> {
    let mut flags = Vec::new();
    let mut operands = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--" {
            operands.extend(args.by_ref());
            break;
        }
        let text = arg.to_string_lossy();
        match text.strip_prefix('-') {
            Some(cluster) if !cluster.is_empty() => {
                for flag in cluster.chars() {
                    if !known.contains(flag) {
                        return Err(InvalidOption(flag));
                    }
                    flags.push(flag);
                }
            }
            _ => operands.push(arg),
        }
    }
    Ok(CommandLine { flags, operands })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<OsString> {
        text.split_whitespace().map(OsString::from).collect()
    }

    #[test]
    fn clusters_and_separate_flags() {
        let line = parse(words("-la -1 dir"), "al1").unwrap();
        assert!(line.has('a') && line.has('l') && line.has('1'));
        assert_eq!(line.operands, words("dir"));
    }

    #[test]
    fn flags_after_operands_still_count() {
        let line = parse(words("dir -l"), "al1").unwrap();
        assert!(line.has('l') && !line.has('a'));
        assert_eq!(line.operands, words("dir"));
    }

    #[test]
    fn lone_dash_is_an_operand() {
        let line = parse(words("a - b"), "").unwrap();
        assert_eq!(line.operands, words("a - b"));
    }

    #[test]
    fn double_dash_ends_flags() {
        let line = parse(words("-a -- -l -"), "al").unwrap();
        assert!(line.has('a') && !line.has('l'));
        assert_eq!(line.operands, words("-l -"));
    }

    #[test]
    fn unknown_flag_is_an_error() {
        assert_eq!(parse(words("-lz"), "l"), Err(InvalidOption('z')));
        assert_eq!(InvalidOption('z').to_string(), "invalid option -- 'z'");
    }

    #[test]
    fn nothing_given() {
        let line = parse(Vec::new(), "a").unwrap();
        assert!(!line.has('a'));
        assert!(line.operands.is_empty());
    }
}
