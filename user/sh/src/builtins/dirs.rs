//! The current directory and the file mode mask: `cd [-L|-P] [dir|-]` (with
//! CDPATH, and PWD kept logical unless `-P`), `pwd [-L|-P]` and `umask [-S] [mode]`.
use std::env;

use crate::shell::Shell;

/// `path` (absolute) with `.` and `..` components and repeated slashes resolved
/// as text, as `cd -L` does.
pub fn lexical(path: &str) -> String {
    let mut components: Vec<&str> = Vec::new();
    for component in path.split('/') {
        match component {
            "" | "." => {}
            ".." => {
                components.pop();
            }
            component => components.push(component),
        }
    }
    format!("/{}", components.join("/"))
}

/// `umask -S`'s symbolic form of `mask`: `u=rwx,g=rx,o=rx`.
fn symbolic(mask: u32) -> String {
    let allowed = !mask & 0o777;
    ["u", "g", "o"]
        .iter()
        .enumerate()
        .map(|(index, who)| {
            let bits = allowed >> (6 - 3 * index) & 7;
            let letters: String =
                [(4, 'r'), (2, 'w'), (1, 'x')].iter().filter(|(bit, _)| bits & bit != 0).map(|(_, c)| c).collect();
            format!("{who}={letters}")
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The mask a symbolic mode (`u=rwx,g=rx,o=`, `g-w`, `a+r`, `u=g`) makes of `mask`:
/// the mode applies to the permissions the mask allows, as chmod's to a file's.
fn apply_symbolic(mask: u32, mode: &str) -> Option<u32> {
    let allowed = ulib::mode::parse(mode).ok()?.apply(!mask & 0o777, false, 0);
    Some(!allowed & 0o777)
}

impl Shell {
    pub(super) fn cd(&mut self, args: &[String]) -> i32 {
        let mut physical = false;
        let mut args = args;
        while let Some(option) = args.first().filter(|arg| arg.starts_with('-') && arg.len() > 1 && *arg != "--") {
            if option.chars().skip(1).any(|char| !matches!(char, 'L' | 'P')) {
                break;
            }
            physical = option.ends_with('P');
            args = &args[1..];
        }
        let args = args.strip_prefix(&["--".to_string()]).unwrap_or(args);
        let (operand, mut print) = match args {
            [] => match self.vars.get("HOME").filter(|home| !home.is_empty()) {
                Some(home) => (home.to_string(), false),
                None => return self.fail("cd: HOME not set", 1),
            },
            [dash] if dash == "-" => match self.vars.get("OLDPWD") {
                Some(old) => (old.to_string(), true),
                None => return self.fail("cd: OLDPWD not set", 1),
            },
            [directory] => (directory.clone(), false),
            _ => return self.fail("cd: too many arguments", 1),
        };
        let mut candidates = Vec::new();
        let relative = !operand.starts_with('/') && !operand.starts_with("./") && !operand.starts_with("../");
        if relative && operand != "." && operand != ".." {
            for directory in self.vars.get("CDPATH").unwrap_or_default().split(':').filter(|dir| !dir.is_empty()) {
                candidates.push((format!("{}/{operand}", directory.trim_end_matches('/')), true));
            }
        }
        candidates.push((operand.clone(), false));
        let current = self.vars.get("PWD").map(String::from).filter(|pwd| pwd.starts_with('/'));
        for (candidate, from_cdpath) in candidates {
            let logical = match &current {
                Some(pwd) if !physical && !candidate.starts_with('/') => lexical(&format!("{pwd}/{candidate}")),
                _ if !physical => lexical(&candidate),
                _ => candidate.clone(),
            };
            if env::set_current_dir(&logical).is_err() && (physical || env::set_current_dir(&candidate).is_err()) {
                continue;
            }
            let new = if physical {
                env::current_dir().map_or(logical, |dir| dir.to_string_lossy().into_owned())
            } else {
                logical
            };
            if let Some(old) = current.clone() {
                let _ = self.vars.set("OLDPWD", &old);
                self.vars.export("OLDPWD");
            }
            let _ = self.vars.set("PWD", &new);
            self.vars.export("PWD");
            print |= from_cdpath;
            return if print { self.print("cd", &format!("{new}\n")) } else { 0 };
        }
        let reason = match env::set_current_dir(&operand) {
            Err(err) => ulib::diag::error_text(&err),
            Ok(()) => "No such file or directory".into(),
        };
        self.fail(format_args!("cd: {operand}: {reason}"), 2)
    }

    pub(super) fn pwd(&mut self, args: &[String]) -> i32 {
        let physical = args.last().is_some_and(|arg| arg == "-P");
        let current = env::current_dir().map(|dir| dir.to_string_lossy().into_owned());
        let logical = self.vars.get("PWD").filter(|pwd| {
            pwd.starts_with('/') && std::fs::canonicalize(pwd).ok() == current.as_ref().ok().map(|dir| dir.into())
        });
        match (physical, logical, current) {
            (false, Some(pwd), _) => {
                let pwd = pwd.to_string();
                self.print("pwd", &format!("{pwd}\n"))
            }
            (_, _, Ok(directory)) => self.print("pwd", &format!("{directory}\n")),
            (_, _, Err(err)) => self.fail(format_args!("pwd: {}", ulib::diag::error_text(&err)), 1),
        }
    }

    pub(super) fn umask(&mut self, args: &[String]) -> i32 {
        let symbolic_output = args.first().is_some_and(|arg| arg == "-S");
        let args = if symbolic_output { &args[1..] } else { args };
        let current = ulib::process::umask(0);
        ulib::process::umask(current);
        let Some(mode) = args.first() else {
            let text = if symbolic_output { symbolic(current) } else { format!("{current:04o}") };
            return self.print("umask", &format!("{text}\n"));
        };
        let mask = if mode.bytes().all(|byte| byte.is_ascii_digit()) {
            u32::from_str_radix(mode, 8).ok().filter(|&mask| mask <= 0o777)
        } else {
            apply_symbolic(current, mode)
        };
        match mask {
            Some(mask) => {
                ulib::process::umask(mask);
                0
            }
            None => self.fail(format_args!("umask: Illegal mode: {mode}"), 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn lexical_paths() {
        assert_eq!(lexical("/usr/../tmp"), "/tmp");
        assert_eq!(lexical("/a/./b//c/.."), "/a/b");
        assert_eq!(lexical("/.."), "/");
        assert!(Path::new(&lexical("/")).is_absolute());
    }

    #[test]
    fn symbolic_masks() {
        assert_eq!(symbolic(0o022), "u=rwx,g=rx,o=rx");
        assert_eq!(symbolic(0o077), "u=rwx,g=,o=");
        assert_eq!(apply_symbolic(0o022, "g-r"), Some(0o062));
        assert_eq!(apply_symbolic(0o022, "u=rwx,g=rx,o="), Some(0o027));
        assert_eq!(apply_symbolic(0o077, "a+r"), Some(0o033));
        assert_eq!(apply_symbolic(0o022, "u=g"), Some(0o222));
        assert_eq!(apply_symbolic(0o022, "+w"), Some(0));
        assert_eq!(apply_symbolic(0o022, "z+r"), None);
    }
}
