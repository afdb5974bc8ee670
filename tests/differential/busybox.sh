#!/bin/sh
# tests/differential/busybox.sh [BUSYBOX]: Debian's busybox-static under Linux and
# under Kestrel, for tests/differential.rs to compare; run as `busybox sh
# busybox.sh`, or by another shell with the busybox binary as argument. Every
# command is a busybox applet (PATH holds only their links) or a builtin of the
# shell. Each check prints `check NN name: LINE` for each line of its output (and
# `[exit N]` for a failing status); values that depend on the machine (pids,
# times, temporary paths, owners, kernel names and releases) are reduced to what
# must hold on both. It works in a fresh folder under /tmp; its last line is `done`.
set -eu
exec </dev/null
# check NAME CODE (tests/checks.sh, in the folder above this one in the image too).
. "${0%/*}/../checks.sh"
bb=${1:-$(readlink /proc/$$/exe)}
work=$("$bb" mktemp -d /tmp/busybox-diff.XXXXXX)
"$bb" mkdir "$work/bin"
"$bb" --install -s "$work/bin"
export PATH="$work/bin" TZ=UTC LC_ALL=C HOME=/
umask 022
cd "$work"

# ---- the shell itself
check echo 'echo hello   world; echo -n no-newline; echo " end"'
check printf 'printf "%s-%d-%05.2f-%x-%o-%c|%5s|%-5s|\n" abc 42 3.14159 255 8 xyz ab cd'
check printf-escapes 'printf "a\\tb\\\\c\\101\\n"; printf "%b\n" "x\\ny"'
check arithmetic 'echo $((7 * 6)) $((17 % 5)) $((1 << 4)) $(((3 + 4) * 2)) $((0x1f)) $((-7 / 2)) $((010)) $((5 > 3))'
check expansion 'v=hello.tar.gz; echo ${v%.*} ${v%%.*} ${v#*.} ${v##*.} ${#v} ${unset_var:-default} ${v:+set}'
check for 'for i in 1 2 3; do printf "%s," $i; done; echo'
check while-until 'i=0; while [ $i -lt 5 ]; do i=$((i + 1)); done; until [ $i -le 0 ]; do i=$((i - 2)); done; echo $i'
check loop-1000 'i=0; s=0; while [ $i -lt 1000 ]; do i=$((i + 1)); s=$((s + i)); done; echo $s'
check break-continue 'for i in 1 2 3 4 5; do [ $i = 2 ] && continue; [ $i = 4 ] && break; echo $i; done'
check case 'for w in apple Banana 42 x.c ""; do case $w in a*) echo "$w: a-word";; [A-Z]*) echo "$w: capital";; *[0-9]) echo "$w: number";; *.c|*.h) echo "$w: C";; *) echo "empty";; esac; done'
check functions 'fact() { if [ $1 -le 1 ]; then echo 1; else echo $(($1 * $(fact $(($1 - 1))))); fi; }; fact 10'
check function-status 'f() { local x=inner; echo $x; return 3; }; x=outer; f; echo "status $? x $x"'
check positional 'set -- a "b c" d; echo $#; for a in "$@"; do echo "[$a]"; done; shift 2; echo $1 $#'
check ifs 'IFS=:; set -- $(echo a:b::c); echo $#; IFS=" "; echo "$*"'
check heredoc 'name=world; cat <<END
hello $name $((1 + 1))
END
cat <<"END"
literal $name
END'
check read 'read -r a b rest <<END
one two three four \\ five
END
echo "$a|$b|$rest"'
check subshell 'x=1; (x=2; echo in $x); echo out $x; { x=3; }; echo group $x'
check command-substitution 'echo $(echo $(echo deep) nested) `echo back`'
check pipeline-status 'false | true; echo $?; true | false; echo $?; ! false; echo $?'
check and-or 'true && echo yes || echo no; false && echo yes || echo no; false || false || echo third'
check not-found '(nosuch_command_xyz) 2>err; echo $?; sed "s|^[^ ]*\\.sh: \\(eval: \\)\\{0,1\\}line [0-9]*:|SCRIPT:|" err'
check exit-status 'sh -c "exit 42"; echo $?; sh -c "set -e; false; echo not reached"; echo $?'
check eval-exec 'eval "a=1; b=\$((a + 1))"; echo $a $b; sh -c "exec echo replaced; echo not reached"'
check redirections 'exec 3>fd3; echo to-three >&3; exec 3>&-; echo more >>fd3; cat fd3; { echo out; echo err >&2; } 2>&1 >/dev/null; cat <fd3 | wc -l'
check glob 'touch a1 a2 b1 .hidden; echo a*; echo [ab]1; echo nomatch*; echo .h*; rm a1 a2 b1 .hidden'
check getopts 'f() { OPTIND=1; while getopts "ab:c" o "$@"; do echo "$o ${OPTARG:-}"; done; shift $((OPTIND - 1)); echo "rest $*"; }; f -a -b val -c file1 file2'
check test 'test 3 -lt 10 && echo lt; [ abc = abc ] && echo eq; [ -n "" ] || echo empty; [ -d /tmp ] && echo dir; [ ! -e /nonexistent ] && echo absent'
check source 'echo "greet() { echo hi \$1; }" >lib.sh; . ./lib.sh; greet there; rm lib.sh'
check tilde-ppid 'echo ~; case $PPID in ""|*[!0-9]*) echo bad ppid;; *) echo ppid numeric;; esac'
check command-v 'command -v cd; command -v echo; type true | head -n 1'

# ---- signals, jobs and processes
check background 'sleep 0.2 & p=$!; case $p in *[!0-9]*) echo bad;; *) echo pid numeric;; esac; wait $p; echo waited $?'
check background-status '(exit 3) & wait $!; echo $?; sh -c "exit 5" & wait $!; echo $?'
check parallel-jobs 'for i in 1 2 3; do (echo job $i >job$i) & done; wait; cat job1 job2 job3; rm job1 job2 job3'
check kill-term 'sleep 10 & p=$!; kill $p; wait $p 2>/dev/null; echo $?'
check kill-signals 'sleep 10 & p=$!; kill -0 $p && echo alive; kill -s KILL $p; wait $p 2>/dev/null; echo $?; kill -l 15; kill -l 9'
check self-signals 'sh -c "kill -9 \$\$"; echo $?; sh -c "kill -TERM \$\$"; echo $?'
check trap 'sh -c "trap \"echo got USR1\" USR1; kill -USR1 \$\$; echo after"'
check trap-exit 'sh -c "trap \"echo bye\" EXIT; echo hi; exit 7"; echo $?'
check trap-ignore 'sh -c "trap \"\" TERM; kill -TERM \$\$; echo survived"'
check sigpipe 'yes | head -n 3; yes | (head -n 1 >/dev/null); echo done'
check stopped-child 'sleep 5 & p=$!; kill -STOP $p; kill -CONT $p; kill $p; wait $p 2>/dev/null; echo $?'
check timeout 'timeout 1 sleep 5; echo $?; timeout 5 true; echo $?'
check sleep 'a=$(date +%s); sleep 1; b=$(date +%s); d=$((b - a)); [ $d -ge 1 ] && [ $d -le 3 ] && echo slept about a second'
check ps 'sleep 5 & p=$!; i=0; while [ "$(cat /proc/$p/comm)" != sleep ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done; ps -o pid,ppid,comm | awk -v p=$p "\$1 == p { print \"listed\", \$3 }"; kill $p; ps | head -n 1'
check proc-self 'readlink /proc/self/exe | sed "s|.*/||"; cat /proc/self/cmdline | tr "\\0" " "; echo; cat /proc/$$/comm; sed -n "s/^State:.//p" /proc/self/status'
check process-group 'sleep 5 & p=$!; [ "$(cut -d" " -f5 /proc/$p/stat)" = "$(cut -d" " -f5 /proc/$$/stat)" ] && echo child in the shell group; kill $p; wait $p 2>/dev/null
cat >sid.sh <<"END"
set -- $(cat /proc/$$/stat)
[ "$5" = $$ ] && [ "$6" = $$ ] && echo leads its group and session
END
setsid sh sid.sh'
check times 'sh -c "i=0; while [ \$i -lt 50000 ]; do i=\$((i + 1)); done"; times >times.out; sed "s/[0-9]/N/g" times.out; tail -n 1 times.out | tr -dc 1-9 | grep -q . && echo children used CPU time'
check renice 'cat >renice.sh <<"END"
renice -n 5 -p $$ && awk "{ print \$18, \$19 }" /proc/$$/stat
END
sh renice.sh'
check ulimit '(ulimit -n 64; ulimit -n); (ulimit -s 4096; ulimit -s)'
check env 'env -i A=1 B=2 env; X=5 sh -c "echo X=\$X"; cd / && env -i sh -c env | sort'
check id 'u=$(id -u); g=$(id -g); touch owned; [ "$(stat -c %u:%g owned)" = "$u:$g" ] && echo owns new files; id -G | grep -qw "$g" && echo in own group; rm owned'
check uname 'uname -s | grep -c .; [ "$(uname -s)" = "$(cat /proc/sys/kernel/ostype)" ] && echo ostype agrees; uname -m; uname -r | grep -c "^[0-9]"'
check hostname 'hostname | grep -c .'
check tty 'tty; echo $?'
check proc-fd 'readlink /proc/self/fd/0 || echo no link for fd 0; readlink /proc/self/fd/1 | tr -d 0-9'
check uptime 'uptime | grep -c "load average"; free | head -n 1'

# ---- time
check date-epoch 'date -d @0 -u; date -u -d @1700000000 "+%Y-%m-%d %H:%M:%S %a %j"'
check date-now 'y=$(date +%Y); [ $y -ge 2024 ] && echo year ok; date +%s | grep -c "^[0-9]*$"'
check date-tz 'TZ=JST-9 date -d @0 "+%H:%M %Z"; TZ=EST5EDT date -d @1720000000 "+%F %T %Z"'
check cal 'cal 2 2024'
check date-parse 'date -u -d "2024-02-29 12:34:56" +%s; date -u -d "2024-02-29 12:34:56" "+%A %B %d %U"'

# ---- text tools
printf 'banana 3\napple 10\ncherry 7\napple 10\ndate 1\n' >fruit
check big-pipes 'seq 100000 | md5sum; seq 100000 | sort -rn | head -n 1; head -c 1048576 /dev/zero | gzip -c | wc -c'
check seq 'seq 5 | tr "\n" " "; echo; seq -s, 10 -3 1; seq 2 0.5 4 | tr "\n" " "; echo'
check sed 'sed -n 2p fruit; sed "s/a/A/g" fruit | head -n 2; sed -e 1d -e "\$a\\
end" fruit | tail -n 2; sed -n "/cherry/,/date/p" fruit'
check sed-inplace 'cp fruit f2; sed -i "s/^\\([a-z]*\\) \\([0-9]*\\)/\\2:\\1/" f2; cat f2; rm f2'
check awk 'awk "{ s += \$2 } END { print s, NR }" fruit; awk "\$2 > 5 { print \$1 }" fruit; echo a:b:c | awk -F: "{ print \$2, NF }"'
check awk-functions 'awk "function sq(x) { return x * x } BEGIN { printf \"%d %s %d %5.2f|%-4s|%c\n\", sq(12), toupper(\"abc\"), length(\"hello\"), 10 / 4, \"ab\", 65 }"'
check awk-arrays 'awk "{ c[\$1]++ } END { for (k in c) print k, c[k] }" fruit | sort; awk "BEGIN { n = split(\"x,y,z\", a, \",\"); print n, a[3]; s = \"foo bar\"; gsub(/o/, \"0\", s); print s, substr(s, 2, 3), index(s, \"b\") }"'
check grep 'grep -c apple fruit; grep -v a fruit; grep -n -i CHERRY fruit; grep -E "^(b|d)" fruit; grep -o "[0-9][0-9]*" fruit | tr "\n" " "; echo; grep -q nothing fruit; echo $?'
check grep-files 'mkdir -p g/sub; echo needle >g/one; echo hay >g/two; echo needle >g/sub/three; grep -rl needle g | sort; grep -L needle g/one g/two; rm -r g'
check sort 'sort fruit; sort -k2 -n fruit | head -n 2; sort -r -u fruit | head -n 2; printf "b:2\na:10\nc:1\n" | sort -t: -k2n'
check uniq 'sort fruit | uniq -c; sort fruit | uniq -d'
check cut 'cut -d" " -f2 fruit | tr "\n" " "; echo; cut -c2-4 fruit | head -n 2; echo a:b:c:d | cut -d: -f2,4'
check tr 'echo Hello World | tr a-z A-Z; echo hello | tr -d l; echo "a   b    c" | tr -s " "; echo abc | tr abc xyz'
check wc 'wc fruit; wc -l <fruit; echo one two three | wc -w; printf abc | wc -c'
check head-tail 'head -n 2 fruit; tail -n 2 fruit; tail -c 7 fruit; head -c 6 fruit; echo; tail -n +4 fruit'
check od 'printf "AB\n\001\377" | od -c; printf "hello" | od -An -tx1; printf "\001\002\003\004" | od -An -tu4'
check hexdump 'printf "0123456789abcdefXYZ" | hexdump -C; printf "hi\n" | xxd'
check digests 'printf abc | md5sum; printf abc | sha1sum; printf abc | sha256sum; printf abc | sha512sum | cut -c1-32; md5sum fruit'
check expr 'expr 3 + 4; expr 7 \* 6; expr length hello; expr substr hello 2 3; expr 5 \> 3; expr abc : "a\\(.*\\)"; expr 1 = 2; echo $?'
check base64 'echo "Kestrel differential" | base64; echo S2VzdHJlbA== | base64 -d; echo'
check tac-rev-nl 'tac fruit | head -n 2; echo stressed | rev; nl -ba fruit | tail -n 1'
check paste-fold 'seq 6 | paste - - -; echo abcdefghij | fold -w 4; printf "a\tb\n" | expand -t 4'
check xargs 'seq 5 | xargs -n 2 echo; echo a b c | xargs -I{} echo "[{}]"; printf "x\ny\n" | xargs sh -c "echo \$# args"'
check tee-yes 'yes abc | head -n 2 | tee teed; cat teed; rm teed'
check diff-cmp 'printf "a\nb\nc\n" >d1; printf "a\nB\nc\n" >d2; diff -u d1 d2 | tail -n +3; cmp d1 d2; echo $?; cmp d1 d1 && echo same; rm d1 d2'
check strings 'printf "\001\002printable text\003\004ab\005" >binary; strings binary; rm binary'
check dc-factor 'echo "2 3 + 4 * p" | dc; factor 360; echo "scale=3; 10 / 3" | bc'
check basename-dirname 'basename /a/b/c.txt .txt; dirname /a/b/c.txt; basename /; dirname rel'

# ---- files
check mkdir-ls 'mkdir -p d/e/f; mkdir d/g; touch d/z d/a; ls d; ls -a d; ls -p d; ls -R d'
check mkdir-errors 'mkdir d; echo $?; rmdir d; echo $?; mkdir nosuch/x; echo $?'
check cp-mv 'echo data >src; cp src dst; mv dst moved; cat moved; ls src dst moved; echo $?'
check cp-r 'cp -r d d2; find d2 | sort; rm -r d2'
check cp-p 'echo x >p1; chmod 640 p1; touch -d "2024-03-04 05:06:07" p1; cp -p p1 p2; stat -c "%a %Y %s %F" p1 p2'
check touch-stat 'touch -d "2023-12-31 23:59:59" t; stat -c "%Y %s %h %F" t; date -u -r t "+%F %T"; touch -r t t2; stat -c %Y t2'
check chmod 'touch m; chmod 755 m; stat -c "%a %A" m; chmod go-rx m; stat -c %A m; chmod u=rw,g=r,o= m; stat -c %a m; chmod -R 700 d; stat -c %a d/e/f'
check ln 'echo target >tgt; ln tgt hard; stat -c %h tgt; ln -s tgt soft; readlink soft; cat soft; stat -c %F soft; stat -L -c %F soft; [ -L soft ] && echo is link'
check symlink-paths 'mkdir -p real/inner; ln -s real/inner lnk; cd lnk; pwd | sed "s|^$work|W|"; pwd -P | sed "s|^$work|W|"; cd ..; readlink -f lnk | sed "s|^$work|W|"; realpath lnk/../inner 2>&1 | sed "s|^$work|W|"'
check symlink-loop 'ln -s loop loop; cat loop; echo $?; ln -s dangling-target dangling; cat dangling; echo $?; [ -e dangling ] || echo dangling missing'
check rm 'touch r1 r2; rm r1; ls r1; rm -f r1 && echo forced; mkdir -p rr/x; rm rr; echo $?; rm -r rr; ls rr; echo $?'
check rmdir-nonempty 'mkdir -p ne/x; rmdir ne; echo $?; rmdir ne/x ne && echo removed'
check long-name 'nm=n; i=0; while [ $i -lt 300 ]; do nm=${nm}x; i=$((i + 1)); done; touch $nm; echo $?'
check ls-long 'mkdir ll; echo abc >ll/f; chmod 600 ll/f; ln -s f ll/s; touch -h -d "2024-01-02 03:04:05" ll/f ll/s; ls -ln ll | grep -v "^total" | awk "{ \$3 = \"U\"; \$4 = \"G\"; print }"'
check ls-sort 'echo 1 >s1; echo 12345 >s2; touch -d "2020-01-01" s1; touch -d "2021-01-01" s2; ls -t s1 s2; ls -S s1 s2; ls -r s1 s2'
check find 'mkdir -p fd/a/b; touch fd/x.txt fd/a/y.txt fd/a/b/z.c; find fd | sort; find fd -name "*.txt" | sort; find fd -type d | sort; find fd -maxdepth 1 -type f'
check find-exec 'find fd -name "*.c" -exec echo found {} \;; find fd -type f -newer fd/x.txt | sort; echo 12345 >fd/big; find fd -size +0 -type f'
check du 'seq 2000 | head -c 10000 >du1; du -k du1; du -b du1; mkdir dd; cp du1 dd/; du -ab dd | grep du1'
check truncate-dd 'truncate -s 100 tr; stat -c %s tr; dd if=/dev/zero of=sp bs=1 count=1 seek=99999 2>/dev/null; stat -c %s sp; dd if=/dev/zero bs=512 count=4 2>&1 >/dev/null | grep records; head -c 5000 /dev/urandom | wc -c'
check mkfifo 'mkfifo ff; stat -c %F ff; (echo through fifo >ff) & cat ff; wait'
check mktemp 'f=$(mktemp -p . tmp.XXXXXX); case $f in ./tmp.??????) echo pattern ok;; *) echo "$f";; esac; [ -f "$f" ] && stat -c %a "$f"'
check umask '(umask 027; touch um; mkdir umd; stat -c %a um umd; umask)'
check dev-numbers 'stat -c "%n %F %t:%T" /dev/null /dev/zero /dev/urandom'
check dev 'head -c 3 /dev/zero | od -An -tx1; echo gone >/dev/null; cat /dev/null | wc -c; stat -c %F /dev/null'
check file-errors 'cat nosuch; echo $?; cp nosuch x; echo $?; mv nosuch x; echo $?; (cd nosuch) 2>err; echo $?; sed "s|^[^ ]*\\.sh: \\(cd: \\)\\{0,1\\}line [0-9]*:|SCRIPT:|" err'
check big-file 'dd if=/dev/zero of=big bs=65536 count=128 2>/dev/null; wc -c <big; md5sum big; truncate -s 10 big; od -An -tx1 big; rm big'
check sync 'sync && echo synced'

# ---- archives
mkdir -p arch/sub
printf 'first file\n' >arch/one.txt
seq 1000 >arch/sub/numbers
ln -s one.txt arch/link
check tar 'tar cf a.tar arch; tar tf a.tar | sort; mkdir x1; tar xf a.tar -C x1; cmp arch/sub/numbers x1/arch/sub/numbers && echo same; readlink x1/arch/link'
check tar-no-gzip 'PATH=/nonexistent "$bb" tar czf nogz.tgz arch'
check tar-gz 'tar czf a.tgz arch; tar tzf a.tgz | sort | head -n 2; mkdir x2; cd x2; tar xzf ../a.tgz; md5sum arch/one.txt arch/sub/numbers'
check gzip 'cp arch/sub/numbers nums; gzip nums; ls nums*; gzip -t nums.gz && echo intact; gunzip nums.gz; md5sum nums; echo hello | gzip -c | md5sum; echo hello | gzip -c | gunzip -c'
check bzip2-xz 'seq 500 | bzip2 -c | bunzip2 -c | md5sum; seq 500 | lzop -c | lzop -dc | tail -n 1'
check cpio 'find arch | sort | cpio -o -H newc >a.cpio 2>/dev/null; cpio -t <a.cpio 2>/dev/null; mkdir x3; cd x3; cpio -i -d <../a.cpio 2>&1; cat arch/one.txt'

cd /
rm -rf "$work"
echo done
