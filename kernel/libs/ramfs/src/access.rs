//! Who is asking and what they may do: [`Credentials`], the [`Access`] wanted, and
//! Linux's permission rules (`generic_permission`): the owner's, the group's or the
//! others' bits, with root (uid 0, all capabilities) reading and writing anything and
//! executing anything with an execute bit, and searching any directory.

/// The file-system identity of a caller: Linux's fsuid, fsgid and supplementary groups.
/// uid 0 has every capability (`CAP_DAC_OVERRIDE`, `CAP_FOWNER`, `CAP_CHOWN`,
/// `CAP_FSETID`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credentials<'a> {
    pub uid: u32,
    pub gid: u32,
    pub groups: &'a [u32],
}

impl Credentials<'static> {
    /// The superuser with group 0 and no supplementary groups.
    pub const ROOT: Credentials<'static> = Credentials { uid: 0, gid: 0, groups: &[] };
}

impl Credentials<'_> {
    pub(crate) fn is_root(&self) -> bool {
        self.uid == 0
    }

    /// Whether `gid` is the caller's group or one of its supplementary groups
    /// (`in_group_p`).
    pub(crate) fn in_group(&self, gid: u32) -> bool {
        self.gid == gid || self.groups.contains(&gid)
    }

    /// Whether the caller owns an inode owned by `uid` or may act as its owner
    /// (`inode_owner_or_capable`: `CAP_FOWNER`).
    pub(crate) fn owns(&self, uid: u32) -> bool {
        self.is_root() || self.uid == uid
    }

    /// Whether the caller is in group `gid` or may act as if it were
    /// (`in_group_or_capable`: `CAP_FSETID`).
    pub(crate) fn in_group_or_root(&self, gid: u32) -> bool {
        self.is_root() || self.in_group(gid)
    }
}

/// The kinds of access a check asks for (`MAY_READ`, `MAY_WRITE`, `MAY_EXEC`); for a
/// directory, execute is search.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Access {
    pub read: bool,
    pub write: bool,
    pub execute: bool,
}

impl Access {
    pub const READ: Access = Access { read: true, write: false, execute: false };
    pub const WRITE: Access = Access { read: false, write: true, execute: false };
    pub const EXECUTE: Access = Access { read: false, write: false, execute: true };
    /// What changing a directory's entries takes: write and search.
    pub(crate) const WRITE_SEARCH: Access = Access { read: false, write: true, execute: true };
}

/// Whether `credentials` may have `want` on an inode with permission bits `permissions`
/// owned by `uid`:`gid`. Only one class of bits applies: the owner's for the owner
/// (even if the group's or others' would allow more), else the group's for a member,
/// else the others'. Root may read and write anything, and execute a directory or a
/// file with any execute bit.
pub fn permitted(
    credentials: &Credentials<'_>,
    want: Access,
    permissions: u32,
    uid: u32,
    gid: u32,
    is_directory: bool,
) -> bool {
    if credentials.is_root() {
        return !want.execute || is_directory || permissions & 0o111 != 0;
    }
    let bits = if credentials.uid == uid {
        permissions >> 6
    } else if credentials.in_group(gid) {
        permissions >> 3
    } else {
        permissions
    };
    (!want.read || bits & 0o4 != 0) && (!want.write || bits & 0o2 != 0) && (!want.execute || bits & 0o1 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER: Credentials<'static> = Credentials { uid: 1000, gid: 100, groups: &[20] };
    const RW: Access = Access { read: true, write: true, execute: false };

    #[test]
    fn exactly_one_class_of_bits_applies() {
        // Owner 1000: rw for the owner only.
        assert!(permitted(&USER, RW, 0o600, 1000, 0, false));
        assert!(!permitted(&USER, Access::EXECUTE, 0o600, 1000, 0, false));
        // The owner gets the owner's bits even when others may do more.
        assert!(!permitted(&USER, Access::READ, 0o077, 1000, 100, false));
        // Group 100 is the caller's group, 20 a supplementary one.
        assert!(permitted(&USER, Access::READ, 0o040, 0, 100, false));
        assert!(permitted(&USER, Access::WRITE, 0o020, 0, 20, false));
        assert!(!permitted(&USER, Access::READ, 0o407, 0, 100, false), "a member gets the group's bits");
        // Others.
        assert!(permitted(&USER, Access::EXECUTE, 0o001, 0, 0, false));
        assert!(!permitted(&USER, Access::READ, 0o770, 0, 0, false));
        assert!(permitted(&USER, Access::default(), 0, 0, 0, false), "asking for nothing");
    }

    #[test]
    fn root_reads_and_writes_anything_and_executes_with_any_x_bit() {
        let root = Credentials::ROOT;
        assert!(permitted(&root, RW, 0, 1000, 1000, false));
        assert!(!permitted(&root, Access::EXECUTE, 0o666, 1000, 1000, false));
        assert!(permitted(&root, Access::EXECUTE, 0o001, 1000, 1000, false));
        assert!(permitted(&root, Access::EXECUTE, 0o000, 1000, 1000, true), "search any directory");
    }

    #[test]
    fn group_membership_and_ownership() {
        assert!(USER.in_group(100) && USER.in_group(20) && !USER.in_group(0));
        assert!(USER.owns(1000) && !USER.owns(0) && Credentials::ROOT.owns(1000));
        assert!(Credentials::ROOT.in_group_or_root(5) && !USER.in_group_or_root(5));
    }
}
