# jobs -p prints the process id of each background job.
t=${TMPDIR:-/tmp}/shsuite.$$
mkdir "$t" && cd "$t" || exit 1
trap 'cd / && rm -rf "$t"' EXIT
sleep 5 &
jobs -p > pids
read p < pids
[ "$p" = "$!" ] && echo "jobs -p gives \$!"
wc -l < pids | tr -d ' '
kill $!
wait $!
echo "status $?"
