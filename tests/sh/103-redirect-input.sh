# Input redirection '<' reads the command's standard input from a file.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
printf 'b\na\nc\n' > in
sort < in
tr a-z A-Z <in
read first < in
echo "first line: $first"
cat < nonexistent 2>/dev/null
[ $? -ne 0 ] && echo "missing file fails"
