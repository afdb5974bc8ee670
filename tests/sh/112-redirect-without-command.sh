# A redirection alone creates or opens the file; its status tells whether it worked.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
> made
[ -f made ] && echo "made exists"
>> appended
[ -f appended ] && echo "appended exists"
< made
echo "read status $?"
(< missing) 2>/dev/null
echo "missing status nonzero: $([ $? -ne 0 ] && echo yes)"
x=set > assigned
echo "x=$x"
[ -f assigned ] && echo "assigned exists"
