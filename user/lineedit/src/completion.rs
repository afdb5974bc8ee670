//! Tab completion's choices: the common prefix of the candidates, and the list
//! shown on a second Tab.

use crate::common_prefix_length;

/// The longest prefix (whole characters) shared by all `words`.
pub(crate) fn common_prefix(words: &[String]) -> String {
    let Some((first, rest)) = words.split_first() else {
        return String::new();
    };
    let length = rest.iter().fold(first.len(), |length, word| common_prefix_length(&first[..length], word));
    first[..length].into()
}

/// How a candidate is listed: the part after its last `/` (a directory keeps its
/// trailing `/`).
pub(crate) fn display_name(candidate: &str) -> &str {
    let trimmed = candidate.strip_suffix('/').unwrap_or(candidate);
    trimmed.rfind('/').map_or(candidate, |slash| &candidate[slash + 1..])
}

/// `candidates` in columns (down, then across) fitting `width`, each row ending in
/// `\r\n`.
pub(crate) fn list(candidates: &[String], width: usize) -> String {
    let names: Vec<&str> = candidates.iter().map(|candidate| display_name(candidate)).collect();
    let column = names.iter().map(|name| name.chars().count()).max().unwrap_or(0) + 2;
    let columns = (width / column).max(1);
    let rows = names.len().div_ceil(columns);
    let mut text = String::new();
    for row in 0..rows {
        let mut line = String::new();
        for name in names.iter().skip(row).step_by(rows) {
            line += name;
            line.extend(std::iter::repeat_n(' ', column - name.chars().count()));
        }
        text += line.trim_end();
        text += "\r\n";
    }
    text
}
