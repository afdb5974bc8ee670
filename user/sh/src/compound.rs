//! Compound commands (XCU 2.9.4) run in the shell with their redirections around
//! them: `{ }`, `if`, `while`, `until`, `for` and `case` (a `( )` subshell is a
//! forked child, see [`crate::pipeline`]). Loops take `break n` and `continue n`.
use shparse::ast::{Compound, List, Redirect};
use shparse::pattern;

use crate::shell::{Flow, STATUS_USAGE, Shell};

/// What a loop does after its body ran.
enum Next {
    Go,
    Stop,
}

impl Shell {
    /// Runs `compound` with `redirects`; returns its status.
    pub fn run_compound(&mut self, compound: &Compound, redirects: &[Redirect]) -> i32 {
        let saved = match self.redirect(redirects, true) {
            Ok(saved) => saved,
            Err(message) => return self.fail(message, STATUS_USAGE),
        };
        let status = match compound {
            Compound::Group(list) => {
                self.run_list(list);
                self.status
            }
            Compound::Subshell(list) => self.spawn("", false, |shell| shell.run_subshell_here(list, &[])),
            Compound::If { branches, otherwise } => self.run_if(branches, otherwise.as_ref()),
            Compound::Loop { until, condition, body } => self.run_loop(*until, condition, body),
            Compound::For { name, words, body } => self.run_for(name, words.as_deref(), body),
            Compound::Case { word, arms } => self.run_case(word, arms),
        };
        self.restore(saved);
        self.status = status;
        status
    }

    /// In a forked child: `( list )` with its redirections, then its status.
    pub fn run_subshell_here(&mut self, list: &List, redirects: &[Redirect]) -> i32 {
        if let Err(message) = self.redirect(redirects, false) {
            return self.fail(message, STATUS_USAGE);
        }
        self.run_list(list);
        self.exit_status()
    }

    fn run_if(&mut self, branches: &[(List, List)], otherwise: Option<&List>) -> i32 {
        for (condition, body) in branches {
            let status = self.run_condition(condition);
            if self.flow.is_some() {
                return status;
            }
            if status == 0 {
                self.run_list(body);
                return self.status;
            }
        }
        match otherwise {
            Some(body) => {
                self.run_list(body);
                self.status
            }
            None => 0,
        }
    }

    /// After a loop's body: what `break` or `continue` asked for.
    fn after_body(&mut self) -> Next {
        match self.flow {
            Some(Flow::Break(levels)) => {
                self.flow = (levels > 1).then_some(Flow::Break(levels - 1));
                Next::Stop
            }
            Some(Flow::Continue(levels)) if levels > 1 => {
                self.flow = Some(Flow::Continue(levels - 1));
                Next::Stop
            }
            Some(Flow::Continue(_)) => {
                self.flow = None;
                Next::Go
            }
            Some(_) => Next::Stop,
            None => Next::Go,
        }
    }

    /// Runs `run` as a loop (where break and continue apply) and returns its status.
    fn in_loop(&mut self, run: impl FnOnce(&mut Self) -> i32) -> i32 {
        self.loops += 1;
        let status = run(self);
        self.loops -= 1;
        status
    }

    /// Runs a loop's body once, its status into `status`; whether the loop goes on.
    fn body_goes_on(&mut self, body: &List, status: &mut i32) -> bool {
        self.run_list(body);
        *status = self.status;
        !matches!(self.after_body(), Next::Stop)
    }

    fn run_loop(&mut self, until: bool, condition: &List, body: &List) -> i32 {
        self.in_loop(|shell| {
            let mut status = 0;
            loop {
                let tested = shell.run_condition(condition);
                if let Next::Stop = shell.after_body() {
                    break;
                }
                if (tested == 0) == until || !shell.body_goes_on(body, &mut status) {
                    break;
                }
            }
            status
        })
    }

    fn run_for(&mut self, name: &str, words: Option<&[shparse::ast::Word]>, body: &List) -> i32 {
        let values = match words {
            Some(words) => match self.fields(words) {
                Some(values) => values,
                None => return self.status,
            },
            None => self.args.get(1..).unwrap_or_default().to_vec(),
        };
        self.in_loop(|shell| {
            let mut status = 0;
            for value in values {
                if let Err(message) = shell.assign(name, &value) {
                    return shell.fatal(message, STATUS_USAGE);
                }
                if !shell.body_goes_on(body, &mut status) {
                    break;
                }
            }
            status
        })
    }

    fn run_case(&mut self, word: &shparse::ast::Word, arms: &[shparse::ast::CaseArm]) -> i32 {
        let Some(subject) = self.string(word) else {
            return self.status;
        };
        for arm in arms {
            for pattern in &arm.patterns {
                let Some(pattern) = self.pattern(pattern) else {
                    return self.status;
                };
                if pattern::matches(&pattern, &subject) {
                    self.status = 0;
                    self.run_list(&arm.body);
                    return self.status;
                }
            }
        }
        0
    }
}
