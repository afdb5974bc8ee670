# trap ... EXIT runs the action when the shell exits.
trap 'echo "exit trap, status $?"' EXIT
echo body
(exit 3)
