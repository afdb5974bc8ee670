//! Expansion, as the shell does it: `shparse`'s expansions given the shell's
//! variables and parameters, the file system for pathnames and home directories,
//! and command substitution run in a forked copy of the shell whose output is read
//! through a pipe. An expansion error is reported and ends a non-interactive shell.
use std::fs;
use std::io::Read as _;

use shparse::ast::{List, Word};
use shparse::expand::{self, Env, ExpandError};
use shparse::glob::Dirs;
use ulib::diag::report_error;
use ulib::fd;
use ulib::process::{self, Fork};

use crate::shell::{PROGRAM, STATUS_USAGE, Shell};

impl Dirs for Shell {
    fn entries(&self, dir: &str) -> Vec<String> {
        let Ok(entries) = fs::read_dir(if dir.is_empty() { "." } else { dir }) else {
            return Vec::new();
        };
        let names = entries.filter_map(|entry| entry.ok()?.file_name().into_string().ok());
        [".".to_string(), "..".to_string()].into_iter().chain(names).collect()
    }

    fn exists(&self, path: &str) -> bool {
        fs::symlink_metadata(path).is_ok()
    }
}

/// The home directory of `user` from /etc/passwd.
fn home_of(user: &str) -> Option<String> {
    let passwd = fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.len() >= 6 && fields[0] == user).then(|| fields[5].to_string())
    })
}

impl Env for Shell {
    fn var(&self, name: &str) -> Option<String> {
        self.param(name)
    }

    fn positional(&self) -> Vec<String> {
        self.args.get(1..).unwrap_or_default().to_vec()
    }

    fn assign(&mut self, name: &str, value: &str) -> Result<(), String> {
        Shell::assign(self, name, value)
    }

    fn substitute(&mut self, list: &List) -> String {
        let (mut reader, writer) = match std::io::pipe() {
            Ok(pipe) => pipe,
            Err(err) => {
                report_error(PROGRAM, "pipe", &err);
                return String::new();
            }
        };
        match process::fork() {
            Ok(Fork::Child) => {
                drop(reader);
                self.enter_subshell(false);
                if let Err(err) = fd::install(writer.into(), 1) {
                    report_error(PROGRAM, "pipe", &err);
                    process::exit_immediately(1);
                }
                self.run_list(list);
                let status = self.exit_status();
                process::exit_immediately(status);
            }
            Ok(Fork::Parent { child }) => {
                drop(writer);
                let mut output = Vec::new();
                let _ = reader.read_to_end(&mut output);
                drop(reader);
                let status = self.wait_for_pid(child);
                self.substitution_status = Some(status);
                String::from_utf8_lossy(&output).into_owned()
            }
            Err(err) => {
                report_error(PROGRAM, "fork", &err);
                String::new()
            }
        }
    }

    fn home(&self, user: &str) -> Option<String> {
        if user.is_empty() { self.vars.get("HOME").map(String::from) } else { home_of(user) }
    }

    fn nounset(&self) -> bool {
        self.options.is_set('u')
    }

    fn noglob(&self) -> bool {
        self.options.is_set('f')
    }
}

impl Shell {
    fn expansion_error(&mut self, err: ExpandError) {
        self.fatal(err, STATUS_USAGE);
    }

    /// The fields of `words`; `None` after reporting an error.
    pub fn fields(&mut self, words: &[Word]) -> Option<Vec<String>> {
        expand::expand_fields(words, self).map_err(|err| self.expansion_error(err)).ok()
    }

    /// `word` as one string; `None` after reporting an error.
    pub fn string(&mut self, word: &Word) -> Option<String> {
        expand::expand_string(word, self).map_err(|err| self.expansion_error(err)).ok()
    }

    /// `word` as a pattern; `None` after reporting an error.
    pub fn pattern(&mut self, word: &Word) -> Option<String> {
        expand::expand_pattern(word, self).map_err(|err| self.expansion_error(err)).ok()
    }

    /// The prompt variable `name` (PS1, PS2, PS4) after parameter expansion.
    pub fn expand_prompt(&mut self, name: &str) -> String {
        let text = self.vars.get(name).unwrap_or_default().to_string();
        self.expand_text(&text)
    }

    /// `text` expanded as if in double quotes (PS4, ENV); as it is when it does
    /// not parse or expand. `$?` stays.
    pub fn expand_text(&mut self, text: &str) -> String {
        self.expand_inside_quotes(&text.replace('"', "\\\"")).unwrap_or_else(|| text.to_string())
    }

    /// `inside` expanded as the inside of a double-quoted word (its own `"` already
    /// quoted); `None` when it does not parse or expand. `$?` stays.
    pub fn expand_inside_quotes(&mut self, inside: &str) -> Option<String> {
        let list = shparse::parse(&format!("\"{inside}\"")).ok()?;
        let [item] = &list.items[..] else {
            return None;
        };
        let [shparse::ast::Command::Simple(simple)] = &item.and_or.first.commands[..] else {
            return None;
        };
        let [word] = &simple.words[..] else {
            return None;
        };
        let status = self.status;
        let expanded = expand::expand_string(word, self).ok();
        self.status = status;
        expanded
    }
}
