# An EXIT trap is not run by subshells; ignored signals stay ignored in them.
trap 'echo "parent exit trap"' EXIT
(echo "subshell runs"; exit 0)
x=$(echo "substitution")
echo "$x"
trap '' USR1
(trap) | grep -c USR1
(kill -USR1 $$; echo "the shell still ignores USR1")
