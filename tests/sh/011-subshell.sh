# ( list ) runs in a subshell: assignments, cd and exit do not affect the parent.
x=outer
(x=inner; echo "in: $x")
echo "out: $x"
(cd /; pwd)
(exit 3)
echo "subshell status $?"
(echo a; echo b) | tr a-z A-Z
(
  echo multi
  echo line
)
