//! Running the tree: lists item by item (`&` items in the background), and-or
//! lists `&&` by `&&` and `||` by `||`, pipelines (a lone command in the shell,
//! several in forked children joined by pipes, see [`crate::pipeline`]), and each
//! command by its kind. `set -e` ends the shell after a failure that is not in a
//! condition, after `!`, or before the last `&&`/`||`.
use shparse::ast::{AndOr, Command, Compound, Connector, Item, List, Pipeline};

use crate::shell::{Flow, Shell};

impl Shell {
    pub fn run_list(&mut self, list: &List) {
        for item in &list.items {
            if self.flow.is_some() {
                return;
            }
            self.run_item(item);
            self.run_pending_traps();
        }
    }

    fn run_item(&mut self, item: &Item) {
        if item.background {
            self.run_background(&item.and_or, &item.text);
        } else {
            self.run_and_or(&item.and_or, &item.text);
        }
    }

    /// Runs `list` as a condition: `set -e` does not apply inside.
    pub fn run_condition(&mut self, list: &List) -> i32 {
        self.errexit_ignored += 1;
        self.run_list(list);
        self.errexit_ignored -= 1;
        self.status
    }

    /// Runs the pipelines of `and_or` as `&&` and `||` say, leaving `$?` set.
    pub fn run_and_or(&mut self, and_or: &AndOr, text: &str) {
        let last = and_or.rest.len();
        let pipelines = std::iter::once((None, &and_or.first))
            .chain(and_or.rest.iter().map(|(connector, pipeline)| (Some(*connector), pipeline)));
        for (index, (connector, pipeline)) in pipelines.enumerate() {
            if self.flow.is_some() {
                return;
            }
            let wanted = match connector {
                None => true,
                Some(Connector::And) => self.status == 0,
                Some(Connector::Or) => self.status != 0,
            };
            if !wanted {
                continue;
            }
            if index < last {
                self.errexit_ignored += 1;
            }
            self.run_pipeline(pipeline, text);
            if index < last {
                self.errexit_ignored -= 1;
            } else if self.status != 0 && !pipeline.negated {
                self.check_errexit();
            }
        }
    }

    /// `set -e`: a failure where it applies ends the shell.
    pub fn check_errexit(&mut self) {
        if self.options.is_set('e') && self.errexit_ignored == 0 && self.flow.is_none() {
            self.flow = Some(Flow::Exit);
        }
    }

    /// Runs `pipeline` in the foreground, setting `$?`.
    fn run_pipeline(&mut self, pipeline: &Pipeline, text: &str) {
        if pipeline.negated {
            self.errexit_ignored += 1;
        }
        let status = match &pipeline.commands[..] {
            [command] => self.run_command(command, text),
            commands => self.run_pipe(commands, text, false),
        };
        self.status = if pipeline.negated {
            self.errexit_ignored -= 1;
            i32::from(status == 0)
        } else {
            status
        };
    }

    /// Runs one command in the shell (a program or subshell in a child it waits
    /// for, as a job showing `text`) and returns its status.
    pub fn run_command(&mut self, command: &Command, text: &str) -> i32 {
        match command {
            Command::Simple(simple) => self.run_simple(simple, text),
            Command::Compound(Compound::Subshell(_), _) => self.spawn(text, false, |shell| shell.run_last(command)),
            Command::Compound(compound, redirects) => self.run_compound(compound, redirects),
            Command::Function { name, body } => {
                self.functions.insert(name.clone(), body.clone());
                0
            }
        }
    }
}
