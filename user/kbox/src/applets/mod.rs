//! The applets, one module each, and the table `kbox` dispatches on. Each module has
//! `USAGE` (its `--help` text) and `run(args) -> exit status`.
use std::ffi::OsString;

pub(crate) mod basename;
mod bracket;
mod cat;
mod chgrp;
mod chmod;
mod chown;
mod clear;
mod cmp;
mod cp;
mod cut;
mod date;
mod df;
mod diff;
mod dirname;
mod dmesg;
mod du;
mod echo;
mod env;
#[path = "false.rs"]
mod false_;
mod find;
mod free;
mod grep;
mod groups;
mod gz;
mod halt;
mod hashsum;
mod head;
mod hexdump;
mod hostname;
mod id;
mod kill;
mod ln;
mod ls;
mod lspci;
mod man;
mod mkdir;
mod more;
mod mount;
mod mv;
mod nohup;
mod od;
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
mod strings;
mod tail;
mod tar;
mod tee;
mod test;
mod time;
mod top;
mod touch;
mod tr;
#[path = "true.rs"]
mod true_;
mod umount;
mod uname;
mod uniq;
mod uptime;
mod wc;
mod which;
mod who;
mod whoami;
mod xargs;
mod xxd;
mod yes;

use gz::{gunzip, gzip, zcat};
use hashsum::{md5sum, sha1sum, sha256sum, sha512sum};

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
    applet!("[", bracket, 2),
    applet!("basename", basename),
    applet!("cat", cat),
    applet!("chgrp", chgrp),
    applet!("chmod", chmod),
    applet!("chown", chown),
    applet!("clear", clear),
    applet!("cmp", cmp, 2),
    applet!("cp", cp),
    applet!("cut", cut),
    applet!("date", date),
    applet!("df", df),
    applet!("diff", diff, 2),
    applet!("dirname", dirname),
    applet!("dmesg", dmesg),
    applet!("du", du),
    applet!("echo", echo),
    applet!("env", env, 125),
    applet!("false", false_),
    applet!("find", find),
    applet!("free", free),
    applet!("grep", grep, 2),
    applet!("groups", groups),
    applet!("gunzip", gunzip),
    applet!("gzip", gzip),
    applet!("halt", halt),
    applet!("head", head),
    applet!("hexdump", hexdump),
    applet!("hostname", hostname),
    applet!("id", id),
    applet!("kill", kill),
    applet!("ln", ln),
    applet!("ls", ls, 2),
    applet!("lspci", lspci),
    applet!("man", man, 2),
    applet!("md5sum", md5sum),
    applet!("mkdir", mkdir),
    applet!("more", more),
    applet!("mount", mount),
    applet!("mv", mv),
    applet!("nohup", nohup, 125),
    applet!("od", od),
    applet!("poweroff", poweroff),
    applet!("printf", printf),
    applet!("ps", ps),
    applet!("pwd", pwd),
    applet!("reboot", reboot),
    applet!("rm", rm),
    applet!("rmdir", rmdir),
    applet!("sed", sed),
    applet!("seq", seq),
    applet!("sha1sum", sha1sum),
    applet!("sha256sum", sha256sum),
    applet!("sha512sum", sha512sum),
    applet!("sleep", sleep),
    applet!("sort", sort, 2),
    applet!("stat", stat),
    applet!("strings", strings),
    applet!("tail", tail),
    applet!("tar", tar, 2),
    applet!("tee", tee),
    applet!("test", test, 2),
    applet!("time", time, 125),
    applet!("top", top),
    applet!("touch", touch),
    applet!("tr", tr),
    applet!("true", true_),
    applet!("umount", umount),
    applet!("uname", uname),
    applet!("uniq", uniq),
    applet!("uptime", uptime),
    applet!("wc", wc),
    applet!("which", which, 2),
    applet!("who", who),
    applet!("whoami", whoami),
    applet!("xargs", xargs),
    applet!("xxd", xxd),
    applet!("yes", yes),
    applet!("zcat", zcat),
];

/// The applet called `name`.
pub fn find(name: &str) -> Option<&'static Applet> {
    ALL.binary_search_by(|applet| applet.name.cmp(name)).ok().map(|index| &ALL[index])
}
