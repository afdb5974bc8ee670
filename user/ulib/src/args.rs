//! Command-line options as the utilities take them, in getopt's way: short flags in
//! clusters such as `-la`, flags that take a value (`-n 5`, `-n5`), long options
//! (`--color`, `--color=never`), anywhere before `--` unless the program stops at its
//! first operand; `-` alone is an operand (standard input, for `cat`).
use std::ffi::{OsStr, OsString};
use std::fmt;

/// Which options a program takes; start from `Spec::NONE` (`..Spec::NONE`).
#[derive(Debug, Clone, Copy)]
pub struct Spec<'a> {
    /// Short flags that take no value.
    pub flags: &'a str,
    /// Short flags that take a value: the rest of their cluster, or the next argument.
    pub valued: &'a str,
    /// Short flags whose value is optional and only ever the rest of their cluster
    /// (`sed -i.bak`; `-i` alone has none).
    pub optional: &'a str,
    /// Long options (without `--`); each may carry `=value`, which the program judges.
    pub long: &'a [&'a str],
    /// Long options that need a value: `--name=value`, or the next argument.
    pub long_valued: &'a [&'a str],
    /// Options end at the first operand (`env`, `find`), instead of anywhere.
    pub stop_at_operand: bool,
    /// An argument such as `-1` or `-.5` is an operand, not flags (`seq`).
    pub negative_numbers: bool,
}

impl Spec<'static> {
    /// No options at all.
    pub const NONE: Self = Self {
        flags: "",
        valued: "",
        optional: "",
        long: &[],
        long_valued: &[],
        stop_at_operand: false,
        negative_numbers: false,
    };
}

/// One option as given.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Given {
    Short(char, Option<OsString>),
    Long(String, Option<OsString>),
}

/// Options and operands, in the order given.
#[derive(Debug, PartialEq, Eq)]
pub struct CommandLine {
    given: Vec<Given>,
    pub operands: Vec<OsString>,
}

impl CommandLine {
    /// Whether the short flag was given at least once.
    pub fn has(&self, flag: char) -> bool {
        self.given.iter().any(|given| matches!(given, Given::Short(short, _) if *short == flag))
    }

    /// The values given with a short flag, in order.
    pub fn values(&self, flag: char) -> impl Iterator<Item = &OsStr> {
        self.given.iter().filter_map(move |given| match given {
            Given::Short(short, Some(value)) if *short == flag => Some(value.as_os_str()),
            _ => None,
        })
    }

    /// The last value given with a short flag.
    pub fn value(&self, flag: char) -> Option<&OsStr> {
        self.values(flag).last()
    }

    /// Whichever of `flags` came last, if any did (for flags that override each other,
    /// such as `ls -1` and `ls -C`).
    pub fn last_of(&self, flags: &str) -> Option<char> {
        self.given.iter().rev().find_map(|given| match given {
            Given::Short(short, _) if flags.contains(*short) => Some(*short),
            _ => None,
        })
    }

    /// Every option, short (`Ok`) or long (`Err`), with its value, in the order given
    /// (for options whose order matters, such as sed's `-e` and `-f`).
    pub fn in_order(&self) -> impl Iterator<Item = (Result<char, &str>, Option<&OsStr>)> {
        self.given.iter().map(|given| match given {
            Given::Short(short, value) => (Ok(*short), value.as_deref()),
            Given::Long(long, value) => (Err(long.as_str()), value.as_deref()),
        })
    }

    /// The short options in the order given, each with its value if it takes one
    /// (for options that accumulate, such as od's `-t x1 -c`).
    pub fn short_options(&self) -> impl Iterator<Item = (char, Option<&OsStr>)> {
        self.in_order().filter_map(|(option, value)| option.ok().map(|short| (short, value)))
    }

    /// The last use of a long option: `Some(None)` without a value, `Some(Some(value))`
    /// for `--name=value`.
    pub fn long(&self, name: &str) -> Option<Option<&OsStr>> {
        self.given.iter().rev().find_map(|given| match given {
            Given::Long(long, value) if long == name => Some(value.as_deref()),
            _ => None,
        })
    }
}

/// A command line the program cannot take, displayed as getopt words it; or `--help`.
#[derive(Debug, PartialEq, Eq)]
pub enum ArgError {
    InvalidOption(char),
    MissingValue(char),
    MissingLongValue(String),
    UnrecognizedOption(String),
    Help,
}

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgError::InvalidOption(flag) => InvalidOption(*flag).fmt(f),
            ArgError::MissingValue(flag) => write!(f, "option requires an argument -- '{flag}'"),
            ArgError::MissingLongValue(name) => write!(f, "option '--{name}' requires an argument"),
            ArgError::UnrecognizedOption(option) => write!(f, "unrecognized option '{option}'"),
            ArgError::Help => f.write_str("help requested"),
        }
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
/// (`parse_spec` with short flags only; a long option is `InvalidOption('-')`.)
pub fn parse(args: impl IntoIterator<Item = OsString>, known: &str) -> Result<CommandLine, InvalidOption> {
    parse_spec(args, &Spec { flags: known, ..Spec::NONE }).map_err(|err| match err {
        ArgError::InvalidOption(flag) | ArgError::MissingValue(flag) => InvalidOption(flag),
        ArgError::MissingLongValue(_) | ArgError::UnrecognizedOption(_) | ArgError::Help => InvalidOption('-'),
    })
}

fn is_negative_number(text: &str) -> bool {
    text.strip_prefix('-')
        .and_then(|rest| rest.chars().next())
        .is_some_and(|first| first.is_ascii_digit() || first == '.')
}

/// Splits `args` (without argv[0]) into options and operands as `spec` says;
/// `--help` (before `--`) is `ArgError::Help` for every program.
pub fn parse_spec(args: impl IntoIterator<Item = OsString>, spec: &Spec) -> Result<CommandLine, ArgError> {
    let mut given = Vec::new();
    let mut operands = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--" {
            operands.extend(args.by_ref());
            break;
        }
        let text = arg.to_string_lossy().into_owned();
        if let Some(long) = text.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((name, value)) => (name, Some(OsString::from(value))),
                None => (long, None),
            };
            if name == "help" {
                return Err(ArgError::Help);
            }
            if !spec.long.contains(&name) && !spec.long_valued.contains(&name) {
                return Err(ArgError::UnrecognizedOption(text));
            }
            let value = match value {
                None if spec.long_valued.contains(&name) => {
                    Some(args.next().ok_or_else(|| ArgError::MissingLongValue(name.to_owned()))?)
                }
                value => value,
            };
            given.push(Given::Long(name.to_owned(), value));
            continue;
        }
        let cluster = match text.strip_prefix('-') {
            Some(cluster) if !cluster.is_empty() && (!spec.negative_numbers || !is_negative_number(&text)) => cluster,
            _ => {
                operands.push(arg);
                if spec.stop_at_operand {
                    operands.extend(args.by_ref());
                    break;
                }
                continue;
            }
        };
        for (index, flag) in cluster.char_indices() {
            if spec.valued.contains(flag) {
                let rest = &cluster[index + flag.len_utf8()..];
                let value =
                    if rest.is_empty() { args.next().ok_or(ArgError::MissingValue(flag))? } else { rest.into() };
                given.push(Given::Short(flag, Some(value)));
                break;
            }
            if spec.optional.contains(flag) {
                let rest = &cluster[index + flag.len_utf8()..];
                given.push(Given::Short(flag, (!rest.is_empty()).then(|| rest.into())));
                break;
            }
            if !spec.flags.contains(flag) {
                return Err(ArgError::InvalidOption(flag));
            }
            given.push(Given::Short(flag, None));
        }
    }
    Ok(CommandLine { given, operands })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<OsString> {
        text.split_whitespace().map(OsString::from).collect()
    }

    #[test]
    fn short_options_in_order() {
        let spec = Spec { flags: "bc", valued: "t", ..Spec::NONE };
        let line = parse_spec(words("-t x1 -cb file -tz"), &spec).unwrap();
        let given: Vec<_> = line.short_options().collect();
        assert_eq!(given, [('t', Some(OsStr::new("x1"))), ('c', None), ('b', None), ('t', Some(OsStr::new("z")))]);
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
        assert_eq!(parse(words("--long"), "l"), Err(InvalidOption('-')));
    }

    #[test]
    fn nothing_given() {
        let line = parse(Vec::new(), "a").unwrap();
        assert!(!line.has('a'));
        assert!(line.operands.is_empty());
    }

    const HEAD: Spec = Spec { flags: "qv", valued: "nc", long: &["color"], ..Spec::NONE };

    #[test]
    fn values_attached_or_separate() {
        let line = parse_spec(words("-n5 file -qc 7 -n 3"), &HEAD).unwrap();
        assert_eq!(line.value('n'), Some(OsStr::new("3")));
        assert_eq!(line.values('n').collect::<Vec<_>>(), ["5", "3"]);
        assert_eq!(line.value('c'), Some(OsStr::new("7")));
        assert!(line.has('q') && line.has('n') && !line.has('v'));
        assert_eq!(line.operands, words("file"));
    }

    #[test]
    fn a_value_may_look_like_a_flag() {
        let line = parse_spec(words("-n -5"), &HEAD).unwrap();
        assert_eq!(line.value('n'), Some(OsStr::new("-5")));
    }

    #[test]
    fn missing_value() {
        assert_eq!(parse_spec(words("-n"), &HEAD), Err(ArgError::MissingValue('n')));
        assert_eq!(ArgError::MissingValue('n').to_string(), "option requires an argument -- 'n'");
    }

    #[test]
    fn long_options() {
        let line = parse_spec(words("--color=never x --color"), &HEAD).unwrap();
        assert_eq!(line.long("color"), Some(None));
        let line = parse_spec(words("--color=never"), &HEAD).unwrap();
        assert_eq!(line.long("color"), Some(Some(OsStr::new("never"))));
        assert_eq!(line.long("other"), None);
        let err = parse_spec(words("--colour"), &HEAD).unwrap_err();
        assert_eq!(err.to_string(), "unrecognized option '--colour'");
        assert_eq!(parse_spec(words("x --help"), &HEAD), Err(ArgError::Help));
        assert_eq!(parse_spec(words("-- --help"), &HEAD).unwrap().operands, words("--help"));
    }

    #[test]
    fn optional_values_and_valued_long_options() {
        let spec = Spec { flags: "n", optional: "i", long_valued: &["file"], ..Spec::NONE };
        let line = parse_spec(words("-ni.bak x -i --file f --file=g"), &spec).unwrap();
        let order: Vec<_> = line.in_order().collect();
        assert_eq!(
            order,
            [
                (Ok('n'), None),
                (Ok('i'), Some(OsStr::new(".bak"))),
                (Ok('i'), None),
                (Err("file"), Some(OsStr::new("f"))),
                (Err("file"), Some(OsStr::new("g")))
            ]
        );
        assert_eq!(line.operands, words("x"));
        let err = parse_spec(words("--file"), &spec).unwrap_err();
        assert_eq!(err.to_string(), "option '--file' requires an argument");
    }

    #[test]
    fn stopping_at_the_first_operand() {
        let spec = Spec { flags: "i", stop_at_operand: true, ..Spec::NONE };
        let line = parse_spec(words("-i ls -i"), &spec).unwrap();
        assert!(line.has('i'));
        assert_eq!(line.operands, words("ls -i"));
    }

    #[test]
    fn negative_numbers_as_operands() {
        let spec = Spec { valued: "s", negative_numbers: true, ..Spec::NONE };
        let line = parse_spec(words("-1 -s , -.5 3"), &spec).unwrap();
        assert_eq!(line.operands, words("-1 -.5 3"));
        assert_eq!(parse_spec(words("-x"), &spec), Err(ArgError::InvalidOption('x')));
    }

    #[test]
    fn the_last_of_overriding_flags() {
        let line = parse_spec(words("-1 -C -1"), &Spec { flags: "1C", ..Spec::NONE }).unwrap();
        assert_eq!(line.last_of("1C"), Some('1'));
        assert_eq!(line.last_of("x"), None);
    }
}
