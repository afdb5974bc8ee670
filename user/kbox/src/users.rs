//! User and group names from /etc/passwd and /etc/group, when they exist (`ls -l`,
//! `id`, `stat`, `ps -f`); without them every id is shown as its number.
use std::fs;

/// The two account databases' text (empty when a file is missing).
#[derive(Debug, Default)]
pub struct Accounts {
    passwd: String,
    group: String,
}

/// The `name:password:id:...` entries of a database, as (name, id, line fields).
fn entries(database: &str) -> impl Iterator<Item = (&str, u32, Vec<&str>)> {
    database.lines().filter_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        let id = fields.get(2)?.parse().ok()?;
        Some((fields[0], id, fields))
    })
}

impl Accounts {
    pub fn load() -> Self {
        let read = |path| fs::read_to_string(path).unwrap_or_default();
        Self { passwd: read("/etc/passwd"), group: read("/etc/group") }
    }

    #[cfg(test)]
    pub fn from_text(passwd: &str, group: &str) -> Self {
        Self { passwd: passwd.to_owned(), group: group.to_owned() }
    }

    pub fn user_name(&self, uid: u32) -> Option<&str> {
        entries(&self.passwd).find(|&(_, id, _)| id == uid).map(|(name, _, _)| name)
    }

    pub fn group_name(&self, gid: u32) -> Option<&str> {
        entries(&self.group).find(|&(_, id, _)| id == gid).map(|(name, _, _)| name)
    }

    /// The user's name, or its number when it has none.
    pub fn user_or_number(&self, uid: u32) -> String {
        self.user_name(uid).map_or_else(|| uid.to_string(), str::to_owned)
    }

    /// The group's name, or its number when it has none.
    pub fn group_or_number(&self, gid: u32) -> String {
        self.group_name(gid).map_or_else(|| gid.to_string(), str::to_owned)
    }

    /// A user's uid and primary gid, by name.
    pub fn user(&self, name: &str) -> Option<(u32, u32)> {
        entries(&self.passwd).find(|(user, _, _)| *user == name).and_then(|(_, uid, fields)| {
            let gid = fields.get(3)?.parse().ok()?;
            Some((uid, gid))
        })
    }

    /// A group's gid, by name.
    pub fn group(&self, name: &str) -> Option<u32> {
        entries(&self.group).find(|(group, _, _)| *group == name).map(|(_, gid, _)| gid)
    }

    /// The groups that list `name` as a member.
    pub fn supplementary_groups(&self, name: &str) -> Vec<u32> {
        entries(&self.group)
            .filter(|(_, _, fields)| {
                fields.get(3).is_some_and(|members| members.split(',').any(|member| member == name))
            })
            .map(|(_, gid, _)| gid)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\nbroken line\nuser:x:1000:100::/home/user:/bin/sh\n";
    const GROUP: &str = "root:x:0:\nusers:x:100:\nwheel:x:10:root,user\n";

    #[test]
    fn names_by_id() {
        let accounts = Accounts::from_text(PASSWD, GROUP);
        assert_eq!(accounts.user_name(1000), Some("user"));
        assert_eq!(accounts.group_name(10), Some("wheel"));
        assert_eq!(accounts.user_or_number(5), "5");
        assert_eq!(accounts.group_or_number(0), "root");
    }

    #[test]
    fn users_by_name() {
        let accounts = Accounts::from_text(PASSWD, GROUP);
        assert_eq!(accounts.user("user"), Some((1000, 100)));
        assert_eq!(accounts.user("nobody"), None);
        assert_eq!(accounts.supplementary_groups("user"), [10]);
        assert_eq!(accounts.supplementary_groups("root"), [10]);
        assert_eq!(accounts.group("wheel"), Some(10));
        assert_eq!(accounts.group("user"), None);
    }

    #[test]
    fn no_databases() {
        let accounts = Accounts::default();
        assert_eq!(accounts.user_name(0), None);
        assert_eq!(accounts.user_or_number(0), "0");
    }
}
