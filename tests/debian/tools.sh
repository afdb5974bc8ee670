#!/bin/sh
# tests/debian/tools.sh BINDIR: Debian's dash, coreutils, grep, sed and gawk under
# Linux and under Kestrel, for tests/debian.rs to compare; run by Debian's dash
# with BINDIR, the folder of Debian's programs (/usr/bin in Kestrel's image), as
# the only folder on PATH. Each check prints `check NN name: LINE` for each line
# of its output (and `[exit N]` for a failing status). It works in a fresh folder
# made by mktemp (under TMPDIR, a tmpfs on both sides: file and folder sizes and
# block counts are the file system's); every time it shows is set by touch, in
# UTC. Its last line is `done`.
set -eu
exec </dev/null
# check NAME CODE (tests/checks.sh, in the folder above this one in the image too).
. "${0%/*}/../checks.sh"
export PATH="$1" TZ=UTC0 LC_ALL=C
umask 022
work=$(mktemp -d)
cd "$work"

# ---- dash itself
check dash-expansion 'v=archive.tar.gz; echo ${v%.*} ${v%%.*} ${v#*.} ${v##*.} ${#v} ${unset:-default} $((6 * 7)) $((0x10 + 010))'
check dash-functions 'fib() { if [ $1 -lt 2 ]; then echo $1; else echo $(( $(fib $(($1 - 1))) + $(fib $(($1 - 2))) )); fi; }; fib 12'
check dash-control 'for w in apple Banana 42 x.c; do case $w in a*) echo "$w a";; [A-Z]*) echo "$w A";; *[0-9]) echo "$w 9";; *) echo "$w ?";; esac; done; i=0; while [ $i -lt 100 ]; do i=$((i + 3)); done; echo $i'
check dash-heredoc-read 'cat <<END | { read -r a b rest; echo "[$a][$b][$rest]"; }
one two three  four
END'
check dash-subshell-status 'x=outer; (x=inner; exit 3); echo "status $? x $x"; false || echo or; true && echo and'
check dash-redirection 'echo one >f; echo two >>f; cat <f; exec 3<f; read -r l <&3; echo "fd3 $l"; exec 3<&-; wc -l <f'
check dash-trap 'dash -c "trap \"echo trapped\" USR1; kill -USR1 \$\$; trap - USR1; echo after"; dash -c "kill -TERM \$\$"; echo "status $?"'
check dash-pipeline 'seq 1 2000 | tail -n 3 | tr "\n" " "; echo; yes | head -n 2'

# ---- coreutils
mkdir dir sub
printf 'hello\n' >dir/a.txt
seq 1 3000 >dir/numbers
printf '#!/bin/sh\n' >dir/script
chmod 755 dir/script
chmod 600 dir/a.txt
mkdir dir/inner
ln -s a.txt dir/link
touch -d '2024-02-29 12:34:56' dir/a.txt dir/numbers dir/script dir/inner
touch -h -d '2023-01-01 00:00:00' dir/link
touch -d '2020-05-17 08:00:00' dir
check ls-l 'ls -l dir'
check ls-la-inner 'ls -la dir/inner'
check ls-options 'ls -1 dir; ls -F dir; ls -S dir; ls -t dir | head -n 2; ls -d dir/*t*'
check ls-l-full-time 'ls -l --full-time dir/a.txt; ls -lL dir/link'
check stat 'stat -c "%n %s %a %F %Y %h" dir/a.txt dir/numbers dir/link dir/inner'
printf 'pear 3\napple 10\nbanana 2\nApple 1\ncherry 10\napple 10\n' >fruit
check sort 'sort fruit; sort -u fruit; sort -r fruit; sort -f fruit'
check sort-keys 'sort -k2,2n -k1,1 fruit; sort -t " " -k2 -rn fruit; sort -s -k2,2n fruit'
check sort-numbers 'printf "10\n9\n-3\n1e2\n0x10\n2.5\n 7\n" | sort -n; printf "1K\n2M\n3\n1G\n" | sort -h; printf "v1.10\nv1.9\nv1.2\n" | sort -V'
check sort-big 'seq 20000 | sort -r | head -n 3; seq 20000 | sort -R --random-source=dir/numbers | sort -n | tail -n 1; seq 50000 | sort -n -S 64K | sha256sum'
check sha256sum 'sha256sum dir/a.txt dir/numbers; printf "" | sha256sum; seq 100000 | sha256sum'
check sha256sum-check 'sha256sum dir/a.txt dir/numbers >sums; sha256sum -c sums; echo changed >dir/a.txt; sha256sum -c sums; echo hello >dir/a.txt'
check checksums 'md5sum dir/numbers; sha1sum dir/numbers; b2sum -l 128 dir/numbers; cksum dir/numbers'
check text-tools 'head -n 2 fruit; tail -c 8 fruit; cut -d " " -f 2 fruit | paste -sd+; tr a-z A-Z <fruit | uniq -c; wc fruit; nl -ba fruit | tail -n 1'
check files 'cp -p dir/numbers copy; [ "$(tail -n 1 copy)" = 3000 ] && echo same; stat -c "%Y %a" copy; mv copy moved; ln moved hard; stat -c "%h %s" moved; rm moved hard; ls copy moved 2>&1; mkdir -p x/y/z; rmdir -p x/y/z; ls -d x 2>&1'
check dd-truncate 'dd if=/dev/zero of=zeros bs=4096 count=5 status=noxfer 2>&1; stat -c %s zeros; truncate -s 1000 zeros; stat -c %s zeros; od -An -tx1 -N4 zeros; rm zeros'
check printf-expr 'printf "%5.2f|%-4s|%04d|%x\n" 3.14159 ab 42 255; expr 6 \* 7; expr length hello; basename /a/b/c.txt .txt; dirname /a/b/c.txt'
check date 'date -u -d "2024-02-29 12:34:56" "+%Y-%m-%d %H:%M:%S %j %a %s"; date -u -d @0; date -u -d "2000-01-01 + 40 days" +%F'
check df-du 'du -sk dir/numbers; du -sh --apparent-size dir'

# ---- grep
printf 'alpha 1\nBeta 22\ngamma 333\ndelta\nalphabet soup\n' >words
check grep 'grep alpha words; grep -c a words; grep -v a words; grep -i beta words; grep -n "^[a-z]*$" words'
check grep-regex 'grep -E "[0-9]{2,}" words; grep -o "[0-9]\+" words; grep -w alpha words; grep -x delta words; grep -P "\d{3}" words'
check grep-files 'grep -l alpha words fruit; grep -L alpha words fruit; grep -H -m 1 a words fruit; grep -r --include=*.txt hello . ; grep -rc 1 dir | sort'
check grep-status 'grep nosuch words; echo $?; grep x nosuchfile; echo $?; grep -q alpha words; echo $?'
check grep-context 'seq 1 20 | grep -A1 -B1 -e 5 -e 15; seq 1 100000 | grep -c 7'

# ---- sed
check sed 'sed "s/a/A/g" words; sed -n "2,3p" words; sed "/^d/d" words; sed -E "s/([a-z]+) ([0-9]+)/\2:\1/" words'
check sed-commands 'sed -e "1i\\
first" -e "\$a\\
last" -e "3c\\
changed" words; sed "y/abc/xyz/" words; sed = words | sed "N;s/\n/ /"'
check sed-hold 'sed -n "1!G;h;\$p" words; printf "a\nb\nc\nd\n" | sed "N;P;D"'
check sed-in-place 'cp words w2; sed -i.bak "s/alpha/omega/" w2; cat w2 w2.bak | sort | uniq -c; rm w2 w2.bak'
check sed-big 'seq 1 50000 | sed -n "/99$/p" | wc -l; seq 1 20000 | sed "s/\(.\)\(.\)/\2\1/" | sha256sum'

# ---- gawk
check awk-fields 'awk "{ print NR, NF, \$1, \$NF }" words; awk -F" " "\$2 > 5 { s += \$2 } END { print s }" words'
check awk-arrays 'awk "{ n[\$1] += \$2 } END { for (k in n) print k, n[k] }" fruit | sort; awk "BEGIN { split(\"c b a\", x); asort(x); print x[1] x[2] x[3] }"'
check awk-printf 'awk "BEGIN { printf \"%5.2f|%-6s|%05d|%x|%c|%e\n\", 3.14159, \"ab\", 42, 255, 65, 12345.678 }"'
check awk-strings 'awk "{ print toupper(\$1), length(\$0), substr(\$1, 2, 3), index(\$0, \"a\") }" words; awk "BEGIN { s = \"a-b-c\"; n = gsub(/-/, \"+\", s); print n, s; print match(\"foobar\", /ob/), RSTART, RLENGTH }"'
check awk-math 'awk "BEGIN { print 2^10, 7 % 3, int(-3.7), sqrt(2), exp(1), log(10), sin(1), atan2(1, 1) * 4; srand(42); print rand() < 1 }"'
check awk-time 'awk "BEGIN { print strftime(\"%Y-%m-%d %H:%M:%S\", 1709210096, 1); print mktime(\"2024 02 29 12 34 56\") }"'
check awk-io 'awk "{ print > \"out\" NR % 2 }" words; cat out0 out1; awk "BEGIN { while ((getline line < \"fruit\") > 0) n++; print n; \"echo piped\" | getline x; print x }"'
check awk-big 'seq 1 100000 | awk "{ s += \$1; if (\$1 % 7 == 0) c++ } END { print s, c, NR }"'

cd /
rm -rf "$work"
echo done
