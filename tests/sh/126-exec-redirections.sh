# exec without a command applies its redirections to the shell itself.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
exec 3> saved
echo "via descriptor 3" >&3
exec 3>&-
cat saved
exec 4>&1
exec > captured
echo "this goes to the file"
exec 1>&4 4>&-
echo "back on stdout"
cat captured
printf 'l1\nl2\n' > in
exec < in
read a
read b
echo "$a $b"
