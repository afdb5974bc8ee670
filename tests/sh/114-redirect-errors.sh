# A failed redirection fails the command without running it.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
echo never > nodir/file 2>/dev/null
echo "status nonzero: $([ $? -ne 0 ] && echo yes)"
ran=no
{ ran=yes; } < missing 2>/dev/null
echo "ran=$ran"
cat < missing 2>/dev/null || echo "cat failed"
echo after
