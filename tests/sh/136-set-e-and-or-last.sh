# set -e: the last command of an '&&' list still exits the shell.
set -e
false || true
echo "still here"
true && false
echo never
