# set -n: commands are read but not run.
echo before
set -n
echo not run
exit 3
