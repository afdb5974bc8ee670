# $! is the process id of the last background command.
[ -z "$!" ] && echo "empty before any background job"
(exit 7) &
pid=$!
case $pid in ''|*[!0-9]*) echo "not a number" ;; *) echo "a number" ;; esac
[ "$pid" != "$$" ] && echo "differs from \$\$"
wait "$pid"
echo "status $?"
