# An assignment with a command substitution takes the substitution's status.
x=$(exit 3)
echo "assignment: $?"
x=$(false)
echo "false: $?"
x=$(true)
echo "true: $?"
y=$(exit 1) z=$(exit 2)
echo "last one: $?"
echo "$(exit 5)"
echo "echo's own: $?"
