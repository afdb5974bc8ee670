//! The compiled script: a list of commands, each with its addresses. Blocks and
//! branches are indexes into the list.
use super::address::Selector;
use super::regex::Pattern;
use super::replace::Piece;

/// Where `w` output goes: an index into the files the script writes.
pub type OutputId = usize;

/// One command and its addresses.
#[derive(Debug)]
pub struct Command {
    pub selector: Selector,
    pub action: Action,
}

/// What a command does.
#[derive(Debug)]
pub enum Action {
    /// `{`: when not selected, go on at the index (after the matching `}`).
    Block(usize),
    /// `}`.
    EndBlock,
    /// `=`.
    LineNumber,
    /// `a`: the text (with its newline) is written at the end of the cycle.
    Append(String),
    /// `i`.
    Insert(String),
    /// `c`.
    Change(String),
    /// `b`, `t`, `T`: where to go (`None`: the end of the script).
    Branch(BranchWhen, Option<usize>),
    /// `:label`, which does nothing.
    Label,
    Delete,
    DeleteFirstLine,
    Get,
    GetAppend,
    Hold,
    HoldAppend,
    Exchange,
    /// `l`, with the line length asked for.
    List(Option<usize>),
    Next,
    NextAppend,
    Print,
    PrintFirstLine,
    /// `q` (printing the pattern space) and `Q`, with the exit status.
    Quit {
        print: bool,
        status: u8,
    },
    /// `r FILE`.
    ReadFile(String),
    /// `R FILE`: one line of it each time; the index of the file among those `R` reads.
    ReadLine(usize),
    Write(OutputId),
    WriteFirstLine(OutputId),
    Substitute(Box<Substitution>),
    /// `y`: pairs of characters.
    Translate(Vec<(char, char)>),
    /// `z`.
    Zap,
    /// `F`.
    FileName,
}

/// When a branch is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BranchWhen {
    Always,
    /// `t`: a substitution was made since the last input line or `t`.
    Replaced,
    /// `T`: none was.
    NotReplaced,
}

/// `s/RE/REPLACEMENT/FLAGS`.
#[derive(Debug)]
pub struct Substitution {
    pub pattern: Pattern,
    pub replacement: Vec<Piece>,
    /// `g`: every match from the `occurrence`th on.
    pub global: bool,
    /// `N`: the match to replace (1 without).
    pub occurrence: usize,
    pub print: bool,
    pub write: Option<OutputId>,
}
