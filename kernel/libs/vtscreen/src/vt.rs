//! A virtual console: its escape-sequence state and cells, how far its view is
//! scrolled back, and drawing on the display while it is the visible one.
use core::ops::Range;

use cellterm::{CellScreen, Terminal};

use crate::screen::Screen;

/// The real screen (VGA text or a framebuffer): cells drawn through `CellScreen`,
/// and a cursor to show or hide.
pub trait Display: CellScreen {
    /// Show the cursor at the grid's cursor position, or hide it.
    fn show_cursor(&mut self, shown: bool);
}

/// One virtual console.
#[derive(Debug)]
pub struct Vt {
    terminal: Terminal,
    screen: Screen,
    /// How many lines the view is scrolled back into the history (0: the screen).
    back: usize,
}

impl Vt {
    /// A blank `width` by `height` console with `history` lines of scrollback.
    pub fn new(width: usize, height: usize, history: usize) -> Self {
        Self { terminal: Terminal::new(), screen: Screen::new(width, height, history), back: 0 }
    }

    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// See [`Screen::stop_history`].
    pub fn stop_history(&mut self) {
        self.screen.stop_history();
    }

    /// How many lines the view is scrolled back.
    pub fn scrolled_back(&self) -> usize {
        self.back
    }

    /// Interpret `bytes`; `display` is the real screen when this console is the
    /// visible one, and a view scrolled back returns to the bottom first.
    pub fn write(&mut self, bytes: &[u8], display: Option<&mut dyn Display>) {
        match display {
            Some(display) => {
                if self.back != 0 {
                    self.back = 0;
                    self.redraw(display);
                }
                display.show_cursor(false);
                self.terminal.write(&mut Tee { screen: &mut self.screen, display: Some(&mut *display) }, bytes);
                self.place_cursor(display);
            }
            None => {
                self.back = 0;
                self.terminal.write(&mut Tee { screen: &mut self.screen, display: None }, bytes);
            }
        }
    }

    /// Return the view to the bottom without drawing (the console is hidden).
    pub fn reset_view(&mut self) {
        self.back = 0;
    }

    /// Scroll the view `lines` back into the history (negative: forward), within
    /// it; redraws `display` and says so if the view moved.
    pub fn scroll(&mut self, lines: isize, display: &mut dyn Display) -> bool {
        let back = self.back.saturating_add_signed(lines).min(self.screen.history_len());
        if back == self.back {
            return false;
        }
        self.back = back;
        self.redraw(display);
        true
    }

    /// Draw the whole view on `display` (on becoming visible, or scrolling).
    pub fn redraw(&mut self, display: &mut dyn Display) {
        display.show_cursor(false);
        let (width, height) = display.size();
        let (own_width, own_height) = self.screen.size();
        let mut colours = None;
        for row in 0..height.min(own_height) {
            let cells = self.screen.view_row(self.back, row);
            *display.row() = row;
            *display.column() = 0;
            for cell in &cells[..width.min(own_width)] {
                if colours != Some(cell.colours()) {
                    colours = Some(cell.colours());
                    display.set_colours(cell.colours().0, cell.colours().1);
                }
                display.put(cell.byte());
            }
        }
        let (foreground, background) = self.screen.current_colours();
        display.set_colours(foreground, background);
        self.place_cursor(display);
    }

    /// Put the display's cursor where this console's is (shown only at the bottom).
    fn place_cursor(&self, display: &mut dyn Display) {
        let (row, column) = self.screen.cursor();
        *display.row() = row;
        *display.column() = column;
        display.show_cursor(self.back == 0);
    }
}

/// The console's cells, and the display when it is visible: every change goes to
/// both, the display's cursor following the console's.
struct Tee<'a> {
    screen: &'a mut Screen,
    display: Option<&'a mut dyn Display>,
}

impl Tee<'_> {
    fn display(&mut self) -> Option<&mut dyn Display> {
        let (row, column) = self.screen.cursor();
        let display = self.display.as_deref_mut()?;
        *display.row() = row;
        *display.column() = column;
        Some(display)
    }
}

impl CellScreen for Tee<'_> {
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
        if let Some(display) = self.display() {
            display.put(byte);
        }
        self.screen.put(byte);
    }

    fn erase(&mut self, row: usize, columns: Range<usize>) {
        if let Some(display) = self.display() {
            display.erase(row, columns.clone());
        }
        self.screen.erase(row, columns);
    }

    fn set_colours(&mut self, foreground: u8, background: u8) {
        if let Some(display) = self.display() {
            display.set_colours(foreground, background);
        }
        self.screen.set_colours(foreground, background);
    }

    fn copy_row(&mut self, from: usize, to: usize) {
        if let Some(display) = self.display() {
            display.copy_row(from, to);
        }
        self.screen.copy_row(from, to);
    }

    fn copy_cells(&mut self, row: usize, columns: Range<usize>, to: usize) {
        if let Some(display) = self.display() {
            display.copy_cells(row, columns.clone(), to);
        }
        self.screen.copy_cells(row, columns, to);
    }

    fn scrolled_out(&mut self, row: usize) {
        self.screen.scrolled_out(row);
    }
}
