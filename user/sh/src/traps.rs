//! Traps: commands run when a signal arrives (after the command running then
//! ends) or when the shell exits (`EXIT`, signal 0). A trap of `''` ignores the
//! signal, `-` puts back the default. A subshell forgets the traps that run
//! commands (ignored signals stay ignored).
use std::collections::BTreeMap;

use ulib::jobctl::{self, Disposition};
use ulib::process::{signal_name, signal_number};

use crate::shell::{Flow, Shell};

#[derive(Debug, Default, Clone)]
pub struct Traps {
    /// The action of each trapped signal (0 for EXIT): `""` ignores it.
    actions: BTreeMap<i32, String>,
}

/// The signal a `trap` operand names: `EXIT` or 0, a name with or without `SIG`,
/// or a number.
pub fn trap_signal(name: &str) -> Option<i32> {
    if name == "EXIT" || name == "0" {
        return Some(0);
    }
    signal_number(name).filter(|&number| number > 0)
}

/// How `trap` lists a signal: `EXIT` or its name without `SIG`.
fn trap_name(signal: i32) -> String {
    if signal == 0 { "EXIT".into() } else { signal_name(signal).unwrap_or("?").into() }
}

impl Shell {
    /// Sets the trap of `signal`: `None` for the default, `Some("")` to ignore it,
    /// else the commands to run.
    pub fn set_trap(&mut self, signal: i32, action: Option<String>) -> Result<(), String> {
        if signal != 0 {
            let disposition = match action.as_deref() {
                None => Disposition::Default,
                Some("") => Disposition::Ignore,
                Some(_) => Disposition::Catch,
            };
            // An interactive shell keeps catching SIGINT (for Ctrl-C at `wait`).
            let disposition = if signal == libc::SIGINT && self.interactive && disposition == Disposition::Default {
                Disposition::Catch
            } else {
                disposition
            };
            jobctl::set_disposition(signal, disposition).map_err(|err| format!("{}: {err}", trap_name(signal)))?;
        }
        match action {
            Some(action) => self.traps.actions.insert(signal, action),
            None => self.traps.actions.remove(&signal),
        };
        Ok(())
    }

    /// `trap` without operands: a `trap -- 'action' NAME` line for each trap.
    pub fn trap_listing(&self) -> Vec<String> {
        self.traps
            .actions
            .iter()
            .map(|(&signal, action)| format!("trap -- {} {}", crate::vars::quote(action), trap_name(signal)))
            .collect()
    }

    /// In a subshell: traps that run commands go back to the default.
    pub fn reset_traps(&mut self) {
        let commands: Vec<i32> =
            self.traps.actions.iter().filter(|(_, action)| !action.is_empty()).map(|(&signal, _)| signal).collect();
        for signal in commands {
            let _ = self.set_trap(signal, None);
        }
    }

    /// A signal that arrived and has a trap to run, if any (left pending).
    pub fn trapped_signal_pending(&self) -> Option<i32> {
        self.traps
            .actions
            .iter()
            .find(|&(&signal, action)| signal != 0 && !action.is_empty() && jobctl::is_caught_pending(signal))
            .map(|(&signal, _)| signal)
    }

    /// Runs the traps of the signals that arrived since last time, keeping `$?`.
    pub fn run_pending_traps(&mut self) {
        if self.traps.actions.is_empty() {
            return;
        }
        let pending: Vec<(i32, String)> = self
            .traps
            .actions
            .iter()
            .filter(|&(&signal, action)| signal != 0 && !action.is_empty())
            .map(|(&signal, action)| (signal, action.clone()))
            .collect();
        for (signal, action) in pending {
            if jobctl::take_caught(signal) {
                let status = self.status;
                self.run_text(&action);
                if !matches!(self.flow, Some(Flow::Exit)) {
                    self.status = status;
                }
            }
        }
    }

    /// Runs the EXIT trap, once.
    pub fn run_exit_trap(&mut self) {
        if let Some(action) = self.traps.actions.remove(&0) {
            let status = self.status;
            self.flow = None;
            self.run_text(&action);
            if !matches!(self.flow, Some(Flow::Exit)) {
                self.status = status;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_operands() {
        assert_eq!(trap_signal("EXIT"), Some(0));
        assert_eq!(trap_signal("0"), Some(0));
        assert_eq!(trap_signal("INT"), Some(libc::SIGINT));
        assert_eq!(trap_signal("SIGTERM"), Some(libc::SIGTERM));
        assert_eq!(trap_signal("15"), Some(15));
        assert_eq!(trap_signal("NOPE"), None);
        assert_eq!(trap_name(0), "EXIT");
        assert_eq!(trap_name(libc::SIGHUP), "HUP");
    }
}
