//! The shell's word splitting: a command line becomes words, split at blanks, with
//! `'...'` and `"..."` quoting, backslash escapes and `#` comments, as POSIX sh does
//! (without expansions). Also [`lookup`], finding a program on PATH.
use std::fmt;

pub mod lookup;

/// A quote that the line opens and never closes; displays as the shell's complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnterminatedQuote(pub char);

impl fmt::Display for UnterminatedQuote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "syntax error: unterminated {} quote", self.0)
    }
}

fn is_blank(char: char) -> bool {
    matches!(char, ' ' | '\t' | '\n' | '\r')
}

/// Splits `line` into words:
/// - blanks (space, tab, newline, carriage return) separate words;
/// - `'...'` keeps everything up to the next `'` as it is;
/// - `"..."` does too, except that a backslash escapes `\`, `"`, `$` and `` ` `` (and
///   is kept before any other character);
/// - outside quotes a backslash makes the next character ordinary; backslash-newline
///   is removed, and a backslash ending the line stays;
/// - quotes join with what touches them (`a'b c'd` is one word) and `''` is an empty
///   word;
/// - `#` starting a word starts a comment that runs to the end of the line.
pub fn split_words(line: &str) -> Result<Vec<String>, UnterminatedQuote> {
    let mut words = Vec::new();
    let mut word = String::new();
    // Whether a word has started: `''` starts an empty one.
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(char) = chars.next() {
        match char {
            blank if is_blank(blank) => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '#' if !in_word => break,
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(escaped) => {
                    word.push(escaped);
                    in_word = true;
                }
                None => {
                    word.push('\\');
                    in_word = true;
                }
            },
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(quoted) => word.push(quoted),
                        None => return Err(UnterminatedQuote('\'')),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.peek() {
                            Some(&escaped @ ('\\' | '"' | '$' | '`')) => {
                                word.push(escaped);
                                chars.next();
                            }
                            Some('\n') => {
                                chars.next();
                            }
                            _ => word.push('\\'),
                        },
                        Some(quoted) => word.push(quoted),
                        None => return Err(UnterminatedQuote('"')),
                    }
                }
            }
            ordinary => {
                word.push(ordinary);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> Vec<String> {
        split_words(line).unwrap()
    }

    #[test]
    fn blanks_separate_words() {
        assert_eq!(split("ls -l /bin"), ["ls", "-l", "/bin"]);
        assert_eq!(split("  \techo\t\thi  \n"), ["echo", "hi"]);
        assert_eq!(split("a\r\n"), ["a"]);
    }

    #[test]
    fn empty_and_blank_lines_have_no_words() {
        assert!(split("").is_empty());
        assert!(split(" \t\n").is_empty());
    }

    #[test]
    fn single_quotes_keep_everything() {
        assert_eq!(split("echo 'a  b' 'c\\d' '\"'"), ["echo", "a  b", "c\\d", "\""]);
        assert_eq!(split("'#not a comment' '$HOME'"), ["#not a comment", "$HOME"]);
    }

    #[test]
    fn double_quotes_keep_blanks_and_single_quotes() {
        assert_eq!(split("echo \"a  b\" \"it's\""), ["echo", "a  b", "it's"]);
    }

    #[test]
    fn backslash_in_double_quotes() {
        assert_eq!(split(r#""a\"b""#), [r#"a"b"#]);
        assert_eq!(split(r#""a\\b""#), [r"a\b"]);
        assert_eq!(split(r#""\$x \`""#), ["$x `"]);
        assert_eq!(split(r#""a\nb""#), [r"a\nb"]);
        assert_eq!(split("\"a\\\nb\""), ["ab"]);
    }

    #[test]
    fn backslash_outside_quotes() {
        assert_eq!(split(r"a\ b c"), ["a b", "c"]);
        assert_eq!(split(r"\'x\'"), ["'x'"]);
        assert_eq!(split(r"\\"), [r"\"]);
        assert_eq!(split(r"\#x"), ["#x"]);
        assert_eq!(split(r"\n"), ["n"]);
    }

    #[test]
    fn backslash_newline_continues_the_line() {
        assert_eq!(split("echo ab\\\ncd"), ["echo", "abcd"]);
        assert_eq!(split("echo \\\nx"), ["echo", "x"]);
        assert_eq!(split("echo x\\\n"), ["echo", "x"]);
    }

    #[test]
    fn backslash_at_the_very_end_stays() {
        assert_eq!(split(r"echo a\"), ["echo", r"a\"]);
        assert_eq!(split(r"echo \"), ["echo", r"\"]);
    }

    #[test]
    fn quotes_join_what_touches_them() {
        assert_eq!(split(r#"a'b c'd"e f"g"#), ["ab cde fg"]);
        assert_eq!(split(r#"--name="x y""#), ["--name=x y"]);
    }

    #[test]
    fn empty_quotes_are_empty_words() {
        assert_eq!(split("echo '' \"\" x"), ["echo", "", "", "x"]);
        assert_eq!(split("''"), [""]);
    }

    #[test]
    fn comments() {
        assert_eq!(split("echo hi # greet"), ["echo", "hi"]);
        assert_eq!(split("# all comment"), Vec::<String>::new());
        assert_eq!(split("echo a#b"), ["echo", "a#b"]);
        assert_eq!(split("echo '#'x#y"), ["echo", "#x#y"]);
    }

    #[test]
    fn unicode_passes_through() {
        assert_eq!(split("echo héllo 'wörld'"), ["echo", "héllo", "wörld"]);
    }

    #[test]
    fn unterminated_quotes() {
        assert_eq!(split_words("echo 'abc"), Err(UnterminatedQuote('\'')));
        assert_eq!(split_words("echo \"abc"), Err(UnterminatedQuote('"')));
        assert_eq!(split_words("echo \"abc\\\""), Err(UnterminatedQuote('"')));
        assert_eq!(UnterminatedQuote('\'').to_string(), "syntax error: unterminated ' quote");
    }
}
