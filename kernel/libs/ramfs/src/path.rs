//! Path text: Linux's limits on names and paths, and splitting a path into its
//! components. Pure byte-string logic; resolving components to inodes is `Tree::lookup`.

use kabi::Errno;

/// The longest name of one directory entry, in bytes (Linux's `NAME_MAX`).
pub const NAME_MAX: usize = 255;

/// Linux's `PATH_MAX`: the size of the longest path including its terminating NUL, so
/// a path text must be shorter than this.
pub const PATH_MAX: usize = 4096;

/// Whether `path` starts at the root.
pub fn is_absolute(path: &[u8]) -> bool {
    path.first() == Some(&b'/')
}

/// Checks a path given to a syscall as Linux does before resolving it: an empty path is
/// `ENOENT`, one of `PATH_MAX` bytes or more is `ENAMETOOLONG`.
pub fn check_path(path: &[u8]) -> Result<(), Errno> {
    if path.is_empty() {
        Err(Errno::ENOENT)
    } else if path.len() >= PATH_MAX {
        Err(Errno::ENAMETOOLONG)
    } else {
        Ok(())
    }
}

/// Checks one component about to be looked up in a directory: longer than `NAME_MAX`
/// is `ENAMETOOLONG`.
pub fn check_name(name: &[u8]) -> Result<(), Errno> {
    if name.len() > NAME_MAX { Err(Errno::ENAMETOOLONG) } else { Ok(()) }
}

/// Splits the first component off `path`, skipping the slashes before it. Returns the
/// component and the text after it (which is empty or starts with a slash), or `None`
/// when `path` is empty or all slashes.
pub fn split_first_component(path: &[u8]) -> Option<(&[u8], &[u8])> {
    let start = path.iter().position(|&byte| byte != b'/')?;
    let path = &path[start..];
    let end = path.iter().position(|&byte| byte == b'/').unwrap_or(path.len());
    Some(path.split_at(end))
}

/// Whether no component is left in `rest` (it is empty or all slashes): the component
/// before it was the last one.
pub fn is_final(rest: &[u8]) -> bool {
    rest.iter().all(|&byte| byte == b'/')
}

/// The components of `path` in order, without empty ones (`.` and `..` are kept).
pub fn components(path: &[u8]) -> impl Iterator<Item = &[u8]> {
    path.split(|&byte| byte == b'/').filter(|component| !component.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_paths_start_with_a_slash() {
        assert!(is_absolute(b"/"));
        assert!(is_absolute(b"//a"));
        assert!(!is_absolute(b"a/b"));
        assert!(!is_absolute(b""));
    }

    #[test]
    fn path_limits_are_linux_limits() {
        assert_eq!(check_path(b""), Err(Errno::ENOENT));
        assert_eq!(check_path(&[b'a'; PATH_MAX - 1]), Ok(()));
        assert_eq!(check_path(&[b'a'; PATH_MAX]), Err(Errno::ENAMETOOLONG));
        assert_eq!(check_name(&[b'a'; NAME_MAX]), Ok(()));
        assert_eq!(check_name(&[b'a'; NAME_MAX + 1]), Err(Errno::ENAMETOOLONG));
    }

    #[test]
    fn first_component_skips_leading_slashes() {
        assert_eq!(split_first_component(b"a/b"), Some((&b"a"[..], &b"/b"[..])));
        assert_eq!(split_first_component(b"///a//b/"), Some((&b"a"[..], &b"//b/"[..])));
        assert_eq!(split_first_component(b"name"), Some((&b"name"[..], &b""[..])));
        assert_eq!(split_first_component(b"../x"), Some((&b".."[..], &b"/x"[..])));
        assert_eq!(split_first_component(b"///"), None);
        assert_eq!(split_first_component(b""), None);
    }

    #[test]
    fn final_means_only_slashes_remain() {
        assert!(is_final(b""));
        assert!(is_final(b"//"));
        assert!(!is_final(b"/a"));
    }

    #[test]
    fn components_drop_empty_ones() {
        let all: Vec<&[u8]> = components(b"./a//b/../c/").collect();
        assert_eq!(all, [&b"."[..], b"a", b"b", b"..", b"c"]);
        assert_eq!(components(b"//").count(), 0);
    }
}
