# A command killed by a signal has status 128 plus the signal number.
sleep 5 &
pid=$!
kill $pid
wait $pid
echo "TERM: $?"
sleep 5 &
kill -KILL $!
wait $!
echo "KILL: $?"
sleep 5 &
kill -s HUP $!
wait $!
echo "HUP: $?"
kill -l 15
kill -l 9
kill -0 $$
echo "kill -0 self: $?"
