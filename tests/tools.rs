//! scratch
use kestrel::session::{run, shell};

#[test]
fn explore() {
    let mut m = shell();
    run(
        &mut m,
        "id; echo st=$?; id root; echo st=$?; id -Gn; echo st=$?; id user; echo st=$?; id -un; groups; echo done1",
        "done1",
    );
    run(&mut m, "cat /etc/group /etc/passwd; ls -l /etc/shadow; echo done2", "done2");
    run(&mut m, "/usr/bin/busybox su user -c 'id; id -Gn; id -un; echo st=$?; whoami' ; echo done3", "done3");
    run(
        &mut m,
        "/usr/bin/busybox su user -s /bin/sh -c 'id; id -Gn; echo st=$?; id -G; id root; echo st=$?' ; echo done4",
        "done4",
    );
    println!("{}", m.log());
}
