//! The login records of /var/run/utmp in glibc's x86-64 `struct utmp` layout (384
//! bytes each, so glibc's and busybox's `who` read Kestrel's file): `login` writes a
//! USER_PROCESS record for its terminal, `init` turns it into DEAD_PROCESS when the
//! session's process ends, `who` lists the USER_PROCESS ones.
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;

/// Where the records are.
pub const PATH: &str = "/var/run/utmp";
/// The size of one record.
pub const RECORD_SIZE: usize = 384;

/// `ut_type`: a user's session.
pub const USER_PROCESS: i16 = 7;
/// `ut_type`: a session that has ended.
pub const DEAD_PROCESS: i16 = 8;

const LINE: (usize, usize) = (8, 32);
const ID: (usize, usize) = (40, 4);
const USER: (usize, usize) = (44, 32);
const HOST: (usize, usize) = (76, 256);
const SESSION: usize = 336;
const SECONDS: usize = 340;
const MICROSECONDS: usize = 344;

/// One record (the fields Kestrel uses; the rest stay zero).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Record {
    pub kind: i16,
    pub pid: i32,
    /// The terminal without "/dev/" (`ttyS0`, `pts/1`).
    pub line: String,
    /// The terminal's short id: its last four bytes (`tyS0`, `ts/1`), as login does.
    pub id: String,
    pub user: String,
    pub host: String,
    pub session: i32,
    pub seconds: i32,
    pub microseconds: i32,
}

/// The short id login gives a terminal line: its last four bytes.
pub fn line_id(line: &str) -> String {
    let bytes = line.as_bytes();
    String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(4)..]).into_owned()
}

fn put(bytes: &mut [u8], (at, size): (usize, usize), text: &str) {
    let text = text.as_bytes();
    let length = text.len().min(size);
    bytes[at..at + length].copy_from_slice(&text[..length]);
}

fn get(bytes: &[u8], (at, size): (usize, usize)) -> String {
    let field = &bytes[at..at + size];
    let end = field.iter().position(|&byte| byte == 0).unwrap_or(size);
    String::from_utf8_lossy(&field[..end]).into_owned()
}

fn get_i32(bytes: &[u8], at: usize) -> i32 {
    i32::from_ne_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

impl Record {
    /// The record as the 384 bytes of a `struct utmp` (strings cut to their fields'
    /// sizes, NUL-padded).
    pub fn encode(&self) -> [u8; RECORD_SIZE] {
        let mut bytes = [0; RECORD_SIZE];
        bytes[0..2].copy_from_slice(&self.kind.to_ne_bytes());
        bytes[4..8].copy_from_slice(&self.pid.to_ne_bytes());
        put(&mut bytes, LINE, &self.line);
        put(&mut bytes, ID, &self.id);
        put(&mut bytes, USER, &self.user);
        put(&mut bytes, HOST, &self.host);
        bytes[SESSION..SESSION + 4].copy_from_slice(&self.session.to_ne_bytes());
        bytes[SECONDS..SECONDS + 4].copy_from_slice(&self.seconds.to_ne_bytes());
        bytes[MICROSECONDS..MICROSECONDS + 4].copy_from_slice(&self.microseconds.to_ne_bytes());
        bytes
    }

    /// A record from its bytes.
    pub fn decode(bytes: &[u8; RECORD_SIZE]) -> Self {
        Self {
            kind: i16::from_ne_bytes([bytes[0], bytes[1]]),
            pid: get_i32(bytes, 4),
            line: get(bytes, LINE),
            id: get(bytes, ID),
            user: get(bytes, USER),
            host: get(bytes, HOST),
            session: get_i32(bytes, SESSION),
            seconds: get_i32(bytes, SECONDS),
            microseconds: get_i32(bytes, MICROSECONDS),
        }
    }
}

/// Every whole record of a utmp file's contents.
pub fn decode_all(contents: &[u8]) -> Vec<Record> {
    contents.chunks_exact(RECORD_SIZE).filter_map(|chunk| chunk.try_into().ok().map(Record::decode)).collect()
}

/// The records in `path` (none when it does not exist).
pub fn read(path: &str) -> io::Result<Vec<Record>> {
    match std::fs::read(path) {
        Ok(contents) => Ok(decode_all(&contents)),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(err) => Err(err),
    }
}

/// Writes `record` over the first record of `path` that `replaces` picks, or at its
/// end (pututline's way: one slot per terminal). The file is made (0644) if missing.
pub fn update(path: &str, record: &Record, replaces: impl Fn(&Record) -> bool) -> io::Result<()> {
    let mut file: File =
        OpenOptions::new().read(true).write(true).create(true).truncate(false).mode(0o644).open(path)?;
    let mut contents = Vec::new();
    file.read_to_end(&mut contents)?;
    let whole = contents.len() / RECORD_SIZE;
    let slot = decode_all(&contents).iter().position(replaces).unwrap_or(whole);
    file.seek(SeekFrom::Start((slot * RECORD_SIZE) as u64))?;
    file.write_all(&record.encode())
}

/// Marks the USER_PROCESS record of process `pid` as ended (what init does when a
/// session's process exits); `Ok(false)` when there is none.
pub fn end_session(path: &str, pid: i32) -> io::Result<bool> {
    let records = read(path)?;
    let Some(record) = records.iter().find(|record| record.kind == USER_PROCESS && record.pid == pid) else {
        return Ok(false);
    };
    let ended = Record { kind: DEAD_PROCESS, user: String::new(), host: String::new(), ..record.clone() };
    update(path, &ended, |old| old.kind == USER_PROCESS && old.pid == pid).map(|()| true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Record {
        Record {
            kind: USER_PROCESS,
            pid: 42,
            line: "ttyS0".into(),
            id: line_id("ttyS0"),
            user: "root".into(),
            host: String::new(),
            session: 42,
            seconds: 1_800_000_000,
            microseconds: 5,
        }
    }

    #[test]
    fn glibc_layout() {
        let bytes = sample().encode();
        assert_eq!(&bytes[0..2], &7i16.to_ne_bytes());
        assert_eq!(&bytes[4..8], &42i32.to_ne_bytes());
        assert_eq!(&bytes[8..14], b"ttyS0\0");
        assert_eq!(&bytes[40..44], b"tyS0");
        assert_eq!(&bytes[44..49], b"root\0");
        assert_eq!(&bytes[340..344], &1_800_000_000i32.to_ne_bytes());
        assert!(bytes[348..].iter().all(|&byte| byte == 0));
    }

    /// The offsets agree with the host C library's `struct utmpx` (glibc's).
    #[cfg(target_env = "gnu")]
    #[test]
    fn offsets_match_glibc() {
        use std::mem::{offset_of, size_of};
        assert_eq!(size_of::<libc::utmpx>(), RECORD_SIZE);
        assert_eq!(offset_of!(libc::utmpx, ut_pid), 4);
        assert_eq!(offset_of!(libc::utmpx, ut_line), LINE.0);
        assert_eq!(offset_of!(libc::utmpx, ut_id), ID.0);
        assert_eq!(offset_of!(libc::utmpx, ut_user), USER.0);
        assert_eq!(offset_of!(libc::utmpx, ut_host), HOST.0);
        assert_eq!(offset_of!(libc::utmpx, ut_session), SESSION);
        assert_eq!(offset_of!(libc::utmpx, ut_tv), SECONDS);
        assert_eq!(libc::USER_PROCESS, USER_PROCESS);
    }

    #[test]
    fn round_trip_and_truncation() {
        assert_eq!(Record::decode(&sample().encode()), sample());
        let long = Record { user: "a".repeat(40), ..sample() };
        assert_eq!(Record::decode(&long.encode()).user, "a".repeat(32));
        assert_eq!(line_id("pts/12"), "s/12");
        assert_eq!(line_id("tty1"), "tty1");
    }

    #[test]
    fn partial_records_are_ignored() {
        let mut contents = sample().encode().to_vec();
        contents.extend_from_slice(&[1, 2, 3]);
        assert_eq!(decode_all(&contents), [sample()]);
    }

    #[test]
    fn update_reuses_a_terminal_slot_and_ending_marks_it_dead() {
        let dir = std::env::temp_dir().join(format!("utmp-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("utmp");
        let path = path.to_str().unwrap();
        let other = Record { line: "tty2".into(), pid: 7, ..sample() };
        update(path, &sample(), |old| old.line == "ttyS0").unwrap();
        update(path, &other, |old| old.line == "tty2").unwrap();
        let again = Record { pid: 43, ..sample() };
        update(path, &again, |old| old.line == "ttyS0").unwrap();
        assert_eq!(read(path).unwrap(), [again.clone(), other.clone()]);
        assert!(end_session(path, 43).unwrap());
        assert!(!end_session(path, 99).unwrap());
        let records = read(path).unwrap();
        assert_eq!((records[0].kind, records[0].user.as_str(), records[0].line.as_str()), (DEAD_PROCESS, "", "ttyS0"));
        assert_eq!(records[1], other);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
