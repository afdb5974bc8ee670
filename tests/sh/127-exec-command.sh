# exec with a command replaces the shell; nothing after it runs.
(exec echo replaced; echo not reached)
echo "status $?"
(exec sh -c 'exit 6')
echo "exec status $?"
(exec no_such_command_xyz) 2>/dev/null
echo "not found: $?"
x=$(exec printf 'in substitution')
echo "$x"
exec printf 'last words\n'
echo never
