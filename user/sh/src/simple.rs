//! Simple commands (XCU 2.9.1): the words expanded, then the command found — a
//! special builtin, a function, a regular builtin, or a program on PATH — and run
//! with its redirections and assignments. Assignments before a special builtin
//! stay; before a function or regular builtin they last while it runs; before a
//! program they are only in its environment. Alone, they set shell variables.
use std::ffi::CString;
use std::io;
use std::path::Path;
use std::rc::Rc;

use shparse::ast::{FunctionBody, Simple};
use ulib::diag::{report, report_error};
use ulib::process::{self, is_executable_file};

use crate::builtins::Builtin;
use crate::input::Input;
use crate::lookup::find_program;
use crate::shell::{Flow, PROGRAM, STATUS_USAGE, Shell};
use crate::vars::{Var, Vars};

/// `$?` when a program cannot be found, or is found but cannot be executed.
pub const STATUS_NOT_FOUND: i32 = 127;
pub const STATUS_NOT_EXECUTABLE: i32 = 126;

/// How deeply functions (and `.` scripts) may call each other, as in dash.
pub const MAX_CALLS: usize = 1000;

/// What a command name names.
pub enum Found {
    Special(Builtin),
    Function(Rc<FunctionBody>),
    Builtin(Builtin),
    Program,
}

impl Shell {
    /// What `name` runs, in POSIX's order.
    pub fn find(&self, name: &str) -> Found {
        match Builtin::named(name) {
            Some(builtin) if builtin.is_special() => Found::Special(builtin),
            builtin => match self.functions.get(name) {
                Some(body) => Found::Function(body.clone()),
                None => builtin.map_or(Found::Program, Found::Builtin),
            },
        }
    }

    /// The assignments' names and expanded values; `None` after an error.
    fn assignment_values(&mut self, command: &Simple) -> Option<Vec<(String, String)>> {
        let mut values = Vec::with_capacity(command.assignments.len());
        for assignment in &command.assignments {
            values.push((assignment.name.clone(), self.string(&assignment.value)?));
        }
        Some(values)
    }

    /// `set -x`: the command as it runs, after PS4.
    fn trace(&mut self, assignments: &[(String, String)], argv: &[String]) {
        if !self.options.is_set('x') {
            return;
        }
        let words: Vec<String> =
            assignments.iter().map(|(name, value)| format!("{name}={value}")).chain(argv.iter().cloned()).collect();
        let line = format!("{}{}\n", self.expand_prompt("PS4"), words.join(" "));
        let _ = ulib::fd::write_all(2, line.as_bytes());
    }

    /// Sets `assignments` (exported) until [`Shell::unassign`] puts back what they were.
    fn assign_for_now(&mut self, assignments: &[(String, String)]) -> Result<Vec<(String, Option<Var>)>, String> {
        let mut saved = Vec::with_capacity(assignments.len());
        for (name, value) in assignments {
            saved.push((name.clone(), self.vars.save(name)));
            if let Err(message) = self.vars.set(name, value) {
                self.unassign(saved);
                return Err(message);
            }
            self.vars.export(name);
        }
        Ok(saved)
    }

    fn unassign(&mut self, saved: Vec<(String, Option<Var>)>) {
        for (name, var) in saved.into_iter().rev() {
            self.vars.restore(&name, var);
        }
    }

    /// Runs a simple command; returns its status.
    pub fn run_simple(&mut self, command: &Simple, text: &str) -> i32 {
        self.run_simple_as(command, text, false)
    }

    /// In a forked child, as the last thing it does: a program replaces the process;
    /// anything else runs, then the child exits with its status.
    pub fn run_simple_last(&mut self, command: &Simple) -> i32 {
        self.status = self.run_simple_as(command, "", true);
        self.exit_status()
    }

    /// A simple command; `last`: in a child that has nothing else to do, so that a
    /// program is executed without another fork.
    fn run_simple_as(&mut self, command: &Simple, text: &str, last: bool) -> i32 {
        self.substitution_status = None;
        let Some(argv) = self.fields(&command.words) else {
            return self.status;
        };
        let special = argv.first().and_then(|name| Builtin::named(name)).filter(|builtin| builtin.is_special());
        if argv.is_empty() || special.is_some() {
            // Assignments that stay are made left to right, each seeing the last.
            for assignment in &command.assignments {
                let Some(value) = self.string(&assignment.value) else {
                    return self.status;
                };
                self.trace(&[(assignment.name.clone(), value.clone())], &[]);
                if let Err(message) = self.assign(&assignment.name, &value) {
                    return self.fatal(message, STATUS_USAGE);
                }
            }
        }
        let Some(name) = argv.first() else {
            return match self.redirect(&command.redirects, true) {
                Ok(saved) => {
                    self.restore(saved);
                    self.substitution_status.unwrap_or(0)
                }
                Err(message) => self.fail(message, STATUS_USAGE),
            };
        };
        let assignments = if special.is_some() {
            Vec::new()
        } else {
            match self.assignment_values(command) {
                Some(assignments) => assignments,
                None => return self.status,
            }
        };
        self.trace(&assignments, &argv);
        match self.find(name) {
            Found::Special(builtin) => {
                let keep = builtin == Builtin::Exec;
                let saved = match self.redirect(&command.redirects, !keep) {
                    Ok(saved) => saved,
                    Err(message) => return self.fatal(message, STATUS_USAGE),
                };
                let status = self.run_builtin(builtin, &argv);
                self.restore(saved);
                status
            }
            Found::Function(body) => {
                self.with_assignments(&assignments, &command.redirects, |shell| shell.call_function(&body, &argv))
            }
            Found::Builtin(builtin) => {
                self.with_assignments(&assignments, &command.redirects, |shell| shell.run_builtin(builtin, &argv))
            }
            Found::Program if last => match self.redirect(&command.redirects, false) {
                Ok(_) => self.exec_program(&argv, &assignments),
                Err(message) => self.fail(message, STATUS_USAGE),
            },
            Found::Program => {
                let redirects = &command.redirects;
                self.spawn(text, false, |shell| match shell.redirect(redirects, false) {
                    Ok(_) => shell.exec_program(&argv, &assignments),
                    Err(message) => {
                        report(PROGRAM, message);
                        STATUS_USAGE
                    }
                })
            }
        }
    }

    /// Runs `body` with `assignments` in effect and `redirects` applied, undoing both.
    fn with_assignments(
        &mut self,
        assignments: &[(String, String)],
        redirects: &[shparse::ast::Redirect],
        body: impl FnOnce(&mut Self) -> i32,
    ) -> i32 {
        let saved_vars = match self.assign_for_now(assignments) {
            Ok(saved) => saved,
            Err(message) => return self.fatal(message, STATUS_USAGE),
        };
        let status = match self.redirect(redirects, true) {
            Ok(saved) => {
                let status = body(self);
                self.restore(saved);
                status
            }
            Err(message) => self.fail(message, STATUS_USAGE),
        };
        self.unassign(saved_vars);
        status
    }

    /// Reports `message` (unless empty: reported already) and returns `status`.
    pub fn fail(&mut self, message: impl std::fmt::Display, status: i32) -> i32 {
        let message = message.to_string();
        if !message.is_empty() {
            report(PROGRAM, message);
        }
        status
    }

    /// Calls a function with `argv`'s operands as its positional parameters.
    pub fn call_function(&mut self, body: &FunctionBody, argv: &[String]) -> i32 {
        if self.calls >= MAX_CALLS {
            return self.fatal(format_args!("Maximum function recursion depth ({MAX_CALLS}) reached"), STATUS_USAGE);
        }
        let name = self.args.first().cloned().unwrap_or_default();
        let saved_args = std::mem::replace(&mut self.args, std::iter::once(name).chain(argv[1..].to_vec()).collect());
        let saved_loops = std::mem::take(&mut self.loops);
        self.calls += 1;
        self.locals.push(Vec::new());
        let mut status = self.run_compound(&body.body, &body.redirects);
        if self.flow == Some(Flow::Return) {
            self.flow = None;
            status = self.status;
        }
        for (name, var) in self.locals.pop().unwrap_or_default().into_iter().rev() {
            self.vars.restore(&name, var);
        }
        self.calls -= 1;
        self.loops = saved_loops;
        self.args = saved_args;
        status
    }

    /// Replaces this (forked) process by the program `argv` names; returns only
    /// the status to exit with when that fails (after saying why). A file the
    /// kernel cannot execute is run as a script by this shell, as POSIX says.
    pub fn exec_program(&mut self, argv: &[String], assignments: &[(String, String)]) -> i32 {
        let name = &argv[0];
        let Some(program) = find_program(name, self.vars.get("PATH"), is_executable_file) else {
            report(PROGRAM, format_args!("{name}: command not found"));
            return STATUS_NOT_FOUND;
        };
        let (Ok(path), Ok(args)) = (
            CString::new(program.as_os_str().as_encoded_bytes()),
            argv.iter().map(|arg| CString::new(arg.as_bytes())).collect::<Result<Vec<_>, _>>(),
        ) else {
            report(PROGRAM, format_args!("{name}: an argument holds a NUL character"));
            return STATUS_NOT_EXECUTABLE;
        };
        let err = process::execve(&path, &args, &self.vars.environment(assignments));
        if err.raw_os_error() == Some(libc::ENOEXEC) {
            return self.run_script_file(&program.to_string_lossy(), argv[1..].to_vec(), assignments);
        }
        if Path::new(&program).is_dir() {
            report(PROGRAM, format_args!("{name}: Is a directory"));
            return STATUS_NOT_EXECUTABLE;
        }
        report_error(PROGRAM, name, &err);
        if err.kind() == io::ErrorKind::NotFound { STATUS_NOT_FOUND } else { STATUS_NOT_EXECUTABLE }
    }

    /// A file without a binary format, run as a script by a fresh shell with the
    /// exported variables (and `assignments`).
    fn run_script_file(&mut self, path: &str, args: Vec<String>, assignments: &[(String, String)]) -> i32 {
        let text = match std::fs::read(path) {
            Ok(text) => String::from_utf8_lossy(&text).into_owned(),
            Err(err) => {
                report_error(PROGRAM, path, &err);
                return STATUS_NOT_EXECUTABLE;
            }
        };
        let args = std::iter::once(path.to_string()).chain(args).collect();
        let mut script = Shell::new(args, Input::text(Some(path.into()), &text));
        script.vars = Vars::from_environment(self.vars.exported(assignments));
        script.ignore_interrupts = self.ignore_interrupts;
        script.run()
    }

    /// `sh file args`: runs the script `path` in this shell; 127 when it cannot be
    /// read.
    pub fn run_script(&mut self, path: &str, args: Vec<String>) -> i32 {
        match std::fs::read(path) {
            Ok(text) => {
                self.input = Input::text(Some(path.into()), &String::from_utf8_lossy(&text));
                self.args = std::iter::once(path.to_owned()).chain(args).collect();
                self.run()
            }
            Err(err) => {
                report_error(PROGRAM, path, &err);
                STATUS_NOT_FOUND
            }
        }
    }
}
