# The '<>' redirection opens a file for reading and writing without truncating it.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
echo hello > f
cat <> f
exec 3<> f
read line <&3
echo "read: $line"
echo appended >&3
exec 3>&-
cat f
: <> created
[ -f created ] && echo "created by <>"
