# A redirection target is expanded but neither split nor globbed when one word results.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
name='with space'
echo spaced > "$name"
cat "with space"
f=out
echo expanded > $f.txt
cat out.txt
touch g1
echo literal > "g*"
ls | sort
echo "$(cat 'g*')"
echo via-subst > $(echo sub).txt
cat sub.txt
