//! Reading and writing the edited file, with vim's messages: `"f" 3L, 42B`,
//! `"f" [New]`, `[noeol]`, `[readonly]`, `... written`. Writing an existing file
//! rewrites it in place, so it keeps its mode and owner.
use std::fs;
use std::io::{self, ErrorKind};
use std::path::Path;

use crate::buffer::Buffer;

/// A file read for editing.
pub struct Loaded {
    pub buffer: Buffer,
    pub readonly: bool,
    pub message: String,
}

/// `"name" 3L, 42B`: lines and bytes.
fn counts(buf: &Buffer, bytes: usize) -> String {
    let lines = if bytes == 0 { 0 } else { buf.len() };
    format!("{lines}L, {bytes}B")
}

/// Whether the file at `path` may be written (opening it to write changes nothing).
fn writable(path: &Path) -> bool {
    fs::OpenOptions::new().write(true).open(path).is_ok()
}

/// Reads `name` for editing: a missing file is a new, empty one.
pub fn load(name: &str) -> Result<Loaded, String> {
    let path = Path::new(name);
    if path.is_dir() {
        return Err(format!("\"{name}\" is a directory"));
    }
    match fs::read(path) {
        Ok(bytes) => {
            let (buffer, noeol) = Buffer::from_bytes(&bytes);
            let readonly = !writable(path);
            let mut flags = String::new();
            if noeol {
                flags.push_str("[noeol] ");
            }
            if readonly {
                flags.push_str("[readonly] ");
            }
            let message = format!("\"{name}\" {flags}{}", counts(&buffer, bytes.len()));
            Ok(Loaded { buffer, readonly, message })
        }
        Err(err) if err.kind() == ErrorKind::NotFound => {
            Ok(Loaded { buffer: Buffer::default(), readonly: false, message: format!("\"{name}\" [New]") })
        }
        Err(err) if err.kind() == ErrorKind::PermissionDenied => Err(format!("\"{name}\" [Permission Denied]")),
        Err(err) => Err(format!("\"{name}\" {}", ulib::diag::error_text(&err))),
    }
}

/// The lines of a file to read into the buffer (`:r`).
pub fn read_lines(name: &str) -> Result<Vec<Vec<u8>>, String> {
    let bytes = fs::read(name).map_err(|_| format!("E484: Can't open file {name}"))?;
    Ok(Buffer::from_bytes(&bytes).0.lines().to_vec())
}

/// Writes `buf` to `name`: the message saying so.
pub fn save(name: &str, buf: &Buffer) -> Result<String, String> {
    let is_new = !Path::new(name).exists();
    let bytes = buf.to_bytes();
    let write = || -> io::Result<()> { fs::write(name, &bytes) };
    write().map_err(|_| format!("\"{name}\" E212: Can't open file for writing"))?;
    let new = if is_new { "[New] " } else { "" };
    Ok(format!("\"{name}\" {new}{} written", counts(buf, bytes.len())))
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn loading_and_saving() {
        let dir = tempfile::tempdir().unwrap();
        let name = dir.path().join("f").display().to_string();
        let loaded = load(&name).unwrap();
        assert!(loaded.buffer.is_empty());
        assert_eq!(loaded.message, format!("\"{name}\" [New]"));
        let (buf, _) = Buffer::from_bytes(b"one\ntwo\n");
        assert_eq!(save(&name, &buf).unwrap(), format!("\"{name}\" [New] 2L, 8B written"));
        fs::set_permissions(&name, fs::Permissions::from_mode(0o640)).unwrap();
        assert_eq!(save(&name, &buf).unwrap(), format!("\"{name}\" 2L, 8B written"));
        assert_eq!(fs::metadata(&name).unwrap().permissions().mode() & 0o777, 0o640);
        assert_eq!(load(&name).unwrap().message, format!("\"{name}\" 2L, 8B"));
        fs::write(&name, b"x").unwrap();
        assert_eq!(load(&name).unwrap().message, format!("\"{name}\" [noeol] 1L, 1B"));
        let dir_name = dir.path().display().to_string();
        assert_eq!(load(&dir_name).err(), Some(format!("\"{dir_name}\" is a directory")));
        assert_eq!(read_lines(&name).unwrap(), vec![b"x".to_vec()]);
        assert!(read_lines("/nonexistent/x").is_err());
        assert!(save("/nonexistent/x", &buf).unwrap_err().contains("E212"));
    }
}
