use core::ops::Range;

use cellterm::CellScreen;
use proptest::prelude::*;

use super::*;

/// A display in memory: a `Screen` without history, and whether the cursor shows
/// (nothing may be drawn while it does).
struct Glass {
    screen: Screen,
    cursor_shown: bool,
}

impl Glass {
    fn new(width: usize, height: usize) -> Self {
        Self { screen: Screen::new(width, height, 0), cursor_shown: true }
    }

    fn text(&self) -> Vec<String> {
        rows_text(&self.screen)
    }

    /// Row `row`'s characters and colours.
    fn cells(&self, row: usize) -> Vec<(char, (u8, u8))> {
        self.screen.row_cells(row).iter().map(|c| (c.char(), c.colours())).collect()
    }
}

impl CellScreen for Glass {
    fn size(&self) -> (usize, usize) {
        self.screen.size()
    }
    fn column(&mut self) -> &mut usize {
        self.screen.column()
    }
    fn row(&mut self) -> &mut usize {
        self.screen.row()
    }
    fn put(&mut self, byte: Option<u8>) {
        assert!(!self.cursor_shown, "drawing with the cursor shown");
        self.screen.put(byte);
    }
    fn erase(&mut self, row: usize, columns: Range<usize>) {
        self.screen.erase(row, columns);
    }
    fn set_colours(&mut self, foreground: u8, background: u8) {
        self.screen.set_colours(foreground, background);
    }
    fn copy_row(&mut self, from: usize, to: usize) {
        self.screen.copy_row(from, to);
    }
    fn copy_cells(&mut self, row: usize, columns: Range<usize>, to: usize) {
        self.screen.copy_cells(row, columns, to);
    }
}

impl Display for Glass {
    fn show_cursor(&mut self, shown: bool) {
        self.cursor_shown = shown;
    }
}

/// A screen's rows as text, trailing blanks removed.
fn rows_text(screen: &Screen) -> Vec<String> {
    let (_, height) = screen.size();
    (0..height)
        .map(|row| screen.row_cells(row).iter().map(|c| c.char()).collect::<String>().trim_end().to_string())
        .collect()
}

/// The display shows exactly the console's cells, colours included.
fn assert_mirrors(vt: &Vt, glass: &Glass) {
    let (_, height) = glass.size();
    for row in 0..height {
        let own: Vec<_> = vt.screen().row_cells(row).iter().map(|c| (c.char(), c.colours())).collect();
        assert_eq!(own, glass.cells(row), "row {row}");
    }
    assert_eq!(glass.screen.current_colours(), vt.screen().current_colours());
}

fn numbered(from: usize, to: usize) -> Vec<u8> {
    (from..to).map(|n| format!("line {n}\n")).collect::<String>().into_bytes()
}

#[test]
fn a_hidden_console_keeps_its_text_until_shown() {
    let mut glass = Glass::new(10, 3);
    let (mut shown, mut hidden) = (Vt::new(10, 3, 10), Vt::new(10, 3, 10));
    shown.write(b"one\n", Some(&mut glass));
    hidden.write(b"\x1b[31mtwo\n", None);
    assert_eq!(glass.text(), ["one", "", ""]);
    hidden.redraw(&mut glass);
    assert_eq!(glass.text(), ["two", "", ""]);
    assert_eq!(glass.cells(0)[0].1, (1, 0), "its colours come along");
    assert_mirrors(&hidden, &glass);
    assert_eq!((glass.screen.cursor(), glass.cursor_shown), ((1, 0), true));
    shown.redraw(&mut glass);
    assert_eq!(glass.text(), ["one", "", ""]);
    assert_eq!(rows_text(hidden.screen()), ["two", "", ""]);
}

#[test]
fn the_view_scrolls_back_through_the_history_and_output_returns_it() {
    let mut glass = Glass::new(10, 4);
    let mut vt = Vt::new(10, 4, 5);
    vt.write(&numbered(0, 10), Some(&mut glass));
    // Lines 0..10 and an empty last row: 7 lines scrolled out, 5 kept (2..7).
    assert_eq!(glass.text(), ["line 7", "line 8", "line 9", ""]);
    assert_eq!(vt.screen().history_len(), 5);
    assert!(vt.scroll(2, &mut glass));
    assert_eq!(glass.text(), ["line 5", "line 6", "line 7", "line 8"]);
    assert!(!glass.cursor_shown, "no cursor while scrolled back");
    assert!(vt.scroll(100, &mut glass), "clamped to the history");
    assert_eq!(glass.text(), ["line 2", "line 3", "line 4", "line 5"]);
    assert!(!vt.scroll(1, &mut glass), "already at the oldest line");
    assert!(vt.scroll(-1, &mut glass));
    assert_eq!(glass.text()[0], "line 3");
    vt.write(b"x", Some(&mut glass));
    assert_eq!(vt.scrolled_back(), 0);
    assert_eq!(glass.text(), ["line 7", "line 8", "line 9", "x"]);
    assert!(glass.cursor_shown);
    assert_mirrors(&vt, &glass);
    assert!(!vt.scroll(-1, &mut glass), "already at the bottom");
}

#[test]
fn history_lines_keep_their_text_as_the_ring_turns() {
    let mut vt = Vt::new(8, 2, 3);
    vt.write(&numbered(0, 20), None);
    let history: Vec<String> = (0..3)
        .map(|row| vt.screen().view_row(3, row).iter().map(|c| c.char()).collect::<String>().trim_end().into())
        .collect();
    assert_eq!(history, ["line 16", "line 17", "line 18"]);
}

proptest! {
    /// Whatever is written, the visible console's display shows its cells,
    /// directly and after a scroll back and forth.
    #[test]
    fn the_display_mirrors_the_visible_console(
        chunks in proptest::collection::vec(proptest::collection::vec(
            prop_oneof![Just(b'\n'), Just(0x1b), Just(b'['), Just(b';'), Just(b'm'), Just(b'J'), Just(b'M'),
                        Just(b'S'), Just(b'r'), Just(b'H'), Just(b'P'), Just(b'@'), Just(b'L'), Just(b'K'),
                        b'0'..=b'9', b'a'..=b'f', any::<u8>()],
            0..40), 0..12),
    ) {
        let mut glass = Glass::new(7, 4);
        let mut vt = Vt::new(7, 4, 6);
        for chunk in &chunks {
            vt.write(chunk, Some(&mut glass));
            assert_mirrors(&vt, &glass);
            prop_assert_eq!(glass.screen.cursor(), vt.screen().cursor());
            vt.scroll(3, &mut glass);
            vt.scroll(-3, &mut glass);
            assert_mirrors(&vt, &glass);
        }
    }
}
