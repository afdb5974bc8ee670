# n<&m duplicates an input descriptor.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
printf 'line1\nline2\nline3\n' > in
exec 3< in
read a <&3
read b <&3
echo "$a $b"
cat <&3
exec 3<&-
exec 4<in
cat 0<&4
