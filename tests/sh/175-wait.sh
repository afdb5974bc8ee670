# wait waits for background jobs and returns a job's status.
(exit 3) &
p1=$!
(exit 5) &
p2=$!
wait $p2
echo "second: $?"
wait $p1
echo "first: $?"
(sleep 0; exit 2) & (sleep 0; exit 1) &
wait
echo "wait for all: $?"
