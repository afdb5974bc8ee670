//! Text tools at Kestrel's shell prompt: sed on files made there, printing,
//! editing in place, the hold space, errors with their exit statuses, and its page.
use kestrel::session::{run, shell};

#[test]
fn sed_prints_edits_in_place_and_reports_errors() {
    let mut m = shell();
    run(&mut m, "cd /tmp && seq 5 > nums && sed -n '2,3p;$=' nums", "2\n3\n5\n");
    run(&mut m, "sed -n '1!G;h;$p' nums | tr '\\n' ' '", "5 4 3 2 1 ");
    run(&mut m, "sed -i 's/[24]/even/;1d' nums; cat nums", "even\n3\neven\n5\n");
    run(&mut m, "printf 'a\\tb\\n' | sed -n l", "a\\tb$\n");
    run(&mut m, "sed 's/x/y' nums; echo status $?", "unterminated `s' command\nstatus 1\n");
    run(&mut m, "sed p missing; echo status $?", "can't read missing: No such file or directory\nstatus 2\n");
    run(&mut m, "man sed | head -n 1", "sed - stream editor for filtering and transforming text\n");
}
