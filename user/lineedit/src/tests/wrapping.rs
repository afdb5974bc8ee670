//! Lines wider than the terminal, on the test screen: what is written for each
//! edit, and that the screen then shows the prompt and the line with the cursor in
//! its place (checked by [`Session`] after every key).
use super::screen::Wrap;
use super::session::Session;
use crate::Event;

const BOTH: [Wrap; 2] = [Wrap::Pending, Wrap::Eager];
const LEFT: &[u8] = b"\x1b[D";
const RIGHT: &[u8] = b"\x1b[C";

/// `count` letters, a to z over and over.
fn letters(count: usize) -> String {
    (b'a'..=b'z').cycle().take(count).map(char::from).collect()
}

fn line(session: &Session) -> &str {
    &session.editor.line
}

#[test]
fn typing_at_the_end_writes_only_the_character() {
    for wrap in BOTH {
        let mut session = Session::new(20, 10, wrap, 2, "$ ", &[]);
        for (index, char) in letters(60).chars().enumerate() {
            let (output, _) = session.keys(char.to_string().as_bytes());
            // The prompt takes 2 columns, so characters 17, 37 and 57 end a row.
            let expected = if (index + 3) % 20 == 0 { format!("{char} \r") } else { char.to_string() };
            assert_eq!(String::from_utf8(output).unwrap(), expected, "character {index}");
        }
        assert_eq!(session.screen.row, 2 + 3, "after three full rows");
    }
}

#[test]
fn lines_of_one_two_and_three_widths() {
    for wrap in BOTH {
        for length in [10, 18, 19, 38, 40, 58, 61] {
            let mut session = Session::new(20, 10, wrap, 1, "$ ", &[]);
            session.keys(letters(length).as_bytes());
            let (_, event) = session.keys(b"\r");
            assert_eq!(event, Some(Event::Line(letters(length))));
        }
    }
}

#[test]
fn inserting_in_the_middle_redraws_from_the_cursor() {
    for wrap in BOTH {
        let mut session = Session::new(20, 10, wrap, 0, "$ ", &[]);
        session.keys(letters(50).as_bytes());
        session.keys(&LEFT.repeat(40));
        let (output, _) = session.keys(b"XY");
        let output = String::from_utf8(output).unwrap();
        assert!(output.starts_with("XYklmnopqrs"), "written from the cursor on: {output:?}");
        assert!(!output.contains("$ "), "the prompt is not written again: {output:?}");
        assert_eq!(line(&session), format!("{}XY{}", letters(10), &letters(50)[10..]));
        session.keys(b"\x01Z");
        session.keys(b"\x05!");
    }
}

#[test]
fn deleting_in_the_middle_pulls_the_rows_up() {
    for wrap in BOTH {
        let mut session = Session::new(16, 10, wrap, 3, "> ", &[]);
        session.keys(letters(45).as_bytes());
        session.keys(&LEFT.repeat(20));
        for _ in 0..6 {
            session.keys(b"\x7f");
        }
        session.keys(b"\x1b[3~\x1b[3~\x04");
        assert_eq!(line(&session), format!("{}{}", &letters(45)[..19], &letters(45)[28..]));
        session.keys(b" word \x17");
        session.keys(b"\x0b");
        session.keys(b"\x15");
        assert_eq!(line(&session), "");
    }
}

#[test]
fn moving_across_row_boundaries() {
    let mut session = Session::new(20, 10, Wrap::Pending, 0, "$ ", &[]);
    session.keys(letters(45).as_bytes());
    // The cursor is on row 2 at column 7; 7 to the left is the start of row 2.
    assert_eq!(session.keys(&LEFT.repeat(7)).0, b"\r");
    assert_eq!(session.keys(LEFT).0, b"\x1b[1A\x1b[19C", "to the end of the row above");
    assert_eq!(session.keys(RIGHT).0, b"\x1b[1B\r");
    assert_eq!(session.keys(b"\x01").0, b"\x1b[2A\x1b[2C");
    assert_eq!(session.keys(b"\x05").0, b"\x1b[2B\x1b[5C");
    for _ in 0..45 {
        session.keys(LEFT);
    }
    for _ in 0..45 {
        session.keys(RIGHT);
    }
}

#[test]
fn recalling_a_long_line_and_going_back_to_a_short_one() {
    let long = format!("echo {}", letters(70));
    for wrap in BOTH {
        let mut session = Session::new(30, 10, wrap, 2, "$ ", &["ls", &long]);
        session.keys(b"pw");
        session.keys(b"\x1b[A");
        assert_eq!(line(&session), long);
        session.keys(b"\x1b[A");
        assert_eq!(line(&session), "ls");
        session.keys(b"\x1b[B\x1b[B");
        assert_eq!(line(&session), "pw");
        session.keys(b"\x1b[A");
        session.keys(&LEFT.repeat(35));
        session.keys(b"\x7f\x7fNEW");
        let (_, event) = session.keys(b"\r");
        let edited = format!("echo {}NEW{}", &letters(70)[..33], &letters(70)[35..]);
        assert_eq!(event, Some(Event::Line(edited)));
    }
}

#[test]
fn enter_leaves_the_cursor_below_the_whole_line() {
    for wrap in BOTH {
        let mut session = Session::new(20, 10, wrap, 0, "$ ", &[]);
        session.keys(letters(50).as_bytes());
        session.keys(b"\x01");
        let (_, event) = session.keys(b"\r");
        assert!(event.is_some());
        session.screen.write(b"output\r\n");
        assert_eq!(session.screen.row_text(2), &letters(50)[38..]);
        assert_eq!(session.screen.row_text(3), "output");
    }
}

#[test]
fn ctrl_c_writes_its_mark_after_the_line() {
    let mut session = Session::new(20, 10, Wrap::Pending, 0, "$ ", &[]);
    session.keys(letters(30).as_bytes());
    session.keys(b"\x01");
    assert_eq!(session.keys(b"\x03").1, Some(Event::Interrupt));
    assert_eq!(session.screen.row_text(1), format!("{}^C", &letters(30)[18..]));
    assert_eq!((session.screen.row, session.screen.column), (2, 0));
}

#[test]
fn a_prompt_wider_than_the_screen() {
    for wrap in BOTH {
        let prompt = format!("{}> ", letters(23));
        let mut session = Session::new(10, 12, wrap, 1, &prompt, &[]);
        session.keys(letters(25).as_bytes());
        session.keys(&LEFT.repeat(12));
        session.keys(b"--");
        session.keys(b"\x01\x0b");
        let mut session = Session::new(10, 12, wrap, 1, &letters(20), &[]);
        session.keys(b"x\x7f");
    }
}

#[test]
fn prompts_of_several_lines_and_in_colour() {
    let mut session = Session::new(20, 10, Wrap::Pending, 1, "first line\nsecond\n\x1b[1;32m$\x1b[0m ", &[]);
    session.keys(letters(30).as_bytes());
    session.keys(&LEFT.repeat(25));
    session.keys(b"\x7f\x7f");
    let output = session.keys_redrawing_at(b"\x0c", 0);
    assert!(output.starts_with(b"\x1b[H\x1b[2Jfirst line\r\nsecond\r\n"), "{output:?}");
    assert_eq!(session.screen.row_text(2), "$ abcfghijklmnopqrst");
}

#[test]
fn starting_at_the_bottom_scrolls_the_screen() {
    for wrap in BOTH {
        let mut session = Session::new(20, 6, wrap, 5, "$ ", &[]);
        session.keys(letters(55).as_bytes());
        assert_eq!(session.screen.scrolled, 2);
        session.keys(&LEFT.repeat(30));
        session.keys(b"inserted");
        session.keys(b"\x01\x0b");
        session.keys(b"again");
    }
}

#[test]
fn resizing_redraws_at_the_new_width() {
    for wrap in BOTH {
        let mut session = Session::new(30, 12, wrap, 2, "$ ", &[]);
        session.keys(letters(70).as_bytes());
        session.keys(&LEFT.repeat(20));
        session.resize(20);
        session.keys(b"x");
        session.resize(45);
        session.keys(b"y");
        session.resize(45);
        assert_eq!(session.editor.resize(45), b"", "the same width changes nothing");
    }
}

#[test]
fn control_characters_show_as_carets() {
    let mut session = Session::new(10, 8, Wrap::Pending, 0, "$ ", &["a\tb\x01c"]);
    session.keys(b"\x1b[A");
    assert_eq!(session.screen.row_text(0), "$ a^Ib^Ac");
    session.keys(LEFT);
    session.keys(LEFT);
    session.keys(b"\x7f");
    session.keys(b"0123456789");
}

#[test]
fn the_completion_list_goes_below_a_wrapped_line() {
    let mut session = Session::new(20, 12, Wrap::Pending, 0, "$ ", &[]);
    session.words = super::Words(&["sleep", "sleepy"]);
    session.keys(format!("echo {} sl", letters(20)).as_bytes());
    session.keys(b"\t");
    assert_eq!(session.keys(b"\t").0, b"\x07");
    session.keys_redrawing_at(b"\t", 3);
    let text: Vec<String> = (0..6).map(|row| session.screen.row_text(row)).collect();
    assert_eq!(text[..4], ["$ echo abcdefghijklm", "nopqrst sleep", "sleep   sleepy", "$ echo abcdefghijklm"]);
    assert_eq!(text[4], "nopqrst sleep");
    assert_eq!((session.screen.row, session.screen.column), (4, 13));
}
