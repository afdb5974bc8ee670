# [ is test with a closing ]; a missing ] is an error (status above 1).
[ a = a ]
echo "equal: $?"
[ a = b ]
echo "different: $?"
[ a = a 2>/dev/null
s=$?
[ $s -gt 1 ] && echo "missing bracket: error status"
test a = a ]
s=$?
[ $s -gt 1 ] && echo "extra bracket for test: error status"
