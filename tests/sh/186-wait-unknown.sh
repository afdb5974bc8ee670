# wait for an unknown process id returns 127; wait with no jobs returns 0.
wait
echo "no jobs: $?"
wait 99999999 2>/dev/null
echo "unknown pid: $?"
