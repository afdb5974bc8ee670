//! What the screen consoles (VGA text and framebuffer) do with bytes: '\n', '\r',
//! backspace (0x08, moves left without erasing), tab (to the next multiple of 8),
//! printable ASCII, and a replacement mark for any other byte.

/// A grid of character cells with a cursor.
pub trait CellScreen {
    /// The cursor's column, to move it.
    fn column(&mut self) -> &mut usize;
    /// Draw one cell at the cursor and advance it: a printable ASCII byte, or None
    /// for the replacement mark.
    fn put(&mut self, byte: Option<u8>);
    /// Move to the start of the next line, scrolling at the bottom.
    fn new_line(&mut self);
}

/// Interpret `bytes` on `screen`.
pub fn write(screen: &mut impl CellScreen, bytes: &[u8]) {
    for &b in bytes {
        match b {
            b'\n' => screen.new_line(),
            b'\r' => *screen.column() = 0,
            0x08 => {
                let column = screen.column();
                *column = column.saturating_sub(1);
            }
            b'\t' => {
                for _ in 0..(8 - *screen.column() % 8) {
                    screen.put(Some(b' '));
                }
            }
            0x20..=0x7e => screen.put(Some(b)),
            _ => screen.put(None),
        }
    }
}
