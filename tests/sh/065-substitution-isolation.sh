# A command substitution runs in a subshell environment.
v=outer
x=$(v=inner; echo "$v")
echo "$x $v"
x=$(cd /; pwd)
echo "$x"
f() { echo called; }
echo "$(f)"
echo "$(exit 7; echo never)"
echo "$(echo "$v")"
