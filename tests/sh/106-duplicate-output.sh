# n>&m duplicates descriptors; the order of redirections matters.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
{ echo out; echo err >&2; } > both 2>&1
sort both
{ echo out; echo err >&2; } 2>&1 > only-out | sed 's/^/piped: /'
cat only-out
echo to-stderr 1>&2 2>/dev/null
(echo hidden >&2) 2>/dev/null
echo "status $?"
