use super::*;
use proptest::prelude::*;

#[test]
fn requests_are_decided_in_linux_order() {
    assert_eq!(parse_request(0), Ok(Request::New(MountFlags::DEFAULT)));
    assert_eq!(parse_request(MS_MGC_VAL), Ok(Request::New(MountFlags::DEFAULT)));
    let ro = MountFlags { read_only: true, ..MountFlags::DEFAULT };
    assert_eq!(parse_request(MS_REMOUNT | MS_RDONLY), Ok(Request::Remount(ro)));
    assert_eq!(parse_request(MS_REMOUNT | MS_BIND | MS_RDONLY), Ok(Request::RemountFlags(ro)));
    assert_eq!(parse_request(MS_BIND | MS_REC), Ok(Request::Bind));
    assert_eq!(parse_request(MS_PRIVATE | MS_REC), Ok(Request::Propagation));
    assert_eq!(parse_request(MS_SHARED | MS_SLAVE), Err(Errno::EINVAL));
    assert_eq!(parse_request(MS_PRIVATE | MS_NOSUID), Err(Errno::EINVAL));
    assert_eq!(parse_request(MS_MOVE), Ok(Request::Move));
    assert_eq!(parse_request(MS_NOUSER), Err(Errno::EINVAL));
}

#[test]
fn flags_show_as_proc_mounts_does() {
    assert_eq!(MountFlags::DEFAULT.text(), "rw,relatime");
    let Ok(Request::New(flags)) = parse_request(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME) else {
        panic!("a new mount")
    };
    assert_eq!(flags.text(), "ro,nosuid,nodev,noexec,noatime");
    let Ok(Request::New(flags)) = parse_request(MS_STRICTATIME | MS_NODIRATIME) else { panic!("a new mount") };
    assert_eq!(flags.text(), "rw,nodiratime");
}

#[test]
fn umount_flags() {
    assert_eq!(check_umount_flags(MNT_DETACH | UMOUNT_NOFOLLOW), Ok(()));
    assert_eq!(check_umount_flags(MNT_EXPIRE), Ok(()));
    assert_eq!(check_umount_flags(MNT_EXPIRE | MNT_DETACH), Err(Errno::EINVAL));
    assert_eq!(check_umount_flags(16), Err(Errno::EINVAL));
}

#[test]
fn tmpfs_options() {
    let total = 65536; // 256 MiB
    let options = TmpfsOptions::parse("size=1m,mode=0755,uid=1000,gid=100,nr_inodes=10k", total).unwrap();
    assert_eq!(
        options,
        TmpfsOptions {
            size_pages: Some(256),
            nr_inodes: Some(10240),
            mode: Some(0o755),
            uid: Some(1000),
            gid: Some(100)
        }
    );
    assert_eq!(TmpfsOptions::parse("size=25%", total).unwrap().size_pages, Some(16384));
    assert_eq!(TmpfsOptions::parse("size=4097", total).unwrap().size_pages, Some(2));
    assert_eq!(TmpfsOptions::parse("size=0x1000", total).unwrap().size_pages, Some(1));
    assert_eq!(TmpfsOptions::parse("size=0x1eK", total).unwrap().size_pages, Some(8));
    assert_eq!(TmpfsOptions::parse("", total), Ok(TmpfsOptions::default()));
    for bad in ["size", "size=", "size=1q", "size=99999999999E", "mode=9", "uid=-1", "uid=4294967295", "colour=blue"] {
        assert_eq!(TmpfsOptions::parse(bad, total), Err(Errno::EINVAL), "{bad}");
    }
}

#[test]
fn tmpfs_text_shows_what_differs() {
    assert_eq!(TmpfsOptions::text(100, 100, 0o1777, 0, 0), "");
    assert_eq!(TmpfsOptions::text(256, 100, 0o755, 1000, 5), ",size=1024k,mode=755,uid=1000,gid=5");
}

proptest! {
    #[test]
    fn any_text_parses_or_is_einval(data in "[a-z_=0-9%,xkKmMgG]{0,40}") {
        match TmpfsOptions::parse(&data, 1 << 20) {
            Ok(_) | Err(Errno::EINVAL) => {}
            Err(other) => prop_assert!(false, "{other:?}"),
        }
    }

    #[test]
    fn any_flags_decide_something_or_einval(flags in any::<u64>()) {
        let _ = parse_request(flags);
    }

    #[test]
    fn sizes_round_up_to_pages(bytes in 0u64..(1 << 40)) {
        prop_assert_eq!(TmpfsOptions::parse(&format!("size={bytes}"), 1).unwrap().size_pages, Some(bytes.div_ceil(4096)));
    }
}
