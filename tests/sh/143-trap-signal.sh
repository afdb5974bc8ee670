# trap runs an action when the shell receives a signal.
trap 'echo "caught USR1"' USR1
kill -USR1 $$
echo "after USR1"
trap 'echo "caught TERM"' TERM
kill -TERM $$
echo "after TERM"
trap 'echo "caught HUP"' HUP
kill -s HUP $$
echo "after HUP"
