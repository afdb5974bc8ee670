use proptest::prelude::*;

use super::*;

/// A grid of characters in memory; the colours of each cell as (foreground, background).
struct Grid {
    cells: Vec<Vec<(char, (u8, u8))>>,
    column: usize,
    row: usize,
    colours: (u8, u8),
    /// The rows `scrolled_out` was given, as text.
    gone: Vec<String>,
}

impl Grid {
    fn new(width: usize, height: usize) -> Self {
        Self {
            cells: vec![vec![(' ', DEFAULT_COLOURS); width]; height],
            column: 0,
            row: 0,
            colours: DEFAULT_COLOURS,
            gone: Vec::new(),
        }
    }

    /// The rows as text, trailing blanks removed.
    fn text(&self) -> Vec<String> {
        self.cells.iter().map(|row| row.iter().map(|cell| cell.0).collect::<String>().trim_end().to_string()).collect()
    }
}

impl CellScreen for Grid {
    fn size(&self) -> (usize, usize) {
        (self.cells[0].len(), self.cells.len())
    }

    fn column(&mut self) -> &mut usize {
        &mut self.column
    }

    fn row(&mut self) -> &mut usize {
        &mut self.row
    }

    fn put(&mut self, byte: Option<u8>) {
        assert!(self.column < self.cells[0].len(), "put past the last column");
        self.cells[self.row][self.column] = (byte.map_or('?', char::from), self.colours);
        self.column += 1;
    }

    fn erase(&mut self, row: usize, columns: Range<usize>) {
        for cell in &mut self.cells[row][columns] {
            *cell = (' ', (DEFAULT_COLOURS.0, self.colours.1));
        }
    }

    fn set_colours(&mut self, foreground: u8, background: u8) {
        self.colours = (foreground, background);
    }

    fn copy_row(&mut self, from: usize, to: usize) {
        self.cells[to] = self.cells[from].clone();
    }

    fn copy_cells(&mut self, row: usize, columns: Range<usize>, to: usize) {
        self.cells[row].copy_within(columns, to);
    }

    fn scrolled_out(&mut self, row: usize) {
        let text = self.text()[row].clone();
        self.gone.push(text);
    }
}

/// The screen after `bytes`, on a `width` by `height` grid.
fn screen(width: usize, height: usize, bytes: &[u8]) -> Grid {
    let mut grid = Grid::new(width, height);
    Terminal::new().write(&mut grid, bytes);
    grid
}

#[test]
fn text_wraps_at_the_last_column_and_scrolls_at_the_bottom() {
    let grid = screen(4, 3, b"abcd");
    assert_eq!((grid.row, grid.column), (0, 4), "the wrap waits for the next character");
    let grid = screen(4, 3, b"abcdef\nxy\nz");
    assert_eq!(grid.text(), ["ef", "xy", "z"]);
    assert_eq!((grid.row, grid.column), (2, 1));
}

#[test]
fn control_bytes_move_the_cursor() {
    assert_eq!(screen(10, 2, b"abc\rX\tY").text(), ["Xbc     Y", ""]);
    assert_eq!(screen(10, 2, b"abc\x08\x08Z").text(), ["aZc", ""]);
    assert_eq!(screen(4, 2, b"abcd\x08X").text(), ["abXd", ""], "backspace from a pending wrap");
    assert_eq!(screen(6, 3, b"a\x0bb\x0cc").text(), ["a", "b", "c"]);
}

#[test]
fn cursor_positions_are_one_based_and_clamped() {
    assert_eq!(screen(6, 4, b"\x1b[2;3HX\x1b[4dY\x1b[1GZ\x1b[9;9H!").text(), ["", "  X", "", "Z  Y !"]);
    assert_eq!(screen(6, 3, b"\x1b[3;1Ha\x1b[2Fb\x1b[Ec\x1b[2`d\x1b[2ae\x1b[ef").text(), ["b", "cd  e", "a    f"]);
}

#[test]
fn erase_in_display_line_and_cells() {
    let full = b"aaaa\r\nbbbb\r\ncccc";
    let erase = |sequence: &[u8]| screen(4, 3, &[full.as_slice(), b"\x1b[2;2H", sequence].concat()).text();
    assert_eq!(erase(b"\x1b[J"), ["aaaa", "b", ""]);
    assert_eq!(erase(b"\x1b[1J"), ["", "  bb", "cccc"]);
    assert_eq!(erase(b"\x1b[2J"), ["", "", ""]);
    assert_eq!(erase(b"\x1b[K"), ["aaaa", "b", "cccc"]);
    assert_eq!(erase(b"\x1b[1K"), ["aaaa", "  bb", "cccc"]);
    assert_eq!(erase(b"\x1b[2X"), ["aaaa", "b  b", "cccc"]);
    assert_eq!(erase(b"\x1b[9X"), ["aaaa", "b", "cccc"]);
}

#[test]
fn characters_are_inserted_and_deleted_in_the_line() {
    assert_eq!(screen(6, 1, b"abcdef\x1b[1;2H\x1b[2@").text(), ["a  bcd"]);
    assert_eq!(screen(6, 1, b"abcdef\x1b[1;2H\x1b[2P").text(), ["adef"]);
    assert_eq!(screen(6, 1, b"abcdef\x1b[1;5H\x1b[9P").text(), ["abcd"]);
    assert_eq!(screen(6, 1, b"abcdef\x1b[1;2H\x1b[4hXY\x1b[4lZ").text(), ["aXYZcd"]);
}

#[test]
fn lines_are_inserted_and_deleted_within_the_region() {
    let rows = b"1\r\n2\r\n3\r\n4\r\n5";
    let edit = |sequence: &[u8]| screen(3, 5, &[rows.as_slice(), sequence].concat()).text();
    assert_eq!(edit(b"\x1b[2;1H\x1b[L"), ["1", "", "2", "3", "4"]);
    assert_eq!(edit(b"\x1b[2;1H\x1b[2M"), ["1", "4", "5", "", ""]);
    // A region of rows 2-4: the lines outside it stay.
    assert_eq!(edit(b"\x1b[2;4r\x1b[3;1H\x1b[L"), ["1", "2", "", "3", "5"]);
    assert_eq!(edit(b"\x1b[2;4r\x1b[2;1H\x1b[9M"), ["1", "", "", "", "5"]);
    assert_eq!(edit(b"\x1b[2;4r\x1b[5;1H\x1b[L"), ["1", "2", "3", "4", "5"], "the cursor is outside");
    assert_eq!(edit(b"\x1b[2;4r\x1b[S"), ["1", "3", "4", "", "5"]);
    assert_eq!(edit(b"\x1b[2;4r\x1b[2T"), ["1", "", "", "2", "5"]);
}

#[test]
fn line_feeds_scroll_the_region_at_its_edges() {
    let rows = b"1\r\n2\r\n3\r\n4\r\n5";
    let edit = |sequence: &[u8]| screen(3, 5, &[rows.as_slice(), sequence].concat());
    let grid = edit(b"\x1b[2;4r");
    assert_eq!((grid.row, grid.column), (0, 0), "setting the region homes the cursor");
    assert_eq!(edit(b"\x1b[2;4r\x1b[4;2H\nx").text(), ["1", "3", "4", "x", "5"]);
    assert_eq!(edit(b"\x1b[2;4r\x1b[4;2H\x1bDx").text(), ["1", "3", "4", " x", "5"]);
    assert_eq!(edit(b"\x1b[2;4r\x1b[2;1H\x1bMx").text(), ["1", "x", "2", "3", "5"]);
    assert_eq!(edit(b"\x1b[2;4r\x1b[3;1H\x1bMx").text(), ["1", "x", "3", "4", "5"]);
    assert_eq!(edit(b"\x1b[2;4r\x1b[r\x1b[5;1H\nx").text(), ["2", "3", "4", "5", "x"], "CSI r: the whole screen");
    assert_eq!(edit(b"\x1b[4;2r\x1b[5;1H\nx").text(), ["2", "3", "4", "5", "x"], "a bad region is ignored");
}

#[test]
fn only_whole_screen_scrolls_hand_rows_out() {
    let rows = b"1\r\n2\r\n3\r\n4\r\n5";
    let grid = screen(3, 3, rows);
    assert_eq!(grid.gone, ["1", "2"]);
    assert_eq!(screen(3, 3, b"a\r\nb\r\nc\x1b[2S").gone, ["a", "b"], "CSI S on the whole screen");
    assert!(screen(3, 3, b"a\x1b[2;3r\x1b[3;1H\n\n\n").gone.is_empty(), "a region keeps its rows");
    assert!(screen(3, 3, b"a\r\nb\x1b[2;1H\x1b[M").gone.is_empty(), "CSI M below the top row");
}

#[test]
fn colours_and_saved_cursors() {
    let grid = screen(8, 2, b"\x1b[1;31;44ma\x1b[7mb\x1b[0mc\x1b7\x1b[2;5H\x1b[32md\x1b8e");
    let colours: Vec<(u8, u8)> = grid.cells[0][..4].iter().map(|cell| cell.1).collect();
    assert_eq!(colours, [(9, 4), (4, 9), (7, 0), (7, 0)]);
    assert_eq!(grid.text(), ["abce", "    d"]);
    assert_eq!(grid.cells[1][4].1, (2, 0));
}

#[test]
fn reset_clears_the_screen_and_the_modes() {
    // Without the reset, the region (rows 2-3) would keep row 1's "x" in place and
    // "y" would be red.
    let grid = screen(4, 3, b"ab\x1b[2;3r\x1b[4h\x1b[31m\x1bcx\x1b[3;1H\ny");
    assert_eq!(grid.text(), ["", "", "y"]);
    assert_eq!(grid.cells[2][0].1, DEFAULT_COLOURS);
}

proptest! {
    /// Whatever a program writes, the terminal stays inside the grid (the test grid
    /// asserts every cell access) and the cursor is a valid one.
    #[test]
    fn any_bytes_keep_the_cursor_in_the_grid(
        chunks in proptest::collection::vec(proptest::collection::vec(
            prop_oneof![any::<u8>(), Just(0x1b), Just(b'['), Just(b';'), Just(b'\n'), (b'0'..=b'9')], 0..40), 0..20),
        width in 1usize..12,
        height in 1usize..8,
    ) {
        let mut grid = Grid::new(width, height);
        let mut terminal = Terminal::new();
        for chunk in &chunks {
            terminal.write(&mut grid, chunk);
            prop_assert!(grid.column <= width && grid.row < height);
        }
    }
}
