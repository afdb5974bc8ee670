//! Kernel command-line parsing: `key=value` and bare `flag` words, then the words
//! after `--`, which become init's arguments (as on Linux).
#![cfg_attr(not(test), no_std)]

/// One option word: `key=value` or a bare `key` (value `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opt<'a> {
    pub key: &'a str,
    pub value: Option<&'a str>,
}

/// A parsed command line; it borrows the original text.
#[derive(Debug, Clone, Copy)]
pub struct CommandLine<'a> {
    options: &'a str,
    init_args: Option<&'a str>,
}

impl<'a> CommandLine<'a> {
    pub fn parse(text: &'a str) -> Self {
        let mut options = text;
        let mut init_args = None;
        let mut offset = 0;
        for word in text.split_ascii_whitespace() {
            // `split_ascii_whitespace` yields subslices of `text`: find this one's start.
            let start = text[offset..].find(word).map_or(offset, |i| offset + i);
            offset = start + word.len();
            if word == "--" {
                options = &text[..start];
                init_args = Some(&text[offset..]);
                break;
            }
        }
        Self { options, init_args }
    }

    /// The option words before `--`, in order.
    pub fn options(&self) -> impl Iterator<Item = Opt<'a>> + use<'a> {
        self.options.split_ascii_whitespace().map(|word| match word.split_once('=') {
            Some((key, value)) => Opt { key, value: Some(value) },
            None => Opt { key: word, value: None },
        })
    }

    /// The value of the last `key=value` with this key (later words win, as on Linux).
    pub fn value(&self, key: &str) -> Option<&'a str> {
        self.options().filter(|o| o.key == key).filter_map(|o| o.value).last()
    }

    /// Whether the option `key` is given, bare or with a value (a flag such as
    /// `norandmaps`).
    pub fn has(&self, key: &str) -> bool {
        self.options().any(|o| o.key == key)
    }

    /// The words after `--`: init's arguments (argv[1..]).
    pub fn init_args(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        self.init_args.unwrap_or("").split_ascii_whitespace()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_and_values() {
        let c = CommandLine::parse("init=/sbin/init quiet test=panic init=/bin/sh");
        let keys: Vec<_> = c.options().map(|o| o.key).collect();
        assert_eq!(keys, ["init", "quiet", "test", "init"]);
        assert_eq!(c.value("init"), Some("/bin/sh"));
        assert_eq!(c.value("test"), Some("panic"));
        assert_eq!(c.value("quiet"), None);
        assert!(c.has("quiet") && c.has("init") && !c.has("norandmaps"));
        assert_eq!(c.init_args().count(), 0);
    }

    #[test]
    fn words_after_double_dash_are_init_args() {
        let c = CommandLine::parse("init=/bin/echo -- hello  world x=y");
        assert_eq!(c.value("x"), None);
        assert!(!c.has("hello") && !c.has("x"));
        assert_eq!(c.init_args().collect::<Vec<_>>(), ["hello", "world", "x=y"]);
        assert_eq!(c.options().count(), 1);
    }

    #[test]
    fn value_may_contain_equals_and_empty() {
        let c = CommandLine::parse("a=b=c e= --");
        assert_eq!(c.value("a"), Some("b=c"));
        assert_eq!(c.value("e"), Some(""));
        assert_eq!(c.init_args().count(), 0);
    }

    #[test]
    fn double_dash_inside_a_word_is_not_a_separator() {
        let c = CommandLine::parse("x=-- --y -- z");
        assert_eq!(c.value("x"), Some("--"));
        assert_eq!(c.options().nth(1).map(|o| o.key), Some("--y"));
        assert_eq!(c.init_args().collect::<Vec<_>>(), ["z"]);
    }

    #[test]
    fn empty_line() {
        let c = CommandLine::parse("");
        assert_eq!(c.options().count(), 0);
        assert_eq!(c.init_args().count(), 0);
    }
}
