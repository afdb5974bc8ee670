//! Extended attributes: the tmpfs keeps none, and [`missing`] is what looking one
//! up (getxattr, removexattr) gives, as for a Linux tmpfs file that has none.
use kabi::Errno;

/// Namespaces a Linux tmpfs has handlers for: a prefix (ending in `.`) or a
/// whole name.
const HANDLED: [&[u8]; 5] =
    [b"user.", b"trusted.", b"security.", b"system.posix_acl_access", b"system.posix_acl_default"];

/// The error for attribute `name` (already checked to be 1 to XATTR_NAME_MAX
/// bytes) of a file that has no attributes: ENODATA in a namespace the tmpfs
/// handles, EINVAL for a bare prefix (`user.`), EOPNOTSUPP (no handler) for any
/// other name (Linux's `xattr_resolve_name`).
pub fn missing(name: &[u8]) -> Errno {
    for handled in HANDLED {
        if handled.ends_with(b".") && name.starts_with(handled) {
            return if name.len() == handled.len() { Errno::EINVAL } else { Errno::ENODATA };
        }
        if name == handled {
            return Errno::ENODATA;
        }
    }
    Errno::EOPNOTSUPP
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handled_namespaces_have_no_data_others_no_handler() {
        for name in ["user.mime_type", "trusted.overlay", "security.selinux", "system.posix_acl_access"] {
            assert_eq!(missing(name.as_bytes()), Errno::ENODATA, "{name}");
        }
        for name in ["user.", "security."] {
            assert_eq!(missing(name.as_bytes()), Errno::EINVAL, "{name}");
        }
        for name in ["system.posix_acl_accessx", "system.other", "os2.name", "name", "USER.x"] {
            assert_eq!(missing(name.as_bytes()), Errno::EOPNOTSUPP, "{name}");
        }
    }
}
