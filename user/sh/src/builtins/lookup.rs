//! What names mean: `command [-p] [-v|-V] name [args]`, `type name...`, and the
//! aliases (`alias [name[=value]...]`, `unalias [-a] name...`).
use ulib::process::is_executable_file;

use crate::builtins::Builtin;
use crate::lookup::{DEFAULT_PATH, find_program};
use crate::shell::{STATUS_USAGE, Shell};
use crate::simple::{Found, STATUS_NOT_FOUND};
use crate::vars::quote;

/// The reserved words, for `type` and `command -V`.
const KEYWORDS: [&str; 16] =
    ["!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if", "in", "then", "until", "while"];

impl Shell {
    /// How `command -V` and `type` describe `name`, and for `command -v` the word
    /// that names it; `None` when it is nothing.
    fn describe(&self, name: &str) -> Option<(String, String)> {
        if KEYWORDS.contains(&name) {
            return Some((format!("{name} is a shell keyword"), name.into()));
        }
        if let Some(value) = self.aliases.get(name) {
            return Some((format!("{name} is an alias for {value}"), format!("alias {name}={}", quote(value))));
        }
        match self.find(name) {
            Found::Special(_) => Some((format!("{name} is a special shell builtin"), name.into())),
            Found::Function(_) => Some((format!("{name} is a shell function"), name.into())),
            Found::Builtin(_) => Some((format!("{name} is a shell builtin"), name.into())),
            Found::Program => {
                let path = find_program(name, self.vars.get("PATH"), is_executable_file)?;
                let path = path.to_string_lossy().into_owned();
                if !std::path::Path::new(&path).exists() {
                    return None;
                }
                Some((format!("{name} is {path}"), path))
            }
        }
    }

    pub(super) fn type_builtin(&mut self, args: &[String]) -> i32 {
        let mut status = 0;
        let mut lines = Vec::new();
        for name in args {
            match self.describe(name) {
                Some((description, _)) => lines.push(description),
                None => {
                    lines.push(format!("{name}: not found"));
                    status = STATUS_NOT_FOUND;
                }
            }
        }
        let written = self.print_lines("type", lines);
        if written != 0 { written } else { status }
    }

    pub(super) fn command(&mut self, args: &[String]) -> i32 {
        let mut args = args;
        let mut verbose = None;
        let mut default_path = false;
        while let Some(option) = args.first().filter(|arg| arg.starts_with('-') && arg.len() > 1) {
            if option == "--" {
                args = &args[1..];
                break;
            }
            for char in option.chars().skip(1) {
                match char {
                    'v' => verbose = Some(false),
                    'V' => verbose = Some(true),
                    'p' => default_path = true,
                    _ => return self.fail(format_args!("command: -{char}: invalid option"), STATUS_USAGE),
                }
            }
            args = &args[1..];
        }
        let Some(name) = args.first() else {
            return 0;
        };
        if let Some(verbose) = verbose {
            return match self.describe(name) {
                Some((description, word)) => {
                    let line = if verbose { description } else { word };
                    self.print("command", &format!("{line}\n"))
                }
                None if verbose => self.fail(format_args!("{name}: not found"), STATUS_NOT_FOUND),
                None => 1,
            };
        }
        if let Some(builtin) = Builtin::named(name) {
            return self.run_builtin(builtin, args);
        }
        let saved_path = default_path.then(|| {
            let saved = self.vars.save("PATH");
            let _ = self.vars.set("PATH", DEFAULT_PATH);
            saved
        });
        let argv = args.to_vec();
        let status = self.spawn(name, false, |shell| shell.exec_program(&argv, &[]));
        if let Some(saved) = saved_path {
            self.vars.restore("PATH", saved);
        }
        status
    }

    pub(super) fn alias(&mut self, args: &[String]) -> i32 {
        if args.is_empty() {
            let lines: Vec<String> =
                self.aliases.iter().map(|(name, value)| format!("{name}={}", quote(value))).collect();
            return self.print_lines("alias", lines);
        }
        let mut status = 0;
        for arg in args {
            match arg.split_once('=') {
                Some((name, value)) => {
                    self.aliases.insert(name.into(), value.into());
                }
                None => match self.aliases.get(arg) {
                    Some(value) => {
                        let line = format!("{arg}={}\n", quote(value));
                        status |= self.print("alias", &line);
                    }
                    None => status = self.fail(format_args!("alias: {arg} not found"), 1),
                },
            }
        }
        status
    }

    pub(super) fn unalias(&mut self, args: &[String]) -> i32 {
        if args.first().is_some_and(|arg| arg == "-a") {
            self.aliases.clear();
            return 0;
        }
        let mut status = 0;
        for name in args {
            if self.aliases.remove(name).is_none() {
                status = self.fail(format_args!("unalias: {name} not found"), 1);
            }
        }
        status
    }
}
