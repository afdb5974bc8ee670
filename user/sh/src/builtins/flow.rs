//! Builtins that steer the shell: `break`, `continue`, `return`, `exit`, `eval`,
//! `.`, `exec`, `trap` and `times`.
use std::path::Path;

use ulib::diag::report_error;

use crate::shell::{Flow, PROGRAM, STATUS_USAGE, Shell};
use crate::simple::{MAX_CALLS, STATUS_NOT_EXECUTABLE, STATUS_NOT_FOUND};
use crate::traps::trap_signal;

/// A status operand (`exit n`, `return n`): its value modulo 256.
fn status_operand(args: &[String], default: i32) -> Result<i32, String> {
    match args {
        [] => Ok(default),
        [number, ..] => number
            .parse::<i64>()
            .ok()
            .filter(|&number| number >= 0)
            .map(|number| (number % 256) as i32)
            .ok_or_else(|| format!("Illegal number: {number}")),
    }
}

/// `0m0.000000s`: the time for `times`: minutes and seconds.
fn clock(micros: u64) -> String {
    format!("{}m{}.{:06}s", micros / 60_000_000, micros / 1_000_000 % 60, micros % 1_000_000)
}

impl Shell {
    pub(super) fn break_or_continue(&mut self, name: &str, args: &[String]) -> i32 {
        let levels = match args {
            [] => 1,
            [number] => match number.parse::<usize>() {
                Ok(levels) if levels > 0 => levels,
                _ => return self.fatal(format_args!("{name}: Illegal number: {number}"), STATUS_USAGE),
            },
            _ => return self.fatal(format_args!("{name}: too many arguments"), STATUS_USAGE),
        };
        if self.loops == 0 {
            return 0;
        }
        let levels = levels.min(self.loops);
        self.flow = Some(if name == "break" { Flow::Break(levels) } else { Flow::Continue(levels) });
        0
    }

    pub(super) fn return_builtin(&mut self, args: &[String]) -> i32 {
        let status = match status_operand(args, self.status) {
            Ok(status) => status,
            Err(message) => return self.fatal(format_args!("return: {message}"), STATUS_USAGE),
        };
        self.status = status;
        self.flow = Some(if self.calls > 0 { Flow::Return } else { Flow::Exit });
        status
    }

    pub(super) fn exit(&mut self, args: &[String]) -> i32 {
        let status = match status_operand(args, self.status) {
            Ok(status) => status,
            Err(message) => return self.fatal(format_args!("exit: {message}"), STATUS_USAGE),
        };
        if self.refuse_exit_with_stopped_jobs() {
            return 1;
        }
        if self.interactive {
            eprintln!("exit");
        }
        self.status = status;
        self.flow = Some(Flow::Exit);
        status
    }

    pub(super) fn eval(&mut self, args: &[String]) -> i32 {
        self.run_text(&args.join(" "))
    }

    /// `. file [args]`: runs `file` (found on PATH when it has no `/`) in this
    /// shell; `return` ends it.
    pub(super) fn dot(&mut self, args: &[String]) -> i32 {
        let Some(name) = args.first() else {
            return self.fatal(".: filename argument required", STATUS_USAGE);
        };
        let path = if name.contains('/') {
            Some(name.clone())
        } else {
            let path = self.vars.get("PATH").unwrap_or(crate::lookup::DEFAULT_PATH).to_string();
            path.split(':')
                .map(|directory| if directory.is_empty() { name.clone() } else { format!("{directory}/{name}") })
                .find(|candidate| Path::new(candidate).is_file())
        };
        let text = match path.as_deref().map(std::fs::read) {
            Some(Ok(text)) => String::from_utf8_lossy(&text).into_owned(),
            Some(Err(err)) => {
                report_error(PROGRAM, format_args!(".: {name}"), &err);
                return self.fatal("", STATUS_USAGE);
            }
            None => return self.fatal(format_args!(".: {name}: not found"), STATUS_USAGE),
        };
        if self.calls >= MAX_CALLS {
            return self.fatal(format_args!("Maximum function recursion depth ({MAX_CALLS}) reached"), STATUS_USAGE);
        }
        let saved_args = (args.len() > 1).then(|| {
            let zero = self.args.first().cloned().unwrap_or_default();
            std::mem::replace(&mut self.args, std::iter::once(zero).chain(args[1..].to_vec()).collect())
        });
        self.calls += 1;
        let mut status = self.run_text(&text);
        self.calls -= 1;
        if self.flow == Some(Flow::Return) {
            self.flow = None;
            status = self.status;
        }
        if let Some(saved) = saved_args {
            self.args = saved;
        }
        status
    }

    /// `exec [command [args]]`: replaces the shell by the program (its
    /// redirections were applied for good by the caller).
    pub(super) fn exec(&mut self, args: &[String]) -> i32 {
        if args.is_empty() {
            return 0;
        }
        let status = self.exec_program(args, &[]);
        if !self.interactive {
            self.flow = Some(Flow::Exit);
        }
        if status == STATUS_NOT_FOUND || status == STATUS_NOT_EXECUTABLE {
            self.status = status;
        }
        status
    }

    /// `trap [action signal...]`, `trap - signal...`, or the listing.
    pub(super) fn trap(&mut self, args: &[String]) -> i32 {
        let args = args.strip_prefix(&["--".to_string()]).unwrap_or(args);
        let Some((first, rest)) = args.split_first() else {
            let listing = self.trap_listing();
            return self.print_lines("trap", listing);
        };
        let (action, signals) = if trap_signal(first).is_some_and(|_| first.parse::<u32>().is_ok()) || first == "-" {
            // `trap n...` with a number first, or `trap - ...`: back to the default.
            (None, if first == "-" { rest } else { args })
        } else if rest.is_empty() {
            return self.fatal("trap: usage: trap [action signal...]", STATUS_USAGE);
        } else {
            (Some(first.clone()), rest)
        };
        let mut status = 0;
        for name in signals {
            match trap_signal(name) {
                Some(signal) => {
                    if let Err(message) = self.set_trap(signal, action.clone()) {
                        status = self.fail(format_args!("trap: {message}"), 1);
                    }
                }
                None => status = self.fail(format_args!("trap: {name}: bad trap"), 1),
            }
        }
        status
    }

    pub(super) fn times(&mut self) -> i32 {
        let [user, system, child_user, child_system] = ulib::process::cpu_times();
        let text = format!("{} {}\n{} {}\n", clock(user), clock(system), clock(child_user), clock(child_system));
        self.print("times", &text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|word| word.to_string()).collect()
    }

    #[test]
    fn status_operands() {
        assert_eq!(status_operand(&[], 7), Ok(7));
        assert_eq!(status_operand(&strings(&["3"]), 0), Ok(3));
        assert_eq!(status_operand(&strings(&["300"]), 0), Ok(44));
        assert_eq!(status_operand(&strings(&["x"]), 0), Err("Illegal number: x".into()));
        assert_eq!(status_operand(&strings(&["-1"]), 0), Err("Illegal number: -1".into()));
    }

    #[test]
    fn clocks() {
        assert_eq!(clock(0), "0m0.000000s");
        assert_eq!(clock(61_234_567), "1m1.234567s");
    }
}
