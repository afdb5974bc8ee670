//! Shell variables: values, which are exported to the environment of the programs
//! the shell starts, and which are read-only. A name can be exported or made
//! read-only before it has a value; it reaches the environment once it has one.
use std::collections::BTreeMap;
use std::ffi::CString;

/// `value` in single quotes (a `'` inside as `'\''`), as dash's `set` and `export
/// -p` print values, for the shell to read back.
pub fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// One variable.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Var {
    pub value: Option<String>,
    pub exported: bool,
    pub readonly: bool,
}

#[derive(Debug, Default, Clone)]
pub struct Vars {
    map: BTreeMap<String, Var>,
    /// `set -a`: every variable set is exported.
    pub allexport: bool,
}

fn read_only(name: &str) -> String {
    format!("{name}: is read only")
}

impl Vars {
    /// Variables from an environment: all exported.
    pub fn from_environment(environment: impl IntoIterator<Item = (String, String)>) -> Self {
        let map = environment
            .into_iter()
            .map(|(name, value)| (name, Var { value: Some(value), exported: true, readonly: false }))
            .collect();
        Self { map, allexport: false }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.map.get(name)?.value.as_deref()
    }

    /// Sets `name`; a read-only one refuses.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        let allexport = self.allexport;
        let var = self.map.entry(name.into()).or_default();
        if var.readonly {
            return Err(read_only(name));
        }
        var.value = Some(value.into());
        var.exported |= allexport;
        Ok(())
    }

    pub fn export(&mut self, name: &str) {
        self.map.entry(name.into()).or_default().exported = true;
    }

    pub fn make_readonly(&mut self, name: &str) {
        self.map.entry(name.into()).or_default().readonly = true;
    }

    pub fn unset(&mut self, name: &str) -> Result<(), String> {
        if self.map.get(name).is_some_and(|var| var.readonly) {
            return Err(read_only(name));
        }
        self.map.remove(name);
        Ok(())
    }

    /// The variable as it is now, to put back with [`Vars::restore`].
    pub fn save(&self, name: &str) -> Option<Var> {
        self.map.get(name).cloned()
    }

    pub fn restore(&mut self, name: &str, var: Option<Var>) {
        match var {
            Some(var) => self.map.insert(name.into(), var),
            None => self.map.remove(name),
        };
    }

    /// The environment for a program: `NAME=value` for each exported variable with a
    /// value, with `extra` (a command's own assignments) added or replacing.
    pub fn environment(&self, extra: &[(String, String)]) -> Vec<CString> {
        self.exported(extra)
            .into_iter()
            .filter_map(|(name, value)| CString::new(format!("{name}={value}")).ok())
            .collect()
    }

    /// The exported variables with values, with `extra` added or replacing.
    pub fn exported(&self, extra: &[(String, String)]) -> Vec<(String, String)> {
        let mut environment: BTreeMap<&str, &str> = self
            .map
            .iter()
            .filter(|(_, var)| var.exported)
            .filter_map(|(name, var)| Some((name.as_str(), var.value.as_deref()?)))
            .collect();
        environment.extend(extra.iter().map(|(name, value)| (name.as_str(), value.as_str())));
        environment.into_iter().map(|(name, value)| (name.to_string(), value.to_string())).collect()
    }

    /// `set`'s listing: `NAME='value'` for every variable with a value, sorted.
    pub fn listing(&self) -> Vec<String> {
        self.map.iter().filter_map(|(name, var)| Some(format!("{name}={}", quote(var.value.as_deref()?)))).collect()
    }

    /// `export -p` or `readonly -p`: `PREFIX NAME='value'` for each variable so marked.
    pub fn marked_listing(&self, prefix: &str, readonly: bool) -> Vec<String> {
        self.map
            .iter()
            .filter(|(_, var)| if readonly { var.readonly } else { var.exported })
            .map(|(name, var)| match &var.value {
                Some(value) => format!("{prefix} {name}={}", quote(value)),
                None => format!("{prefix} {name}"),
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
        assert_eq!(quote("/usr/bin"), "'/usr/bin'");
        assert_eq!(quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn the_environment_is_exported() {
        let mut vars = vars();
        vars.set("LOCAL", "x").unwrap();
        assert_eq!(environment(&vars, &[]), ["HOME=/root", "PATH=/bin"]);
        vars.export("LOCAL");
        assert_eq!(environment(&vars, &[]), ["HOME=/root", "LOCAL=x", "PATH=/bin"]);
        vars.export("LATER");
        assert_eq!(environment(&vars, &[]).len(), 3);
        vars.allexport = true;
        vars.set("AUTO", "1").unwrap();
        assert!(environment(&vars, &[]).contains(&"AUTO=1".to_string()));
    }

    #[test]
    fn command_assignments_add_and_replace() {
        let vars = vars();
        let extra = [("PATH".to_string(), "/x".to_string()), ("NEW".into(), "1".into())];
        assert_eq!(environment(&vars, &extra), ["HOME=/root", "NEW=1", "PATH=/x"]);
    }

    #[test]
    fn read_only_variables_refuse_changes() {
        let mut vars = vars();
        vars.set("R", "1").unwrap();
        vars.make_readonly("R");
        assert_eq!(vars.set("R", "2"), Err("R: is read only".into()));
        assert_eq!(vars.unset("R"), Err("R: is read only".into()));
        assert_eq!(vars.get("R"), Some("1"));
        assert_eq!(vars.marked_listing("readonly", true), ["readonly R='1'"]);
    }

    #[test]
    fn saving_and_restoring() {
        let mut vars = vars();
        let saved = vars.save("HOME");
        let absent = vars.save("NEW");
        vars.set("HOME", "/tmp").unwrap();
        vars.set("NEW", "1").unwrap();
        vars.restore("HOME", saved);
        vars.restore("NEW", absent);
        assert_eq!((vars.get("HOME"), vars.get("NEW")), (Some("/root"), None));
    }

    #[test]
    fn listings() {
        let mut vars = vars();
        vars.set("GREETING", "hello world").unwrap();
        vars.export("UNSET");
        assert_eq!(vars.listing(), ["GREETING='hello world'", "HOME='/root'", "PATH='/bin'"]);
        assert_eq!(vars.marked_listing("export", false), ["export HOME='/root'", "export PATH='/bin'", "export UNSET"]);
    }
}
