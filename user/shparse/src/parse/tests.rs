//! Parser tests: each command line's tree, printed compactly — commands in `[...]`
//! with assignments `name=value` and redirections `fd>target` (`fd>&target` for a
//! duplication), quoted text in `'...'`, parameters as `${name}` (`"${name}"` when
//! quoted), `~` for a tilde, then ` | `, ` && `, ` || `, ` &` and ` ; ` between.
use super::*;
use crate::ast::RedirectOp;

fn word(word: &Word) -> String {
    word.0
        .iter()
        .map(|part| match part {
            Part::Text(text) => text.clone(),
            Part::Quoted(text) => format!("'{text}'"),
            Part::Param { name, quoted: false } => format!("${{{name}}}"),
            Part::Param { name, quoted: true } => format!("\"${{{name}}}\""),
            Part::Tilde => "~".into(),
        })
        .collect()
}

fn command(command: &Command) -> String {
    let assignments = command.assignments.iter().map(|a| format!("{}={}", a.name, word(&a.value)));
    let words = command.words.iter().map(word);
    let redirects = command.redirects.iter().map(|r| {
        let op = match r.op {
            RedirectOp::Read => "<",
            RedirectOp::Write => ">",
            RedirectOp::Append => ">>",
            RedirectOp::Duplicate => ">&",
        };
        format!("{}{op}{}", r.fd, word(&r.target))
    });
    format!("[{}]", assignments.chain(words).chain(redirects).collect::<Vec<_>>().join(" "))
}

fn pipeline(pipeline: &Pipeline) -> String {
    pipeline.commands.iter().map(command).collect::<Vec<_>>().join(" | ")
}

fn item(item: &Item) -> String {
    let mut text = pipeline(&item.and_or.first);
    for (connector, next) in &item.and_or.rest {
        text += match connector {
            Connector::And => " && ",
            Connector::Or => " || ",
        };
        text += &pipeline(next);
    }
    if item.background {
        text += " &";
    }
    text
}

/// The tree of `source`, printed.
fn tree(source: &str) -> String {
    let list = parse(source).unwrap_or_else(|err| panic!("{source:?}: {err}"));
    list.items.iter().map(item).collect::<Vec<_>>().join(" ; ")
}

fn error(source: &str) -> String {
    parse(source).expect_err(source).to_string()
}

#[test]
fn simple_commands() {
    assert_eq!(tree("ls"), "[ls]");
    assert_eq!(tree("ls -l /bin"), "[ls -l /bin]");
    assert_eq!(tree("  \techo\t\thi  "), "[echo hi]");
    assert_eq!(tree("echo héllo wörld"), "[echo héllo wörld]");
}

#[test]
fn empty_input_has_no_items() {
    assert_eq!(tree(""), "");
    assert_eq!(tree("   \t "), "");
    assert_eq!(tree("\n\n\n"), "");
    assert_eq!(tree("# only a comment"), "");
    assert_eq!(tree("  # indented comment\n"), "");
}

#[test]
fn comments() {
    assert_eq!(tree("echo hi # greet"), "[echo hi]");
    assert_eq!(tree("echo a#b"), "[echo a#b]");
    assert_eq!(tree("echo '#'x"), "[echo '#'x]");
    assert_eq!(tree("echo \\#x"), "[echo '#'x]");
    assert_eq!(tree("a;#c\nb"), "[a] ; [b]");
    assert_eq!(tree("a | # comment\n b"), "[a] | [b]");
}

#[test]
fn single_quotes() {
    assert_eq!(tree("echo 'a  b' 'c\\d'"), "[echo 'a  b' 'c\\d']");
    assert_eq!(tree("echo '$HOME' '\"'"), "[echo '$HOME' '\"']");
    assert_eq!(tree("echo 'a\nb'"), "[echo 'a\nb']");
    assert_eq!(tree("echo '*'"), "[echo '*']");
}

#[test]
fn double_quotes() {
    assert_eq!(tree("echo \"a  b\" \"it's\""), "[echo 'a  b' 'it's']");
    assert_eq!(tree(r#"echo "a\"b" "a\\b" "\$x" "a\nb""#), r#"[echo 'a"b' 'a\b' '$x' 'a\nb']"#);
    assert_eq!(tree("echo \"a\\\nb\""), "[echo 'ab']");
    assert_eq!(tree("echo \"x$HOME/y\""), "[echo 'x'\"${HOME}\"'/y']");
    assert_eq!(tree("echo \"$\" \"a$\""), "[echo '$' 'a$']");
}

#[test]
fn empty_quotes_are_words() {
    let list = parse("echo '' \"\"").unwrap();
    let words = &list.items[0].and_or.first.commands[0].words;
    assert_eq!(words[1], Word(vec![Part::Quoted(String::new())]));
    assert_eq!(words[2], Word(vec![Part::Quoted(String::new())]));
    assert_eq!(tree("''"), "['']");
}

#[test]
fn backslashes() {
    assert_eq!(tree(r"echo a\ b c"), "[echo a' 'b c]");
    assert_eq!(tree(r"echo \'x\'"), "[echo '''x''']");
    assert_eq!(tree(r"echo \\"), r"[echo '\']");
    assert_eq!(tree(r"echo \*"), "[echo '*']");
    assert_eq!(tree(r"echo \|"), "[echo '|']");
    assert_eq!(tree(r"echo a\"), r"[echo a'\']");
}

#[test]
fn line_continuations() {
    assert_eq!(tree("echo ab\\\ncd"), "[echo abcd]");
    assert_eq!(tree("echo \\\nx"), "[echo x]");
    assert_eq!(tree("ec\\\nho x"), "[echo x]");
}

#[test]
fn quotes_join_what_touches_them() {
    assert_eq!(tree(r#"a'b c'd"e f"g"#), "[a'b c'd'e f'g]");
    assert_eq!(tree(r#"--name="x y""#), "[--name='x y']");
}

#[test]
fn the_parts_of_a_word() {
    let list = parse(r#"x*'y'"$A"$B\?"#).unwrap();
    let word = &list.items[0].and_or.first.commands[0].words[0];
    assert_eq!(
        word.0,
        [
            Part::Text("x*".into()),
            Part::Quoted("y".into()),
            Part::Param { name: "A".into(), quoted: true },
            Part::Param { name: "B".into(), quoted: false },
            Part::Quoted("?".into()),
        ]
    );
}

#[test]
fn parameters() {
    assert_eq!(tree("echo $HOME $x_1 ${PATH}"), "[echo ${HOME} ${x_1} ${PATH}]");
    assert_eq!(tree("echo $? $$ $! $# $0 $1 $@ $*"), "[echo ${?} ${$} ${!} ${#} ${0} ${1} ${@} ${*}]");
    assert_eq!(tree("echo $HOME/x ${A}b $A-b"), "[echo ${HOME}/x ${A}b ${A}-b]");
    assert_eq!(tree("echo $12"), "[echo ${1}2]");
    assert_eq!(tree("echo ${10} ${?}"), "[echo ${10} ${?}]");
    assert_eq!(tree("echo $ a$ $/ $."), "[echo $ a$ $/ $.]");
    assert_eq!(tree("echo \"$A\"$B"), "[echo \"${A}\"${B}]");
}

#[test]
fn bad_substitutions() {
    assert_eq!(error("echo ${A:-x}"), "${A:-x}: bad substitution");
    assert_eq!(error("echo ${}"), "${}: bad substitution");
    assert_eq!(error("echo ${A"), "${A: bad substitution");
    assert_eq!(error("echo $(ls)"), "command substitution is not supported");
    assert_eq!(error("echo `ls`"), "command substitution is not supported");
    assert_eq!(error("echo \"`ls`\""), "command substitution is not supported");
}

#[test]
fn tildes() {
    assert_eq!(tree("cd ~"), "[cd ~]");
    assert_eq!(tree("ls ~/bin"), "[ls ~/bin]");
    assert_eq!(tree("echo ~|cat"), "[echo ~] | [cat]");
    assert_eq!(tree("echo a~ ~user '~' \\~"), "[echo a~ ~user '~' '~']");
    assert_eq!(tree("echo \"~\""), "[echo '~']");
}

#[test]
fn globs_stay_text() {
    assert_eq!(tree("ls *.rs a?c [ab]*"), "[ls *.rs a?c [ab]*]");
    assert_eq!(tree("ls '*'.rs \"a?c\""), "[ls '*'.rs 'a?c']");
}

#[test]
fn pipelines() {
    assert_eq!(tree("a | b"), "[a] | [b]");
    assert_eq!(tree("a|b|c|d"), "[a] | [b] | [c] | [d]");
    assert_eq!(tree("echo a b | tr a-z A-Z | wc -c"), "[echo a b] | [tr a-z A-Z] | [wc -c]");
    assert_eq!(tree("a |\n\n b"), "[a] | [b]");
}

#[test]
fn and_or_lists() {
    assert_eq!(tree("a && b"), "[a] && [b]");
    assert_eq!(tree("a || b"), "[a] || [b]");
    assert_eq!(tree("a&&b||c&&d"), "[a] && [b] || [c] && [d]");
    assert_eq!(tree("a | b && c | d"), "[a] | [b] && [c] | [d]");
    assert_eq!(tree("a &&\n b"), "[a] && [b]");
    let list = parse("a || b && c").unwrap();
    let and_or = &list.items[0].and_or;
    assert_eq!(
        and_or.rest.iter().map(|(connector, _)| *connector).collect::<Vec<_>>(),
        [Connector::Or, Connector::And]
    );
}

#[test]
fn sequences() {
    assert_eq!(tree("a; b"), "[a] ; [b]");
    assert_eq!(tree("a ; b ;"), "[a] ; [b]");
    assert_eq!(tree("a\nb\n"), "[a] ; [b]");
    assert_eq!(tree("a;\nb"), "[a] ; [b]");
    assert_eq!(tree("\n\na\n\n\nb\n\n"), "[a] ; [b]");
}

#[test]
fn background() {
    assert_eq!(tree("sleep 10 &"), "[sleep 10] &");
    assert_eq!(tree("a & b"), "[a] & ; [b]");
    assert_eq!(tree("a&b&"), "[a] & ; [b] &");
    assert_eq!(tree("a | b && c &"), "[a] | [b] && [c] &");
    assert_eq!(tree("a &\nb"), "[a] & ; [b]");
}

#[test]
fn item_text_is_as_written() {
    let list = parse("  sleep 100 |  cat &  echo 'a b' ; x && y # c\n").unwrap();
    let texts: Vec<_> = list.items.iter().map(|item| item.text.as_str()).collect();
    assert_eq!(texts, ["sleep 100 |  cat", "echo 'a b'", "x && y"]);
}

#[test]
fn redirections() {
    assert_eq!(tree("cat < in > out"), "[cat 0<in 1>out]");
    assert_eq!(tree("echo hi >> log"), "[echo hi 1>>log]");
    assert_eq!(tree("cmd 2> err"), "[cmd 2>err]");
    assert_eq!(tree("cmd 2>&1"), "[cmd 2>&1]");
    assert_eq!(tree("cmd >&2"), "[cmd 1>&2]");
    assert_eq!(tree("cmd <&3 3<&-"), "[cmd 0>&3 3>&-]");
    assert_eq!(tree("cmd >| f"), "[cmd 1>f]");
    assert_eq!(tree("cmd>out<in"), "[cmd 1>out 0<in]");
    assert_eq!(tree("> f"), "[1>f]");
    assert_eq!(tree(">f echo a"), "[echo a 1>f]");
    assert_eq!(tree("echo a 2>/dev/null | cat > \"my file\""), "[echo a 2>/dev/null] | [cat 1>'my file']");
    assert_eq!(tree("cmd 10>x"), "[cmd 10>x]");
}

#[test]
fn numbers_are_descriptors_only_right_before_the_operator() {
    assert_eq!(tree("echo 2 > f"), "[echo 2 1>f]");
    assert_eq!(tree("echo a2>f"), "[echo a2 1>f]");
    assert_eq!(tree("echo '2'>f"), "[echo '2' 1>f]");
    assert_eq!(tree("echo 99999999999>f"), "[echo 99999999999 1>f]");
}

#[test]
fn redirections_and_operators() {
    let list = parse("a 2>&1 | b").unwrap();
    let redirect = &list.items[0].and_or.first.commands[0].redirects[0];
    assert_eq!(redirect, &Redirect { fd: 2, op: RedirectOp::Duplicate, target: Word(vec![Part::Text("1".into())]) });
}

#[test]
fn names() {
    assert!(is_name("PATH") && is_name("_x1") && is_name("a"));
    assert!(!is_name("") && !is_name("1a") && !is_name("a-b") && !is_name("é"));
}

#[test]
fn assignments() {
    assert_eq!(tree("A=1"), "[A=1]");
    assert_eq!(tree("A=1 B= cmd x=y"), "[A=1 B= cmd x=y]");
    assert_eq!(tree("A=\"a b\" cmd"), "[A='a b' cmd]");
    assert_eq!(tree("A=$B:x cmd"), "[A=${B}:x cmd]");
    assert_eq!(tree("A=1 >f B=2 cmd"), "[A=1 B=2 cmd 1>f]");
    assert_eq!(tree("1A=x =y 'A'=z"), "[1A=x =y 'A'=z]");
    let list = parse("PATH=/x:/y env").unwrap();
    let command = &list.items[0].and_or.first.commands[0];
    assert_eq!(
        command.assignments,
        [Assignment { name: "PATH".into(), value: Word(vec![Part::Text("/x:/y".into())]) }]
    );
    assert_eq!(command.words, [Word(vec![Part::Text("env".into())])]);
}

#[test]
fn unexpected_tokens() {
    assert_eq!(error("|"), "syntax error near unexpected token '|'");
    assert_eq!(error("a | | b"), "syntax error near unexpected token '|'");
    assert_eq!(error("a || || b"), "syntax error near unexpected token '||'");
    assert_eq!(error("&& a"), "syntax error near unexpected token '&&'");
    assert_eq!(error("; a"), "syntax error near unexpected token ';'");
    assert_eq!(error("a ; ; b"), "syntax error near unexpected token ';'");
    assert_eq!(error("a ;; b"), "syntax error near unexpected token ';;'");
    assert_eq!(error("a & & b"), "syntax error near unexpected token '&'");
    assert_eq!(error("& a"), "syntax error near unexpected token '&'");
    assert_eq!(error("a | ;"), "syntax error near unexpected token ';'");
    assert_eq!(error("a && &"), "syntax error near unexpected token '&'");
    assert_eq!(error("(a)"), "syntax error near unexpected token '('");
    assert_eq!(error("a )"), "syntax error near unexpected token ')'");
    assert_eq!(error("echo a (b)"), "syntax error near unexpected token '('");
}

#[test]
fn redirections_need_a_word() {
    assert_eq!(error("echo >"), "syntax error near unexpected token 'newline'");
    assert_eq!(error("echo >\nfile"), "syntax error near unexpected token 'newline'");
    assert_eq!(error("echo > | x"), "syntax error near unexpected token '|'");
    assert_eq!(error("echo > > x"), "syntax error near unexpected token '>'");
    assert_eq!(error("cat < 2>f"), "syntax error near unexpected token '>'");
}

#[test]
fn incomplete_input() {
    for source in
        ["echo 'abc", "echo \"abc", "echo \"a\\\"", "a |", "a | ", "a &&", "a ||\n", "a |\n\n", "echo a\\\n", "a \\\n"]
    {
        assert_eq!(parse(source), Err(ParseError::Incomplete), "{source:?}");
    }
    assert_eq!(ParseError::Incomplete.to_string(), "syntax error: unexpected end of file");
}

#[test]
fn incomplete_input_completes_with_more_lines() {
    assert_eq!(tree("echo 'a\nb'"), "[echo 'a\nb']");
    assert_eq!(tree("a |\nb"), "[a] | [b]");
    assert_eq!(tree("echo a\\\nb"), "[echo ab]");
}

#[test]
fn everything_together() {
    assert_eq!(
        tree("cd ~/src && FOO=bar make -j4 2>&1 | tee \"$LOG\" > /dev/null || echo \"failed: $?\" >&2 & jobs; wait"),
        "[cd ~/src] && [FOO=bar make -j4 2>&1] | [tee \"${LOG}\" 1>/dev/null] || [echo 'failed: '\"${?}\" 1>&2] & ; [jobs] ; [wait]"
    );
}
