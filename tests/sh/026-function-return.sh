# return sets the function's status; without an operand it keeps the last status.
f() { return 3; }
f
echo "f: $?"
g() { false; return; }
g
echo "g: $?"
h() { echo before; return 0; echo after; }
h
echo "h: $?"
k() { (exit 9); }
k
echo "k: $?"
