# trap '' ignores a signal; trap - restores the default action (here: death by USR1).
trap '' USR1
kill -USR1 $$
echo "survived ignored USR1"
trap 'echo "caught USR1"' USR1
kill -USR1 $$
trap - USR1
trap
echo "default restored, the next USR1 ends the shell with 128+10"
kill -USR1 $$
echo never
