//! The set*id rules on examples worked out from Linux's `kernel/sys.c`, and a
//! property: without privilege, no sequence of calls gains an id not held before.
use proptest::prelude::*;

use super::*;

const U: u32 = UNCHANGED;

fn user(real: u32, effective: u32, saved: u32, fs: u32) -> Credentials {
    Credentials { user: Ids { real, effective, saved, fs }, group: Ids::all(100), groups: Vec::new() }
}

fn uids(c: &Credentials) -> (u32, u32, u32, u32) {
    (c.user.real, c.user.effective, c.user.saved, c.user.fs)
}

#[test]
fn setuid_as_root_sets_all_four_and_drops_privilege_for_good() {
    let mut c = Credentials::ROOT;
    c.setuid(1000).unwrap();
    assert_eq!(uids(&c), (1000, 1000, 1000, 1000));
    assert_eq!(c.setuid(0), Err(Errno::EPERM));
    assert_eq!(c.setuid(U), Err(Errno::EINVAL));
    c.setuid(1000).unwrap();
}

#[test]
fn setuid_without_privilege_switches_to_the_real_or_saved_uid() {
    // A set-user-ID program of user 2000 run by 1000.
    let mut c = user(1000, 2000, 2000, 2000);
    c.setuid(1000).unwrap();
    assert_eq!(uids(&c), (1000, 1000, 2000, 1000), "the saved uid stays");
    c.setuid(2000).unwrap();
    assert_eq!(uids(&c), (1000, 2000, 2000, 2000));
    assert_eq!(c.setuid(3000), Err(Errno::EPERM));
    // A set-user-ID root program: setuid(0) while the effective uid is not 0.
    let mut c = user(1000, 1000, 0, 1000);
    c.setuid(0).unwrap();
    assert_eq!(uids(&c), (1000, 0, 0, 0), "unprivileged: the real uid stays");
}

#[test]
fn setreuid_rules() {
    let mut c = Credentials::ROOT;
    c.setreuid(1000, U).unwrap();
    assert_eq!(uids(&c), (1000, 0, 0, 0), "the real uid set: saved takes the effective");
    c.setreuid(U, 2000).unwrap();
    assert_eq!(uids(&c), (1000, 2000, 2000, 2000), "an effective uid other than the real one is saved");
    // Unprivileged now: the real uid may become the effective one (a swap).
    c.setreuid(2000, 1000).unwrap();
    assert_eq!(uids(&c), (2000, 1000, 1000, 1000));
    assert_eq!(c.setreuid(0, U), Err(Errno::EPERM));
    assert_eq!(c.setreuid(U, 0), Err(Errno::EPERM));
    let before = c.clone();
    assert_eq!(c.setreuid(3000, 1000), Err(Errno::EPERM));
    assert_eq!(c, before, "a refused call changes nothing");
    let mut c = user(1000, 2000, 3000, 2000);
    c.setreuid(U, 1000).unwrap();
    assert_eq!(uids(&c), (1000, 1000, 3000, 1000), "back to the real uid: the saved one stays");
    c.setreuid(U, 3000).unwrap();
    assert_eq!(uids(&c), (1000, 3000, 3000, 3000));
}

#[test]
fn setresuid_rules() {
    let mut c = Credentials::ROOT;
    c.setresuid(1000, 1000, 0).unwrap();
    assert_eq!(uids(&c), (1000, 1000, 0, 1000));
    // Unprivileged, with 0 saved: it may become root again.
    c.setresuid(U, 0, U).unwrap();
    assert_eq!(uids(&c), (1000, 0, 0, 0));
    c.setresuid(1000, 1000, 1000).unwrap();
    assert_eq!(c.setresuid(U, 0, U), Err(Errno::EPERM));
    assert_eq!(c.setresuid(0, U, U), Err(Errno::EPERM));
    c.setresuid(U, U, U).unwrap();
    assert_eq!(uids(&c), (1000, 1000, 1000, 1000));
}

#[test]
fn setresuid_that_changes_nothing_keeps_the_fs_uid() {
    let mut c = user(1000, 2000, 3000, 3000);
    c.setresuid(1000, U, 3000).unwrap();
    assert_eq!(uids(&c), (1000, 2000, 3000, 3000));
    c.setresuid(U, 2000, U).unwrap();
    assert_eq!(uids(&c), (1000, 2000, 3000, 2000), "the effective uid named: fs follows it");
}

#[test]
fn setfsuid_rules() {
    let mut c = user(1000, 2000, 3000, 2000);
    assert_eq!(c.setfsuid(3000), 2000);
    assert_eq!(c.setfsuid(U), 3000, "-1 asks");
    assert_eq!(c.setfsuid(0), 3000, "not held: unchanged");
    assert_eq!(c.setfsuid(1000), 3000);
    assert_eq!(uids(&c), (1000, 2000, 3000, 1000));
    let mut root = Credentials::ROOT;
    assert_eq!(root.setfsuid(5), 0);
    assert_eq!(uids(&root), (0, 0, 0, 5));
    assert!(root.is_privileged(), "privilege goes by the effective uid");
}

#[test]
fn group_calls_go_by_the_effective_uid() {
    let mut c = Credentials::ROOT;
    c.setresgid(100, 100, 100).unwrap();
    c.setgid(5).unwrap();
    assert_eq!(c.group, Ids::all(5));
    c.setuid(1000).unwrap();
    assert_eq!(c.setgid(0), Err(Errno::EPERM));
    assert_eq!(c.setregid(U, 0), Err(Errno::EPERM));
    assert_eq!(c.setresgid(0, U, U), Err(Errno::EPERM));
    assert_eq!(c.setfsgid(0), 5);
    assert_eq!(c.group.fs, 5);
    // A set-group-ID program: the saved gid may be taken back.
    let mut c = user(1000, 1000, 1000, 1000);
    c.group = Ids { real: 100, effective: 200, saved: 200, fs: 200 };
    c.setregid(U, 100).unwrap();
    assert_eq!(c.group, Ids { real: 100, effective: 100, saved: 200, fs: 100 });
    c.setgid(200).unwrap();
    assert_eq!(c.group, Ids { real: 100, effective: 200, saved: 200, fs: 200 });
}

#[test]
fn exec_saves_the_effective_ids_and_applies_set_id_bits() {
    let mut c = user(1000, 1000, 0, 7);
    c.exec(None, None);
    assert_eq!(uids(&c), (1000, 1000, 1000, 1000));
    assert!(!c.is_set_id());
    c.exec(Some(0), Some(5));
    assert_eq!(uids(&c), (1000, 0, 0, 0));
    assert_eq!(c.group, Ids { real: 100, effective: 5, saved: 5, fs: 5 });
    assert!(c.is_set_id() && c.is_privileged());
}

#[test]
fn setgroups_sorts() {
    let mut c = Credentials::ROOT;
    c.set_groups(alloc::vec![27, 4, 100, 4]);
    assert_eq!(c.groups, [4, 4, 27, 100]);
}

#[test]
fn who_may_signal_whom() {
    let root = Credentials::ROOT;
    let alice = user(1000, 1000, 1000, 1000);
    let bob = user(2000, 2000, 2000, 2000);
    assert!(root.may_signal(&alice) && alice.may_signal(&alice));
    assert!(!alice.may_signal(&bob) && !alice.may_signal(&root));
    // A set-user-ID root program run by alice: she may signal it (its real uid),
    // and it may signal her.
    let setuid_root = user(1000, 0, 0, 0);
    assert!(alice.may_signal(&setuid_root) && setuid_root.may_signal(&alice));
    // Bob running with alice's uid saved: alice may signal him.
    let bob_saved_alice = user(2000, 2000, 1000, 2000);
    assert!(alice.may_signal(&bob_saved_alice));
    // Bob with effective uid alice's may signal alice.
    assert!(user(2000, 1000, 2000, 1000).may_signal(&alice));
    // But an effective uid matching only the target's effective uid is not enough.
    assert!(!user(2000, 1000, 2000, 1000).may_signal(&user(3000, 1000, 3000, 1000)));
}

#[test]
fn who_may_renice_and_change_limits() {
    let alice = user(1000, 1000, 1000, 1000);
    let bob = user(2000, 2000, 2000, 2000);
    assert!(Credentials::ROOT.may_renice(&bob) && alice.may_renice(&alice) && !alice.may_renice(&bob));
    assert!(alice.may_renice(&user(2000, 1000, 2000, 1000)), "the target's effective uid");
    assert!(Credentials::ROOT.may_change_limits_of(&bob) && alice.may_change_limits_of(&alice));
    assert!(!alice.may_change_limits_of(&bob));
    assert!(!alice.may_change_limits_of(&user(1000, 1000, 0, 1000)), "every uid must match");
    let mut other_group = alice.clone();
    other_group.group.saved = 5;
    assert!(!alice.may_change_limits_of(&other_group), "and every gid");
}

/// One set*id call (setuid, setreuid, setresuid, setfsuid) with its arguments.
#[derive(Debug, Clone)]
enum Call {
    Uid(u32),
    ReUid(u32, u32),
    ResUid(u32, u32, u32),
    FsUid(u32),
}

fn id() -> impl Strategy<Value = u32> {
    prop_oneof![Just(U), 0..4u32]
}

fn call() -> impl Strategy<Value = Call> {
    prop_oneof![
        id().prop_map(Call::Uid),
        (id(), id()).prop_map(|(r, e)| Call::ReUid(r, e)),
        (id(), id(), id()).prop_map(|(r, e, s)| Call::ResUid(r, e, s)),
        id().prop_map(Call::FsUid),
    ]
}

proptest! {
    /// Without privilege (no id 0 anywhere), calls only move ids among those
    /// held at the start, and a refused call changes nothing.
    #[test]
    fn no_id_is_gained_without_privilege(start in (1..4u32, 1..4u32, 1..4u32), calls in proptest::collection::vec(call(), 0..20)) {
        let (real, effective, saved) = start;
        let mut c = user(real, effective, saved, effective);
        let held = [real, effective, saved];
        for call in calls {
            let before = c.clone();
            let result = match call {
                Call::Uid(id) => c.setuid(id),
                Call::ReUid(r, e) => c.setreuid(r, e),
                Call::ResUid(r, e, s) => c.setresuid(r, e, s),
                Call::FsUid(id) => {
                    c.setfsuid(id);
                    Ok(())
                }
            };
            if result.is_err() {
                prop_assert_eq!(&c, &before);
            }
            let (r, e, s, f) = uids(&c);
            prop_assert!([r, e, s, f].iter().all(|id| held.contains(id)), "{:?} from {:?}", uids(&c), start);
        }
    }
}
