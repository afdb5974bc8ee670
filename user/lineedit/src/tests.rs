//! The editor driven with the bytes a terminal sends.
use super::*;
use crate::completion::display_name;

/// Completes the blank-separated word before the cursor from a word list.
struct Words(&'static [&'static str]);

impl Complete for Words {
    fn complete(&mut self, line: &str, cursor: usize) -> (usize, Vec<String>) {
        let start = line[..cursor].rfind(' ').map_or(0, |blank| blank + 1);
        let word = &line[start..cursor];
        (start, self.0.iter().filter(|candidate| candidate.starts_with(word)).map(|c| c.to_string()).collect())
    }
}

fn editor(history: &[&str]) -> Editor {
    let mut editor = Editor::new(history.iter().map(|line| line.to_string()).collect());
    assert_eq!(editor.begin("$ "), b"$ ");
    editor
}

/// What a fresh editor makes of `input`.
fn event(input: &[u8]) -> Option<Event> {
    editor(&[]).feed(input, &mut Words(&[])).event
}

fn line(text: &str) -> Option<Event> {
    Some(Event::Line(text.into()))
}

#[test]
fn typing_and_enter() {
    let mut editor = editor(&[]);
    let reply = editor.feed(b"echo hi\r", &mut Words(&[]));
    assert_eq!(reply.output, b"echo hi\r\n");
    assert_eq!(reply.event, line("echo hi"));
    assert_eq!(event(b"ls\n"), line("ls"));
    assert_eq!(event(b"\r"), line(""));
}

#[test]
fn input_without_enter_has_no_event() {
    let mut editor = editor(&[]);
    assert_eq!(editor.feed(b"abc", &mut Words(&[])), Reply { output: b"abc".to_vec(), event: None });
    assert_eq!(editor.feed(b"d\r", &mut Words(&[])).event, line("abcd"));
}

#[test]
fn crlf_is_one_enter() {
    let mut editor = editor(&[]);
    assert_eq!(editor.feed(b"a\r", &mut Words(&[])).event, line("a"));
    editor.begin("$ ");
    assert_eq!(editor.feed(b"\nb\r\n", &mut Words(&[])).event, line("b"));
    editor.begin("$ ");
    assert_eq!(editor.feed(b"", &mut Words(&[])).event, None);
    assert_eq!(editor.feed(b"\n", &mut Words(&[])).event, line(""));
}

#[test]
fn typeahead_waits_for_the_next_line() {
    let mut editor = editor(&[]);
    assert_eq!(editor.feed(b"one\rtwo\rthr", &mut Words(&[])).event, line("one"));
    editor.begin("$ ");
    assert_eq!(editor.feed(b"", &mut Words(&[])).event, line("two"));
    editor.begin("$ ");
    let reply = editor.feed(b"", &mut Words(&[]));
    assert_eq!(reply, Reply { output: b"thr".to_vec(), event: None });
}

#[test]
fn utf8_characters() {
    assert_eq!(event("héllo wörld ✓\r".as_bytes()), line("héllo wörld ✓"));
    let mut editor = editor(&[]);
    let bytes = "é".as_bytes();
    assert_eq!(editor.feed(&bytes[..1], &mut Words(&[])).output, b"");
    assert_eq!(editor.feed(&bytes[1..], &mut Words(&[])).output, bytes);
    assert_eq!(editor.feed(b"\x7f\x7fa\r", &mut Words(&[])).event, line("a"));
    assert_eq!(event("aé\x1b[Db\r".as_bytes()), line("abé"));
}

#[test]
fn backspace() {
    assert_eq!(event(b"hellp\x7fo\r"), line("hello"));
    assert_eq!(event(b"hellp\x08o\r"), line("hello"));
    assert_eq!(event(b"\x7f\x7fok\r"), line("ok"));
    assert_eq!(event(b"abc\x1b[D\x7f\r"), line("ac"));
}

#[test]
fn cursor_keys_move_within_the_line() {
    assert_eq!(event(b"hllo\x1b[D\x1b[D\x1b[De\r"), line("hello"));
    assert_eq!(event(b"hllo\x1bOD\x1bOD\x1bODe\r"), line("hello"));
    assert_eq!(event(b"hllo\x02\x02\x02e\r"), line("hello"));
    assert_eq!(event(b"ac\x1b[D\x1b[D\x1b[D\x1b[Cb\r"), line("abc"));
    assert_eq!(event(b"ac\x01\x06b\r"), line("abc"));
    assert_eq!(event(b"ab\x1b[C\x1b[Cc\r"), line("abc"));
}

#[test]
fn home_and_end() {
    for (home, end) in
        [("\x1b[H", "\x1b[F"), ("\x1bOH", "\x1bOF"), ("\x1b[1~", "\x1b[4~"), ("\x1b[7~", "\x1b[8~"), ("\x01", "\x05")]
    {
        let input = format!("ello{home}h{end}!\r");
        assert_eq!(event(input.as_bytes()), line("hello!"), "{home:?} {end:?}");
    }
}

#[test]
fn delete_and_ctrl_d() {
    assert_eq!(event(b"hxello\x01\x1b[C\x1b[3~\r"), line("hello"));
    assert_eq!(event(b"hxello\x01\x1b[C\x04\r"), line("hello"));
    assert_eq!(event(b"abc\x04\x1b[3~\r"), line("abc"));
}

#[test]
fn ctrl_d_on_an_empty_line_is_eof() {
    assert_eq!(event(b"\x04"), Some(Event::Eof));
    assert_eq!(event(b"a\x7f\x04"), Some(Event::Eof));
}

#[test]
fn ctrl_c_abandons_the_line() {
    let mut editor = editor(&[]);
    let reply = editor.feed(b"junk\x03", &mut Words(&[]));
    assert_eq!(reply.output, b"junk^C\r\n");
    assert_eq!(reply.event, Some(Event::Interrupt));
    editor.begin("$ ");
    assert_eq!(editor.feed(b"ok\r", &mut Words(&[])).event, line("ok"));
}

#[test]
fn cutting() {
    assert_eq!(event(b"junk\x15hello\r"), line("hello"));
    assert_eq!(event(b"abcdef\x1b[D\x1b[D\x1b[D\x15\r"), line("def"));
    assert_eq!(event(b"hello world\x01\x06\x06\x06\x06\x06\x0b\r"), line("hello"));
    assert_eq!(event(b"echo foo bar\x17baz\r"), line("echo foo baz"));
    assert_eq!(event(b"echo foo  \x17\r"), line("echo "));
    assert_eq!(event(b"word\x17\r"), line(""));
    assert_eq!(event(b"a b\x1b[D\x1b[D\x17\r"), line(" b"));
}

#[test]
fn redraws() {
    let mut editor = editor(&[]);
    editor.feed(b"abc", &mut Words(&[]));
    assert_eq!(editor.feed(b"\x1b[D", &mut Words(&[])).output, b"\x1b[1D");
    assert_eq!(editor.feed(b"\x01", &mut Words(&[])).output, b"\x1b[2D");
    assert_eq!(editor.feed(b"\x05", &mut Words(&[])).output, b"\x1b[3C");
    assert_eq!(editor.feed(b"\x7f", &mut Words(&[])).output, b"\x1b[1D\x1b[J");
    assert_eq!(editor.feed(b"\x05", &mut Words(&[])).output, b"", "no move, no redraw");
    assert_eq!(editor.feed(b"\x01X", &mut Words(&[])).output, b"\x1b[2DXab\x1b[2D", "from the insertion on");
}

#[test]
fn ctrl_l_clears_the_screen_and_redraws() {
    let mut editor = editor(&[]);
    editor.feed(b"ls", &mut Words(&[]));
    assert_eq!(editor.feed(b"\x0c", &mut Words(&[])).output, b"\x1b[H\x1b[2J$ ls");
}

#[test]
fn split_escape_sequences_wait_for_the_rest() {
    let mut editor = editor(&[]);
    editor.feed(b"ac\x1b", &mut Words(&[]));
    editor.feed(b"[", &mut Words(&[]));
    editor.feed(b"D", &mut Words(&[]));
    assert_eq!(editor.feed(b"b\r", &mut Words(&[])).event, line("abc"));
}

#[test]
fn unknown_sequences_are_ignored() {
    assert_eq!(event(b"a\x1b[1;5Cb\x1b[2~c\x1bxd\x1bOPe\r"), line("abcde"));
    assert_eq!(event(b"a\x07\x1a\x00b\r"), line("ab"));
}

#[test]
fn history_up_and_down() {
    let mut editor = editor(&["one", "two"]);
    let up = |editor: &mut Editor| editor.feed(b"\x1b[A", &mut Words(&[])).output;
    assert_eq!(up(&mut editor), b"two");
    assert_eq!(up(&mut editor), b"\x1b[3Done");
    assert_eq!(up(&mut editor), b"\x07");
    assert_eq!(editor.feed(b"\x1b[B", &mut Words(&[])).output, b"\x1b[3Dtwo");
    assert_eq!(editor.feed(b"\x1b[B", &mut Words(&[])).output, b"\x1b[3D\x1b[J");
    assert_eq!(editor.feed(b"\x1b[B", &mut Words(&[])).output, b"\x07");
    assert_eq!(editor.feed(b"\x10\x10\x0e\r", &mut Words(&[])).event, line("two"));
}

#[test]
fn history_keeps_the_draft() {
    let mut editor = editor(&["old"]);
    assert_eq!(editor.feed(b"dra\x1b[A\x1b[Bft\r", &mut Words(&[])).event, line("draft"));
}

#[test]
fn recalled_lines_can_be_edited() {
    let mut editor = editor(&["echo hi"]);
    assert_eq!(editor.feed(b"\x1bOA\x7fo\r", &mut Words(&[])).event, line("echo ho"));
}

#[test]
fn adding_history() {
    let mut editor = editor(&[]);
    assert!(editor.add_history("ls"));
    assert!(!editor.add_history("ls"), "repeat");
    assert!(!editor.add_history("  "), "blank");
    assert!(editor.add_history("pwd"));
    assert!(editor.add_history("ls"));
    assert_eq!(editor.history(), ["ls", "pwd", "ls"]);
    editor.begin("$ ");
    assert_eq!(editor.feed(b"\x1b[A\x1b[A\r", &mut Words(&[])).event, line("pwd"));
}

#[test]
fn history_is_limited() {
    let many: Vec<String> = (0..HISTORY_LIMIT + 10).map(|n| n.to_string()).collect();
    let mut editor = Editor::new(many);
    assert_eq!(editor.history().len(), HISTORY_LIMIT);
    assert_eq!(editor.history()[0], "10");
    editor.add_history("new");
    assert_eq!(editor.history().len(), HISTORY_LIMIT);
    assert_eq!(editor.history()[0], "11");
}

#[test]
fn tab_completes_a_unique_candidate() {
    let mut words = Words(&["echo", "exit", "src/"]);
    let mut editor = editor(&[]);
    let reply = editor.feed(b"ech\t", &mut words);
    assert_eq!(reply.output, b"echo ");
    assert_eq!(editor.feed(b"x s\t\r", &mut words).event, line("echo x src/"));
}

#[test]
fn tab_completes_in_the_middle_of_a_line() {
    let mut words = Words(&["echo"]);
    let mut editor = editor(&[]);
    assert_eq!(editor.feed(b"e x\x1b[D\x1b[D\tmore\r", &mut words).event, line("echo more x"));
}

#[test]
fn tab_inserts_the_common_prefix_then_lists() {
    let mut words = Words(&["sleep", "sleepy", "sort"]);
    let mut editor = editor(&[]);
    assert_eq!(editor.feed(b"sl\t", &mut words).output, b"sleep");
    assert_eq!(editor.feed(b"\t", &mut words).output, b"\x07");
    assert_eq!(editor.feed(b"\t", &mut words).output, b"\r\nsleep   sleepy\r\n$ sleep");
    assert_eq!(editor.feed(b"y\r", &mut words).event, line("sleepy"));
}

#[test]
fn a_second_tab_lists_only_right_after_the_first() {
    let mut words = Words(&["ab", "ac"]);
    let mut editor = editor(&[]);
    assert_eq!(editor.feed(b"a\t", &mut words).output, b"a\x07");
    assert_eq!(editor.feed(b"x\x7f", &mut words).output, b"", "typed and taken back");
    assert_eq!(editor.feed(b"\t", &mut words).output, b"\x07");
}

#[test]
fn tab_without_candidates_rings() {
    let mut editor = editor(&[]);
    assert_eq!(editor.feed(b"zz\t\t", &mut Words(&["a"])).output, b"zz\x07\x07");
}

#[test]
fn common_prefixes() {
    let strings = |words: &[&str]| words.iter().map(|word| word.to_string()).collect::<Vec<_>>();
    assert_eq!(common_prefix(&strings(&["abc", "abd"])), "ab");
    assert_eq!(common_prefix(&strings(&["abc", "ab"])), "ab");
    assert_eq!(common_prefix(&strings(&["x", "y"])), "");
    assert_eq!(common_prefix(&strings(&["éa", "éb"])), "é");
    assert_eq!(common_prefix(&strings(&["é", "è"])), "");
    assert_eq!(common_prefix(&[]), "");
}

#[test]
fn listed_names() {
    assert_eq!(display_name("/bin/ls"), "ls");
    assert_eq!(display_name("src/"), "src/");
    assert_eq!(display_name("a/b/"), "b/");
    assert_eq!(display_name("echo"), "echo");
}

#[test]
fn lists_fill_columns_down_then_across() {
    let names: Vec<String> = ["a", "bb", "ccc", "d", "e"].iter().map(|name| name.to_string()).collect();
    assert_eq!(list(&names, 80), "a    bb   ccc  d    e\r\n");
    assert_eq!(list(&names, 10), "a    d\r\nbb   e\r\nccc\r\n");
    assert_eq!(list(&names, 2), "a\r\nbb\r\nccc\r\nd\r\ne\r\n");
}

mod properties;
mod screen;
mod searching;
mod session;
mod wrapping;

#[test]
fn history_numbers_count_every_line() {
    let mut editor = Editor::new(vec!["a".into(), "b".into()]);
    assert_eq!(editor.history_number(), 3);
    editor.add_history("c");
    assert_eq!(editor.history_number(), 4);
    let mut editor = Editor::new((0..HISTORY_LIMIT + 10).map(|n| n.to_string()).collect());
    assert_eq!(editor.history_number(), HISTORY_LIMIT + 11);
    editor.add_history("new");
    assert_eq!(editor.history_number(), HISTORY_LIMIT + 12);
}

#[test]
fn a_lone_escape_waits_unless_searching() {
    let mut editor = editor(&["old"]);
    editor.feed(b"ab\x1b", &mut Words(&[]));
    assert!(!editor.escape_pending(), "Escape alone does nothing while editing");
    assert_eq!(editor.feed(b"[Dx\r", &mut Words(&[])).event, line("axb"));
    editor.begin("$ ");
    editor.feed(b"\x12o\x1b", &mut Words(&[]));
    assert!(editor.escape_pending());
    editor.escape_timeout(&mut Words(&[]));
    assert!(!editor.escape_pending());
    assert_eq!(editor.feed(b"\r", &mut Words(&[])).event, line("old"));
    assert_eq!(editor.escape_timeout(&mut Words(&[])), Reply::default(), "nothing pending");
}
