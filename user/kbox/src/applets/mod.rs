//! The applets, one module each, and the table `kbox` dispatches on. Each module has
//! `USAGE` (its `--help` text) and `run(args) -> exit status`.
use std::ffi::OsString;

pub(crate) mod basename;
mod cat;
mod clear;
mod cp;
mod cut;
mod date;
mod dirname;
mod echo;
mod env;
#[path = "false.rs"]
mod false_;
mod find;
mod free;
mod grep;
mod head;
mod hostname;
mod id;
mod kill;
mod ln;
mod ls;
mod lspci;
mod man;
mod mkdir;
mod more;
mod mv;
mod poweroff;
mod printf;
mod ps;
mod pwd;
mod reboot;
mod rm;
mod rmdir;
mod sed;
mod seq;
mod sleep;
mod sort;
mod stat;
mod tail;
mod tee;
mod touch;
mod tr;
#[path = "true.rs"]
mod true_;
mod uname;
mod uniq;
mod uptime;
mod wc;
mod whoami;
mod xxd;
mod yes;

/// One utility.
#[derive(Debug)]
pub struct Applet {
    pub name: &'static str,
    pub usage: &'static str,
    pub run: fn(Vec<OsString>) -> u8,
    /// The exit status for a bad command line: 1, or 2 where GNU's tool uses 2.
    pub usage_status: u8,
}

macro_rules! applet {
    ($name:literal, $module:ident) => {
        applet!($name, $module, 1)
    };
    ($name:literal, $module:ident, $usage_status:literal) => {
        Applet { name: $name, usage: $module::USAGE, run: $module::run, usage_status: $usage_status }
    };
}

/// Every applet, sorted by name.
pub const ALL: &[Applet] = &[
    applet!("basename", basename),
    applet!("cat", cat),
    applet!("clear", clear),
    applet!("cp", cp),
    applet!("cut", cut),
    applet!("date", date),
    applet!("dirname", dirname),
    applet!("echo", echo),
    applet!("env", env, 125),
    applet!("false", false_),
    applet!("find", find),
    applet!("free", free),
    applet!("grep", grep, 2),
    applet!("head", head),
    applet!("hostname", hostname),
    applet!("id", id),
    applet!("kill", kill),
    applet!("ln", ln),
    applet!("ls", ls, 2),
    applet!("lspci", lspci),
    applet!("man", man, 2),
    applet!("mkdir", mkdir),
    applet!("more", more),
    applet!("mv", mv),
    applet!("poweroff", poweroff),
    applet!("printf", printf),
    applet!("ps", ps),
    applet!("pwd", pwd),
    applet!("reboot", reboot),
    applet!("rm", rm),
    applet!("rmdir", rmdir),
    applet!("sed", sed),
    applet!("seq", seq),
    applet!("sleep", sleep),
    applet!("sort", sort, 2),
    applet!("stat", stat),
    applet!("tail", tail),
    applet!("tee", tee),
    applet!("touch", touch),
    applet!("tr", tr),
    applet!("true", true_),
    applet!("uname", uname),
    applet!("uniq", uniq),
    applet!("uptime", uptime),
    applet!("wc", wc),
    applet!("whoami", whoami),
    applet!("xxd", xxd),
    applet!("yes", yes),
];

/// The applet called `name`.
pub fn find(name: &str) -> Option<&'static Applet> {
    ALL.binary_search_by(|applet| applet.name.cmp(name)).ok().map(|index| &ALL[index])
}
