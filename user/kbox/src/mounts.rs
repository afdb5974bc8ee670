//! The mount table as /proc/mounts and /etc/fstab write it (`SOURCE TARGET TYPE
//! OPTIONS ...`, with `\040`-style octal escapes), for `mount`, `umount` and `df`.
use std::fs;
use std::io;

/// One line of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub source: String,
    pub target: String,
    pub fs_type: String,
    pub options: String,
}

/// `\040` and the like as the characters they stand for.
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let octal = bytes.get(at + 1..at + 4).filter(|digits| digits.iter().all(|digit| (b'0'..=b'7').contains(digit)));
        match (bytes[at], octal) {
            (b'\\', Some(digits)) => {
                out.push(digits.iter().fold(0u8, |value, digit| value.wrapping_mul(8) + (digit - b'0')));
                at += 4;
            }
            (byte, _) => {
                out.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The entries of a table's text; blank lines and `#` comments are skipped, a
/// missing options field is `defaults`.
pub fn parse(text: &str) -> Vec<Mount> {
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .filter_map(|line| {
            let mut fields = line.split_whitespace().map(unescape);
            Some(Mount {
                source: fields.next()?,
                target: fields.next()?,
                fs_type: fields.next()?,
                options: fields.next().unwrap_or_else(|| "defaults".into()),
            })
        })
        .collect()
}

/// A directory named on a command line as mount tables name it: absolute, without
/// symbolic links (as it is, when it does not exist).
pub fn canonical(name: &str) -> String {
    fs::canonicalize(name).map_or_else(|_| name.to_owned(), |path| path.to_string_lossy().into_owned())
}

/// The mounts now, from /proc/mounts.
pub fn current() -> io::Result<Vec<Mount>> {
    fs::read_to_string("/proc/mounts").map(|text| parse(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables() {
        let text = "# comment\n\nproc /proc proc rw,relatime 0 0\nmy\\040disk /mnt/a\\134b tmpfs rw 0 0\nnone /x tmpfs\nshort\n";
        let mounts = parse(text);
        assert_eq!(mounts.len(), 3);
        assert_eq!(
            mounts[0],
            Mount {
                source: "proc".into(),
                target: "/proc".into(),
                fs_type: "proc".into(),
                options: "rw,relatime".into()
            }
        );
        assert_eq!((mounts[1].source.as_str(), mounts[1].target.as_str()), ("my disk", "/mnt/a\\b"));
        assert_eq!(mounts[2].options, "defaults");
    }

    #[test]
    fn names_become_canonical() {
        let here = std::env::current_dir().unwrap();
        assert_eq!(canonical("."), here.to_string_lossy());
        assert_eq!(canonical("/nonexistent/x"), "/nonexistent/x");
        assert_eq!(canonical("scratch-device"), "scratch-device");
    }

    #[test]
    fn this_machine_has_mounts() {
        assert!(current().unwrap().iter().any(|mount| mount.target == "/"));
    }
}
