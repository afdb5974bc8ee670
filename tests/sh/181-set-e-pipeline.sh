# set -e: a pipeline whose last command fails ends the shell.
set -e
false | true
echo "only the last command counts"
echo x | grep -q y
echo never
