//! The syntax tree of the POSIX shell language (XCU 2.9-2.10): a [`List`] of and-or
//! lists, each a chain of [`Pipeline`]s joined by `&&` and `||`, each a sequence of
//! [`Command`]s: simple commands, compound commands (`{ }`, `( )`, `if`, `while`,
//! `until`, `for`, `case`) with their redirections, and function definitions. Words
//! remember how they were quoted and what they expand ([`Part`]).

/// One piece of a word, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Unquoted text: its `*`, `?` and `[` are patterns.
    Text(String),
    /// Text quoted by `'...'` or a backslash, or plain text inside `"..."`: taken as
    /// it is.
    Quoted(String),
    /// `"..."`: its parts expand without field splitting or patterns. An empty one
    /// still makes a field.
    Double(Vec<Part>),
    /// `$NAME`, `${NAME...}` or a special parameter.
    Param(Box<Param>),
    /// `$(...)` or `` `...` ``: the output of the commands.
    Command(Box<List>),
    /// `$((...))`: the expression's text after expansion is evaluated.
    Arith(Vec<Part>),
    /// An unquoted `~` or `~user` starting a word (or, in an assignment, after `=`
    /// or `:`), before a `/`: the home directory.
    Tilde(String),
}

/// What `${name OP word}` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamOp {
    /// `$name`, `${name}`
    Plain,
    /// `${#name}`
    Length,
    /// `${name-word}`, `${name:-word}` (with `colon`, an empty value counts as unset)
    Default { colon: bool },
    /// `${name=word}`, `${name:=word}`
    Assign { colon: bool },
    /// `${name?word}`, `${name:?word}`
    Error { colon: bool },
    /// `${name+word}`, `${name:+word}`
    Alternative { colon: bool },
    /// `${name%word}` (smallest) and `${name%%word}` (largest suffix)
    RemoveSuffix { largest: bool },
    /// `${name#word}` and `${name##word}`
    RemovePrefix { largest: bool },
}

/// A parameter expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// A variable name, digits, or one of `@ * # ? - $ ! 0`.
    pub name: String,
    pub op: ParamOp,
    /// The word after the operator (empty for `Plain` and `Length`).
    pub word: Word,
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
    /// `<`
    Read,
    /// `>`: refused on an existing regular file under `set -C`.
    Write,
    /// `>|`: always truncates.
    Clobber,
    /// `>>`
    Append,
    /// `<>`: open for reading and writing, creating it.
    ReadWrite,
    /// `<&`: a copy of the descriptor the target names, or closed for `-`.
    DupRead,
    /// `>&`
    DupWrite,
    /// `<<` and `<<-`: the target is the here-document's body.
    HereDoc,
}

/// `[fd]op target`, such as `2>&1`, `>> log` or `<<EOF`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub fd: i32,
    pub op: RedirectOp,
    /// The file name, descriptor number, or here-document body (for a quoted
    /// delimiter, one `Quoted` part).
    pub target: Word,
}

/// A simple command: assignments, then the name and arguments, with redirections
/// anywhere among them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Simple {
    pub assignments: Vec<Assignment>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
}

/// One `pattern | pattern) list ;;` of a `case`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseArm {
    pub patterns: Vec<Word>,
    pub body: List,
}

/// The compound commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Compound {
    /// `{ list; }`
    Group(List),
    /// `( list )`
    Subshell(List),
    /// `if c1; then b1; elif c2; then b2; else b3; fi`: the (condition, body) pairs
    /// in order, then the `else` body.
    If { branches: Vec<(List, List)>, otherwise: Option<List> },
    /// `while c; do b; done`, or `until` (`until` set).
    Loop { until: bool, condition: List, body: List },
    /// `for name [in words]; do body; done`; no `in` means `"$@"`.
    For { name: String, words: Option<Vec<Word>>, body: List },
    /// `case word in arms esac`
    Case { word: Word, arms: Vec<CaseArm> },
}

/// A function's body: a compound command with its redirections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionBody {
    pub body: Compound,
    pub redirects: Vec<Redirect>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Simple(Simple),
    Compound(Compound, Vec<Redirect>),
    /// `name() compound-command [redirections]`
    Function {
        name: String,
        body: std::rc::Rc<FunctionBody>,
    },
}

/// Commands joined by `|`, optionally negated by `!`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    pub negated: bool,
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

/// A sequence of and-or lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct List {
    pub items: Vec<Item>,
}
