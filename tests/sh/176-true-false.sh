# true and false ignore their arguments.
true ignored args
echo "true: $?"
false ignored args
echo "false: $?"
! false && echo "negated false"
