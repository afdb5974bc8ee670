//! Parser tests: each text's tree, printed compactly — simple commands in `[...]`
//! with assignments `name=value` and redirections `fd>target`, quoted text in
//! `'...'`, double quotes as `"..."`, parameters as `${name}` (with their operator
//! and word), substitutions as `$(...)`, arithmetic as `$((...))`, `~` for a
//! tilde; compound commands in a lisp-like form.
use super::*;
use crate::ast::{Command, Compound, Connector, ParamOp, Part, Pipeline, Redirect, RedirectOp, Simple, Word};

fn parts(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|part| match part {
            Part::Text(text) => text.clone(),
            Part::Quoted(text) => format!("'{text}'"),
            Part::Double(inner) => format!("\"{}\"", self::parts(inner)),
            Part::Param(param) => {
                let op = match param.op {
                    ParamOp::Plain => "",
                    ParamOp::Length => return format!("${{#{}}}", param.name),
                    ParamOp::Default { colon: true } => ":-",
                    ParamOp::Default { colon: false } => "-",
                    ParamOp::Assign { colon: true } => ":=",
                    ParamOp::Assign { colon: false } => "=",
                    ParamOp::Error { colon: true } => ":?",
                    ParamOp::Error { colon: false } => "?",
                    ParamOp::Alternative { colon: true } => ":+",
                    ParamOp::Alternative { colon: false } => "+",
                    ParamOp::RemoveSuffix { largest: false } => "%",
                    ParamOp::RemoveSuffix { largest: true } => "%%",
                    ParamOp::RemovePrefix { largest: false } => "#",
                    ParamOp::RemovePrefix { largest: true } => "##",
                };
                format!("${{{}{op}{}}}", param.name, word(&param.word))
            }
            Part::Command(list) => format!("$({})", self::list(list)),
            Part::Arith(inner) => format!("$(({}))", self::parts(inner)),
            Part::Tilde(user) => format!("~{user}"),
        })
        .collect()
}

fn word(word: &Word) -> String {
    parts(&word.0)
}

fn redirect(redirect: &Redirect) -> String {
    let op = match redirect.op {
        RedirectOp::Read => "<",
        RedirectOp::Write => ">",
        RedirectOp::Clobber => ">|",
        RedirectOp::Append => ">>",
        RedirectOp::ReadWrite => "<>",
        RedirectOp::DupRead => "<&",
        RedirectOp::DupWrite => ">&",
        RedirectOp::HereDoc => "<<",
    };
    format!("{}{op}{}", redirect.fd, word(&redirect.target))
}

fn simple(command: &Simple) -> String {
    let assignments = command.assignments.iter().map(|a| format!("{}={}", a.name, word(&a.value)));
    let words = command.words.iter().map(word);
    let redirects = command.redirects.iter().map(redirect);
    format!("[{}]", assignments.chain(words).chain(redirects).collect::<Vec<_>>().join(" "))
}

fn compound(compound: &Compound) -> String {
    match compound {
        Compound::Group(body) => format!("{{ {} }}", list(body)),
        Compound::Subshell(body) => format!("( {} )", list(body)),
        Compound::If { branches, otherwise } => {
            let mut text = branches
                .iter()
                .map(|(condition, body)| format!("{} ? {}", list(condition), list(body)))
                .collect::<Vec<_>>()
                .join(" : ");
            if let Some(otherwise) = otherwise {
                text += &format!(" : {}", list(otherwise));
            }
            format!("(if {text})")
        }
        Compound::Loop { until, condition, body } => {
            format!("({} {} do {})", if *until { "until" } else { "while" }, list(condition), list(body))
        }
        Compound::For { name, words, body } => match words {
            Some(words) => {
                format!("(for {name} in {} do {})", words.iter().map(word).collect::<Vec<_>>().join(" "), list(body))
            }
            None => format!("(for {name} do {})", list(body)),
        },
        Compound::Case { word: subject, arms } => {
            let arms = arms
                .iter()
                .map(|arm| {
                    format!("{}) {}", arm.patterns.iter().map(word).collect::<Vec<_>>().join("|"), list(&arm.body))
                })
                .collect::<Vec<_>>()
                .join(" ;; ");
            format!("(case {} {arms})", word(subject))
        }
    }
}

fn command(command: &Command) -> String {
    match command {
        Command::Simple(command) => simple(command),
        Command::Compound(body, redirects) => {
            let mut text = compound(body);
            for r in redirects {
                text += &format!(" {}", redirect(r));
            }
            text
        }
        Command::Function { name, body } => {
            let mut text = format!("{name}() {}", compound(&body.body));
            for r in &body.redirects {
                text += &format!(" {}", redirect(r));
            }
            text
        }
    }
}

fn pipeline(pipeline: &Pipeline) -> String {
    let text = pipeline.commands.iter().map(command).collect::<Vec<_>>().join(" | ");
    if pipeline.negated { format!("! {text}") } else { text }
}

fn list(list: &List) -> String {
    list.items
        .iter()
        .map(|item| {
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
        })
        .collect::<Vec<_>>()
        .join(" ; ")
}

/// The tree of `source`, printed.
fn tree(source: &str) -> String {
    list(&parse(source).unwrap_or_else(|err| panic!("{source:?}: {err}")))
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
fn empty_input_and_comments() {
    assert_eq!(tree(""), "");
    assert_eq!(tree("\n\n\n"), "");
    assert_eq!(tree("  # indented comment\n"), "");
    assert_eq!(tree("echo hi # greet"), "[echo hi]");
    assert_eq!(tree("echo a#b '#'x \\#x"), "[echo a#b '#'x '#'x]");
    assert_eq!(tree("a;#c\nb"), "[a] ; [b]");
}

#[test]
fn quoting() {
    assert_eq!(tree("echo 'a  b' 'c\\d' 'a\nb'"), "[echo 'a  b' 'c\\d' 'a\nb']");
    assert_eq!(tree(r#"echo "a\"b" "a\\b" "\$x" "a\nb""#), r#"[echo "'a"b'" "'a\b'" "'$x'" "'a\nb'"]"#);
    assert_eq!(tree("echo \"a\\\nb\""), "[echo \"'ab'\"]");
    assert_eq!(tree("echo \"x$HOME/y\""), "[echo \"'x'${HOME}'/y'\"]");
    assert_eq!(tree("echo '' \"\""), "[echo '' \"\"]");
    assert_eq!(tree(r"echo a\ b \\ \*"), r"[echo a' 'b '\' '*']");
    assert_eq!(tree("echo ab\\\ncd"), "[echo abcd]");
    assert_eq!(tree("ec\\\nho x"), "[echo x]");
    assert_eq!(tree(r"echo a\"), r"[echo a'\']");
}

#[test]
fn parameters() {
    assert_eq!(tree("echo $HOME $x_1 ${PATH}"), "[echo ${HOME} ${x_1} ${PATH}]");
    assert_eq!(tree("echo $? $$ $! $# $0 $1 $@ $* $-"), "[echo ${?} ${$} ${!} ${#} ${0} ${1} ${@} ${*} ${-}]");
    assert_eq!(tree("echo $12 ${10}"), "[echo ${1}2 ${10}]");
    assert_eq!(tree("echo $ a$ $/ \"$\""), "[echo $ a$ $/ \"'$'\"]");
    assert_eq!(
        tree("echo ${x:-a b} ${x-y} ${x:=1} ${x?no} ${x:+$y}"),
        "[echo ${x:-a b} ${x-y} ${x:=1} ${x?no} ${x:+${y}}]"
    );
    assert_eq!(
        tree("echo ${#x} ${#} ${x%.*} ${x%%/*} ${x#a} ${x##*/}"),
        "[echo ${#x} ${#} ${x%.*} ${x%%/*} ${x#a} ${x##*/}]"
    );
    assert_eq!(tree("echo ${x:-'a}'} ${x:-\"}\"}"), "[echo ${x:-'a}'} ${x:-\"'}'\"}]");
    assert_eq!(tree("echo \"${x:-'a'}\" \"${x#'a'}\""), "[echo \"${x:-''a''}\" \"${x#'a'}\"]");
    assert_eq!(tree("echo ${x:-~/a}"), "[echo ${x:-~/a}]");
}

#[test]
fn bad_substitutions() {
    assert_eq!(error("echo ${x:y}"), "bad substitution");
    assert_eq!(error("echo ${}"), "bad substitution");
    assert_eq!(error("echo ${x"), "syntax error: unexpected end of file");
}

#[test]
fn command_substitutions() {
    assert_eq!(tree("echo $(ls -l) `pwd`"), "[echo $([ls -l]) $([pwd])]");
    assert_eq!(tree("echo \"$(echo \"a b\")\""), "[echo \"$([echo \"'a b'\"])\"]");
    assert_eq!(tree("echo $(echo $(echo x))"), "[echo $([echo $([echo x])])]");
    assert_eq!(tree("echo `echo \\`echo x\\``"), "[echo $([echo $([echo x])])]");
    assert_eq!(tree("echo $(case a in a) echo x;; esac)"), "[echo $((case a a) [echo x]))]");
    assert_eq!(tree("echo $(\n echo a\n echo b\n)"), "[echo $([echo a] ; [echo b])]");
    assert_eq!(tree("echo $( )"), "[echo $()]");
}

#[test]
fn arithmetic() {
    assert_eq!(tree("echo $((1 + 2)) $(( (a) * $b ))"), "[echo $((1 + 2)) $(( (a) * ${b} ))]");
    assert_eq!(tree("echo $((echo a) | cat)"), "[echo $(( [echo a] ) | [cat])]");
}

#[test]
fn tildes() {
    assert_eq!(tree("cd ~"), "[cd ~]");
    assert_eq!(tree("ls ~/bin ~root/x"), "[ls ~/bin ~root/x]");
    assert_eq!(tree("echo a~ '~' \\~ \"~\""), "[echo a~ '~' '~' \"'~'\"]");
    assert_eq!(tree("PATH=~/bin:~x/y:a~ cmd"), "[PATH=~/bin:~x/y:a~ cmd]");
}

#[test]
fn pipelines_and_lists() {
    assert_eq!(tree("a | b|c"), "[a] | [b] | [c]");
    assert_eq!(tree("! a | b"), "! [a] | [b]");
    assert_eq!(tree("a&&b||c"), "[a] && [b] || [c]");
    assert_eq!(tree("a &&\n\n b"), "[a] && [b]");
    assert_eq!(tree("a |\n b"), "[a] | [b]");
    assert_eq!(tree("a; b & c"), "[a] ; [b] & ; [c]");
    assert_eq!(tree("a\nb\n"), "[a] ; [b]");
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
    assert_eq!(tree("echo >> log 2>&1 >|f 3<>g <&- 9>&2"), "[echo 1>>log 2>&1 1>|f 3<>g 0<&- 9>&2]");
    assert_eq!(tree("> f"), "[1>f]");
    assert_eq!(tree("echo 2 > f a2>f '2'>f"), "[echo 2 a2 '2' 1>f 1>f 1>f]");
    assert_eq!(tree("{ a; } >f 2>&1"), "{ [a] } 1>f 2>&1");
}

#[test]
fn assignments() {
    assert_eq!(tree("A=1 B= cmd x=y"), "[A=1 B= cmd x=y]");
    assert_eq!(tree("A=\"a b\" cmd"), "[A=\"'a b'\" cmd]");
    assert_eq!(tree("1A=x =y 'A'=z"), "[1A=x =y 'A'=z]");
    assert_eq!(tree("A=1 >f B=2"), "[A=1 B=2 1>f]");
}

#[test]
fn here_documents() {
    assert_eq!(tree("cat <<EOF\nhello $x\nEOF\necho after"), "[cat 0<<'hello '${x}'\n'] ; [echo after]");
    assert_eq!(tree("cat <<'EOF'\nhello $x\nEOF"), "[cat 0<<'hello $x\n']");
    assert_eq!(tree("cat <<\"E\"O\\F\n$x\nEOF"), "[cat 0<<'$x\n']");
    assert_eq!(tree("cat <<-EOF\n\t\ta\n\tEOF\n"), "[cat 0<<'a\n']");
    assert_eq!(tree("cat <<A <<B\na\nA\nb\nB\n"), "[cat 0<<'a\n' 0<<'b\n']");
    assert_eq!(tree("cat <<A; cat <<B\na\nA\nb\nB\n"), "[cat 0<<'a\n'] ; [cat 0<<'b\n']");
    assert_eq!(tree("if true; then\ncat <<E\nx\nE\nfi"), "(if [true] ? [cat 0<<'x\n'])");
    assert_eq!(tree("cat <<E\n\\$a \\b `echo x`\nE"), "[cat 0<<'$a \\b '$([echo x])'\n']");
    assert_eq!(tree("cat <<E"), "[cat 0<<]");
    assert_eq!(tree("cat <<E\nno end"), "[cat 0<<'no end\n']");
    assert_eq!(tree("f() { cat <<E\nbody\nE\n}"), "f() { [cat 0<<'body\n'] }");
}

#[test]
fn compound_commands() {
    assert_eq!(tree("{ a; b; }"), "{ [a] ; [b] }");
    assert_eq!(tree("(a; b) | c"), "( [a] ; [b] ) | [c]");
    assert_eq!(tree("if a; then b; fi"), "(if [a] ? [b])");
    assert_eq!(tree("if a\nthen\n b\nelif c; then d; else e; fi"), "(if [a] ? [b] : [c] ? [d] : [e])");
    assert_eq!(tree("while a; do b; done"), "(while [a] do [b])");
    assert_eq!(tree("until a\ndo\nb\ndone"), "(until [a] do [b])");
    assert_eq!(tree("for i in 1 2; do echo $i; done"), "(for i in 1 2 do [echo ${i}])");
    assert_eq!(tree("for i\ndo echo; done"), "(for i do [echo])");
    assert_eq!(tree("for i; do echo; done"), "(for i do [echo])");
    assert_eq!(tree("for i in; do echo; done"), "(for i in  do [echo])");
    assert_eq!(tree("case $x in a|b) x;; (c) y;; *) ;; esac"), "(case ${x} a|b) [x] ;; c) [y] ;; *) )");
    assert_eq!(tree("case x in\n a) b\nesac"), "(case x a) [b])");
    assert_eq!(tree("case x in esac"), "(case x )");
    assert_eq!(tree("f() { echo; }"), "f() { [echo] }");
    assert_eq!(tree("f ()\n(echo) >&2"), "f() ( [echo] ) 1>&2");
    assert_eq!(tree("echo if then; if=1"), "[echo if then] ; [if=1]");
    assert_eq!(tree("{ echo }; }"), "{ [echo }] }");
}

#[test]
fn nesting() {
    assert_eq!(
        tree("for i in a b\ndo\n  if [ $i = a ]; then\n    while false; do :; done\n  fi\ndone"),
        "(for i in a b do (if [[ ${i} = a ]] ? (while [false] do [:])))"
    );
}

#[test]
fn syntax_errors() {
    assert_eq!(error("|"), "syntax error near unexpected token '|'");
    assert_eq!(error("a | | b"), "syntax error near unexpected token '|'");
    assert_eq!(error("; a"), "syntax error near unexpected token ';'");
    assert_eq!(error("a ;; b"), "syntax error near unexpected token ';;'");
    assert_eq!(error("a )"), "syntax error near unexpected token ')'");
    assert_eq!(error("echo a (b)"), "syntax error near unexpected token '('");
    assert_eq!(error("if a; then fi"), "syntax error near unexpected token 'fi'");
    assert_eq!(error("fi"), "syntax error near unexpected token 'fi'");
    assert_eq!(error("echo >\nfile"), "syntax error near unexpected token 'newline'");
    assert_eq!(error("{ }"), "syntax error near unexpected token '}'");
    assert_eq!(error("1f() { :; }"), "syntax error: bad function name '1f'");
}

#[test]
fn deep_nesting_is_refused() {
    // Debug builds take far more stack per level than the release shell: the
    // check runs on a thread with room for the levels allowed.
    let check = || {
        let deep = |open: &str, close: &str| format!("{}{}", open.repeat(5000), close.repeat(5000));
        for source in
            [deep("(", ")"), deep("{ ", "; }"), deep("echo $(", ")"), deep("echo \"${x:-", "}\""), deep("$((", "))")]
        {
            assert_eq!(error(&source), "syntax error: nested too deeply", "{}", &source[..20]);
        }
        let nested = format!("{}echo{}", "( ".repeat(150), " )".repeat(150));
        assert!(parse(&nested).is_ok(), "150 levels are fine");
    };
    std::thread::Builder::new().stack_size(64 << 20).spawn(check).unwrap().join().unwrap();
}

#[test]
fn incomplete_input() {
    for source in [
        "echo 'abc",
        "echo \"abc",
        "a |",
        "a &&",
        "if a; then b",
        "while a",
        "for i in a",
        "case x in",
        "{ a",
        "( a",
        "echo $(a",
        "echo `a",
        "echo ${a",
        "echo $((1",
        "f()",
    ] {
        assert_eq!(parse(source), Err(ParseError::Incomplete), "{source:?}");
    }
}

#[test]
fn a_parser_gives_one_command_at_a_time_and_waits_for_more() {
    let mut parser = Parser::new("echo a\nif true\n");
    let none = |_: &str| None;
    assert_eq!(list(&parser.next_command(&none).unwrap().unwrap()), "[echo a]");
    assert_eq!(parser.next_command(&none), Err(ParseError::Incomplete));
    parser.feed("then echo \\\n");
    assert_eq!(parser.next_command(&none), Err(ParseError::Incomplete));
    parser.feed("b\n");
    assert_eq!(parser.next_command(&none), Err(ParseError::Incomplete));
    parser.feed("fi\n");
    assert_eq!(list(&parser.next_command(&none).unwrap().unwrap()), "(if [true] ? [echo b])");
    assert_eq!(parser.next_command(&none), Err(ParseError::Incomplete));
    parser.feed("cat <<E\n");
    assert_eq!(parser.next_command(&none), Err(ParseError::Incomplete));
    parser.feed("x\nE\n");
    assert_eq!(list(&parser.next_command(&none).unwrap().unwrap()), "[cat 0<<'x\n']");
    parser.feed("echo unended");
    parser.finish();
    assert_eq!(list(&parser.next_command(&none).unwrap().unwrap()), "[echo unended]");
    assert_eq!(parser.next_command(&none), Ok(None));
}

#[test]
fn aliases() {
    let aliases = |name: &str| match name {
        "ll" => Some("ls -l".to_string()),
        "a" => Some("b ".to_string()),
        "b" => Some("echo".to_string()),
        "loop" => Some("loop x".to_string()),
        "two" => Some("echo 1; echo 2".to_string()),
        _ => None,
    };
    let tree = |source: &str| list(&parse_with(source, &aliases).unwrap());
    assert_eq!(tree("ll /"), "[ls -l /]");
    assert_eq!(tree("echo ll; 'll'"), "[echo ll] ; ['ll']");
    assert_eq!(tree("a b"), "[echo echo]");
    assert_eq!(tree("loop"), "[loop x]");
    assert_eq!(tree("two | cat"), "[echo 1] ; [echo 2] | [cat]");
    assert_eq!(tree("X=1 ll"), "[X=1 ls -l]");
}
