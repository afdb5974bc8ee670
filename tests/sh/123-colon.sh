# The ':' builtin does nothing and succeeds, but its arguments are expanded.
false
:
echo "status $?"
: ignored arguments > /dev/null
echo "status $?"
: ${x:=assigned-by-colon}
echo "x=$x"
: $((n = 4))
echo "n=$n"
while :; do echo "loop once"; break; done
