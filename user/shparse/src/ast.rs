//! The syntax tree: a [`List`] of [`Item`]s (and-or lists run in the foreground or the
//! background), each a chain of [`Pipeline`]s joined by `&&` and `||`, each a sequence
//! of [`Command`]s whose [`Word`]s remember how they were quoted.

/// One piece of a word, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Unquoted text: its `*`, `?` and `[` are patterns.
    Text(String),
    /// Text quoted by `'...'`, `"..."` or a backslash: taken as it is.
    Quoted(String),
    /// `$NAME`, `${NAME}` or a special parameter (`$?`, `$$`, `$1`, ...). Inside `"..."`
    /// (`quoted`) its value stays one field and is not a pattern; outside it is split
    /// at blanks and globbed.
    Param { name: String, quoted: bool },
    /// An unquoted `~` starting the word, alone or before a `/`: `$HOME`.
    Tilde,
}

/// A word: the parts that touch each other, such as `a"$b"'c'`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Word(pub Vec<Part>);

/// `NAME=value` before a command's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub name: String,
    pub value: Word,
}

/// What a redirection does with its descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectOp {
    /// `<`: open the file for reading.
    Read,
    /// `>` or `>|`: create or truncate the file for writing.
    Write,
    /// `>>`: open the file for appending, creating it.
    Append,
    /// `<&` and `>&`: make the descriptor a copy of another (the target is its
    /// number) or close it (the target is `-`).
    Duplicate,
}

/// `[fd]op target`, such as `2>&1` or `>> log`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub fd: i32,
    pub op: RedirectOp,
    pub target: Word,
}

/// A simple command: assignments, then the name and arguments, with redirections
/// anywhere among them. At least one of the three is present.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Command {
    pub assignments: Vec<Assignment>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
}

/// Commands joined by `|`: each one's standard output is the next one's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    pub commands: Vec<Command>,
}

/// How a pipeline in an and-or list depends on the status before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connector {
    /// `&&`: run only after success.
    And,
    /// `||`: run only after failure.
    Or,
}

/// Pipelines joined by `&&` and `||`, which bind equally and from the left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
}

/// An and-or list ended by `;`, `&`, a newline or the end of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub and_or: AndOr,
    /// Ended by `&`: run without waiting for it.
    pub background: bool,
    /// Its text as written (without the `;` or `&`), as `jobs` shows it.
    pub text: String,
}

/// What a parse produces: the items in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct List {
    pub items: Vec<Item>,
}
