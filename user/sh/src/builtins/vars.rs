//! Builtins of variables and parameters: `export` and `readonly` (with `-p`),
//! `unset [-v|-f]`, `local`, `set` (options, `-o`, `--`, positional parameters),
//! `shift [n]` and `getopts`.
use shparse::is_name;

use crate::options::Options;
use crate::shell::{STATUS_USAGE, Shell};

/// One step of `getopts`: what it sets the variable, OPTARG (`None`: unset) and
/// OPTIND to, and where in the argument the next option is.
#[derive(Debug, PartialEq, Eq)]
pub struct GetoptsStep {
    pub option: String,
    pub argument: Option<String>,
    pub index: usize,
    pub place: usize,
    /// What to report (when the option string does not start with `:`).
    pub complaint: Option<String>,
}

/// `getopts` for `optstring` over `args` at argument `index` (OPTIND, from 1) and
/// character `place` in it.
pub fn getopts_step(optstring: &str, args: &[String], index: usize, place: usize) -> Option<GetoptsStep> {
    let arg = args.get(index.checked_sub(1)?)?;
    if place <= 1 && (!arg.starts_with('-') || arg == "-" || arg == "--") {
        return None;
    }
    let place = place.max(1);
    let chars: Vec<char> = arg.chars().collect();
    let option = *chars.get(place)?;
    let silent = optstring.starts_with(':');
    let spec = optstring.trim_start_matches(':');
    let (next_index, next_place) = if place + 1 < chars.len() { (index, place + 1) } else { (index + 1, 1) };
    let Some(at) = spec.find(option).filter(|_| option != ':') else {
        return Some(GetoptsStep {
            option: "?".into(),
            argument: silent.then(|| option.to_string()),
            index: next_index,
            place: next_place,
            complaint: (!silent).then(|| format!("Illegal option -{option}")),
        });
    };
    if !spec[at + option.len_utf8()..].starts_with(':') {
        return Some(GetoptsStep {
            option: option.into(),
            argument: Some(String::new()),
            index: next_index,
            place: next_place,
            complaint: None,
        });
    }
    if place + 1 < chars.len() {
        let argument: String = chars[place + 1..].iter().collect();
        return Some(GetoptsStep {
            option: option.into(),
            argument: Some(argument),
            index: index + 1,
            place: 1,
            complaint: None,
        });
    }
    match args.get(index) {
        Some(argument) => Some(GetoptsStep {
            option: option.into(),
            argument: Some(argument.clone()),
            index: index + 2,
            place: 1,
            complaint: None,
        }),
        None => Some(GetoptsStep {
            option: if silent { ":".into() } else { "?".into() },
            argument: silent.then(|| option.to_string()),
            index: index + 1,
            place: 1,
            complaint: (!silent).then(|| format!("No arg for -{option} option")),
        }),
    }
}

impl Shell {
    /// `export` (`readonly` when `readonly`): marks names, with values when given.
    pub(super) fn export(&mut self, args: &[String], readonly: bool) -> i32 {
        let name = if readonly { "readonly" } else { "export" };
        let args = args.strip_prefix(&["--".to_string()]).unwrap_or(args);
        if args.is_empty() || args == ["-p"] {
            let listing = self.vars.marked_listing(name, readonly);
            return self.print_lines(name, listing);
        }
        for arg in args {
            let (variable, value) = match arg.split_once('=') {
                Some((variable, value)) => (variable, Some(value)),
                None => (arg.as_str(), None),
            };
            if !is_name(variable) {
                return self.fatal(format_args!("{name}: {variable}: bad variable name"), STATUS_USAGE);
            }
            if let Some(value) = value
                && let Err(message) = self.vars.set(variable, value)
            {
                return self.fatal(format_args!("{name}: {message}"), STATUS_USAGE);
            }
            if readonly {
                self.vars.make_readonly(variable);
            } else {
                self.vars.export(variable);
            }
        }
        0
    }

    pub(super) fn unset(&mut self, args: &[String]) -> i32 {
        let (functions, names) = match args.first().map(String::as_str) {
            Some("-f") => (true, &args[1..]),
            Some("-v") => (false, &args[1..]),
            _ => (false, args),
        };
        for name in names {
            if functions {
                self.functions.remove(name);
            } else if let Err(message) = self.vars.unset(name) {
                return self.fatal(format_args!("unset: {message}"), STATUS_USAGE);
            }
        }
        0
    }

    /// `local name[=value]...`: in a function, variables put back when it returns.
    pub(super) fn local(&mut self, args: &[String]) -> i32 {
        if self.locals.is_empty() {
            return self.fail("local: not in a function", STATUS_USAGE);
        }
        for arg in args {
            let (name, value) = match arg.split_once('=') {
                Some((name, value)) => (name, Some(value)),
                None => (arg.as_str(), None),
            };
            if !is_name(name) {
                return self.fail(format_args!("local: {name}: bad variable name"), STATUS_USAGE);
            }
            let saved = self.vars.save(name);
            if let Some(frame) = self.locals.last_mut()
                && !frame.iter().any(|(known, _)| known == name)
            {
                frame.push((name.into(), saved));
            }
            if let Some(value) = value
                && let Err(message) = self.vars.set(name, value)
            {
                return self.fail(format_args!("local: {message}"), 1);
            }
        }
        0
    }

    pub(super) fn set(&mut self, args: &[String]) -> i32 {
        if args.is_empty() {
            let listing = self.vars.listing();
            return self.print_lines("set", listing);
        }
        let mut args = args;
        while let Some(arg) = args.first() {
            let on = match arg.chars().next() {
                Some('-') => true,
                Some('+') => false,
                _ => break,
            };
            args = &args[1..];
            if arg == "--" {
                self.set_positional(args);
                return 0;
            }
            if arg == "-" || arg == "+" {
                break;
            }
            for letter in arg.chars().skip(1) {
                let letter = if letter == 'o' {
                    let Some(name) = args.first() else {
                        let lines = if on { self.options.listing() } else { self.options.commands() };
                        return self.print_lines("set", lines);
                    };
                    args = &args[1..];
                    match Options::letter(name) {
                        Ok(letter) => letter,
                        Err(message) => return self.fatal(format_args!("set: {message}"), STATUS_USAGE),
                    }
                } else {
                    letter
                };
                if let Err(message) = self.set_option(letter, on) {
                    return self.fatal(format_args!("set: {message}"), STATUS_USAGE);
                }
            }
        }
        if !args.is_empty() {
            self.set_positional(args);
        }
        0
    }

    fn set_option(&mut self, letter: char, on: bool) -> Result<(), String> {
        if letter == 'i' || letter == 's' {
            return Err(format!("-{letter}: invalid option"));
        }
        self.options.set(letter, on)?;
        if letter == 'a' {
            self.vars.allexport = on;
        }
        Ok(())
    }

    fn set_positional(&mut self, args: &[String]) {
        self.args.truncate(1);
        self.args.extend(args.iter().cloned());
    }

    pub(super) fn shift(&mut self, args: &[String]) -> i32 {
        let count = match args.first().map(|arg| arg.parse::<usize>()) {
            None => 1,
            Some(Ok(count)) => count,
            Some(Err(_)) => return self.fatal(format_args!("shift: Illegal number: {}", args[0]), STATUS_USAGE),
        };
        let positional = self.args.len().saturating_sub(1);
        if count > positional {
            return self.fatal("shift: can't shift that many", STATUS_USAGE);
        }
        self.args.drain(1..1 + count);
        0
    }

    pub(super) fn getopts(&mut self, args: &[String]) -> i32 {
        let [optstring, name, operands @ ..] = args else {
            return self.fail("getopts: usage: getopts optstring var [arg]", STATUS_USAGE);
        };
        let operands =
            if operands.is_empty() { self.args.get(1..).unwrap_or_default().to_vec() } else { operands.to_vec() };
        let optind = self.vars.get("OPTIND").unwrap_or("1").to_string();
        let (seen, place) = self.getopts_place.clone();
        let place = if seen == optind { place } else { 1 };
        let index = optind.parse::<usize>().unwrap_or(1).max(1);
        let step = getopts_step(optstring, &operands, index, place);
        let (option, status) = match step {
            Some(step) => {
                if let Some(complaint) = &step.complaint {
                    self.fail(format_args!("getopts: {complaint}"), 1);
                }
                match &step.argument {
                    Some(argument) => {
                        let _ = self.vars.set("OPTARG", argument);
                    }
                    None => {
                        let _ = self.vars.unset("OPTARG");
                    }
                }
                let optind = step.index.to_string();
                let _ = self.vars.set("OPTIND", &optind);
                self.getopts_place = (optind, step.place);
                (step.option, 0)
            }
            None => {
                let next = if operands.get(index - 1).is_some_and(|arg| arg == "--") { index + 1 } else { index };
                let optind = next.to_string();
                let _ = self.vars.set("OPTIND", &optind);
                self.getopts_place = (optind, 1);
                ("?".into(), 1)
            }
        };
        if let Err(message) = self.vars.set(name, &option) {
            return self.fail(format_args!("getopts: {message}"), 1);
        }
        status
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|word| word.to_string()).collect()
    }

    fn step(
        optstring: &str,
        words: &[&str],
        index: usize,
        place: usize,
    ) -> Option<(String, Option<String>, usize, usize)> {
        getopts_step(optstring, &args(words), index, place)
            .map(|step| (step.option, step.argument, step.index, step.place))
    }

    #[test]
    fn options_one_by_one() {
        let words = ["-ab", "-c", "x", "-cy", "file"];
        assert_eq!(step("abc:", &words, 1, 1), Some(("a".into(), Some(String::new()), 1, 2)));
        assert_eq!(step("abc:", &words, 1, 2), Some(("b".into(), Some(String::new()), 2, 1)));
        assert_eq!(step("abc:", &words, 2, 1), Some(("c".into(), Some("x".into()), 4, 1)));
        assert_eq!(step("abc:", &words, 4, 1), Some(("c".into(), Some("y".into()), 5, 1)));
        assert_eq!(step("abc:", &words, 5, 1), None);
        assert_eq!(step("abc:", &["--", "-a"], 1, 1), None);
        assert_eq!(step("abc:", &["-"], 1, 1), None);
    }

    #[test]
    fn unknown_options_and_missing_arguments() {
        let unknown = getopts_step("a", &args(&["-z"]), 1, 1).unwrap();
        assert_eq!((unknown.option.as_str(), unknown.complaint.as_deref()), ("?", Some("Illegal option -z")));
        assert_eq!(step(":a", &["-z"], 1, 1), Some(("?".into(), Some("z".into()), 2, 1)));
        assert_eq!(step(":a:", &["-a"], 1, 1), Some((":".into(), Some("a".into()), 2, 1)));
        let missing = getopts_step("a:", &args(&["-a"]), 1, 1).unwrap();
        assert_eq!((missing.option.as_str(), missing.complaint.as_deref()), ("?", Some("No arg for -a option")));
    }
}
