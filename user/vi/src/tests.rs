//! The editor driven by key sequences as a user types them: the text, the cursor,
//! the mode and what the screen's status and message lines say afterwards; and
//! random key sequences, which must never make it panic.
use proptest::prelude::*;

use crate::buffer::Pos;
use crate::editor::{Editor, Mode};
use crate::input::keys;

/// An editor on `text` (as an unnamed buffer, unmodified) after typing `typed`.
fn edit(text: &str, typed: &str) -> Editor {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");
    std::fs::write(&path, text).unwrap();
    let mut editor = Editor::new(10, 40);
    editor.open(path.to_str().unwrap());
    type_keys(&mut editor, typed);
    editor
}

fn type_keys(editor: &mut Editor, typed: &str) {
    for key in keys(typed.as_bytes()) {
        editor.key(key);
    }
}

fn text(editor: &Editor) -> String {
    String::from_utf8(editor.text()).unwrap()
}

fn status(editor: &Editor) -> String {
    editor.frame().rows[8].text.clone()
}

#[test]
fn inserting_and_leaving_insert_mode() {
    let editor = edit("", "ihello world\x1b");
    assert_eq!(text(&editor), "hello world\n");
    assert_eq!(editor.cursor(), Pos::new(0, 10));
    assert_eq!(editor.mode(), Mode::Normal);
    let editor = edit("abc\n", "Ax\x1bIy\x1bov\x1bOu\x1b");
    assert_eq!(text(&editor), "yabcx\nu\nv\n");
    let editor = edit("ab\n", "ax\ry\x1b");
    assert_eq!(text(&editor), "ax\nyb\n");
    let editor = edit("abc\n", "$i12\x7f3\x1b");
    assert_eq!(text(&editor), "ab13c\n");
    let editor = edit("ab\ncd\n", "ji\x7f\x7f\x1b");
    assert_eq!(text(&editor), "acd\n");
}

#[test]
fn counts_repeat_inserts() {
    assert_eq!(text(&edit("\n", "3ia\x1b")), "aaa\n");
    assert_eq!(text(&edit("x\n", "2oy\x1b")), "x\ny\ny\n");
}

#[test]
fn the_status_line_shows_mode_position_and_changes() {
    let mut editor = edit("one\ntwo\n", "j$");
    assert!(status(&editor).ends_with("2,3  All "), "{}", status(&editor));
    assert!(!status(&editor).contains("[+]"));
    type_keys(&mut editor, "a!");
    assert!(status(&editor).contains("[+]"));
    assert!(status(&editor).contains("-- INSERT --"));
    type_keys(&mut editor, "\x1b");
    assert!(!status(&editor).contains("INSERT"));
}

#[test]
fn words_lines_and_finds() {
    let editor = edit("one two three\n", "wdw");
    assert_eq!(text(&editor), "one three\n");
    let editor = edit("one two three\n", "2dw");
    assert_eq!(text(&editor), "three\n");
    let editor = edit("one two\nthree\n", "wdw");
    assert_eq!(text(&editor), "one \nthree\n");
    let editor = edit("one two three\n", "cwONE\x1b");
    assert_eq!(text(&editor), "ONE two three\n");
    let editor = edit("a(b, c) d\n", "f(d%");
    assert_eq!(text(&editor), "a d\n");
    let editor = edit("a,b,c,d\n", "dt,");
    assert_eq!(text(&editor), ",b,c,d\n");
    let editor = edit("a,b,c,d\n", "f,;D");
    assert_eq!(text(&editor), "a,b\n");
    let editor = edit("a,b,c,d\n", "$F,;x");
    assert_eq!(text(&editor), "a,bc,d\n");
    let editor = edit("abc def\n", "$bd0");
    assert_eq!(text(&editor), "def\n");
    let editor = edit("  abc\n", "$d^");
    assert_eq!(text(&editor), "  c\n");
    let editor = edit("abc def\n", "ede");
    assert_eq!(text(&editor), "ab\n");
}

#[test]
fn line_commands() {
    let editor = edit("1\n2\n3\n4\n", "jdd");
    assert_eq!(text(&editor), "1\n3\n4\n");
    assert_eq!(editor.cursor(), Pos::new(1, 0));
    let editor = edit("1\n2\n3\n4\n", "2dj");
    assert_eq!(text(&editor), "4\n");
    let editor = edit("1\n2\n3\n4\n", "Gdgg");
    assert_eq!(text(&editor), "");
    let editor = edit("1\n2\n3\n4\n", "3Gdd");
    assert_eq!(text(&editor), "1\n2\n4\n");
    let editor = edit("1\n2\n3\n", "ddp");
    assert_eq!(text(&editor), "2\n1\n3\n");
    let editor = edit("1\n2\n3\n", "yyjpP");
    assert_eq!(text(&editor), "1\n2\n1\n1\n3\n");
    let editor = edit("1\n2\n", "ccx\x1b");
    assert_eq!(text(&editor), "x\n2\n");
    let editor = edit("a\n  b\nc\n", "J");
    assert_eq!(text(&editor), "a b\nc\n");
    assert_eq!(editor.cursor(), Pos::new(0, 1));
    let editor = edit("a\nb\nc\n", "3J");
    assert_eq!(text(&editor), "a b c\n");
    let editor = edit("1\n2\n", "Yp");
    assert_eq!(text(&editor), "1\n1\n2\n");
}

#[test]
fn characters() {
    assert_eq!(text(&edit("abc\n", "x")), "bc\n");
    assert_eq!(text(&edit("abc\n", "$X")), "ac\n");
    assert_eq!(text(&edit("abc\n", "2x")), "c\n");
    assert_eq!(text(&edit("abc\n", "$x")), "ab\n");
    assert_eq!(text(&edit("abc\n", "rx")), "xbc\n");
    assert_eq!(text(&edit("abc\n", "2rx")), "xxc\n");
    assert_eq!(text(&edit("abc\n", "4rx")), "abc\n");
    assert_eq!(text(&edit("abc\n", "lr\r")), "a\nc\n");
    assert_eq!(text(&edit("aBc\n", "3~")), "AbC\n");
    assert_eq!(text(&edit("abc\n", "sx\x1b")), "xbc\n");
    assert_eq!(text(&edit("abc\n", "Sx\x1b")), "x\n");
    assert_eq!(text(&edit("abc\n", "lCx\x1b")), "ax\n");
    assert_eq!(text(&edit("abc\n", "xp")), "bac\n");
    assert_eq!(text(&edit("abcd\n", "lRxyz\x1b")), "axyz\n");
    assert_eq!(text(&edit("abcd\n", "lRxy\x7f\x7f\x1b")), "abcd\n");
    assert_eq!(text(&edit("hé\n", "lx")), "h\n");
}

#[test]
fn up_and_down_keep_the_column() {
    let mut editor = edit("abcdef\nab\nabcdef\n", "4lj");
    assert_eq!(editor.cursor(), Pos::new(1, 1));
    type_keys(&mut editor, "j");
    assert_eq!(editor.cursor(), Pos::new(2, 4));
    type_keys(&mut editor, "gg$jj");
    assert_eq!(editor.cursor(), Pos::new(2, 5));
    type_keys(&mut editor, "0k");
    assert_eq!(editor.cursor(), Pos::new(1, 0));
}

#[test]
fn yanking_and_putting_text() {
    assert_eq!(text(&edit("one two\n", "ywP")), "one one two\n");
    assert_eq!(text(&edit("ab\n", "yl3p")), "aaaab\n");
    assert_eq!(text(&edit("ab\ncd\n", "lyjP")), "ab\ncd\nab\ncd\n");
    assert_eq!(text(&edit("a b\n", "wy$0P")), "ba b\n");
    let editor = edit("", "p");
    assert_eq!(editor.message(), "E353: Nothing in register \"");
}

#[test]
fn undo_and_redo_whole_commands() {
    let mut editor = edit("one two\n", "wdw");
    type_keys(&mut editor, "u");
    assert_eq!(text(&editor), "one two\n");
    assert_eq!(editor.cursor(), Pos::new(0, 4));
    assert!(!editor.modified());
    type_keys(&mut editor, "\x12");
    assert_eq!(text(&editor), "one \n");
    let mut editor = edit("x\n", "ahello\rworld\x1b");
    type_keys(&mut editor, "u");
    assert_eq!(text(&editor), "x\n");
    type_keys(&mut editor, "u");
    assert_eq!(editor.message(), "Already at oldest change");
    let mut editor = edit("a\n", "xxx");
    type_keys(&mut editor, "2u");
    assert_eq!(text(&editor), "a\n");
}

#[test]
fn dot_repeats_the_last_change() {
    assert_eq!(text(&edit("a b c d\n", "dw..")), "d\n");
    assert_eq!(text(&edit("a\nb\n", "A!\x1bj.")), "a!\nb!\n");
    assert_eq!(text(&edit("abcdef\n", "x3.")), "ef\n");
    assert_eq!(text(&edit("one two\n", "cwX\x1bw.")), "X X\n");
    assert_eq!(text(&edit("1\n2\n3\n4\n", "dd.")), "3\n4\n");
}

#[test]
fn searching() {
    let mut editor = edit("foo\nbar\nfoo bar\n", "/bar\r");
    assert_eq!(editor.cursor(), Pos::new(1, 0));
    type_keys(&mut editor, "n");
    assert_eq!(editor.cursor(), Pos::new(2, 4));
    type_keys(&mut editor, "n");
    assert_eq!(editor.cursor(), Pos::new(1, 0));
    assert_eq!(editor.message(), "search hit BOTTOM, continuing at TOP");
    type_keys(&mut editor, "N");
    assert_eq!(editor.cursor(), Pos::new(2, 4));
    assert_eq!(editor.message(), "search hit TOP, continuing at BOTTOM");
    type_keys(&mut editor, "?fo*\r");
    assert_eq!(editor.cursor(), Pos::new(2, 0));
    type_keys(&mut editor, "/nothing\r");
    assert_eq!(editor.message(), "E486: Pattern not found: nothing");
    assert_eq!(editor.cursor(), Pos::new(2, 0));
    let editor = edit("ab\nx.y\n", "/x\\.y\r");
    assert_eq!(editor.cursor(), Pos::new(1, 0));
}

#[test]
fn command_line_editing_commands() {
    assert_eq!(text(&edit("hello world\n", ":s/world/there/\r")), "hello there\n");
    assert_eq!(text(&edit("a a\na a\n", ":%s/a/b/g\r")), "b b\nb b\n");
    assert_eq!(text(&edit("a a\na a\n", ":2s/a/b\r")), "a a\nb a\n");
    assert_eq!(text(&edit("1\n2\n3\n4\n", ":2,3d\r")), "1\n4\n");
    assert_eq!(text(&edit("1\n2\n3\n", ":$\rdd")), "1\n2\n");
    assert_eq!(text(&edit("1\n2\n3\n", ":2\rdd")), "1\n3\n");
    let editor = edit("x\n", ":s/y/z/\r");
    assert_eq!(editor.message(), "E486: Pattern not found: y");
    let editor = edit("x\n", ":frob\r");
    assert_eq!(editor.message(), "E492: Not an editor command: frob");
    let editor = edit("x\n", ":wq\x7f\x7f\x7f\x7f");
    assert_eq!(editor.mode(), Mode::Normal);
    let mut editor = edit("x\n", ":set nu\r");
    assert_eq!(editor.frame().rows[0].text, "  1 x");
    type_keys(&mut editor, ":set nonu list\r");
    assert_eq!(editor.frame().rows[0].text, "x$");
    type_keys(&mut editor, ":set list?\r");
    assert_eq!(editor.message(), "  list");
    type_keys(&mut editor, ":set bogus\r");
    assert_eq!(editor.message(), "E518: Unknown option: bogus");
    let mut editor = Editor::new(24, 80);
    type_keys(&mut editor, "ix\x1b:help\r");
    assert!(editor.frame().rows.iter().any(|row| row.text.contains(":%s/re/new/g")));
    type_keys(&mut editor, "\r");
    assert_eq!(editor.frame().rows[0].text, "x");
}

#[test]
fn writing_quitting_and_reading_files() {
    let dir = tempfile::tempdir().unwrap();
    let name = dir.path().join("f").display().to_string();
    let mut editor = Editor::new(10, 80);
    editor.open(&name);
    assert_eq!(editor.message(), format!("\"{name}\" [New]"));
    type_keys(&mut editor, "ione\rtwo\x1b:q\r");
    assert!(!editor.quitting());
    assert_eq!(editor.message(), "E37: No write since last change (add ! to override)");
    type_keys(&mut editor, ":w\r");
    assert_eq!(editor.message(), format!("\"{name}\" [New] 2L, 8B written"));
    assert_eq!(std::fs::read(&name).unwrap(), b"one\ntwo\n");
    assert!(!editor.modified());
    let other = dir.path().join("g").display().to_string();
    std::fs::write(&other, "read\n").unwrap();
    type_keys(&mut editor, &format!("gg:r {other}\r"));
    assert_eq!(text(&editor), "one\nread\ntwo\n");
    type_keys(&mut editor, &format!(":w {other}\r"));
    assert_eq!(editor.message(), "E13: File exists (add ! to override)");
    type_keys(&mut editor, ":e!\r");
    assert_eq!(text(&editor), "one\ntwo\n");
    type_keys(&mut editor, "x:x\r");
    assert!(editor.quitting());
    assert_eq!(std::fs::read(&name).unwrap(), b"ne\ntwo\n");
    let mut editor = Editor::new(10, 80);
    editor.open(&name);
    assert_eq!(editor.message(), format!("\"{name}\" 2L, 7B"));
    type_keys(&mut editor, "ZZ");
    assert!(editor.quitting());
    let mut editor = Editor::new(10, 80);
    type_keys(&mut editor, "ix\x1b:q!\r");
    assert!(editor.quitting());
    let mut editor = Editor::new(10, 80);
    type_keys(&mut editor, ":w\r");
    assert_eq!(editor.message(), "E32: No file name");
}

#[test]
fn the_next_file() {
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<String> = ["a", "b"].iter().map(|name| dir.path().join(name).display().to_string()).collect();
    std::fs::write(&names[1], "bee\n").unwrap();
    let mut editor = Editor::new(10, 80);
    editor.open_all(names.clone());
    type_keys(&mut editor, "ix\x1b:n\r");
    assert_eq!(editor.message(), "E37: No write since last change (add ! to override)");
    type_keys(&mut editor, ":w\r:q\r");
    assert_eq!(editor.message(), "E173: 1 more file to edit");
    assert!(!editor.quitting());
    type_keys(&mut editor, ":n\r");
    assert_eq!(text(&editor), "bee\n");
    type_keys(&mut editor, ":n\r");
    assert_eq!(editor.message(), "E165: Cannot go beyond last file");
    type_keys(&mut editor, ":q\r");
    assert!(editor.quitting());
}

#[test]
fn changes_not_written_are_saved_for_recovery() {
    let dir = tempfile::tempdir().unwrap();
    let name = dir.path().join("f").display().to_string();
    let mut editor = Editor::new(10, 80);
    editor.open(&name);
    assert_eq!(editor.save_recovery(), None);
    type_keys(&mut editor, "ikept\x1b");
    assert_eq!(editor.save_recovery(), Some(format!("changes saved in {name}.recover")));
    assert_eq!(std::fs::read(format!("{name}.recover")).unwrap(), b"kept\n");
}

#[test]
fn starting_places() {
    let dir = tempfile::tempdir().unwrap();
    let name = dir.path().join("f").display().to_string();
    std::fs::write(&name, "a\nb\nc\nb\n").unwrap();
    let mut editor = Editor::new(10, 80);
    editor.open(&name);
    editor.start_at("3");
    assert_eq!(editor.cursor(), Pos::new(2, 0));
    editor.start_at("");
    assert_eq!(editor.cursor(), Pos::new(3, 0));
    editor.start_at("/b");
    assert_eq!(editor.cursor(), Pos::new(1, 0));
}

#[test]
fn screens_scroll_with_the_cursor() {
    let text: String = (1..=100).map(|line| format!("{line}\n")).collect();
    let mut editor = edit(&text, "50G");
    let frame = editor.frame();
    assert!(frame.rows[..8].iter().any(|row| row.text == "50"));
    type_keys(&mut editor, "H");
    assert_eq!(
        editor.cursor().line.to_string(),
        frame.rows[0].text.trim_end().parse::<usize>().map(|n| n - 1).unwrap().to_string()
    );
    type_keys(&mut editor, "\x06");
    let top = editor.frame().rows[0].text.clone();
    assert_ne!(top, frame.rows[0].text);
    assert_eq!(editor.cursor().line + 1, top.parse::<usize>().unwrap());
    type_keys(&mut editor, "gg");
    assert_eq!(editor.frame().rows[0].text, "1");
    type_keys(&mut editor, "\x04");
    assert_eq!(editor.cursor().line, 4);
    type_keys(&mut editor, "L");
    assert_eq!(editor.cursor().line + 1, editor.frame().rows[7].text.parse::<usize>().unwrap());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_keys_never_panic(typed in proptest::collection::vec(
        prop_oneof![
            Just(b'\x1b'), Just(b'\r'), Just(b'\x7f'), Just(b'\x12'), Just(b'\t'),
            Just(b' '), Just(b'\x04'), Just(b'\x06'), Just(b'\x02'), Just(b'\x15'),
            proptest::sample::select(b"hjklwbeWBE0^$GgfFtT;,%HMLdcyDCYxXrJ~pPiIaAoORsS.uZ123/?nN:(){}".to_vec()),
            any::<u8>(),
        ],
        0..60,
    )) {
        let mut editor = edit("one two\n\tthree (four)\n\nfive, six\n", "");
        for key in keys(&typed) {
            // `:w`, `:e` and `:r` with random names stay away from real files.
            if editor.mode() == Mode::CommandLine {
                editor.key(crate::input::Key::Escape);
                continue;
            }
            editor.key(key);
            let _ = editor.frame();
            let cursor = editor.cursor();
            let text = editor.text();
            let lines = text.split(|&byte| byte == b'\n').count().max(2) - 1;
            prop_assert!(cursor.line < lines.max(1));
        }
    }
}

#[test]
fn a_long_file_jumps_and_edits_quickly() {
    let text: String = (1..=50_000).map(|line| format!("line {line}\n")).collect();
    let started = std::time::Instant::now();
    let mut editor = edit(&text, "G");
    assert_eq!(editor.cursor(), Pos::new(49_999, 0));
    assert_eq!(editor.frame().rows[7].text, "line 50000");
    type_keys(&mut editor, "ggdd/line 40000\rddu");
    assert_eq!(editor.cursor().line, 39_998);
    type_keys(&mut editor, "G?line 3$\r");
    assert_eq!(editor.cursor().line, 1);
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
}

#[test]
fn a_long_paste_is_quick() {
    let started = std::time::Instant::now();
    let pasted = "x".repeat(20_000);
    let mut editor = edit("", &format!("i{pasted}\x1b"));
    assert_eq!(editor.text().len(), 20_001);
    let _ = editor.frame();
    type_keys(&mut editor, "u");
    assert_eq!(text(&editor), "");
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
}
