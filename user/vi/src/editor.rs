//! The editor: the buffer, the cursor and the modes (normal, insert, replace,
//! command line), driven one key at a time; it carries out what `normal.rs` and
//! `command_line.rs` parse, keeps the undo history, the unnamed register, the
//! last search and `.`'s keys, and says what the screen shows through `render.rs`.
//! The commands themselves are in `editor/`: motions and searching, changes,
//! insert mode, and the command line.
use std::mem;

use crate::buffer::{Buffer, Pos, last_char};
use crate::command_line::Ex;
use crate::files;
use crate::input::Key;
use crate::motion::{self, Find};
use crate::normal::{self, Command, Motion, Parse};
use crate::render::{self, Frame, Options, Status, View};
use crate::search::Pattern;
use crate::undo::Undo;

mod changes;
mod ex;
mod insert;
mod motions;

/// What `:help` shows.
pub const HELP: &str = "\
vi keys (see `man vi` for all)
Moving:  h j k l, arrows   w b e W B E   0 ^ $   gg G NG   H M L
         Ctrl-F Ctrl-B Ctrl-D Ctrl-U, PgUp PgDn   f F t T ; ,   %
Search:  /pattern ?pattern n N (basic regular expressions)
Insert:  i I a A o O (Escape leaves), R replaces
Change:  x X r J ~ s S D C, d c y with a motion, dd cc yy Y
         p P put, u undo, Ctrl-R redo, . repeat
Files:   :w [file] :w! :q :q! :wq :x ZZ :e file :e! :r file :n
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
    /// The screen column that `j` and `k` keep to (`usize::MAX`: the line's end;
    /// `None`: the cursor's, taken when they move from it).
    want: Option<usize>,
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
    /// The files named on the command line, and which of them is edited.
    args: Vec<String>,
    arg: usize,
    /// Whether quitting was refused once because of files not yet edited.
    warned_more: bool,
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
    suspend: bool,
}

impl Editor {
    /// An editor with an empty buffer for a terminal of `rows` by `columns`.
    pub fn new(rows: usize, columns: usize) -> Self {
        Self {
            buf: Buffer::default(),
            cursor: Pos::default(),
            want: None,
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
            args: Vec::new(),
            arg: 0,
            warned_more: false,
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
            suspend: false,
        }
    }

    pub fn resize(&mut self, rows: usize, columns: usize) {
        self.view = View::of_terminal(rows, columns);
    }

    /// Edits the first of `names`; `:n` goes on to the others.
    pub fn open_all(&mut self, names: Vec<String>) {
        if let Some(first) = names.first() {
            self.open(&first.clone());
        }
        self.args = names;
        self.arg = 0;
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

    /// Whether Ctrl-Z asked to stop vi, clearing the request.
    pub fn take_suspend(&mut self) -> bool {
        mem::take(&mut self.suspend)
    }

    pub fn modified(&self) -> bool {
        self.undo.state() != self.saved
    }

    /// When vi must end with changes not written (SIGTERM, SIGHUP, the end of
    /// input): writes them to `FILE.recover` (`vi.recover` without a name), and
    /// says so, or why not.
    pub fn save_recovery(&self) -> Option<String> {
        if !self.modified() {
            return None;
        }
        let name = self.file.as_ref().map_or_else(|| "vi.recover".to_string(), |file| format!("{file}.recover"));
        Some(match files::save(&name, &self.buf) {
            Ok(_) => format!("changes saved in {name}"),
            Err(message) => format!("changes lost: {message}"),
        })
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
            Command::Undo => self.undo_or_redo(times, false),
            Command::Redo => self.undo_or_redo(times, true),
            Command::CommandLine(kind) => {
                self.mode = Mode::CommandLine;
                self.command_kind = kind;
                self.command.clear();
            }
            Command::WriteQuit => self.ex(Ex::Write { file: None, force: false, quit: true, only_if_modified: true }),
            Command::Quit => self.quit = true,
            Command::Redraw => self.redraw = true,
            Command::Suspend => self.suspend = true,
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
            self.want = None;
        }
    }

    /// The cursor's screen column in its line.
    pub(super) fn column(&self) -> usize {
        render::column_of(self.buf.line(self.cursor.line), self.cursor.col, self.options.list)
    }

    /// The byte offset in line `line` for the column `j` and `k` keep to (from
    /// now on the cursor's if none was kept).
    pub(super) fn wanted_col(&mut self, line: usize) -> usize {
        let want = match self.want {
            Some(want) => want,
            None => *self.want.insert(self.column()),
        };
        let text = self.buf.line(line);
        match want {
            usize::MAX if self.mode == Mode::Normal => last_char(text),
            usize::MAX => text.len(),
            want if self.mode != Mode::Normal && render::column_of(text, text.len(), self.options.list) <= want => {
                text.len()
            }
            want => render::col_at(text, want, self.options.list),
        }
    }

    /// Keeps the cursor on the text: in normal mode on a character.
    pub(super) fn clamp(&mut self) {
        self.cursor.line = self.cursor.line.min(self.buf.len() - 1);
        let line = self.buf.line(self.cursor.line);
        let end = if self.mode == Mode::Normal { last_char(line) } else { line.len() };
        self.cursor.col = self.cursor.col.min(end);
    }

    pub(super) fn first_non_blank(&self, line: usize) -> Pos {
        Pos::new(line, motion::first_non_blank(self.buf.line(line)))
    }

    pub(super) fn goto_line(&mut self, line: usize) {
        self.cursor = self.first_non_blank(line);
        self.want = None;
    }

    /// Replaces lines, recording the change for undo.
    pub(super) fn replace(&mut self, at: usize, count: usize, new: Vec<Vec<u8>>) {
        let change = self.buf.replace(at, count, new);
        self.undo.record(change, self.command_cursor);
    }

    /// Replaces text, recording the change: where the new text ends.
    pub(super) fn splice(&mut self, from: Pos, to: Pos, text: &[Vec<u8>]) -> Pos {
        let (change, end) = self.buf.splice(from, to, text);
        self.undo.record(change, self.command_cursor);
        end
    }
}
