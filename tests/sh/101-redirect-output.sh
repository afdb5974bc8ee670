# Output redirection '>' creates or truncates the file.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
echo first > out
cat out
echo second > out
cat out
> empty
wc -c < empty | tr -d ' '
echo to-file >out; cat out
