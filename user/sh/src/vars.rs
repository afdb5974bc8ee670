//! Shell variables: values, and which of them are exported to the environment of
//! the programs the shell starts. A name can be exported before it has a value
//! (`export NAME`); it reaches the environment once it has one.
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::CString;

/// `value` quoted so the shell reads it back as it is: bare when it is plain,
/// else in single quotes (a `'` inside as `'\''`).
pub fn quote(value: &str) -> String {
    let plain = |char: char| char.is_ascii_alphanumeric() || "%+,-./:=@_".contains(char);
    if !value.is_empty() && value.chars().all(plain) {
        value.into()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

#[derive(Debug, Default, Clone)]
pub struct Vars {
    values: BTreeMap<String, String>,
    exported: BTreeSet<String>,
}

impl Vars {
    /// Variables from an environment: all exported.
    pub fn from_environment(environment: impl IntoIterator<Item = (String, String)>) -> Self {
        let values: BTreeMap<String, String> = environment.into_iter().collect();
        let exported = values.keys().cloned().collect();
        Self { values, exported }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    pub fn set(&mut self, name: &str, value: &str) {
        self.values.insert(name.into(), value.into());
    }

    pub fn export(&mut self, name: &str) {
        self.exported.insert(name.into());
    }

    pub fn unset(&mut self, name: &str) {
        self.values.remove(name);
        self.exported.remove(name);
    }

    /// The environment for a program: `NAME=value` for each exported variable with a
    /// value, with `extra` (a command's own assignments) added or replacing.
    pub fn environment(&self, extra: &[(String, String)]) -> Vec<CString> {
        let mut environment: BTreeMap<&str, &str> = self
            .exported
            .iter()
            .filter_map(|name| self.values.get(name).map(|value| (name.as_str(), value.as_str())))
            .collect();
        environment.extend(extra.iter().map(|(name, value)| (name.as_str(), value.as_str())));
        environment.into_iter().filter_map(|(name, value)| CString::new(format!("{name}={value}")).ok()).collect()
    }

    /// `set`'s listing: `NAME=value` for every variable, sorted, values quoted.
    pub fn listing(&self) -> Vec<String> {
        self.values.iter().map(|(name, value)| format!("{name}={}", quote(value))).collect()
    }

    /// `export`'s listing: `export NAME=value` for every exported variable.
    pub fn export_listing(&self) -> Vec<String> {
        self.exported
            .iter()
            .map(|name| match self.values.get(name) {
                Some(value) => format!("export {name}={}", quote(value)),
                None => format!("export {name}"),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vars {
        Vars::from_environment([("HOME".to_string(), "/root".to_string()), ("PATH".into(), "/bin".into())])
    }

    fn environment(vars: &Vars, extra: &[(String, String)]) -> Vec<String> {
        vars.environment(extra).into_iter().map(|entry| entry.into_string().unwrap()).collect()
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("/usr/bin:/bin"), "/usr/bin:/bin");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("$x*"), "'$x*'");
    }

    #[test]
    fn the_environment_is_exported() {
        let mut vars = vars();
        assert_eq!(environment(&vars, &[]), ["HOME=/root", "PATH=/bin"]);
        vars.set("LOCAL", "x");
        assert_eq!(environment(&vars, &[]), ["HOME=/root", "PATH=/bin"]);
        vars.export("LOCAL");
        assert_eq!(environment(&vars, &[]), ["HOME=/root", "LOCAL=x", "PATH=/bin"]);
    }

    #[test]
    fn exported_before_set() {
        let mut vars = vars();
        vars.export("LATER");
        assert_eq!(environment(&vars, &[]).len(), 2);
        assert!(vars.export_listing().contains(&"export LATER".to_string()));
        vars.set("LATER", "now");
        assert!(environment(&vars, &[]).contains(&"LATER=now".to_string()));
    }

    #[test]
    fn command_assignments_add_and_replace() {
        let vars = vars();
        let extra = [("PATH".to_string(), "/x".to_string()), ("NEW".into(), "1".into())];
        assert_eq!(environment(&vars, &extra), ["HOME=/root", "NEW=1", "PATH=/x"]);
        assert_eq!(vars.get("PATH"), Some("/bin"));
    }

    #[test]
    fn unset_removes_value_and_export() {
        let mut vars = vars();
        vars.unset("HOME");
        assert_eq!(vars.get("HOME"), None);
        vars.set("HOME", "/x");
        assert_eq!(environment(&vars, &[]), ["PATH=/bin"]);
    }

    #[test]
    fn listings() {
        let mut vars = vars();
        vars.set("GREETING", "hello world");
        assert_eq!(vars.listing(), ["GREETING='hello world'", "HOME=/root", "PATH=/bin"]);
        assert_eq!(vars.export_listing(), ["export HOME=/root", "export PATH=/bin"]);
    }
}
