//! The tree a program parses into: items (patterns and actions), statements and
//! expressions, with variables already resolved to global or local slots.
use std::rc::Rc;

use regex_lite::Regex;

/// A whole program.
#[derive(Debug, Default)]
pub struct Program {
    pub begin: Vec<Block>,
    pub items: Vec<Item>,
    pub end: Vec<Block>,
    pub functions: Vec<Function>,
    /// The global variables' names, by slot.
    pub globals: Vec<String>,
}

pub type Block = Vec<Stmt>;

/// A pattern and its action (`None`: print the record).
#[derive(Debug)]
pub struct Item {
    pub pattern: Pattern,
    pub action: Option<Block>,
}

#[derive(Debug)]
pub enum Pattern {
    All,
    Expr(Expr),
    /// `p1, p2`, and the index of its "inside the range" flag.
    Range(Expr, Expr, usize),
}

#[derive(Debug)]
pub struct Function {
    pub name: String,
    pub params: usize,
    /// Which parameters the body uses as arrays.
    pub array_params: Vec<bool>,
    pub body: Block,
}

/// Where a variable lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Var {
    Global(usize),
    Local(usize),
}

#[derive(Debug)]
pub enum Stmt {
    Expr(Expr),
    Print(Vec<Expr>, Option<Redirect>),
    Printf(Vec<Expr>, Option<Redirect>),
    If(Expr, Block, Block),
    While(Expr, Block),
    Do(Block, Expr),
    For(Option<Expr>, Option<Expr>, Option<Expr>, Block),
    ForIn(Var, Var, Block),
    Block(Block),
    Next,
    NextFile,
    Exit(Option<Expr>),
    Return(Option<Expr>),
    Break,
    Continue,
    /// `delete a[k]`, or the whole array with no subscript.
    Delete(Var, Option<Vec<Expr>>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectKind {
    File,
    Append,
    Pipe,
}

#[derive(Debug)]
pub struct Redirect {
    pub kind: RedirectKind,
    pub target: Expr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Lt,
    Le,
    Eq,
    Ne,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    Length,
    Substr,
    Index,
    Split,
    Sub,
    Gsub,
    Match,
    Sprintf,
    Sin,
    Cos,
    Atan2,
    Exp,
    Log,
    Sqrt,
    Int,
    Rand,
    Srand,
    Tolower,
    Toupper,
    Close,
    System,
    Fflush,
}

/// Where `getline` reads.
#[derive(Debug)]
pub enum GetlineSource {
    Main,
    File(Box<Expr>),
    Command(Box<Expr>),
}

#[derive(Debug)]
pub enum Expr {
    Num(f64),
    Str(Rc<str>),
    /// A regular expression alone: a match against `$0`.
    Regex(Rc<Regex>),
    Var(Var),
    Field(Box<Expr>),
    Index(Var, Vec<Expr>),
    In(Vec<Expr>, Var),
    Assign(Box<Expr>, Box<Expr>),
    AugAssign(BinOp, Box<Expr>, Box<Expr>),
    /// `++x` / `--x` (the amount), and `x++` / `x--`.
    PreIncr(f64, Box<Expr>),
    PostIncr(f64, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    Match(bool, Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Plus(Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    Call(usize, Vec<Expr>),
    Builtin(Builtin, Vec<Expr>),
    /// `getline [lvalue]` from a source.
    Getline(GetlineSource, Option<Box<Expr>>),
    /// A parenthesized list, only valid before `in`.
    Group(Vec<Expr>),
}

impl Expr {
    /// Whether the expression can be assigned to.
    pub fn is_lvalue(&self) -> bool {
        matches!(self, Expr::Var(_) | Expr::Field(_) | Expr::Index(..))
    }
}
