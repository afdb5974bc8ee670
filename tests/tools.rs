//! kbox's file and account utilities at Kestrel's shell prompt: chmod and chown as
//! stat shows them, which, mount/df/du/umount on a tmpfs, test and [ statuses,
//! xargs, diff -u, id and groups, ls -R (their logic is tested against GNU's tools
//! on the host in user/kbox/tests/gnu.rs).
use kestrel::session::{run, shell};

#[test]
fn file_and_account_utilities() {
    let mut m = shell();
    run(&mut m, "cd /tmp; printf x > f; chmod 640 f; chmod u+x,g=u,o+r f; stat -c '%a %A' f", "\n774 -rwxrwxr--\n");
    run(&mut m, "chmod -v a-x f", "mode of 'f' changed from 0774 (rwxrwxr--) to 0664 (rw-rw-r--)");
    run(
        &mut m,
        "chmod q+x f; echo status $?",
        "chmod: invalid mode: 'q+x'\nTry 'chmod --help' for more information.\nstatus 1",
    );
    run(&mut m, "chown user:wheel f; stat -c '%U %G' f; chgrp 1000 f; stat -c %G f", "\nuser wheel\nuser\n");
    run(&mut m, "which sh ls; which -a nosuch; echo status $?", "\n/bin/sh\n/bin/ls\nstatus 1\n");
    run(&mut m, "mkdir m; mount -t tmpfs -o size=1m,mode=700 scratch /tmp/m; echo status $?", "\nstatus 0\n");
    run(&mut m, "mount | grep scratch", "\nscratch on /tmp/m type tmpfs (rw,relatime,size=1024k,mode=700)\n");
    run(&mut m, "mount -t tmpfs | grep -c scratch", "\n1\n");
    run(
        &mut m,
        "df /tmp/m",
        "\nFilesystem     1K-blocks  Used Available Use% Mounted on\nscratch             1024     0      1024   0% /tmp/m\n",
    );
    run(
        &mut m,
        "head -c 100000 /dev/zero > m/z; df -h m | tail -n 1",
        "\nscratch         1.0M  100K  924K  10% /tmp/m\n",
    );
    run(
        &mut m,
        "mkdir m/d; head -c 5000 /dev/zero > m/d/y; du -a m | sort -k 2",
        "\n108\tm\n8\tm/d\n8\tm/d/y\n100\tm/z\n",
    );
    run(&mut m, "du -s m; du -sh m; du -c m/z m/d/y | tail -n 1", "\n108\tm\n108K\tm\n108\ttotal\n");
    run(
        &mut m,
        "mount -o remount,ro m; touch m/new; mount | grep -c 'm type tmpfs (ro'",
        "touch: cannot touch 'm/new': Read-only file system\n1\n",
    );
    run(
        &mut m,
        "umount /tmp/m; echo status $?; umount /tmp/m; echo status $?",
        "\nstatus 0\numount: /tmp/m: not mounted.\nstatus 32\n",
    );
    run(
        &mut m,
        "/bin/[ 3 -gt 2 ]; echo r$?; /bin/test -d /etc/passwd; echo r$?; /bin/[ 1 -lt; echo r$?",
        "\nr0\nr1\n[: missing ]\nr2\n",
    );
    run(&mut m, "/bin/test -f /etc/passwd -a ! -x /etc/passwd; echo r$?", "\nr0\n");
    run(&mut m, "printf 'a b\\nc d e\\n' | xargs -n 2 echo X", "\nX a b\nX c d\nX e\n");
    run(&mut m, "printf '1\\n2\\n' | xargs -I% sh -c 'echo [%]; exit %'; echo status $?", "\n[1]\n[2]\nstatus 123\n");
    run(
        &mut m,
        "printf 'one\\ntwo\\nsix\\n' > a; printf 'one\\n2\\nsix\\n' > b; diff -u a b | tail -n +3",
        "\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n six\n",
    );
    run(&mut m, "diff a b; echo status $?", "\n2c2\n< two\n---\n> 2\nstatus 1\n");
    run(
        &mut m,
        "id; id -Gn root; id -u user; groups user",
        "\nuid=0(root) gid=0(root) groups=0(root),10(wheel)\nroot wheel\n1000\nuser : user\n",
    );
    run(&mut m, "mkdir -p r/s; touch r/s/x r/y; ls -R r | cat", "\nr:\ns\ny\n\nr/s:\nx\n");
}
