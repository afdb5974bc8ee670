# unset removes variables (-v) and functions (-f).
a=1 b=2
unset a
echo "a=${a-unset} b=$b"
unset -v b
echo "b=${b-unset}"
f() { echo function; }
f
unset -f f
f 2>/dev/null || echo "f is gone"
unset never_set
echo "unset of an unset name: $?"
c=3
unset c d
echo "c=${c-unset}"
