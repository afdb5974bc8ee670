//! Ctrl-R, on the test screen (which [`Session`] checks after every key).
use super::screen::Wrap;
use super::session::Session;
use crate::Event;

const HISTORY: [&str; 4] = ["echo one", "ls -l", "echo two", "cat file"];

fn session(history: &[&str]) -> Session {
    Session::new(60, 10, Wrap::Pending, 1, "$ ", history)
}

fn shown(session: &Session) -> String {
    session.screen.row_text(1)
}

fn run(line: &str) -> Option<Event> {
    Some(Event::Line(line.into()))
}

#[test]
fn typing_finds_the_newest_match_and_ctrl_r_older_ones() {
    let mut session = session(&HISTORY);
    session.keys(b"\x12");
    assert_eq!(shown(&session), "(reverse-i-search)`':");
    session.keys(b"ec");
    assert_eq!(shown(&session), "(reverse-i-search)`ec': echo two");
    assert_eq!(session.screen.column, 24, "on the match");
    session.keys(b"\x12");
    assert_eq!(shown(&session), "(reverse-i-search)`ec': echo one");
    session.keys(b"\x12");
    assert_eq!(shown(&session), "(failed reverse-i-search)`ec': echo one");
    assert_eq!(session.screen.bells, 1);
    assert_eq!(session.keys(b"\r").1, run("echo one"));
}

#[test]
fn backspace_shortens_the_text() {
    let mut session = session(&HISTORY);
    session.keys(b"\x12echo o");
    assert_eq!(shown(&session), "(reverse-i-search)`echo o': echo one");
    session.keys(b"x");
    assert_eq!(shown(&session), "(failed reverse-i-search)`echo ox': echo one");
    session.keys(b"\x7f");
    assert_eq!(shown(&session), "(reverse-i-search)`echo o': echo one");
    session.keys(b"\x7f\x7f\x7f\x7f\x7f\x7f\x7f");
    assert_eq!(shown(&session), "(reverse-i-search)`': echo one");
}

#[test]
fn escape_leaves_with_the_match_to_edit() {
    let mut session = session(&HISTORY);
    session.keys(b"\x12-l\x1b");
    assert!(session.editor.escape_pending());
    let reply = session.editor.escape_timeout(&mut session.words);
    session.screen.write(&reply.output);
    session.check();
    assert_eq!(shown(&session), "$ ls -l");
    assert_eq!(session.keys(b"a\r").1, run("ls a-l"));
    let mut session = self::session(&HISTORY);
    session.keys(b"\x12two\x1b\x1b");
    assert!(!session.editor.escape_pending(), "not searching any more");
    assert_eq!(session.keys(b"[D!\r").1, run("echo! two"), "the second ESC began a sequence");
}

#[test]
fn ctrl_g_restores_the_line() {
    let mut session = session(&HISTORY);
    session.keys(b"draft\x1b[D\x12cat");
    assert_eq!(shown(&session), "(reverse-i-search)`cat': cat file");
    session.keys(b"\x07");
    assert_eq!(shown(&session), "$ draft");
    assert_eq!(session.screen.column, 6);
    assert_eq!(session.keys(b"\x1b[A\r").1, run("cat file"), "the history position is as before");
}

#[test]
fn other_keys_leave_with_the_match_and_act_on_it() {
    let mut session = session(&HISTORY);
    session.keys(b"\x12two\x1b[D");
    assert_eq!(shown(&session), "$ echo two");
    assert_eq!(session.keys(b"X\r").1, run("echoX two"));
    let mut session = self::session(&HISTORY);
    session.keys(b"\x12ls");
    session.keys(b"\x1b[A");
    assert_eq!(shown(&session), "$ echo one", "Up goes on from the match");
    session.keys(b"\x1b[B\x1b[B");
    assert_eq!(shown(&session), "$ echo two");
    let mut session = self::session(&HISTORY);
    session.keys(b"\x12one\x05!");
    assert_eq!(session.keys(b"\r").1, run("echo one!"));
    let mut session = self::session(&HISTORY);
    assert_eq!(session.keys(b"\x12one\x03").1, Some(Event::Interrupt));
}

#[test]
fn an_empty_search_takes_up_the_last_one() {
    let mut session = session(&HISTORY);
    session.keys(b"\x12ls");
    assert_eq!(session.keys(b"\r").1, run("ls -l"));
    session.screen.write(&session.editor.begin("$ "));
    session.keys_redrawing_at(b"", 2);
    session.keys(b"\x12\x12");
    assert_eq!(shown_at(&session, 2), "(reverse-i-search)`ls': ls -l");
    let mut session = self::session(&HISTORY);
    session.keys(b"\x12\x12");
    assert_eq!(shown(&session), "(reverse-i-search)`':", "nothing to take up");
}

fn shown_at(session: &Session, row: usize) -> String {
    session.screen.row_text(row)
}

#[test]
fn every_match_in_a_line_then_older_lines() {
    let mut session = session(&["b", "a b a b"]);
    session.keys(b"\x12b");
    assert_eq!(session.screen.column, 23 + 6, "on the last b");
    session.keys(b"\x12");
    assert_eq!(session.editor.search.as_ref().and_then(|search| search.found).map(|found| found.offset), Some(2));
    session.keys(b"\x12");
    assert_eq!(shown(&session), "(reverse-i-search)`b': b");
}

#[test]
fn the_line_being_edited_is_searched_first() {
    let mut session = session(&HISTORY);
    session.keys(b"echo draft\x12ec");
    assert_eq!(shown(&session), "(reverse-i-search)`ec': echo draft");
    session.keys(b"\x12");
    assert_eq!(shown(&session), "(reverse-i-search)`ec': echo two");
    session.keys(b"\x1b\x1b");
    session.keys(b"\x1b[B");
    assert_eq!(shown(&session), "$ cat file");
    session.keys(b"\x1b[B");
    assert_eq!(shown(&session), "$ echo draft", "the draft is kept");
}

#[test]
fn lines_equal_to_the_match_are_skipped() {
    let mut session = session(&["ls", "pwd", "ls"]);
    session.keys(b"\x12l\x12");
    assert_eq!(shown(&session), "(failed reverse-i-search)`l': ls");
}

#[test]
fn a_long_match_wraps() {
    let long = format!("echo {}", "x".repeat(60));
    let mut session = session(&[&long, "ls"]);
    session.keys(b"\x12echo");
    assert_eq!(session.screen.row_text(2), "x".repeat(31));
    session.keys(b"\x12");
    session.keys(b"\x07");
    assert_eq!(shown(&session), "$");
}
