# $? is the status of the most recent pipeline.
true
echo $?
false
echo $?
(exit 12)
s=$?
echo "saved $s, now $?"
[ 1 -eq 2 ]
echo "test: $?"
echo "twice: $? $?"
