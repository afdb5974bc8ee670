# set -e in compound commands: ignored inside a '||' list or condition, applied in a plain subshell.
set -e
{ false; echo "group: -e ignored in an || list"; } || echo never
f() { false; echo "function: -e ignored in an || list"; }
f || echo never
if (false; echo "subshell in a condition continues"); then echo "condition true"; fi
echo "a failing subshell ends the script"
(echo "in subshell"; (exit 4); echo never)
echo never
