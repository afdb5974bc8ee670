//! Shell patterns as fnmatch(3) without flags matches them (what `find -name` and a
//! shell's `case` use): `*`, `?`, bracket expressions with ranges, `!` or `^` negation
//! and `[:class:]` names, and `\` quoting the next character.

/// Whether `name` matches `pattern`, byte by byte; `fold_case` ignores ASCII case.
pub fn matches(pattern: &[u8], name: &[u8], fold_case: bool) -> bool {
    let fold = |byte: u8| if fold_case { byte.to_ascii_lowercase() } else { byte };
    // Backtracking over the last `*` only is enough: a later star can always absorb
    // what an earlier one would have.
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        let step = match pattern.get(p) {
            Some(b'*') => {
                star = Some((p + 1, n));
                p += 1;
                continue;
            }
            Some(b'?') => Some(p + 1),
            Some(b'[') => match bracket(&pattern[p..], fold(name[n]), fold_case) {
                Some((matched, length)) => matched.then_some(p + length),
                None => (fold(b'[') == fold(name[n])).then_some(p + 1),
            },
            Some(b'\\') if p + 1 < pattern.len() => (fold(pattern[p + 1]) == fold(name[n])).then_some(p + 2),
            Some(&literal) => (fold(literal) == fold(name[n])).then_some(p + 1),
            None => None,
        };
        match (step, star) {
            (Some(next), _) => {
                p = next;
                n += 1;
            }
            (None, Some((after_star, tried))) => {
                p = after_star;
                n = tried + 1;
                star = Some((after_star, tried + 1));
            }
            (None, None) => return false,
        }
    }
    pattern[p..].iter().all(|&byte| byte == b'*')
}

/// Matches `byte` against the bracket expression that `pattern` starts with: whether
/// it matched and the expression's length, or `None` when the `[` opens none.
fn bracket(pattern: &[u8], byte: u8, fold_case: bool) -> Option<(bool, usize)> {
    let mut i = 1;
    let negated = matches!(pattern.get(i), Some(b'!' | b'^'));
    if negated {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let low = *pattern.get(i)?;
        if low == b']' && !first {
            return Some((matched != negated, i + 1));
        }
        first = false;
        if low == b'[' && pattern.get(i + 1) == Some(&b':') {
            let end = pattern[i + 2..].windows(2).position(|pair| pair == b":]")?;
            let class = &pattern[i + 2..i + 2 + end];
            matched |= in_class(class, byte) || (fold_case && in_class(class, byte.to_ascii_uppercase()));
            i += end + 4;
            continue;
        }
        let (low, after_low) = if low == b'\\' { (*pattern.get(i + 1)?, i + 2) } else { (low, i + 1) };
        let (high, next) = match (pattern.get(after_low), pattern.get(after_low + 1)) {
            (Some(b'-'), Some(&high)) if high != b']' => (high, after_low + 2),
            _ => (low, after_low),
        };
        let within = |byte: u8| low <= byte && byte <= high;
        matched |=
            within(byte) || (fold_case && (within(byte.to_ascii_lowercase()) || within(byte.to_ascii_uppercase())));
        i = next;
    }
}

/// Whether `byte` is in the POSIX character class named `class` (`alpha`, ...).
pub fn in_class(class: &[u8], byte: u8) -> bool {
    match class {
        b"alpha" => byte.is_ascii_alphabetic(),
        b"digit" => byte.is_ascii_digit(),
        b"alnum" => byte.is_ascii_alphanumeric(),
        b"upper" => byte.is_ascii_uppercase(),
        b"lower" => byte.is_ascii_lowercase(),
        b"space" => byte.is_ascii_whitespace() || byte == 0x0b,
        b"blank" => byte == b' ' || byte == b'\t',
        b"punct" => byte.is_ascii_punctuation(),
        b"print" => (0x20..0x7f).contains(&byte),
        b"graph" => byte.is_ascii_graphic(),
        b"cntrl" => byte.is_ascii_control(),
        b"xdigit" => byte.is_ascii_hexdigit(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, name: &str) -> bool {
        matches(pattern.as_bytes(), name.as_bytes(), false)
    }

    #[test]
    fn stars_and_questions() {
        assert!(m("*.rs", "main.rs"));
        assert!(m("*", ".hidden"));
        assert!(m("*", ""));
        assert!(!m("*.rs", "main.rc"));
        assert!(m("a*b*c", "aXXbYYbc"));
        assert!(!m("a*b*c", "aXXbYYbd"));
        assert!(m("?at", "cat"));
        assert!(!m("?at", "at"));
        assert!(m("**x", "x"));
        assert!(!m("x", "xx"));
    }

    #[test]
    fn brackets() {
        assert!(m("[abc]x", "bx"));
        assert!(!m("[abc]x", "dx"));
        assert!(m("[a-c]", "b"));
        assert!(m("[!a-c]", "d"));
        assert!(m("[^a-c]", "d"));
        assert!(!m("[!a-c]", "a"));
        assert!(m("[]]", "]"));
        assert!(m("[a-]", "-"));
        assert!(m("[[:digit:]]*", "7up"));
        assert!(!m("[[:upper:]]", "a"));
        assert!(m("[", "["));
        assert!(m("x[", "x["));
    }

    #[test]
    fn escapes_and_case() {
        assert!(m("\\*", "*"));
        assert!(!m("\\*", "a"));
        assert!(matches(b"*.TXT", b"notes.txt", true));
        assert!(matches(b"[A-C]", b"b", true));
        assert!(matches(b"[[:upper:]]", b"b", true));
        assert!(!matches(b"*.TXT", b"notes.txt", false));
    }

    #[test]
    fn classes() {
        assert!(in_class(b"space", b'\t'));
        assert!(in_class(b"xdigit", b'F'));
        assert!(!in_class(b"nosuch", b'a'));
    }
}
