//! Here-documents: the bodies of a line's `<<` and `<<-` operators are the lines
//! after it, each up to a line that is its delimiter (with leading tabs removed
//! for `<<-`). An unquoted delimiter's body expands parameters, substitutions and
//! arithmetic; a quoted one's is taken as it is. While the command is parsed, a
//! redirection holds its here-document's number; once the command is complete,
//! the numbers are replaced by the bodies.
use std::rc::Rc;

use super::ParseError;
use super::grammar::Grammar;
use crate::ast::{Command, Compound, List, Part, Redirect, RedirectOp, Word};

impl Grammar<'_, '_> {
    /// Reads the bodies of the here-documents pending, after a newline.
    pub(super) fn read_heredocs(&mut self) -> Result<(), ParseError> {
        for pending in std::mem::take(&mut self.parser.pending) {
            let mut body = String::new();
            loop {
                let source = &mut self.parser.source;
                if !source.finished && !source.has_full_line() {
                    return Err(ParseError::Incomplete);
                }
                let Some(line) = source.raw_line() else {
                    break;
                };
                let line = if pending.strip_tabs { line.trim_start_matches('\t') } else { &line };
                if line == pending.delimiter {
                    break;
                }
                body.push_str(line);
                body.push('\n');
            }
            let word = if pending.quoted { Word(vec![Part::Quoted(body)]) } else { Word(self.heredoc_parts(&body)?) };
            self.parser.bodies.push(word);
        }
        Ok(())
    }

    /// At the end of the text (no more can come): pending here-documents are empty.
    pub(super) fn end_heredocs(&mut self) {
        for _ in std::mem::take(&mut self.parser.pending) {
            self.parser.bodies.push(Word::default());
        }
    }

    /// Puts the bodies read in place of the here-document numbers in `list`.
    pub(super) fn fill_heredocs(&mut self, list: &mut List) {
        if self.parser.heredocs > 0 {
            fill_list(list, &self.parser.bodies);
        }
    }
}

fn fill_list(list: &mut List, bodies: &[Word]) {
    for item in &mut list.items {
        let and_or = &mut item.and_or;
        for pipeline in std::iter::once(&mut and_or.first).chain(and_or.rest.iter_mut().map(|(_, pipeline)| pipeline)) {
            for command in &mut pipeline.commands {
                fill_command(command, bodies);
            }
        }
    }
}

fn fill_command(command: &mut Command, bodies: &[Word]) {
    match command {
        Command::Simple(simple) => {
            for assignment in &mut simple.assignments {
                fill_word(&mut assignment.value, bodies);
            }
            for word in &mut simple.words {
                fill_word(word, bodies);
            }
            fill_redirects(&mut simple.redirects, bodies);
        }
        Command::Compound(compound, redirects) => {
            fill_compound(compound, bodies);
            fill_redirects(redirects, bodies);
        }
        Command::Function { body, .. } => {
            let body = Rc::make_mut(body);
            fill_compound(&mut body.body, bodies);
            fill_redirects(&mut body.redirects, bodies);
        }
    }
}

fn fill_compound(compound: &mut Compound, bodies: &[Word]) {
    match compound {
        Compound::Group(list) | Compound::Subshell(list) => fill_list(list, bodies),
        Compound::If { branches, otherwise } => {
            for (condition, body) in branches {
                fill_list(condition, bodies);
                fill_list(body, bodies);
            }
            if let Some(otherwise) = otherwise {
                fill_list(otherwise, bodies);
            }
        }
        Compound::Loop { condition, body, .. } => {
            fill_list(condition, bodies);
            fill_list(body, bodies);
        }
        Compound::For { words, body, .. } => {
            for word in words.iter_mut().flatten() {
                fill_word(word, bodies);
            }
            fill_list(body, bodies);
        }
        Compound::Case { word, arms } => {
            fill_word(word, bodies);
            for arm in arms {
                for pattern in &mut arm.patterns {
                    fill_word(pattern, bodies);
                }
                fill_list(&mut arm.body, bodies);
            }
        }
    }
}

fn fill_redirects(redirects: &mut [Redirect], bodies: &[Word]) {
    for redirect in redirects {
        if redirect.op == RedirectOp::HereDoc
            && let [Part::Text(number)] = &redirect.target.0[..]
            && let Some(body) = number.parse::<usize>().ok().and_then(|index| bodies.get(index))
        {
            redirect.target = body.clone();
        } else {
            fill_word(&mut redirect.target, bodies);
        }
    }
}

fn fill_word(word: &mut Word, bodies: &[Word]) {
    fill_parts(&mut word.0, bodies);
}

fn fill_parts(parts: &mut [Part], bodies: &[Word]) {
    for part in parts {
        match part {
            Part::Command(list) => fill_list(list, bodies),
            Part::Double(parts) | Part::Arith(parts) => fill_parts(parts, bodies),
            Part::Param(param) => fill_word(&mut param.word, bodies),
            Part::Text(_) | Part::Quoted(_) | Part::Tilde(_) => {}
        }
    }
}
