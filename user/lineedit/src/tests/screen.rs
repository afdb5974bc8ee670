//! A terminal for the tests: a grid of cells with a cursor that wraps at the right
//! margin either as xterm and Linux do (a character in the last column leaves a
//! pending wrap, taken by the next character and dropped by cursor movements) or at
//! once, scrolls at the bottom, and interprets the sequences the editor writes (SGR ones are ignored). Any
//! other byte or sequence fails the test, as does moving the cursor off the screen.

/// How the cursor wraps after the last column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrap {
    /// xterm's and Linux's: the cursor stays on the last column until the next
    /// character.
    Pending,
    /// The cursor moves to the next row right away.
    Eager,
}

#[derive(Debug, Clone)]
pub struct Screen {
    pub width: usize,
    pub height: usize,
    wrap: Wrap,
    cells: Vec<Vec<char>>,
    pub row: usize,
    pub column: usize,
    pub pending_wrap: bool,
    /// How many rows have scrolled off the top.
    pub scrolled: usize,
    pub bells: usize,
}

impl Screen {
    pub fn new(width: usize, height: usize, wrap: Wrap) -> Self {
        Self {
            width,
            height,
            wrap,
            cells: vec![vec![' '; width]; height],
            row: 0,
            column: 0,
            pending_wrap: false,
            scrolled: 0,
            bells: 0,
        }
    }

    /// Writes `text` on the rows above `row` (as earlier output) and puts the cursor
    /// at the start of `row`.
    pub fn start_at(&mut self, row: usize, text: &str) {
        for above in 0..row {
            self.cells[above] =
                format!("{text} {above}").chars().chain(std::iter::repeat(' ')).take(self.width).collect();
        }
        self.row = row;
        self.column = 0;
    }

    /// The text of row `row`, without trailing blanks.
    pub fn row_text(&self, row: usize) -> String {
        self.cells[row].iter().collect::<String>().trim_end().to_string()
    }

    /// The window's width changes as xterm's does: rows are cut or padded, not
    /// reflowed, and the cursor stays on its row.
    pub fn resize(&mut self, width: usize) {
        for row in &mut self.cells {
            row.resize(width, ' ');
        }
        self.width = width;
        self.column = self.column.min(width - 1);
        self.pending_wrap = false;
    }

    fn line_feed(&mut self) {
        if self.row + 1 == self.height {
            self.cells.remove(0);
            self.cells.push(vec![' '; self.width]);
            self.scrolled += 1;
        } else {
            self.row += 1;
        }
    }

    fn put(&mut self, char: char) {
        if self.pending_wrap {
            self.pending_wrap = false;
            self.column = 0;
            self.line_feed();
        }
        self.cells[self.row][self.column] = char;
        if self.column + 1 < self.width {
            self.column += 1;
        } else if self.wrap == Wrap::Pending {
            self.pending_wrap = true;
        } else {
            self.column = 0;
            self.line_feed();
        }
    }

    fn erase(&mut self, row: usize, from: usize) {
        self.cells[row][from..].fill(' ');
    }

    /// Interprets what the editor wrote.
    pub fn write(&mut self, output: &[u8]) {
        let text = std::str::from_utf8(output).expect("the editor writes UTF-8");
        let mut chars = text.chars().peekable();
        while let Some(char) = chars.next() {
            match char {
                '\r' => {
                    self.column = 0;
                    self.pending_wrap = false;
                }
                '\n' => {
                    self.line_feed();
                    self.pending_wrap = false;
                }
                '\x07' => self.bells += 1,
                '\x1b' => {
                    assert_eq!(chars.next(), Some('['), "only CSI sequences: {text:?}");
                    let mut parameters = String::new();
                    let final_byte = loop {
                        match chars.next() {
                            Some(char @ ('0'..='9' | ';')) => parameters.push(char),
                            Some(char) => break char,
                            None => panic!("an incomplete sequence in {text:?}"),
                        }
                    };
                    self.sequence(&parameters, final_byte);
                }
                char if char.is_control() => panic!("control character {char:?} written: {text:?}"),
                char => self.put(char),
            }
        }
    }

    fn sequence(&mut self, parameters: &str, final_byte: char) {
        let count = || parameters.parse::<usize>().map_or(1, |count| count.max(1));
        let column = self.column;
        self.pending_wrap = false;
        match (final_byte, parameters) {
            ('A', _) => self.row = self.row.checked_sub(count()).expect("moved above the screen"),
            ('B', _) => {
                self.row += count();
                assert!(self.row < self.height, "moved below the screen");
            }
            ('C', _) => {
                self.column += count();
                assert!(self.column < self.width, "moved past the right margin");
            }
            ('D', _) => self.column = column.checked_sub(count()).expect("moved past the left margin"),
            ('K', "") => self.erase(self.row, column),
            ('J', "") => {
                self.erase(self.row, column);
                for row in self.row + 1..self.height {
                    self.erase(row, 0);
                }
            }
            ('H', "") => (self.row, self.column) = (0, 0),
            ('m', _) => {}
            ('J', "2") => {
                for row in 0..self.height {
                    self.erase(row, 0);
                }
            }
            _ => panic!("unexpected sequence ESC [ {parameters} {final_byte}"),
        }
    }
}
