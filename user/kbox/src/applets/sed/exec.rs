//! Running the compiled script: each cycle reads a line into the pattern space,
//! runs the commands on it, prints it (unless `-n`) and writes what `a`, `r` and
//! `R` queued.
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};

use regex_lite::Regex;

use super::address::Line;
use super::command::{Action, BranchWhen, Command, Substitution};
use super::input::{self, Input};
use super::listing;
use super::output::{OutputError, Outputs};
use super::replace;
use super::text;

/// How sed runs the script.
#[derive(Debug, Clone)]
pub struct Settings {
    pub quiet: bool,
    /// `-i`: each file is rewritten with what sed prints.
    pub in_place: bool,
    /// `-z`: lines end with NUL rather than newline.
    pub delimiter: u8,
    /// `l`'s line length when it is given none (`-l`).
    pub line_length: usize,
    /// `-u`: the output is flushed after each cycle.
    pub unbuffered: bool,
}

/// Why sed stopped early: a message and the exit status.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub status: u8,
}

impl From<OutputError> for Failure {
    fn from(err: OutputError) -> Self {
        Self { message: err.message, status: 4 }
    }
}

fn write_failure(err: io::Error) -> Failure {
    Failure { message: format!("couldn't write: {}", ulib::diag::error_text(&err)), status: 4 }
}

/// What ends a cycle.
enum Flow {
    /// The end of the script: print the pattern space (unless `-n`).
    End,
    /// `d` (and `c`): no printing.
    Delete,
    /// `D` with a newline in the pattern space: run the script again on the rest.
    Restart,
    Quit {
        print: bool,
        status: u8,
    },
}

/// Output queued for the end of the cycle.
enum Queued {
    Text(String),
    File(String),
    Line(input::Line),
}

/// sed at work.
pub struct Machine {
    commands: Vec<Command>,
    settings: Settings,
    delimiter: char,
    input: Input,
    outputs: Outputs,
    /// The files `R` reads (opened when first read; `None` once they fail).
    reads: Vec<(String, Option<Option<BufReader<File>>>)>,
    pattern: String,
    hold: String,
    /// The current line had its delimiter.
    delimited: bool,
    replaced: bool,
    last_regex: Option<Regex>,
    queued: Vec<Queued>,
}

impl Machine {
    pub fn new(commands: Vec<Command>, reads: Vec<String>, settings: Settings, input: Input, outputs: Outputs) -> Self {
        Self {
            commands,
            delimiter: char::from(settings.delimiter),
            settings,
            input,
            outputs,
            reads: reads.into_iter().map(|name| (name, Some(None))).collect(),
            pattern: String::new(),
            hold: String::new(),
            delimited: true,
            replaced: false,
            last_regex: None,
            queued: Vec::new(),
        }
    }

    /// Runs the script over all the input: the exit status.
    pub fn run(mut self) -> Result<u8, Failure> {
        let status = self.cycles();
        let finished = self.outputs.end_in_place().and_then(|()| self.outputs.flush());
        let status = status?;
        finished?;
        if let Some(message) = self.input.fatal.take() {
            return Err(Failure { message, status: 4 });
        }
        Ok(if status == 0 && self.input.failed { 2 } else { status })
    }

    fn cycles(&mut self) -> Result<u8, Failure> {
        let mut restart = false;
        loop {
            if !restart && !self.read_next(true)? {
                return Ok(0);
            }
            restart = false;
            let flow = self.execute()?;
            match flow {
                Flow::End => self.print_pattern()?,
                Flow::Delete => {}
                Flow::Restart => restart = true,
                Flow::Quit { print, status } => {
                    if print {
                        self.print_pattern()?;
                        self.flush_queue()?;
                    }
                    return Ok(status);
                }
            }
            self.flush_queue()?;
            if self.settings.unbuffered {
                self.outputs.main().flush().map_err(write_failure)?;
            }
        }
    }

    /// Reads the next line into the pattern space (appended after a delimiter when
    /// not `replace`); `false` at the end of the input.
    fn read_next(&mut self, replace: bool) -> Result<bool, Failure> {
        let Some((line, fresh)) = self.input.next() else { return Ok(false) };
        if fresh && self.settings.in_place {
            let name = self.input.file_name().clone();
            self.outputs.begin_in_place(&name)?;
        }
        if replace {
            self.pattern = line.text;
        } else {
            self.pattern.push(self.delimiter);
            self.pattern.push_str(&line.text);
        }
        self.delimited = line.delimited;
        self.replaced = false;
        Ok(true)
    }

    fn print_pattern(&mut self) -> Result<(), Failure> {
        if self.settings.quiet {
            return Ok(());
        }
        self.outputs.main().line(&self.pattern, self.delimited).map_err(write_failure)
    }

    fn flush_queue(&mut self) -> Result<(), Failure> {
        for queued in std::mem::take(&mut self.queued) {
            let sink = self.outputs.main();
            match queued {
                Queued::Text(text) => sink.raw(&text::encode(&text)),
                Queued::Line(line) => sink.line(&line.text, line.delimited),
                Queued::File(name) => {
                    let mut contents = Vec::new();
                    match File::open(text::path(&name)).and_then(|mut file| file.read_to_end(&mut contents)) {
                        Ok(_) if !contents.is_empty() => sink.raw(&contents),
                        _ => Ok(()),
                    }
                }
            }
            .map_err(write_failure)?;
        }
        Ok(())
    }

    /// What `n` and `N` do when there is no next line: at the end of all input, quit
    /// (printing); at the end of a file edited separately, end the cycle.
    fn no_next_line(&mut self) -> Flow {
        if self.input.is_exhausted() { Flow::Quit { print: true, status: 0 } } else { Flow::End }
    }

    fn execute(&mut self) -> Result<Flow, Failure> {
        let mut commands = std::mem::take(&mut self.commands);
        let flow = self.execute_commands(&mut commands);
        self.commands = commands;
        flow
    }

    fn execute_commands(&mut self, commands: &mut [Command]) -> Result<Flow, Failure> {
        let mut index = 0;
        while let Some(command) = commands.get_mut(index) {
            index += 1;
            let last = command.selector.uses_last() && self.input.is_last();
            let line = Line { number: self.input.line_number, last, text: &self.pattern };
            let selected = command.selector.selects(&line, &mut self.last_regex).map_err(|_| no_previous_regex())?;
            if let Action::Block(after) = command.action {
                if !selected {
                    index = after;
                }
                continue;
            }
            if !selected {
                continue;
            }
            match &command.action {
                Action::Branch(when, target) => {
                    let taken = match when {
                        BranchWhen::Always => true,
                        BranchWhen::Replaced => std::mem::take(&mut self.replaced),
                        BranchWhen::NotReplaced => !std::mem::take(&mut self.replaced),
                    };
                    if taken {
                        index = target.unwrap_or(commands.len());
                    }
                }
                Action::Change(text) => {
                    if !command.selector.is_open() {
                        self.outputs.main().raw(&text::encode(text)).map_err(write_failure)?;
                    }
                    return Ok(Flow::Delete);
                }
                action => {
                    if let Some(flow) = self.act(action)? {
                        return Ok(flow);
                    }
                }
            }
        }
        Ok(Flow::End)
    }

    /// Runs one command; `Some` when it ends the cycle.
    fn act(&mut self, action: &Action) -> Result<Option<Flow>, Failure> {
        let delimiter = self.delimiter;
        match action {
            Action::Block(_) | Action::EndBlock | Action::Label | Action::Branch(..) | Action::Change(_) => {}
            Action::LineNumber => {
                let number = format!("{}{delimiter}", self.input.line_number);
                self.outputs.main().raw(number.as_bytes()).map_err(write_failure)?;
            }
            Action::Append(text) => self.queued.push(Queued::Text(text.clone())),
            Action::Insert(text) => self.outputs.main().raw(&text::encode(text)).map_err(write_failure)?,
            Action::Delete => return Ok(Some(Flow::Delete)),
            Action::DeleteFirstLine => {
                let Some(end) = self.pattern.find(delimiter) else { return Ok(Some(Flow::Delete)) };
                self.pattern.drain(..=end);
                return Ok(Some(Flow::Restart));
            }
            Action::Get => self.pattern.clone_from(&self.hold),
            Action::GetAppend => {
                self.pattern.push(delimiter);
                self.pattern.push_str(&self.hold);
            }
            Action::Hold => self.hold.clone_from(&self.pattern),
            Action::HoldAppend => {
                self.hold.push(delimiter);
                self.hold.push_str(&self.pattern);
            }
            Action::Exchange => std::mem::swap(&mut self.pattern, &mut self.hold),
            Action::Zap => self.pattern.clear(),
            Action::List(length) => {
                let listed = listing::list(&self.pattern, length.unwrap_or(self.settings.line_length), delimiter);
                self.outputs.main().raw(listed.as_bytes()).map_err(write_failure)?;
            }
            Action::Next | Action::NextAppend => {
                if self.input.is_last() {
                    return Ok(Some(self.no_next_line()));
                }
                if matches!(action, Action::Next) {
                    self.print_pattern()?;
                }
                self.flush_queue()?;
                if !self.read_next(matches!(action, Action::Next))? {
                    return Ok(Some(Flow::Quit { print: false, status: 0 }));
                }
            }
            Action::Print => self.outputs.main().line(&self.pattern, self.delimited).map_err(write_failure)?,
            Action::PrintFirstLine => {
                let first = self.pattern.split(delimiter).next().unwrap_or_default();
                self.outputs.main().line(first, true).map_err(write_failure)?;
            }
            Action::Quit { print, status } => return Ok(Some(Flow::Quit { print: *print, status: *status })),
            Action::ReadFile(name) => self.queued.push(Queued::File(name.clone())),
            Action::ReadLine(index) => {
                if let Some(line) = self.read_from(*index) {
                    self.queued.push(Queued::Line(line));
                }
            }
            Action::Write(index) => {
                self.outputs.file(*index).line(&self.pattern, self.delimited).map_err(write_failure)?;
            }
            Action::WriteFirstLine(index) => {
                let first = self.pattern.split(delimiter).next().unwrap_or_default();
                self.outputs.file(*index).line(first, true).map_err(write_failure)?;
            }
            Action::Substitute(substitution) => self.substitute(substitution)?,
            Action::Translate(pairs) => {
                self.pattern = self
                    .pattern
                    .chars()
                    .map(|char| pairs.iter().find(|(from, _)| *from == char).map_or(char, |(_, to)| *to))
                    .collect();
            }
            Action::FileName => {
                let mut name = std::os::unix::ffi::OsStrExt::as_bytes(self.input.file_name().as_os_str()).to_vec();
                name.push(self.settings.delimiter);
                self.outputs.main().raw(&name).map_err(write_failure)?;
            }
        }
        Ok(None)
    }

    /// The next line of the `index`th file `R` reads, if it has one.
    fn read_from(&mut self, index: usize) -> Option<input::Line> {
        let (name, state) = &mut self.reads[index];
        if let Some(None) = state {
            *state = File::open(text::path(name)).ok().map(|file| Some(BufReader::new(file)));
        }
        let reader: &mut dyn BufRead = state.as_mut()?.as_mut()?;
        input::read_line(reader, b'\n').ok().flatten()
    }

    fn substitute(&mut self, substitution: &Substitution) -> Result<(), Failure> {
        let regex = match &substitution.pattern {
            Some(regex) => {
                self.last_regex = Some(regex.clone());
                regex.clone()
            }
            None => self.last_regex.clone().ok_or_else(no_previous_regex)?,
        };
        let Some(result) = substituted(&regex, substitution, &self.pattern) else { return Ok(()) };
        self.pattern = result;
        self.replaced = true;
        if substitution.print {
            self.outputs.main().line(&self.pattern, self.delimited).map_err(write_failure)?;
        }
        if let Some(index) = substitution.write {
            self.outputs.file(index).line(&self.pattern, self.delimited).map_err(write_failure)?;
        }
        Ok(())
    }
}

/// `//` before any regular expression was used: a mistake in the script, which GNU
/// finds only when it runs and places at `char 0`.
fn no_previous_regex() -> Failure {
    Failure { message: "-e expression #1, char 0: no previous regular expression".into(), status: 1 }
}

/// `text` with the matches that `substitution` picks replaced; `None` when there
/// is none. An empty match right after a match does not count, as in GNU sed.
pub fn substituted(regex: &Regex, substitution: &Substitution, text: &str) -> Option<String> {
    let mut out = String::new();
    let mut copied = 0;
    let mut position = 0;
    let mut count = 0;
    let mut previous_end = None;
    let mut any = false;
    while position <= text.len() {
        let Some(captures) = regex.captures_at(text, position) else { break };
        let found = captures.get(0)?;
        let step = text[found.end()..].chars().next().map_or(1, char::len_utf8);
        if found.is_empty() && previous_end == Some(found.start()) {
            position = found.end() + step;
            continue;
        }
        count += 1;
        if count >= substitution.occurrence {
            out.push_str(&text[copied..found.start()]);
            out.push_str(&replace::expand(&substitution.replacement, &captures));
            copied = found.end();
            any = true;
            if !substitution.global {
                break;
            }
        }
        previous_end = Some(found.end());
        position = if found.is_empty() { found.end() + step } else { found.end() };
    }
    if !any {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::applets::sed::replace::parse;

    fn substitute(pattern: &str, replacement: &str, global: bool, occurrence: usize, text: &str) -> Option<String> {
        let chars: Vec<char> = replacement.chars().collect();
        let substitution = Substitution {
            pattern: None,
            replacement: parse(&chars, '/'),
            global,
            occurrence,
            print: false,
            write: None,
        };
        substituted(&Regex::new(pattern).unwrap(), &substitution, text)
    }

    #[test]
    fn matches_as_gnu_picks_them() {
        assert_eq!(substitute("a*", "x", true, 1, "baaac").as_deref(), Some("xbxcx"));
        assert_eq!(substitute("x*", "-", true, 1, "x").as_deref(), Some("-"));
        assert_eq!(substitute("x*", "-", true, 1, "y").as_deref(), Some("-y-"));
        assert_eq!(substitute("b", "X", true, 2, "abbbb").as_deref(), Some("abXXX"));
        assert_eq!(substitute("b", "X", false, 3, "abbbb").as_deref(), Some("abbXb"));
        assert_eq!(substitute("^a", "x", true, 1, "aaa").as_deref(), Some("xaa"));
        assert_eq!(substitute("é", "e", true, 1, "éé").as_deref(), Some("ee"));
        assert_eq!(substitute("q", "x", true, 1, "abc"), None);
    }
}
