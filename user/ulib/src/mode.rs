//! File modes as chmod takes them (GNU's rules, also for `mkdir -m` and the shell's
//! `umask`): octal (`755`, `04755`) or symbolic clauses `[ugoa]*[-+=]PERMS` joined by
//! commas, PERMS being letters of `rwxXst` or one of `u`, `g`, `o` (copy those bits).
//! Parsing and applying are pure: `Mode::apply` takes the old mode, whether the file
//! is a directory, and the umask.

const SET_UID: u32 = 0o4000;
const SET_GID: u32 = 0o2000;
const STICKY: u32 = 0o1000;
const USER: u32 = 0o700;
const GROUP: u32 = 0o070;
const OTHERS: u32 = 0o007;
const READ: u32 = 0o444;
const WRITE: u32 = 0o222;
const EXECUTE: u32 = 0o111;
/// Every bit chmod changes.
const ALL: u32 = 0o7777;

/// Where a change takes its bits from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// The bits given (`r`, `w`, `x`, `s`, `t`).
    Given,
    /// As given, with every execute bit when some execute bit is set or the file is a
    /// directory (`X`).
    ExecuteIfAny,
    /// The file's own bits of one class, copied to the others (`u`, `g`, `o`).
    Copy,
}

/// One operator of a clause, such as the `+x` of `go+x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Change {
    op: u8,
    source: Source,
    /// The bits of the classes named before the operator (0: none named).
    affected: u32,
    value: u32,
    /// Bits set explicitly, which a directory does not keep from its old mode.
    mentioned: u32,
}

/// A parsed mode: the changes in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mode {
    changes: Vec<Change>,
}

/// The text is not a mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidMode;

/// Parses an octal or symbolic mode.
pub fn parse(text: &str) -> Result<Mode, InvalidMode> {
    if text.starts_with(|char: char| char.is_digit(8)) {
        return octal(text);
    }
    let mut changes = Vec::new();
    for clause in text.split(',') {
        let bytes = clause.as_bytes();
        let mut at = 0;
        let mut affected = 0;
        while let Some(&who) = bytes.get(at) {
            affected |= match who {
                b'u' => SET_UID | USER,
                b'g' => SET_GID | GROUP,
                b'o' => STICKY | OTHERS,
                b'a' => ALL,
                _ => break,
            };
            at += 1;
        }
        if !matches!(bytes.get(at), Some(b'=' | b'+' | b'-')) {
            return Err(InvalidMode);
        }
        while let Some(&op @ (b'=' | b'+' | b'-')) = bytes.get(at) {
            at += 1;
            let (source, value) = match bytes.get(at) {
                Some(b'u') => (Source::Copy, USER),
                Some(b'g') => (Source::Copy, GROUP),
                Some(b'o') => (Source::Copy, OTHERS),
                _ => {
                    let mut source = Source::Given;
                    let mut value = 0;
                    while let Some(&permission) = bytes.get(at) {
                        value |= match permission {
                            b'r' => READ,
                            b'w' => WRITE,
                            b'x' => EXECUTE,
                            b's' => SET_UID | SET_GID,
                            b't' => STICKY,
                            b'X' => {
                                source = Source::ExecuteIfAny;
                                0
                            }
                            _ => break,
                        };
                        at += 1;
                    }
                    (source, value)
                }
            };
            if source == Source::Copy {
                at += 1;
            }
            let mentioned = if affected == 0 { value } else { affected & value };
            changes.push(Change { op, source, affected, value, mentioned });
        }
        if at != bytes.len() {
            return Err(InvalidMode);
        }
    }
    Ok(Mode { changes })
}

/// `755`: `a=` those bits; with fewer than five digits a directory keeps its
/// set-user-ID and set-group-ID bits unless the mode sets them.
fn octal(text: &str) -> Result<Mode, InvalidMode> {
    if !text.bytes().all(|byte| (b'0'..=b'7').contains(&byte)) {
        return Err(InvalidMode);
    }
    let digits = text.trim_start_matches('0');
    let value = if digits.len() > 4 { ALL + 1 } else { u32::from_str_radix(digits, 8).unwrap_or(0) };
    if value > ALL {
        return Err(InvalidMode);
    }
    let mentioned = if text.len() < 5 { (value & (SET_UID | SET_GID)) | STICKY | 0o777 } else { ALL };
    Ok(Mode { changes: vec![Change { op: b'=', source: Source::Given, affected: ALL, value, mentioned }] })
}

impl Mode {
    /// The permission bits (07777) of a file whose mode was `old` after the change;
    /// a symbolic clause that names no class leaves out the bits set in `umask`.
    pub fn apply(&self, old: u32, directory: bool, umask: u32) -> u32 {
        let mut mode = old & ALL;
        for change in &self.changes {
            let omit = if directory { (SET_UID | SET_GID) & !change.mentioned } else { 0 };
            let mut value = change.value;
            match change.source {
                Source::Given => {}
                Source::ExecuteIfAny => {
                    if mode & EXECUTE != 0 || directory {
                        value |= EXECUTE;
                    }
                }
                Source::Copy => {
                    value &= mode;
                    let copied = |bits: u32| if value & bits != 0 { bits } else { 0 };
                    value |= copied(READ) | copied(WRITE) | copied(EXECUTE);
                }
            }
            value &= if change.affected != 0 { change.affected } else { !umask } & !omit;
            mode = match change.op {
                b'=' => {
                    let preserved = if change.affected != 0 { !change.affected } else { 0 } | omit;
                    (mode & preserved) | value
                }
                b'+' => mode | value,
                _ => mode & !value,
            };
        }
        mode
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn apply(text: &str, old: u32) -> u32 {
        parse(text).unwrap().apply(old, false, 0o022)
    }

    #[test]
    fn octal_modes() {
        assert_eq!(apply("755", 0o4000), 0o755);
        assert_eq!(apply("0", 0o777), 0);
        assert_eq!(apply("4755", 0), 0o4755);
        assert_eq!(parse("2755").unwrap().apply(0o4000, true, 0), 0o6755);
        assert_eq!(parse("755").unwrap().apply(0o2700, true, 0), 0o2755);
        assert_eq!(parse("00755").unwrap().apply(0o2700, true, 0), 0o755);
        assert_eq!(parse("17777"), Err(InvalidMode));
        assert_eq!(parse("000000000644").unwrap().apply(0, false, 0), 0o644);
        assert_eq!(parse("78"), Err(InvalidMode));
    }

    #[test]
    fn symbolic_modes() {
        assert_eq!(apply("u+x", 0o644), 0o744);
        assert_eq!(apply("go-w", 0o666), 0o644);
        assert_eq!(apply("a=r", 0o777), 0o444);
        assert_eq!(apply("u=rwx,g=rx,o=", 0o000), 0o750);
        assert_eq!(apply("+x", 0o644), 0o755);
        assert_eq!(apply("+w", 0o444), 0o644, "the umask keeps w from group and others");
        assert_eq!(apply("=", 0o777), 0, "= with no class clears all, setting none");
        assert_eq!(apply("=rw", 0o777), 0o644);
        assert_eq!(apply("u=g", 0o650), 0o550);
        assert_eq!(apply("o=u", 0o640), 0o646);
        assert_eq!(apply("g+u", 0o700), 0o770);
        assert_eq!(apply("u+s,g+s", 0o755), 0o6755);
        assert_eq!(apply("o+t", 0o777), 0o1777);
        assert_eq!(apply("+t", 0o777), 0o1777);
        assert_eq!(apply("u+t", 0o700), 0o700, "t is only for others");
        assert_eq!(apply("a-x+r", 0o311), 0o644);
        assert_eq!(apply("u-w=rx", 0o600), 0o500);
        assert_eq!(apply("ug=rw,o-rwx", 0o777), 0o660);
    }

    #[test]
    fn capital_x() {
        assert_eq!(apply("a+X", 0o644), 0o644);
        assert_eq!(apply("a+X", 0o744), 0o755);
        assert_eq!(parse("a+X").unwrap().apply(0o600, true, 0), 0o711);
        assert_eq!(parse("go=X").unwrap().apply(0o700, false, 0), 0o711);
    }

    #[test]
    fn directories_keep_their_set_id_bits() {
        assert_eq!(parse("u=rwx").unwrap().apply(0o4700, true, 0), 0o4700);
        assert_eq!(parse("u=rwx").unwrap().apply(0o4700, false, 0), 0o700);
        assert_eq!(parse("u=rwxs").unwrap().apply(0o700, true, 0), 0o4700);
        assert_eq!(parse("u-s").unwrap().apply(0o4700, true, 0), 0o700);
    }

    #[test]
    fn invalid_modes() {
        for text in ["", "u", "z+x", "u+q", "u+x,", ",u+x", "u+x y", "+ug", "a=rwxX8", "8", "u+gr"] {
            assert_eq!(parse(text), Err(InvalidMode), "{text:?}");
        }
    }

    /// A mode computed one class at a time (`u`, `g`, `o`) with the rwx bits as a
    /// triplet, plus the special bits: the model the parser is checked against.
    fn model(clauses: &[(Vec<char>, char, String)], old: u32, directory: bool, umask: u32) -> u32 {
        let mut mode = old & ALL;
        for (who, op, perms) in clauses {
            let classes: Vec<usize> = if who.is_empty() || who.contains(&'a') {
                vec![0, 1, 2]
            } else {
                [('u', 0), ('g', 1), ('o', 2)].iter().filter(|(c, _)| who.contains(c)).map(|&(_, i)| i).collect()
            };
            let any_execute = mode & EXECUTE != 0;
            let snapshot = mode;
            for class in 0..3 {
                let shift = 6 - 3 * class;
                let named = classes.contains(&class);
                if !named {
                    continue;
                }
                let triplet_of = |bits: u32, from: usize| (bits >> (6 - 3 * from)) & 7;
                let mut triplet = match perms.as_str() {
                    "u" => triplet_of(snapshot, 0),
                    "g" => triplet_of(snapshot, 1),
                    "o" => triplet_of(snapshot, 2),
                    letters => {
                        let mut bits = 0;
                        for letter in letters.chars() {
                            bits |= match letter {
                                'r' => 4,
                                'w' => 2,
                                'x' => 1,
                                'X' if any_execute || directory => 1,
                                _ => 0,
                            };
                        }
                        bits
                    }
                };
                let special_bit = [SET_UID, SET_GID, STICKY][class];
                let special_letter = ['s', 's', 't'][class];
                let mut special = perms.contains(special_letter) && !matches!(perms.as_str(), "u" | "g" | "o");
                if who.is_empty() {
                    triplet &= !(umask >> shift) & 7;
                    special &= umask & special_bit == 0;
                }
                let keeps_special = directory && class < 2 && !special;
                let current = (mode >> shift) & 7;
                let new_triplet = match op {
                    '+' => current | triplet,
                    '-' => current & !triplet,
                    _ => triplet,
                };
                mode = (mode & !(7 << shift)) | (new_triplet << shift);
                let has = mode & special_bit != 0;
                let new_special = match op {
                    '+' => has || special,
                    '-' => has && !special,
                    _ if keeps_special => has,
                    _ => special,
                };
                mode = if new_special { mode | special_bit } else { mode & !special_bit };
            }
        }
        mode
    }

    fn clause() -> impl Strategy<Value = (Vec<char>, char, String)> {
        (
            proptest::collection::vec(prop::sample::select(vec!['u', 'g', 'o', 'a']), 0..3),
            prop::sample::select(vec!['+', '-', '=']),
            prop_oneof![
                proptest::collection::vec(prop::sample::select(vec!['r', 'w', 'x', 'X', 's', 't']), 0..4)
                    .prop_map(|letters| letters.into_iter().collect::<String>()),
                prop::sample::select(vec!["u".to_string(), "g".to_string(), "o".to_string()]),
            ],
        )
    }

    proptest! {
        #[test]
        fn symbolic_modes_match_the_model(
            clauses in proptest::collection::vec(clause(), 1..4),
            old in 0u32..0o10000,
            directory: bool,
            umask in 0u32..0o1000,
        ) {
            let text: Vec<String> =
                clauses.iter().map(|(who, op, perms)| format!("{}{op}{perms}", who.iter().collect::<String>())).collect();
            let mode = parse(&text.join(",")).unwrap();
            prop_assert_eq!(mode.apply(old, directory, umask), model(&clauses, old, directory, umask));
        }

        #[test]
        fn octal_modes_are_their_value(value in 0u32..0o10000, old in 0u32..0o10000) {
            prop_assert_eq!(parse(&format!("{value:05o}")).unwrap().apply(old, true, 0o777), value);
            prop_assert_eq!(parse(&format!("{value:o}")).unwrap().apply(old, false, 0o777), value);
        }

        #[test]
        fn any_text_parses_or_not(text in "[ugoa+=,rwxXst01789 -]{0,12}") {
            if let Ok(mode) = parse(&text) {
                prop_assert!(mode.apply(0o7777, false, 0) <= ALL);
            }
        }
    }
}
