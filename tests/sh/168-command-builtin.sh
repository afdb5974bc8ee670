# command runs a command bypassing functions of the same name.
echo() { printf 'function echo: %s\n' "$*"; }
echo hi
command echo hi
unset -f echo
cd() { printf 'wrapped cd\n'; command cd "$@"; }
cd /
pwd
command no_such_command_xyz 2>/dev/null
echo "status $?"
