//! The script's text compiled into commands, with GNU's messages for mistakes.
use std::collections::HashMap;

use super::address::{End, Selector, Start};
use super::command::{Action, BranchWhen, Command, Substitution};
use super::regex::{self, Pattern};
use super::replace;
use super::script::{ScriptError, Source};

/// A compiled script.
#[derive(Debug, Default)]
pub struct Program {
    pub commands: Vec<Command>,
    /// The files `w` commands (and the `w` flag of `s`) write, by index.
    pub writes: Vec<String>,
    /// The files `R` commands read, by index.
    pub reads: Vec<String>,
    /// The script starts with `#n` on a line of its own: as `-n`.
    pub quiet: bool,
}

type Result<T> = std::result::Result<T, ScriptError>;

/// Compiles the script; `extended` for `-E`.
pub fn compile(source: &mut Source, extended: bool) -> Result<Program> {
    Parser { source, extended, program: Program::default(), labels: HashMap::new(), jumps: Vec::new() }.run()
}

struct Parser<'a> {
    source: &'a mut Source,
    extended: bool,
    program: Program,
    labels: HashMap<String, usize>,
    /// Branches to resolve: the command's index and its label.
    jumps: Vec<(usize, String)>,
}

fn index_of(names: &mut Vec<String>, name: String) -> usize {
    names.iter().position(|known| *known == name).unwrap_or_else(|| {
        names.push(name);
        names.len() - 1
    })
}

impl Parser<'_> {
    fn run(mut self) -> Result<Program> {
        let mut blocks: Vec<(usize, usize)> = Vec::new();
        self.program.quiet = self.source.starts_with_quiet_marker();
        loop {
            while self.source.peek().is_some_and(|char| char.is_whitespace() || char == ';') {
                self.source.next();
            }
            let Some(first) = self.source.peek() else { break };
            if first == '#' {
                while self.source.next().is_some_and(|char| char != '\n') {}
                continue;
            }
            let mark = self.source.mark();
            let selector = self.selector()?;
            let Some(name) = self.source.next() else { return Err(self.source.error("missing command")) };
            self.check_addresses(name, &selector)?;
            let action = match name {
                '{' => {
                    blocks.push((self.program.commands.len(), mark));
                    Action::Block(0)
                }
                '}' => {
                    let Some((open, _)) = blocks.pop() else { return Err(self.source.error("unexpected `}'")) };
                    let after = self.program.commands.len() + 1;
                    self.program.commands[open].action = Action::Block(after);
                    self.end_of_command()?;
                    Action::EndBlock
                }
                _ => self.action(name)?,
            };
            self.program.commands.push(Command { selector, action });
        }
        if let Some(&(_, mark)) = blocks.first() {
            return Err(self.source.error_at(mark + 1, true, "unmatched `{'"));
        }
        for (index, label) in std::mem::take(&mut self.jumps) {
            let Some(&target) = self.labels.get(&label) else {
                let message = format!("can't find label for jump to `{label}'");
                return Err(ScriptError { place: None, message, status: 4 });
            };
            if let Action::Branch(_, destination) = &mut self.program.commands[index].action {
                *destination = Some(target);
            }
        }
        Ok(self.program)
    }

    fn check_addresses(&self, name: char, selector: &Selector) -> Result<()> {
        let count = selector.count();
        let problem = match name {
            ':' if count > 0 => Some(": doesn't want any addresses"),
            '}' if count > 0 => Some("unexpected `}'"),
            '#' if count > 0 => Some("comments don't accept any addresses"),
            'q' | 'Q' if count > 1 => Some("command only uses one address"),
            _ => None,
        };
        if let Some(problem) = problem {
            return Err(self.source.error(problem));
        }
        let zero = matches!(selector.start, Some(Start::Zero));
        if zero && !matches!(selector.end, Some(End::Match(_))) {
            return Err(self.source.error("invalid usage of line address 0"));
        }
        Ok(())
    }

    /// The addresses and `!` before a command.
    fn selector(&mut self) -> Result<Selector> {
        let start = self.start()?;
        let mut end = None;
        if start.is_some() {
            self.source.skip_blanks();
            if self.source.eat(',') {
                self.source.skip_blanks();
                end = Some(self.end()?);
            }
        }
        self.source.skip_blanks();
        let negated = self.source.eat('!');
        if negated {
            self.source.skip_blanks();
            if self.source.eat('!') {
                return Err(self.source.error("multiple `!'s"));
            }
        }
        Ok(Selector::new(start, end, negated))
    }

    fn number(&mut self) -> Option<u64> {
        let mut number: Option<u64> = None;
        while let Some(digit) = self.source.peek().and_then(|char| char.to_digit(10)) {
            self.source.next();
            number = Some(number.unwrap_or(0).saturating_mul(10).saturating_add(u64::from(digit)));
        }
        number
    }

    fn start(&mut self) -> Result<Option<Start>> {
        if let Some(number) = self.number() {
            self.source.skip_blanks();
            if self.source.eat('~') {
                self.source.skip_blanks();
                return Ok(Some(Start::Step(number, self.number().unwrap_or(0))));
            }
            return Ok(Some(if number == 0 { Start::Zero } else { Start::Line(number) }));
        }
        if self.source.eat('$') {
            return Ok(Some(Start::Last));
        }
        Ok(self.address_pattern()?.map(Start::Match))
    }

    fn end(&mut self) -> Result<End> {
        if let Some(number) = self.number() {
            return Ok(End::Line(number));
        }
        for (sign, make) in [('+', End::Plus as fn(u64) -> End), ('~', End::Multiple)] {
            if self.source.eat(sign) {
                self.source.skip_blanks();
                return Ok(make(self.number().unwrap_or(0)));
            }
        }
        if self.source.eat('$') {
            return Ok(End::Last);
        }
        match self.address_pattern()? {
            Some(pattern) => Ok(End::Match(pattern)),
            None => {
                self.source.next();
                Err(self.source.error("unexpected `,'"))
            }
        }
    }

    /// `/RE/` or `\cREc`, with the flags `I` and `M`.
    fn address_pattern(&mut self) -> Result<Option<Pattern>> {
        let delimiter = match self.source.peek() {
            Some('/') => '/',
            Some('\\') => {
                self.source.next();
                match self.source.peek() {
                    Some(delimiter) if delimiter != '\n' && delimiter != '\\' => delimiter,
                    _ => return Err(self.source.error("unexpected `,'")),
                }
            }
            _ => return Ok(None),
        };
        self.source.next();
        let text = self.delimited(delimiter, true).ok_or_else(|| self.source.error("unterminated address regex"))?;
        let (mut ignore_case, mut multi_line) = (false, false);
        loop {
            match self.source.peek() {
                Some('I') => ignore_case = true,
                Some('M') => multi_line = true,
                _ => break,
            }
            self.source.next();
        }
        let text = regex::unescape(&text, delimiter);
        regex::compile(&text, self.extended, ignore_case, multi_line)
            .map(Some)
            .map_err(|problem| self.source.error(problem))
    }

    /// The text up to the next unescaped `delimiter` (escapes kept), which is
    /// consumed; `None` when a line or the script ends first. In a regular
    /// expression (`in_regex`), a delimiter inside a bracket expression is part of it.
    fn delimited(&mut self, delimiter: char, in_regex: bool) -> Option<Vec<char>> {
        let mut text = Vec::new();
        loop {
            match self.source.next()? {
                char if char == delimiter => return Some(text),
                '\n' => {
                    self.source.back();
                    return None;
                }
                '\\' => {
                    text.push('\\');
                    text.push(self.source.next()?);
                }
                '[' if in_regex => {
                    text.push('[');
                    self.bracket(&mut text)?;
                }
                char => text.push(char),
            }
        }
    }

    /// The rest of a bracket expression after its `[`, up to its `]`.
    fn bracket(&mut self, text: &mut Vec<char>) -> Option<()> {
        let mut first = true;
        if self.source.eat('^') {
            text.push('^');
        }
        loop {
            let char = self.source.next()?;
            if char == '\n' {
                self.source.back();
                return None;
            }
            text.push(char);
            match char {
                ']' if !first => return Some(()),
                '[' if matches!(self.source.peek(), Some(':' | '.' | '=')) => {
                    let kind = self.source.next()?;
                    text.push(kind);
                    loop {
                        let inner = self.source.next().filter(|&inner| inner != '\n')?;
                        text.push(inner);
                        if inner == kind && self.source.eat(']') {
                            text.push(']');
                            break;
                        }
                    }
                }
                _ => {}
            }
            first = false;
        }
    }

    /// After a command: blanks, then `;`, a newline, `}`, `#` or the end.
    fn end_of_command(&mut self) -> Result<()> {
        self.source.skip_blanks();
        match self.source.peek() {
            None | Some('}' | '#') => Ok(()),
            Some(';' | '\n') => {
                self.source.next();
                Ok(())
            }
            Some(_) => {
                self.source.next();
                Err(self.source.error("extra characters after command"))
            }
        }
    }

    fn action(&mut self, name: char) -> Result<Action> {
        let simple = match name {
            '=' => Some(Action::LineNumber),
            'd' => Some(Action::Delete),
            'D' => Some(Action::DeleteFirstLine),
            'g' => Some(Action::Get),
            'G' => Some(Action::GetAppend),
            'h' => Some(Action::Hold),
            'H' => Some(Action::HoldAppend),
            'x' => Some(Action::Exchange),
            'n' => Some(Action::Next),
            'N' => Some(Action::NextAppend),
            'p' => Some(Action::Print),
            'P' => Some(Action::PrintFirstLine),
            'z' => Some(Action::Zap),
            'F' => Some(Action::FileName),
            _ => None,
        };
        if let Some(action) = simple {
            self.end_of_command()?;
            return Ok(action);
        }
        let action = match name {
            'a' => Action::Append(self.text()?),
            'i' => Action::Insert(self.text()?),
            'c' => Action::Change(self.text()?),
            ':' => {
                self.source.skip_blanks();
                let label = self.label();
                if label.is_empty() {
                    return Err(self.source.error("\":\" lacks a label"));
                }
                self.labels.insert(label, self.program.commands.len());
                self.end_of_command()?;
                Action::Label
            }
            'b' | 't' | 'T' => {
                self.source.skip_blanks();
                let label = self.label();
                if !label.is_empty() {
                    self.jumps.push((self.program.commands.len(), label));
                }
                self.end_of_command()?;
                let when = match name {
                    'b' => BranchWhen::Always,
                    't' => BranchWhen::Replaced,
                    _ => BranchWhen::NotReplaced,
                };
                Action::Branch(when, None)
            }
            'l' | 'q' | 'Q' => {
                self.source.skip_blanks();
                let number = self.number();
                self.end_of_command()?;
                match name {
                    'l' => Action::List(number.map(|number| number as usize)),
                    _ => Action::Quit { print: name == 'q', status: number.unwrap_or(0) as u8 },
                }
            }
            'r' => Action::ReadFile(self.file_name()?),
            'R' => {
                let name = self.file_name()?;
                Action::ReadLine(index_of(&mut self.program.reads, name))
            }
            'w' | 'W' => {
                let file = self.file_name()?;
                let output = index_of(&mut self.program.writes, file);
                if name == 'w' { Action::Write(output) } else { Action::WriteFirstLine(output) }
            }
            's' => Action::Substitute(Box::new(self.substitution()?)),
            'y' => self.translation()?,
            _ => return Err(self.source.error(format!("unknown command: `{name}'"))),
        };
        Ok(action)
    }

    /// A label: up to a newline, `;` or blank (`}` too after `b`, `t`, `T`).
    fn label(&mut self) -> String {
        let mut label = String::new();
        while let Some(char) = self.source.peek().filter(|&char| !matches!(char, '\n' | ';' | ' ' | '\t' | '}')) {
            label.push(char);
            self.source.next();
        }
        label
    }

    /// A file name: the rest of the line.
    fn file_name(&mut self) -> Result<String> {
        self.source.skip_blanks();
        let mut name = String::new();
        while let Some(char) = self.source.next() {
            if char == '\n' {
                break;
            }
            name.push(char);
        }
        if name.is_empty() {
            return Err(self.source.error("missing filename in r/R/w/W commands"));
        }
        Ok(name)
    }

    /// The text of `a`, `i` and `c`: `a\` and lines after it, or GNU's `a text`; a
    /// line ending in a backslash goes on to the next. With its newline (none when
    /// there is no text at all).
    fn text(&mut self) -> Result<String> {
        self.source.skip_blanks();
        match self.source.peek() {
            None => return Err(self.source.error("expected \\ after `a', `c' or `i'")),
            Some('\\') => {
                self.source.next();
                self.source.eat('\n');
            }
            Some(_) => {}
        }
        let mut text = String::new();
        while let Some(char) = self.source.next() {
            match char {
                '\n' => break,
                '\\' => match self.source.next() {
                    Some('t') => text.push('\t'),
                    Some(next) => text.push(next),
                    None => {}
                },
                _ => text.push(char),
            }
        }
        if !text.is_empty() {
            text.push('\n');
        }
        Ok(text)
    }

    /// The delimiter and the two texts of `s` and `y` (`s/ONE/TWO/`); the first is
    /// a regular expression for `s`.
    fn two_parts(&mut self, name: char) -> Result<(char, Vec<char>, Vec<char>)> {
        let unterminated = |parser: &Self| parser.source.error(format!("unterminated `{name}' command"));
        let delimiter = match self.source.next() {
            Some(delimiter) if delimiter != '\n' && delimiter != '\\' => delimiter,
            _ => return Err(unterminated(self)),
        };
        let first = self.delimited(delimiter, name == 's').ok_or_else(|| unterminated(self))?;
        let second = self.delimited(delimiter, false).ok_or_else(|| unterminated(self))?;
        Ok((delimiter, first, second))
    }

    fn substitution(&mut self) -> Result<Substitution> {
        let (delimiter, pattern, replacement) = self.two_parts('s')?;
        let mut substitution = Substitution {
            pattern: None,
            replacement: replace::parse(&replacement, delimiter),
            global: false,
            occurrence: 0,
            print: false,
            write: None,
        };
        let (mut ignore_case, mut multi_line) = (false, false);
        while let Some(flag) = self.source.peek() {
            match flag {
                'g' | 'p' => {
                    self.source.next();
                    let seen = if flag == 'g' { &mut substitution.global } else { &mut substitution.print };
                    if std::mem::replace(seen, true) {
                        return Err(self.source.error(format!("multiple `{flag}' options to `s' command")));
                    }
                }
                '0'..='9' => {
                    let number = self.number().unwrap_or(0);
                    if substitution.occurrence != 0 {
                        return Err(self.source.error("multiple number options to `s' command"));
                    }
                    if number == 0 {
                        return Err(self.source.error("number option to `s' command may not be zero"));
                    }
                    substitution.occurrence = usize::try_from(number).unwrap_or(usize::MAX);
                }
                'i' | 'I' => {
                    self.source.next();
                    ignore_case = true;
                }
                'm' | 'M' => {
                    self.source.next();
                    multi_line = true;
                }
                ' ' | '\t' => {
                    self.source.next();
                }
                'w' => {
                    self.source.next();
                    let name = self.file_name()?;
                    substitution.write = Some(index_of(&mut self.program.writes, name));
                    break;
                }
                ';' | '\n' => {
                    self.source.next();
                    break;
                }
                '}' | '#' => break,
                _ => {
                    self.source.next();
                    return Err(self.source.error("unknown option to `s'"));
                }
            }
        }
        substitution.occurrence = substitution.occurrence.max(1);
        let text = regex::unescape(&pattern, delimiter);
        substitution.pattern = regex::compile(&text, self.extended, ignore_case, multi_line)
            .map_err(|problem| self.source.error(problem))?;
        let groups = substitution.pattern.as_ref().map_or(9, |regex| regex.captures_len() - 1);
        let highest = replace::highest_group(&substitution.replacement);
        if highest > groups {
            return Err(self.source.error(format!("invalid reference \\{highest} on `s' command's RHS")));
        }
        Ok(substitution)
    }

    fn translation(&mut self) -> Result<Action> {
        let (_, from, to) = self.two_parts('y')?;
        let plain = |text: Vec<char>| -> Vec<char> {
            let mut out = Vec::new();
            let mut chars = text.into_iter();
            while let Some(char) = chars.next() {
                out.push(match char {
                    '\\' => match chars.next() {
                        Some('n') => '\n',
                        Some('t') => '\t',
                        Some(next) => next,
                        None => '\\',
                    },
                    _ => char,
                });
            }
            out
        };
        let (from, to) = (plain(from), plain(to));
        if from.len() != to.len() {
            return Err(self.source.error("strings for `y' command are different lengths"));
        }
        self.end_of_command()?;
        Ok(Action::Translate(from.into_iter().zip(to).collect()))
    }
}
