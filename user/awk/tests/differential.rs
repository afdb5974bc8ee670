//! Runs the built awk and the host's awk (/usr/bin/awk, mawk on Debian) on the same
//! programs and inputs, and compares standard output and exit status. Skipped when
//! the host has no awk. Cases avoid what mawk and POSIX leave to differ: the order
//! of `for (k in a)` (sorted through `| "sort"`), rand()'s numbers, messages; and
//! where mawk is not POSIX: `**`, `func`, interval expressions `{n}`, NR after
//! `cmd | getline`, hexadecimal input, newlines as field separators in paragraph
//! mode with another FS, substr with a start below 1, division by zero (not fatal
//! in mawk), integers beyond 32 bits (mawk prints them as 1e+10). Those are tested
//! by `posix_where_mawk_differs`.
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const HOST_AWK: &str = "/usr/bin/awk";

const EMPLOYEES: &str =
    "Beth\t4.00\t0\nDan\t3.75\t0\nKathy\t4.00\t10\nMark\t5.00\t20\nMary\t5.50\t22\nSusie\t4.25\t18\n";
const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000:Alice:/home/alice:/bin/sh\n\
bob:x:1001:1001:Bob B:/home/bob:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n";
const PARAGRAPHS: &str = "\n\nname one\nline 2\n\n\nname two\nx y z\n\nname three\n";
const NUMBERS: &str = "10\n9\n010\n1e1\n abc\n-3.5\n+2\n\n7 \n";

/// One case: awk's arguments and its standard input. `$DIR` in an argument is the
/// folder with the data files (emp, passwd, para, nums).
struct Case {
    args: &'static [&'static str],
    stdin: &'static str,
}

const fn case(args: &'static [&'static str], stdin: &'static str) -> Case {
    Case { args, stdin }
}

const CASES: &[Case] = &[
    // Patterns and actions.
    case(&["{ print $1 }", "$DIR/emp"], ""),
    case(&["$3 > 0 { print $1, $2 * $3 }", "$DIR/emp"], ""),
    case(&["$3 == 0", "$DIR/emp"], ""),
    case(&["/^M/", "$DIR/emp"], ""),
    case(&["!/a/ { print NR \": \" $0 }", "$DIR/emp"], ""),
    case(&["/Dan/,/Mark/ { print $1 }", "$DIR/emp"], ""),
    case(&["NR == 2, NR == 4", "$DIR/emp"], ""),
    case(&["/Beth/,/Beth/ { print \"one:\" $1 }", "$DIR/emp"], ""),
    case(&["BEGIN { print \"start\" } END { print \"end\", NR }", "$DIR/emp"], ""),
    case(&["END { print $0 }", "$DIR/emp"], ""),
    case(&["NR % 2 { next } { print }", "$DIR/emp"], ""),
    case(&["$2 >= 4 && $3 < 20 || $1 == \"Mary\"", "$DIR/emp"], ""),
    case(&["{ n++ } ; { s += $2 } ; END { printf \"%d %.3f\\n\", n, s / n }", "$DIR/emp"], ""),
    case(&["BEGIN{}{print $1}END{}", "$DIR/emp"], ""),
    case(&["1", "-"], "a\nb\n"),
    case(&["0"], "a\nb\n"),
    // Fields, NF, $0.
    case(&["{ print NF, $NF, $(NF-1) }"], "a b c\n  lead  and trail  \n\none\n"),
    case(&["{ $2 = \"X\"; print; print NF }"], "a b c\n"),
    case(&["{ $5 = \"e\"; print; print NF }"], "a b c\n"),
    case(&["BEGIN { OFS = \"-\" } { $1 = $1; print }"], "a  b   c\n"),
    case(&["{ NF = 2; print } END { print NF }"], "a b c d\n"),
    case(&["{ NF = 5; print; print NF }", "OFS=:"], "a b\n"),
    case(&["{ $0 = \"x y\"; print NF, $2 }"], "a b c\n"),
    case(&["{ $3 = \"\"; print; print NF }"], "a b c d\n"),
    case(&["{ i = 1; print $i++, i; print $++i }"], "a b c d\n"),
    case(&["-F:", "$3 >= 1000 { print $1, $5 }", "$DIR/passwd"], ""),
    case(&["-F", ":", "{ print $NF }", "$DIR/passwd"], ""),
    case(&["-F\\t", "{ print $2 }", "$DIR/emp"], ""),
    case(&["BEGIN { FS = \"[0-9]+\" } { print $1 \"|\" $2 \"|\" $3 }"], "ab12cd345ef\n"),
    case(&["BEGIN { FS = \",\" } { print NF \":\" $2 }"], "a,,b,\n,\n"),
    case(&["BEGIN { FS = \"|\" } { print $2 }"], "a|b|c\n"),
    case(&["{ FS = \":\"; print $1 }"], "a:b c\nd:e f\n"),
    case(&["BEGIN { RS = \"\" } { print NR \": \" $1 \" / \" $NF \" (\" NF \")\" }", "$DIR/para"], ""),
    case(&["BEGIN { RS = \";\" } { print NR, $0 }"], "a;b;c"),
    case(&["BEGIN { ORS = \"|\"; OFS = \",\" } { print $1, $2 } END { printf \"\\n\" }"], "1 2\n3 4\n"),
    case(&["{ print FNR, NR, FILENAME }", "$DIR/nums", "$DIR/passwd"], ""),
    // Variables and assignments on the command line.
    case(&["-v", "x=5", "-v", "y=a\\tb", "BEGIN { print x + 1, y }"], ""),
    case(&["{ print v, $0 }", "v=1", "-", "v=2", "$DIR/passwd"], "in\n"),
    case(&["BEGIN { print ARGC; for (i = 0; i < ARGC; i++) print i, ARGV[i] }", "x", "y=1", "z"], ""),
    case(&["BEGIN { ARGV[1] = \"\" } { print }", "nosuchfile", "$DIR/nums"], ""),
    case(&["BEGIN { print ENVIRON[\"AWKTEST\"] }"], ""),
    case(&["BEGIN { print length(x), x + 0, (x == 0), (x == \"\") }"], ""),
    // Numbers, strings and comparisons.
    case(&["{ print ($1 < 9) ? \"lt\" : \"ge\", $1 + 0 }", "$DIR/nums"], ""),
    case(&["$1 == 10", "$DIR/nums"], ""),
    case(&["{ x = $1; if (x == \"10\") print \"str\", NR }", "$DIR/nums"], ""),
    case(&["BEGIN { print 1 == 1.0, \"a\" < \"b\", \"10\" < \"9\", 10 < 9, 2 < \"10\" }"], ""),
    case(&["BEGIN { print 1e6, 1e-3, 123456789, 0.1 + 0.2, 100 / 3, -7 % 3, 2 ^ 10, 2 ^ 3 ^ 2 }"], ""),
    case(
        &[
            "BEGIN { OFMT = \"%.2f\"; x = 3.14159; print x; y = x \"\"; print y; CONVFMT = \"%.3g\"; z = x \"\"; print z }",
        ],
        "",
    ),
    case(&["BEGIN { print 1 == 1 == 1, 2 < 3 < 1, 1 < 2 == 1 }"], ""),
    case(&["BEGIN { print -2 ^ 2, 2 ^ -1, !0, !1, !\"\", !\"a\", - -3 }"], ""),
    case(&["BEGIN { x = 5; x += 2; x -= 1; x *= 3; x /= 2; x %= 5; x ^= 2; print x }"], ""),
    case(&["BEGIN { i = 5; print i++ + ++i, i--, --i, i }"], ""),
    case(&["BEGIN { print 1 \" \" 2, 1 2, \"a\" (1 < 2) }"], ""),
    case(&["BEGIN { print 10 \" \" -1; print 1 - 1 }"], ""),
    case(&["BEGIN { print int(3.9), int(-3.9), int(\"4x\"), sqrt(16), exp(0), log(1), atan2(0, -1) > 3.14 }"], ""),
    case(&["BEGIN { printf \"%.4f %.4f\\n\", sin(1), cos(1) }"], ""),
    case(&["BEGIN { x = \"3.0\"; y = 3; print (x == y) } { print ($1 == 3) }"], "3.0\n"),
    case(&["BEGIN { a = \"x\"; b = a++; print a, b }"], ""),
    // Builtin functions.
    case(&["{ print length, length($0), length() }"], "hello\n\n"),
    case(
        &[
            "BEGIN { s = \"hello, world\"; print substr(s, 8), substr(s, 1, 5), substr(s, 2, 3), substr(s, -1), substr(s, 20) \"|\" }",
        ],
        "",
    ),
    case(&["BEGIN { print substr(\"hello\", 2.5, 2), substr(\"hello\", 3) }"], ""),
    case(&["BEGIN { print index(\"banana\", \"an\"), index(\"banana\", \"x\") }"], ""),
    case(&["BEGIN { n = split(\"a:b:c\", arr, \":\"); print n, arr[1], arr[3] }"], ""),
    case(&["BEGIN { n = split(\"  a  b  \", arr); print n, arr[1] arr[2] }"], ""),
    case(&["BEGIN { n = split(\"a1b22c\", arr, /[0-9]+/); print n, arr[1], arr[2], arr[3] }"], ""),
    case(&["BEGIN { n = split(\"\", arr); print n, length(arr) }"], ""),
    case(&["BEGIN { n = split(\"a.b.c\", arr, \".\"); print n, arr[2] }"], ""),
    case(&["{ n = sub(/o/, \"0\"); print n, $0 }"], "foo boo\n"),
    case(&["{ n = gsub(/o/, \"0\"); print n, $0, NF }"], "foo boo\n"),
    case(&["{ gsub(/[a-z]+/, \"<&>\"); print }"], "ab cd ef\n"),
    case(&["{ gsub(/a/, \"\\\\&\"); print }"], "banana\n"),
    case(&["{ gsub(/x*/, \"-\"); print }"], "abc\n"),
    case(&["{ gsub(/b*/, \"-\"); print }"], "abc\n"),
    case(&["{ sub(/^/, \">\"); sub(/$/, \"<\"); print }"], "mid\n"),
    case(&["{ s = $2; gsub(\"o\", \"0\", s); print s, $2 }"], "foo boo\n"),
    case(&["{ gsub(/o/, \"0\", $2); print; print NF }"], "foo  boo zoo\n"),
    case(&["BEGIN { print match(\"foobar\", /o+/), RSTART, RLENGTH; print match(\"abc\", /z/), RSTART, RLENGTH }"], ""),
    case(
        &[
            "BEGIN { s = sprintf(\"%5s|%-5s|%05d|%x|%o|%e|%c%c\", \"ab\", \"cd\", 42, 255, 8, 1234.5, 65, \"hi\"); print s }",
        ],
        "",
    ),
    case(&["BEGIN { printf \"%*d|%-*d|%.*f\\n\", 5, 42, 4, 7, 2, 3.14159 }"], ""),
    case(&["BEGIN { printf \"%s %d%%\\n\", \"rate\", 50; printf(\"%i %5.1e %G\\n\", 3.7, 12345, 0.0001) }"], ""),
    case(&["BEGIN { printf \"%d %d\\n\", \"12abc\", -0.5; printf \"%s\\n\", 1e6 }"], ""),
    case(&["{ printf \"%c|%c|%c\\n\", $1, $2, $1 + 1 }"], "65 hello\n"),
    case(&["BEGIN { print toupper(\"abC1\"), tolower(\"ABc1\") }"], ""),
    case(&["BEGIN { srand(1); a = srand(2); b = srand(); print a, b; x = rand(); print (x >= 0 && x < 1) }"], ""),
    case(&["BEGIN { print length(\"x\" 1 2) }"], ""),
    // Arrays.
    case(&["{ count[$1]++ } END { for (w in count) print w, count[w] | \"sort\" }"], "a\nb\na\nc\nb\na\n"),
    case(&["BEGIN { a[1]; if (1 in a) print \"yes\"; if (!(2 in a)) print \"no\"; print length(a) }"], ""),
    case(
        &["BEGIN { a[1,2] = 3; for (k in a) { split(k, p, SUBSEP); print p[1], p[2] }; if ((1,2) in a) print \"in\" }"],
        "",
    ),
    case(&["BEGIN { a[\"x\"]=1; a[\"y\"]=2; delete a[\"x\"]; for (k in a) print k; delete a; print length(a) }"], ""),
    case(&["BEGIN { a[01] = \"one\"; print a[1], a[\"1\"], a[\"01\"] \"|\" }"], ""),
    case(&["BEGIN { a[0.1 + 0.2] = 1; for (k in a) print k }"], ""),
    case(&["{ line[NR] = $0 } END { for (i = NR; i > 0; i--) print line[i] }", "$DIR/emp"], ""),
    // Functions.
    case(&["function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) } BEGIN { print fact(10), fact(1) }"], ""),
    case(
        &[
            "function fill(arr, n,   i) { for (i = 1; i <= n; i++) arr[i] = i * i }\nBEGIN { fill(sq, 4); print sq[3], length(sq), i \"|\" }",
        ],
        "",
    ),
    case(
        &[
            "function swap(a, i, j,  t) { t = a[i]; a[i] = a[j]; a[j] = t }\nfunction sort(a, n,  i, j) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) swap(a, j-1, j) }\n{ v[NR] = $1 } END { sort(v, NR); for (i = 1; i <= NR; i++) print v[i] }",
        ],
        "5\n3\n9\n1\n",
    ),
    case(&["function f(x) { x = 5; return } BEGIN { y = 1; f(y); print y, f(y) \"|\" }"], ""),
    case(&["function g(a) { a[\"k\"] = 1 } function f(a) { g(a) } BEGIN { f(arr); print arr[\"k\"] }"], ""),
    case(&["function max(a, b) { return a > b ? a : b }\n{ m = max(m, $1 + 0) } END { print m }", "$DIR/nums"], ""),
    case(&["function twice(x) { return x * 2 } BEGIN { print twice (3), twice(4) }"], ""),
    case(&["function fib(n) { return n < 2 ? n : fib(n-1) + fib(n-2) } BEGIN { print fib(20) }"], ""),
    // Control flow.
    case(&["BEGIN { for (i = 0; i < 10; i++) { if (i == 2) continue; if (i == 5) break; print i } }"], ""),
    case(&["BEGIN { i = 0; while (i < 3) print i++; do { print \"do\", i } while (i++ < 4) }"], ""),
    case(&["BEGIN { for (;;) { if (++n > 3) break }; print n }"], ""),
    case(&["BEGIN { if (0) print \"a\"; else if (1) print \"b\"; else print \"c\" }"], ""),
    case(&["BEGIN {\n  if (1)\n    print \"x\"\n  else\n    print \"y\"\n}"], ""),
    case(&["{ if ($1 > 1) { print \"big\" } else { print \"small\" } }"], "1\n2\n"),
    case(&["NR == 2 { exit } { print }"], "a\nb\nc\n"),
    case(&["{ print; exit 3 } END { print \"end\" }"], "a\nb\n"),
    case(&["BEGIN { exit 1 } END { print \"end ran\" }"], ""),
    case(&["END { exit } END { print \"not reached\" }"], "a\n"),
    case(&["BEGIN { exit 4 } END { exit }"], ""),
    case(&["FNR == 2 { nextfile } { print FILENAME, $0 }", "$DIR/nums", "$DIR/passwd"], ""),
    // getline.
    case(&["NR == 1 { getline; print \"after getline:\", $0, NR } NR > 2 { print \"rest\", $0 }"], "1\n2\n3\n4\n"),
    case(&["{ getline line; print $0 \"+\" line, NR }"], "a\nb\nc\nd\n"),
    case(
        &[
            "BEGIN { while ((getline line < \"$DIR/passwd\") > 0) n++; print n, NR; close(\"$DIR/passwd\"); getline < \"$DIR/passwd\"; print $1 }",
        ],
        "",
    ),
    case(&["BEGIN { \"echo one two\" | getline; print $2; \"echo x\" | getline v; print v }"], ""),
    case(
        &[
            "BEGIN { cmd = \"printf 'a\\\\nb\\\\n'\"; while ((cmd | getline l) > 0) print \"[\" l \"]\"; print close(cmd) }",
        ],
        "",
    ),
    case(&["BEGIN { print (getline line < \"/nonexistent/file\") }"], ""),
    case(&["BEGIN { while ((getline) > 0) n += $1; print n }"], "1\n2\n3\n"),
    // Output redirection, close, system.
    case(&["BEGIN { print \"b\" | \"sort\"; print \"a\" | \"sort\"; close(\"sort\"); print \"after\" }"], ""),
    case(
        &[
            "BEGIN { f = \"$DIR/out\"; print \"x\" > f; print \"y\" > f; close(f); print \"z\" >> f; close(f); while ((getline l < f) > 0) print \"got\", l }",
        ],
        "",
    ),
    case(&["BEGIN { printf \"%s-%s\\n\", \"a\", \"b\" > \"/dev/stdout\" }"], ""),
    case(&["BEGIN { print \"before\"; r = system(\"echo inside; exit 3\"); print \"after\", r }"], ""),
    case(&["BEGIN { print \"out\"; fflush(); system(\"echo sys\") }"], ""),
    case(&["BEGIN { print(1, 2) > \"/dev/stdout\"; print (1)(2) }"], ""),
    case(&["{ print $1 > \"/dev/stderr\" } END { print \"done\" }"], "e\n"),
    // Regular expressions.
    case(&["/a|b/ { print \"alt\" } /^[[:digit:]]+$/ { print \"digits\" }"], "a\n123\nxx\nz\n"),
    case(&["$0 ~ \"^a.c$\" { print \"dyn\" } $0 !~ /b/ { print \"nob\" }"], "abc\naxc\nzzz\n"),
    case(&["{ print ($0 ~ /\\./), ($0 ~ \"\\\\.\"), ($0 ~ /\\//), ($0 ~ /\\t/) }"], "a.b/c\td\nabc\n"),
    case(&["BEGIN { r = \"^[0-9]+$\" } $1 ~ r { print \"num\", $1 }"], "12\nab\n"),
    case(&["{ print /b/ ? \"has b\" : \"no b\" }"], "abc\nxyz\n"),
    case(&["BEGIN { x = 6; y = x /2/ 3; print y }"], ""),
    case(&["{ a = $1 / 2; print a }"], "8\n"),
    case(&["/[/]/ { print \"slash\" }"], "a/b\nab\n"),
    // Syntax: newlines, semicolons, comments, continuation.
    case(&["# comment\nBEGIN {   # another\n  x = 1 +\\\n  2\n  print x ; ; print \"y\"\n}\n\n"], ""),
    case(&["BEGIN { a = 1; b = 2 }\nEND { print a &&\n b, a ||\n b }"], ""),
    case(&["BEGIN { print 1,\n 2 }"], ""),
    case(&["BEGIN { x[\"a\"] = 1 } END { for (k in x)\n print k }"], ""),
    case(&["BEGIN { print length\n}"], "abc\n"),
    case(&["{ print $1 }  # trailing comment"], "x y\n"),
    // Errors: status only (messages differ).
    case(&["BEGIN { print 1 "], ""),
    case(&["{ print $1 }", "/nonexistent/file"], ""),
    case(&["BEGIN { print ) }"], ""),
];

fn data_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kestrel-awk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in [("emp", EMPLOYEES), ("passwd", PASSWD), ("para", PARAGRAPHS), ("nums", NUMBERS)] {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir
}

fn run(awk: &str, case: &Case, dir: &Path) -> (String, i32) {
    let dir = dir.to_str().unwrap();
    let _ = std::fs::remove_file(Path::new(dir).join("out"));
    let mut child = Command::new(awk)
        .args(case.args.iter().map(|arg| arg.replace("$DIR", dir)))
        .env("AWKTEST", "from the environment")
        .env("LC_ALL", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // A program that reads no input may be gone before it is written.
    let _ = child.stdin.take().unwrap().write_all(case.stdin.as_bytes());
    let output = child.wait_with_output().unwrap();
    (String::from_utf8_lossy(&output.stdout).into_owned(), output.status.code().unwrap_or(-1))
}

#[test]
fn same_as_the_host_awk() {
    if !Path::new(HOST_AWK).exists() {
        eprintln!("skipped: no {HOST_AWK}");
        return;
    }
    assert!(CASES.len() >= 80);
    let dir = data_dir();
    let mut failures = Vec::new();
    for case in CASES {
        let ours = run(env!("CARGO_BIN_EXE_awk"), case, &dir);
        let theirs = run(HOST_AWK, case, &dir);
        if ours != theirs {
            failures.push(format!(
                "awk {:?} <<< {:?}\n  ours:   {:?}\n  theirs: {:?}",
                case.args, case.stdin, ours, theirs
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

#[test]
fn syntax_errors_name_the_line() {
    let (_, stderr, status) = ours(&["BEGIN {\n x = 1\n print ) }"], "");
    assert_eq!((stderr.as_str(), status), ("awk: line 3: syntax error at or near )\n", 2));
    let (_, stderr, status) = ours(&["BEGIN { print \"abc }"], "");
    assert_eq!((stderr.as_str(), status), ("awk: line 1: runaway string constant\n", 2));
    let (_, stderr, status) = ours(&["BEGIN { f(1) }"], "");
    assert_eq!((stderr.as_str(), status), ("awk: line 1: function f never defined\n", 2));
}

#[test]
fn a_big_input_is_fast() {
    let text: String = (0..100_000).map(|i| format!("{i} field{} {}\n", i % 7, i * 3)).collect();
    let start = std::time::Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_awk"))
        .args(["{ s += $3; n[$2]++ } END { print NR, s, length(n) }"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), "100000 14999850000 7\n");
    // Wall-clock time on a shared machine: generous, more so for a debug build (a
    // release build takes about 0.05 s of CPU time); quadratic work would take minutes.
    let limit = if cfg!(debug_assertions) { 30.0 } else { 3.0 };
    assert!(start.elapsed().as_secs_f64() < limit, "took {:?}", start.elapsed());
}

/// Runs our awk: standard output, standard error, exit status.
fn ours(args: &[&str], stdin: &str) -> (String, String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_awk"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A program that reads no input may be gone before it is written.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let output = child.wait_with_output().unwrap();
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (text(&output.stdout), text(&output.stderr), output.status.code().unwrap_or(-1))
}

#[test]
fn posix_where_mawk_differs() {
    let out = |args: &[&str], stdin: &str| ours(args, stdin).0;
    assert_eq!(out(&["BEGIN { print 2 ** 3 ** 2, 2 ^ 3 ^ 2 }"], ""), "512 512\n");
    // Integral values print as integers (mawk: only those of 32 bits).
    assert_eq!(out(&["BEGIN { print 1e16, 2 ^ 40, -0 }"], ""), "10000000000000000 1099511627776 -0\n");
    assert_eq!(out(&["func f() { return \"func\" } BEGIN { print f() }"], ""), "func\n");
    assert_eq!(out(&["/^x{2}$/"], "x\nxx\nxxx\n"), "xx\n");
    assert_eq!(out(&["BEGIN { \"echo a\" | getline; \"echo b\" | getline v; print NR, $0, v }"], ""), "2 a b\n");
    assert_eq!(out(&["{ print $1 + 0 }"], "0x10\n"), "0\n");
    assert_eq!(out(&["BEGIN { RS = \"\"; FS = \":\" } { print NF }"], "a:b\nc:d\n"), "4\n");
    assert_eq!(out(&["BEGIN { print substr(\"hello\", 0, 3), substr(\"hello\", -1, 3) }"], ""), "he h\n");
    let (stdout, stderr, status) = ours(&["BEGIN { print \"a\"; x = 0; print 1 / x }"], "");
    assert_eq!((stdout.as_str(), stderr.as_str(), status), ("a\n", "awk: division by zero\n", 2));
    let (_, _, status) = ours(&["BEGIN { printf \"%s %s\", \"a\" }"], "");
    assert_eq!(status, 2);
    assert_eq!(out(&["{ $NF--; print }"], "a b 5\n"), "a b 4\n");
    let (stdout, _, status) = ours(&["function f(n) { return n ? 1 + f(n - 1) : 0 } BEGIN { print f(2000) }"], "");
    assert_eq!((stdout.as_str(), status), ("2000\n", 0));
    let (_, stderr, status) = ours(&["function f(n) { return f(n + 1) } BEGIN { f(1) }"], "");
    assert_eq!((stderr.as_str(), status), ("awk: function calls nested too deeply\n", 2));
    let (_, stderr, status) = ours(&["BEGIN { print 5 % 0 }"], "");
    assert_eq!((stderr.as_str(), status), ("awk: division by zero in %\n", 2));
}
