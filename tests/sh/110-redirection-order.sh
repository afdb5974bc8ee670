# Redirections are performed left to right.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
echo x > a > b
echo "a has $(wc -c < a | tr -d ' ') bytes, b has: $(cat b)"
exec 3>&1
result=$( { echo to-out; echo to-err >&2; } 2>&1 1>&3 3>&-)
exec 3>&-
echo "captured: $result"
ls nosuch-file 2>/dev/null >out || echo "ls failed quietly"
