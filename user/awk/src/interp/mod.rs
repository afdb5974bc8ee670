//! The interpreter: the program's state (variables, arrays, the record, streams),
//! and running BEGIN, the main input loop with its patterns, and END. Statements are
//! run by `exec.rs`, expressions by `eval.rs`, builtins by `builtins.rs`.
mod builtins;
mod eval;
mod exec;
pub mod format;
pub mod input;
pub mod record;
mod streams;
pub mod value;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use regex_lite::Regex;

use crate::ast::{Pattern, Program, Var};
use crate::lexer;
use crate::specials;
use input::{RecordReader, Separator};
use record::{Record, Splitter};
use streams::Streams;
use value::Value;

pub type Array = HashMap<Rc<str>, Value>;

/// A variable: unset, a scalar, or an array (shared when passed to a function).
#[derive(Debug, Clone, Default)]
pub enum Cell {
    #[default]
    Uninit,
    Scalar(Value),
    Array(Rc<RefCell<Array>>),
}

/// Why running stopped early.
#[derive(Debug)]
pub enum Stop {
    Next,
    NextFile,
    Exit,
    Return(Value),
    Break,
    Continue,
    /// A fatal error, with its message.
    Error(String),
}

pub type Flow<T> = Result<T, Stop>;

pub fn fatal<T>(message: impl Into<String>) -> Flow<T> {
    Err(Stop::Error(message.into()))
}

/// How deep evaluation may nest (expressions, statements and function calls
/// together), so that a runaway recursion is an error within the stack `main.rs`
/// gives the interpreter.
const MAX_DEPTH: usize = 20_000;

/// The stack the interpreter needs for `MAX_DEPTH` (a debug build's frames are big).
pub const STACK_SIZE: usize = 256 << 20;

pub struct Interp<'p> {
    program: &'p Program,
    globals: Vec<Cell>,
    /// The current function call's locals, and the callers'.
    frames: Vec<Vec<Cell>>,
    /// How deep evaluation is now.
    depth: usize,
    record: Record,
    in_range: Vec<bool>,
    streams: Streams,
    /// Compiled regular expressions of strings used as such.
    regexes: HashMap<Rc<str>, Rc<Regex>>,
    /// The current FS and RS and what they compile to.
    splitter: (Rc<str>, bool, Rc<Splitter>),
    separator: (Rc<str>, Rc<Separator>),
    /// The main input: the next ARGV index and the current file.
    next_arg: usize,
    main: Option<RecordReader>,
    read_a_file: bool,
    exit_status: i32,
    random: u64,
    seed: f64,
}

impl std::fmt::Debug for Interp<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interp").field("exit_status", &self.exit_status).finish()
    }
}

/// Whether `text` is a command-line assignment `name=value`: its name and value.
pub fn assignment(text: &str) -> Option<(&str, &str)> {
    let (name, value) = text.split_once('=')?;
    let mut chars = name.chars();
    let first = chars.next()?;
    ((first.is_ascii_alphabetic() || first == '_') && chars.all(|char| char.is_ascii_alphanumeric() || char == '_'))
        .then_some((name, value))
}

impl<'p> Interp<'p> {
    /// The interpreter for `program`, with ARGV from `args` (ARGV[0] first) and the
    /// environment.
    pub fn new(program: &'p Program, args: &[String], environment: impl Iterator<Item = (String, String)>) -> Self {
        let blanks = Rc::new(Splitter::Blanks);
        let mut interp = Self {
            program,
            globals: vec![Cell::Uninit; program.globals.len()],
            frames: Vec::new(),
            depth: 0,
            record: Record::new(blanks.clone()),
            in_range: Vec::new(),
            streams: Streams::default(),
            regexes: HashMap::new(),
            splitter: (Rc::from(" "), false, blanks),
            separator: (Rc::from("\n"), Rc::new(Separator::Char(b'\n'))),
            next_arg: 1,
            main: None,
            read_a_file: false,
            exit_status: 0,
            random: 0,
            seed: 0.0,
        };
        interp.in_range = vec![false; interp.count_ranges()];
        let strings = [
            (specials::FS, " "),
            (specials::OFS, " "),
            (specials::ORS, "\n"),
            (specials::RS, "\n"),
            (specials::FILENAME, ""),
            (specials::SUBSEP, "\x1c"),
            (specials::CONVFMT, "%.6g"),
            (specials::OFMT, "%.6g"),
        ];
        for (slot, text) in strings {
            interp.globals[slot] = Cell::Scalar(Value::str(text));
        }
        for slot in [specials::NR, specials::FNR, specials::RSTART] {
            interp.globals[slot] = Cell::Scalar(Value::Num(0.0));
        }
        interp.globals[specials::RLENGTH] = Cell::Scalar(Value::Num(-1.0));
        interp.globals[specials::ARGC] = Cell::Scalar(Value::Num(args.len() as f64));
        let argv: Array = args
            .iter()
            .enumerate()
            .map(|(index, arg)| (Rc::from(index.to_string()), Value::input(arg.as_str())))
            .collect();
        interp.globals[specials::ARGV] = Cell::Array(Rc::new(RefCell::new(argv)));
        let environ: Array = environment.map(|(name, value)| (Rc::from(name), Value::input(value))).collect();
        interp.globals[specials::ENVIRON] = Cell::Array(Rc::new(RefCell::new(environ)));
        interp.srand(0.0);
        interp
    }

    fn count_ranges(&self) -> usize {
        self.program
            .items
            .iter()
            .filter_map(|item| match item.pattern {
                Pattern::Range(_, _, index) => Some(index + 1),
                _ => None,
            })
            .max()
            .unwrap_or(0)
    }

    /// `-v name=value` and operand assignments: the value with its escapes decoded,
    /// a strnum when it looks numeric.
    pub fn assign_text(&mut self, name: &str, value: &str) -> Result<(), String> {
        let Some(slot) = self.program.globals.iter().position(|global| global == name) else { return Ok(()) };
        let value = Value::input(lexer::unescape(value));
        self.set_var(Var::Global(slot), value).map_err(|stop| match stop {
            Stop::Error(message) => message,
            _ => String::new(),
        })
    }

    /// Runs the whole program; the exit status, or a fatal error's message with it.
    pub fn run(&mut self) -> Result<i32, String> {
        let result = self.run_all();
        let closed = self.streams.close_all();
        match result {
            Ok(()) => closed.map(|()| self.exit_status),
            Err(Stop::Error(message)) => Err(message),
            Err(_) => closed.map(|()| self.exit_status),
        }
    }

    fn run_all(&mut self) -> Flow<()> {
        let program = self.program;
        let mut exiting = false;
        for block in &program.begin {
            match self.block(block) {
                Err(Stop::Exit) => {
                    exiting = true;
                    break;
                }
                Err(Stop::Next | Stop::NextFile) => return fatal("improper use of next in BEGIN"),
                other => other?,
            }
        }
        let has_main = !program.items.is_empty() || !program.end.is_empty();
        if !exiting && has_main {
            match self.main_loop() {
                Err(Stop::Exit) => {}
                other => other?,
            }
        }
        for block in &program.end {
            match self.block(block) {
                Err(Stop::Exit) => return Ok(()),
                Err(Stop::Next | Stop::NextFile) => return fatal("improper use of next in END"),
                other => other?,
            }
        }
        Ok(())
    }

    fn main_loop(&mut self) -> Flow<()> {
        let program = self.program;
        while let Some(text) = self.next_main_record()? {
            self.count_record();
            self.set_record(text);
            'items: for item in &program.items {
                if !self.matches(&item.pattern)? {
                    continue;
                }
                let result = match &item.action {
                    Some(action) => self.block(action),
                    None => self.print_record(),
                };
                match result {
                    Err(Stop::Next) => break 'items,
                    Err(Stop::NextFile) => {
                        self.main = None;
                        break 'items;
                    }
                    other => other?,
                }
            }
        }
        Ok(())
    }

    fn print_record(&mut self) -> Flow<()> {
        let mut text = self.record_text().to_string();
        text.push_str(&self.special_string(specials::ORS));
        self.streams.write(None, text.as_bytes()).or_else(fatal)
    }

    fn matches(&mut self, pattern: &Pattern) -> Flow<bool> {
        Ok(match pattern {
            Pattern::All => true,
            Pattern::Expr(expr) => self.condition(expr)?,
            Pattern::Range(start, end, index) => {
                if !self.in_range[*index] {
                    if !self.condition(start)? {
                        return Ok(false);
                    }
                    self.in_range[*index] = true;
                }
                if self.condition(end)? {
                    self.in_range[*index] = false;
                }
                true
            }
        })
    }

    fn count_record(&mut self) {
        for slot in [specials::NR, specials::FNR] {
            let count = self.global_value(slot).number() + 1.0;
            self.globals[slot] = Cell::Scalar(Value::Num(count));
        }
    }

    /// A special variable's value as a string.
    fn special_string(&self, slot: usize) -> Rc<str> {
        let convfmt = match &self.globals[specials::CONVFMT] {
            Cell::Scalar(Value::Str(text)) => text.clone(),
            _ => Rc::from("%.6g"),
        };
        self.global_value(slot).string(&convfmt)
    }

    fn global_value(&self, slot: usize) -> Value {
        match &self.globals[slot] {
            Cell::Scalar(value) => value.clone(),
            _ => Value::Uninit,
        }
    }

    fn convfmt(&self) -> Rc<str> {
        self.special_string(specials::CONVFMT)
    }

    /// The separator RS says now.
    fn record_separator(&mut self) -> Flow<Rc<Separator>> {
        let rs = self.special_string(specials::RS);
        if rs != self.separator.0 {
            let separator = Separator::new(&rs).or_else(fatal)?;
            self.separator = (rs, Rc::new(separator));
        }
        Ok(self.separator.1.clone())
    }

    /// The splitter FS (and RS, for paragraph mode) says now.
    fn field_splitter(&mut self) -> Flow<Rc<Splitter>> {
        let fs = self.special_string(specials::FS);
        let paragraphs = self.special_string(specials::RS).is_empty();
        if fs != self.splitter.0 || paragraphs != self.splitter.1 {
            let splitter = Splitter::new(&fs, paragraphs).or_else(fatal)?;
            self.splitter = (fs, paragraphs, Rc::new(splitter));
        }
        Ok(self.splitter.2.clone())
    }

    fn set_record(&mut self, text: String) {
        let splitter = self.field_splitter().unwrap_or_else(|_| Rc::new(Splitter::Blanks));
        self.record.set(Rc::from(text), splitter);
    }

    fn record_text(&mut self) -> Rc<str> {
        let ofs = self.special_string(specials::OFS);
        let convfmt = self.convfmt();
        self.record.text(&ofs, &convfmt)
    }

    fn argv(&self, index: usize) -> Option<Value> {
        match &self.globals[specials::ARGV] {
            Cell::Array(array) => array.borrow().get(index.to_string().as_str()).cloned(),
            _ => None,
        }
    }

    /// The next record of the main input, opening ARGV's files in turn.
    fn next_main_record(&mut self) -> Flow<Option<String>> {
        loop {
            if self.main.is_some() {
                let separator = self.record_separator()?;
                let reader = self.main.as_mut().expect("checked above");
                match reader.next_record(&separator) {
                    Ok(Some(record)) => return Ok(Some(record)),
                    Ok(None) => self.main = None,
                    Err(err) => return fatal(format!("read error ({})", ulib::diag::error_text(&err))),
                }
            }
            let argc = self.global_value(specials::ARGC).number().max(0.0) as usize;
            let mut opened = false;
            while self.next_arg < argc {
                let index = self.next_arg;
                self.next_arg += 1;
                let Some(arg) = self.argv(index) else { continue };
                let arg = arg.string(&self.convfmt());
                if arg.is_empty() {
                    continue;
                }
                if let Some((name, value)) = assignment(&arg) {
                    self.assign_text(name, value).or_else(fatal)?;
                    continue;
                }
                self.open_main(&arg)?;
                opened = true;
                break;
            }
            if !opened {
                if self.read_a_file {
                    return Ok(None);
                }
                self.open_main("-")?;
            }
        }
    }

    fn open_main(&mut self, name: &str) -> Flow<()> {
        let source: Box<dyn std::io::Read> = if name == "-" || name == "/dev/stdin" {
            Box::new(std::io::stdin())
        } else {
            match std::fs::File::open(name) {
                Ok(file) => Box::new(file),
                Err(err) => return fatal(format!("cannot open {name} ({})", ulib::diag::error_text(&err))),
            }
        };
        self.main = Some(RecordReader::new(source));
        self.read_a_file = true;
        self.globals[specials::FILENAME] = Cell::Scalar(Value::str(name));
        self.globals[specials::FNR] = Cell::Scalar(Value::Num(0.0));
        Ok(())
    }

    /// srand(seed): the previous seed.
    fn srand(&mut self, seed: f64) -> f64 {
        let previous = self.seed;
        self.seed = seed;
        self.random = (seed.to_bits() ^ 0x9e37_79b9_7f4a_7c15) | 1;
        previous
    }

    /// rand(): uniform in [0, 1) (xorshift64*).
    fn rand(&mut self) -> f64 {
        self.random ^= self.random >> 12;
        self.random ^= self.random << 25;
        self.random ^= self.random >> 27;
        let value = self.random.wrapping_mul(0x2545_f491_4f6c_dd1d);
        (value >> 11) as f64 / (1u64 << 53) as f64
    }
}
