# Redirections apply to whole compound commands.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
printf '1\n2\n3\n' > nums
while read n; do echo "n=$n"; done < nums
for i in a b; do echo "$i"; done > loop.out
cat loop.out
if true; then echo in-if; fi > if.out
cat if.out
{ echo g1; echo g2; } > group.out
cat group.out
(echo sub) > sub.out
cat sub.out
case x in x) echo in-case ;; esac > case.out
cat case.out
sum=0
while read n; do sum=$((sum + n)); done < nums
echo "sum=$sum"
