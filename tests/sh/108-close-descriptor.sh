# n>&- and n<&- close a descriptor; writing to it then fails.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
exec 3> f
echo via3 >&3
exec 3>&-
cat f
(echo x >&3) 2>/dev/null
[ $? -ne 0 ] && echo "closed descriptor: write fails"
(read v <&0) <&-
[ $? -ne 0 ] && echo "closed input: read fails"
{ echo still >&3; } 3>&1
