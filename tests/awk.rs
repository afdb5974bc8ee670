//! awk in Kestrel: programs typed at the shell read /etc/passwd (fields with -F,
//! a pattern, a function, an array, printf), a pipe into awk and `cmd | getline`,
//! a fatal error's status, and awk's manual page.
use kestrel::session::{run, shell};

#[test]
fn awk_reads_passwd_with_functions_arrays_and_printf() {
    let mut m = shell();
    run(&mut m, "awk -F: '$3 >= 1000 { print $1 }' /etc/passwd", "\nuser\n");
    run(
        &mut m,
        "awk -F: 'function base(s) { n = split(s, p, \"/\"); return p[n] } { count[base($7)]++; ids += $3 } \
         END { for (k in count) printf \"%s=%d;\", k, count[k]; printf \"ids %05d of %d\\n\", ids, NR }' /etc/passwd",
        "sh=2;ids 01000 of 2",
    );
    run(&mut m, "echo 3 4 | awk '{ \"echo x\" | getline y; print $1 * $2, toupper(y) }'", "12 X");
    run(&mut m, "awk 'BEGIN { print 1 / 0 }'; echo status $?", "awk: division by zero\nstatus 2");
    run(&mut m, "man awk | head -1", "awk - pattern scanning and text processing language\n");
}
