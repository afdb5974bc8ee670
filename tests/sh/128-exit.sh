# exit ends the shell with the given status, or with $? without one.
(exit 5)
echo "subshell: $?"
(false; exit)
echo "no operand: $?"
f() { exit 7; echo never; }
(f)
echo "from function: $?"
(exit 0)
echo "zero: $?"
echo "before exit"
false
exit
echo never
