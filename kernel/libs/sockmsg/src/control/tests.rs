//! Control messages against Linux's layout and rules, with property tests of the
//! parser over untrusted bytes.
use super::*;
use alloc::vec;
use proptest::prelude::*;

fn record(level: i32, kind: i32, data: &[u8]) -> Vec<u8> {
    let header = CmsgHdr { cmsg_len: (CmsgHdr::SIZE + data.len()) as u64, cmsg_level: level, cmsg_type: kind };
    let mut bytes = header.to_bytes().to_vec();
    bytes.extend_from_slice(data);
    bytes.resize(cmsg_space(data.len()), 0);
    bytes
}

fn fds(list: &[i32]) -> Vec<u8> {
    list.iter().flat_map(|fd| fd.to_le_bytes()).collect()
}

#[test]
fn rights_and_credentials_are_read_in_order() {
    let credentials = Ucred { pid: 7, uid: 0, gid: 0 };
    let buffer = [
        record(SOL_SOCKET, SCM_RIGHTS, &fds(&[3, 4])),
        record(SOL_SOCKET, SCM_CREDENTIALS, &credentials.to_bytes()),
        record(99, 42, b"skipped"),
        record(SOL_SOCKET, SCM_RIGHTS, &fds(&[5])),
    ]
    .concat();
    let control = parse_control(&buffer).unwrap();
    assert_eq!(control, Control { rights: vec![3, 4, 5], credentials: Some(credentials) });
    assert_eq!(parse_control(&buffer[..15]).unwrap(), Control::default(), "no room for a header");
}

#[test]
fn malformed_records_are_einval() {
    let mut short = record(SOL_SOCKET, SCM_RIGHTS, &fds(&[3]));
    short[0] = 15;
    assert_eq!(parse_control(&short), Err(Errno::EINVAL));
    let long = record(SOL_SOCKET, SCM_RIGHTS, &fds(&[3]));
    assert_eq!(parse_control(&long[..19]), Err(Errno::EINVAL), "length past the buffer");
    assert_eq!(parse_control(&record(SOL_SOCKET, 3, b"")), Err(Errno::EINVAL), "unknown type");
    assert_eq!(parse_control(&record(SOL_SOCKET, SCM_CREDENTIALS, &[0; 8])), Err(Errno::EINVAL));
    let too_many = record(SOL_SOCKET, SCM_RIGHTS, &fds(&[0; SCM_MAX_FD + 1]));
    assert_eq!(parse_control(&too_many), Err(Errno::EINVAL));
    let split = [record(SOL_SOCKET, SCM_RIGHTS, &fds(&[0; 200])), record(SOL_SOCKET, SCM_RIGHTS, &fds(&[0; 54]))];
    assert_eq!(parse_control(&split.concat()), Err(Errno::EINVAL), "253 in all at most");
}

#[test]
fn messages_that_do_not_fit_are_cut_and_flagged() {
    let credentials = Ucred { pid: 1, uid: 2, gid: 3 };
    let mut writer = ControlWriter::new(64);
    writer.put_credentials(&credentials);
    assert_eq!(writer.rights_room(), 4);
    writer.put_rights(&[10, 11, 12, 13], 5);
    let (bytes, truncated) = writer.finish();
    assert!(truncated, "one descriptor of five did not fit");
    assert_eq!(
        bytes,
        [record(SOL_SOCKET, SCM_CREDENTIALS, &credentials.to_bytes()), record(1, 1, &fds(&[10, 11, 12, 13]))].concat()
    );

    let mut cut = ControlWriter::new(20);
    cut.put_credentials(&credentials);
    let (bytes, truncated) = cut.finish();
    assert!(truncated);
    assert_eq!(u64::from_le_bytes(bytes[..8].try_into().unwrap()), 20, "cmsg_len says what is there");
    assert_eq!(bytes.len(), 20);

    let mut none = ControlWriter::new(8);
    none.put_rights(&[], 1);
    assert_eq!(none.finish(), (vec![], true));
    assert_eq!(ControlWriter::new(0).finish(), (vec![], false));
}

proptest! {
    #[test]
    fn any_bytes_parse_or_fail_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(control) = parse_control(&bytes) {
            prop_assert!(control.rights.len() <= SCM_MAX_FD);
        }
    }

    #[test]
    fn what_the_writer_writes_parses_back(
        groups in proptest::collection::vec(proptest::collection::vec(any::<i32>(), 1..20), 0..5),
        pid in any::<i32>(),
    ) {
        let mut writer = ControlWriter::new(4096);
        let credentials = Ucred { pid, uid: 0, gid: 0 };
        writer.put_credentials(&credentials);
        for group in &groups {
            writer.put_rights(group, group.len());
        }
        let (bytes, truncated) = writer.finish();
        prop_assert!(!truncated);
        let control = parse_control(&bytes).unwrap();
        prop_assert_eq!(control.rights, groups.concat());
        prop_assert_eq!(control.credentials, Some(credentials));
    }

    #[test]
    fn a_small_buffer_is_never_overrun(capacity in 0usize..64, count in 0usize..20) {
        let mut writer = ControlWriter::new(capacity);
        let room = writer.rights_room();
        let offered: Vec<i32> = (0..count as i32).collect();
        writer.put_rights(&offered[..count.min(room)], count);
        let (bytes, truncated) = writer.finish();
        prop_assert!(bytes.len() <= capacity);
        prop_assert_eq!(truncated, count > room);
    }
}
