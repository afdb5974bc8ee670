//! The editor: the buffer, the cursor and the modes (normal, insert, replace,
//! command line), driven one key at a time; it carries out what `normal.rs` and
//! `command_line.rs` parse, keeps the undo history, the unnamed register, the
//! last search and `.`'s keys, and says what the screen shows through `render.rs`.
use std::mem;
use std::path::Path;

use lineedit::keys::ctrl;

use crate::buffer::{Buffer, Pos, last_char, next_char, prev_char};
use crate::command_line::{self, Ex, Range};
use crate::files;
use crate::input::Key;
use crate::motion::{self, Find};
use crate::normal::{self, Command, Extent, InsertAt, Motion, Operator, Parse};
use crate::render::{self, Frame, Options, Status, View};
use crate::search::Pattern;
use crate::undo::Undo;

/// What `:help` shows.
pub const HELP: &str = "\
vi keys (see `man vi` for all)
Moving:  h j k l, arrows   w b e W B E   0 ^ $   gg G NG   H M L
         Ctrl-F Ctrl-B Ctrl-D Ctrl-U, PgUp PgDn   f F t T ; ,   %
Search:  /pattern ?pattern n N (basic regular expressions)
Insert:  i I a A o O (Escape leaves), R replaces
Change:  x X r J ~ s S D C, d c y with a motion, dd cc yy Y
         p P put, u undo, Ctrl-R redo, . repeat
Files:   :w [file] :w! :q :q! :wq :x ZZ :e file :e! :r file
Lines:   :N  :N,Md  :%s/re/new/g  :set nu nonu list nolist
";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Insert,
    Replace,
    CommandLine,
}

/// The unnamed register: text deleted or yanked, whole lines or not.
#[derive(Debug, Clone, Default)]
struct Register {
    text: Vec<Vec<u8>>,
    lines: bool,
}

/// An insert (or replace) session: what a count repeats when it ends.
#[derive(Debug, Default)]
struct Session {
    count: usize,
    typed: Vec<Key>,
    /// Whether it opened a line (`o`, `O`), which each repetition does again.
    opens_line: bool,
    /// In replace mode, the characters replaced (`None`: appended), which
    /// Backspace puts back.
    replaced: Vec<Option<Vec<u8>>>,
}

pub struct Editor {
    buf: Buffer,
    cursor: Pos,
    /// The screen column that `j` and `k` keep to (`usize::MAX`: the line's end).
    want: usize,
    top: usize,
    view: View,
    options: Options,
    mode: Mode,
    /// Normal-mode keys of a command not yet complete.
    pending: Vec<Key>,
    undo: Undo,
    /// The undo state last written.
    saved: u64,
    /// Where the cursor was when the running command started.
    command_cursor: Pos,
    register: Register,
    last_find: Option<Find>,
    pattern: Option<(String, Pattern)>,
    search_forward: bool,
    file: Option<String>,
    readonly: bool,
    message: String,
    command: String,
    command_kind: char,
    /// The keys of the last change, for `.`.
    dot: Vec<Key>,
    /// The keys of a change still in insert mode.
    recording: Option<Vec<Key>>,
    replaying: bool,
    session: Session,
    help: bool,
    quit: bool,
    redraw: bool,
}

impl Editor {
    /// An editor with an empty buffer for a terminal of `rows` by `columns`.
    pub fn new(rows: usize, columns: usize) -> Self {
        Self {
            buf: Buffer::default(),
            cursor: Pos::default(),
            want: 0,
            top: 0,
            view: View::of_terminal(rows, columns),
            options: Options::default(),
            mode: Mode::Normal,
            pending: Vec::new(),
            undo: Undo::default(),
            saved: 0,
            command_cursor: Pos::default(),
            register: Register::default(),
            last_find: None,
            pattern: None,
            search_forward: true,
            file: None,
            readonly: false,
            message: String::new(),
            command: String::new(),
            command_kind: ':',
            dot: Vec::new(),
            recording: None,
            replaying: false,
            session: Session::default(),
            help: false,
            quit: false,
            redraw: false,
        }
    }

    pub fn resize(&mut self, rows: usize, columns: usize) {
        self.view = View::of_terminal(rows, columns);
    }

    /// Edits file `name` (a missing one is new).
    pub fn open(&mut self, name: &str) {
        match files::load(name) {
            Ok(loaded) => {
                self.buf = loaded.buffer;
                self.readonly = loaded.readonly;
                self.message = loaded.message;
            }
            Err(message) => {
                self.buf = Buffer::default();
                self.readonly = false;
                self.message = message;
            }
        }
        self.file = Some(name.to_string());
        self.undo = Undo::default();
        self.saved = 0;
        self.top = 0;
        self.goto_line(0);
    }

    /// Where `+N`, `+/pattern` or `+` (the last line) puts the cursor.
    pub fn start_at(&mut self, place: &str) {
        if let Some(pattern) = place.strip_prefix('/') {
            let last = self.buf.len() - 1;
            self.cursor = Pos::new(last, self.buf.line(last).len());
            self.search(pattern, true);
            if self.cursor.line == last && self.cursor.col == self.buf.line(last).len() {
                self.goto_line(0);
            }
            if !self.message.starts_with('E') {
                self.message.clear();
            }
        } else {
            let line = place.parse::<usize>().map_or(self.buf.len() - 1, |line| line.saturating_sub(1));
            self.goto_line(line.min(self.buf.len() - 1));
        }
        self.scroll();
    }

    pub fn quitting(&self) -> bool {
        self.quit
    }

    /// Whether the screen must be drawn anew (Ctrl-L), clearing the request.
    pub fn take_redraw(&mut self) -> bool {
        mem::take(&mut self.redraw)
    }

    pub fn modified(&self) -> bool {
        self.undo.state() != self.saved
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn text(&self) -> Vec<u8> {
        self.buf.to_bytes()
    }

    pub fn cursor(&self) -> Pos {
        self.cursor
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// What the screen shows now.
    pub fn frame(&self) -> Frame {
        if self.help {
            let (help, _) = Buffer::from_bytes(HELP.as_bytes());
            let status = Status {
                name: Some("help".into()),
                message: "Press ENTER or type command to continue".into(),
                cursor_on_message: true,
                ..Status::default()
            };
            return self.view.frame(&help, 0, Pos::default(), Options::default(), &status);
        }
        let mode = match self.mode {
            Mode::Insert => "-- INSERT --",
            Mode::Replace => "-- REPLACE --",
            Mode::Normal | Mode::CommandLine => "",
        };
        let on_command = self.mode == Mode::CommandLine;
        let status = Status {
            name: self.file.clone(),
            modified: self.modified(),
            readonly: self.readonly,
            mode,
            message: if on_command { format!("{}{}", self.command_kind, self.command) } else { self.message.clone() },
            cursor_on_message: on_command,
        };
        self.view.frame(&self.buf, self.top, self.cursor, self.options, &status)
    }

    /// Acts on one key.
    pub fn key(&mut self, key: Key) {
        if self.help {
            self.help = false;
            if key != Key::Char(':') {
                return;
            }
        }
        match self.mode {
            Mode::Normal => self.normal_key(key),
            Mode::Insert | Mode::Replace => self.insert_key(key),
            Mode::CommandLine => self.command_key(key),
        }
        self.scroll();
    }

    fn scroll(&mut self) {
        self.top = self.view.scroll(&self.buf, self.top.min(self.buf.len() - 1), self.cursor.line, self.options);
    }

    fn normal_key(&mut self, key: Key) {
        if self.pending.is_empty() {
            self.message.clear();
        }
        self.pending.push(key);
        match normal::parse(&self.pending) {
            Parse::More => {}
            Parse::Invalid => self.pending.clear(),
            Parse::Done(action) => {
                let keys = mem::take(&mut self.pending);
                self.run(action.command, action.count, keys);
            }
        }
    }

    fn run(&mut self, command: Command, count: Option<usize>, keys: Vec<Key>) {
        self.command_cursor = self.cursor;
        let times = count.unwrap_or(1);
        match command {
            Command::Move(motion) => self.move_cursor(motion, count),
            Command::Operate(operator, motion) => self.operate(operator, motion, count),
            Command::Insert(at) => self.begin_insert(at, times),
            Command::Replace => self.enter_insert(Mode::Replace, times, false),
            Command::ReplaceChar(char) => self.replace_chars(char, times),
            Command::Join => self.join(times.max(2)),
            Command::ToggleCase => self.toggle_case(times),
            Command::Put { before } => self.put(before, times),
            Command::Repeat => self.repeat(count),
            Command::Undo => self.undo(times),
            Command::Redo => self.redo(times),
            Command::CommandLine(kind) => {
                self.mode = Mode::CommandLine;
                self.command_kind = kind;
                self.command.clear();
            }
            Command::WriteQuit => self.ex(Ex::Write { file: None, force: false, quit: true, only_if_modified: true }),
            Command::Quit => self.quit = true,
            Command::Redraw => self.redraw = true,
            Command::FileInfo => self.message = self.file_info(),
        }
        if command.repeatable() && !self.replaying {
            if self.mode == Mode::Normal {
                self.dot = keys;
            } else {
                self.recording = Some(keys);
            }
        }
        if self.mode == Mode::Normal {
            self.undo.close();
        }
        self.clamp();
        if !matches!(command, Command::Move(Motion::Up | Motion::Down | Motion::LineEnd)) {
            self.want = self.column();
        }
    }

    /// The cursor's screen column in its line.
    fn column(&self) -> usize {
        render::column_of(self.buf.line(self.cursor.line), self.cursor.col, self.options.list)
    }

    /// The byte offset in line `line` for the column `j` and `k` keep to.
    fn wanted_col(&self, line: usize) -> usize {
        let text = self.buf.line(line);
        match self.want {
            usize::MAX if self.mode == Mode::Normal => last_char(text),
            usize::MAX => text.len(),
            want if self.mode != Mode::Normal && render::column_of(text, text.len(), self.options.list) <= want => {
                text.len()
            }
            want => render::col_at(text, want, self.options.list),
        }
    }

    /// Keeps the cursor on the text: in normal mode on a character.
    fn clamp(&mut self) {
        self.cursor.line = self.cursor.line.min(self.buf.len() - 1);
        let line = self.buf.line(self.cursor.line);
        let end = if self.mode == Mode::Normal { last_char(line) } else { line.len() };
        self.cursor.col = self.cursor.col.min(end);
    }

    fn first_non_blank(&self, line: usize) -> Pos {
        Pos::new(line, motion::first_non_blank(self.buf.line(line)))
    }

    fn goto_line(&mut self, line: usize) {
        self.cursor = self.first_non_blank(line);
        self.want = self.column();
    }

    /// Replaces lines, recording the change for undo.
    fn replace(&mut self, at: usize, count: usize, new: Vec<Vec<u8>>) {
        let change = self.buf.replace(at, count, new);
        self.undo.record(change, self.command_cursor);
    }

    /// Replaces text, recording the change: where the new text ends.
    fn splice(&mut self, from: Pos, to: Pos, text: &[Vec<u8>]) -> Pos {
        let (change, end) = self.buf.splice(from, to, text);
        self.undo.record(change, self.command_cursor);
        end
    }

    fn bottom(&self) -> usize {
        self.view.bottom(&self.buf, self.top, self.options)
    }

    /// Where `motion` goes from the cursor (for an operator if `operator`), or
    /// `None` if it cannot move.
    fn target(&mut self, motion: Motion, count: Option<usize>, operator: bool) -> Option<Pos> {
        let times = count.unwrap_or(1);
        let cursor = self.cursor;
        let line = self.buf.line(cursor.line);
        let last = self.buf.len() - 1;
        let half = self.view.rows.div_ceil(2);
        Some(match motion {
            Motion::Left => {
                if cursor.col == 0 {
                    return None;
                }
                Pos::new(cursor.line, (0..times).fold(cursor.col, |col, _| prev_char(line, col)))
            }
            Motion::Right => {
                let end = if operator { line.len() } else { last_char(line) };
                if cursor.col >= end {
                    return None;
                }
                Pos::new(cursor.line, (0..times).fold(cursor.col, |col, _| next_char(line, col).min(end)))
            }
            Motion::Up | Motion::PreviousLine => {
                let line = cursor.line.checked_sub(times)?;
                if motion == Motion::Up { Pos::new(line, self.wanted_col(line)) } else { self.first_non_blank(line) }
            }
            Motion::Down | Motion::NextLine => {
                let line = cursor.line + times;
                if line > last {
                    return None;
                }
                if motion == Motion::Down { Pos::new(line, self.wanted_col(line)) } else { self.first_non_blank(line) }
            }
            Motion::WordForward(big) => {
                let pos = (0..times).fold(cursor, |pos, _| motion::word_forward(&self.buf, pos, big));
                if operator && pos.line > cursor.line {
                    // The operated text ends with the last word moved over.
                    Pos::new(pos.line - 1, self.buf.line(pos.line - 1).len())
                } else {
                    pos
                }
            }
            Motion::WordBack(big) => (0..times).fold(cursor, |pos, _| motion::word_back(&self.buf, pos, big)),
            Motion::WordEnd(big) => (0..times).fold(cursor, |pos, _| motion::word_end(&self.buf, pos, big)),
            Motion::LineStart => Pos::new(cursor.line, 0),
            Motion::FirstNonBlank => self.first_non_blank(cursor.line),
            Motion::LineEnd => {
                let line = (cursor.line + times - 1).min(last);
                Pos::new(line, last_char(self.buf.line(line)))
            }
            Motion::Line => self.first_non_blank(count.map_or(last, |line| line.clamp(1, last + 1) - 1)),
            Motion::FirstLine => self.first_non_blank(count.map_or(0, |line| line.clamp(1, last + 1) - 1)),
            Motion::Find(find) => {
                self.last_find = Some(find);
                Pos::new(cursor.line, find.column(line, cursor.col, times)?)
            }
            Motion::RepeatFind { reverse } => {
                let find = self.last_find?;
                let find = Find { forward: find.forward != reverse, ..find };
                // A repeated `t` goes past the character it stopped before.
                let from = match (find.till, find.forward) {
                    (false, _) => cursor.col,
                    (true, true) => next_char(line, cursor.col),
                    (true, false) => prev_char(line, cursor.col),
                };
                Pos::new(cursor.line, find.column(line, from, times)?)
            }
            Motion::Match => motion::matching(&self.buf, cursor)?,
            Motion::ScreenTop => self.first_non_blank((self.top + times - 1).min(self.bottom())),
            Motion::ScreenMiddle => self.first_non_blank((self.top + self.bottom()) / 2),
            Motion::ScreenBottom => self.first_non_blank(self.bottom().saturating_sub(times - 1).max(self.top)),
            Motion::HalfPageDown | Motion::HalfPageUp => {
                let amount = count.unwrap_or(half);
                let line = if motion == Motion::HalfPageDown {
                    if cursor.line == last {
                        return None;
                    }
                    self.top = (self.top + amount).min(last);
                    (cursor.line + amount).min(last)
                } else {
                    if cursor.line == 0 {
                        return None;
                    }
                    self.top = self.top.saturating_sub(amount);
                    cursor.line.saturating_sub(amount)
                };
                self.first_non_blank(line)
            }
            Motion::PageDown => {
                if self.top == last {
                    return None;
                }
                self.top = (0..times).fold(self.top, |top, _| {
                    self.view.bottom(&self.buf, top, self.options).saturating_sub(1).max(top + 1).min(last)
                });
                self.first_non_blank(self.top)
            }
            Motion::PageUp => {
                if self.top == 0 {
                    return None;
                }
                let step = self.view.rows.saturating_sub(2).max(1);
                self.top = self.top.saturating_sub(step * times);
                self.first_non_blank(self.bottom().min(cursor.line))
            }
            Motion::SearchNext { reverse } => {
                let (text, _) = self.pattern.clone()?;
                let forward = self.search_forward != reverse;
                return self.find_pattern(&text, forward, times);
            }
        })
    }

    /// The `count`th match of the last pattern from the cursor, with vim's
    /// messages.
    fn find_pattern(&mut self, text: &str, forward: bool, count: usize) -> Option<Pos> {
        let (_, pattern) = self.pattern.clone()?;
        let mut pos = self.cursor;
        let mut wrapped = false;
        for _ in 0..count {
            let Some((found, wrap)) = pattern.search(&self.buf, pos, forward) else {
                self.message = format!("E486: Pattern not found: {text}");
                return None;
            };
            pos = found;
            wrapped |= wrap;
        }
        self.message = match (wrapped, forward) {
            (true, true) => "search hit BOTTOM, continuing at TOP".into(),
            (true, false) => "search hit TOP, continuing at BOTTOM".into(),
            (false, true) => format!("/{text}"),
            (false, false) => format!("?{text}"),
        };
        Some(pos)
    }

    /// `/pattern` or `?pattern` (an empty one: the last).
    fn search(&mut self, text: &str, forward: bool) {
        let text = if text.is_empty() {
            match &self.pattern {
                Some((last, _)) => last.clone(),
                None => {
                    self.message = "E35: No previous regular expression".into();
                    return;
                }
            }
        } else {
            match Pattern::new(text) {
                Ok(pattern) => self.pattern = Some((text.to_string(), pattern)),
                Err(message) => {
                    self.message = message;
                    return;
                }
            }
            text.to_string()
        };
        self.search_forward = forward;
        if let Some(pos) = self.find_pattern(&text, forward, 1) {
            self.cursor = pos;
        }
    }

    fn move_cursor(&mut self, motion: Motion, count: Option<usize>) {
        if let Some(pos) = self.target(motion, count, false) {
            self.cursor = pos;
        }
        if motion == Motion::LineEnd {
            self.want = usize::MAX;
        }
    }

    /// `d`, `c` or `y` over a motion, or over `count` lines.
    fn operate(&mut self, operator: Operator, motion: Option<Motion>, count: Option<usize>) {
        let cursor = self.cursor;
        let last = self.buf.len() - 1;
        let (from, to, lines) = match motion {
            None => {
                let end = cursor.line + count.unwrap_or(1) - 1;
                (Pos::new(cursor.line, 0), Pos::new(end.min(last), 0), true)
            }
            Some(motion) => {
                let target = match motion {
                    // `cw` on a word changes to its end, as `ce` (but only this word's).
                    Motion::WordForward(big)
                        if operator == Operator::Change && !motion::at_blank(&self.buf, cursor) =>
                    {
                        let times = count.unwrap_or(1);
                        let mut pos = cursor;
                        for round in 0..times {
                            if round > 0 || !motion::at_word_end(&self.buf, pos, big) {
                                pos = motion::word_end(&self.buf, pos, big);
                            }
                        }
                        Some((pos, Extent::Inclusive))
                    }
                    _ => {
                        let extent = motion.extent(self.last_find);
                        self.target(motion, count, true).map(|target| (target, extent))
                    }
                };
                let Some((target, extent)) = target else { return };
                let (start, end) = (cursor.min(target), cursor.max(target));
                match extent {
                    Extent::Lines => (Pos::new(start.line, 0), Pos::new(end.line, 0), true),
                    Extent::Inclusive => {
                        (start, Pos::new(end.line, next_char(self.buf.line(end.line), end.col)), false)
                    }
                    Extent::Exclusive => (start, end, false),
                }
            }
        };
        if lines {
            self.operate_lines(operator, from.line, to.line);
        } else {
            self.register = Register { text: self.buf.text(from, to), lines: false };
            match operator {
                Operator::Yank => self.cursor = from,
                Operator::Delete | Operator::Change if from == to => self.cursor = from,
                Operator::Delete | Operator::Change => self.cursor = self.splice(from, to, &[]),
            }
            if operator == Operator::Change {
                self.enter_insert(Mode::Insert, 1, false);
            }
        }
    }

    fn operate_lines(&mut self, operator: Operator, start: usize, end: usize) {
        let count = end - start + 1;
        self.register = Register { text: self.buf.lines()[start..=end].to_vec(), lines: true };
        match operator {
            Operator::Yank => {
                self.cursor.line = start;
                if count > 2 {
                    self.message = format!("{count} lines yanked");
                }
            }
            Operator::Delete => {
                self.replace(start, count, Vec::new());
                self.cursor = self.first_non_blank(start.min(self.buf.len() - 1));
                if count > 2 {
                    self.message = format!("{count} fewer lines");
                }
            }
            Operator::Change => {
                self.replace(start, count, vec![Vec::new()]);
                self.cursor = Pos::new(start, 0);
                self.enter_insert(Mode::Insert, 1, false);
            }
        }
    }

    fn begin_insert(&mut self, at: InsertAt, count: usize) {
        let line = self.buf.line(self.cursor.line);
        match at {
            InsertAt::Cursor => {}
            InsertAt::After => self.cursor.col = next_char(line, self.cursor.col),
            InsertAt::LineStart => self.cursor.col = motion::first_non_blank(line).min(line.len()),
            InsertAt::LineEnd => self.cursor.col = line.len(),
            InsertAt::Below | InsertAt::Above => {
                let at = self.cursor.line + usize::from(at == InsertAt::Below);
                self.replace(at, 0, vec![Vec::new()]);
                self.cursor = Pos::new(at, 0);
            }
        }
        self.enter_insert(Mode::Insert, count, matches!(at, InsertAt::Below | InsertAt::Above));
    }

    fn enter_insert(&mut self, mode: Mode, count: usize, opens_line: bool) {
        self.mode = mode;
        self.session = Session { count, opens_line, ..Session::default() };
    }

    fn insert_key(&mut self, key: Key) {
        if let Some(recording) = self.recording.as_mut() {
            recording.push(key);
        }
        if key != Key::Escape {
            self.session.typed.push(key);
            self.type_key(key);
            if !matches!(key, Key::Up | Key::Down) {
                self.want = self.column();
            }
            return;
        }
        let session = mem::take(&mut self.session);
        self.session.replaced = session.replaced;
        for _ in 1..session.count {
            if session.opens_line {
                let line = self.cursor.line + 1;
                self.replace(line, 0, vec![Vec::new()]);
                self.cursor = Pos::new(line, 0);
            }
            for &key in &session.typed {
                self.type_key(key);
            }
        }
        self.mode = Mode::Normal;
        self.cursor.col = prev_char(self.buf.line(self.cursor.line), self.cursor.col);
        self.want = self.column();
        self.undo.close();
        if let Some(keys) = self.recording.take() {
            self.dot = keys;
        }
    }

    /// A key typed in insert or replace mode.
    fn type_key(&mut self, key: Key) {
        let cursor = self.cursor;
        let line = self.buf.line(cursor.line);
        match key {
            Key::Char(char) => {
                let mut bytes = [0; 4];
                self.type_text(char.encode_utf8(&mut bytes).as_bytes());
            }
            Key::Control(b'\t') => self.type_text(b"\t"),
            Key::Control(b'\r' | b'\n') => self.cursor = self.splice(cursor, cursor, &[Vec::new(), Vec::new()]),
            Key::Control(0x7f | 0x08) => self.backspace(),
            Key::Control(byte) if byte == ctrl(b'W') && self.mode == Mode::Insert && cursor.col > 0 => {
                let start = motion::word_back(&self.buf, cursor, false);
                let start = if start.line == cursor.line { start } else { Pos::new(cursor.line, 0) };
                self.cursor = self.splice(start, cursor, &[]);
            }
            Key::Control(byte) if byte == ctrl(b'U') && self.mode == Mode::Insert => {
                self.cursor = self.splice(Pos::new(cursor.line, 0), cursor, &[]);
            }
            Key::Delete if cursor.col < line.len() => {
                self.splice(cursor, Pos::new(cursor.line, next_char(line, cursor.col)), &[]);
            }
            Key::Delete if cursor.line + 1 < self.buf.len() => {
                self.splice(cursor, Pos::new(cursor.line + 1, 0), &[]);
            }
            Key::Left => self.cursor.col = prev_char(line, cursor.col),
            Key::Right => self.cursor.col = next_char(line, cursor.col),
            Key::Home => self.cursor.col = 0,
            Key::End => self.cursor.col = line.len(),
            Key::Up if cursor.line > 0 => self.cursor = Pos::new(cursor.line - 1, self.wanted_col(cursor.line - 1)),
            Key::Down if cursor.line + 1 < self.buf.len() => {
                self.cursor = Pos::new(cursor.line + 1, self.wanted_col(cursor.line + 1));
            }
            _ => {}
        }
    }

    fn type_text(&mut self, text: &[u8]) {
        let cursor = self.cursor;
        let line = self.buf.line(cursor.line);
        let to = if self.mode == Mode::Replace && cursor.col < line.len() {
            let end = next_char(line, cursor.col);
            self.session.replaced.push(Some(line[cursor.col..end].to_vec()));
            Pos::new(cursor.line, end)
        } else {
            if self.mode == Mode::Replace {
                self.session.replaced.push(None);
            }
            cursor
        };
        self.cursor = self.splice(cursor, to, &[text.to_vec()]);
    }

    fn backspace(&mut self) {
        let cursor = self.cursor;
        if cursor.col == 0 {
            if self.mode == Mode::Insert && cursor.line > 0 {
                let end = Pos::new(cursor.line - 1, self.buf.line(cursor.line - 1).len());
                self.splice(end, cursor, &[]);
                self.cursor = end;
            }
            return;
        }
        let before = Pos::new(cursor.line, prev_char(self.buf.line(cursor.line), cursor.col));
        match (self.mode, self.session.replaced.pop()) {
            (Mode::Replace, Some(Some(original))) => {
                self.splice(before, cursor, &[original]);
            }
            (Mode::Replace, None) => {}
            _ => {
                self.splice(before, cursor, &[]);
            }
        }
        self.cursor = before;
    }

    /// `r`: the next `count` characters become `char` (Enter: a line break).
    fn replace_chars(&mut self, char: char, count: usize) {
        let cursor = self.cursor;
        let line = self.buf.line(cursor.line);
        let mut end = cursor.col;
        for _ in 0..count {
            if end >= line.len() {
                return;
            }
            end = next_char(line, end);
        }
        let to = Pos::new(cursor.line, end);
        if char == '\n' {
            self.cursor = self.splice(cursor, to, &[Vec::new(), Vec::new()]);
        } else {
            let text = char.to_string().repeat(count).into_bytes();
            let end = self.splice(cursor, to, &[text]);
            self.cursor = Pos::new(end.line, prev_char(self.buf.line(end.line), end.col));
        }
    }

    /// `J`: `count` lines become one, joined by a space.
    fn join(&mut self, count: usize) {
        let start = self.cursor.line;
        let end = (start + count - 1).min(self.buf.len() - 1);
        if end == start {
            return;
        }
        let mut joined = self.buf.line(start).to_vec();
        let mut col = 0;
        for line in &self.buf.lines()[start + 1..=end] {
            let text = &line[line.iter().position(|byte| !matches!(byte, b' ' | b'\t')).unwrap_or(line.len())..];
            col = joined.len();
            if !text.is_empty()
                && !joined.is_empty()
                && !joined.ends_with(b" ")
                && !joined.ends_with(b"\t")
                && text[0] != b')'
            {
                joined.push(b' ');
            }
            joined.extend_from_slice(text);
        }
        self.replace(start, end - start + 1, vec![joined]);
        self.cursor.col = col;
    }

    /// `~`: the case of `count` characters switched, the cursor after them.
    fn toggle_case(&mut self, count: usize) {
        let cursor = self.cursor;
        let line = self.buf.line(cursor.line).to_vec();
        if line.is_empty() {
            return;
        }
        let mut col = cursor.col;
        let mut new = line[..col].to_vec();
        for _ in 0..count {
            if col >= line.len() {
                break;
            }
            let next = next_char(&line, col);
            match std::str::from_utf8(&line[col..next]).ok().and_then(|text| text.chars().next()) {
                Some(char) if char.is_lowercase() => new.extend(char.to_uppercase().collect::<String>().bytes()),
                Some(char) => new.extend(char.to_lowercase().collect::<String>().bytes()),
                None => new.extend_from_slice(&line[col..next]),
            }
            col = next;
        }
        let moved = new.len();
        new.extend_from_slice(&line[col..]);
        self.replace(cursor.line, 1, vec![new]);
        self.cursor.col = moved;
    }

    /// `p` and `P`: the register after or before the cursor, `count` times.
    fn put(&mut self, before: bool, count: usize) {
        let register = self.register.clone();
        if register.text.is_empty() {
            self.message = "E353: Nothing in register \"".into();
            return;
        }
        let cursor = self.cursor;
        if register.lines {
            let at = cursor.line + usize::from(!before);
            let lines: Vec<Vec<u8>> = (0..count).flat_map(|_| register.text.iter().cloned()).collect();
            let added = lines.len();
            self.replace(at, 0, lines);
            self.cursor = self.first_non_blank(at);
            if added > 2 {
                self.message = format!("{added} more lines");
            }
            return;
        }
        let line = self.buf.line(cursor.line);
        let at = if before || line.is_empty() { cursor.col } else { next_char(line, cursor.col) };
        let mut text: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..count {
            for (index, piece) in register.text.iter().enumerate() {
                if index > 0 {
                    text.push(Vec::new());
                }
                text.last_mut().expect("one line at least").extend_from_slice(piece);
            }
        }
        let at = Pos::new(cursor.line, at);
        let end = self.splice(at, at, &text);
        self.cursor =
            if text.len() == 1 { Pos::new(end.line, prev_char(self.buf.line(end.line), end.col)) } else { at };
    }

    /// `.`: the last change again (with a new count if given).
    fn repeat(&mut self, count: Option<usize>) {
        let mut keys = self.dot.clone();
        if let Some(count) = count {
            let digits = keys.iter().take_while(|key| matches!(key, Key::Char('0'..='9'))).count();
            keys.splice(..digits, count.to_string().chars().map(Key::Char));
        }
        self.replaying = true;
        for key in keys {
            self.key(key);
        }
        self.replaying = false;
    }

    fn undo(&mut self, count: usize) {
        for _ in 0..count {
            match self.undo.undo(&mut self.buf) {
                Some(cursor) => self.cursor = cursor,
                None => {
                    self.message = "Already at oldest change".into();
                    break;
                }
            }
        }
    }

    fn redo(&mut self, count: usize) {
        for _ in 0..count {
            match self.undo.redo(&mut self.buf) {
                Some(cursor) => self.cursor = cursor,
                None => {
                    self.message = "Already at newest change".into();
                    break;
                }
            }
        }
    }

    /// Ctrl-G: the file's name, state and size, and where the cursor is.
    fn file_info(&self) -> String {
        let name = self.file.as_deref().unwrap_or("[No Name]");
        let modified = if self.modified() { " [Modified]" } else { "" };
        let lines = self.buf.len();
        format!(
            "\"{name}\"{modified} {lines} line{} --{}%--",
            if lines == 1 { "" } else { "s" },
            (self.cursor.line + 1) * 100 / lines
        )
    }

    fn command_key(&mut self, key: Key) {
        match key {
            Key::Escape => self.mode = Mode::Normal,
            Key::Control(byte) if byte == ctrl(b'C') => self.mode = Mode::Normal,
            Key::Control(b'\r' | b'\n') => {
                self.mode = Mode::Normal;
                let text = mem::take(&mut self.command);
                self.command_cursor = self.cursor;
                match self.command_kind {
                    ':' => match command_line::parse(&text, self.cursor.line, self.buf.len() - 1) {
                        Ok(ex) => self.ex(ex),
                        Err(message) => self.message = message,
                    },
                    kind => self.search(&text, kind == '/'),
                }
                self.undo.close();
                self.clamp();
                self.want = self.column();
            }
            Key::Control(0x7f | 0x08) if self.command.pop().is_none() => self.mode = Mode::Normal,
            Key::Control(byte) if byte == ctrl(b'U') => self.command.clear(),
            Key::Control(b'\t') => self.command.push('\t'),
            Key::Char(char) => self.command.push(char),
            _ => {}
        }
    }

    /// Carries out a `:` command.
    fn ex(&mut self, ex: Ex) {
        match ex {
            Ex::Write { file, force, quit, only_if_modified } => {
                if (!only_if_modified || self.modified() || file.is_some()) && !self.write(file, force) {
                    return;
                }
                self.quit |= quit;
            }
            Ex::Quit { force } => {
                if !force && self.modified() {
                    self.message = "E37: No write since last change (add ! to override)".into();
                } else {
                    self.quit = true;
                }
            }
            Ex::Edit { file, force } => {
                if !force && self.modified() {
                    self.message = "E37: No write since last change (add ! to override)".into();
                } else {
                    match file.or_else(|| self.file.clone()) {
                        Some(name) => self.open(&name),
                        None => self.message = "E32: No file name".into(),
                    }
                }
            }
            Ex::Read { file, below } => match files::read_lines(&file) {
                Ok(lines) => {
                    self.replace(below + 1, 0, lines);
                    self.goto_line(below + 1);
                }
                Err(message) => self.message = message,
            },
            Ex::Goto(line) => self.goto_line(line),
            Ex::Substitute { range, pattern, replacement, global } => {
                self.substitute(range, &pattern, &replacement, global)
            }
            Ex::Delete(range) => self.operate_lines(Operator::Delete, range.start, range.end),
            Ex::Set(names) => self.set(&names),
            Ex::Help => self.help = true,
            Ex::Nothing => {}
        }
    }

    /// `:w`: whether the buffer was written.
    fn write(&mut self, file: Option<String>, force: bool) -> bool {
        let Some(name) = file.clone().or_else(|| self.file.clone()) else {
            self.message = "E32: No file name".into();
            return false;
        };
        let other = self.file.as_ref().is_some_and(|current| *current != name);
        if !force && self.readonly && !other {
            self.message = "E45: 'readonly' option is set (add ! to override)".into();
            return false;
        }
        if !force && other && Path::new(&name).exists() {
            self.message = "E13: File exists (add ! to override)".into();
            return false;
        }
        match files::save(&name, &self.buf) {
            Ok(message) => {
                self.message = message;
                if self.file.is_none() {
                    self.file = Some(name);
                }
                if !other {
                    self.saved = self.undo.state();
                    self.readonly = false;
                }
                true
            }
            Err(message) => {
                self.message = message;
                false
            }
        }
    }

    fn substitute(&mut self, range: Range, pattern: &str, replacement: &str, global: bool) {
        let pattern = if pattern.is_empty() {
            match &self.pattern {
                Some((text, _)) => text.clone(),
                None => {
                    self.message = "E35: No previous regular expression".into();
                    return;
                }
            }
        } else {
            pattern.to_string()
        };
        let compiled = match Pattern::new(&pattern) {
            Ok(compiled) => compiled,
            Err(message) => {
                self.message = message;
                return;
            }
        };
        let mut last = None;
        for line in range.start..=range.end {
            if let Some(new) = compiled.substitute(self.buf.line(line), replacement, global) {
                if new != self.buf.line(line) {
                    self.replace(line, 1, vec![new]);
                }
                last = Some(line);
            }
        }
        self.pattern = Some((pattern.clone(), compiled));
        match last {
            Some(line) => self.goto_line(line),
            None => self.message = format!("E486: Pattern not found: {pattern}"),
        }
    }

    /// `:set`: `number`/`nu`, `list`, their `no` forms, and `?` to ask.
    fn set(&mut self, names: &[String]) {
        let mut shown = Vec::new();
        if names.is_empty() {
            shown.push(self.option_text("number"));
            shown.push(self.option_text("list"));
        }
        for name in names {
            let (base, query) = match name.strip_suffix('?') {
                Some(base) => (base, true),
                None => (name.as_str(), false),
            };
            let (base, value) = match base.strip_prefix("no") {
                Some(rest) => (rest, false),
                None => (base, true),
            };
            let option = match base {
                "nu" | "number" => &mut self.options.number,
                "list" => &mut self.options.list,
                _ => {
                    self.message = format!("E518: Unknown option: {name}");
                    return;
                }
            };
            if query {
                let full = if base == "list" { "list" } else { "number" };
                shown.push(self.option_text(full));
            } else {
                *option = value;
            }
        }
        self.message = shown.join("  ");
    }

    fn option_text(&self, name: &str) -> String {
        let on = if name == "list" { self.options.list } else { self.options.number };
        format!("{}{name}", if on { "  " } else { "no" })
    }
}
