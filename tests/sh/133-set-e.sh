# set -e: the shell exits when a simple command fails.
set -e
echo start
true
false
echo never
