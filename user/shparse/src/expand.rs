//! Word expansion, as POSIX orders it: `~` and parameters first (through a lookup
//! closure), then field splitting of unquoted parameter values at blanks, then
//! pathname expansion of fields holding unquoted `*`, `?` or `[` (through
//! [`Dirs`]). A pattern that matches nothing stays as written, as in sh.
use crate::ast::{Part, Word};
use crate::glob::{Dirs, glob, has_meta};

/// The blanks that split unquoted parameter values (IFS's default).
fn is_field_separator(char: char) -> bool {
    matches!(char, ' ' | '\t' | '\n')
}

/// One field being built: its text, and the same text as a pattern, where quoted
/// characters are escaped so they match only themselves.
#[derive(Debug, Default)]
struct Field {
    text: String,
    pattern: String,
}

impl Field {
    fn push_quoted(&mut self, text: &str) {
        self.text.push_str(text);
        for char in text.chars() {
            if matches!(char, '*' | '?' | '[' | ']' | '\\') {
                self.pattern.push('\\');
            }
            self.pattern.push(char);
        }
    }

    fn push_unquoted(&mut self, text: &str) {
        self.text.push_str(text);
        self.pattern.push_str(text);
    }
}

fn tilde(lookup: &impl Fn(&str) -> Option<String>) -> String {
    lookup("HOME").unwrap_or_else(|| "~".into())
}

/// The fields of one word, before pathname expansion. `$UNSET` alone gives none;
/// `"$UNSET"` and `''` give one empty field.
fn fields(word: &Word, lookup: &impl Fn(&str) -> Option<String>) -> Vec<Field> {
    let mut fields = Vec::new();
    let mut current: Option<Field> = None;
    for part in &word.0 {
        match part {
            Part::Text(text) => current.get_or_insert_default().push_unquoted(text),
            Part::Quoted(text) => current.get_or_insert_default().push_quoted(text),
            Part::Tilde => current.get_or_insert_default().push_quoted(&tilde(lookup)),
            Part::Param { name, quoted: true } => {
                current.get_or_insert_default().push_quoted(&lookup(name).unwrap_or_default())
            }
            Part::Param { name, quoted: false } => {
                let value = lookup(name).unwrap_or_default();
                for (index, piece) in value.split(is_field_separator).enumerate() {
                    if index > 0 {
                        fields.extend(current.take());
                    }
                    if !piece.is_empty() {
                        current.get_or_insert_default().push_unquoted(piece);
                    }
                }
            }
        }
    }
    fields.extend(current);
    fields
}

/// The arguments `words` expand to: fields split and patterns matched.
pub fn expand_words(words: &[Word], lookup: &impl Fn(&str) -> Option<String>, dirs: &impl Dirs) -> Vec<String> {
    let mut arguments = Vec::new();
    for field in words.iter().flat_map(|word| fields(word, lookup)) {
        let matched = if has_meta(&field.pattern) { glob(&field.pattern, dirs) } else { Vec::new() };
        if matched.is_empty() {
            arguments.push(field.text);
        } else {
            arguments.extend(matched);
        }
    }
    arguments
}

/// The one string `word` expands to without splitting or patterns, as for the value
/// of an assignment.
pub fn expand_string(word: &Word, lookup: &impl Fn(&str) -> Option<String>) -> String {
    word.0
        .iter()
        .map(|part| match part {
            Part::Text(text) | Part::Quoted(text) => text.clone(),
            Part::Tilde => tilde(lookup),
            Part::Param { name, .. } => lookup(name).unwrap_or_default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glob::tests::FakeDirs;
    use crate::parse;

    fn lookup(name: &str) -> Option<String> {
        let value = match name {
            "HOME" => "/home/k",
            "A" => "one",
            "SPACED" => "  a   b\tc  ",
            "STAR" => "*.rs",
            "EMPTY" => "",
            "?" => "0",
            "$" => "42",
            _ => return None,
        };
        Some(value.into())
    }

    fn dirs() -> FakeDirs {
        FakeDirs::new(&["/home/", "/home/a.rs", "/home/b.rs", "/home/c.txt", "/home/k/", "/home/k/x"])
    }

    /// The arguments of the first command in `source`.
    fn expand(source: &str) -> Vec<String> {
        let list = parse(source).unwrap();
        expand_words(&list.items[0].and_or.first.commands[0].words, &lookup, &dirs())
    }

    #[test]
    fn plain_words_stay() {
        assert_eq!(expand("echo a 'b c' \"d\""), ["echo", "a", "b c", "d"]);
    }

    #[test]
    fn parameters() {
        assert_eq!(expand("echo $A ${A}s \"$A\" x$A"), ["echo", "one", "ones", "one", "xone"]);
        assert_eq!(expand("echo $? $$"), ["echo", "0", "42"]);
        assert_eq!(expand("echo '$A' \\$A"), ["echo", "$A", "$A"]);
    }

    #[test]
    fn unset_and_empty_parameters() {
        assert_eq!(expand("echo $NOPE x $EMPTY"), ["echo", "x"]);
        assert_eq!(expand("echo \"$NOPE\" \"$EMPTY\""), ["echo", "", ""]);
        assert_eq!(expand("echo a$NOPE"), ["echo", "a"]);
        assert_eq!(expand("echo '' \"\""), ["echo", "", ""]);
    }

    #[test]
    fn unquoted_values_split_at_blanks() {
        assert_eq!(expand("echo $SPACED"), ["echo", "a", "b", "c"]);
        assert_eq!(expand("echo x${SPACED}y"), ["echo", "x", "a", "b", "c", "y"]);
        assert_eq!(expand("echo \"$SPACED\""), ["echo", "  a   b\tc  "]);
        assert_eq!(expand("echo $A$A"), ["echo", "oneone"]);
    }

    #[test]
    fn tilde() {
        assert_eq!(expand("cd ~"), ["cd", "/home/k"]);
        assert_eq!(expand("ls ~/x '~' a~"), ["ls", "/home/k/x", "~", "a~"]);
        let list = parse("ls ~").unwrap();
        let words = &list.items[0].and_or.first.commands[0].words;
        assert_eq!(expand_words(words, &|_: &str| None, &dirs()), ["ls", "~"]);
    }

    #[test]
    fn globbing() {
        assert_eq!(expand("ls *.rs"), ["ls", "a.rs", "b.rs"]);
        assert_eq!(expand("ls ?.txt [ab].rs"), ["ls", "c.txt", "a.rs", "b.rs"]);
        assert_eq!(expand("ls ~/*"), ["ls", "/home/k/x"]);
    }

    #[test]
    fn unmatched_patterns_stay() {
        assert_eq!(expand("ls *.none"), ["ls", "*.none"]);
        assert_eq!(expand("ls [x"), ["ls", "[x"]);
    }

    #[test]
    fn quoted_meta_is_not_a_pattern() {
        assert_eq!(expand("ls '*.rs' \"*\".rs \\*.rs"), ["ls", "*.rs", "*.rs", "*.rs"]);
        assert_eq!(expand("ls \"$STAR\""), ["ls", "*.rs"]);
    }

    #[test]
    fn unquoted_values_are_patterns() {
        assert_eq!(expand("ls $STAR"), ["ls", "a.rs", "b.rs"]);
    }

    #[test]
    fn strings_do_not_split_or_glob() {
        let list = parse("X=$SPACED*~ Y=~ Z=\"$A\"'$A'").unwrap();
        let values: Vec<String> = list.items[0].and_or.first.commands[0]
            .assignments
            .iter()
            .map(|assignment| expand_string(&assignment.value, &lookup))
            .collect();
        assert_eq!(values, ["  a   b\tc  *~", "~", "one$A"]);
    }
}
