//! Undo and redo as vi has them: the changes one command makes (a whole insert
//! session included) form a group, undone and redone together, which remembers
//! where the cursor was before it. Each state has a number, so the editor can tell
//! whether the text is the one it last wrote.
use crate::buffer::{Buffer, Change, Pos};

struct Group {
    changes: Vec<Change>,
    cursor: Pos,
    /// The number of the state this group leads to.
    state: u64,
}

/// The undo and redo history.
#[derive(Default)]
pub struct Undo {
    done: Vec<Group>,
    undone: Vec<Group>,
    open: Option<Group>,
    next_state: u64,
}

impl Undo {
    /// Records a change that was made with the cursor at `cursor` (the group's
    /// cursor if it opens one); a new change forgets what was undone.
    pub fn record(&mut self, change: Change, cursor: Pos) {
        self.undone.clear();
        let group = self.open.get_or_insert_with(|| {
            self.next_state += 1;
            Group { changes: Vec::new(), cursor, state: self.next_state }
        });
        // A change to what the last one made (typing on a line) becomes part of
        // it, so that a long insert keeps two copies of the line, not one a key.
        match group.changes.last_mut() {
            Some(last) if last.at == change.at && last.new == change.old => last.new = change.new,
            _ => group.changes.push(change),
        }
    }

    /// Ends the open group: the next change starts a new one.
    pub fn close(&mut self) {
        if let Some(group) = self.open.take() {
            self.done.push(group);
        }
    }

    /// The number of the current state (0 before any change).
    pub fn state(&self) -> u64 {
        self.open.as_ref().or(self.done.last()).map_or(0, |group| group.state)
    }

    /// Undoes the last group: where its cursor was, or `None` when there is none.
    pub fn undo(&mut self, buf: &mut Buffer) -> Option<Pos> {
        self.close();
        let group = self.done.pop()?;
        for change in group.changes.iter().rev() {
            buf.replace(change.at, change.new.len(), change.old.clone());
        }
        let cursor = group.cursor;
        self.undone.push(group);
        Some(cursor)
    }

    /// Redoes the last undone group: the cursor where its first change starts.
    pub fn redo(&mut self, buf: &mut Buffer) -> Option<Pos> {
        self.close();
        let group = self.undone.pop()?;
        for change in &group.changes {
            buf.replace(change.at, change.old.len(), change.new.clone());
        }
        let cursor = Pos::new(group.changes.iter().map(|change| change.at).min().unwrap_or(0), group.cursor.col);
        self.done.push(group);
        Some(cursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_undo_and_redo_together() {
        let (mut buf, _) = Buffer::from_bytes(b"a\nb\n");
        let mut undo = Undo::default();
        assert_eq!(undo.state(), 0);
        let change = buf.replace(0, 1, vec![b"x".to_vec()]);
        undo.record(change, Pos::new(0, 0));
        let change = buf.replace(1, 1, vec![]);
        undo.record(change, Pos::new(1, 0));
        undo.close();
        let state = undo.state();
        let change = buf.replace(0, 1, vec![b"y".to_vec()]);
        undo.record(change, Pos::new(0, 0));
        assert_eq!(buf.to_bytes(), b"y\n");
        assert_eq!(undo.undo(&mut buf), Some(Pos::new(0, 0)));
        assert_eq!(buf.to_bytes(), b"x\n");
        assert_eq!(undo.state(), state);
        assert_eq!(undo.undo(&mut buf), Some(Pos::new(0, 0)));
        assert_eq!(buf.to_bytes(), b"a\nb\n");
        assert_eq!(undo.state(), 0);
        assert_eq!(undo.undo(&mut buf), None);
        assert!(undo.redo(&mut buf).is_some());
        assert_eq!(buf.to_bytes(), b"x\n");
        assert!(undo.redo(&mut buf).is_some());
        assert_eq!(buf.to_bytes(), b"y\n");
        assert_eq!(undo.redo(&mut buf), None);
    }

    #[test]
    fn typing_on_a_line_keeps_one_change() {
        let mut buf = Buffer::default();
        let mut undo = Undo::default();
        for text in ["a", "ab", "abc"] {
            let change = buf.replace(0, 1, vec![text.as_bytes().to_vec()]);
            undo.record(change, Pos::default());
        }
        let change = buf.replace(1, 0, vec![b"next".to_vec()]);
        undo.record(change, Pos::default());
        assert_eq!(undo.open.as_ref().map(|group| group.changes.len()), Some(2));
        undo.undo(&mut buf);
        assert!(buf.is_empty());
        undo.redo(&mut buf);
        assert_eq!(buf.to_bytes(), b"abc\nnext\n");
    }

    #[test]
    fn a_new_change_forgets_the_undone() {
        let mut buf = Buffer::default();
        let mut undo = Undo::default();
        let change = buf.replace(0, 1, vec![b"1".to_vec()]);
        undo.record(change, Pos::default());
        undo.undo(&mut buf);
        let change = buf.replace(0, 1, vec![b"2".to_vec()]);
        undo.record(change, Pos::default());
        assert_eq!(undo.redo(&mut buf), None);
        assert_eq!(buf.to_bytes(), b"2\n");
    }
}
